// The next step for each discrepancy, worded the way a pharmacist writes it on a reconciliation note.
import type { PharmacyPrescription } from '../platform/pharmacy/pharmacy-system.ts';
import type { Amount } from '../terminology/amount.ts';
import type { ReconciliationSource } from './discrepancy.ts';

export interface Regimen {
  amount?: Amount;
  frequencyPerDay?: number;
  frequencyText?: string;
  route?: string;
  prn: boolean;
}

const FREQUENCY_WORDS: ReadonlyMap<number, string> = new Map([
  [1, 'once daily'],
  [2, 'twice daily'],
  [3, 'three times daily'],
  [4, 'four times daily'],
  [0.5, 'every other day'],
  [1 / 7, 'once weekly'],
]);

export function describeFrequency(r: Regimen): string | undefined {
  const words =
    r.frequencyPerDay === undefined
      ? r.frequencyText
      : (FREQUENCY_WORDS.get(r.frequencyPerDay) ?? r.frequencyText ?? `${r.frequencyPerDay} times daily`);
  if (r.prn) return words ? `${words} as needed` : 'as needed';
  return words;
}

function formatAmount(a: Amount): string {
  return `${a.value} ${a.unit}`;
}

/** "500 mg twice daily", "20 units at bedtime", "as needed". */
export function describeRegimen(r: Regimen): string {
  return [r.amount ? formatAmount(r.amount) : undefined, describeFrequency(r)].filter(Boolean).join(' ');
}

function listName(source: ReconciliationSource): string {
  return source === 'discharge' ? 'Discharge list' : 'EHR medication list';
}

function prescriber(source: ReconciliationSource): string {
  return source === 'discharge' ? 'the discharging prescriber' : 'the prescriber';
}

function rxLabel(rx: PharmacyPrescription): string {
  return `Rx ${rx.rxNumber}, ${rx.prescriber}`;
}

function withText(drug: string, regimen: string): string {
  return regimen ? `${drug} ${regimen}` : drug;
}

export function doseChangeAction(
  source: ReconciliationSource,
  drug: string,
  ehr: Regimen,
  rx: Regimen,
): string {
  return source === 'discharge'
    ? `${listName(source)} has ${withText(drug, describeRegimen(ehr))}; pharmacy profile has ${describeRegimen(rx)}. ` +
        `Confirm the new dose with ${prescriber(source)} and update the profile.`
    : `${listName(source)} has ${withText(drug, describeRegimen(ehr))}; pharmacy profile has ${describeRegimen(rx)}. ` +
        `Confirm the current dose with ${prescriber(source)} and correct whichever record is out of date.`;
}

export function frequencyChangeAction(
  source: ReconciliationSource,
  drug: string,
  ehr: Regimen,
  rx: Regimen,
): string {
  return (
    `${listName(source)} has ${withText(drug, describeRegimen(ehr))}; pharmacy profile has ${describeRegimen(rx)}. ` +
    `Confirm how often it should be taken with ${prescriber(source)} and update the sig.`
  );
}

export function routeChangeAction(
  source: ReconciliationSource,
  drug: string,
  ehrRoute: string,
  rxRoute: string,
): string {
  return (
    `${listName(source)} gives ${drug} by the ${ehrRoute} route; pharmacy profile has ${rxRoute}. ` +
    `Confirm the route and product with ${prescriber(source)} before the next fill.`
  );
}

export function omissionAction(
  source: ReconciliationSource,
  drug: string,
  ehr: Regimen,
  sameClass?: string,
): string {
  const lead = `${listName(source)} has ${withText(drug, describeRegimen(ehr))}, which is not on the pharmacy profile.`;
  const replaced = sameClass ? ` It may replace ${sameClass}.` : '';
  return source === 'discharge'
    ? `${lead}${replaced} Check whether a new prescription was sent; if not, contact ${prescriber(source)} so the ` +
        `patient does not go without it.`
    : `${lead}${replaced} Ask the patient whether they take it and where it is filled; record it as an outside ` +
        `medication if so.`;
}

