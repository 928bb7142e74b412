// The EHR flows (issue #7): a pharmacy patient linked to the EHR gets a full medication reconciliation; a new
// prescription is checked against the EHR's allergies, problems and labs; a scheduled incremental sync flags what
// changed. Every read asks the consent registry first and is audited; every task is idempotent by key, so a retry,
// a redelivery or an unchanged sync creates nothing new.
import { createHash } from 'node:crypto';
import type {
  AllergyIntolerance,
  Condition,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Resource,
} from '@medplum/fhirtypes';
import type { CheckAllergy, CheckLab, CheckPatient, CheckProblem, DrugOrder } from '../checks/check-input.ts';
import {
  allergyFromFhir,
  drugOrderFromFhir,
  factsFromResources,
  patientFromFhir,
} from '../checks/fhir-check-input.ts';
import type { Finding } from '../checks/finding.ts';
import { activeOrdersOf, allergiesOf } from '../checks/pharmacy-facts.ts';
import { preparePatientContext, runChecks, runProfileChecks } from '../checks/run-checks.ts';
import type { AuditLog } from '../governance/audit/audit-log.ts';
import { consentGatedEhr } from '../governance/consent/consent-gated-ehr.ts';
import type { ConsentRegistry } from '../governance/consent/consent-registry.ts';
import { fetchClinicalContext, type ClinicalContext } from '../inbound/fhir/clinical-context.ts';
import type { FhirResourceStore } from '../inbound/fhir/fhir-resource-store.ts';
import { syncIncremental, type SyncChange } from '../inbound/fhir/incremental-sync.ts';
import type { Clock } from '../kernel/clock.ts';
import { ErrorCode, RxBridgeError } from '../kernel/errors.ts';
import type { EhrClient } from '../platform/ehr/ehr-client.ts';
import type { ClinicalQuestion, VendorProfile } from '../platform/ehr/vendor-profiles.ts';
import type { EngineMetrics } from '../platform/metrics/metrics.ts';
import { fileTasks } from './create-tasks.ts';
import type { PharmacyProfile, PharmacySystem } from '../platform/pharmacy/pharmacy-system.ts';
import type { NewTask, Task, TaskStore } from '../platform/store/task-store.ts';
import { ehrMedicationFromFhir } from '../reconcile/ehr-medication-from-fhir.ts';
import { reconcileMedications } from '../reconcile/reconcile-medications.ts';
import { discrepancyItems, highestPriority } from '../review/discharge-tasks.ts';
import { findingTasks } from '../review/follow-ups.ts';
import { ReviewTaskType } from '../review/task-model.ts';
import type { Terminology } from '../terminology/terminology.ts';

export interface EhrFlowsDeps {
  client: EhrClient;
  profile: VendorProfile;
  /** Where fetched resources, sync watermarks and patient links are kept. */
  store: FhirResourceStore;
  /** The EHR's Patient.identifier system for each assigning authority the pharmacy records (GENHOSP → urn:oid:…). */
  identifierSystems: Readonly<Record<string, string>>;
  pharmacy: PharmacySystem;
  terminology: Terminology;
  tasks: TaskStore;
  audit: AuditLog;
  clock: Clock;
  metrics?: EngineMetrics;
  /** Asked before every read of a patient's EHR data; without it, reads are not consent-gated (tests, tools). */
  consent?: ConsentRegistry;
  /** A newly linked patient gets a full reconciliation (default true). */
  reconcileOnLink?: boolean;
}

export interface EhrLink {
  ehrPatientId: string;
  /** True when this call made the link (the patient was not linked before). */
  created: boolean;
}

export interface CreatedTasks {
  tasks: Array<{ task: Task; created: boolean }>;
  /** What the EHR could not answer (no search offered, consent refused). */
  unanswered: Array<{ question: string; reason: string }>;
}

