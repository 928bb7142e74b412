// The pipeline's rollout hook: the workflow's mode for the message's cohort decides what happens to its proposals.
import type { AuditLog } from '../../governance/audit/audit-log.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { PatientMatch } from '../../platform/pharmacy/pharmacy-system.ts';
import type { StoredMessage } from '../../platform/store/message-store.ts';
import type { ReconciliationResult } from '../../reconcile/discrepancy.ts';
import type { PharmacyWriteBack } from './pharmacy-writeback.ts';
import { proposeItem, type ProposedItem } from './proposals.ts';
import {
  DEFAULT_GUARDRAILS,
  resolveMode,
  type CohortSubject,
  type Guardrails,
  type RolloutMode,
  type Workflow,
} from './rollout-model.ts';
import type { RolloutMetrics } from './rollout-metrics.ts';
import type { EngineRun, RolloutStore } from './rollout-store.ts';

export interface RolloutGateDeps {
  store: RolloutStore;
  audit: AuditLog;
  clock: Clock;
  /** Where auto mode writes. Without it, auto mode sends everything to review (and says why). */
  writeBack?: PharmacyWriteBack;
  guardrails?: Partial<Record<Workflow, Guardrails>>;
  metrics?: RolloutMetrics;
}

export interface DischargeGateInput {
  message: StoredMessage;
  match: PatientMatch;
  result: ReconciliationResult;
  /** Extraction confidence of every medication read from the message. */
  confidences: readonly number[];
}

/** `createTasks: false`: off or shadow, nothing for a pharmacist. Otherwise tasks for `result` (auto: what is left). */
export type GateDecision =
  | { mode: RolloutMode; createTasks: false; detail: string }
  | { mode: RolloutMode; createTasks: true; result: ReconciliationResult; detail: string };

export interface RolloutGate {
  discharge(input: DischargeGateInput): Promise<GateDecision>;
  /**
   * The mode of another workflow for a subject (new-rx-checks, dispense-outbound): off skips it, shadow runs it
   * without tasks or sends; suggest and auto make tasks (the routing policy decides what applies by itself).
   */
  modeOf(workflow: Workflow, subject: CohortSubject): Promise<{ mode: RolloutMode; cohortKey: string }>;
}

const HOUR_MS = 3_600_000;
const WORKFLOW: Workflow = 'discharge-reconciliation';

