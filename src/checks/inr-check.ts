// INR monitoring for warfarin: the latest INR (LOINC 6301-6, or point-of-care 34714-6) against the usual 2.0-3.0.
import type { CheckContext } from './check-context.ts';
import { daysBetween } from './check-context.ts';
import type { Finding, RuleSource } from './finding.ts';

export const INR_LOINC = ['6301-6', '34714-6'] as const;

export const INR_RULE = {
  drug: 'warfarin',
  low: 2.0,
  high: 3.0,
  /** Bleeding risk climbs steeply above 4 (warfarin label §5.1). */
  critical: 4.0,
  /** Without a result this recent, ask for one. */
  maxAgeDays: 30,
  source: {
    label:
      'FDA label, warfarin (Coumadin) §2.1 Individualized Dosing (target INR 2.0-3.0 for most indications); §5.1 Hemorrhage',
    url: 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=warfarin',
  } satisfies RuleSource,
} as const;

export function checkInr(ctx: CheckContext): Finding[] {
  if (!ctx.order.ingredients.includes(INR_RULE.drug)) return [];
  const inr = ctx.latestLab(INR_LOINC);
  const base = { check: 'inr-monitoring' as const, source: { ...INR_RULE.source }, drugs: ['warfarin'] };
  if (!inr) {
    return [
      {
        ...base,
        rule: 'inr-missing',
        severity: 'low',
        summary: 'Warfarin: no INR result available',
        detail: 'No INR on record. Ask the clinic for the latest INR before dispensing.',
        evidence: [`order: ${ctx.order.display}`],
      },
    ];
  }
  const evidence = [
    `order: ${ctx.order.display}`,
    `INR ${inr.value} on ${inr.date.slice(0, 10)} (LOINC ${inr.loinc})`,
  ];
  const age = daysBetween(inr.date, ctx.asOf);
  if (inr.value > INR_RULE.critical) {
    return [
      {
        ...base,
        rule: 'inr-critical-high',
        severity: 'critical',
        summary: `Warfarin: INR ${inr.value} is above 4 (high bleeding risk)`,
        detail:
          'Contact the anticoagulation clinic or prescriber before dispensing; the dose is likely to be held or reduced.',
        evidence,
      },
    ];
  }
  if (inr.value > INR_RULE.high) {
    return [
      {
        ...base,
        rule: 'inr-high',
        severity: 'high',
        summary: `Warfarin: INR ${inr.value} is above the 2.0-3.0 range`,
        detail:
          'Confirm the current dose with the prescriber; ask about bleeding, new medicines and diet changes.',
        evidence,
      },
    ];
  }
  if (inr.value < INR_RULE.low) {
    return [
      {
        ...base,
        rule: 'inr-low',
        severity: 'moderate',
        summary: `Warfarin: INR ${inr.value} is below the 2.0-3.0 range`,
        detail: 'Subtherapeutic: ask about missed doses and diet; confirm the dose plan with the prescriber.',
        evidence,
      },
    ];
  }
  if (age > INR_RULE.maxAgeDays) {
    return [
      {
        ...base,
        rule: 'inr-stale',
        severity: 'low',
        summary: `Warfarin: last INR is ${age} days old`,
        detail: 'INR in range but not recent; ask when the next INR check is due.',
        evidence,
      },
    ];
  }
  return [];
}
