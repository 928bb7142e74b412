// TaskEffects: what applying an approved task does — pharmacy write-back per decided item through each configured
// PharmacyWriter, then the note to the PCP through the EHR, and for reported dispenses and vaccinations the
// MedicationDispense / Immunization to the EHR and VXU^V04 to the registry — each effect once (by key),
// consent-checked and audited.
import type { AuditLog } from '../governance/audit/audit-log.ts';
import type { Clock } from '../kernel/clock.ts';
import type { EhrClient } from '../platform/ehr/ehr-client.ts';
import type { PharmacySystem } from '../platform/pharmacy/pharmacy-system.ts';
import type { Task } from '../platform/store/task-store.ts';
import { NOTE_TASK_TYPES, noteTextOf } from '../review/pcp-note.ts';
import type { TaskEffects } from '../review/review-service.ts';
import { itemsOf, type EffectRecord, type TaskWork } from '../review/task-model.ts';
import type { ConsentGate } from './consent-gate.ts';
import { noteResource, sendToEhr } from './ehr/ehr-outbound.ts';
import type { ImmunizationRegistry } from './hl7v2/immunization-registry.ts';
import type { PharmacyWriter, PrescriptionChange } from './pharmacy/pharmacy-writer.ts';
import { REPORT_TASK_TYPES, runReportEffects } from './report-effects.ts';

export interface TaskEffectsDeps {
  /** The first is the pharmacy system of record; others mirror it (e.g. an HL7 v2 RDE feed). */
  writers: readonly PharmacyWriter[];
  pharmacy: PharmacySystem;
  consent: ConsentGate;
  /** The EHR notes go to; without one, notes are recorded as skipped. */
  ehr?: EhrClient;
  /** Identifier system of the EHR's MRN for the patient link (`Patient.identifier.system`). */
  ehrPatientSystem?: (authority: string) => string;
  /** How notes to the PCP are filed: a Communication (default) or a DocumentReference. */
  noteAs?: 'communication' | 'document';
  /** Where VXU^V04 goes for approved immunization reports; without one, only the EHR gets them. */
  registry?: ImmunizationRegistry;
  audit: AuditLog;
  clock: Clock;
}

/** Writers inside the pharmacy's own process need no disclosure check; the others send data out. */
const isExternal = (writer: PharmacyWriter): boolean => writer.name !== 'embedded';

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
}

