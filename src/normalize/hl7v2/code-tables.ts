// HL7 v2 code tables used by the mappers, as data (HL7 v2.5.1 tables; FHIR targets per the HL7 v2-to-FHIR IG).
import { CodeSystem, codeMap } from '../../kernel/code-map.ts';

/** Table 0203 identifier type: the codes senders use, with their display (target system = v2-0203 itself). */
export const IDENTIFIER_TYPE = codeMap('hl7-0203', CodeSystem.V2_0203, [
  { from: 'MR', to: 'MR', display: 'Medical record number' },
  { from: 'PI', to: 'PI', display: 'Patient internal identifier' },
  { from: 'PT', to: 'PT', display: 'Patient external identifier' },
  { from: 'SS', to: 'SS', display: 'Social Security number' },
  { from: 'DL', to: 'DL', display: "Driver's license number" },
  { from: 'PPN', to: 'PPN', display: 'Passport number' },
  { from: 'NPI', to: 'NPI', display: 'National provider identifier' },
  { from: 'AN', to: 'AN', display: 'Account number' },
  { from: 'VN', to: 'VN', display: 'Visit number' },
  { from: 'MC', to: 'MC', display: "Patient's Medicare number" },
  { from: 'MA', to: 'MA', display: 'Patient Medicaid number' },
  { from: 'PN', to: 'PN', display: 'Person number' },
  { from: 'EN', to: 'EN', display: 'Employer number' },
]);

/** Table 0001 administrative sex -> FHIR AdministrativeGender. */
export const ADMINISTRATIVE_GENDER = codeMap('hl7-0001', 'http://hl7.org/fhir/administrative-gender', [
  { from: 'F', to: 'female', display: 'Female' },
  { from: 'M', to: 'male', display: 'Male' },
  { from: 'O', to: 'other', display: 'Other' },
  { from: 'A', to: 'other', display: 'Ambiguous' },
  { from: 'U', to: 'unknown', display: 'Unknown' },
  { from: 'N', to: 'unknown', display: 'Not applicable' },
]);

/** Table 0004 patient class -> v3 ActCode encounter class. */
export const PATIENT_CLASS = codeMap('hl7-0004', 'http://terminology.hl7.org/CodeSystem/v3-ActCode', [
  { from: 'I', to: 'IMP', display: 'inpatient encounter' },
  { from: 'O', to: 'AMB', display: 'ambulatory' },
  { from: 'E', to: 'EMER', display: 'emergency' },
  { from: 'P', to: 'PRENC', display: 'pre-admission' },
  { from: 'R', to: 'AMB', display: 'ambulatory' },
  { from: 'B', to: 'IMP', display: 'inpatient encounter' },
  { from: 'C', to: 'AMB', display: 'ambulatory' },
]);

/** Table 0112 discharge disposition -> FHIR discharge-disposition (textual codes some senders use included). */
export const DISCHARGE_DISPOSITION = codeMap(
  'hl7-0112',
  'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  [
    { from: '01', to: 'home', display: 'Home' },
    { from: '02', to: 'other-hcf', display: 'Other healthcare facility' },
    { from: '03', to: 'snf', display: 'Skilled nursing facility' },
    { from: '04', to: 'other-hcf', display: 'Other healthcare facility' },
    { from: '05', to: 'other-hcf', display: 'Other healthcare facility' },
    { from: '06', to: 'home', display: 'Home' },
    { from: '07', to: 'aadvice', display: 'Left against advice' },
    { from: '09', to: 'hosp', display: 'Hospice' },
    { from: '20', to: 'exp', display: 'Expired' },
    { from: '50', to: 'hosp', display: 'Hospice' },
    { from: '51', to: 'hosp', display: 'Hospice' },
    { from: '62', to: 'rehab', display: 'Rehabilitation' },
    { from: '63', to: 'long', display: 'Long-term care' },
    { from: '65', to: 'psy', display: 'Psychiatric hospital' },
    { from: 'HOM', to: 'home', display: 'Home' },
    { from: 'HOME', to: 'home', display: 'Home' },
    { from: 'SNF', to: 'snf', display: 'Skilled nursing facility' },
    { from: 'REHAB', to: 'rehab', display: 'Rehabilitation' },
    { from: 'EXP', to: 'exp', display: 'Expired' },
    { from: 'AMA', to: 'aadvice', display: 'Left against advice' },
  ],
);

