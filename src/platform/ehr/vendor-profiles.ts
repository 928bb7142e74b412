// Vendor profiles as data: for each clinical question, which searches to try (first supported wins, the rest are
// fallbacks); which writes the pharmacy needs and how; tenant-in-path, scopes and limits. Checked at start-up
// against the server's CapabilityStatement (capability-report.ts).

export type VendorName = 'epic' | 'oracle-health' | 'athena' | 'generic';
export const VENDOR_NAMES: readonly VendorName[] = ['epic', 'oracle-health', 'athena', 'generic'];

export type ClinicalQuestion = 'medications' | 'allergies' | 'problems' | 'labs' | 'immunizations';
export type WritePurpose = 'dispense' | 'note-to-pcp' | 'immunization';

/** A search; `{patient}` in a value is the patient's id on that EHR. */
export interface ProfileQuery {
  resourceType: string;
  params: Readonly<Record<string, string>>;
}

export interface ProfileWrite {
  purpose: WritePurpose;
  /** In order of preference. */
  resourceTypes: readonly string[];
}

export interface VendorProfile {
  name: VendorName;
  description: string;
  /** The tenant (or practice) is part of the FHIR base URL. */
  tenantInPath: boolean;
  scopes: readonly string[];
  questions: Readonly<Record<ClinicalQuestion, readonly ProfileQuery[]>>;
  writes: readonly ProfileWrite[];
  /** Incremental sync through `_lastUpdated`; when false, the sync re-reads and compares. */
  lastUpdatedSearch: boolean;
  bulkExport: boolean;
  /** Requests per second we allow ourselves when the vendor publishes none. */
  defaultRatePerSecond: number;
  notes: readonly string[];
}

const P = '{patient}';

const labs: ProfileQuery = { resourceType: 'Observation', params: { patient: P, category: 'laboratory' } };
const allergies: ProfileQuery = { resourceType: 'AllergyIntolerance', params: { patient: P } };
const problems: ProfileQuery = {
  resourceType: 'Condition',
  params: { patient: P, category: 'problem-list-item' },
};
const problemsAny: ProfileQuery = { resourceType: 'Condition', params: { patient: P } };
const immunizations: ProfileQuery = { resourceType: 'Immunization', params: { patient: P } };
const medRequests: ProfileQuery = { resourceType: 'MedicationRequest', params: { patient: P } };
const medStatements: ProfileQuery = { resourceType: 'MedicationStatement', params: { patient: P } };

const standardWrites: ProfileWrite[] = [
  { purpose: 'dispense', resourceTypes: ['MedicationDispense', 'Communication'] },
  { purpose: 'note-to-pcp', resourceTypes: ['Communication', 'DocumentReference'] },
  { purpose: 'immunization', resourceTypes: ['Immunization'] },
];

export const VENDOR_PROFILES: Readonly<Record<VendorName, VendorProfile>> = {
  epic: {
    name: 'epic',
    description: 'Epic (R4)',
    tenantInPath: false,
    scopes: [
      'system/Patient.read',
      'system/MedicationRequest.read',
      'system/AllergyIntolerance.read',
      'system/Condition.read',
      'system/Observation.read',
      'system/Immunization.read',
      'system/MedicationDispense.write',
      'system/Communication.write',
      'system/DocumentReference.write',
      'system/Immunization.write',
    ],
    questions: {
      // No MedicationStatement in Epic's R4 API: the medication list is MedicationRequest.
      medications: [medRequests],
      allergies: [allergies],
      problems: [problems, problemsAny],
      labs: [labs],
      immunizations: [immunizations],
    },
    writes: standardWrites,
    lastUpdatedSearch: true,
    bulkExport: true,
    defaultRatePerSecond: 10,
    notes: ['Searches of clinical resources need a patient parameter.'],
  },
  'oracle-health': {
    name: 'oracle-health',
    description: 'Oracle Health (Millennium R4)',
    tenantInPath: true,
    scopes: [
      'system/Patient.read',
      'system/MedicationRequest.read',
      'system/MedicationStatement.read',
      'system/AllergyIntolerance.read',
      'system/Condition.read',
      'system/Observation.read',
      'system/Immunization.read',
      'system/MedicationDispense.write',
      'system/Communication.write',
      'system/DocumentReference.write',
      'system/Immunization.write',
    ],
    questions: {
      medications: [medRequests, medStatements],
      allergies: [allergies],
      problems: [problems, problemsAny],
      labs: [labs],
      immunizations: [immunizations],
    },
    writes: standardWrites,
    lastUpdatedSearch: true,
    bulkExport: true,
    // No published limits, but bulk requests get 429: stay modest and honour Retry-After.
    defaultRatePerSecond: 5,
    notes: [
      'The tenant id is part of the base URL (…/r4/<tenant>).',
      'Bulk status polls are throttled: Retry-After is honoured.',
    ],
  },
  athena: {
    name: 'athena',
    description: 'athenahealth (R4)',
    tenantInPath: false,
    scopes: [
      'system/Patient.read',
      'system/MedicationRequest.read',
      'system/AllergyIntolerance.read',
      'system/Condition.read',
      'system/Observation.read',
      'system/Immunization.read',
    ],
    questions: {
      medications: [medRequests, medStatements],
      allergies: [allergies],
      problems: [problems, problemsAny],
      labs: [labs],
      immunizations: [immunizations],
    },
    writes: standardWrites,
    lastUpdatedSearch: true,
    bulkExport: false,
    defaultRatePerSecond: 5,
    notes: [
      'Not yet rehearsed against a live athena endpoint; the start-up report shows what the server really offers.',
    ],
  },
  generic: {
    name: 'generic',
    description: 'Any FHIR R4 server',
    tenantInPath: false,
    scopes: [
      'system/*.read',
      'system/MedicationDispense.write',
      'system/Communication.write',
      'system/DocumentReference.write',
      'system/Immunization.write',
    ],
    questions: {
      medications: [medStatements, medRequests],
      allergies: [allergies],
      problems: [problems, problemsAny],
      labs: [labs],
      immunizations: [immunizations],
    },
    writes: standardWrites,
    lastUpdatedSearch: true,
    bulkExport: true,
    defaultRatePerSecond: 10,
    notes: [],
  },
};

/** The query's parameters with the patient filled in. */
export function bindQuery(query: ProfileQuery, patientId: string): Record<string, string> {
  return Object.fromEntries(Object.entries(query.params).map(([k, v]) => [k, v.replaceAll(P, patientId)]));
}
