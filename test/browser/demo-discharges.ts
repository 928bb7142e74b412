// ADT^A03 discharges for the twelve demo patients (tests and the discharge-to-task bench).
import { DEMO_PHARMACY } from '../../src/platform/pharmacy/embedded/demo-pharmacy.ts';

const ts = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

const PATIENTS = DEMO_PHARMACY.profiles;
export const DEMO_PATIENT_COUNT = PATIENTS.length;

/** An ADT^A03 for a demo patient: the pharmacy's medicines with the first dose doubled and the last one left off. */
export function dischargeFor(index: number, seq: number, at: Date): { controlId: string; text: string } {
  const profile = PATIENTS[index % PATIENTS.length]!;
  const p = profile.patient;
  const mrn = p.identifiers.find((i) => i.system === 'GENHOSP')?.value ?? p.id;
  const meds = profile.prescriptions.filter((rx) => rx.status === 'active');
  const lines = meds.slice(0, Math.max(1, meds.length - 1)).map((rx, i) => {
    const name = rx.drugName.split(' ')[0]!.toUpperCase();
    const strength = rx.strength
      ? `${rx.strength.value * (i === 0 ? 2 : 1)}${rx.strength.unit.toUpperCase()}`
      : '';
    return `${name} ${strength} DAILY`.replace(/\s+/g, ' ');
  });
  const controlId = `BENCH${String(seq).padStart(8, '0')}`;
  const stamp = ts(at);
  const text = [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|MAINSTREETRX|${stamp}||ADT^A03^ADT_A03|${controlId}|P|2.5.1`,
    `EVN|A03|${stamp}`,
    `PID|1||${mrn}^^^GENHOSP^MR||${p.family.toUpperCase()}^${p.given.toUpperCase()}||${p.birthDate.replace(/-/g, '')}|${p.gender === 'female' ? 'F' : 'M'}`,
    `PV1|1|I|4W^412^1^GENHOSP||||2345678901^LINDQVIST^MARTA^^^DR|||MED||||||||||||||||||||||||||01||||||||${stamp}|${stamp}`,
    `OBX|1|TX|10183-2^Discharge medications^LN||${lines.join(', ')}||||||F`,
  ].join('\r');
  return { controlId, text };
}