export interface NewPrescriptionInput {
  profile: PharmacyProfile;
  /** The ordered medicines (MedicationRequest from RDE/OMP). */
  orders: readonly MedicationRequest[];
  /** Facts the message itself carries (AL1 → AllergyIntolerance, DG1 → Condition, OBX → Observation). */
  messageResources: readonly Resource[];
  messageId: string;
  sourceIdentifier?: string;
  /** Rollout shadow mode: check and report the findings, create no task. */
  shadow?: boolean;
}

export interface NewPrescriptionResult extends CreatedTasks {
  findings: Finding[];
  link: EhrLink | undefined;
  /** The reconciliation made because this message linked the patient. */
  linked?: CreatedTasks;
}

export interface SyncReport {
  patients: number;
  searches: number;
  changes: number;
  /** Patients whose changes were reconciled, and the tasks that made. */
  flagged: Array<{ pharmacyPatientId: string; changes: SyncChange[]; tasksCreated: number }>;
  failures: Array<{ pharmacyPatientId: string; error: string }>;
}

export interface EhrFlows {
  readonly endpoint: string;
  /** The EHR patient for a pharmacy patient: the stored link, else a search by the pharmacy's identifiers. */
  link(profile: PharmacyProfile, source: string): Promise<EhrLink | undefined>;
  /** Full reconciliation of the EHR's medication list (and checks with its allergies, problems, labs). */
  reconcile(
    profile: PharmacyProfile,
    ehrPatientId: string,
    trigger: { kind: 'linked' | 'sync' | 'request'; messageId?: string; changes?: SyncChange[] },
  ): Promise<CreatedTasks>;
  /** Links the patient (reconciling when new), then checks the new orders with the EHR's facts. */
  checkNewPrescription(input: NewPrescriptionInput): Promise<NewPrescriptionResult>;
  /** One incremental sync over every linked patient; patients with changes are reconciled. */
  syncLinked(): Promise<SyncReport>;
  /** Resources the EHR pushed (a subscription notification): the linked patients they concern are reconciled. */
  flagPushed(resources: readonly Resource[]): Promise<SyncReport['flagged']>;
}

const ACTOR = 'system:pipeline';
/** Checks a new order is put through that become a task (drug-disease beside the profile review's). */
const NEW_ORDER_TASK_TYPES: Readonly<Partial<Record<string, string>>> = {
  'drug-allergy': ReviewTaskType.AllergyConflict,
  'drug-drug-interaction': ReviewTaskType.Interaction,
  'duplicate-therapy': ReviewTaskType.Interaction,
  'drug-disease': ReviewTaskType.Interaction,
  'renal-dosing': ReviewTaskType.RenalDose,
};
const MEDICATION_TYPES = new Set(['MedicationRequest', 'MedicationStatement']);

const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);

function patientOf(profile: PharmacyProfile, sourceIdentifier?: string): NewTask['patient'] {
  const p = profile.patient;
  return {
    pharmacyPatientId: p.id,
    ...(sourceIdentifier !== undefined ? { sourceIdentifier } : {}),
    display: `${p.family.toUpperCase()}, ${p.given} (${p.id})`,
  };
}

/** The pharmacy's own facts in the checks' terms: allergies and the active prescriptions. */
function pharmacyFacts(profile: PharmacyProfile): { allergies: CheckAllergy[]; active: DrugOrder[] } {
  return { allergies: allergiesOf(profile), active: activeOrdersOf(profile) };
}

/** Age and sex as the checks take them. */
function checkPatientOf(profile: PharmacyProfile, asOf: Date): CheckPatient {
  const p = profile.patient;
  return patientFromFhir({ resourceType: 'Patient', birthDate: p.birthDate, gender: p.gender }, asOf);
}

/** An allergy recorded on both sides is checked once (same substance text or same RxCUI). */
function mergeAllergies(a: readonly CheckAllergy[], b: readonly CheckAllergy[]): CheckAllergy[] {
  const out = [...a];
  for (const x of b) {
    const dup = out.some(
      (y) =>
        (x.rxcui !== undefined && x.rxcui === y.rxcui) ||
        x.substance.trim().toLowerCase() === y.substance.trim().toLowerCase(),
    );
    if (!dup) out.push(x);
  }
  return out;
}

