// One pharmacy order group (ORC + RXE or RXO with TQ1/RXR/RXC) -> MedicationRequest with full Dosage and dispense request.
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type {
  CodeableConcept,
  Dosage,
  Encounter,
  Identifier,
  Medication,
  MedicationRequest,
  Reference,
} from '../../kernel/fhir.ts';
import { warningIssue } from '../../kernel/result.ts';
import { ORDER_CONTROL_STATUS, ORDER_STATUS } from './code-tables.ts';
import {
  readUnit,
  toCodeableConcept,
  toEntityIdentifier,
  toFhirDateTime,
  toQuantity,
} from './hl7-datatypes.ts';
import type { MapRun } from './map-context.ts';
import type { TimingResult } from './map-dosage.ts';
import { applyRxr, dosesPerDay, timingFromTq, timingFromTq1 } from './map-dosage.ts';
import type { MappedPatient } from './map-patient.ts';
import { mapPractitioner } from './map-patient.ts';
import type { OrderGroup, OrderPart } from './order-groups.ts';
import { childrenOf, orderPart } from './order-groups.ts';

/** Field numbers of the same facts in RXE (ch. 4A.4.1) and RXO (ch. 4A.4.2). */
interface OrderFields {
  code: number;
  doseMin: number;
  doseMax: number;
  doseUnits: number;
  instructions: number;
  substitution: number;
  dispenseAmount: number;
  dispenseUnits: number;
  refills: number;
  rateAmount: number;
  rateUnits: number;
  indication: number;
  prescriptionNumber: number | undefined;
  timing: number | undefined;
}

const RXE: OrderFields = {
  code: 2,
  doseMin: 3,
  doseMax: 4,
  doseUnits: 5,
  instructions: 7,
  substitution: 9,
  dispenseAmount: 10,
  dispenseUnits: 11,
  refills: 12,
  rateAmount: 23,
  rateUnits: 24,
  indication: 27,
  prescriptionNumber: 15,
  timing: 1,
};

const RXO: OrderFields = {
  code: 1,
  doseMin: 2,
  doseMax: 3,
  doseUnits: 4,
  instructions: 7,
  substitution: 9,
  dispenseAmount: 11,
  dispenseUnits: 12,
  refills: 13,
  rateAmount: 21,
  rateUnits: 22,
  indication: 20,
  prescriptionNumber: undefined,
  timing: undefined,
};

/** CWE repetitions as one line of text (administration instructions are usually free text in component 2). */
function instructionsText(seg: Hl7Segment, field: number): string {
  const lines: string[] = [];
  for (let r = 1; r <= seg.repetitions(field); r++) {
    const text = seg.read(field, r, 9, 0) || seg.read(field, r, 2, 0) || seg.read(field, r, 1, 0);
    if (text !== '') lines.push(text);
  }
  return lines.join('; ');
}

/** Timing from the part's own TQ1, else the RXE's (for an RXD), else the ORC's TQ1, else RXE-1 / ORC-7 (TQ). */
export function orderTiming(run: MapRun, group: OrderGroup, part: OrderPart, tqField?: number): TimingResult {
  const tq1 =
    childrenOf(part, 'TQ1')[0] ??
    childrenOf(orderPart(group, 'RXE'), 'TQ1')[0] ??
    childrenOf(group.parts[0], 'TQ1')[0];
  if (tq1) return timingFromTq1(run, tq1);
  if (part.head && tqField !== undefined && part.head.get(tqField) !== '')
    return timingFromTq(run, part.head, tqField);
  if (group.orc && group.orc.get(7) !== '') return timingFromTq(run, group.orc, 7);
  return {};
}

/** Builds a Dosage from an RX* head (dose and rate fields given), its timing and its RXR. */
export function buildDosage(
  run: MapRun,
  head: Hl7Segment,
  part: OrderPart,
  timing: TimingResult,
  fields: {
    doseMin?: number;
    doseMax?: number;
    doseUnits?: number;
    instructions?: number;
    rateAmount?: number;
    rateUnits?: number;
  },
): Dosage {
  const dosage: Dosage = {};
  const instructions = fields.instructions === undefined ? '' : instructionsText(head, fields.instructions);
  const text = [instructions, timing.text ?? ''].filter((t) => t !== '').join('; ');
  if (text !== '') dosage.text = text;
  if (timing.condition !== undefined && !timing.asNeeded)
    dosage.additionalInstruction = [{ text: timing.condition }];
  if (timing.timing) dosage.timing = timing.timing;
  if (timing.asNeeded) {
    if (timing.condition !== undefined && !/^PRN$/i.test(timing.condition))
      dosage.asNeededCodeableConcept = { text: timing.condition };
    else dosage.asNeededBoolean = true;
  }
  applyRxr(run, dosage, childrenOf(part, 'RXR')[0], `${head.name}/RXR`);
  const unit = fields.doseUnits === undefined ? undefined : readUnit(head, fields.doseUnits);
  const min = fields.doseMin === undefined ? undefined : toQuantity(head.get(fields.doseMin), unit);
  const max = fields.doseMax === undefined ? undefined : toQuantity(head.get(fields.doseMax), unit);
  const rate =
    fields.rateAmount === undefined || fields.rateUnits === undefined
      ? undefined
      : toQuantity(head.get(fields.rateAmount), readUnit(head, fields.rateUnits));
  const doseAndRate: NonNullable<Dosage['doseAndRate']>[number] = {};
  if (min && max && max.value !== min.value) doseAndRate.doseRange = { low: min, high: max };
  else if (min) doseAndRate.doseQuantity = min;
  if (rate) doseAndRate.rateQuantity = rate;
  if (Object.keys(doseAndRate).length > 0) dosage.doseAndRate = [doseAndRate];
  return dosage;
}

