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