/** Table 0085 observation result status -> FHIR Observation.status. */
export const OBSERVATION_STATUS = codeMap('hl7-0085', 'http://hl7.org/fhir/observation-status', [
  { from: 'F', to: 'final', display: 'Final' },
  { from: 'C', to: 'corrected', display: 'Corrected' },
  { from: 'A', to: 'amended', display: 'Amended' },
  { from: 'P', to: 'preliminary', display: 'Preliminary' },
  { from: 'R', to: 'preliminary', display: 'Preliminary' },
  { from: 'S', to: 'preliminary', display: 'Preliminary' },
  { from: 'I', to: 'registered', display: 'Registered' },
  { from: 'O', to: 'registered', display: 'Registered' },
  { from: 'X', to: 'cancelled', display: 'Cancelled' },
  { from: 'D', to: 'entered-in-error', display: 'Entered in error' },
  { from: 'W', to: 'entered-in-error', display: 'Entered in error' },
  { from: 'U', to: 'final', display: 'Final' },
]);

/** Table 0078 abnormal flags -> v3 ObservationInterpretation (same codes for the common ones). */
export const INTERPRETATION = codeMap(
  'hl7-0078',
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  [
    { from: 'H', to: 'H', display: 'High' },
    { from: 'HH', to: 'HH', display: 'Critical high' },
    { from: 'L', to: 'L', display: 'Low' },
    { from: 'LL', to: 'LL', display: 'Critical low' },
    { from: 'N', to: 'N', display: 'Normal' },
    { from: 'A', to: 'A', display: 'Abnormal' },
    { from: 'AA', to: 'AA', display: 'Critical abnormal' },
    { from: 'POS', to: 'POS', display: 'Positive' },
    { from: 'NEG', to: 'NEG', display: 'Negative' },
  ],
);

/** Table 0127 allergen type -> AllergyIntolerance.category. */
export const ALLERGY_CATEGORY = codeMap('hl7-0127', 'http://hl7.org/fhir/allergy-intolerance-category', [
  { from: 'DA', to: 'medication', display: 'Drug allergy' },
  { from: 'MA', to: 'medication', display: 'Miscellaneous allergy' },
  { from: 'FA', to: 'food', display: 'Food allergy' },
  { from: 'EA', to: 'environment', display: 'Environmental allergy' },
  { from: 'AA', to: 'environment', display: 'Animal allergy' },
  { from: 'PA', to: 'environment', display: 'Plant allergy' },
  { from: 'LA', to: 'environment', display: 'Pollen allergy' },
]);

/** Table 0128 allergy severity -> AllergyIntolerance.criticality. */
export const ALLERGY_CRITICALITY = codeMap(
  'hl7-0128',
  'http://hl7.org/fhir/allergy-intolerance-criticality',
  [
    { from: 'SV', to: 'high', display: 'Severe' },
    { from: 'MO', to: 'low', display: 'Moderate' },
    { from: 'MI', to: 'low', display: 'Mild' },
    { from: 'U', to: 'unable-to-assess', display: 'Unknown' },
  ],
);

/**
 * Table 0162 route of administration -> SNOMED CT route (the FHIR R4 route-codes value set draws from SNOMED).
 * The NCIT rows are the route codes the CDC IIS implementation guide prescribes for RXR-1 in VXU messages.
 */
