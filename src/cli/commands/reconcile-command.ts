// `rxbridge reconcile --ehr <file> --pharmacy <file>`: an EHR medication list against a pharmacy profile.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import type { MedicationRequest, MedicationStatement } from '../../kernel/fhir.ts';
import type { PharmacyProfile } from '../../platform/pharmacy/pharmacy-system.ts';
import type { ReconciliationResult } from '../../reconcile/discrepancy.ts';
import { ehrMedicationFromFhir } from '../../reconcile/ehr-medication-from-fhir.ts';
import { reconcileMedications } from '../../reconcile/reconcile-medications.ts';
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import { CliError, ExitCode, printJson } from '../cli-output.ts';

/** Reads and parses a JSON file; any failure is one line naming the file. */
export async function readJsonInput(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`, ExitCode.Failed);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'invalid JSON';
    throw new CliError(`${file}: not valid JSON (${reason})`, ExitCode.Failed);
  }
}

/** `--as-of YYYY-MM-DD` (noon UTC, so the calendar day is the same everywhere), or now. */
export function parseAsOf(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()))
    throw new CliError(`--as-of: expected YYYY-MM-DD, got "${value}"`, ExitCode.Usage);
  return date;
}

/** The first zod issue as "path: message". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  return `${path === '' ? '(top level)' : path}: ${issue?.message ?? 'invalid'}`;
}

const Amount = z.object({ value: z.number(), unit: z.string() });
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'expected a date YYYY-MM-DD');

/** The PharmacyProfile shape (platform/pharmacy/pharmacy-system.ts), checked before reconciling. */
const PharmacyProfileSchema = z.object({
  patient: z.object({
    id: z.string().min(1),
    given: z.string(),
    family: z.string(),
    birthDate: Day,
    gender: z.enum(['male', 'female', 'other', 'unknown']),
    identifiers: z.array(z.object({ system: z.string(), value: z.string() })),
    site: z.string(),
    phone: z.string().optional(),
    pcp: z.string().optional(),
  }),
  prescriptions: z.array(
    z.object({
      id: z.string().min(1),
      rxNumber: z.string(),
      drugName: z.string().min(1),
      rxcui: z.string().optional(),
      strength: Amount.optional(),
      form: z.string().optional(),
      sig: z.string(),
      dose: Amount.optional(),
      frequencyPerDay: z.number().positive().optional(),
      frequencyText: z.string().optional(),
      route: z.string().optional(),
      prn: z.boolean(),
      status: z.enum(['active', 'discontinued', 'on-hold']),
      prescriber: z.string(),
      writtenDate: Day,
      refillsRemaining: z.number().int().min(0),
    }),
  ),
  fills: z.array(
    z.object({
      prescriptionId: z.string(),
      date: Day,
      quantity: z.number().min(0),
      daysSupply: z.number().int().min(0),
    }),
  ),
  allergies: z.array(
    z.object({
      substance: z.string(),
      rxcui: z.string().optional(),
      reaction: z.string().optional(),
      severity: z.enum(['mild', 'moderate', 'severe']).optional(),
    }),
  ),
});

export function parsePharmacyProfile(file: string, json: unknown): PharmacyProfile {
  const parsed = PharmacyProfileSchema.safeParse(json);
  if (!parsed.success) throw new CliError(`${file}: not a pharmacy profile: ${firstIssue(parsed.error)}`);
  return parsed.data as PharmacyProfile;
}

type MedicationResource = MedicationStatement | MedicationRequest;

/** A FHIR Bundle of MedicationStatement/MedicationRequest, or a JSON array of them. */
export function parseMedicationList(file: string, json: unknown): MedicationResource[] {
  let items: unknown[];
  let where: (i: number) => string;
  if (Array.isArray(json)) {
    items = json;
    where = (i) => `item ${i}`;
  } else if (isObject(json) && json['resourceType'] === 'Bundle') {
    const entries = json['entry'] ?? [];
    if (!Array.isArray(entries)) throw new CliError(`${file}: Bundle.entry is not an array`);
    items = entries.map((e) => (isObject(e) ? e['resource'] : undefined));
    where = (i) => `entry ${i}`;
  } else {
    throw new CliError(
      `${file}: expected a FHIR Bundle or a JSON array of MedicationStatement/MedicationRequest resources`,
    );
  }
  return items.map((item, i) => {
    if (!isObject(item)) throw new CliError(`${file}: ${where(i)} is not a FHIR resource`);
    const type = item['resourceType'];
    if (type !== 'MedicationStatement' && type !== 'MedicationRequest') {
      throw new CliError(
        `${file}: ${where(i)} is ${typeof type === 'string' ? type : 'not a FHIR resource'}; expected MedicationStatement or MedicationRequest`,
      );
    }
    const concept = item['medicationCodeableConcept'];
    if (!isObject(concept)) {
      throw new CliError(
        `${file}: ${where(i)} (${type}) has no medicationCodeableConcept; medicationReference is not supported`,
      );
    }
    return item as unknown as MedicationResource;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One line per discrepancy: priority, type, drug, and what to do. */
export function formatReconciliation(result: ReconciliationResult): string {
  const lines = [result.summary];
  for (const d of result.discrepancies) {
    lines.push(`[${d.priority}] ${d.type} ${d.drug}: ${d.suggestedAction}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerReconcileCommand(program: Command): void {
  program
    .command('reconcile')
    .description(
      'reconcile an EHR medication list (FHIR Bundle or array of MedicationStatement/MedicationRequest) against a pharmacy profile (JSON); formats in docs/cli-formats.md',
    )
    .requiredOption('--ehr <file>', 'the EHR medication list (FHIR JSON)')
    .requiredOption('--pharmacy <file>', 'the pharmacy profile (PharmacyProfile JSON)')
    .option('--as-of <date>', 'reference day YYYY-MM-DD for fills (default today)')
    .option('--discharge', 'the list is a discharge list (default: an EHR medication list)')
    .option('--json', 'print the full result as JSON')
    .action(
      async (options: {
        ehr: string;
        pharmacy: string;
        asOf?: string;
        discharge?: boolean;
        json?: boolean;
      }) => {
        const asOf = parseAsOf(options.asOf);
        const ehr = parseMedicationList(options.ehr, await readJsonInput(options.ehr)).map(
          ehrMedicationFromFhir,
        );
        const profile = parsePharmacyProfile(options.pharmacy, await readJsonInput(options.pharmacy));
        const result = reconcileMedications({
          ehr,
          profile,
          terminology: createStarterTerminology(),
          asOf,
          source: options.discharge ? 'discharge' : 'ehr-list',
        });
        if (options.json) printJson(result);
        else process.stdout.write(formatReconciliation(result));
      },
    );
}
