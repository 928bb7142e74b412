// Auto mode writes through the pharmacy write-back the workspace uses (outbound PharmacyWriter: the embedded
// pharmacy, FHIR or HL7 v2 writers). Declared here by shape, since review may not import outbound.
import type { PharmacyProfile } from '../../platform/pharmacy/pharmacy-system.ts';
import type { PharmacyWrite } from './proposals.ts';

/** A write with who decided and why: a PrescriptionChange of the outbound PharmacyWriter port. */
export interface PharmacyChange extends PharmacyWrite {
  decidedBy: string;
  reason: string;
}

/** Idempotent by `change.key`: a second call with the same key changes nothing and says so. */
export interface PharmacyWriteBack {
  apply(change: PharmacyChange): Promise<{ applied: boolean }>;
}

/** Whether the pharmacy's current state shows what `write` would set (later-state validation). */
export function stateShows(profile: PharmacyProfile | undefined, write: PharmacyWrite): boolean {
  const rx = profile?.prescriptions.find((p) => p.id === write.prescriptionId);
  if (rx === undefined) return false;
  if (write.action === 'discontinue') return rx.status === 'discontinued';
  if (write.action === 'hold') return rx.status === 'on-hold';
  if (
    write.strength !== undefined &&
    (rx.strength?.value !== write.strength.value ||
      rx.strength.unit.toLowerCase() !== write.strength.unit.toLowerCase())
  )
    return false;
  if (write.frequencyPerDay !== undefined && rx.frequencyPerDay !== write.frequencyPerDay) return false;
  return true;
}
