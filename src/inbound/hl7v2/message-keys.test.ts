// Tests for the store keys of an HL7 v2 message.
import { expect, test } from 'vitest';
import { hl7MessageKeys } from './message-keys.ts';
import { parseHl7 } from './parse-hl7.ts';

function keys(text: string) {
  const r = parseHl7(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return hl7MessageKeys(r.value);
}

const MSH = 'MSH|^~\\&|EPICADT|GENHOSP^1.2.3^ISO|RX|PH|2026||ADT^A03|MSG1|P|2.5.1';

test('idempotency key is MSH-3|MSH-4|MSH-10 and the summary holds no patient data', () => {
  const k = keys(`${MSH}\rPID|1||MRN10001^^^GENHOSP^MR||WHITFIELD^ELEANOR`);
  expect(k.idempotencyKey).toBe('EPICADT|GENHOSP^1.2.3^ISO|MSG1');
  expect(k.partitionKey).toBe('MRN10001^GENHOSP');
  expect(k.summary).toEqual({ type: 'ADT^A03', controlId: 'MSG1', sender: 'EPICADT^GENHOSP' });
  expect(JSON.stringify(k.summary)).not.toContain('WHITFIELD');
});

test('partition key uses the first identifier with a value and the authority sub-component', () => {
  expect(keys(`${MSH}\rPID|1||~123^^^SSA&2.16.840.1.113883.4.1&ISO^SS`).partitionKey).toBe('123^SSA');
  expect(keys(`${MSH}\rPID|1||123^^^&2.16.840.1.113883.4.1&ISO`).partitionKey).toBe(
    '123^&2.16.840.1.113883.4.1&ISO',
  );
  expect(keys(`${MSH}\rPID|1||123`).partitionKey).toBe('123^facility:GENHOSP');
  expect(keys(`${MSH}\rPID|1|555^^^OLDHOSP`).partitionKey).toBe('555^OLDHOSP');
});

test('without a patient the message orders with nothing', () => {
  expect(keys(MSH).partitionKey).toBe('msg:MSG1');
  expect(keys(`${MSH}\rPID|1||`).partitionKey).toBe('msg:MSG1');
});
