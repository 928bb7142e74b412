// The amount per administration of an order in a given unit: the measured dose, or count × strength.
import { toBaseAmount } from '../terminology/amount.ts';
import type { DrugOrder } from './check-input.ts';

export function sameUnitValue(order: DrugOrder, unit: 'mg'): number | undefined {
  const dose = order.dose ? toBaseAmount(order.dose) : undefined;
  if (dose?.unit === unit) return dose.value;
  const strength = order.strength ? toBaseAmount(order.strength) : undefined;
  if (!strength || strength.unit !== unit) return undefined;
  // "2 tablets" of a 50 mg tablet is 100 mg; no stated dose means one unit.
  const count =
    order.dose && (dose === undefined || dose.unit === 'tablet' || dose.unit === 'capsule')
      ? order.dose.value
      : 1;
  return Math.round(strength.value * count * 1e6) / 1e6;
}
