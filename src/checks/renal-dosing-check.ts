// Renal dosing from the latest eGFR (LOINC 33914-3, 62238-1, 98979-8) or creatinine clearance (2164-2, or
// Cockcroft-Gault from serum creatinine 2160-0 when age, sex and weight are known).
import type { CheckContext } from './check-context.ts';
import type { CheckLab } from './check-input.ts';
import type { Finding } from './finding.ts';
import { clampSummary } from './finding.ts';
import { drugRuleLookup } from './drug-rule-index.ts';
import type { RenalRule } from './renal-dosing-rules.ts';
import { RENAL_DOSING_RULES } from './renal-dosing-rules.ts';

/** eGFR LOINC codes (LOINC lab codes): MDRD, CKD-EPI, CKD-EPI 2021 (race-free), MDRD by race. */
export const EGFR_LOINC = ['98979-8', '62238-1', '33914-3', '48642-3', '48643-1'] as const;
export const CRCL_LOINC = ['2164-2'] as const;
export const CREATININE_LOINC = ['2160-0'] as const;

interface RenalValue {
  measure: 'eGFR' | 'CrCl';
  value: number;
  evidence: string;
}

/** Cockcroft DW, Gault MH. Nephron 1976;16:31-41: CrCl = (140 − age) × weight / (72 × SCr), × 0.85 if female. */
export function cockcroftGault(
  age: number,
  weightKg: number,
  creatinineMgDl: number,
  female: boolean,
): number {
  const crcl = ((140 - age) * weightKg) / (72 * creatinineMgDl);
  return Math.round((female ? crcl * 0.85 : crcl) * 10) / 10;
}

function describe(lab: CheckLab, name: string): string {
  return `${name} ${lab.value}${lab.unit ? ` ${lab.unit}` : ''} on ${lab.date.slice(0, 10)} (LOINC ${lab.loinc})`;
}

export function renalValues(ctx: CheckContext): RenalValue[] {
  const values: RenalValue[] = [];
  const egfr = ctx.latestLab(EGFR_LOINC);
  if (egfr) values.push({ measure: 'eGFR', value: egfr.value, evidence: describe(egfr, 'eGFR') });
  const crcl = ctx.latestLab(CRCL_LOINC);
  if (crcl) values.push({ measure: 'CrCl', value: crcl.value, evidence: describe(crcl, 'CrCl') });
  else {
    const scr = ctx.latestLab(CREATININE_LOINC);
    const { age, weightKg, sex } = ctx.patient;
    if (scr && age !== undefined && weightKg !== undefined && scr.value > 0) {
      const value = cockcroftGault(age, weightKg, scr.value, sex === 'female');
      values.push({
        measure: 'CrCl',
        value,
        evidence: `CrCl ${value} mL/min by Cockcroft-Gault from ${describe(scr, 'creatinine')}`,
      });
    }
  }
  return values;
}

export function checkRenalDosing(
  ctx: CheckContext,
  rules: readonly RenalRule[] = RENAL_DOSING_RULES,
): Finding[] {
  const rule = drugRuleLookup(rules, (r) => ({ members: [r.drug], classes: [] }))(ctx.order)[0];
  if (!rule) return [];
  const values = renalValues(ctx);
  // The label's own measure first; the other one stands in when it is all there is.
  const value = values.find((v) => v.measure === rule.measure) ?? values[0];
  if (!value) return [];
  const band = rule.bands.find(
    (b) => value.value < b.below && (b.atLeast === undefined || value.value >= b.atLeast),
  );
  if (!band) return [];
  const stand = value.measure === rule.measure ? '' : ` (${value.measure} used in place of ${rule.measure})`;
  return [
    {
      check: 'renal-dosing',
      rule: `renal-${rule.drug}-${band.atLeast ?? 0}-${band.below}`,
      severity: band.severity,
      summary: clampSummary(
        `Renal dosing: ${rule.drug} with ${value.measure} ${value.value}: ${band.action.split(';')[0]}`,
      ),
      detail: `${ctx.order.display}: ${band.action}.${stand}`,
      evidence: [`order: ${ctx.order.display}`, value.evidence],
      source: rule.source,
      drugs: [rule.drug],
    },
  ];
}