export function createTaskEffects(deps: TaskEffectsDeps): TaskEffects {
  return {
    async run(task: Task, work: TaskWork, actor: string): Promise<EffectRecord[]> {
      const out: EffectRecord[] = [];
      const patientId = task.patient.pharmacyPatientId;
      const at = (): string => deps.clock.now().toISOString();
      const done = (key: string): boolean => work.effects[key]?.status === 'done';
      const attempts = (key: string): number => (work.effects[key]?.attempts ?? 0) + 1;

      const audit = async (r: EffectRecord): Promise<void> => {
        const leaves = r.target === 'ehr' || r.target === 'registry';
        await deps.audit.record({
          actor,
          action: leaves ? 'export' : 'update',
          category: leaves ? r.target : 'profile',
          ...(patientId ? { patient: patientId } : {}),
          entity: task.id,
          source: `review:apply:${r.kind}`,
          outcome: r.status === 'failed' ? 'failure' : r.status === 'skipped' ? 'denied' : 'success',
          detail: `${r.key}: ${r.detail}`.slice(0, 500),
        });
      };

      // Reports of what the pharmacy did go out only; nothing is written back to the pharmacy.
      if (REPORT_TASK_TYPES.has(task.type)) {
        await runReportEffects(deps, task, work, {
          actor,
          done,
          attempts,
          at,
          settle: async (record) => {
            out.push(record);
            await audit(record);
          },
        });
        return out;
      }

      // 1. Pharmacy write-back, item by item, writer by writer.
      for (const item of itemsOf(task)) {
        const decision = work.decisions[item.id];
        if (!decision || decision.decision === 'reject' || decision.action.kind === 'none') continue;
        const prescriptionId = typeof item.pharmacy?.id === 'string' ? item.pharmacy.id : undefined;
        const action = decision.action;
        const kind = action.kind === 'none' ? 'add-note' : action.kind;
        const change: PrescriptionChange = {
          key: `${task.id}/${item.id}`,
          patientId: patientId ?? '',
          ...(prescriptionId !== undefined && kind !== 'add-note' ? { prescriptionId } : {}),
          action: prescriptionId === undefined ? 'add-note' : kind,
          ...(action.sig !== undefined ? { sig: action.sig } : {}),
          ...(action.strength !== undefined ? { strength: action.strength } : {}),
          ...(action.frequencyPerDay !== undefined ? { frequencyPerDay: action.frequencyPerDay } : {}),
          note: action.note ?? `${item.drug}: ${decision.reason}`,
          drug: item.drug,
          decidedBy: decision.by,
          reason: decision.reason,
        };
        for (const writer of deps.writers) {
          const key = `${change.key}/${writer.name}`;
          if (done(key)) continue;
          const base = { key, target: 'pharmacy', kind: `${writer.name}:${change.action}`, itemId: item.id };
          let record: EffectRecord;
          try {
            if (!patientId) throw new Error('the task has no pharmacy patient');
            if (isExternal(writer)) {
              const consent = await deps.consent.check({
                patient: patientId,
                recipient: `pharmacy:${writer.name}`,
                purpose: 'TREAT',
                dataType: change.action,
              });
              if (!consent.allowed) {
                record = {
                  ...base,
                  status: 'skipped',
                  detail: `consent: ${consent.reason}`,
                  at: at(),
                  attempts: attempts(key),
                };
                out.push(record);
                await audit(record);
                continue;
              }
            }
            const receipt = await writer.apply(change);
            record = {
              ...base,
              status: 'done',
              detail: receipt.applied ? `written (${change.action})` : `already written (${change.action})`,
              reference: receipt.reference,
              at: at(),
              attempts: attempts(key),
            };
          } catch (error) {
            record = { ...base, status: 'failed', detail: message(error), at: at(), attempts: attempts(key) };
          }
          out.push(record);
          await audit(record);
        }
      }

      // 2. The note to the PCP.
      if (NOTE_TASK_TYPES.has(task.type) && work.outcome?.decision !== 'reject') {
        const key = `${task.id}/note`;
        const text = noteTextOf(task, work);
        if (!done(key) && text.trim() !== '') {
          const base = { key, target: 'ehr', kind: 'note-to-pcp' };
          let record: EffectRecord;
          try {
            const profile = patientId ? await deps.pharmacy.getProfile(patientId) : undefined;
            if (!profile || !patientId) throw new Error('the task has no pharmacy patient');
            if (!deps.ehr) {
              record = {
                ...base,
                status: 'skipped',
                detail: 'no EHR endpoint configured',
                at: at(),
                attempts: attempts(key),
              };
            } else {
              const link = profile.patient.identifiers.find((i) => i.system !== 'RXBRIDGE-PHARMACY');
              const system = deps.ehrPatientSystem ?? ((a: string) => `urn:rxbridge:authority:${a}`);
              const sent = await sendToEhr(
                { client: deps.ehr, consent: deps.consent },
                patientId,
                noteResource({
                  key,
                  patient: {
                    pharmacyPatientId: patientId,
                    display: `${profile.patient.given} ${profile.patient.family}`,
                    ...(link ? { ehrIdentifier: { system: system(link.system), value: link.value } } : {}),
                  },
                  pcp: profile.patient.pcp ?? 'Primary care provider',
                  text,
                  author: actor,
                  at: deps.clock.now(),
                  ...(deps.noteAs ? { as: deps.noteAs } : {}),
                }),
              );
              record = {
                ...base,
                status: sent.outcome === 'refused' ? 'skipped' : 'done',
                detail: sent.detail,
                ...(sent.reference ? { reference: sent.reference } : {}),
                at: at(),
                attempts: attempts(key),
              };
            }
          } catch (error) {
            record = { ...base, status: 'failed', detail: message(error), at: at(), attempts: attempts(key) };
          }
          out.push(record);
          await audit(record);
        }
      }
      return out;
    },
  };
}
