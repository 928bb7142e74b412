// PharmacyWriter for pharmacy systems with a FHIR R4 API: the prescription is a MedicationRequest found by its
// prescription number; a change reads it, sets status or dosage, and writes it back with a conditional update.
// A profile note is a Communication created once (If-None-Exist on the change key).
import type { Communication, MedicationRequest } from '@medplum/fhirtypes';
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import type { EhrClient } from '../../platform/ehr/ehr-client.ts';
import type { PharmacyWriter, PrescriptionChange, WriteReceipt } from './pharmacy-writer.ts';

/** Identifier systems on the pharmacy's FHIR server. */
export interface FhirPharmacySystems {
  /** MedicationRequest.identifier system holding the prescription (Rx) number. */
  rxNumber: string;
  /** Patient.identifier system holding the pharmacy patient id. */
  patientId: string;
}

export const RXBRIDGE_CHANGE_SYSTEM = 'urn:rxbridge:change';

const STATUS: Partial<Record<PrescriptionChange['action'], MedicationRequest['status']>> = {
  discontinue: 'stopped',
  hold: 'on-hold',
};

export function createFhirPharmacyWriter(options: {
  client: EhrClient;
  systems: FhirPharmacySystems;
  /** The Rx number of a pharmacy prescription id (from the PharmacySystem read side). */
  rxNumberOf: (patientId: string, prescriptionId: string) => Promise<string | undefined>;
  now?: () => Date;
}): PharmacyWriter {
  const { client, systems } = options;
  const now = options.now ?? (() => new Date());
  return {
    name: `fhir:${client.endpoint}`,
    async apply(change): Promise<WriteReceipt> {
      if (change.action === 'add-note' || change.prescriptionId === undefined) {
        const note: Communication = {
          resourceType: 'Communication',
          identifier: [{ system: RXBRIDGE_CHANGE_SYSTEM, value: change.key }],
          status: 'completed',
          category: [{ text: 'Pharmacy profile note' }],
          subject: { identifier: { system: systems.patientId, value: change.patientId } },
          sent: now().toISOString(),
          payload: [{ contentString: `${change.drug}: ${change.note ?? change.reason}` }],
        };
        const out = await client.createIfNoneExist(
          note,
          `identifier=${RXBRIDGE_CHANGE_SYSTEM}|${change.key}`,
        );
        return { applied: out.outcome !== 'existing', reference: `Communication/${out.id ?? '?'}` };
      }
      const rxNumber = await options.rxNumberOf(change.patientId, change.prescriptionId);
      if (rxNumber === undefined) {
        throw new RxBridgeError(ErrorCode.NotFound, `prescription ${change.prescriptionId} has no Rx number`);
      }
      const criteria = `identifier=${systems.rxNumber}|${rxNumber}`;
      const found = await client.searchAll<MedicationRequest>('MedicationRequest', {
        identifier: `${systems.rxNumber}|${rxNumber}`,
      });
      const current = found.matches[0];
      if (!current)
        throw new RxBridgeError(ErrorCode.NotFound, `MedicationRequest for Rx ${rxNumber} not found`);
      // Idempotent: a change already carried (its key in the extension list) is not written again.
      const marks = current.identifier ?? [];
      if (marks.some((i) => i.system === RXBRIDGE_CHANGE_SYSTEM && i.value === change.key)) {
        return { applied: false, reference: `MedicationRequest/${current.id ?? '?'}` };
      }
      const next: MedicationRequest = structuredClone(current);
      next.identifier = [...marks, { system: RXBRIDGE_CHANGE_SYSTEM, value: change.key }];
      const status = STATUS[change.action];
      if (status) next.status = status;
      if (change.action === 'update-regimen') {
        const dosage = { ...(next.dosageInstruction?.[0] ?? {}) };
        if (change.sig) dosage.text = change.sig;
        if (change.frequencyPerDay !== undefined) {
          dosage.timing = { repeat: { frequency: change.frequencyPerDay, period: 1, periodUnit: 'd' } };
        }
        if (change.strength) {
          dosage.doseAndRate = [
            { doseQuantity: { value: change.strength.value, unit: change.strength.unit } },
          ];
        }
        next.dosageInstruction = [dosage, ...(next.dosageInstruction?.slice(1) ?? [])];
      }
      next.note = [...(next.note ?? []), { text: change.reason, time: now().toISOString() }];
      const out = await client.conditionalUpdate(next, criteria);
      return { applied: true, reference: `MedicationRequest/${out.id ?? current.id ?? '?'}` };
    },
  };
}
