// OBX -> Observation: value typed by OBX-2 (TX/ST/FT text, NM/SN quantity, CE/CWE concept, DT/TS date), code OBX-3.
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { CodeSystem } from '../../kernel/code-map.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Encounter, Observation, Patient, Quantity, Reference } from '../../kernel/fhir.ts';
import { warningIssue } from '../../kernel/result.ts';
import { INTERPRETATION, OBSERVATION_STATUS } from './code-tables.ts';
import { toCodeableConcept, toFhirDateTime } from './hl7-datatypes.ts';
import type { MapRun } from './map-context.ts';

const NUMBER = /^\s*(<=|>=|<|>)?\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*$/;

function quantity(obx: Hl7Segment, text: string): Quantity | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const q: Quantity = { value: Number(m[2]) };
  if (m[1] !== undefined) q.comparator = m[1] as NonNullable<Quantity['comparator']>;
  const unitCode = obx.get('6.1');
  const unitText = obx.get('6.2') || unitCode;
  if (unitText !== '') q.unit = unitText;
  const unitSystem = obx.get('6.3').toUpperCase();
  // UCUM when the sender says so (OBX-6.3) or, as is common, leaves the system empty for UCUM-shaped units.
  if (
    unitCode !== '' &&
    (unitSystem === 'UCUM' || (unitSystem === '' && /^[A-Za-z0-9%/.*{}[\]^_-]+$/.test(unitCode)))
  ) {
    q.system = CodeSystem.Ucum;
    q.code = unitCode;
  }
  return q;
}

const RANGE = /^\s*([+-]?\d+\.?\d*)\s*-\s*([+-]?\d+\.?\d*)\s*$/;
const BOUND = /^\s*(<=|>=|<|>)\s*([+-]?\d+\.?\d*)\s*$/;

/** OBX-7 "low-high", "<x", ">x" -> low/high in the result's unit; the text is always kept (HL7 v2.5.1 ch. 7.4.2.7). */
function referenceRange(obx: Hl7Segment, text: string): NonNullable<Observation['referenceRange']>[number] {
  const unitOf = (value: string): Quantity => {
    const q = quantity(obx, value);
    return q ?? { value: Number(value) };
  };
  const both = RANGE.exec(text);
  if (both) return { low: unitOf(both[1] as string), high: unitOf(both[2] as string), text };
  const bound = BOUND.exec(text);
  if (bound) {
    const q = unitOf(bound[2] as string);
    return bound[1]?.startsWith('<') ? { high: q, text } : { low: q, text };
  }
  return { text };
}

/** `position` is the OBX's place among the message's OBX segments (set ids repeat across OBR groups). */
export function mapObservation(
  run: MapRun,
  obx: Hl7Segment,
  position: number,
  subject: Reference<Patient>,
  encounter: Reference<Encounter> | undefined,
): Reference<Observation> {
  const where = position > 1 ? `OBX[${position}]` : 'OBX';
  const statusCode = obx.get('11.1');
  const status = OBSERVATION_STATUS.lookup(statusCode);
  const code = toCodeableConcept(obx, 3);
  if (!code) run.issues.push(warningIssue('required', `${where}-3`, 'observation identifier is empty'));
  const observation: Observation & { id: string } = {
    resourceType: 'Observation',
    // Message-scoped: the control id and position identify this result, so a replay yields the same id.
    id: stableId('hl7v2', 'Observation', run.sender, run.msg.controlId, String(position)),
    status: (status?.to ?? 'unknown') as Observation['status'],
    code: code ?? { text: 'unknown' },
    subject,
  };
  if (encounter) observation.encounter = encounter;
  const valueType = obx.get('2.1').toUpperCase();
  const repetitions = obx.getAll(5);
  const first = repetitions[0] ?? '';
  if (repetitions.length > 0 && first + repetitions.slice(1).join('') !== '') {
    switch (valueType) {
      case 'TX':
      case 'ST':
      case 'FT':
      case 'TN':
        // HL7 v2.5.1 ch. 7: each repetition of a TX/FT value is a line of the same text.
        observation.valueString = repetitions.join('\n');
        break;
      case 'NM':
      case 'SN': {
        const text = valueType === 'SN' ? [obx.get('5.1'), obx.get('5.2')].join('') : first;
        const q = valueType === 'SN' && obx.get('5.3') !== '' ? undefined : quantity(obx, text);
        if (q) observation.valueQuantity = q;
        else {
          observation.valueString =
            valueType === 'SN'
              ? [obx.get('5.1'), obx.get('5.2'), obx.get('5.3'), obx.get('5.4')].join('')
              : first;
          run.issues.push(
            warningIssue('value', `${where}-5`, `${valueType} value is not a plain number; kept as text`),
          );
        }
        break;
      }
      case 'CE':
      case 'CWE':
      case 'CNE':
      case 'CF': {
        const cc = toCodeableConcept(obx, 5);
        if (cc) observation.valueCodeableConcept = cc;
        break;
      }
      case 'DT':
      case 'TS':
      case 'DTM': {
        const dt = toFhirDateTime(obx.get('5.1'), run.defaultOffset);
        if (dt) observation.valueDateTime = dt;
        else
          run.issues.push(warningIssue('value', `${where}-5`, `${valueType} value is not a date; left out`));
        break;
      }
      case 'ED':
      case 'RP':
        run.issues.push(
          warningIssue('not-supported', `${where}-5`, `${valueType} (document) values are not mapped yet`),
        );
        break;
      default:
        observation.valueString = repetitions.join('\n');
        run.issues.push(
          warningIssue(
            'not-supported',
            `${where}-2`,
            `value type ${valueType || '(empty)'} is not mapped; kept as text`,
          ),
        );
    }
  }
  const range = obx.get(7);
  if (range !== '') observation.referenceRange = [referenceRange(obx, range)];
  const flag = obx.get('8.1');
  if (flag !== '') {
    const row = INTERPRETATION.lookup(flag);
    observation.interpretation = [
      row
        ? { coding: [{ system: INTERPRETATION.system, code: row.to, display: row.display }] }
        : { text: flag },
    ];
  }
  const when = obx.get('14.1') || run.msg.get('OBR-7.1');
  if (when !== '') {
    const dt = toFhirDateTime(when, run.defaultOffset);
    if (dt) observation.effectiveDateTime = dt;
  }
  return run.add(observation);
}
