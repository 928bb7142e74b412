// Tasks for what the pharmacy system reports it did (a dispense, a vaccination): approving one sends it to the EHR
// (and a vaccination to the immunization registry). Low risk and fully determined, so the routing policy may
// auto-apply them; the effects live in src/outbound/apply-task.ts.
import type { Immunization, MedicationDispense, Patient } from '@medplum/fhirtypes';
import type { NewTask } from '../platform/store/task-store.ts';
import { ReviewTaskType, type ReviewItem } from './task-model.ts';

export interface ReportPatient {
  pharmacyPatientId: string;
  display: string;
  /** Source identifier with its assigning authority (`MRN10001^GENHOSP`): the EHR link when the pharmacy has none. */
  sourceIdentifier?: string;
}

interface ReportInput {
  /** Deterministic per reported event (e.g. message id + RXD/RXA position): the same key never makes a second task. */
  key: string;
  patient: ReportPatient;
  site?: string;
  sourceMessageId?: string;
  /** The Patient of the source message (PID): name, birth date and sex for the registry's PID. Optional. */
  patientResource?: Patient;
}

/** What the effect reads back from a report task's payload. */
export interface ReportPayload {
  summary: string;
  items: ReviewItem[];
  dispense?: MedicationDispense;
  immunization?: Immunization;
  patientResource?: Patient;
  source: { messageId: string | null };
}

function textOf(
  concept: { text?: string; coding?: Array<{ display?: string; code?: string }> } | undefined,
): string {
  const coding = concept?.coding?.find((c) => c.display) ?? concept?.coding?.[0];
  return (concept?.text ?? coding?.display ?? coding?.code ?? 'unnamed product').slice(0, 200);
}

function reportTask(
  type: typeof ReviewTaskType.DispenseReport | typeof ReviewTaskType.ImmunizationReport,
  input: ReportInput,
  drug: string,
  suggestedAction: string,
  details: Record<string, unknown>,
  resource: { dispense: MedicationDispense } | { immunization: Immunization },
): NewTask {
  const item: ReviewItem = {
    id: type === ReviewTaskType.DispenseReport ? 'dispense' : 'immunization',
    type,
    priority: 'low',
    drug,
    suggestedAction,
    ehr: null,
    pharmacy: details,
    evidence: input.sourceMessageId ? { messageId: input.sourceMessageId } : null,
    // The pharmacy system said it happened: nothing is inferred, so nothing is uncertain.
    confidence: 1,
  };
  const payload: ReportPayload = {
    summary: suggestedAction,
    items: [item],
    ...resource,
    ...(input.patientResource ? { patientResource: input.patientResource } : {}),
    source: { messageId: input.sourceMessageId ?? null },
  };
  return {
    key: `${type}:${input.key}`,
    type,
    priority: 'low',
    patient: {
      pharmacyPatientId: input.patient.pharmacyPatientId,
      display: input.patient.display,
      ...(input.patient.sourceIdentifier !== undefined
        ? { sourceIdentifier: input.patient.sourceIdentifier }
        : {}),
    },
    ...(input.site !== undefined ? { site: input.site } : {}),
    ...(input.sourceMessageId !== undefined ? { sourceMessageId: input.sourceMessageId } : {}),
    payload,
  };
}

/** A dispense reported by the pharmacy system (RDS^O13) → task whose approval sends a MedicationDispense to the EHR. */
export function dispenseReportTask(input: ReportInput & { dispense: MedicationDispense }): NewTask {
  const d = input.dispense;
  const drug = textOf(d.medicationCodeableConcept);
  return reportTask(
    ReviewTaskType.DispenseReport,
    input,
    drug,
    `Send the dispense of ${drug} to the EHR as a MedicationDispense`,
    {
      status: d.status,
      ...(d.whenHandedOver ? { whenHandedOver: d.whenHandedOver } : {}),
      ...(d.quantity?.value !== undefined
        ? { quantity: `${d.quantity.value}${d.quantity.unit ? ` ${d.quantity.unit}` : ''}` }
        : {}),
      ...(d.daysSupply?.value !== undefined ? { daysSupply: d.daysSupply.value } : {}),
      ...(d.identifier?.[0]?.value ? { rxNumber: d.identifier[0].value } : {}),
    },
    { dispense: d },
  );
}

/**
 * A vaccination reported by the pharmacy system (VXU^V04) → task whose approval sends an Immunization to the EHR and,
 * when an immunization registry is configured, a VXU^V04 to it.
 */
export function immunizationReportTask(input: ReportInput & { immunization: Immunization }): NewTask {
  const imm = input.immunization;
  const vaccine = textOf(imm.vaccineCode);
  const cvx = imm.vaccineCode.coding?.find((c) => c.system === 'http://hl7.org/fhir/sid/cvx')?.code;
  return reportTask(
    ReviewTaskType.ImmunizationReport,
    input,
    vaccine,
    `Send the ${vaccine} vaccination to the EHR as an Immunization and to the immunization registry (VXU^V04) when one is configured`,
    {
      status: imm.status,
      ...(cvx ? { cvx } : {}),
      ...(imm.occurrenceDateTime ? { occurrence: imm.occurrenceDateTime } : {}),
      ...(imm.lotNumber ? { lot: imm.lotNumber } : {}),
    },
    { immunization: imm },
  );
}