/** Order status: ORC-5 (table 0038) first, then ORC-1 (table 0119). */
function statusOf(run: MapRun, orc: Hl7Segment | undefined, where: string): MedicationRequest['status'] {
  if (!orc) {
    run.issues.push(warningIssue('required', where, 'order without an ORC segment; status unknown'));
    return 'unknown';
  }
  const row = ORDER_STATUS.lookup(orc.get('5')) ?? ORDER_CONTROL_STATUS.lookup(orc.get('1'));
  if (!row) {
    run.issues.push(
      warningIssue('value', `${where}-1`, 'order control/status not in table 0119/0038; status unknown'),
    );
    return 'unknown';
  }
  return row.to as MedicationRequest['status'];
}

/** The order's identifiers: ORC-2 placer (PLAC), ORC-3 filler (FILL), prescription number. */
export function orderIdentifiers(run: MapRun, orc: Hl7Segment | undefined, rxNumber: string): Identifier[] {
  const local = `urn:rxbridge:sender:${encodeURIComponent(run.sender)}`;
  const ids: Identifier[] = [];
  if (orc) {
    const placer = toEntityIdentifier(orc, 2, `${local}:placer`, 'PLAC');
    if (placer) ids.push(placer);
    const filler = toEntityIdentifier(orc, 3, `${local}:filler`, 'FILL');
    if (filler) ids.push(filler);
  }
  if (rxNumber !== '') {
    const authority = orc?.read(3, 1, 2, 0) ?? '';
    ids.push({
      system: `urn:rxbridge:rx-number:${encodeURIComponent(authority !== '' ? authority : run.sender)}`,
      value: rxNumber,
      type: { text: 'Prescription number' },
    });
  }
  return ids;
}

const usedKeys = new WeakMap<MapRun, Map<string, number>>();

/**
 * The key an order is known by: its first identifier, else the message and group position. A key that two groups of
 * one message share (a sender reusing a placer number) is qualified by the group, so neither order is lost.
 */
export function orderKey(run: MapRun, ids: readonly Identifier[], group: OrderGroup): string {
  const first = ids[0];
  if (first?.value === undefined) return `message:${run.sender}|${run.msg.controlId}|${group.position}`;
  const key = `${first.system ?? ''}|${first.value}`;
  const seen = usedKeys.get(run) ?? new Map<string, number>();
  usedKeys.set(run, seen);
  const owner = seen.get(key);
  if (owner === undefined || owner === group.position) {
    seen.set(key, group.position);
    return key;
  }
  run.issues.push(
    warningIssue(
      'duplicate',
      `ORC[${group.position}]-2`,
      'order number repeats an earlier order group; kept apart by position',
    ),
  );
  return `${key}|group:${group.position}`;
}

/** RXC components -> a Medication with ingredients (an IV mix or compound), code = the order's give code. */
function mapComponents(
  run: MapRun,
  part: OrderPart,
  code: CodeableConcept,
  requestId: string,
): Reference<Medication> | undefined {
  const rxcs = childrenOf(part, 'RXC');
  if (rxcs.length === 0) return undefined;
  const ingredient: NonNullable<Medication['ingredient']> = [];
  rxcs.forEach((rxc, i) => {
    const item = toCodeableConcept(rxc, 2);
    if (!item) {
      run.issues.push(
        warningIssue('required', `RXC[${i + 1}]-2`, 'component code is empty; component left out'),
      );
      return;
    }
    const strength = toQuantity(rxc.get(5), readUnit(rxc, 6)) ?? toQuantity(rxc.get(3), readUnit(rxc, 4));
    ingredient.push({
      itemCodeableConcept: item,
      // HL7 v2.5.1 table 0166: B = base, A = additive.
      isActive: rxc.get(1).toUpperCase() !== 'B',
      ...(strength ? { strength: { numerator: strength, denominator: { value: 1 } } } : {}),
    });
  });
  if (ingredient.length === 0) return undefined;
  return run.add({
    resourceType: 'Medication',
    id: stableId('hl7v2', 'Medication', requestId),
    code,
    ingredient,
  } satisfies Medication & { id: string });
}

