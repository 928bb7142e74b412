// Runs one stored message through the stages (normalize → extract → reconcile → review) and says how it ended.
import type {
  Bundle,
  MedicationRequest,
  Resource,
  MedicationStatement,
  Observation,
  Patient,
} from '@medplum/fhirtypes';
import { FROM_NARRATIVE_URL, convertCcdaDocument } from '../extract/ccda-narrative.ts';
import { embeddedCcdaDocuments } from '../normalize/ccda/embedded-ccda.ts';
import type { AuditLog } from '../governance/audit/audit-log.ts';
import { extractMedications } from '../extract/rules/extract-medications.ts';
import type { ExtractedMedication } from '../extract/rules/extracted-medication.ts';
import type { Clock } from '../kernel/clock.ts';
import { formatIssues, type Issue } from '../kernel/result.ts';
import { convertHl7v2 } from '../normalize/hl7v2/convert-hl7v2.ts';
import type { Logger } from '../platform/log/logger.ts';
import type { EngineMetrics } from '../platform/metrics/metrics.ts';
import type {
  PatientMatch,
  PharmacyIdentifier,
  PharmacyProfile,
  PharmacySystem,
} from '../platform/pharmacy/pharmacy-system.ts';
import { EhrError } from '../platform/ehr/ehr-client.ts';
import { ErrorCode } from '../kernel/errors.ts';
import { fileTasks } from './create-tasks.ts';
import { messageFacts, type EhrFlows } from './ehr-flows.ts';
import { dispenseReportTask, immunizationReportTask } from '../review/outbound-tasks.ts';
import type { MessageState } from '../platform/store/message-state.ts';
import type { SettleOutcome, StoredMessage } from '../platform/store/message-store.ts';
import type { NewTask, TaskStore } from '../platform/store/task-store.ts';
import { ehrMedicationFromExtraction, type EhrMedication } from '../reconcile/ehr-medication.ts';
import { ehrMedicationFromFhir } from '../reconcile/ehr-medication-from-fhir.ts';
import { reconcileMedications } from '../reconcile/reconcile-medications.ts';
import type { Terminology } from '../terminology/terminology.ts';
import { dischargeTasksFor } from '../review/discharge-tasks.ts';
import { localAuthorityOf } from '../normalize/hl7v2/hl7-datatypes.ts';
import type { RolloutGate } from '../review/rollout/rollout-gate.ts';

export interface ProcessorDeps {
  pharmacy: PharmacySystem;
  terminology: Terminology;
  tasks: TaskStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  metrics?: EngineMetrics;
  /** Rollout (#11): the workflow's mode for the message's cohort. Without it every discharge gets its tasks. */
  rollout?: RolloutGate;
  /** The EHR flows (#7): new prescriptions checked with the EHR's facts, patients linked and reconciled. */
  ehr?: EhrFlows;
  /** Channels the pharmacy system sends on (its dispenses and vaccinations go to the EHR); others are EHR feeds. */
  pharmacyChannels?: ReadonlySet<string>;
}

/** Message types that carry a discharge (ADT^A03 in HL7 v2.x; its A03 structure is shared by A03 only). */
const DISCHARGE_TYPES = new Set(['ADT^A03']);
/** A new prescription from the prescriber's system: checked against the EHR's allergies, problems and labs. */
const NEW_PRESCRIPTION_TYPES = new Set(['RDE^O11', 'RDE^O25', 'OMP^O09']);
/** What the pharmacy system reports it did: a dispense (RDS^O13) or a vaccination (VXU^V04), sent on to the EHR. */
const REPORT_TYPES = new Set(['RDS^O13', 'VXU^V04']);
/** Admission, registration and updates: the moment a pharmacy patient can be linked to the EHR's record. */
const LINK_TYPES = new Set(['ADT^A01', 'ADT^A04', 'ADT^A08', 'ADT^A28', 'ADT^A31']);

/** What a discharge says, whatever it arrived as: the patient and the medication list to reconcile. */
interface DischargeReading {
  patient: Patient;
  ehr: EhrMedication[];
  /** Free-text extractions (HL7 v2 OBX text); empty for coded documents. */
  extracted: ExtractedMedication[];
  confidences: number[];
  sourceText: string[];
  dischargedAt: Date | undefined;
}

