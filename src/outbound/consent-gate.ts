// Consent before anything leaves: the small question the outbound effects ask. The governance consent registry
// (src/governance/consent, issue #9) answers it once it lands; until then main.ts wires `treatmentConsent`.

export interface ConsentQuestion {
  /** Pharmacy patient id. */
  patient: string;
  /** Who receives the data: `ehr:<endpoint>`, `pcp:<name>`, `pharmacy:<system>`. */
  recipient: string;
  /** HL7 v3 PurposeOfUse: TREAT for care coordination. */
  purpose: 'TREAT' | 'HPAYMT' | 'HOPERAT';
  /** What is sent, e.g. `Communication`, `MedicationDispense`, `RDE^O11`. */
  dataType: string;
}

export interface ConsentDecision {
  allowed: boolean;
  /** Plain words for the pharmacist, e.g. "patient opted out of sharing with the PCP on 2026-10-02". */
  reason: string;
}

export interface ConsentGate {
  check(question: ConsentQuestion): Promise<ConsentDecision>;
}

/**
 * HIPAA permits disclosure for treatment without an authorization: everything for TREAT is allowed unless the
 * patient has an explicit opt-out listed here. Other purposes are refused (they need a recorded consent).
 */
export function treatmentConsent(optOuts: ReadonlyMap<string, string> = new Map()): ConsentGate {
  return {
    check(q) {
      const optOut = optOuts.get(q.patient);
      if (optOut !== undefined) return Promise.resolve({ allowed: false, reason: optOut });
      if (q.purpose !== 'TREAT')
        return Promise.resolve({ allowed: false, reason: `no recorded consent for ${q.purpose}` });
      return Promise.resolve({ allowed: true, reason: 'treatment (no opt-out on file)' });
    },
  };
}
