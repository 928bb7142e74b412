// Export as FHIR R4 AuditEvent (DICOM audit vocabulary, as IHE BALP uses it) and CSV for the audit report.
import type { AuditEvent } from '@medplum/fhirtypes';
import type { AuditRecord } from './audit-log.ts';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const REST = 'http://hl7.org/fhir/restful-interaction';

const TYPE: Record<string, { code: string; display: string }> = {
  login: { code: '110114', display: 'User Authentication' },
  ingest: { code: '110107', display: 'Import' },
  export: { code: '110106', display: 'Export' },
  default: { code: '110110', display: 'Patient Record' },
};

const ACTION: Record<string, AuditEvent['action']> = {
  ingest: 'C',
  create: 'C',
  read: 'R',
  update: 'U',
  delete: 'D',
  replay: 'E',
  export: 'R',
  execute: 'E',
  login: 'E',
};

const OUTCOME: Record<string, AuditEvent['outcome']> = { success: '0', failure: '8', denied: '4' };

/** Categories logged as high severity (break-glass, security changes). */
export const HIGH_SEVERITY_CATEGORIES: ReadonlySet<string> = new Set([
  'break-glass',
  'user',
  'api-key',
  'consent',
]);

export function toFhirAuditEvent(record: AuditRecord): AuditEvent {
  const type = TYPE[record.action] ?? TYPE.default;
  return {
    resourceType: 'AuditEvent',
    id: `rxbridge-audit-${record.seq}`,
    type: { system: DCM, ...type },
    subtype: [{ system: REST, code: record.action, display: record.category }],
    action: ACTION[record.action] ?? 'E',
    recorded: record.at.toISOString(),
    outcome: OUTCOME[record.outcome] ?? '8',
    ...(record.detail ? { outcomeDesc: record.detail } : {}),
    agent: [
      {
        who: { identifier: { system: 'urn:rxbridge:actor', value: record.actor } },
        requestor: !record.actor.startsWith('system:'),
      },
    ],
    source: {
      site: record.source,
      observer: { display: 'RxBridge' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4' }],
    },
    entity: [
      ...(record.patient
        ? [
            {
              what: { identifier: { system: 'urn:rxbridge:patient', value: record.patient } },
              type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1' },
              role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1' },
            },
          ]
        : []),
      ...(record.entity
        ? [
            {
              what: { identifier: { system: 'urn:rxbridge:entity', value: record.entity } },
              type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2' },
              name: record.category,
            },
          ]
        : []),
    ],
    extension: [
      { url: 'urn:rxbridge:audit:seq', valueInteger: record.seq },
      { url: 'urn:rxbridge:audit:hash', valueString: record.hash },
      { url: 'urn:rxbridge:audit:prev-hash', valueString: record.prevHash },
      {
        url: 'urn:rxbridge:audit:severity',
        valueCode: HIGH_SEVERITY_CATEGORIES.has(record.category) ? 'high' : 'normal',
      },
    ],
  };
}

const CSV_COLUMNS = [
  'seq',
  'time',
  'patient',
  'actor',
  'source',
  'action',
  'category',
  'outcome',
  'entity',
  'detail',
] as const;

function csvCell(value: string): string {
  // Quote, and neutralize spreadsheet formulas (=, +, -, @ at the start).
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(records: readonly AuditRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    lines.push(
      [
        String(r.seq),
        r.at.toISOString(),
        r.patient ?? '',
        r.actor,
        r.source,
        r.action,
        r.category,
        r.outcome,
        r.entity ?? '',
        r.detail ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
