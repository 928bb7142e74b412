// Scripted rollout pilot on the demo pharmacy: discharge reconciliation for the main-street site goes
// off → shadow → suggest → auto, then the extractor is made worse; agreement, value figures and alerts each step.
//
// Runs the real pipeline (SQLite store, message store, processor, audit log, rollout store in the same file).
// The pharmacists are simulated: each generated discharge carries what a careful pharmacist would do (the
// generator knows which medicine it stopped or changed), and the simulator acts on that, as documented below.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { AuditRecord } from '../src/governance/audit/audit-log.ts';
import { ManualClock } from '../src/kernel/clock.ts';
import { createMessageProcessor } from '../src/pipeline/process-message.ts';
import { silentLogger } from '../src/platform/log/logger.ts';
import { demoPharmacyAsOf } from '../src/platform/pharmacy/embedded/demo-dates.ts';
import { DEMO_PHARMACY, createEmbeddedPharmacy } from '../src/platform/pharmacy/embedded/index.ts';
import type { PharmacyPrescription, PharmacyProfile } from '../src/platform/pharmacy/pharmacy-system.ts';
import { openSqliteStore, type SqliteStore } from '../src/platform/store/sqlite/sqlite-store.ts';
import {
  applyRules,
  evaluateRules,
  webhookNotifier,
  type AlertThresholds,
} from '../src/review/rollout/alerts.ts';
import { createTaskEffects } from '../src/outbound/apply-task.ts';
import { treatmentConsent } from '../src/outbound/consent-gate.ts';
import { createWritablePharmacy, type WritablePharmacy } from '../src/outbound/pharmacy/writable-pharmacy.ts';
import type { TaskStore } from '../src/platform/store/task-store.ts';
import { createReviewService, type ReviewService } from '../src/review/review-service.ts';
import type { ItemAction } from '../src/review/task-model.ts';
import { actionFields, type ActionFields, type ProposedItem } from '../src/review/rollout/proposals.ts';
import { workspaceDecisions } from '../src/review/rollout/task-decisions.ts';
import { setMode } from '../src/review/rollout/rollout-admin.ts';
import { createRolloutGate } from '../src/review/rollout/rollout-gate.ts';
import { createRolloutMetrics } from '../src/review/rollout/rollout-metrics.ts';
import type { Cohort, RolloutMode } from '../src/review/rollout/rollout-model.ts';
import type { AlertRecord, Decision, RolloutStore } from '../src/review/rollout/rollout-store.ts';
import { openSqliteRolloutStore } from '../src/review/rollout/sqlite/sqlite-rollout-store.ts';
import {
  buildValueReport,
  reportCsv,
  reportHtml,
  type PromotionBars,
  type WorkflowValue,
} from '../src/review/rollout/value-report.ts';
import { createStarterTerminology } from '../src/terminology/starter-terminology.ts';
import type { DrugConcept, Terminology } from '../src/terminology/terminology.ts';

const WORKFLOW = 'discharge-reconciliation' as const;
const COHORT: Cohort = { sites: ['main-street'] };
const START = new Date('2026-03-02T08:00:00Z');
const WEEK_MS = 7 * 86_400_000;
const MINUTE_MS = 60_000;
/** The pilot's bars: small, so that a few weeks of 12 demo patients can meet them. */
const PILOT_BARS: PromotionBars = {
  minEvents: 8,
  minShadowAgreement: 0.85,
  minDecisions: 8,
  minApprovalRate: 0.8,
  minSuggestAgreement: 0.85,
  maxReversalRate: 0.1,
  maxAutoErrorRate: 0.1,
};
const THRESHOLDS: AlertThresholds = {
  minAgreement: 0.8,
  minAccuracy: 0.8,
  maxAutoErrorRate: 0.1,
  maxConfidenceDrop: 0.1,
  maxDiscrepancyShift: 1,
  minCompared: 5,
};

