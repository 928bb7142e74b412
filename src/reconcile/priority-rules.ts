// Discrepancy priority as data: the first rule whose conditions hold decides (DOMAIN.md, "Reconciliation").
import type { DiscrepancyType, Priority } from './discrepancy.ts';

/** Cardiovascular classes where an unreconciled change risks bleeding, clotting, arrhythmia or rebound. */
export const CRITICAL_CARDIOVASCULAR_CLASSES: readonly string[] = [
  'anticoagulant',
  'antiplatelet',
  'antiarrhythmic',
  'cardiac glycoside',
  'beta blocker',
  'nitrate',
];

export interface PriorityFacts {
  highAlert: boolean;
  classes: readonly string[];
  /** True only when every entry involved is taken as needed. */
  prn: boolean;
  /** The discrepancy being prioritized; rules may name types. */
  type?: DiscrepancyType;
}

export interface PriorityRule {
  priority: Priority;
  reason: string;
  when: { highAlert?: true; anyClass?: readonly string[]; prn?: true; anyType?: readonly DiscrepancyType[] };
}

export const PRIORITY_RULES: readonly PriorityRule[] = [
  {
    priority: 'high',
    reason: 'high-alert medicine (anticoagulant, insulin, opioid, antiarrhythmic, digoxin, methotrexate)',
    when: { highAlert: true },
  },
  {
    priority: 'high',
    reason: 'critical cardiovascular medicine',
    when: { anyClass: CRITICAL_CARDIOVASCULAR_CLASSES },
  },
  { priority: 'low', reason: 'taken only as needed', when: { prn: true } },
  { priority: 'medium', reason: 'chronic maintenance medicine', when: {} },
];

export function priorityFor(
  facts: PriorityFacts,
  rules: readonly PriorityRule[] = PRIORITY_RULES,
): { priority: Priority; reason: string } {
  for (const rule of rules) {
    const { highAlert, anyClass, prn, anyType } = rule.when;
    if (highAlert && !facts.highAlert) continue;
    if (anyType && (facts.type === undefined || !anyType.includes(facts.type))) continue;
    if (anyClass && !anyClass.some((c) => facts.classes.includes(c))) continue;
    if (prn && !facts.prn) continue;
    return { priority: rule.priority, reason: rule.reason };
  }
  return { priority: 'medium', reason: 'chronic maintenance medicine' };
}
