// Encryption at rest for any Store adapter (SQLite, PostgreSQL): PHI is encrypted on the way in and decrypted on the
// way out, so the database files never hold it in plaintext. Raw message bodies, task patients, payloads and work,
// and audit details use AES-256-GCM envelopes (random data key per value, versioned master key); values looked up by
// equality (partition keys, audit patient references) use deterministic encryption. Rows written before encryption
// was switched on are read as they are.
import type { AuditEntry, AuditLog, AuditRecord } from '../audit/audit-log.ts';
import type { Store } from '../../platform/store/store.ts';
import { appendRefusal, type MessageStore, type StoredMessage } from '../../platform/store/message-store.ts';
import type { NewTask, Task, TaskPatient, TaskStore } from '../../platform/store/task-store.ts';
import type { Keyring } from './keyring.ts';

const PARTITION = 'patient-ref';
const PATIENT = 'patient-ref';
const ENC_FIELD = '$rxe';

export interface EncryptedStoreOptions {
  /**
   * Encrypt audit patient references and details (default true). The hash chain then covers the stored
   * ciphertext, so `verify` needs no key; records come back decrypted.
   */
  audit?: boolean;
}

export function encryptedStore<S extends Store>(
  store: S,
  keyring: Keyring,
  options: EncryptedStoreOptions = {},
): S {
  // Always encrypted on the way in, whatever the value looks like: a sender controls patient identifiers, and one
  // that starts like a ciphertext ('rxd1:…') must not be stored in plain text and then fail to decrypt on every read.
  const det = (value: string, purpose: string): string => keyring.encryptDeterministic(value, purpose);
  const undet = (value: string, purpose: string): string =>
    value.startsWith('rxd1:') ? keyring.decryptDeterministic(value, purpose) : value;
  const enc = (value: string, aad: string): string => keyring.encryptText(value, aad);
  const dec = (value: string, aad: string): string =>
    value.startsWith('rxe1:') ? keyring.decryptText(value, aad) : value;

  const wrapJson = (value: unknown, aad: string): unknown =>
    value === undefined ? undefined : { [ENC_FIELD]: enc(JSON.stringify(value), aad) };
  const unwrapJson = (value: unknown, aad: string): unknown => {
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Record<string, unknown>)[ENC_FIELD] === 'string'
    ) {
      return JSON.parse(dec((value as Record<string, string>)[ENC_FIELD] as string, aad));
    }
    return value;
  };

  // ---- messages ---------------------------------------------------------------------------------------------
  const openMessage = (m: StoredMessage): StoredMessage => ({
    ...m,
    partitionKey: undet(m.partitionKey, PARTITION),
    raw: keyring.isEncrypted(m.raw) ? keyring.decrypt(m.raw, `raw:${m.idempotencyKey}`) : m.raw,
  });
  const m = store.messages;
  const messages: MessageStore = {
    ...m,
    append: (input) => {
      // Checked before encrypting: an empty key would otherwise become a non-empty ciphertext.
      const refused = appendRefusal(input);
      if (refused) return Promise.reject(refused);
      return m.append({
        ...input,
        partitionKey: det(input.partitionKey, PARTITION),
        raw: keyring.encrypt(input.raw, `raw:${input.idempotencyKey}`),
      });
    },
    claim: async (worker, limit, leaseMs) => (await m.claim(worker, limit, leaseMs)).map(openMessage),
    settle: (id, worker, outcome) => m.settle(id, worker, outcome),
    get: async (id) => {
      const found = await m.get(id);
      return found ? openMessage(found) : undefined;
    },
    list: async (filter) =>
      (
        await m.list(
          filter.partitionKey !== undefined
            ? { ...filter, partitionKey: det(filter.partitionKey, PARTITION) }
            : filter,
        )
      ).map(openMessage),
    events: (id) => m.events(id),
    replay: (id, actor, reason) => m.replay(id, actor, reason),
    countByState: () => m.countByState(),
    prune: (before) => m.prune(before),
  };

  // ---- tasks (the key and site stay readable; who the patient is and what the task says do not) ----------------
  const sealPatient = (p: TaskPatient, key: string): TaskPatient => ({
    ...(p.pharmacyPatientId !== undefined ? { pharmacyPatientId: det(p.pharmacyPatientId, PATIENT) } : {}),
    ...(p.sourceIdentifier !== undefined ? { sourceIdentifier: det(p.sourceIdentifier, PARTITION) } : {}),
    display: enc(p.display, `task-patient:${key}`),
  });
  const openPatient = (p: TaskPatient, key: string): TaskPatient => ({
    ...(p.pharmacyPatientId !== undefined ? { pharmacyPatientId: undet(p.pharmacyPatientId, PATIENT) } : {}),
    ...(p.sourceIdentifier !== undefined ? { sourceIdentifier: undet(p.sourceIdentifier, PARTITION) } : {}),
    display: dec(p.display, `task-patient:${key}`),
  });
  const openTask = (t: Task): Task => {
    const work = (t as { work?: unknown }).work;
    return {
      ...t,
      patient: openPatient(t.patient, t.key),
      payload: unwrapJson(t.payload, `task-payload:${t.key}`),
      ...(work !== undefined ? { work: unwrapJson(work, `task-work:${t.id}`) } : {}),
    };
  };
  const t = store.tasks;
  const tasks: TaskStore = {
    ...t,
    create: async (task: NewTask) => {
      const result = await t.create({
        ...task,
        patient: sealPatient(task.patient, task.key),
        payload: wrapJson(task.payload, `task-payload:${task.key}`),
      });
      return { ...result, task: openTask(result.task) };
    },
    get: async (id) => {
      const found = await t.get(id);
      return found ? openTask(found) : undefined;
    },
    list: async (filter) => (await t.list(filter)).map(openTask),
    count: (filter) => t.count(filter),
    update: async (id, change) => {
      const sealed =
        change.work !== undefined ? { ...change, work: wrapJson(change.work, `task-work:${id}`) } : change;
      return openTask(await t.update(id, sealed));
    },
  };

  // ---- audit: the hash chain covers the stored (encrypted) values, so verify needs no key --------------------
  const a = store.audit;
  const openRecord = (r: AuditRecord): AuditRecord => {
    const { patient, detail, ...rest } = r;
    return {
      ...rest,
      ...(patient !== undefined ? { patient: undet(patient, PATIENT) } : {}),
      ...(detail !== undefined ? { detail: dec(detail, `audit:${r.actor}:${r.source}`) } : {}),
    };
  };
  const sealEntry = (e: AuditEntry): AuditEntry => {
    const { patient, detail, ...rest } = e;
    return {
      ...rest,
      ...(patient !== undefined ? { patient: det(patient, PATIENT) } : {}),
      ...(detail !== undefined ? { detail: enc(detail, `audit:${e.actor}:${e.source}`) } : {}),
    };
  };
  const audit: AuditLog = {
    record: async (entry) => openRecord(await a.record(sealEntry(entry))),
    list: async (filter) =>
      (
        await a.list(
          filter.patient !== undefined ? { ...filter, patient: det(filter.patient, PATIENT) } : filter,
        )
      ).map(openRecord),
    verify: () => a.verify(),
  };

  // Without audit encryption, entries are stored as given; the adapter's own ingest entries still carry the
  // encrypted partition key, which list() opens.
  const plainAudit: AuditLog = {
    record: (entry) => a.record(entry),
    list: async (filter) => (await a.list(filter)).map(openRecord),
    verify: () => a.verify(),
  };
  return { ...store, messages, tasks, audit: options.audit === false ? plainAudit : audit };
}