// ---------------------------------------------------------------------------------------------------------
// Discharges. Each patient's discharge list is written from their active pharmacy prescriptions, with one
// scripted change per week: a medicine stopped, a dose doubled, a frequency changed, a new medicine, or none.
// ---------------------------------------------------------------------------------------------------------

type ChangeKind = 'stop' | 'dose' | 'frequency' | 'new' | 'none';
const KINDS: readonly ChangeKind[] = ['stop', 'dose', 'frequency', 'new', 'none'];
const FREQ: Record<number, string> = { 1: 'DAILY', 2: 'BID', 3: 'TID', 4: 'QID' };

interface Discharge {
  patient: PharmacyProfile['patient'];
  text: string;
  kind: ChangeKind;
  /** What a careful pharmacist does about it (empty for `none`). */
  truth: ActionFields[];
}

function rxName(rx: PharmacyPrescription): string {
  return rx.drugName.replace(/\s+\d.*$/, '').toUpperCase();
}

function strengthText(value: number, unit: string): string {
  return `${value}${unit.toUpperCase()}`;
}

/** The amount taken per dose in strength units (6 tablets of 2.5 mg: 15), or the strength. */
function amountOf(rx: PharmacyPrescription): number | undefined {
  if (rx.strength === undefined) return undefined;
  if (rx.dose && /^(tablet|capsule)s?$/i.test(rx.dose.unit)) return rx.dose.value * rx.strength.value;
  return rx.strength.value;
}

/** One discharge-list line as a hospital writes it: the amount per dose and how often. */
function line(rx: PharmacyPrescription, amount = amountOf(rx), perDay = rx.frequencyPerDay): string {
  const s = rx.strength && amount !== undefined ? ` ${strengthText(amount, rx.strength.unit)}` : '';
  const weekly = perDay !== undefined && Math.abs(perDay - 1 / 7) < 1e-6;
  const f = rx.prn
    ? `Q${Math.round(24 / (perDay ?? 4))}H PRN`
    : weekly
      ? 'WEEKLY'
      : (FREQ[perDay ?? 1] ?? 'DAILY');
  return `${rxName(rx)}${s} ${f}`;
}

function drugOf(terminology: Terminology, name: string): string {
  const concept: DrugConcept | undefined = terminology.lookupDrug(name);
  return (concept ? concept.ingredients.map((i) => i.name).join(' / ') : name).toLowerCase();
}

/** Prescriptions the script may change: scheduled, with a strength in mg, once or twice daily. */
function changeable(rx: PharmacyPrescription): boolean {
  return (
    rx.status === 'active' &&
    !rx.prn &&
    rx.strength?.unit.toLowerCase() === 'mg' &&
    amountOf(rx) === rx.strength.value &&
    (rx.frequencyPerDay === 1 || rx.frequencyPerDay === 2)
  );
}

export function dischargeFor(
  profile: PharmacyProfile,
  week: number,
  index: number,
  terminology: Terminology,
): Discharge {
  const active = profile.prescriptions.filter((rx) => rx.status === 'active');
  const candidates = active.filter(changeable);
  let kind = KINDS[(index + week) % KINDS.length] ?? 'none';
  const target = candidates[week % Math.max(1, candidates.length)];
  if (target === undefined && kind !== 'new') kind = 'none';
  const lines: string[] = [];
  const truth: ActionFields[] = [];
  let stopped = '';
  for (const rx of active) {
    if (rx !== target || kind === 'none' || kind === 'new') {
      lines.push(line(rx));
      continue;
    }
    const drug = drugOf(terminology, rx.drugName);
    const strength = rx.strength as { value: number; unit: string };
    if (kind === 'stop') {
      stopped = `. STOP ${rxName(rx)} ${strengthText(strength.value, strength.unit)}`;
      truth.push(actionFields({ action: 'discontinue', drug, prescriptionId: rx.id }));
    } else if (kind === 'dose') {
      lines.push(line(rx, strength.value * 2));
      truth.push(
        actionFields({
          action: 'update-regimen',
          drug,
          prescriptionId: rx.id,
          strength: { value: strength.value * 2, unit: strength.unit },
          frequencyPerDay: rx.frequencyPerDay,
        }),
      );
    } else {
      const perDay = rx.frequencyPerDay === 1 ? 2 : 1;
      lines.push(line(rx, strength.value, perDay));
      truth.push(
        actionFields({
          action: 'update-regimen',
          drug,
          prescriptionId: rx.id,
          strength,
          frequencyPerDay: perDay,
        }),
      );
    }
  }
  if (kind === 'new') {
    const has = (name: string): boolean => active.some((rx) => rx.drugName.toLowerCase().includes(name));
    const extra = has('aspirin') ? 'DOCUSATE 100MG BID' : 'ASPIRIN 81MG DAILY';
    lines.push(extra);
    truth.push(actionFields({ action: 'add-note', drug: drugOf(terminology, extra.split(' ')[0] ?? '') }));
  }
  return { patient: profile.patient, text: `${lines.join(', ')}${stopped}`, kind, truth };
}

