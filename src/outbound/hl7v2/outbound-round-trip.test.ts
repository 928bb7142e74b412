// RDS^O13 and VXU^V04 builders: valid v2.5.1 text that parseHl7 reads back and our mappers turn into the same facts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { Bundle, Immunization, MedicationDispense, Patient, Resource } from '@medplum/fhirtypes';
import { parseHl7 } from '../../inbound/hl7v2/parse-hl7.ts';
import { convertHl7v2 } from '../../normalize/hl7v2/convert-hl7v2.ts';
import { validateBundleResources } from '../../../test/support/fhir-validate.ts';
import { buildRdsO13 } from './build-rds-o13.ts';
import { buildVxuV04 } from './build-vxu-v04.ts';
import type { Hl7OutboundContext } from './hl7-writer.ts';
import { toDtm } from './hl7-writer.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../../test/fixtures/hl7v2');

function fixtureBundle(name: string): Bundle {
  const r = convertHl7v2(readFileSync(path.join(fixtures, `${name}.hl7`), 'utf8'), { messageId: name });
  if (!r.ok) throw new Error('fixture did not convert');
  return r.value;
}

function all<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

const CONTEXT: Hl7OutboundContext = {
  sendingApplication: 'RXBRIDGE',
  sendingFacility: 'CORNERPHARM',
  receivingApplication: 'EPIC',
  receivingFacility: 'GEN|HOSP',
  controlId: 'OUT-0001',
  now: new Date('2026-11-21T22:30:00Z'),
};

function reparse(text: string): Bundle {
  const parsed = parseHl7(text);
  expect(parsed.ok).toBe(true);
  expect(parsed.issues).toEqual([]);
  const r = convertHl7v2(text, { messageId: 'round-trip' });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  expect(validateBundleResources(r.value).problems).toEqual([]);
  return r.value;
}

describe('toDtm', () => {
  test.each([
    ['2026-11-21', '20261121'],
    ['2026-11-21T16:25:00-06:00', '20261121162500-0600'],
    ['2026-11-21T16:25:00Z', '20261121162500+0000'],
    ['2026', '2026'],
    ['not a date', ''],
  ])('%s -> %s', (fhir, v2) => expect(toDtm(fhir)).toBe(v2));
});

describe('buildRdsO13', () => {
  const source = fixtureBundle('rds-o13-warfarin');
  const [dispense] = all<MedicationDispense>(source, 'MedicationDispense');
  const [patient] = all<Patient>(source, 'Patient');

  test('is a v2.5.1 RDS^O13 with escaped values and survives a round trip through our mapper', () => {
    const withText: MedicationDispense = {
      ...dispense!,
      note: [{ text: 'Take with food | avoid ^ grapefruit & alcohol' }],
    };
    const text = buildRdsO13(withText, { ...CONTEXT, patient: patient! });
    const msg = parseHl7(text);
    expect(msg.ok && msg.value.type).toBe('RDS^O13');
    expect(msg.ok && msg.value.get('MSH-6')).toBe('GEN|HOSP');
    expect(msg.ok && msg.value.version).toBe('2.5.1');
    expect(text.split('\r').map((s) => s.slice(0, 3))).toEqual(['MSH', 'PID', 'ORC', 'TQ1', 'RXD', 'RXR']);
    const back = reparse(text);
    const [again] = all<MedicationDispense>(back, 'MedicationDispense');
    expect(again?.medicationCodeableConcept?.coding?.map((c) => [c.system, c.code])).toEqual(
      dispense?.medicationCodeableConcept?.coding?.map((c) => [c.system, c.code]),
    );
    expect(again?.whenHandedOver).toBe(dispense?.whenHandedOver);
    expect(again?.quantity?.value).toBe(30);
    expect(again?.identifier?.[0]?.value).toBe('RX779001');
    expect(again?.type?.coding?.[0]?.code).toBe('F');
    expect(again?.note).toEqual([{ text: 'Take with food | avoid ^ grapefruit & alcohol' }]);
    expect(again?.dosageInstruction?.[0]?.route?.coding?.[0]?.code).toBe('26643006');
    expect(again?.dosageInstruction?.[0]?.timing?.repeat?.when).toEqual(['EVE']);
    const [p] = all<Patient>(back, 'Patient');
    expect(p?.identifier?.[0]).toMatchObject({ value: 'MRN20417', system: 'urn:rxbridge:aa:GENHOSP' });
    expect(p?.birthDate).toBe('1956-07-04');
    expect(p?.name?.[0]?.family).toBe('OKAFOR');
  });

  test('a minimal dispense (code only) still gives a parseable message', () => {
    const text = buildRdsO13(
      {
        resourceType: 'MedicationDispense',
        status: 'completed',
        medicationCodeableConcept: { text: 'compounded cream' },
      },
      CONTEXT,
    );
    expect(parseHl7(text).ok).toBe(true);
  });
});

describe('buildVxuV04', () => {
  const source = fixtureBundle('vxu-v04-influenza');
  const immunizations = all<Immunization>(source, 'Immunization');
  const [patient] = all<Patient>(source, 'Patient');

  test.each([0, 1, 2])(
    'immunization %i round-trips: code, date, dose, lot, manufacturer, route, site, status',
    (i) => {
      const original = immunizations[i]!;
      const text = buildVxuV04(original, patient!, CONTEXT);
      expect(text).toContain('|Z22^CDCPHINVS');
      const back = reparse(text);
      const [again] = all<Immunization>(back, 'Immunization');
      expect(again?.vaccineCode.coding?.[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/cvx' });
      expect(again?.vaccineCode.coding?.[0]?.code).toBe(original.vaccineCode.coding?.[0]?.code);
      expect(again?.occurrenceDateTime).toBe(original.occurrenceDateTime);
      expect(again?.status).toBe(original.status);
      expect(again?.primarySource).toBe(original.primarySource);
      expect(again?.doseQuantity).toEqual(original.doseQuantity);
      expect(again?.lotNumber).toBe(original.lotNumber);
      expect(again?.expirationDate).toBe(original.expirationDate);
      expect(again?.route?.coding?.map((c) => c.code)).toEqual(original.route?.coding?.map((c) => c.code));
      expect(again?.site?.coding?.[0]?.code).toBe(original.site?.coding?.[0]?.code);
      expect(again?.statusReason?.coding?.[0]?.code).toBe(original.statusReason?.coding?.[0]?.code);
    },
  );

  test('the manufacturer travels as MVX, a withdrawn record as RXA-21 D', () => {
    const [flu] = immunizations;
    const org = source.entry?.find((e) => e.fullUrl === flu?.manufacturer?.reference)?.resource;
    const text = buildVxuV04(
      { ...flu!, status: 'entered-in-error', manufacturer: { display: 'GlaxoSmithKline' } },
      patient!,
      CONTEXT,
    );
    expect(org).toBeDefined();
    const msg = parseHl7(text);
    expect(msg.ok && msg.value.get('RXA-21')).toBe('D');
    const back = reparse(text);
    expect(all<Immunization>(back, 'Immunization')[0]?.status).toBe('entered-in-error');
  });
});
