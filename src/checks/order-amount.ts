// The amount per administration of an order in a given unit: the measured dose, or count × strength.
import { toBaseAmount } from '../terminology/amount.ts';
import type { DrugOrder } from './check-input.ts';

export function sameUnitValue(order: DrugOrder, unit: 'mg'): number | undefined {
  const dose = order.dose ? toBaseAmount(order.dose) : undefined;
  if (dose?.unit === unit) return dose.value;
  // The strength as given, or as written in the name ("Ambien 10 mg").
  const written = /(\d+(?:\.\d+)?)\s*(mg|mcg|g)\b/i.exec(order.name);
  const stated =
    order.strength ??
    (written?.[1] && written[2] ? { value: Number(written[1]), unit: written[2] } : undefined);
  const strength = stated ? toBaseAmount(stated) : undefined;
  if (!strength || strength.unit !== unit) return undefined;
  // "2 tablets" of a 50 mg tablet is 100 mg; no stated dose means one unit.
  const count =
    order.dose && (dose === undefined || dose.unit === 'tablet' || dose.unit === 'capsule')
      ? order.dose.value
      : 1;
  return Math.round(strength.value * count * 1e6) / 1e6;
}
