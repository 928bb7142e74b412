// Amounts (strengths and doses) compared across units: 0.1 mg equals 100 mcg, 1 g equals 1000 mg.

export interface Amount {
  value: number;
  unit: string;
}

/** Written unit (lower case) → base unit and factor. Mass goes to mg, volume to mL (UCUM: mg, mL, meq, [U]). */
const UNIT_BASE: ReadonlyMap<string, readonly [base: string, factor: number]> = new Map([
  ['mg', ['mg', 1]],
  ['milligram', ['mg', 1]],
  ['milligrams', ['mg', 1]],
  ['mcg', ['mg', 0.001]],
  ['ug', ['mg', 0.001]],
  ['µg', ['mg', 0.001]],
  ['microgram', ['mg', 0.001]],
  ['micrograms', ['mg', 0.001]],
  ['g', ['mg', 1000]],
  ['gm', ['mg', 1000]],
  ['gram', ['mg', 1000]],
  ['grams', ['mg', 1000]],
  ['ml', ['ml', 1]],
  ['cc', ['ml', 1]],
  ['l', ['ml', 1000]],
  ['meq', ['meq', 1]],
  ['unit', ['units', 1]],
  ['units', ['units', 1]],
  ['u', ['units', 1]],
  ['iu', ['units', 1]],
  ['unt', ['units', 1]],
  ['units/ml', ['units/ml', 1]],
  ['unt/ml', ['units/ml', 1]],
  ['mg/ml', ['mg/ml', 1]],
  ['mg/actuat', ['mg/actuat', 1]],
  ['mcg/actuat', ['mg/actuat', 0.001]],
  ['tablet', ['tablet', 1]],
  ['tablets', ['tablet', 1]],
  ['tab', ['tablet', 1]],
  ['tabs', ['tablet', 1]],
  ['capsule', ['capsule', 1]],
  ['capsules', ['capsule', 1]],
  ['cap', ['capsule', 1]],
  ['caps', ['capsule', 1]],
  ['puff', ['puff', 1]],
  ['puffs', ['puff', 1]],
]);

/** The amount in its base unit, or undefined when the unit is unknown. */
export function toBaseAmount(amount: Amount): Amount | undefined {
  const base = UNIT_BASE.get(amount.unit.trim().toLowerCase());
  if (!base) return undefined;
  // Round away binary noise (0.1 * 1000) so equal amounts compare equal.
  return { value: Math.round(amount.value * base[1] * 1e6) / 1e6, unit: base[0] };
}

/** True when both amounts are known, in compatible units, and equal. */
export function sameAmount(a: Amount, b: Amount): boolean {
  const x = toBaseAmount(a);
  const y = toBaseAmount(b);
  return x !== undefined && y !== undefined && x.unit === y.unit && x.value === y.value;
}

/** True for units of mass, volume, activity or equivalents (what a drug amount is measured in). */
export function isMeasuredUnit(unit: string): boolean {
  const base = UNIT_BASE.get(unit.trim().toLowerCase())?.[0];
  return base === 'mg' || base === 'ml' || base === 'units' || base === 'meq';
}