/** Pharmacies link EHR patients by assigning authority (e.g. `GENHOSP`) and MRN. */
export function pharmacyIdentifiersOf(patient: Patient): PharmacyIdentifier[] {
  const out: PharmacyIdentifier[] = [];
  for (const id of patient.identifier ?? []) {
    if (!id.value) continue;
    const authority = id.assigner?.display ?? localAuthorityOf(id.system) ?? id.system ?? '';
    out.push({ system: authority, value: id.value });
  }
  return out;
}

export function createMessageProcessor(
  deps: ProcessorDeps,
): (message: StoredMessage) => Promise<SettleOutcome> {
  const timed = <T>(stage: string, run: () => T): T => {
    const end = deps.metrics?.stageSeconds.startTimer({ stage });
    try {
      return run();
    } finally {
      end?.();
    }
  };

  /** A message that cannot be read fails for good: a retry would read the same bytes. */
  const unreadable = (path: MessageState[], issues: readonly Issue[]): SettleOutcome => ({
    path,
    state: 'failed',
    error: formatIssues(issues).slice(0, 2000),
    retryable: false,
  });

  const normalizeHl7 = (message: StoredMessage) =>
    timed('normalize', () =>
      convertHl7v2(decodeHl7Bytes(message.raw), { messageId: message.id, receivedAt: message.receivedAt }),
    );

  /** HL7 v2: the discharge's free-text results (OBX TX/ST/FT) are read by the text extractor. */
  const readHl7 = (message: StoredMessage, path: MessageState[]): DischargeReading | SettleOutcome => {
    const converted = normalizeHl7(message);
    if (!converted.ok) return unreadable(path, converted.issues);
    path.push('normalized');
    const bundle = converted.value;
    const patient = resourcesOf<Patient>(bundle, 'Patient')[0];
    const isDischarge = message.summary.type !== undefined && DISCHARGE_TYPES.has(message.summary.type);
    const medications: Array<{ extracted: ExtractedMedication; source: Observation }> = [];
    const textObservations = resourcesOf<Observation>(bundle, 'Observation').filter(
      (o): o is Observation & { valueString: string } => typeof o.valueString === 'string',
    );
    if (isDischarge) {
      timed('extract', () => {
        for (const observation of textObservations) {
          for (const m of extractMedications(observation.valueString, { terminology: deps.terminology })) {
            medications.push({ extracted: m, source: observation });
          }
        }
      });
    }
    path.push('extracted');
    // MDM^T02 (and others) carrying a C-CDA: the document is read like one that arrived on its own.
    const embedded = isDischarge ? [] : embeddedCcdaDocuments(bundle);
    for (const doc of embedded) {
      const reading = readCcdaXml(doc.xml, message, path, false);
      if (!('state' in reading)) return reading;
      if (reading.state === 'failed') return reading;
    }
    if (embedded.length > 0) return { path, state: 'done', detail: 'embedded document mapped; no discharge' };
    if (!isDischarge || patient === undefined) {
      return {
        path,
        state: 'done',
        detail: isDischarge ? 'discharge without a patient' : 'no workflow for this type',
      };
    }
    return {
      patient,
      ehr: medications.map(({ extracted, source }) =>
        ehrMedicationFromExtraction(extracted, `Observation/${source.id ?? ''}`),
      ),
      extracted: medications.map((m) => m.extracted),
      confidences: medications.map((m) => m.extracted.confidence),
      sourceText: textObservations.map((o) => o.valueString),
      dischargedAt: dischargeDate(bundle),
    };
  };

  /**
   * C-CDA (drop folder, upload, Direct): mapped to FHIR with the narrative fallback. A document with a discharge
   * medications section (MedicationRequest category "discharge") is reconciled like an ADT^A03 discharge; any
   * other document is stored and mapped, with no workflow yet.
   */
  const readCcda = (message: StoredMessage, path: MessageState[]): DischargeReading | SettleOutcome =>
    readCcdaXml(Buffer.from(message.raw).toString('utf8'), message, path, true);

  /** `ownStates`: the document is the message (C-CDA format), so its reading moves the message's state. */
  const readCcdaXml = (
    xml: string,
    message: StoredMessage,
    path: MessageState[],
    ownStates: boolean,
  ): DischargeReading | SettleOutcome => {
    const converted = timed('normalize', () =>
      convertCcdaDocument(xml, {
        terminology: deps.terminology,
        sourceId: message.id,
        receivedAt: message.receivedAt,
      }),
    );
    if (!converted.ok) return unreadable(path, converted.issues);
    if (ownStates) path.push('normalized', 'extracted');
    const { bundle, coverage } = converted.value;
    const patient = resourcesOf<Patient>(bundle, 'Patient')[0];
    // Coded discharge medications, and what the narrative of a discharge medications section adds to them.
    const dischargeSections = new Set(
      coverage.sections.filter((c) => c.kind === 'dischargeMedications').map((c) => c.path),
    );
    const discharge: Array<MedicationRequest | MedicationStatement> = [
      ...resourcesOf<MedicationRequest>(bundle, 'MedicationRequest').filter((r) =>
        (r.category ?? []).some((c) => (c.coding ?? []).some((k) => k.code === 'discharge')),
      ),
      ...resourcesOf<MedicationStatement>(bundle, 'MedicationStatement').filter((r) =>
        (r.extension ?? []).some(
          (e) => e.url === FROM_NARRATIVE_URL && dischargeSections.has(e.valueString ?? ''),
        ),
      ),
    ];
    if (discharge.length === 0 || patient === undefined) {
      return {
        path,
        state: 'done',
        detail:
          discharge.length === 0
            ? 'document mapped; no discharge medications'
            : 'discharge without a patient',
      };
    }
    const ehr = discharge.map((r) => ehrMedicationFromFhir(r));
    return {
      patient,
      ehr,
      extracted: [],
      confidences: ehr.map((m) => m.confidence ?? 1),
      sourceText: ehr.map((m) => m.evidence?.text ?? m.name),
      dischargedAt: dischargeDate(bundle),
    };
  };

  /** The pharmacy patient behind a message's Patient, with the profile read (and audited). */
  const matchProfile = async (
    patient: Patient,
    message: StoredMessage,
    source: string,
  ): Promise<{ match: PatientMatch; profile: PharmacyProfile | undefined } | undefined> => {
    const match = await deps.pharmacy.findPatient({
      identifiers: pharmacyIdentifiersOf(patient),
      ...(patient.name?.[0]?.family ? { family: patient.name[0].family } : {}),
      ...(patient.name?.[0]?.given?.[0] ? { given: patient.name[0].given[0] } : {}),
      ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    });
    if (match === undefined) return undefined;
    const profile = await deps.pharmacy.getProfile(match.patient.id);
    await deps.audit.record({
      actor: 'system:pipeline',
      action: 'read',
      category: 'profile',
      patient: match.patient.id,
      entity: message.id,
      source,
      outcome: profile ? 'success' : 'failure',
    });
    return { match, profile };
  };

  /** An HL7 v2 message mapped to FHIR for a flow: its resources and its patient, or how it ended. */
  const readFlowMessage = (
    message: StoredMessage,
    path: MessageState[],
    type: string,
  ): { resources: Resource[]; patient: Patient } | SettleOutcome => {
    const converted = normalizeHl7(message);
    if (!converted.ok) return unreadable(path, converted.issues);
    path.push('normalized', 'extracted');
    const resources = (converted.value.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    const patient = resources.find((r): r is Patient => r.resourceType === 'Patient');
    if (patient === undefined) return { path, state: 'done', detail: `${type} without a patient` };
    return { resources, patient };
  };

  /**
   * EHR feeds other than discharges: a new prescription (checked with the EHR's facts) and registrations (the
   * patient linked to the EHR, and reconciled in full the first time). Undefined: not one of these.
   */
  const runEhrFlow = async (
    message: StoredMessage,
    path: MessageState[],
  ): Promise<SettleOutcome | undefined> => {
    const type = message.summary.type ?? '';
    const isOrder = NEW_PRESCRIPTION_TYPES.has(type);
    if (!isOrder && !LINK_TYPES.has(type)) return undefined;
    const flows = deps.ehr;
    // Without an EHR these messages take the general path (mapped, no workflow).
    if (flows === undefined) return undefined;
    const read = readFlowMessage(message, path, type);
    if ('state' in read) return read;
    const { resources, patient } = read;
    const source = `pipeline:${isOrder ? 'new-prescription' : 'patient-link'}`;
    const found = await matchProfile(patient, message, source);
    if (found === undefined) {
      path.push('evaluated');
      return { path, state: 'done', detail: 'not a patient of this pharmacy' };
    }
    if (found.profile === undefined) {
      return {
        path,
        state: 'failed',
        error: 'pharmacy profile not found for a matched patient',
        retryable: true,
      };
    }
    const profile = found.profile;
    // Rollout: new-prescription checks can be off (nothing read from the EHR) or shadow (checked, no tasks).
    const rollout = isOrder
      ? await deps.rollout?.modeOf('new-rx-checks', {
          site: profile.patient.site,
          patient: profile.patient.id,
          ...(message.summary.sender !== undefined ? { sender: message.summary.sender } : {}),
        })
      : undefined;
    if (rollout?.mode === 'off') {
      path.push('evaluated');
      return { path, state: 'done', detail: `new-rx-checks is off for cohort ${rollout.cohortKey}` };
    }
    try {
      if (isOrder) {
        const orders = resources.filter(
          (r): r is MedicationRequest => r.resourceType === 'MedicationRequest',
        );
        const endCheck = deps.metrics?.stageSeconds.startTimer({ stage: 'check' });
        const result = await flows
          .checkNewPrescription({
            profile,
            orders,
            messageResources: messageFacts(resources),
            messageId: message.id,
            sourceIdentifier: message.partitionKey,
            shadow: rollout?.mode === 'shadow',
          })
          .finally(() => endCheck?.());
        path.push('evaluated');
        const all = [...(result.linked?.tasks ?? []), ...result.tasks];
        const detail = `${rollout?.mode === 'shadow' ? 'shadow, no tasks: ' : ''}${orders.length} order(s) checked with ${flows.endpoint}: ${result.findings.length} finding(s)${
          result.unanswered.length
            ? `; unanswered: ${result.unanswered.map((u) => u.question).join(', ')}`
            : ''
        }`;
        return all.length > 0
          ? {
              path,
              state: 'awaiting-review',
              detail: `${detail}; tasks: ${all.map((t) => t.task.id).join(', ')}`,
            }
          : { path, state: 'done', detail };
      }
      const link = await flows.link(profile, source);
      path.push('evaluated');
      if (link === undefined)
        return { path, state: 'done', detail: `no unambiguous match on ${flows.endpoint}` };
      if (!link.created) return { path, state: 'done', detail: `already linked on ${flows.endpoint}` };
      const made = await flows.reconcile(profile, link.ehrPatientId, {
        kind: 'linked',
        messageId: message.id,
      });
      return made.tasks.length > 0
        ? {
            path,
            state: 'awaiting-review',
            detail: `linked on ${flows.endpoint}; tasks: ${made.tasks.map((t) => t.task.id).join(', ')}`,
          }
        : { path, state: 'done', detail: `linked on ${flows.endpoint}; lists agree` };
    } catch (error) {
      // The EHR refused the request itself (4xx): retrying will not help. Outages are thrown: retried, then dead.
      if (error instanceof EhrError && error.code === ErrorCode.EhrRejected) {
        return { path, state: 'failed', error: error.message.slice(0, 500), retryable: false };
      }
      throw error;
    }
  };

  /**
   * The pharmacy system's own feed: each dispense or vaccination becomes a report task whose approval (by the routing
   * policy, or a pharmacist) sends it to the EHR and the registry. Keyed by the mapped resource's deterministic id.
   */
  const runPharmacyReport = async (message: StoredMessage, path: MessageState[]): Promise<SettleOutcome> => {
    const type = message.summary.type ?? '';
    if (!REPORT_TYPES.has(type)) {
      return {
        path,
        state: 'done',
        detail: `no workflow for ${type || message.format} from the pharmacy system`,
      };
    }
    const read = readFlowMessage(message, path, type);
    if ('state' in read) return read;
    const { resources, patient } = read;
    const found = await matchProfile(patient, message, 'pipeline:pharmacy-report');
    path.push('evaluated');
    if (found?.profile === undefined)
      return { path, state: 'done', detail: 'not a patient of this pharmacy' };
    const p = found.profile.patient;
    const rollout = await deps.rollout?.modeOf('dispense-outbound', {
      site: p.site,
      patient: p.id,
      ...(message.summary.sender !== undefined ? { sender: message.summary.sender } : {}),
    });
    if (rollout?.mode === 'off' || rollout?.mode === 'shadow') {
      return {
        path,
        state: 'done',
        detail: `dispense-outbound is ${rollout.mode} for cohort ${rollout.cohortKey}: nothing sent`,
      };
    }
    const base = {
      patient: {
        pharmacyPatientId: p.id,
        display: `${p.family.toUpperCase()}, ${p.given} (${p.id})`,
        sourceIdentifier: message.partitionKey,
      },
      site: p.site,
      sourceMessageId: message.id,
      patientResource: patient,
    };
    const tasks: NewTask[] = [];
    let skipped = 0;
    resources.forEach((r, i) => {
      const key = r.id ?? `${message.id}:${i}`;
      if (r.resourceType === 'MedicationDispense') {
        tasks.push(dispenseReportTask({ ...base, key, dispense: r }));
      } else if (r.resourceType === 'Immunization') {
        // Only what the pharmacy gave: a historical record or a refusal is not a new vaccination to report.
        if (r.status === 'completed' && r.primarySource !== false) {
          tasks.push(immunizationReportTask({ ...base, key, immunization: r }));
        } else skipped++;
      }
    });
    const filed = await fileTasks(
      { tasks: deps.tasks, audit: deps.audit, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
      tasks,
      p.id,
      'pipeline:pharmacy-report',
    );
    const made = filed.map((f) => f.task.id);
    return {
      path,
      state: 'done',
      detail: `${type}: ${made.length} report task(s)${made.length ? ` ${made.join(', ')}` : ''}${
        skipped ? `; ${skipped} historical or refused vaccination(s) not reported` : ''
      }`,
    };
  };

  return async (message) => {
    const path: MessageState[] = [];
    if (message.format === 'hl7v2' && deps.pharmacyChannels?.has(message.channel)) {
      return runPharmacyReport(message, path);
    }
    if (message.format === 'hl7v2') {
      const flowed = await runEhrFlow(message, path);
      if (flowed !== undefined) return flowed;
    }
    const read =
      message.format === 'hl7v2'
        ? readHl7(message, path)
        : message.format === 'ccda'
          ? readCcda(message, path)
          : undefined;
    if (read === undefined) {
      return {
        path,
        state: 'failed',
        error: `format ${message.format} is not processed yet`,
        retryable: false,
      };
    }
    if ('state' in read) return read;
    const { patient } = read;

    const found = await matchProfile(patient, message, 'pipeline:discharge-reconciliation');
    if (found === undefined) {
      path.push('evaluated');
      return { path, state: 'done', detail: 'not a patient of this pharmacy' };
    }
    const { match, profile } = found;
    if (profile === undefined) {
      return {
        path,
        state: 'failed',
        error: 'pharmacy profile not found for a matched patient',
        retryable: true,
      };
    }
    const result = timed('reconcile', () =>
      reconcileMedications({
        ehr: read.ehr,
        profile,
        terminology: deps.terminology,
        asOf: deps.clock.now(),
        source: 'discharge',
      }),
    );
    path.push('evaluated');

    // Rollout hook (#11): off → nothing, shadow → record only, suggest → tasks, auto → apply what passes guardrails.
    const gate = await deps.rollout?.discharge({
      message,
      match,
      result,
      confidences: read.confidences,
    });
    if (gate !== undefined && !gate.createTasks) return { path, state: 'done', detail: gate.detail };

    const created = await fileTasks(
      { tasks: deps.tasks, audit: deps.audit, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
      dischargeTasksFor({
        message,
        match,
        result: gate?.result ?? result,
        medications: read.extracted,
        sourceText: read.sourceText,
        dischargedAt: read.dischargedAt ?? deps.clock.now(),
      }),
      match.patient.id,
      'pipeline:discharge-reconciliation',
    );
    return { path, state: 'awaiting-review', detail: `tasks: ${created.map((t) => t.task.id).join(', ')}` };
  };
}

/**
 * HL7 v2.5.1 ch. 2.15.9.18 (MSH-18): the character set. UTF-8 unless the sender declares an ISO 8859 set
 * (read as latin1, exact for 8859/1) or plain ASCII.
 */
export function decodeHl7Bytes(raw: Uint8Array): string {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const headerEnd = bytes.indexOf(0x0d);
  const header = bytes
    .subarray(0, headerEnd < 0 ? Math.min(bytes.length, 512) : headerEnd)
    .toString('latin1');
  const fieldSep = header.charAt(3) || '|';
  const charset =
    (header.split(fieldSep)[17] ?? '')
      .split(header.charAt(4) || '^')[0]
      ?.trim()
      .toUpperCase() ?? '';
  return charset.startsWith('8859') ? bytes.toString('latin1') : bytes.toString('utf8');
}

function resourcesOf<T>(bundle: Bundle, type: string): T[] {
  return (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is NonNullable<typeof r> => r !== undefined && r.resourceType === type) as T[];
}

function dischargeDate(bundle: Bundle): Date | undefined {
  for (const entry of bundle.entry ?? []) {
    const r = entry.resource;
    if (r?.resourceType === 'Encounter' && r.period?.end) {
      const d = new Date(r.period.end);
      if (!Number.isNaN(d.getTime())) return d;
    }
  }
  return undefined;
}
