// Moves the demo pharmacy's calendar to a given day, so a demo run today shows recent fills, not stale ones.
import type { DemoPharmacyData } from './embedded-pharmacy.ts';

/** The day the demo data was written around: fill histories end shortly before it. */
export const DEMO_WRITTEN_AS_OF = '2026-01-15';

const DAY_MS = 86_400_000;

function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The same patients with every prescription and fill date moved by whole days so that the demo's "today"
 * is `today`. Birth dates stay as they are (ages change by under a year at most).
 */
export function demoPharmacyAsOf(data: DemoPharmacyData, today: Date): DemoPharmacyData {
  const days = Math.round(
    (Date.parse(today.toISOString().slice(0, 10)) - Date.parse(DEMO_WRITTEN_AS_OF)) / DAY_MS,
  );
  return {
    profiles: data.profiles.map((profile) => ({
      ...profile,
      prescriptions: profile.prescriptions.map((p) => ({ ...p, writtenDate: shift(p.writtenDate, days) })),
      fills: profile.fills.map((f) => ({ ...f, date: shift(f.date, days) })),
    })),
  };
}
