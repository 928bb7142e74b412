// `rxbridge convert <file>`: any supported input to a FHIR R4 Bundle (JSON on stdout, issues on stderr).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { convertClinicalText } from '../../extract/convert-clinical-text.ts';
import { convertHl7v2 } from '../../normalize/hl7v2/convert-hl7v2.ts';
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import { hasErrors } from '../../kernel/result.ts';
import { sha256Hex } from '../../kernel/ids.ts';
import { CliError, ExitCode, printIssues, printJson } from '../cli-output.ts';

const VT = '\u000b';
const FS = '\u001c';

/** A message captured off the wire keeps its MLLP start and end bytes; they are not part of the message. */
export function stripMllpFraming(text: string): string {
  let out = text.startsWith(VT) ? text.slice(1) : text;
  const end = out.lastIndexOf(FS);
  if (end >= 0 && out.slice(end + 1).trim() === '') out = out.slice(0, end);
  return out;
}

/** What kind of input a file holds, judged from its first bytes. */
export function detectFormat(text: string): 'hl7v2' | 'xml' | 'json' | 'unknown' {
  const start = stripMllpFraming(text).replace(/^[\ufeff\s]+/, '');
  if (start.startsWith('MSH') || start.startsWith('FHS') || start.startsWith('BHS')) return 'hl7v2';
  if (start.startsWith('<')) return 'xml';
  if (start.startsWith('{')) return 'json';
  return 'unknown';
}

export function registerConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('convert a file (HL7 v2 message) to a FHIR R4 Bundle printed as JSON')
    .argument('<file>', 'the input file')
    .action(async (file: string) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch {
        throw new CliError(`cannot read ${file}`, ExitCode.Failed);
      }
      const text = stripMllpFraming(bytes.toString('utf8'));
      const format = detectFormat(text);
      switch (format) {
        case 'hl7v2': {
          const result = convertHl7v2(text, { messageId: `file:${sha256Hex(bytes).slice(0, 16)}` });
          printIssues(result.issues);
          if (!result.ok || hasErrors(result.issues)) {
            throw new CliError(`${file}: not converted (see the issues above)`, ExitCode.Failed);
          }
          printJson(result.value);
          return;
        }
        case 'xml':
          throw new CliError(`${file}: C-CDA documents are not supported yet (planned: C-CDA and Direct)`);
        case 'json':
          throw new CliError(`${file}: FHIR JSON input is not supported by convert yet`);
        case 'unknown':
          if (/\.txt$/i.test(file)) {
            const id = sha256Hex(bytes).slice(0, 16);
            const terminology = createStarterTerminology();
            const converted = convertClinicalText(text, {
              terminology,
              patientReference: `Patient/unknown-${id}`,
              sourceReference: `file:${id}`,
            });
            // Text with nothing clinical in it is not a format we know; say so like any other unknown input.
            if (converted.ok && (converted.value.entry?.length ?? 0) > 0) {
              printIssues(converted.issues);
              printJson(converted.value);
              return;
            }
          }
          throw new CliError(
            `${file}: not a recognised format (expected an HL7 v2 message starting with MSH, or clinical text naming medications, allergies or problems)`,
          );
      }
    });
}