export function createRolloutGate(deps: RolloutGateDeps): RolloutGate {
  const guardrails = (workflow: Workflow): Guardrails => deps.guardrails?.[workflow] ?? DEFAULT_GUARDRAILS;

  /** The first guardrail an item fails, or undefined when auto mode may write it. */
  async function blockedBy(
    item: Omit<ProposedItem, 'disposition'>,
    g: Guardrails,
    now: Date,
  ): Promise<string | undefined> {
    if (item.write === undefined) return 'no write for this type: a pharmacist decides';
    if (!g.types.includes(item.type)) return `type ${item.type} is not configured for auto`;
    if (item.priority === 'high') return 'HIGH priority: always reviewed';
    if (item.confidence < g.minConfidence)
      return `confidence ${item.confidence.toFixed(2)} below ${g.minConfidence.toFixed(2)}`;
    if (deps.writeBack === undefined) return 'no pharmacy write-back configured';
    const lastHour = await deps.store.countWrites(WORKFLOW, new Date(now.getTime() - HOUR_MS));
    if (lastHour >= g.maxPerHour)
      return `rate cap: ${lastHour} writes in the last hour (max ${g.maxPerHour})`;
    const lastDay = await deps.store.countWrites(WORKFLOW, new Date(now.getTime() - 24 * HOUR_MS));
    if (lastDay >= g.maxPerDay) return `rate cap: ${lastDay} writes in the last day (max ${g.maxPerDay})`;
    return undefined;
  }

  async function autoApply(
    item: Omit<ProposedItem, 'disposition'>,
    run: { patientId: string; messageId: string; settingNote: string },
    g: Guardrails,
  ): Promise<ProposedItem> {
    const now = deps.clock.now();
    const blocked = await blockedBy(item, g, now);
    const write = item.write;
    if (blocked !== undefined || write === undefined || deps.writeBack === undefined)
      return { ...item, disposition: 'review', note: blocked ?? 'no write' };
    const source = `rollout:auto:${WORKFLOW}`;
    if (!(await deps.store.claimWrite(write.key, WORKFLOW, now))) {
      deps.metrics?.autoWrites.inc({ workflow: WORKFLOW, outcome: 'replayed' });
      return { ...item, disposition: 'auto-applied', note: 'already applied (replay): not written again' };
    }
    const reason =
      `auto-applied ${item.fields['action'] ?? ''} ${item.drug} (${write.prescriptionId}) for message ${run.messageId}; ` +
      `${run.settingNote}; guardrails passed: type ${item.type}, priority ${item.priority}, ` +
      `confidence ${item.confidence.toFixed(2)} >= ${g.minConfidence.toFixed(2)}, within rate caps`;
    try {
      const { applied } = await deps.writeBack.apply({ ...write, decidedBy: 'system:rollout', reason });
      await deps.audit.record({
        actor: 'system:rollout',
        action: 'update',
        category: 'medication',
        patient: run.patientId,
        entity: write.key,
        source,
        outcome: 'success',
        detail: applied ? reason : `${reason} (the pharmacy already had it)`,
      });
      deps.metrics?.autoWrites.inc({ workflow: WORKFLOW, outcome: 'applied' });
      return { ...item, disposition: 'auto-applied', note: reason };
    } catch (error) {
      await deps.store.releaseWrite(write.key);
      const why = error instanceof Error ? error.message : String(error);
      await deps.audit.record({
        actor: 'system:rollout',
        action: 'update',
        category: 'medication',
        patient: run.patientId,
        entity: write.key,
        source,
        outcome: 'failure',
        detail: `auto write failed, sent to review: ${why}`,
      });
      deps.metrics?.autoWrites.inc({ workflow: WORKFLOW, outcome: 'failed' });
      return { ...item, disposition: 'error', note: `write failed: ${why}` };
    }
  }

  return {
    async modeOf(workflow, subject) {
      const resolved = resolveMode(await deps.store.settings(workflow), subject);
      return { mode: resolved.mode, cohortKey: resolved.setting?.cohortKey ?? '*' };
    },
    async discharge(input) {
      const { message, match, result } = input;
      const patient = match.patient;
      const history = await deps.store.settings(WORKFLOW);
      const resolved = resolveMode(history, {
        site: patient.site,
        patient: patient.id,
        ...(message.summary.sender !== undefined ? { sender: message.summary.sender } : {}),
      });
      const mode = resolved.mode;
      if (mode === 'off') return { mode, createTasks: false, detail: `${WORKFLOW} is off for this cohort` };

      const cohort = resolved.setting?.cohortKey ?? '*';
      const settingNote = resolved.setting
        ? `mode auto for cohort ${cohort} (setting #${resolved.setting.id} by ${resolved.setting.actor}: ${resolved.setting.reason})`
        : 'mode auto';
      const proposed = result.discrepancies.map((d) => proposeItem(d, patient.id, WORKFLOW));
      const g = guardrails(WORKFLOW);
      const items: ProposedItem[] = [];
      for (const item of proposed) {
        if (mode === 'shadow') items.push({ ...item, disposition: 'recorded' });
        else if (mode === 'suggest') items.push({ ...item, disposition: 'task' });
        else
          items.push(await autoApply(item, { patientId: patient.id, messageId: message.id, settingNote }, g));
      }
      for (const item of items)
        deps.metrics?.proposals.inc({ workflow: WORKFLOW, mode, disposition: item.disposition });

      const at = deps.clock.now();
      const run: EngineRun = {
        key: `${WORKFLOW}:${message.id}`,
        workflow: WORKFLOW,
        mode,
        cohortKey: cohort,
        messageId: message.id,
        patientId: patient.id,
        site: patient.site,
        receivedAt: message.receivedAt,
        at,
        latencyMs: Math.max(0, at.getTime() - message.receivedAt.getTime()),
        items,
      };
      if (input.confidences.length > 0)
        run.meanConfidence = input.confidences.reduce((a, b) => a + b, 0) / input.confidences.length;
      await deps.store.saveRun(run);

      if (mode === 'shadow')
        return {
          mode,
          createTasks: false,
          detail: `shadow: ${items.length} proposals recorded, nothing written`,
        };
      if (mode === 'suggest') return { mode, createTasks: true, result, detail: 'suggest' };
      const done = new Set(items.filter((i) => i.disposition === 'auto-applied').map((i) => i.itemId));
      return {
        mode,
        createTasks: true,
        result: { ...result, discrepancies: result.discrepancies.filter((d) => !done.has(d.id)) },
        detail: `auto: ${done.size} applied, ${items.length - done.size} to review`,
      };
    },
  };
}
