// Minimum necessary: per-workflow field policies for what may leave RxBridge and what may go into an LLM prompt.
// A policy lists the fields allowed; everything else is removed (allow-list, never a deny-list).

export interface FieldPolicy {
  workflow: string;
  /** FHIR resource type → allowed top-level fields (plus resourceType, always kept). */
  allow: Readonly<Record<string, readonly string[]>>;
}

/** What leaves to an EHR with a dispense or a note to the prescriber. */
export const OUTBOUND_DISPENSE: FieldPolicy = {
  workflow: 'outbound-dispense',
  allow: {
    MedicationDispense: [
      'id',
      'status',
      'medicationCodeableConcept',
      'subject',
      'quantity',
      'daysSupply',
      'whenHandedOver',
      'dosageInstruction',
      'authorizingPrescription',
      'performer',
    ],
    Patient: ['id', 'identifier', 'name', 'birthDate', 'gender'],
    Communication: ['id', 'status', 'subject', 'recipient', 'payload', 'sent', 'category'],
  },
};

/** An LLM reading a note gets the note text only: never names, identifiers, addresses, contacts or dates of birth. */
export const LLM_EXTRACTION: FieldPolicy = {
  workflow: 'llm-extraction',
  allow: {
    DocumentReference: ['content'],
    MedicationStatement: ['medicationCodeableConcept', 'dosage', 'status'],
  },
};

export function applyFieldPolicy<T extends { resourceType: string }>(
  policy: FieldPolicy,
  resource: T,
): Partial<T> | undefined {
  const allowed = policy.allow[resource.resourceType];
  if (!allowed) return undefined;
  const out: Record<string, unknown> = { resourceType: resource.resourceType };
  for (const key of allowed) {
    const value = (resource as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as Partial<T>;
}

/** Identifiers that must never reach an LLM prompt, replaced by placeholders (names are handled upstream). */
const PROMPT_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b\d{3}-\d{2}-\d{4}\b/g, '[SSN]'],
  [/\b(?:MRN|mrn|Medical Record(?: Number)?)[:#\s]*[A-Za-z0-9-]{4,}\b/g, '[MRN]'],
  [/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, '[EMAIL]'],
  [/(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g, '[PHONE]'],
  [/\b(?:DOB|Date of Birth)[:\s]*\d{1,4}[/-]\d{1,2}[/-]\d{1,4}\b/gi, '[DOB]'],
];

/** Redacts direct identifiers from text bound for an LLM prompt; the caller also passes known patient names. */
export function redactForPrompt(text: string, knownNames: readonly string[] = []): string {
  let out = text;
  for (const [pattern, label] of PROMPT_PATTERNS) out = out.replace(pattern, label);
  for (const name of knownNames) {
    if (name.trim().length < 2) continue;
    out = out.replace(new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'gi'), '[NAME]');
  }
  return out;
}
