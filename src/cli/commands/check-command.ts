// `rxbridge check --patient <bundle> --order <file>`: every clinical check on one medication order.
import type { Command } from 'commander';
import { drugOrderFromFhir, factsFromResources, patientFromFhir } from '../../checks/fhir-check-input.ts';
import type { Finding } from '../../checks/finding.ts';
import { preparePatientContext, runChecks } from '../../checks/run-checks.ts';
import type { MedicationRequest, Resource } from '../../kernel/fhir.ts';
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import { CliError, printJson } from '../cli-output.ts';
import { parseAsOf, readJsonInput } from './reconcile-command.ts';

const PATIENT_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'AllergyIntolerance',
  'Condition',
  'Observation',
  'MedicationStatement',
  'MedicationRequest',
  'Immunization',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The patient's resources from a FHIR Bundle; other resource types are refused by name. */
export function parsePatientBundle(file: string, json: unknown): Resource[] {
  if (!isObject(json) || json['resourceType'] !== 'Bundle')
    throw new CliError(`${file}: expected a FHIR Bundle (resourceType "Bundle")`);
  const entries = json['entry'] ?? [];
  if (!Array.isArray(entries)) throw new CliError(`${file}: Bundle.entry is not an array`);
  return entries.map((entry, i) => {
    const resource = isObject(entry) ? entry['resource'] : undefined;
    if (!isObject(resource) || typeof resource['resourceType'] !== 'string')
      throw new CliError(`${file}: entry ${i} has no resource`);
    const type = resource['resourceType'];
    if (!PATIENT_TYPES.has(type))
      throw new CliError(
        `${file}: entry ${i} is ${type}; expected Patient, AllergyIntolerance, Condition, Observation, MedicationStatement or MedicationRequest`,
      );
    return resource as unknown as Resource;
  });
}

/** The order: one MedicationRequest with a medicationCodeableConcept. */
export function parseOrder(file: string, json: unknown): MedicationRequest {
  if (!isObject(json) || json['resourceType'] !== 'MedicationRequest') {
    const type =
      isObject(json) && typeof json['resourceType'] === 'string' ? json['resourceType'] : undefined;
    throw new CliError(`${file}: expected a MedicationRequest${type ? `, got ${type}` : ''}`);
  }
  if (!isObject(json['medicationCodeableConcept']))
    throw new CliError(
      `${file}: MedicationRequest has no medicationCodeableConcept (medicationReference is not supported)`,
    );
  return json as unknown as MedicationRequest;
}

/** One line per finding: severity, check, what was found, and what to do. */
export function formatFindings(orderName: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return `${orderName}: no findings\n`;
  const lines = [`${orderName}: ${findings.length} finding${findings.length === 1 ? '' : 's'}`];
  for (const f of findings) {
    lines.push(`[${f.severity}] ${f.check}: ${f.summary} | ${f.detail.replace(/\s+/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'run the clinical checks (allergy, interaction, duplicate, drug-disease, renal, INR, age) on a MedicationRequest against a patient Bundle; formats in docs/cli-formats.md',
    )
    .requiredOption(
      '--patient <file>',
      'FHIR Bundle: Patient, AllergyIntolerance, Condition, Observation, medicines',
    )
    .requiredOption('--order <file>', 'the order: a FHIR MedicationRequest')
    .option('--as-of <date>', 'reference day YYYY-MM-DD for age and lab recency (default today)')
    .option('--json', 'print the findings as JSON')
    .action(async (options: { patient: string; order: string; asOf?: string; json?: boolean }) => {
      const asOf = parseAsOf(options.asOf);
      const resources = parsePatientBundle(options.patient, await readJsonInput(options.patient));
      const order = drugOrderFromFhir(parseOrder(options.order, await readJsonInput(options.order)));
      const facts = factsFromResources(resources);
      const context = preparePatientContext({
        patient: patientFromFhir(facts.patient, asOf),
        allergies: facts.allergies,
        problems: facts.problems,
        labs: facts.labs,
        activeMedications: facts.medications,
        terminology: createStarterTerminology(),
        asOf,
      });
      const findings = runChecks({ order, context });
      if (options.json) printJson({ order, findings });
      else process.stdout.write(formatFindings(order.name, findings));
    });
}