export const ROUTE = codeMap('hl7-0162', CodeSystem.Snomed, [
  { from: 'PO', to: '26643006', display: 'Oral route' },
  { from: 'IV', to: '47625008', display: 'Intravenous route' },
  { from: 'IM', to: '78421000', display: 'Intramuscular route' },
  { from: 'SC', to: '34206005', display: 'Subcutaneous route' },
  { from: 'SL', to: '37839007', display: 'Sublingual route' },
  { from: 'B', to: '54471007', display: 'Buccal route' },
  { from: 'TP', to: '6064005', display: 'Topical route' },
  { from: 'TD', to: '45890007', display: 'Transdermal route' },
  { from: 'IH', to: '447694001', display: 'Respiratory tract route' },
  { from: 'NS', to: '46713006', display: 'Nasal route' },
  { from: 'PR', to: '37161004', display: 'Rectal route' },
  { from: 'VG', to: '16857009', display: 'Vaginal route' },
  { from: 'OP', to: '54485002', display: 'Ophthalmic route' },
  { from: 'OT', to: '10547007', display: 'Otic route' },
  { from: 'ID', to: '372464004', display: 'Intradermal route' },
  { from: 'IA', to: '58100008', display: 'Intra-arterial route' },
  { from: 'IT', to: '72607000', display: 'Intrathecal route' },
  { from: 'EP', to: '404820008', display: 'Epidural route' },
  { from: 'NG', to: '127492001', display: 'Nasogastric route' },
  { from: 'GT', to: '127490009', display: 'Gastrostomy route' },
  { from: 'DEN', to: '372449004', display: 'Dental route' },
  { from: 'C28161', to: '78421000', display: 'Intramuscular route' },
  { from: 'C38238', to: '372464004', display: 'Intradermal route' },
  { from: 'C38276', to: '47625008', display: 'Intravenous route' },
  { from: 'C38284', to: '46713006', display: 'Nasal route' },
  { from: 'C38288', to: '26643006', display: 'Oral route' },
  { from: 'C38299', to: '34206005', display: 'Subcutaneous route' },
]);

/**
 * Table 0335 repeat patterns with a fixed meaning -> FHIR Timing.repeat, and the v3 GTSAbbreviation code FHIR's
 * timing-abbreviation value set offers for it (`to`; empty when there is none). Qn{S|M|H|D|W|L} are parsed, not listed.
 */
export const REPEAT_PATTERN = codeMap(
  'hl7-0335',
  'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
  [
    { from: 'QD', to: 'QD', display: 'daily' },
    { from: 'DAILY', to: 'QD', display: 'daily' },
    { from: 'BID', to: 'BID', display: 'twice a day' },
    { from: 'TID', to: 'TID', display: 'three times a day' },
    { from: 'QID', to: 'QID', display: 'four times a day' },
    { from: 'QOD', to: 'QOD', display: 'every other day' },
    { from: 'QAM', to: 'AM', display: 'every morning' },
    { from: 'QPM', to: 'PM', display: 'every afternoon/evening' },
    { from: 'QHS', to: 'BED', display: 'at bedtime' },
    { from: 'HS', to: 'BED', display: 'at bedtime' },
    { from: 'QWK', to: 'WK', display: 'weekly' },
    { from: 'PRN', to: '', display: 'as needed' },
    { from: 'ONCE', to: '', display: 'one time only' },
    { from: 'STAT', to: '', display: 'immediately' },
    { from: 'C', to: '', display: 'continuous' },
  ],
);

/** Table 0323 / 0206 action codes on IAM-6 and PRB-1 (A/AD add, U/UP update, D/DE delete, X/UC unchanged). */
export const ACTION_CODE = codeMap('hl7-0206', 'urn:rxbridge:action', [
  { from: 'A', to: 'add', display: 'Add/Insert' },
  { from: 'AD', to: 'add', display: 'Add' },
  { from: 'U', to: 'update', display: 'Update' },
  { from: 'UP', to: 'update', display: 'Update' },
  { from: 'D', to: 'delete', display: 'Delete' },
  { from: 'DE', to: 'delete', display: 'Delete' },
  { from: 'X', to: 'unchanged', display: 'No change' },
  { from: 'UC', to: 'unchanged', display: 'Unchanged' },
  { from: 'CO', to: 'update', display: 'Correct' },
  { from: 'LI', to: 'update', display: 'Link' },
  { from: 'UN', to: 'update', display: 'Unlink' },
]);

/** Table 0128 allergy severity -> AllergyIntolerance.reaction.severity (SV/MO/MI; U has no counterpart). */
export const REACTION_SEVERITY = codeMap('hl7-0128', 'http://hl7.org/fhir/reaction-event-severity', [
  { from: 'SV', to: 'severe', display: 'Severe' },
  { from: 'MO', to: 'moderate', display: 'Moderate' },
  { from: 'MI', to: 'mild', display: 'Mild' },
]);

