// Effects of the report tasks (src/review/outbound-tasks.ts): a dispense the pharmacy reported goes to the EHR as a
// MedicationDispense; a vaccination goes to the EHR as an Immunization and to the immunization registry as VXU^V04.
// Each effect is keyed, consent-checked and sent once (conditional create on the EHR, a stable MSH-10 to the registry).
import type { Immunization, MedicationDispense, Patient } from '@medplum/fhirtypes';
import type { Task } from '../platform/store/task-store.ts';
import type { PharmacyProfile } from '../platform/pharmacy/pharmacy-system.ts';
import type { ReportPayload } from '../review/outbound-tasks.ts';
import { ReviewTaskType, itemsOf, type EffectRecord, type TaskWork } from '../review/task-model.ts';
import { localAuthoritySystem } from '../normalize/hl7v2/hl7-datatypes.ts';
import type { TaskEffectsDeps } from './apply-task.ts';
import { dispenseForEhr, immunizationForEhr, sendToEhr, type PatientRef } from './ehr/ehr-outbound.ts';
import { buildVxuV04 } from './hl7v2/build-vxu-v04.ts';
import { readRegistryAck, vxuControlIdOf } from './hl7v2/immunization-registry.ts';
import { pharmacyPatientResource } from './pharmacy/hl7v2-pharmacy-writer.ts';

export const REPORT_TASK_TYPES: ReadonlySet<string> = new Set([
  ReviewTaskType.DispenseReport,
  ReviewTaskType.ImmunizationReport,
]);

/** What apply-task shares with these effects: skip what is done, count attempts, record and audit each effect. */
export interface EffectContext {
  actor: string;
  done(key: string): boolean;
  attempts(key: string): number;
  at(): string;
  settle(record: EffectRecord): Promise<void>;
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
}

/** `MRN10001^GENHOSP` (or `MRN10001^^^GENHOSP`) → value and assigning authority. */
function parseSourceIdentifier(text: string | undefined): { value: string; authority: string } | undefined {
  if (!text) return undefined;
  const parts = text.split('^');
  const value = parts[0] ?? '';
  const authority = parts
    .slice(1)
    .reverse()
    .find((p) => p !== '');
  return value !== '' && authority !== undefined ? { value, authority } : undefined;
}

/** Approved (or edited) and not rejected: the report's one item decides. */
function approved(task: Task, work: TaskWork): boolean {
  const items = itemsOf(task);
  if (items.length === 0) return false;
  return items.every((i) => {
    const d = work.decisions[i.id];
    return d !== undefined && d.decision !== 'reject';
  });
}

