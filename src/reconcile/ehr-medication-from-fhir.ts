// FHIR R4 MedicationStatement / MedicationRequest → EhrMedication: an EHR's medication list as the reconciler reads it.
import { drugOrderFromFhir } from '../checks/fhir-check-input.ts';
import { findRoute } from '../extract/rules/route-rules.ts';
import type { MedicationRequest, MedicationStatement } from '../kernel/fhir.ts';
import type { EhrMedication } from './ehr-medication.ts';

/**
 * Status as a list change: a stopped, completed or cancelled medicine is `stopped`, an on-hold one (or a
 * MedicationStatement "not-taken") is `held`; anything else is current (FHIR R4 medication-statement-status,
 * medicationrequest-status).
 */
const STATUS_CHANGE: Readonly<Record<string, EhrMedication['status']>> = {
  stopped: 'stopped',
  completed: 'stopped',
  cancelled: 'stopped',
  'on-hold': 'held',
  'not-taken': 'held',
};

export function ehrMedicationFromFhir(resource: MedicationStatement | MedicationRequest): EhrMedication {
  const order = drugOrderFromFhir(resource);
  const medication: EhrMedication = {
    name: order.name,
    prn: order.prn ?? false,
    evidence: { text: order.name },
  };
  if (order.rxcui !== undefined) medication.rxcui = order.rxcui;
  if (order.strength) medication.strength = order.strength;
  if (order.dose) medication.dose = order.dose;
  if (order.frequencyPerDay !== undefined) medication.frequencyPerDay = order.frequencyPerDay;
  if (order.route !== undefined) medication.route = order.route;
  else {
    // No Dosage.route: the route the coded product's RxNorm dose form states ("… Oral Tablet" → oral), as
    // Synthea writes it (FHIR R4 Dosage.route is optional; RxNorm SCD names end in the dose form).
    const implied = findRoute(order.name)?.route;
    if (implied !== undefined) medication.route = implied;
  }
  const dosage =
    resource.resourceType === 'MedicationRequest' ? resource.dosageInstruction?.[0] : resource.dosage?.[0];
  if (dosage?.text) {
    medication.frequencyText = dosage.text;
    medication.evidence = { text: `${order.name} ${dosage.text}` };
  }
  const status = resource.status === undefined ? undefined : STATUS_CHANGE[resource.status];
  if (status) {
    medication.status = status;
    const date =
      resource.resourceType === 'MedicationStatement'
        ? (resource.effectivePeriod?.end ?? resource.dateAsserted)
        : resource.authoredOn;
    if (date) medication.statusDate = date.slice(0, 10);
  }
  if (resource.id) {
    const evidence = medication.evidence ?? { text: order.name };
    medication.evidence = { ...evidence, sourceReference: `${resource.resourceType}/${resource.id}` };
  }
  return medication;
}