/** Table 0438 allergy clinical status (IAM-17) -> AllergyIntolerance.verificationStatus. */
export const ALLERGY_VERIFICATION = codeMap(
  'hl7-0438',
  'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  [
    { from: 'C', to: 'confirmed', display: 'Confirmed' },
    { from: 'U', to: 'unconfirmed', display: 'Unconfirmed' },
    { from: 'P', to: 'unconfirmed', display: 'Unconfirmed' },
    { from: 'S', to: 'unconfirmed', display: 'Unconfirmed' },
    { from: 'D', to: 'refuted', display: 'Refuted' },
    { from: 'E', to: 'entered-in-error', display: 'Entered in Error' },
  ],
);

/** Table 0038 order status (ORC-5) -> MedicationRequest.status. */
export const ORDER_STATUS = codeMap('hl7-0038', 'http://hl7.org/fhir/CodeSystem/medicationrequest-status', [
  { from: 'A', to: 'active', display: 'Active' },
  { from: 'IP', to: 'active', display: 'Active' },
  { from: 'SC', to: 'active', display: 'Active' },
  { from: 'CM', to: 'completed', display: 'Completed' },
  { from: 'CA', to: 'cancelled', display: 'Cancelled' },
  { from: 'DC', to: 'stopped', display: 'Stopped' },
  { from: 'HD', to: 'on-hold', display: 'On Hold' },
  { from: 'ER', to: 'entered-in-error', display: 'Entered in Error' },
  { from: 'RP', to: 'stopped', display: 'Stopped' },
]);

/** Table 0119 order control (ORC-1) -> MedicationRequest.status when ORC-5 is empty. */
export const ORDER_CONTROL_STATUS = codeMap(
  'hl7-0119',
  'http://hl7.org/fhir/CodeSystem/medicationrequest-status',
  [
    { from: 'NW', to: 'active', display: 'Active' },
    { from: 'OK', to: 'active', display: 'Active' },
    { from: 'SN', to: 'active', display: 'Active' },
    { from: 'XO', to: 'active', display: 'Active' },
    { from: 'XX', to: 'active', display: 'Active' },
    { from: 'RL', to: 'active', display: 'Active' },
    { from: 'RP', to: 'active', display: 'Active' },
    { from: 'RO', to: 'active', display: 'Active' },
    { from: 'SC', to: 'active', display: 'Active' },
    { from: 'RE', to: 'active', display: 'Active' },
    { from: 'CA', to: 'cancelled', display: 'Cancelled' },
    { from: 'OC', to: 'cancelled', display: 'Cancelled' },
    { from: 'CR', to: 'cancelled', display: 'Cancelled' },
    { from: 'DC', to: 'stopped', display: 'Stopped' },
    { from: 'OD', to: 'stopped', display: 'Stopped' },
    { from: 'DR', to: 'stopped', display: 'Stopped' },
    { from: 'HD', to: 'on-hold', display: 'On Hold' },
    { from: 'OH', to: 'on-hold', display: 'On Hold' },
  ],
);

/** Table 0322 completion status (RXA-20) -> Immunization.status. */
export const COMPLETION_STATUS = codeMap('hl7-0322', 'http://hl7.org/fhir/event-status', [
  { from: 'CP', to: 'completed', display: 'Complete' },
  { from: 'PA', to: 'completed', display: 'Partially administered' },
  { from: 'RE', to: 'not-done', display: 'Refused' },
  { from: 'NA', to: 'not-done', display: 'Not administered' },
]);

/** Table 0191 / MIME types of an ED value (OBX-5.2 type of data, 5.3 subtype). */
export const ED_MEDIA_TYPE = codeMap('hl7-0191', 'urn:ietf:bcp:13', [
  { from: 'PDF', to: 'application/pdf', display: 'PDF' },
  { from: 'TEXT', to: 'text/plain', display: 'Text' },
  { from: 'RTF', to: 'application/rtf', display: 'Rich text' },
  { from: 'HTML', to: 'text/html', display: 'HTML' },
  { from: 'XML', to: 'application/xml', display: 'XML' },
  { from: 'JPEG', to: 'image/jpeg', display: 'JPEG' },
  { from: 'PNG', to: 'image/png', display: 'PNG' },
  { from: 'TIFF', to: 'image/tiff', display: 'TIFF' },
]);
