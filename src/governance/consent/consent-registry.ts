// Consent registry: FHIR Consent resources per patient, checked before anything leaves (outbound exchange) and
// before fetching from an EHR for a purpose. Stored encrypted; found through a keyed patient index.
import type { Consent } from '@medplum/fhirtypes';
import { newId } from '../../kernel/ids.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Keyring } from '../crypto/keyring.ts';
import type { GovernanceStore } from '../governance-store.ts';

/** HL7 v3 PurposeOfUse codes RxBridge asks about. */
export type PurposeOfUse = 'TREAT' | 'HPAYMT' | 'HOPERAT' | 'ETREAT';

export interface ConsentQuestion {
  /** Pharmacy patient id (or source identifier with its authority). */
  patient: string;
  /** Who receives the data (`ehr:<endpoint>`, `pcp:<name>`...) or, for a fetch, where it comes from. */
  recipient: string;
  /** PurposeOfUse code (TREAT, HPAYMT, HOPERAT, ETREAT...). */
  purpose: string;
  /** What is sent or fetched, e.g. `MedicationDispense`, `RDS^O13`, `Condition`. */
  dataType: string;
}

export interface ConsentDecision {
  allowed: boolean;
  /** Plain words for the pharmacist. */
  reason: string;
  /** The Consent resource that decided, if any. */
  consentId?: string;
}

export interface ConsentRegistry {
  /** Records (or replaces, by id) a FHIR Consent for a patient. */
  put(patient: string, consent: Consent, actor: string): Promise<Consent>;
  list(patient: string): Promise<Consent[]>;
  /** Before an outbound exchange or an EHR fetch; every decision is audited. */
  check(question: ConsentQuestion, actor?: string): Promise<ConsentDecision>;
}

const PURPOSE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

function inPeriod(period: { start?: string; end?: string } | undefined, now: Date): boolean {
  if (!period) return true;
  if (period.start && new Date(period.start).getTime() > now.getTime()) return false;
  if (period.end && new Date(period.end).getTime() < now.getTime()) return false;
  return true;
}

function matchesList(values: string[] | undefined, value: string): boolean {
  return values === undefined || values.length === 0 || values.includes(value);
}

interface Rule {
  type: 'permit' | 'deny';
  purposes?: string[];
  recipients?: string[];
  dataTypes?: string[];
  period?: { start?: string; end?: string };
}

/** Flattens Consent.provision (base + nested) into rules; nested provisions are exceptions to their parent. */
function rulesOf(consent: Consent): { base: Rule | undefined; exceptions: Rule[] } {
  const p = consent.provision;
  if (!p) return { base: undefined, exceptions: [] };
  const toRule = (x: NonNullable<Consent['provision']>): Rule => ({
    type: x.type === 'permit' ? 'permit' : 'deny',
    ...(x.purpose ? { purposes: x.purpose.map((c) => c.code ?? '').filter(Boolean) } : {}),
    ...(x.actor
      ? {
          recipients: x.actor
            .map(
              (a) => a.reference?.identifier?.value ?? a.reference?.reference ?? a.reference?.display ?? '',
            )
            .filter(Boolean),
        }
      : {}),
    ...(x['class'] ? { dataTypes: x['class'].map((c) => c.code ?? '').filter(Boolean) } : {}),
    ...(x.period ? { period: x.period } : {}),
  });
  return { base: toRule(p), exceptions: (p.provision ?? []).map(toRule) };
}

function ruleApplies(rule: Rule, q: ConsentQuestion, now: Date): boolean {
  return (
    inPeriod(rule.period, now) &&
    matchesList(rule.purposes, q.purpose) &&
    matchesList(rule.recipients, q.recipient) &&
    matchesList(rule.dataTypes, q.dataType)
  );
}

/**
 * Decision order: an active Consent whose exception (nested provision) matches decides with the exception's type;
 * otherwise an active Consent's base provision decides. Without any recorded consent, treatment (TREAT, ETREAT) is
 * permitted (HIPAA permits disclosure for treatment) and every other purpose is refused.
 */
export function decideConsent(consents: readonly Consent[], q: ConsentQuestion, now: Date): ConsentDecision {
  const active = consents.filter(
    (c) => c.status === 'active' && inPeriod(c.provision?.period as { start?: string; end?: string }, now),
  );
  // Most recent first: a newer directive overrides an older one.
  active.sort((a, b) => (b.dateTime ?? '').localeCompare(a.dateTime ?? ''));
  for (const c of active) {
    const { base, exceptions } = rulesOf(c);
    const hit = exceptions.find((r) => ruleApplies(r, q, now));
    if (hit) {
      return {
        allowed: hit.type === 'permit',
        reason: `${hit.type === 'permit' ? 'permitted' : 'refused'} by consent ${c.id ?? ''} (exception for ${q.purpose} ${q.dataType} to ${q.recipient})`,
        ...(c.id ? { consentId: c.id } : {}),
      };
    }
    if (base && ruleApplies(base, q, now)) {
      return {
        allowed: base.type === 'permit',
        reason: `${base.type === 'permit' ? 'permitted' : 'refused'} by consent ${c.id ?? ''}${c.dateTime ? ` of ${c.dateTime.slice(0, 10)}` : ''}`,
        ...(c.id ? { consentId: c.id } : {}),
      };
    }
  }
  if (q.purpose === 'TREAT' || q.purpose === 'ETREAT') {
    return { allowed: true, reason: 'treatment, no consent directive on file' };
  }
  return { allowed: false, reason: `no recorded consent for ${q.purpose}` };
}

export function createConsentRegistry(deps: {
  store: Pick<GovernanceStore, 'consents'>;
  keyring: Keyring;
  audit?: AuditLog;
  now?: () => Date;
}): ConsentRegistry {
  const now = deps.now ?? (() => new Date());
  const index = (patient: string): string => deps.keyring.mac('consent-patient', patient);
  const load = async (patient: string): Promise<Consent[]> =>
    (await deps.store.consents.forPatient(index(patient))).map(
      (r) => JSON.parse(deps.keyring.decryptText(r.resourceEnc, `consent:${r.id}`)) as Consent,
    );
  return {
    async put(patient, consent, actor) {
      if (consent.resourceType !== 'Consent') throw new Error('resourceType: must be Consent');
      if (
        !['active', 'inactive', 'rejected', 'draft', 'proposed', 'entered-in-error'].includes(consent.status)
      ) {
        throw new Error('status: not a Consent status');
      }
      const id = consent.id ?? newId();
      const stored: Consent = { ...consent, id, dateTime: consent.dateTime ?? now().toISOString() };
      await deps.store.consents.put({
        id,
        patientIndex: index(patient),
        resourceEnc: deps.keyring.encryptText(JSON.stringify(stored), `consent:${id}`),
        updatedAt: now().toISOString(),
      });
      await deps.audit?.record({
        actor,
        action: 'update',
        category: 'consent',
        patient,
        source: 'consent registry',
        outcome: 'success',
        entity: `Consent/${id}`,
        detail: `status ${stored.status}`,
      });
      return stored;
    },
    list: load,
    async check(q, actor = 'system:consent') {
      const decision = decideConsent(await load(q.patient), q, now());
      await deps.audit?.record({
        actor,
        action: 'execute',
        category: 'consent',
        patient: q.patient,
        source: 'consent check',
        outcome: decision.allowed ? 'success' : 'denied',
        detail: `${q.purpose} ${q.dataType} to ${q.recipient}: ${decision.allowed ? 'allowed' : 'refused'}`,
      });
      return decision;
    },
  };
}

export { PURPOSE_SYSTEM };
