// Writing to the pharmacy system through the PharmacySystem port, once per deterministic key.
import type {
  PharmacyPrescription,
  PharmacyProfile,
  PharmacySystem,
} from '../../platform/pharmacy/pharmacy-system.ts';
import type { PharmacyWrite } from './proposals.ts';

/**
 * Write-back: until the pharmacy port carries writes itself (workspace issue #8), rollout applies its changes
 * through this small interface. `apply` is idempotent by `write.key`: a second call with the same key changes
 * nothing and says so.
 */
export interface PharmacyWriteBack {
  apply(write: PharmacyWrite): Promise<{ applied: boolean }>;
}

export type WritablePharmacy = PharmacySystem & PharmacyWriteBack;

function patch(rx: PharmacyPrescription, write: PharmacyWrite): void {
  if (write.status !== undefined) rx.status = write.status;
  if (write.strength !== undefined) {
    rx.strength = { ...write.strength };
    rx.sig = `${rx.sig} [strength ${write.strength.value} ${write.strength.unit} per discharge]`;
  }
  if (write.frequencyPerDay !== undefined) rx.frequencyPerDay = write.frequencyPerDay;
}

/**
 * A PharmacySystem whose profiles show every applied write on top of `base` (the embedded demo pharmacy, or
 * any read-only adapter). Writes live in memory for the life of the object.
 */
export function createWritablePharmacy(base: PharmacySystem): WritablePharmacy {
  const applied = new Map<string, PharmacyWrite>();
  const byPatient = new Map<string, PharmacyWrite[]>();
  return {
    findPatient: (query) => base.findPatient(query),
    listPatients: () => base.listPatients(),
    async getProfile(patientId): Promise<PharmacyProfile | undefined> {
      const profile = await base.getProfile(patientId);
      if (profile === undefined) return undefined;
      for (const write of byPatient.get(patientId) ?? []) {
        const rx = profile.prescriptions.find((p) => p.id === write.prescriptionId);
        if (rx) patch(rx, write);
      }
      return profile;
    },
    async apply(write) {
      if (applied.has(write.key)) return { applied: false };
      const profile = await base.getProfile(write.patientId);
      if (!profile?.prescriptions.some((p) => p.id === write.prescriptionId)) {
        throw new Error(`prescription ${write.prescriptionId} not found for patient ${write.patientId}`);
      }
      applied.set(write.key, structuredClone(write));
      const list = byPatient.get(write.patientId) ?? [];
      list.push(structuredClone(write));
      byPatient.set(write.patientId, list);
      return { applied: true };
    },
  };
}

/** Whether the pharmacy's current state shows what `write` would set (later-state validation). */
export function stateShows(profile: PharmacyProfile | undefined, write: PharmacyWrite): boolean {
  const rx = profile?.prescriptions.find((p) => p.id === write.prescriptionId);
  if (rx === undefined) return false;
  if (write.status !== undefined && rx.status !== write.status) return false;
  if (
    write.strength !== undefined &&
    (rx.strength?.value !== write.strength.value ||
      rx.strength.unit.toLowerCase() !== write.strength.unit.toLowerCase())
  )
    return false;
  if (write.frequencyPerDay !== undefined && rx.frequencyPerDay !== write.frequencyPerDay) return false;
  return true;
}
