// The pharmacy profile in the checks' terms: the active prescriptions as orders, the recorded allergies.
import type { PharmacyProfile } from '../platform/pharmacy/pharmacy-system.ts';
import type { CheckAllergy, DrugOrder } from './check-input.ts';

export function activeOrdersOf(profile: PharmacyProfile): DrugOrder[] {
  return profile.prescriptions
    .filter((rx) => rx.status === 'active')
    .map((rx) => ({
      name: rx.drugName,
      ...(rx.rxcui ? { rxcui: rx.rxcui } : {}),
      ...(rx.strength ? { strength: rx.strength } : {}),
      ...(rx.dose ? { dose: rx.dose } : {}),
      ...(rx.frequencyPerDay !== undefined ? { frequencyPerDay: rx.frequencyPerDay } : {}),
      ...(rx.route ? { route: rx.route } : {}),
      prn: rx.prn,
    }));
}

export function allergiesOf(profile: PharmacyProfile): CheckAllergy[] {
  return profile.allergies.map((a) => ({
    substance: a.substance,
    ...(a.rxcui ? { rxcui: a.rxcui } : {}),
    ...(a.reaction ? { reaction: a.reaction } : {}),
    ...(a.severity ? { severity: a.severity } : {}),
  }));
}