function hl7Timestamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function dischargeMessage(d: Discharge, at: Date, controlId: string): string {
  const ts = hl7Timestamp(at);
  const p = d.patient;
  const mrn = p.identifiers.find((i) => i.system === 'GENHOSP')?.value ?? '';
  const pv1 = new Array<string>(46).fill('');
  pv1[0] = 'PV1';
  pv1[1] = '1';
  pv1[2] = 'I';
  pv1[3] = '4W^412^1^GENHOSP';
  pv1[36] = '01';
  pv1[44] = ts;
  pv1[45] = ts;
  return [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|MAINSTREETRX|${ts}||ADT^A03^ADT_A03|${controlId}|P|2.5.1`,
    `EVN|A03|${ts}`,
    `PID|1||${mrn}^^^GENHOSP^MR||${p.family}^${p.given}||${p.birthDate.replace(/-/g, '')}|${p.gender === 'female' ? 'F' : 'M'}`,
    pv1.join('|'),
    `OBX|1|TX|10183-2^Discharge medications^LN||${d.text}||||||F`,
  ].join('\r');
}

// ---------------------------------------------------------------------------------------------------------
// The forced regression: a drug lookup that confuses some drugs with others (a bad vocabulary update). Only
// the pilot builds it; the extractor keeps its confidence, so nothing but the comparison with pharmacists sees it.
// ---------------------------------------------------------------------------------------------------------

const CONFUSED_WITH = ['simvastatin', 'hydrochlorothiazide', 'metoprolol', 'losartan', 'sertraline'];

export function degradedTerminology(base: Terminology): Terminology {
  return {
    lookupDrug(text, options) {
      const concept = base.lookupDrug(text, options);
      if (concept === undefined) return undefined;
      let h = 0;
      for (const c of concept.rxcui) h = (h * 31 + c.charCodeAt(0)) >>> 0;
      if (h % 3 !== 0) return concept;
      const other = CONFUSED_WITH[h % CONFUSED_WITH.length] ?? 'simvastatin';
      return other === concept.name.toLowerCase() ? concept : (base.lookupDrug(other) ?? concept);
    },
    findClinicalDrug: (ingredient, strength, form) => base.findClinicalDrug(ingredient, strength, form),
    get: (rxcui) => base.get(rxcui),
    classesOf: (rxcui) => base.classesOf(rxcui),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The simulated pharmacist.
// - off/shadow: works each discharge by hand from the list (the truth): makes the changes in the pharmacy
//   system; records them through the rollout decision interface for odd-numbered discharges only (and always for
//   a note, which leaves no trace in the pharmacy), so that the others are validated against the pharmacy's state.
// - suggest/auto: answers each item of the discharge task in the workspace (review service: approve when it is
//   what they would do, edit when the action is right but a value is not, reject when they would do nothing),
//   then applies the task (the workspace writes the approved changes back); records what the engine missed
//   (manual). Reviews every auto write afterwards: keeps a right one, reverses a wrong one (recorded; putting a
//   discontinued prescription back is a new prescription, outside the pilot).
// - The prescriber refutes one scripted change in eight (every eighth discharge): the pharmacist then does
//   nothing about it, whatever the engine says.
// - Decision times: 20–60 minutes after receipt with a proposal, 60–100 for a miss, 90–130 by hand.
// ---------------------------------------------------------------------------------------------------------

interface SentDischarge {
  messageId: string;
  discharge: Discharge;
  receivedAt: Date;
  serial: number;
}

function sameFields(a: ActionFields, b: ActionFields): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/** The workspace action for truth fields (an edit's replacement action). */
function itemActionOf(fields: ActionFields): ItemAction {
  const kind = fields['action'] as ItemAction['kind'];
  const [value, unit] = (fields['strength'] ?? '').split(' ');
  return {
    kind,
    ...(kind === 'update-regimen' && value && unit ? { strength: { value: Number(value), unit } } : {}),
    ...(kind === 'update-regimen' && fields['frequency']
      ? { frequencyPerDay: Number(fields['frequency']) }
      : {}),
  };
}

interface PharmacistDeps {
  rollout: RolloutStore;
  pharmacy: WritablePharmacy;
  review: ReviewService;
  tasks: TaskStore;
  clock: ManualClock;
}

const RPH = 'user:pilot-rph';

async function pharmacistWorks(sent: SentDischarge, mode: RolloutMode, deps: PharmacistDeps): Promise<void> {
  const { discharge, messageId } = sent;
  const refuted = discharge.kind !== 'none' && sent.serial % 8 === 7;
  const truth = refuted ? [] : discharge.truth;
  const patientId = discharge.patient.id;
  const decide = async (
    d: Omit<Decision, 'workflow' | 'messageId' | 'patientId' | 'pharmacist'>,
  ): Promise<void> => {
    await deps.rollout.saveDecision({ ...d, workflow: WORKFLOW, messageId, patientId, pharmacist: RPH });
  };
  const applyByHand = async (fields: ActionFields, key: string): Promise<void> => {
    const prescriptionId = fields['prescription'];
    const action = fields['action'];
    if (prescriptionId === undefined || (action !== 'discontinue' && action !== 'update-regimen')) return;
    const { strength, frequencyPerDay } = itemActionOf(fields);
    await deps.pharmacy.apply({
      key,
      patientId,
      prescriptionId,
      action,
      drug: fields['drug'] ?? '',
      ...(strength ? { strength } : {}),
      ...(frequencyPerDay !== undefined ? { frequencyPerDay } : {}),
      decidedBy: RPH,
      reason: 'reconciled by hand from the discharge list',
    });
  };
  const minutes = (base: number): Date =>
    new Date(sent.receivedAt.getTime() + (base + (sent.serial % 5) * 10) * MINUTE_MS);

  const run = (await deps.rollout.runs({ workflow: WORKFLOW })).find((r) => r.messageId === messageId);
  if (mode === 'off' || mode === 'shadow' || run === undefined) {
    for (const [i, fields] of truth.entries()) {
      await applyByHand(fields, `manual:${messageId}:${i}`);
      if (sent.serial % 2 === 1 || fields['prescription'] === undefined)
        await decide({ key: `manual:${messageId}:${i}`, verdict: 'manual', fields, at: minutes(90) });
    }
    return;
  }
  const matches = (t: ActionFields, item: ProposedItem): boolean =>
    (item.prescriptionId !== undefined && t['prescription'] === item.prescriptionId) ||
    (t['prescription'] === undefined && t['drug'] === item.fields['drug']);
  const answered = new Set<ActionFields>();
  // Auto writes, reviewed afterwards.
  for (const item of run.items.filter((i) => i.disposition === 'auto-applied')) {
    const wanted = truth.find((t) => matches(t, item));
    if (wanted) answered.add(wanted);
    const right = wanted !== undefined && sameFields(wanted, item.fields);
    await decide({
      key: `audit:${messageId}:${item.itemId}`,
      itemId: item.itemId,
      verdict: right ? 'approve' : 'reverse',
      fields: item.fields,
      at: minutes(20),
      ...(right ? {} : { reason: 'not what the discharge meant' }),
    });
  }
  // The discharge task in the workspace.
  deps.clock.set(minutes(20));
  const [task] = await deps.tasks.list({
    sourceMessageId: messageId,
    type: 'discharge-reconciliation',
  });
  if (task !== undefined) {
    let approved = 0;
    for (const item of run.items.filter((i) => i.disposition !== 'auto-applied')) {
      const wanted = truth.find((t) => matches(t, item));
      if (wanted) answered.add(wanted);
      if (wanted === undefined)
        await deps.review.decideItem(
          task.id,
          item.itemId,
          { decision: 'reject', reason: 'no change needed' },
          RPH,
        );
      else if (sameFields(wanted, item.fields))
        await deps.review.decideItem(
          task.id,
          item.itemId,
          { decision: 'approve', reason: 'matches the discharge' },
          RPH,
        );
      else
        await deps.review.decideItem(
          task.id,
          item.itemId,
          { decision: 'edit', reason: 'corrected from the discharge', action: itemActionOf(wanted) },
          RPH,
        );
      if (wanted !== undefined) approved++;
    }
    if (approved > 0) await deps.review.apply(task.id, RPH);
  }
  for (const [i, fields] of truth.entries()) {
    if (answered.has(fields)) continue;
    await decide({ key: `missed:${messageId}:${i}`, verdict: 'manual', fields, at: minutes(60) });
    await applyByHand(fields, `missed:${messageId}:${i}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The pilot.
// ---------------------------------------------------------------------------------------------------------

export interface PilotStep {
  name: string;
  mode: RolloutMode;
  degraded: boolean;
  value: WorkflowValue;
  /** Alerts firing after this step (deduplicated records). */
  alerts: AlertRecord[];
  /** Webhook deliveries received during this step. */
  webhooks: number;
}

export interface PilotResult {
  steps: PilotStep[];
  modeChanges: AuditRecord[];
  autoWrites: AuditRecord[];
  /** Every auto-applied item's write key, from the runs (each must have an audit entry). */
  autoAppliedKeys: string[];
  /** Runs recorded for patients outside the cohort (must stay 0: they stay off). */
  outsideCohortRuns: number;
  /** Tasks created for patients outside the cohort. */
  outsideCohortTasks: number;
  /** Tasks created by shadow-mode messages (must be 0). */
  shadowTasks: number;
  openAlerts: AlertRecord[];
  webhookBodies: unknown[];
  csv: string;
  html: string;
  metrics: string;
  /** Replaying an auto-mode message wrote nothing twice. */
  replayWrites: { before: number; after: number };
}

export interface PilotOptions {
  log?: (line: string) => void;
  /** Weeks of discharges per step (each week: one discharge per demo patient). */
  weeksPerStep?: number;
}

function pct(v: number | null): string {
  return v === null ? '   -' : `${(v * 100).toFixed(0).padStart(3)}%`;
}

function describeStep(step: PilotStep): string[] {
  const v = step.value;
  const a = v.agreement;
  const fields = Object.entries(a.perField)
    .map(([name, f]) => `${name} ${pct(f.rate)}`)
    .join(', ');
  const checks = v.checklist.items.map((c) => `${c.ok ? 'ok' : 'NO'} ${c.check} ${c.bar}`).join('; ');
  return [
    `--- ${step.name} (cohort site=main-street in ${step.mode}${step.degraded ? ', extractor degraded' : ''}) ---`,
    `  events ${v.events} (shadow ${v.byMode.shadow}, suggest ${v.byMode.suggest}, auto ${v.byMode.auto}), discrepancies ${v.discrepancies}, accepted ${v.accepted}`,
    `  agreement ${pct(a.rate)} over ${a.compared} items (decisions ${a.bySource.decision}, pharmacy state ${a.bySource['pharmacy-state']}, no action ${a.bySource['no-action']}); precision ${pct(a.precision)}, recall ${pct(a.recall)}`,
    `  per field: ${fields || '-'}`,
    `  decided ${v.decided}: approved ${pct(v.approvalRate)}, edited ${pct(v.editRate)}, rejected ${pct(v.rejectRate)}; auto-applied ${v.autoApplied} (reviewed after: kept ${v.autoConfirmed}, reversed ${v.reversals})`,
    `  median minutes to decision ${v.medianMinutesToDecision ?? '-'}, latency p50 ${v.latencyP50Ms ?? '-'} ms p99 ${v.latencyP99Ms ?? '-'} ms, mean confidence ${v.meanConfidence?.toFixed(2) ?? '-'}`,
    `  minutes saved ${v.minutesSaved} (shadow events would have saved ${v.minutesSavedIfSuggest} in suggest)`,
    `  checklist for ${v.checklist.next ?? '-'}: ${checks || '-'} => ${v.checklist.ready ? 'READY' : 'not ready'}`,
    `  alerts: ${step.alerts.map((al) => `${al.rule} (${al.severity}): ${al.message}`).join(' | ') || 'none'}; webhooks delivered ${step.webhooks}`,
  ];
}

async function startWebhookSink(): Promise<{ server: Server; url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as unknown);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/alerts`, bodies };
}

export async function runPilot(options: PilotOptions = {}): Promise<PilotResult> {
  const log = options.log ?? (() => undefined);
  const weeks = options.weeksPerStep ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'rxb-pilot-'));
  const clock = new ManualClock(START);
  const dbPath = join(dir, 'rxbridge.db');
  let store: SqliteStore | undefined;
  let rollout: RolloutStore | undefined;
  const sink = await startWebhookSink();
  try {
    store = await openSqliteStore({ path: dbPath, clock });
    rollout = openSqliteRolloutStore(dbPath);
    const base = createStarterTerminology();
    const degraded = degradedTerminology(base);
    const pharmacy = createWritablePharmacy(createEmbeddedPharmacy(demoPharmacyAsOf(DEMO_PHARMACY, START)));
    const review = createReviewService({
      tasks: store.tasks,
      audit: store.audit,
      clock,
      effects: createTaskEffects({
        writers: [pharmacy],
        pharmacy,
        consent: treatmentConsent(),
        audit: store.audit,
        clock,
      }),
    });
    const pharmacist: PharmacistDeps = { rollout, pharmacy, review, tasks: store.tasks, clock };
    const registry = new Registry();
    const metrics = createRolloutMetrics(registry);
    const gate = createRolloutGate({
      store: rollout,
      audit: store.audit,
      clock,
      writeBack: pharmacy,
      metrics,
      guardrails: {
        [WORKFLOW]: {
          types: ['discontinued-still-active', 'held-still-active', 'frequency-change'],
          minConfidence: 0.7,
          maxPerHour: 20,
          maxPerDay: 100,
        },
      },
    });
    const processors = new Map(
      [base, degraded].map((terminology) => [
        terminology,
        createMessageProcessor({
          pharmacy,
          terminology,
          tasks: store!.tasks,
          audit: store!.audit,
          clock,
          logger: silentLogger,
          rollout: gate,
        }),
      ]),
    );
    const cohortPatients = new Set(
      DEMO_PHARMACY.profiles.filter((p) => p.patient.site === 'main-street').map((p) => p.patient.id),
    );
    const steps: PilotStep[] = [];
    let serial = 0;
    let week = 0;
    let previous: WorkflowValue | undefined;
    let shadowTasks = 0;
    const allSent: Array<SentDischarge & { mode: RolloutMode }> = [];

    const runStep = async (
      name: string,
      mode: RolloutMode,
      reason: string,
      degrade = false,
    ): Promise<void> => {
      if (!degrade)
        await setMode(rollout!, store!.audit, {
          workflow: WORKFLOW,
          mode,
          cohort: COHORT,
          actor: 'user:pilot-lead',
          reason,
          source: 'eval/pilot.ts',
          at: clock.now(),
        });
      const since = clock.now();
      const webhooksBefore = sink.bodies.length;
      const process = processors.get(degrade ? degraded : base)!;
      for (let w = 0; w < weeks; w++, week++) {
        const sent: SentDischarge[] = [];
        for (const [index, seed] of DEMO_PHARMACY.profiles.entries()) {
          const profile = (await pharmacy.getProfile(seed.patient.id))!;
          const discharge = dischargeFor(profile, week, index, base);
          clock.advance(30 * MINUTE_MS);
          const controlId = `PILOT${String(serial).padStart(5, '0')}`;
          const appended = await store!.messages.append({
            channel: 'mllp:pilot',
            format: 'hl7v2',
            idempotencyKey: `EPICADT|GENHOSP|${controlId}`,
            partitionKey: `${profile.patient.identifiers[1]?.value ?? ''}^^^GENHOSP`,
            raw: new TextEncoder().encode(dischargeMessage(discharge, clock.now(), controlId)),
            summary: { type: 'ADT^A03', controlId, sender: 'GENHOSP' },
          });
          const [message] = await store!.messages.claim('pilot', 1, 60_000);
          if (message === undefined || message.id !== appended.id) throw new Error('pilot: claim mismatch');
          clock.advance(2_000 + (serial % 7) * 150);
          const outcome = await process(message);
          await store!.messages.settle(message.id, 'pilot', outcome);
          if (mode === 'shadow' && cohortPatients.has(seed.patient.id))
            shadowTasks += await store!.tasks.count({ sourceMessageId: message.id });
          sent.push({ messageId: message.id, discharge, receivedAt: message.receivedAt, serial });
          allSent.push({ messageId: message.id, discharge, receivedAt: message.receivedAt, serial, mode });
          serial++;
        }
        for (const s of sent)
          await pharmacistWorks(s, cohortPatients.has(s.discharge.patient.id) ? mode : 'off', pharmacist);
        clock.set(new Date(START.getTime() + (week + 1) * WEEK_MS));
      }
      const until = clock.now();
      const report = await buildValueReport(rollout!, {
        since,
        until,
        workflows: [WORKFLOW],
        bars: PILOT_BARS,
        pharmacy,
        workspaceDecisions: await workspaceDecisions(store!.tasks, since),
        now: until,
      });
      const value = report.workflows[0]!;
      metrics.agreement.set({ workflow: WORKFLOW }, value.agreement.rate ?? 0);
      metrics.accuracy.set({ workflow: WORKFLOW }, value.agreement.precision ?? 0);
      metrics.autoErrorRate.set({ workflow: WORKFLOW }, value.autoErrorRate ?? 0);
      await applyRules(evaluateRules(value, previous, THRESHOLDS), {
        store: rollout!,
        notifiers: [webhookNotifier(sink.url)],
        quietPeriodMs: 3_600_000,
        now: until,
        metrics,
      });
      const step: PilotStep = {
        name,
        mode,
        degraded: degrade,
        value,
        alerts: await rollout!.alerts({ openOnly: true }),
        webhooks: sink.bodies.length - webhooksBefore,
      };
      steps.push(step);
      for (const l of describeStep(step)) log(l);
      previous = value;
    };

    log(
      `pilot: ${DEMO_PHARMACY.profiles.length} demo patients, cohort site=main-street (${cohortPatients.size}), ${weeks} weeks per step; everyone else stays off`,
    );
    await setMode(rollout, store.audit, {
      workflow: WORKFLOW,
      mode: 'off',
      actor: 'user:pilot-lead',
      reason: 'pilot start: discharge reconciliation off for every site until the pilot shows its value',
      source: 'eval/pilot.ts',
      at: clock.now(),
    });
    await runStep('step 1: off', 'off', 'baseline: pharmacists reconcile by hand, the engine does nothing');
    await runStep('step 2: shadow', 'shadow', 'read-only validation on real discharges for main-street');
    await runStep(
      'step 3: suggest',
      'suggest',
      'shadow agreement met the bar: pharmacists approve suggestions',
    );
    await runStep(
      'step 4: auto',
      'auto',
      'suggest approval rate met the bar: auto for stop/hold/frequency within guardrails',
    );
    await runStep('step 5: auto with a degraded extractor (forced regression)', 'auto', '', true);

    // A replay of an auto-mode message must not write twice.
    const autoMessage = allSent.find(
      (s) => s.mode === 'auto' && s.discharge.kind === 'stop' && cohortPatients.has(s.discharge.patient.id),
    );
    const writesBefore = (await store.audit.list({ actor: 'system:rollout', limit: 10_000 })).length;
    if (autoMessage) {
      await store.messages.replay(
        autoMessage.messageId,
        'user:pilot-lead',
        'pilot: replay must not write twice',
      );
      const [again] = await store.messages.claim('pilot', 1, 60_000);
      if (again) await store.messages.settle(again.id, 'pilot', await processors.get(base)!(again));
    }
    const writesAfter = (await store.audit.list({ actor: 'system:rollout', limit: 10_000 })).length;

    const modeChanges = (await store.audit.list({ actor: 'user:pilot-lead', limit: 10_000 }))
      .filter((a) => a.category === 'config' && a.entity?.startsWith(`rollout:${WORKFLOW}`))
      .reverse();
    const autoWrites = (await store.audit.list({ actor: 'system:rollout', limit: 10_000 })).filter(
      (a) => a.category === 'medication',
    );
    const runs = await rollout.runs({ workflow: WORKFLOW });
    const autoAppliedKeys = runs.flatMap((r) =>
      r.items.filter((i) => i.disposition === 'auto-applied' && i.write).map((i) => i.write!.key),
    );
    const outsideMessages = new Set(
      allSent.filter((s) => !cohortPatients.has(s.discharge.patient.id)).map((s) => s.messageId),
    );
    let outsideCohortTasks = 0;
    for (const id of outsideMessages) outsideCohortTasks += await store.tasks.count({ sourceMessageId: id });
    const full = await buildValueReport(rollout, {
      since: START,
      until: clock.now(),
      workflows: [WORKFLOW],
      bars: PILOT_BARS,
      pharmacy,
      workspaceDecisions: await workspaceDecisions(store.tasks, START),
      now: clock.now(),
    });
    const result: PilotResult = {
      steps,
      modeChanges,
      autoWrites,
      autoAppliedKeys: [...new Set(autoAppliedKeys)],
      outsideCohortRuns: runs.filter((r) => outsideMessages.has(r.messageId)).length,
      outsideCohortTasks,
      shadowTasks,
      openAlerts: await rollout.alerts({ openOnly: true }),
      webhookBodies: [...sink.bodies],
      csv: reportCsv(full),
      html: reportHtml(full),
      metrics: await registry.metrics(),
      replayWrites: { before: writesBefore, after: writesAfter },
    };
    log('--- audit trail ---');
    for (const a of modeChanges) log(`  ${a.at.toISOString()} ${a.actor} ${a.entity}: ${a.detail ?? ''}`);
    log(
      `  auto-applied writes audited: ${autoWrites.filter((a) => a.outcome === 'success').length} (of ${result.autoAppliedKeys.length} auto-applied items); first: ${autoWrites[0]?.detail ?? '-'}`,
    );
    log(`  replay of an auto-mode message: audited writes ${writesBefore} before, ${writesAfter} after`);
    log(
      `  outside the cohort: ${result.outsideCohortRuns} runs, ${result.outsideCohortTasks} tasks; shadow-mode tasks: ${shadowTasks}`,
    );
    log(`--- whole pilot (CSV) ---\n${result.csv.trimEnd()}`);
    return result;
  } finally {
    await rollout?.close();
    await store?.close();
    await new Promise((resolve) => sink.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

export const pilotEval = {
  name: 'rollout pilot (off → shadow → suggest → auto, forced regression)',
  async run(): Promise<void> {
    await runPilot({ log: (l) => console.log(l) });
  },
};

if (process.argv[1]?.endsWith('pilot.ts')) await pilotEval.run();
