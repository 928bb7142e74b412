// FHIR R4 resources → the checks' input: MedicationRequest/Statement → DrugOrder, AllergyIntolerance, Condition,
// Observation (LOINC), Patient (age, sex), Immunization (CVX).
import type {
  AllergyIntolerance,
  Bundle,
  CodeableConcept,
  Condition,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Resource,
} from '../kernel/fhir.ts';
import type { CheckAllergy, CheckLab, CheckPatient, CheckProblem, DrugOrder } from './check-input.ts';
import type { ImmunizationRecord } from './care-gaps/care-gaps.ts';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const LOINC = 'http://loinc.org';
const CVX = 'http://hl7.org/fhir/sid/cvx';

function conceptText(c: CodeableConcept | undefined): string {
  return c?.text ?? c?.coding?.find((x) => x.display)?.display ?? c?.coding?.[0]?.code ?? '';
}

export function resourcesOf(bundle: unknown): Resource[] {
  const b = bundle as Bundle | undefined;
  if (!b || b.resourceType !== 'Bundle') return [];
  return (b.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
}

export function drugOrderFromFhir(resource: MedicationRequest | MedicationStatement): DrugOrder {
  const concept = resource.medicationCodeableConcept;
  const order: DrugOrder = { name: conceptText(concept) || 'unnamed medication' };
  const rxcui = concept?.coding?.find((c) => c.system === RXNORM)?.code;
  if (rxcui) order.rxcui = rxcui;
  const dosage =
    resource.resourceType === 'MedicationRequest' ? resource.dosageInstruction?.[0] : resource.dosage?.[0];
  const dose = dosage?.doseAndRate?.[0]?.doseQuantity;
  if (dose?.value !== undefined) order.dose = { value: dose.value, unit: dose.unit ?? dose.code ?? '' };
  const repeat = dosage?.timing?.repeat;
  if (repeat?.frequency !== undefined && repeat.period !== undefined) {
    const perDay = { h: 24, d: 1, wk: 1 / 7, mo: 1 / 30 }[repeat.periodUnit as 'h' | 'd' | 'wk' | 'mo'];
    if (perDay !== undefined)
      order.frequencyPerDay = Math.round(((repeat.frequency * perDay) / repeat.period) * 1000) / 1000;
  }
  const route = conceptText(dosage?.route);
  if (route) order.route = route;
  if (dosage?.asNeededBoolean === true) order.prn = true;
  // Strength as written in the name ("... 500 mg ..."), when the dose is a count.
  const strength = /(\d+(?:\.\d+)?)\s*(mg|mcg|g|units)\b/i.exec(order.name);
  if (strength?.[1] && strength[2])
    order.strength = { value: Number(strength[1]), unit: strength[2].toLowerCase() };
  return order;
}

export function allergyFromFhir(a: AllergyIntolerance): CheckAllergy {
  const allergy: CheckAllergy = { substance: conceptText(a.code) };
  const rxcui = a.code?.coding?.find((c) => c.system === RXNORM)?.code;
  if (rxcui) allergy.rxcui = rxcui;
  const reaction = a.reaction?.[0];
  const manifestation = reaction?.manifestation?.map(conceptText).filter(Boolean).join(', ');
  if (manifestation) allergy.reaction = manifestation;
  if (reaction?.severity) allergy.severity = reaction.severity;
  else if (a.criticality === 'high') allergy.severity = 'severe';
  return allergy;
}

export function problemFromFhir(c: Condition): CheckProblem {
  const coding = c.code?.coding?.[0];
  const problem: CheckProblem = { text: conceptText(c.code) };
  if (coding?.code) problem.code = coding.code;
  if (coding?.system) problem.system = coding.system;
  return problem;
}

export function labFromFhir(o: Observation): CheckLab | undefined {
  const loinc = o.code?.coding?.find((c) => c.system === LOINC)?.code;
  const value = o.valueQuantity?.value;
  const date = o.effectiveDateTime ?? o.issued;
  if (!loinc || value === undefined || !date) return undefined;
  const lab: CheckLab = { loinc, value, date };
  if (o.valueQuantity?.unit) lab.unit = o.valueQuantity.unit;
  return lab;
}

export function patientFromFhir(p: Patient | undefined, asOf: Date): CheckPatient {
  const patient: CheckPatient = {};
  if (p?.birthDate) {
    const dob = new Date(`${p.birthDate.slice(0, 10)}T00:00:00Z`);
    let age = asOf.getUTCFullYear() - dob.getUTCFullYear();
    const m = asOf.getUTCMonth() - dob.getUTCMonth();
    if (m < 0 || (m === 0 && asOf.getUTCDate() < dob.getUTCDate())) age--;
    patient.age = age;
  }
  if (p?.gender) patient.sex = p.gender;
  return patient;
}

export interface FhirPatientFacts {
  patient?: Patient;
  allergies: CheckAllergy[];
  problems: CheckProblem[];
  labs: CheckLab[];
  medications: DrugOrder[];
  immunizations: ImmunizationRecord[];
}

/** Sorts a bundle's resources into the facts the checks read. */
export function factsFromResources(resources: readonly Resource[]): FhirPatientFacts {
  const facts: FhirPatientFacts = {
    allergies: [],
    problems: [],
    labs: [],
    medications: [],
    immunizations: [],
  };
  for (const r of resources) {
    if (r.resourceType === 'Patient') facts.patient = r;
    else if (r.resourceType === 'AllergyIntolerance') {
      if (r.verificationStatus?.coding?.[0]?.code !== 'refuted') facts.allergies.push(allergyFromFhir(r));
    } else if (r.resourceType === 'Condition') {
      const status = r.clinicalStatus?.coding?.[0]?.code ?? 'active';
      if (status !== 'resolved' && status !== 'inactive') facts.problems.push(problemFromFhir(r));
    } else if (r.resourceType === 'Observation') {
      const lab = labFromFhir(r);
      if (lab) facts.labs.push(lab);
    } else if (r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement') {
      if (r.status === undefined || ['active', 'intended', 'on-hold'].includes(r.status))
        facts.medications.push(drugOrderFromFhir(r));
    } else if (r.resourceType === 'Immunization') {
      const cvx = r.vaccineCode?.coding?.find((c) => c.system === CVX)?.code;
      const date = r.occurrenceDateTime;
      if (cvx && date && r.status !== 'not-done') facts.immunizations.push({ cvx, date: date.slice(0, 10) });
    }
  }
  return facts;
}
