// Demo dates follow the clock: the last fills sit just before "today" whatever day the demo runs.
import { expect, it } from 'vitest';
import { DEMO_PHARMACY } from './demo-pharmacy.ts';
import { DEMO_WRITTEN_AS_OF, demoPharmacyAsOf } from './demo-dates.ts';

it('shifts every prescription and fill date by the same whole number of days, and nothing else', () => {
  const shifted = demoPharmacyAsOf(DEMO_PHARMACY, new Date('2026-11-21T15:00:00Z'));
  const days = (Date.parse('2026-11-21') - Date.parse(DEMO_WRITTEN_AS_OF)) / 86_400_000;
  DEMO_PHARMACY.profiles.forEach((original, i) => {
    const moved = shifted.profiles[i]!;
    expect(moved.patient).toEqual(original.patient);
    expect(moved.allergies).toEqual(original.allergies);
    original.fills.forEach((f, j) => {
      expect((Date.parse(moved.fills[j]!.date) - Date.parse(f.date)) / 86_400_000).toBe(days);
      expect(moved.fills[j]!.quantity).toBe(f.quantity);
    });
    original.prescriptions.forEach((p, j) => {
      expect((Date.parse(moved.prescriptions[j]!.writtenDate) - Date.parse(p.writtenDate)) / 86_400_000).toBe(
        days,
      );
    });
  });
  const latest = shifted.profiles
    .flatMap((p) => p.fills.map((f) => f.date))
    .sort()
    .at(-1)!;
  expect(latest < '2026-11-21').toBe(true);
  expect(latest > '2026-10-21').toBe(true);
});

it('returns the data unchanged on the day it was written', () => {
  expect(demoPharmacyAsOf(DEMO_PHARMACY, new Date(`${DEMO_WRITTEN_AS_OF}T09:00:00Z`))).toEqual(DEMO_PHARMACY);
});
