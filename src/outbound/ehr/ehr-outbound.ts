// EHR outbound: what an approved task sends to the EHR through the EhrClient port (conditional create, so a retry
// never duplicates) — the note to the PCP (Communication or DocumentReference), MedicationDispense, Immunization
// (built here, or a dispense or vaccination the pharmacy reported made ready for the EHR).
import type {
  Communication,
  DocumentReference,
  Identifier,
  Immunization,
  MedicationDispense,
  Resource,
} from '@medplum/fhirtypes';
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import type { EhrClient } from '../../platform/ehr/ehr-client.ts';
import type { ConsentGate } from '../consent-gate.ts';

/** Every resource RxBridge sends carries this identifier system with the effect key: the If-None-Exist criterion. */
export const EFFECT_SYSTEM = 'urn:rxbridge:effect';

export interface PatientRef {
  /** Pharmacy patient id (for consent and audit). */
  pharmacyPatientId: string;
  /** The EHR's identifier for the patient (MRN with its system). */
  ehrIdentifier?: { system: string; value: string };
  display: string;
}

export interface NoteToPcp {
  key: string;
  patient: PatientRef;
  pcp: string;
  /** The pharmacist's final text (drafted by the engine, edited by the pharmacist). */
  text: string;
  author: string;
  at: Date;
  /** `communication` (default) or `document` (DocumentReference, for EHRs that file notes as documents). */
  as?: 'communication' | 'document';
}

function subject(patient: PatientRef): { identifier?: { system: string; value: string }; display: string } {
  return patient.ehrIdentifier
    ? { identifier: patient.ehrIdentifier, display: patient.display }
    : { display: patient.display };
}

export function noteResource(note: NoteToPcp): Communication | DocumentReference {
  const identifier = [{ system: EFFECT_SYSTEM, value: note.key }];
  if (note.as === 'document') {
    return {
      resourceType: 'DocumentReference',
      identifier,
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '34133-9', display: 'Summary of episode note' }] },
      subject: subject(note.patient),
      date: note.at.toISOString(),
      author: [{ display: note.author }],
      description: 'Pharmacist note to the primary care provider',
      content: [
        {
          attachment: {
            contentType: 'text/plain; charset=utf-8',
            data: Buffer.from(note.text, 'utf8').toString('base64'),
            title: 'Pharmacist note',
          },
        },
      ],
    };
  }
  return {
    resourceType: 'Communication',
    identifier,
    status: 'completed',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'notification' },
        ],
      },
    ],
    subject: subject(note.patient),
    sent: note.at.toISOString(),
    recipient: [{ display: note.pcp }],
    sender: { display: note.author },
    payload: [{ contentString: note.text }],
  };
}

export interface DispenseInput {
  key: string;
  patient: PatientRef;
  drug: string;
  rxcui?: string;
  quantity?: number;
  daysSupply?: number;
  sig?: string;
  handedOver: Date;
}

export function dispenseResource(input: DispenseInput): MedicationDispense {
  return {
    resourceType: 'MedicationDispense',
    identifier: [{ system: EFFECT_SYSTEM, value: input.key }],
    status: 'completed',
    medicationCodeableConcept: {
      text: input.drug,
      ...(input.rxcui
        ? { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: input.rxcui }] }
        : {}),
    },
    subject: subject(input.patient),
    ...(input.quantity !== undefined ? { quantity: { value: input.quantity } } : {}),
    ...(input.daysSupply !== undefined
      ? { daysSupply: { value: input.daysSupply, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' } }
      : {}),
    whenHandedOver: input.handedOver.toISOString(),
    ...(input.sig ? { dosageInstruction: [{ text: input.sig }] } : {}),
  };
}

export interface ImmunizationInput {
  key: string;
  patient: PatientRef;
  cvx: string;
  vaccine: string;
  occurrence: Date;
  lot?: string;
}

export function immunizationResource(input: ImmunizationInput): Immunization {
  return {
    resourceType: 'Immunization',
    identifier: [{ system: EFFECT_SYSTEM, value: input.key }],
    status: 'completed',
    vaccineCode: {
      coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: input.cvx, display: input.vaccine }],
    },
    patient: subject(input.patient),
    occurrenceDateTime: input.occurrence.toISOString(),
    primarySource: true,
    ...(input.lot ? { lotNumber: input.lot } : {}),
  };
}

export interface EhrSendResult {
  /** created: sent now; existing: the EHR already had it (a retry); refused: consent said no, nothing left. */
  outcome: 'created' | 'existing' | 'refused';
  reference: string;
  detail: string;
}

/**
 * Sends one resource to the EHR once: consent first (nothing leaves without it), then a conditional create keyed by
 * the effect identifier.
 */
export async function sendToEhr(
  deps: { client: EhrClient; consent: ConsentGate },
  patientId: string,
  resource: Resource & { identifier?: Array<{ system?: string; value?: string }> },
): Promise<EhrSendResult> {
  const key = resource.identifier?.find((i) => i.system === EFFECT_SYSTEM)?.value;
  if (!key)
    throw new RxBridgeError(ErrorCode.InvalidInput, `${resource.resourceType} has no effect identifier`);
  const consent = await deps.consent.check({
    patient: patientId,
    recipient: `ehr:${deps.client.endpoint}`,
    purpose: 'TREAT',
    dataType: resource.resourceType,
  });
  if (!consent.allowed) return { outcome: 'refused', reference: '', detail: `consent: ${consent.reason}` };
  const out = await deps.client.createIfNoneExist(resource, `identifier=${EFFECT_SYSTEM}|${key}`);
  const reference = `${out.resourceType}/${out.id ?? '?'}`;
  return {
    outcome: out.outcome === 'existing' ? 'existing' : 'created',
    reference,
    detail: `${resource.resourceType} ${out.outcome === 'existing' ? 'already in' : 'sent to'} ${deps.client.endpoint}`,
  };
}