export function commissionAction(
  source: ReconciliationSource,
  drug: string,
  rx: PharmacyPrescription,
  regimen: Regimen,
  lastFillDate?: string,
  sameClass?: string,
): string {
  const filled = lastFillDate ? `, last filled ${lastFillDate}` : '';
  const lead = `Pharmacy profile has ${withText(drug, describeRegimen(regimen))} (${rxLabel(rx)}${filled}), but the ${
    source === 'discharge' ? 'discharge list' : 'EHR medication list'
  } does not.`;
  const replaced = sameClass ? ` The list has ${sameClass} in the same class.` : '';
  return source === 'discharge'
    ? `${lead}${replaced} Verify with ${prescriber(source)} whether it was stopped at discharge; if so, inactivate the ` +
        `prescription and tell the patient.`
    : `${lead}${replaced} Ask the patient whether they still take it and let ${prescriber(source)} know so the EHR ` +
        `list can be updated.`;
}

export function stoppedStillActiveAction(
  source: ReconciliationSource,
  drug: string,
  rx: PharmacyPrescription,
): string {
  return (
    `${listName(source)} says to stop ${drug}; the pharmacy profile still has it active (${rxLabel(rx)}). ` +
    `Confirm the discontinuation with ${prescriber(source)}, inactivate the prescription and tell the patient to stop.`
  );
}

export function heldStillActiveAction(
  source: ReconciliationSource,
  drug: string,
  rx: PharmacyPrescription,
): string {
  return (
    `${listName(source)} says to hold ${drug}; the pharmacy profile has it active (${rxLabel(rx)}). ` +
    `Put the prescription on hold and confirm with ${prescriber(source)} when it should restart.`
  );
}

export function duplicateAction(
  source: ReconciliationSource,
  drug: string,
  entries: readonly string[],
  onProfile: boolean,
): string {
  return onProfile
    ? `Pharmacy profile has ${entries.length} active prescriptions for ${drug} (${entries.join('; ')}). ` +
        `Confirm all are intended; inactivate any that are not.`
    : `${listName(source)} names ${drug} ${entries.length} times (${entries.join('; ')}). ` +
        `Clarify with ${prescriber(source)} which one the patient should take.`;
}

export function therapeuticDuplicationAction(
  source: ReconciliationSource,
  drugClass: string,
  drugs: readonly string[],
  onProfile: boolean,
): string {
  const where = onProfile ? 'Pharmacy profile has active prescriptions for' : `${listName(source)} has`;
  return (
    `${where} two or more ${drugClass} medicines (${drugs.join(', ')}). ` +
    `Check with ${prescriber(source)} whether both are intended.`
  );
}

export function formulationChangeAction(
  source: ReconciliationSource,
  drug: string,
  ehrForm: string,
  rxForm: string,
): string {
  return (
    `${listName(source)} has ${drug} as ${ehrForm}; pharmacy profile has ${rxForm}. ` +
    `Confirm which product is intended with ${prescriber(source)}; release forms are not interchangeable mg for mg.`
  );
}

export function stoppedStillFillingAction(
  source: ReconciliationSource,
  drug: string,
  rx: PharmacyPrescription,
  stopDate: string,
  lastFillDate: string,
  fillCount: number,
): string {
  const fills =
    fillCount === 1
      ? `was filled on ${lastFillDate}`
      : `was filled ${fillCount} times, last on ${lastFillDate}`;
  return (
    `${listName(source)} shows ${drug} stopped on ${stopDate}, but it ${fills} (${rxLabel(rx)}). ` +
    `Contact ${prescriber(source)} to verify the discontinuation, stop further refills and counsel the patient.`
  );
}

export function newNotYetFilledAction(drug: string, rx: PharmacyPrescription, since: string): string {
  return (
    `${drug} is new at discharge (${since}) and the prescription is on file (${rxLabel(rx)}), but it has not ` +
    `been filled since. Call the patient to arrange pickup or delivery and ask about cost or other barriers.`
  );
}
