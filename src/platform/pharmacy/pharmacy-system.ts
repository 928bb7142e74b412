// PharmacySystem port: the pharmacy's own patients, prescriptions, fills and allergies.

export interface PharmacyIdentifier {
  /** Assigning authority (e.g. a hospital's MRN namespace) or our own `RXBRIDGE-PHARMACY`. */
  system: string;
  value: string;
}

export interface PharmacyPatient {
  id: string;
  given: string;
  family: string;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
  /** Linked identifiers, including EHR MRNs with their assigning authority. */
  identifiers: PharmacyIdentifier[];
  site: string;
  phone?: string;
  pcp?: string;
}

export interface PharmacyPrescription {
  id: string;
  rxNumber: string;
  drugName: string;
  /** RxNorm clinical or branded drug (SCD/SBD) when known. */
  rxcui?: string;
  strength?: { value: number; unit: string };
  form?: string;
  sig: string;
  dose?: { value: number; unit: string };
  /** Administrations per day for scheduled medicines. */
  frequencyPerDay?: number;
  frequencyText?: string;
  route?: string;
  prn: boolean;
  status: 'active' | 'discontinued' | 'on-hold';
  prescriber: string;
  writtenDate: string;
  refillsRemaining: number;
}

export interface PharmacyFill {
  prescriptionId: string;
  date: string;
  quantity: number;
  daysSupply: number;
}

export interface PharmacyAllergy {
  substance: string;
  rxcui?: string;
  reaction?: string;
  severity?: 'mild' | 'moderate' | 'severe';
}

export interface PharmacyProfile {
  patient: PharmacyPatient;
  prescriptions: PharmacyPrescription[];
  fills: PharmacyFill[];
  allergies: PharmacyAllergy[];
}

export interface PatientMatchQuery {
  identifiers: PharmacyIdentifier[];
  family?: string;
  given?: string;
  birthDate?: string;
}

export interface PatientMatch {
  patient: PharmacyPatient;
  /** `identifier`: a linked identifier matched; `demographics`: name and birth date matched only. */
  method: 'identifier' | 'demographics';
}

export interface PharmacySystem {
  findPatient(query: PatientMatchQuery): Promise<PatientMatch | undefined>;
  getProfile(patientId: string): Promise<PharmacyProfile | undefined>;
  listPatients(): Promise<PharmacyPatient[]>;
}