/** The EHR's copy of an order the message carries: same identifier value, or the same drug written that day. */
function isSameOrder(ehr: MedicationRequest | MedicationStatement, order: MedicationRequest): boolean {
  const ids = new Set((order.identifier ?? []).map((i) => i.value).filter((v) => v !== undefined));
  if ((ehr.identifier ?? []).some((i) => i.value !== undefined && ids.has(i.value))) return true;
  if (ehr.resourceType !== 'MedicationRequest') return false;
  const a = drugOrderFromFhir(ehr);
  const b = drugOrderFromFhir(order);
  const sameDrug =
    (a.rxcui !== undefined && a.rxcui === b.rxcui) ||
    a.name.trim().toLowerCase() === b.name.trim().toLowerCase();
  return sameDrug && (ehr.authoredOn ?? '').slice(0, 10) === (order.authoredOn ?? '-').slice(0, 10);
}

export function createEhrFlows(deps: EhrFlowsDeps): EhrFlows {
  const endpoint = deps.client.endpoint;
  const now = (): Date => deps.clock.now();
  const clientFor = (pharmacyPatientId: string): EhrClient =>
    deps.consent
      ? consentGatedEhr(deps.client, deps.consent, {
          patient: pharmacyPatientId,
          purpose: 'TREAT',
          actor: ACTOR,
        })
      : deps.client;

  const auditRead = (
    patient: string,
    source: string,
    outcome: 'success' | 'failure' | 'denied',
    detail: string,
  ) =>
    deps.audit.record({
      actor: ACTOR,
      action: 'read',
      category: 'ehr',
      patient,
      source,
      outcome,
      entity: `ehr:${endpoint}`,
      detail: detail.slice(0, 500),
    });

  const store = (tasks: readonly NewTask[], patient: string, source: string) =>
    fileTasks(
      { tasks: deps.tasks, audit: deps.audit, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
      tasks,
      patient,
      source,
    );

  /** Reads the questions for a patient, keeps a copy (the sync's baseline) and audits the read. */
  const context = async (
    pharmacyPatientId: string,
    ehrPatientId: string,
    questions: readonly ClinicalQuestion[],
    source: string,
  ): Promise<ClinicalContext> => {
    let ctx: ClinicalContext;
    try {
      ctx = await fetchClinicalContext(clientFor(pharmacyPatientId), deps.profile, ehrPatientId, questions);
    } catch (error) {
      const denied = error instanceof RxBridgeError && error.code === ErrorCode.ConsentDenied;
      await auditRead(pharmacyPatientId, source, denied ? 'denied' : 'failure', firstLine(error));
      if (denied) {
        return {
          patientId: ehrPatientId,
          answers: {},
          unanswered: questions.map((question) => ({ question, reason: firstLine(error) })),
        };
      }
      throw error;
    }
    const resources = Object.values(ctx.answers).flatMap((a) => a?.resources ?? []);
    deps.store.upsert(endpoint, resources);
    const counts = Object.entries(ctx.answers)
      .map(([q, a]) => `${q} ${a?.resources.length ?? 0}`)
      .join(', ');
    await auditRead(
      pharmacyPatientId,
      source,
      'success',
      `${counts}${ctx.unanswered.length ? '; unanswered: ' + ctx.unanswered.map((u) => u.question).join(', ') : ''}`,
    );
    return ctx;
  };

  const link = async (profile: PharmacyProfile, source: string): Promise<EhrLink | undefined> => {
    const p = profile.patient;
    const known = deps.store.patientLink(endpoint, p.id);
    if (known !== undefined) return { ehrPatientId: known, created: false };
    const client = clientFor(p.id);
    for (const id of p.identifiers) {
      const system = deps.identifierSystems[id.system];
      if (system === undefined) continue;
      let matches: Resource[];
      try {
        matches = (
          await client.searchAll('Patient', { identifier: `${system}|${id.value}` }, { cache: false })
        ).matches;
      } catch (error) {
        const denied = error instanceof RxBridgeError && error.code === ErrorCode.ConsentDenied;
        await auditRead(p.id, source, denied ? 'denied' : 'failure', `Patient search: ${firstLine(error)}`);
        if (denied) return undefined;
        throw error;
      }
      await auditRead(
        p.id,
        source,
        'success',
        `Patient search by ${id.system} identifier: ${matches.length} match(es)`,
      );
      // Only an unambiguous match links: two EHR patients with one MRN is a question for a person.
      const only = matches.length === 1 ? matches[0] : undefined;
      if (only?.id === undefined) continue;
      const created = deps.store.setPatientLink(endpoint, p.id, only.id, now().toISOString());
      return { ehrPatientId: only.id, created };
    }
    return undefined;
  };

  /** The reconciliation, and the EHR context it read (a caller that needs the same facts does not read them again). */
  const reconcileReading = async (
    profile: PharmacyProfile,
    ehrPatientId: string,
    trigger: Parameters<EhrFlows['reconcile']>[2],
  ): Promise<CreatedTasks & { ctx: ClinicalContext }> => {
    const p = profile.patient;
    const source = `ehr:${endpoint}:${trigger.kind === 'linked' ? 'patient-linked' : trigger.kind}`;
    const ctx = await context(p.id, ehrPatientId, ['medications', 'allergies', 'problems', 'labs'], source);
    const asOf = now();
    const medications = (ctx.answers.medications?.resources ?? []).filter(
      (r): r is MedicationRequest | MedicationStatement => MEDICATION_TYPES.has(r.resourceType),
    );
    const tasks: NewTask[] = [];
    const provenance = {
      ehr: { endpoint, trigger: trigger.kind, unanswered: ctx.unanswered },
      ...(trigger.changes ? { changes: trigger.changes } : {}),
    };
    if (ctx.answers.medications !== undefined) {
      const result = reconcileMedications({
        ehr: medications.map((r) => ehrMedicationFromFhir(r)),
        profile,
        terminology: deps.terminology,
        asOf,
        source: 'ehr-list',
      });
      if (result.discrepancies.length > 0) {
        const items = discrepancyItems(result);
        // The set of discrepancies names the task: the same set found again (a later sync) is the same task.
        const digest = createHash('sha256')
          .update(
            items
              .map((i) => i.id)
              .sort()
              .join(','),
          )
          .digest('hex')
          .slice(0, 16);
        tasks.push({
          key: `${ReviewTaskType.MedicationReconciliation}:${p.id}:${endpoint}:${digest}`,
          type: ReviewTaskType.MedicationReconciliation,
          priority: highestPriority(items.map((i) => i.priority)),
          patient: patientOf(profile),
          site: p.site,
          ...(trigger.messageId ? { sourceMessageId: trigger.messageId } : {}),
          dueAt: new Date(asOf.getTime() + 24 * 3_600_000),
          payload: {
            summary: `EHR list (${endpoint}): ${result.summary}`,
            items,
            matched: result.matched,
            source: { endpoint, trigger: trigger.kind, ehrPatient: ehrPatientId },
            ...provenance,
          },
        });
      }
    }
    // The whole profile checked with the EHR's allergies, problems and labs beside the pharmacy's own.
    const facts = factsFromResources(Object.values(ctx.answers).flatMap((a) => a?.resources ?? []));
    const own = pharmacyFacts(profile);
    const prepared = preparePatientContext({
      patient: checkPatientOf(profile, asOf),
      allergies: mergeAllergies(own.allergies, facts.allergies),
      problems: facts.problems,
      labs: facts.labs,
      activeMedications: own.active,
      terminology: deps.terminology,
      asOf,
    });
    tasks.push(
      ...findingTasks({
        findings: runProfileChecks(prepared),
        patient: patientOf(profile),
        site: p.site,
        asOf,
        ...(trigger.messageId ? { sourceMessageId: trigger.messageId } : {}),
        context: provenance,
      }),
    );
    return { tasks: await store(tasks, p.id, source), unanswered: ctx.unanswered, ctx };
  };
  const reconcile: EhrFlows['reconcile'] = async (profile, ehrPatientId, trigger) => {
    const { tasks, unanswered } = await reconcileReading(profile, ehrPatientId, trigger);
    return { tasks, unanswered };
  };

  return {
    endpoint,
    link,
    reconcile,

    async checkNewPrescription(input) {
      const { profile } = input;
      const p = profile.patient;
      const source = `ehr:${endpoint}:new-prescription`;
      const linkResult = await link(profile, source);
      let linked: (CreatedTasks & { ctx: ClinicalContext }) | undefined;
      if (linkResult?.created && deps.reconcileOnLink !== false) {
        linked = await reconcileReading(profile, linkResult.ehrPatientId, {
          kind: 'linked',
          messageId: input.messageId,
        });
      }
      const unanswered: Array<{ question: string; reason: string }> = [];
      let ehrResources: Resource[] = [];
      if (linkResult === undefined) {
        unanswered.push({ question: 'patient', reason: `no unambiguous match on ${endpoint}` });
      } else {
        // A first contact's reconciliation has just read the same four questions.
        const ctx =
          linked?.ctx ??
          (await context(
            p.id,
            linkResult.ehrPatientId,
            ['medications', 'allergies', 'problems', 'labs'],
            source,
          ));
        unanswered.push(...ctx.unanswered);
        ehrResources = Object.values(ctx.answers).flatMap((a) => a?.resources ?? []);
      }
      const asOf = now();
      // The EHR's copy of the very order is not a second medicine.
      const otherEhr = ehrResources.filter(
        (r) =>
          !MEDICATION_TYPES.has(r.resourceType) ||
          !input.orders.some((o) => isSameOrder(r as MedicationRequest | MedicationStatement, o)),
      );
      const ehrFacts = factsFromResources(otherEhr);
      const fromMessage = factsFromResources(
        input.messageResources.filter((r) => !MEDICATION_TYPES.has(r.resourceType)),
      );
      const own = pharmacyFacts(profile);
      const allergies = mergeAllergies(
        mergeAllergies(own.allergies, ehrFacts.allergies),
        input.messageResources
          .filter((r): r is AllergyIntolerance => r.resourceType === 'AllergyIntolerance')
          .map(allergyFromFhir),
      );
      const problems: CheckProblem[] = [...ehrFacts.problems, ...fromMessage.problems];
      const labs: CheckLab[] = [...ehrFacts.labs, ...fromMessage.labs];
      // A medicine on both lists is checked once.
      const sameDrug = (a: DrugOrder, b: DrugOrder): boolean =>
        (a.rxcui !== undefined && a.rxcui === b.rxcui) ||
        a.name.trim().toLowerCase() === b.name.trim().toLowerCase();
      const active = [
        ...own.active,
        ...ehrFacts.medications.filter((m) => !own.active.some((o) => sameDrug(o, m))),
      ];
      const prepared = preparePatientContext({
        patient: checkPatientOf(profile, asOf),
        allergies,
        problems,
        labs,
        activeMedications: active,
        terminology: deps.terminology,
        asOf,
      });
      const findings: Finding[] = [];
      const tasks: NewTask[] = [];
      for (const order of input.orders) {
        const drug = drugOrderFromFhir(order);
        const found = runChecks({ order: drug, context: prepared });
        findings.push(...found);
        tasks.push(
          ...findingTasks({
            findings: found,
            patient: patientOf(profile, input.sourceIdentifier),
            site: p.site,
            asOf,
            sourceMessageId: input.messageId,
            types: NEW_ORDER_TASK_TYPES,
            context: {
              order: { name: drug.name, sig: order.dosageInstruction?.[0]?.text ?? null },
              ehr: {
                endpoint,
                patientLinked: linkResult !== undefined,
                facts: {
                  allergies: allergies.length,
                  problems: problems.length,
                  labs: labs.length,
                  medications: active.length,
                },
                unanswered,
              },
              source: { messageId: input.messageId },
            },
          }),
        );
      }
      return {
        tasks: input.shadow ? [] : await store(tasks, p.id, source),
        unanswered,
        findings,
        link: linkResult,
        ...(linked ? { linked: { tasks: linked.tasks, unanswered: linked.unanswered } } : {}),
      };
    },

    async flagPushed(resources) {
      const linked = new Map(
        deps.store.patientLinks(endpoint).map((l) => [l.ehrPatientId, l.pharmacyPatientId]),
      );
      const byPatient = new Map<string, SyncChange[]>();
      for (const r of resources) {
        const pharmacyPatientId = linked.get(patientIdOf(r) ?? '');
        if (pharmacyPatientId === undefined || r.id === undefined) continue;
        const list = byPatient.get(pharmacyPatientId) ?? [];
        list.push({ resourceType: r.resourceType, id: r.id, change: 'updated' });
        byPatient.set(pharmacyPatientId, list);
      }
      const flagged: SyncReport['flagged'] = [];
      for (const [pharmacyPatientId, changes] of byPatient) {
        const profile = await deps.pharmacy.getProfile(pharmacyPatientId);
        const ehrPatientId = deps.store.patientLink(endpoint, pharmacyPatientId);
        if (profile === undefined || ehrPatientId === undefined) continue;
        const made = await reconcile(profile, ehrPatientId, { kind: 'sync', changes });
        flagged.push({
          pharmacyPatientId,
          changes,
          tasksCreated: made.tasks.filter((t) => t.created).length,
        });
      }
      return flagged;
    },

    async syncLinked() {
      const report: SyncReport = { patients: 0, searches: 0, changes: 0, flagged: [], failures: [] };
      for (const l of deps.store.patientLinks(endpoint)) {
        report.patients++;
        const source = `ehr:${endpoint}:sync`;
        try {
          const result = await syncIncremental({
            client: clientFor(l.pharmacyPatientId),
            store: deps.store,
            profile: deps.profile,
            patients: [l.ehrPatientId],
            questions: ['medications', 'allergies', 'problems', 'labs'],
          });
          report.searches += result.searches;
          report.changes += result.changes.length;
          await auditRead(
            l.pharmacyPatientId,
            source,
            'success',
            `${result.counts.inserted} new, ${result.counts.updated} updated, ${result.counts.unchanged} unchanged`,
          );
          if (result.changes.length === 0) continue;
          const profile = await deps.pharmacy.getProfile(l.pharmacyPatientId);
          if (profile === undefined) continue;
          const made = await reconcile(profile, l.ehrPatientId, { kind: 'sync', changes: result.changes });
          report.flagged.push({
            pharmacyPatientId: l.pharmacyPatientId,
            changes: result.changes,
            tasksCreated: made.tasks.filter((t) => t.created).length,
          });
        } catch (error) {
          const denied = error instanceof RxBridgeError && error.code === ErrorCode.ConsentDenied;
          await auditRead(l.pharmacyPatientId, source, denied ? 'denied' : 'failure', firstLine(error));
          report.failures.push({ pharmacyPatientId: l.pharmacyPatientId, error: firstLine(error) });
        }
      }
      return report;
    },
  };
}

/** The EHR patient a resource belongs to (the Patient itself, or its subject / patient reference). */
function patientIdOf(r: Resource): string | undefined {
  if (r.resourceType === 'Patient') return r.id;
  const ref =
    (r as { subject?: { reference?: string }; patient?: { reference?: string } }).subject?.reference ??
    (r as { patient?: { reference?: string } }).patient?.reference;
  const m = ref === undefined ? null : /(?:^|\/)Patient\/([^/]+)$/.exec(ref);
  return m?.[1];
}

/** The resources a message carries that the checks read beside the order (allergies, diagnoses, results). */
export function messageFacts(resources: readonly Resource[]): Resource[] {
  return resources.filter(
    (r): r is AllergyIntolerance | Condition | Observation =>
      r.resourceType === 'AllergyIntolerance' ||
      r.resourceType === 'Condition' ||
      r.resourceType === 'Observation',
  );
}