type AnyReference = { reference?: string; identifier?: Identifier; display?: string };

/**
 * A reference that means something outside the message it came from: its identifier and display. Local references
 * (`urn:uuid:` entries of the source bundle) point at nothing in the EHR and are dropped.
 */
function portable(ref: AnyReference | undefined): { identifier?: Identifier; display?: string } | undefined {
  if (!ref || (ref.identifier === undefined && ref.display === undefined)) return undefined;
  return {
    ...(ref.identifier !== undefined ? { identifier: ref.identifier } : {}),
    ...(ref.display !== undefined ? { display: ref.display } : {}),
  };
}

function withEffectKey(identifiers: Identifier[] | undefined, key: string): Identifier[] {
  return [
    ...(identifiers ?? []).filter((i) => i.system !== EFFECT_SYSTEM),
    { system: EFFECT_SYSTEM, value: key },
  ];
}

/**
 * A MedicationDispense reported by the pharmacy (as mapped from RDS^O13) made ready for the EHR: the subject is the
 * patient's EHR identifier, local references are replaced by what travels (identifier, display), and the effect key
 * is added as an identifier for the conditional create.
 */
export function dispenseForEhr(
  source: MedicationDispense,
  key: string,
  patient: PatientRef,
): MedicationDispense {
  const performers = (source.performer ?? []).flatMap((p) => {
    const actor = portable(p.actor);
    return actor ? [{ ...(p.function ? { function: p.function } : {}), actor }] : [];
  });
  const prescriptions = (source.authorizingPrescription ?? []).flatMap((r) => portable(r) ?? []);
  const medication = source.medicationCodeableConcept ?? {
    text: source.medicationReference?.display ?? 'unnamed product',
  };
  return {
    resourceType: 'MedicationDispense',
    identifier: withEffectKey(source.identifier, key),
    status: source.status,
    ...(source.statusReasonCodeableConcept
      ? { statusReasonCodeableConcept: source.statusReasonCodeableConcept }
      : {}),
    ...(source.category ? { category: source.category } : {}),
    medicationCodeableConcept: medication,
    subject: subject(patient),
    ...(performers.length > 0 ? { performer: performers } : {}),
    ...(prescriptions.length > 0 ? { authorizingPrescription: prescriptions } : {}),
    ...(source.type ? { type: source.type } : {}),
    ...(source.quantity ? { quantity: source.quantity } : {}),
    ...(source.daysSupply ? { daysSupply: source.daysSupply } : {}),
    ...(source.whenPrepared ? { whenPrepared: source.whenPrepared } : {}),
    ...(source.whenHandedOver ? { whenHandedOver: source.whenHandedOver } : {}),
    ...(source.note
      ? { note: source.note.map((n) => ({ text: n.text, ...(n.time ? { time: n.time } : {}) })) }
      : {}),
    ...(source.dosageInstruction ? { dosageInstruction: source.dosageInstruction } : {}),
  };
}

/** An Immunization reported by the pharmacy (as mapped from VXU^V04) made ready for the EHR, as for dispenses. */
export function immunizationForEhr(source: Immunization, key: string, patient: PatientRef): Immunization {
  const performers = (source.performer ?? []).flatMap((p) => {
    const actor = portable(p.actor);
    return actor ? [{ ...(p.function ? { function: p.function } : {}), actor }] : [];
  });
  const manufacturer = portable(source.manufacturer);
  return {
    resourceType: 'Immunization',
    identifier: withEffectKey(source.identifier, key),
    status: source.status,
    ...(source.statusReason ? { statusReason: source.statusReason } : {}),
    vaccineCode: source.vaccineCode,
    patient: subject(patient),
    ...(source.occurrenceDateTime !== undefined
      ? { occurrenceDateTime: source.occurrenceDateTime }
      : { occurrenceString: source.occurrenceString ?? 'unknown' }),
    ...(source.recorded ? { recorded: source.recorded } : {}),
    ...(source.primarySource !== undefined ? { primarySource: source.primarySource } : {}),
    ...(source.reportOrigin ? { reportOrigin: source.reportOrigin } : {}),
    ...(manufacturer ? { manufacturer } : {}),
    ...(source.lotNumber ? { lotNumber: source.lotNumber } : {}),
    ...(source.expirationDate ? { expirationDate: source.expirationDate } : {}),
    ...(source.site ? { site: source.site } : {}),
    ...(source.route ? { route: source.route } : {}),
    ...(source.doseQuantity ? { doseQuantity: source.doseQuantity } : {}),
    ...(performers.length > 0 ? { performer: performers } : {}),
    ...(source.note
      ? { note: source.note.map((n) => ({ text: n.text, ...(n.time ? { time: n.time } : {}) })) }
      : {}),
    ...(source.reasonCode ? { reasonCode: source.reasonCode } : {}),
    ...(source.isSubpotent !== undefined ? { isSubpotent: source.isSubpotent } : {}),
  };
}
