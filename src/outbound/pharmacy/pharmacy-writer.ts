// PharmacyWriter port: write-back of an approved decision to the pharmacy system, idempotent by key.

/** One change to the pharmacy's profile. `key` is deterministic (task + item): the same key never writes twice. */
export interface PrescriptionChange {
  key: string;
  patientId: string;
  /** The prescription changed; absent for a profile note about a medicine the pharmacy has no prescription for. */
  prescriptionId?: string;
  action: 'discontinue' | 'hold' | 'update-regimen' | 'add-note';
  sig?: string;
  strength?: { value: number; unit: string };
  frequencyPerDay?: number;
  /** Profile note text (add-note), or the reason shown beside a change. */
  note?: string;
  /** Drug name as the task shows it (for messages and notes; never logged). */
  drug: string;
  /** `user:<id>` of the pharmacist who decided. */
  decidedBy: string;
  reason: string;
}

export interface WriteReceipt {
  /** False when the key had been applied before: nothing was written this time. */
  applied: boolean;
  /** Where it went: a prescription id, a FHIR reference, an HL7 control id. */
  reference: string;
}

export interface PharmacyWriter {
  /** Names the adapter in effect records: `embedded`, `fhir:<endpoint>`, `hl7v2:<host:port>`. */
  readonly name: string;
  apply(change: PrescriptionChange): Promise<WriteReceipt>;
}
