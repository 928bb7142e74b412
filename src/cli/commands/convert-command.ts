// `rxbridge convert <file>`: any supported input to a FHIR R4 Bundle (JSON on stdout, issues on stderr).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { convertClinicalText } from '../../extract/convert-clinical-text.ts';
import { convertCcdaDocument } from '../../extract/ccda-narrative.ts';
import { unpackDirect } from '../../inbound/direct/direct-intake.ts';
import type { Bundle } from '@medplum/fhirtypes';
import type { Issue } from '../../kernel/result.ts';
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
    .description(
      'convert a file (HL7 v2 message, C-CDA document, Direct message .eml or XDM .zip, clinical note .txt) to a FHIR R4 Bundle printed as JSON',
    )
    .argument('<file>', 'the input file')
    .option('--smime-cert <pem>', 'Direct: certificate the message is encrypted to')
    .option('--smime-key <pem>', 'Direct: private key for --smime-cert')
    .option('--trust-anchors <pem>', 'Direct: trust anchors that signatures must chain to')
    .action(async (file: string, opts: { smimeCert?: string; smimeKey?: string; trustAnchors?: string }) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch {
        throw new CliError(`cannot read ${file}`, ExitCode.Failed);
      }
      if (/\.(eml|zip)$/i.test(file) || looksLikeMime(bytes)) {
        convertDirect(file, bytes, opts);
        return;
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
        case 'xml': {
          const result = convertCcdaDocument(text, {
            terminology: createStarterTerminology(),
            sourceId: `file:${sha256Hex(bytes).slice(0, 16)}`,
          });
          printIssues(result.issues);
          if (!result.ok)
            throw new CliError(`${file}: not converted (see the issues above)`, ExitCode.Failed);
          printCoverage(result.value.coverage, result.value.fromNarrative);
          printJson(result.value.bundle);
          return;
        }
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

/** A MIME message starts with header lines (`Name: value`) and names a content type or MIME version. */
function looksLikeMime(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096).toString('latin1');
  return /^[A-Za-z-]+:[^\n]*\n/.test(head) && /^(mime-version|content-type):/im.test(head);
}

function printCoverage(
  coverage: { documentType: string; entries: number; entriesMapped: number },
  fromNarrative: Record<string, number>,
): void {
  const narrative = Object.values(fromNarrative).reduce((a, b) => a + b, 0);
  process.stderr.write(
    `C-CDA ${coverage.documentType}: ${coverage.entriesMapped} of ${coverage.entries} entries mapped, ${narrative} fact(s) from narrative\n`,
  );
}

/** A Direct message (.eml, possibly S/MIME) or an XDM zip: every C-CDA in it, one Bundle each. */
function convertDirect(
  file: string,
  bytes: Buffer,
  opts: { smimeCert?: string; smimeKey?: string; trustAnchors?: string },
): void {
  const unpacked = unpackDirect(bytes, {
    keys: {
      ...(opts.smimeCert ? { certificatePath: opts.smimeCert } : {}),
      ...(opts.smimeKey ? { privateKeyPath: opts.smimeKey } : {}),
      ...(opts.trustAnchors ? { trustAnchorsPath: opts.trustAnchors } : {}),
    },
  });
  printIssues(unpacked.issues);
  if (!unpacked.ok) throw new CliError(`${file}: not converted (see the issues above)`, ExitCode.Failed);
  const terminology = createStarterTerminology();
  const bundles: Bundle[] = [];
  const issues: Issue[] = [];
  for (const doc of unpacked.value) {
    const result = convertCcdaDocument(doc.xml, {
      terminology,
      sourceId: `file:${sha256Hex(bytes).slice(0, 16)}`,
    });
    issues.push(...result.issues.map((i) => ({ ...i, path: `${doc.location}: ${i.path}` })));
    if (!result.ok) continue;
    printCoverage(result.value.coverage, result.value.fromNarrative);
    bundles.push(result.value.bundle);
  }
  printIssues(issues);
  if (bundles.length === 0) throw new CliError(`${file}: no document could be converted`, ExitCode.Failed);
  printJson(
    bundles.length === 1
      ? bundles[0]
      : { resourceType: 'Bundle', type: 'collection', entry: bundles.map((resource) => ({ resource })) },
  );
}
