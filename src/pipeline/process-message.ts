// Runs one stored message through the stages (normalize → extract → reconcile → review) and says how it ended.
import type {
  Bundle,
  MedicationRequest,
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
import { formatIssues } from '../kernel/result.ts';
import { convertHl7v2 } from '../normalize/hl7v2/convert-hl7v2.ts';
import type { Logger } from '../platform/log/logger.ts';
import type { EngineMetrics } from '../platform/metrics/metrics.ts';
import type { PharmacyIdentifier, PharmacySystem } from '../platform/pharmacy/pharmacy-system.ts';
import type { MessageState } from '../platform/store/message-state.ts';
import type { SettleOutcome, StoredMessage } from '../platform/store/message-store.ts';
import type { TaskStore } from '../platform/store/task-store.ts';
import { ehrMedicationFromExtraction, type EhrMedication } from '../reconcile/ehr-medication.ts';
import { ehrMedicationFromFhir } from '../reconcile/ehr-medication-from-fhir.ts';
import { reconcileMedications } from '../reconcile/reconcile-medications.ts';
import type { Terminology } from '../terminology/terminology.ts';
import { createDischargeTasks } from '../review/discharge-tasks.ts';
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
}

/** Message types that carry a discharge (ADT^A03 in HL7 v2.x; its A03 structure is shared by A03 only). */
const DISCHARGE_TYPES = new Set(['ADT^A03']);

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

  /** HL7 v2: the discharge's free-text results (OBX TX/ST/FT) are read by the text extractor. */
  const readHl7 = (message: StoredMessage, path: MessageState[]): DischargeReading | SettleOutcome => {
    const text = decodeHl7Bytes(message.raw);
    const converted = timed('normalize', () =>
      convertHl7v2(text, { messageId: message.id, receivedAt: message.receivedAt }),
    );
    if (!converted.ok) {
      return {
        path,
        state: 'failed',
        error: formatIssues(converted.issues).slice(0, 2000),
        retryable: false,
      };
    }
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
    if (!converted.ok) {
      return {
        path,
        state: 'failed',
        error: formatIssues(converted.issues).slice(0, 2000),
        retryable: false,
      };
    }
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

  return async (message) => {
    const path: MessageState[] = [];
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

    const match = await deps.pharmacy.findPatient({
      identifiers: pharmacyIdentifiersOf(patient),
      ...(patient.name?.[0]?.family ? { family: patient.name[0].family } : {}),
      ...(patient.name?.[0]?.given?.[0] ? { given: patient.name[0].given[0] } : {}),
      ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    });
    if (match === undefined) {
      path.push('evaluated');
      return { path, state: 'done', detail: 'not a patient of this pharmacy' };
    }
    const profile = await deps.pharmacy.getProfile(match.patient.id);
    await deps.audit.record({
      actor: 'system:pipeline',
      action: 'read',
      category: 'profile',
      patient: match.patient.id,
      entity: message.id,
      source: 'pipeline:discharge-reconciliation',
      outcome: profile ? 'success' : 'failure',
    });
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

    const created = await createDischargeTasks({
      tasks: deps.tasks,
      message,
      match,
      result: gate?.result ?? result,
      medications: read.extracted,
      sourceText: read.sourceText,
      dischargedAt: read.dischargedAt ?? deps.clock.now(),
    });
    for (const task of created) {
      if (!task.created) continue;
      deps.metrics?.tasksCreated.inc({ type: task.task.type });
      await deps.audit.record({
        actor: 'system:pipeline',
        action: 'create',
        category: 'task',
        patient: match.patient.id,
        entity: task.task.id,
        source: 'pipeline:discharge-reconciliation',
        outcome: 'success',
        detail: task.task.type,
      });
    }
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
