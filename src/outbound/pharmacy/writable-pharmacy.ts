// The embedded pharmacy made writable: approved changes layered over a read-only PharmacySystem (the demo store).
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import type {
  PharmacyPrescription,
  PharmacyProfile,
  PharmacySystem,
} from '../../platform/pharmacy/pharmacy-system.ts';
import type { PharmacyWriter, PrescriptionChange, WriteReceipt } from './pharmacy-writer.ts';
import type { WriteJournal } from './write-journal.ts';

export interface ProfileNote {
  key: string;
  at: string;
  drug: string;
  text: string;
  by: string;
}

export interface WritablePharmacy extends PharmacySystem, PharmacyWriter {
  /** Profile notes written by approved decisions, oldest first. */
  notesOf(patientId: string): ProfileNote[];
}

function patch(rx: PharmacyPrescription, change: PrescriptionChange): void {
  switch (change.action) {
    case 'discontinue':
      rx.status = 'discontinued';
      break;
    case 'hold':
      rx.status = 'on-hold';
      break;
    case 'update-regimen':
      if (change.sig !== undefined) rx.sig = change.sig;
      if (change.strength !== undefined) rx.strength = { ...change.strength };
      if (change.frequencyPerDay !== undefined) rx.frequencyPerDay = change.frequencyPerDay;
      break;
    case 'add-note':
      break;
  }
}

/**
 * Reads go to `base` with every applied change replayed on top, in order; `apply` is idempotent by key. With a
 * journal, each change is on disk before `apply` returns and the journal is replayed here, so approved changes
 * survive a restart; without one they live in this process (tests). The embedded store is the demo's and the
 * reference pharmacy; real pharmacy systems are written through the FHIR or HL7 v2 writers.
 */
export function createWritablePharmacy(
  base: PharmacySystem,
  now: () => Date = () => new Date(),
  journal?: WriteJournal,
): WritablePharmacy {
  const applied = new Map<string, WriteReceipt>();
  const changes = new Map<string, PrescriptionChange[]>();
  const notes = new Map<string, ProfileNote[]>();
  const remember = (change: PrescriptionChange, at: string): WriteReceipt => {
    if (change.action !== 'add-note') {
      const list = changes.get(change.patientId) ?? [];
      list.push(structuredClone(change));
      changes.set(change.patientId, list);
    } else {
      const list = notes.get(change.patientId) ?? [];
      list.push({
        key: change.key,
        at,
        drug: change.drug,
        text: change.note ?? change.reason,
        by: change.decidedBy,
      });
      notes.set(change.patientId, list);
    }
    const receipt: WriteReceipt = {
      applied: true,
      reference: change.prescriptionId ? `prescription/${change.prescriptionId}` : `note/${change.key}`,
    };
    applied.set(change.key, receipt);
    return receipt;
  };
  for (const entry of journal?.load() ?? []) remember(entry.change, entry.at);
  return {
    name: 'embedded',
    findPatient: (query) => base.findPatient(query),
    listPatients: () => base.listPatients(),
    async getProfile(patientId): Promise<PharmacyProfile | undefined> {
      const profile = await base.getProfile(patientId);
      if (profile === undefined) return undefined;
      for (const change of changes.get(patientId) ?? []) {
        const rx = profile.prescriptions.find((p) => p.id === change.prescriptionId);
        if (rx) patch(rx, change);
      }
      return profile;
    },
    notesOf: (patientId) => structuredClone(notes.get(patientId) ?? []),
    async apply(change) {
      const before = applied.get(change.key);
      if (before) return { ...before, applied: false };
      const profile = await base.getProfile(change.patientId);
      if (!profile)
        throw new RxBridgeError(ErrorCode.NotFound, `pharmacy patient ${change.patientId} not found`);
      if (
        change.action !== 'add-note' &&
        !profile.prescriptions.some((p) => p.id === change.prescriptionId)
      ) {
        throw new RxBridgeError(
          ErrorCode.NotFound,
          `prescription ${change.prescriptionId ?? '(none)'} not found`,
        );
      }
      const at = now().toISOString();
      journal?.append({ change, at });
      return remember(change, at);
    },
  };
}