export interface MedicationRequestOptions {
  intent: MedicationRequest['intent'];
  /** Which part carries the order: RXE (pharmacy-encoded) or RXO (as the prescriber ordered it). */
  source: 'RXE' | 'RXO';
}

/** Maps one order group; undefined (with a warning) when it has no RXE/RXO or no give code. */
export function mapMedicationRequest(
  run: MapRun,
  group: OrderGroup,
  patient: MappedPatient,
  encounter: Reference<Encounter> | undefined,
  options: MedicationRequestOptions,
): Reference<MedicationRequest> | undefined {
  const part = orderPart(group, options.source);
  const where = `ORC[${group.position}]`;
  if (!part?.head) {
    run.issues.push(
      warningIssue('required', where, `order group has no ${options.source} segment; not mapped`),
    );
    return undefined;
  }
  const head = part.head;
  const f = options.source === 'RXE' ? RXE : RXO;
  const medication = toCodeableConcept(head, f.code);
  if (!medication) {
    run.issues.push(
      warningIssue('required', `${head.name}-${f.code}`, 'give code is empty; order not mapped'),
    );
    return undefined;
  }
  const rxNumber = f.prescriptionNumber === undefined ? '' : head.get(f.prescriptionNumber);
  const identifiers = orderIdentifiers(run, group.orc, rxNumber);
  const id = stableId('hl7v2', 'MedicationRequest', patient.key, orderKey(run, identifiers, group));
  const timing = orderTiming(run, group, part, f.timing);
  const dosage = buildDosage(run, head, part, timing, f);
  const request: MedicationRequest & { id: string } = {
    resourceType: 'MedicationRequest',
    id,
    status: statusOf(run, group.orc, where),
    intent: options.intent,
    medicationCodeableConcept: medication,
    subject: patient.reference,
  };
  if (identifiers.length > 0) request.identifier = identifiers;
  if (encounter) request.encounter = encounter;
  if (timing.priority) request.priority = timing.priority;
  const authored =
    toFhirDateTime(group.orc?.get('9.1') ?? '', run.defaultOffset) ??
    (options.source === 'RXE' ? toFhirDateTime(head.get('32.1'), run.defaultOffset) : undefined);
  if (authored) request.authoredOn = authored;
  const requester = group.orc ? mapPractitioner(run, group.orc, 12) : undefined;
  if (requester) request.requester = requester;
  const indication = toCodeableConcept(head, f.indication);
  if (indication) request.reasonCode = [indication];
  if (Object.keys(dosage).length > 0) request.dosageInstruction = [dosage];

  const dispense: NonNullable<MedicationRequest['dispenseRequest']> = {};
  const dispenseUnit = readUnit(head, f.dispenseUnits);
  const quantity = toQuantity(head.get(f.dispenseAmount), dispenseUnit);
  if (quantity) dispense.quantity = quantity;
  const refills = head.get(f.refills);
  if (/^\d+$/.test(refills)) dispense.numberOfRepeatsAllowed = Number(refills);
  else if (refills !== '')
    run.issues.push(
      warningIssue('value', `${head.name}-${f.refills}`, 'number of refills is not a whole number'),
    );
  // v2.5.1 RXE/RXO carry no days supply: it is derived only when dispense and dose units agree on a regular schedule.
  const dose = dosage.doseAndRate?.[0]?.doseQuantity;
  const perDay = timing.asNeeded ? undefined : dosesPerDay(dosage.timing?.repeat);
  const doseUnit = readUnit(head, f.doseUnits);
  if (
    quantity?.value &&
    dose?.value &&
    perDay &&
    doseUnit.code.toUpperCase() === dispenseUnit.code.toUpperCase()
  ) {
    const days = Math.round((quantity.value / (dose.value * perDay)) * 100) / 100;
    dispense.expectedSupplyDuration = {
      value: days,
      unit: 'days',
      system: 'http://unitsofmeasure.org',
      code: 'd',
    };
  }
  if (Object.keys(dispense).length > 0) request.dispenseRequest = dispense;

  // HL7 v2.5.1 table 0167 substitution status: N / 1 = not authorized; G / T / 2+ = allowed.
  const substitution = head.get(f.substitution).toUpperCase();
  if (/^(N|1)$/.test(substitution)) request.substitution = { allowedBoolean: false };
  else if (/^(G|T|Y|[2-8])$/.test(substitution)) request.substitution = { allowedBoolean: true };

  const components = mapComponents(run, part, medication, id);
  if (components) request.supportingInformation = [components];
  const notes = childrenOf(part, 'NTE')
    .map((n) => n.getAll(3).join('\n'))
    .filter((t) => t !== '');
  if (notes.length > 0) request.note = notes.map((text) => ({ text }));
  return run.add(request);
}
