// `rxbridge sig "<text>"`: parses a sig and prints the FHIR R4 Dosage JSON and a readable echo.
import type { Command } from 'commander';
import { parseSig } from '../../extract/sig/parse-sig.ts';
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import { CliError, printJson } from '../cli-output.ts';

export function registerSigCommand(program: Command): void {
  program
    .command('sig')
    .description(
      'parse a sig (directions for use) into FHIR R4 Dosage; prints the Dosage JSON and a readable echo',
    )
    .argument('<text...>', 'the sig, e.g. "1 po bid prn pain"')
    .action((words: string[]) => {
      const text = words.join(' ').trim();
      if (text === '') throw new CliError('give the sig text, e.g. rxbridge sig "1 po bid prn pain"');
      const result = parseSig(text, { terminology: createStarterTerminology() });
      printJson({
        echo: result.echo,
        confidence: result.confidence,
        notSure: result.notSure,
        dosage: result.dosage,
        warnings: result.warnings.map((w) => ({ ...w, text: text.slice(w.span.start, w.span.end) })),
      });
      if (result.notSure) process.stderr.write('rxbridge: not sure about this sig; a human should read it\n');
    });
}
