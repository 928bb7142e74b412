// The mission's example discharge for demo patient Eleanor Whitfield, with a fresh control id each time.
import { randomUUID } from 'node:crypto';

/** HL7 v2 timestamp (YYYYMMDDHHMMSS) in UTC. */
function hl7Timestamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** PV1 built by field number so the positions stay right (HL7 v2.5.1 ch. 3.4.3). */
function pv1(ts: string): string {
  const fields: string[] = new Array<string>(46).fill('');
  fields[0] = 'PV1';
  fields[1] = '1';
  fields[2] = 'I'; // patient class: inpatient
  fields[3] = '4W^412^1^GENHOSP';
  fields[7] = '2345678901^LINDQVIST^MARTA^^^DR'; // attending
  fields[10] = 'MED';
  fields[36] = '01'; // discharge disposition: discharged to home or self care
  fields[44] = ts; // admit date/time
  fields[45] = ts; // discharge date/time
  return fields.join('|');
}

export function demoDischargeA03(at: Date = new Date()): string {
  const ts = hl7Timestamp(at);
  const controlId = `DEMO${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
  return [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|MAINSTREETRX|${ts}||ADT^A03^ADT_A03|${controlId}|P|2.5.1`,
    `EVN|A03|${ts}`,
    'PID|1||MRN10001^^^GENHOSP^MR||WHITFIELD^ELEANOR^M||19480312|F|||42 ELM STREET^^SPRINGFIELD^IL^62701||^PRN^PH^^^217^5550142',
    'PD1||||1234567890^OKAFOR^CHIDI^^^DR',
    pv1(ts),
    'OBX|1|TX|10183-2^Discharge medications^LN||METFORMIN 500MG BID, LISINOPRIL 10MG DAILY||||||F',
  ].join('\r');
}