export async function runReportEffects(
  deps: TaskEffectsDeps,
  task: Task,
  work: TaskWork,
  ctx: EffectContext,
): Promise<void> {
  if (!approved(task, work)) return;
  const payload = (task.payload ?? {}) as Partial<ReportPayload>;
  const patientId = task.patient.pharmacyPatientId;
  let profile: PharmacyProfile | undefined | null = null;
  const profileOf = async (): Promise<PharmacyProfile | undefined> => {
    if (profile === null) profile = patientId ? await deps.pharmacy.getProfile(patientId) : undefined;
    return profile;
  };
  const system = deps.ehrPatientSystem ?? ((a: string) => `urn:rxbridge:authority:${a}`);

  /** The patient as the EHR knows them: the pharmacy's link, else the identifier the report came with. */
  const ehrPatient = async (): Promise<PatientRef> => {
    if (!patientId) throw new Error('the task has no pharmacy patient');
    const p = await profileOf();
    const link = p?.patient.identifiers.find((i) => i.system !== 'RXBRIDGE-PHARMACY');
    const source = link
      ? { value: link.value, authority: link.system }
      : parseSourceIdentifier(task.patient.sourceIdentifier);
    if (!source) throw new Error('the patient has no EHR identifier (not linked to the EHR)');
    return {
      pharmacyPatientId: patientId,
      display: p ? `${p.patient.given} ${p.patient.family}` : task.patient.display,
      ehrIdentifier: { system: system(source.authority), value: source.value },
    };
  };

  const toEhr = async (
    key: string,
    kind: string,
    build: (patient: PatientRef) => MedicationDispense | Immunization,
  ): Promise<void> => {
    if (ctx.done(key)) return;
    const base = { key, target: 'ehr', kind };
    let record: EffectRecord;
    try {
      if (!deps.ehr) {
        record = {
          ...base,
          status: 'skipped',
          detail: 'no EHR endpoint configured',
          at: ctx.at(),
          attempts: ctx.attempts(key),
        };
      } else {
        const resource = build(await ehrPatient());
        const sent = await sendToEhr({ client: deps.ehr, consent: deps.consent }, patientId ?? '', resource);
        record = {
          ...base,
          status: sent.outcome === 'refused' ? 'skipped' : 'done',
          detail: sent.detail,
          ...(sent.reference ? { reference: sent.reference } : {}),
          at: ctx.at(),
          attempts: ctx.attempts(key),
        };
      }
    } catch (error) {
      record = {
        ...base,
        status: 'failed',
        detail: message(error),
        at: ctx.at(),
        attempts: ctx.attempts(key),
      };
    }
    await ctx.settle(record);
  };

  if (task.type === ReviewTaskType.DispenseReport) {
    const dispense = payload.dispense;
    const key = `${task.id}/dispense`;
    if (!dispense) {
      await failMissing(ctx, key, 'medication-dispense', 'the task carries no MedicationDispense');
      return;
    }
    await toEhr(key, 'medication-dispense', (patient) => dispenseForEhr(dispense, key, patient));
    return;
  }
  if (task.type !== ReviewTaskType.ImmunizationReport) return;
  const immunization = payload.immunization;
  const ehrKey = `${task.id}/immunization`;
  if (!immunization) {
    await failMissing(ctx, ehrKey, 'immunization', 'the task carries no Immunization');
    return;
  }
  await toEhr(ehrKey, 'immunization', (patient) => immunizationForEhr(immunization, ehrKey, patient));

  const registry = deps.registry;
  if (!registry) return;
  const key = `${task.id}/registry`;
  if (ctx.done(key)) return;
  const base = { key, target: 'registry', kind: `vxu:${registry.name}` };
  let record: EffectRecord;
  try {
    if (!patientId) throw new Error('the task has no pharmacy patient');
    const consent = await deps.consent.check({
      patient: patientId,
      recipient: `registry:${registry.name}`,
      purpose: 'TREAT',
      dataType: 'VXU^V04',
    });
    if (!consent.allowed) {
      record = {
        ...base,
        status: 'skipped',
        detail: `consent: ${consent.reason}`,
        at: ctx.at(),
        attempts: ctx.attempts(key),
      };
    } else {
      const p = await profileOf();
      const controlId = vxuControlIdOf(key);
      const text = buildVxuV04(
        immunization.identifier?.length || immunization.id ? immunization : { ...immunization, id: key },
        registryPatient(payload.patientResource, p, task),
        {
          sendingApplication: 'RXBRIDGE',
          sendingFacility: registry.header?.sendingFacility ?? task.site ?? p?.patient.site ?? 'RXBRIDGE',
          receivingApplication: registry.header?.receivingApplication ?? registry.name,
          receivingFacility: registry.header?.receivingFacility ?? registry.name,
          controlId,
          now: deps.clock.now(),
        },
      );
      const answer = readRegistryAck(await registry.send(text));
      const detail =
        answer.outcome === 'accepted'
          ? `VXU^V04 ${controlId} accepted by ${registry.name} (${answer.code})`
          : answer.outcome === 'retry'
            ? `${registry.name} could not take VXU^V04 ${controlId} now (${answer.code}): ${answer.reason}; retry the task`
            : `${registry.name} refused VXU^V04 ${controlId} (${answer.code}): ${answer.reason}`;
      record = {
        ...base,
        status: answer.outcome === 'accepted' ? 'done' : 'failed',
        detail,
        reference: `MSH-10 ${controlId}`,
        at: ctx.at(),
        attempts: ctx.attempts(key),
      };
    }
  } catch (error) {
    record = { ...base, status: 'failed', detail: message(error), at: ctx.at(), attempts: ctx.attempts(key) };
  }
  await ctx.settle(record);
}

async function failMissing(ctx: EffectContext, key: string, kind: string, detail: string): Promise<void> {
  if (ctx.done(key)) return;
  await ctx.settle({
    key,
    target: 'ehr',
    kind,
    status: 'failed',
    detail,
    at: ctx.at(),
    attempts: ctx.attempts(key),
  });
}

/** PID for the registry: the source message's Patient (name, birth date, sex), else the pharmacy's, else the link. */
function registryPatient(
  source: Patient | undefined,
  profile: PharmacyProfile | undefined,
  task: Task,
): Patient {
  if (source) return source;
  if (profile) return pharmacyPatientResource(profile.patient);
  const link = parseSourceIdentifier(task.patient.sourceIdentifier);
  return {
    resourceType: 'Patient',
    ...(link ? { identifier: [{ system: localAuthoritySystem(link.authority), value: link.value }] } : {}),
    name: [{ text: task.patient.display }],
  };
}
