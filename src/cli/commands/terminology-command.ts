// `rxbridge terminology load <path>`: an RxNorm release (RRF) or the flat TSV subset → the vocabulary file in the data directory.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import {
  countVocabulary,
  writeVocabularyFile,
  type VocabularyFile,
} from '../../terminology/loaded/loaded-vocabulary.ts';
import { findRrfFolder, readRxnormRrf } from '../../terminology/loaded/rxnorm-rrf-reader.ts';
import { isSubsetFolder, readRxnormSubset } from '../../terminology/loaded/rxnorm-subset-reader.ts';
import { CliError, ExitCode, printJson } from '../cli-output.ts';

/** Where the engine looks for a loaded vocabulary (docs/adr/0004-terminology-storage.md). */
export const DEFAULT_VOCABULARY_PATH = './data/terminology/rxnorm.json';

async function readRelease(path: string): Promise<VocabularyFile> {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new CliError(
      `${path}: not a folder (give the unzipped RxNorm release or the subset folder)`,
      ExitCode.Usage,
    );
  }
  const rrf = findRrfFolder(path);
  if (rrf !== undefined) return readRxnormRrf(rrf);
  if (isSubsetFolder(path)) return readRxnormSubset(path);
  throw new CliError(
    `${path}: found neither RXNCONSO.RRF (in it or in rrf/) nor rxnconso_subset.tsv(.gz)`,
    ExitCode.Usage,
  );
}

export function registerTerminologyCommand(program: Command): void {
  const terminology = program.command('terminology').description('drug vocabulary (RxNorm) management');
  terminology
    .command('load <path>')
    .description(
      'load an RxNorm release (RXNCONSO/RXNREL/RXNSAT.RRF, from NLM) or a flat TSV subset into the data directory',
    )
    .option('--out <file>', 'vocabulary file to write', DEFAULT_VOCABULARY_PATH)
    .option('--json', 'print the counts as JSON')
    .action(async (path: string, options: { out: string; json?: boolean }) => {
      const started = performance.now();
      const file = await readRelease(path);
      if (file.concepts.length === 0) throw new CliError(`${path}: no RxNorm concepts found`);
      writeVocabularyFile(options.out, file);
      const counts = countVocabulary(file);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      if (options.json) {
        printJson({ out: options.out, source: file.source.kind, seconds, ...counts });
        return;
      }
      const types = Object.entries(counts.byTermType)
        .map(([tty, n]) => `${tty} ${n}`)
        .join(', ');
      process.stdout.write(
        `loaded ${file.source.kind}: ${counts.concepts} concepts (${types}), ${counts.relations} relations, ` +
          `${counts.ndcs} NDCs in ${seconds}s → ${options.out}\n`,
      );
    });
}
