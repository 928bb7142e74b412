// How each simulated vendor behaves: URL layout, resources and search parameters, writes, token lifetime, throttling.
// These are the sandbox's own rehearsal settings, modelled on what the vendors document; docs/ehr.md lists them.

export type SandboxVendorName = 'epic' | 'oracle-health' | 'generic';
export const SANDBOX_VENDORS: readonly SandboxVendorName[] = ['epic', 'oracle-health', 'generic'];

export interface SandboxResourceRule {
  type: string;
  searchParams: readonly string[];
  write: boolean;
}

export interface SandboxVendor {
  name: SandboxVendorName;
  /** FHIR base path; `{tenant}` is replaced. */
  basePath: string;
  tokenPath: string;
  resources: readonly SandboxResourceRule[];
  /** Clinical searches refused without a patient (Epic requires one). */
  requirePatient: boolean;
  tokenLifetimeSeconds: number;
  /** Bulk kick-off and status polls closer together than this get 429 + Retry-After (Oracle-like). */
  bulkMinIntervalMs?: number;
  /** More concurrent bulk file downloads than this get 429. */
  bulkMaxConcurrentDownloads?: number;
  softwareName: string;
}

const CLINICAL = ['patient', 'subject', '_id', '_lastUpdated', 'identifier'];

function rules(includeStatement: boolean, writable: ReadonlySet<string> | 'all'): SandboxResourceRule[] {
  const table: Array<[string, string[]]> = [
    ['Patient', ['_id', '_lastUpdated', 'identifier', 'gender']],
    ['AllergyIntolerance', [...CLINICAL, 'clinical-status']],
    ['Condition', [...CLINICAL, 'category', 'clinical-status', 'code', 'encounter']],
    ['MedicationRequest', [...CLINICAL, 'status', 'intent', 'encounter', 'code', 'medication', 'requester']],
    ['MedicationDispense', [...CLINICAL, 'status', 'code', 'medication', 'performer']],
    ['Medication', ['_id', '_lastUpdated', 'code']],
    ['Observation', [...CLINICAL, 'code', 'category', 'status', 'encounter']],
    ['Immunization', [...CLINICAL, 'status']],
    ['DocumentReference', [...CLINICAL, 'type', 'category', 'status', 'encounter']],
    ['Communication', [...CLINICAL, 'status', 'recipient', 'encounter']],
    ['Encounter', [...CLINICAL, 'status', 'type']],
    ['Device', [...CLINICAL, 'type']],
    ['Provenance', ['_id', '_lastUpdated', 'target', 'patient']],
    ['Group', ['_id', 'identifier']],
  ];
  if (includeStatement) table.push(['MedicationStatement', [...CLINICAL, 'status', 'code', 'medication']]);
  if (writable === 'all') table.push(['Subscription', ['_id', 'status']]);
  return table.map(([type, searchParams]) => ({
    type,
    searchParams,
    write: writable === 'all' ? type !== 'Group' : writable.has(type),
  }));
}

export const VENDORS: Record<SandboxVendorName, SandboxVendor> = {
  epic: {
    name: 'epic',
    basePath: '/api/FHIR/R4',
    tokenPath: '/oauth2/token',
    // Epic-like: no MedicationStatement in R4; medication lists come from MedicationRequest.
    resources: rules(
      false,
      new Set(['Communication', 'DocumentReference', 'Observation', 'MedicationDispense', 'Immunization']),
    ),
    requirePatient: true,
    tokenLifetimeSeconds: 3600,
    softwareName: 'RxBridge sandbox (Epic-like)',
  },
  'oracle-health': {
    name: 'oracle-health',
    basePath: '/r4/{tenant}',
    tokenPath: '/tenants/{tenant}/protocols/oauth2/profiles/smart-v1/token',
    resources: rules(
      true,
      new Set(['Communication', 'DocumentReference', 'Observation', 'MedicationDispense', 'Immunization']),
    ),
    requirePatient: true,
    tokenLifetimeSeconds: 570,
    // No published limits, yet bulk requests too close together are refused with 429.
    bulkMinIntervalMs: 1000,
    bulkMaxConcurrentDownloads: 2,
    softwareName: 'RxBridge sandbox (Oracle Health-like)',
  },
  generic: {
    name: 'generic',
    basePath: '/fhir/r4',
    tokenPath: '/auth/token',
    resources: rules(true, 'all'),
    requirePatient: false,
    tokenLifetimeSeconds: 300,
    softwareName: 'RxBridge sandbox (generic R4)',
  },
};
