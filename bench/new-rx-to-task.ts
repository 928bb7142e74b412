// New prescription → checks with the EHR's facts → tasks: the time from sending an RDE^O11 over MLLP to its
// processing ending (patient linked and reconciled on first contact, four EHR searches, checks, tasks stored), under a
// steady load for the twelve demo patients. The engine runs in this process against the FHIR sandbox (SMART Backend
// Services over loopback HTTP), so the figure includes the EHR round trips but no network latency.
// Runnable alone: node bench/new-rx-to-task.ts [--rate 10] [--seconds 20]
import { parseArgs } from 'node:util';
import type { AllergyIntolerance, Observation, Resource } from '@medplum/fhirtypes';
import { DEMO_PHARMACY } from '../src/platform/pharmacy/embedded/demo-pharmacy.ts';
import { newPrescriptionMessage, startEhrEngine } from '../test/support/ehr-engine.ts';
import { machineLine } from './machine.ts';

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;

/** For every demo patient the EHR knows a penicillin allergy and an eGFR of 24 the pharmacy does not. */
function ehrFacts(patientOf: (mrn: string) => string): Resource[] {
  return DEMO_PHARMACY.profiles.flatMap((profile) => {
    const mrn = profile.patient.identifiers.find((i) => i.system === 'GENHOSP')!.value;
    const subject = { reference: `Patient/${patientOf(mrn)}` };
    const allergy: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id: `bench-allergy-${mrn}`,
      patient: subject,
      code: { text: 'penicillin' },
    };
    const egfr: Observation = {
      resourceType: 'Observation',
      id: `bench-egfr-${mrn}`,
      status: 'final',
      subject,
      category: [{ coding: [{ code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '98979-8' }] },
      effectiveDateTime: new Date(Date.now() - 5 * 86_400_000).toISOString(),
      valueQuantity: { value: 24, unit: 'mL/min/1.73m2' },
    };
    return [allergy, egfr];
  });
}

export async function benchNewRxToTask(options: { rate?: number; seconds?: number } = {}): Promise<void> {
  const rate = options.rate ?? 10;
  const seconds = options.seconds ?? 20;
  console.log(
    '\n## New prescription → EHR context → checks → tasks (RDE^O11 over MLLP, FHIR sandbox as the EHR)',
  );
  console.log(machineLine());
  const h = await startEhrEngine({ extraEhrResources: ehrFacts });
  try {
    const patients = DEMO_PHARMACY.profiles.map((p) => {
      const mrn = p.patient.identifiers.find((i) => i.system === 'GENHOSP')!.value;
      const dob = p.patient.birthDate.replace(/-/g, '');
      return `${mrn}^^^GENHOSP^MR||${p.patient.family}^${p.patient.given}||${dob}|${p.patient.gender === 'female' ? 'F' : 'M'}`;
    });
    const sentAt = new Map<string, number>();
    const ackMs: number[] = [];
    const requestsBefore = h.sandbox.stats.requests;
    const tasksBefore = await h.engine.store.tasks.count({});
    const total = rate * seconds;
    // Processing ends when the message leaves the in-progress states; the store is polled every 10 ms from the start.
    const doneMs = new Map<string, number>();
    const states = new Map<string, number>();
    let sending = true;
    const poller = (async () => {
      const deadline = performance.now() + seconds * 1000 + 60_000;
      while ((sending || doneMs.size < total) && performance.now() < deadline) {
        for (const m of await h.engine.store.messages.list({ limit: 200 })) {
          const id = m.summary.controlId ?? '';
          const t0 = sentAt.get(id);
          if (t0 === undefined || doneMs.has(id)) continue;
          if (['received', 'normalized', 'extracted', 'evaluated'].includes(m.state)) continue;
          doneMs.set(id, performance.now() - t0);
          states.set(m.state, (states.get(m.state) ?? 0) + 1);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const start = performance.now();
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const controlId = `BENCHRX${String(i).padStart(6, '0')}`;
      const t0 = performance.now();
      sentAt.set(controlId, t0);
      sends.push(
        h.ehrFeed.send(newPrescriptionMessage(controlId, patients[i % patients.length]!)).then((ack) => {
          if (!ack.includes('MSA|AA')) throw new Error(`${controlId}: ${ack.split('\r')[1] ?? ack}`);
          ackMs.push(performance.now() - t0);
        }),
      );
    }
    await Promise.all(sends);
    sending = false;
    await poller;
    const latency = [...doneMs.values()].sort((a, b) => a - b);
    const acks = ackMs.sort((a, b) => a - b);
    const requests = h.sandbox.stats.requests - requestsBefore;
    const tasks = (await h.engine.store.tasks.count({})) - tasksBefore;
    console.log(
      `messages ${total} at ${rate}/s for ${seconds} s; processed ${doneMs.size} (${[...states]
        .map(([s, n]) => `${s} ${n}`)
        .join(
          ', ',
        )}); tasks created ${tasks}; EHR requests ${requests} (${(requests / total).toFixed(1)} per message, token requests included; the first message per patient also links and reconciles)`,
    );
    console.log(
      `RDE sent → processing ended: p50 ${percentile(latency, 0.5).toFixed(1)} ms, p95 ${percentile(latency, 0.95).toFixed(1)} ms, p99 ${percentile(latency, 0.99).toFixed(1)} ms, max ${latency.at(-1)?.toFixed(1)} ms (poll resolution 10 ms)`,
    );
    console.log(
      `ACK: p50 ${percentile(acks, 0.5).toFixed(1)} ms, p99 ${percentile(acks, 0.99).toFixed(1)} ms`,
    );
  } finally {
    await h.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { rate: { type: 'string', default: '10' }, seconds: { type: 'string', default: '20' } },
  });
  await benchNewRxToTask({ rate: Number(values.rate), seconds: Number(values.seconds) });
}
