// PharmacySystem adapter held in memory and loaded from data: the demo pharmacy and tests run on it.
import type {
  PatientMatch,
  PatientMatchQuery,
  PharmacyPatient,
  PharmacyProfile,
  PharmacySystem,
} from '../pharmacy-system.ts';
import { DEMO_PHARMACY } from './demo-pharmacy.ts';

export interface DemoPharmacyData {
  profiles: readonly PharmacyProfile[];
}

function fold(value: string | undefined): string {
  return (value ?? '').trim().toLowerCase();
}

/**
 * An in-memory pharmacy. Patients are matched by a linked identifier first (same assigning authority and
 * value), then by family name, given name and birth date (case-insensitive). A demographic match is refused
 * when the patient is linked under the query's assigning authority with a different value, and any match
 * that is not unique is refused: guessing a patient is worse than asking.
 */
export function createEmbeddedPharmacy(data: DemoPharmacyData = DEMO_PHARMACY): PharmacySystem {
  const profiles = new Map<string, PharmacyProfile>();
  for (const profile of data.profiles) profiles.set(profile.patient.id, structuredClone(profile));
  const patients = [...profiles.values()].map((p) => p.patient);

  function byIdentifier(query: PatientMatchQuery): PharmacyPatient | undefined {
    for (const wanted of query.identifiers) {
      const system = fold(wanted.system);
      const value = wanted.value.trim();
      const hits = patients.filter((p) =>
        p.identifiers.some((id) => fold(id.system) === system && id.value.trim() === value),
      );
      if (hits.length === 1) return hits[0];
    }
    return undefined;
  }

  function byDemographics(query: PatientMatchQuery): PharmacyPatient | undefined {
    if (!query.family || !query.given || !query.birthDate) return undefined;
    const family = fold(query.family);
    const given = fold(query.given);
    const birthDate = query.birthDate.trim();
    const conflicting = (p: PharmacyPatient): boolean =>
      query.identifiers.some((wanted) =>
        p.identifiers.some(
          (id) => fold(id.system) === fold(wanted.system) && id.value.trim() !== wanted.value.trim(),
        ),
      );
    const hits = patients.filter(
      (p) =>
        fold(p.family) === family && fold(p.given) === given && p.birthDate === birthDate && !conflicting(p),
    );
    return hits.length === 1 ? hits[0] : undefined;
  }

  return {
    findPatient(query) {
      const identified = byIdentifier(query);
      if (identified)
        return Promise.resolve<PatientMatch>({ patient: structuredClone(identified), method: 'identifier' });
      const matched = byDemographics(query);
      if (matched)
        return Promise.resolve<PatientMatch>({ patient: structuredClone(matched), method: 'demographics' });
      return Promise.resolve(undefined);
    },
    getProfile(patientId) {
      const profile = profiles.get(patientId);
      return Promise.resolve(profile ? structuredClone(profile) : undefined);
    },
    listPatients() {
      return Promise.resolve(patients.map((p) => structuredClone(p)));
    },
  };
}
