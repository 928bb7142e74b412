// Drug-allergy check: the same ingredient, a cross-sensitive class, and beta-lactam cross-reactivity (lower severity).
import type { CheckAllergy } from './check-input.ts';
import type { CheckContext } from './check-context.ts';
import { drugMatches } from './check-context.ts';
import type { Finding, RuleSource, Severity } from './finding.ts';
import { clampSummary } from './finding.ts';

/** Classes whose members cross-react with each other: an allergy to one member contraindicates the class. */
export const CROSS_SENSITIVE_CLASSES: ReadonlyArray<{ drugClass: string; source: RuleSource }> = [
  {
    drugClass: 'penicillin',
    source: {
      label:
        'FDA label, amoxicillin (Amoxil) §4 Contraindications: serious hypersensitivity to other beta-lactams',
      url: 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=amoxicillin',
    },
  },
  {
    drugClass: 'sulfonamide antibiotic',
    source: {
      label:
        'FDA label, sulfamethoxazole/trimethoprim (Bactrim) Contraindications: hypersensitivity to sulfonamides',
      url: 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=sulfamethoxazole',
    },
  },
  {
    drugClass: 'NSAID',
    source: {
      label:
        'FDA NSAID class labeling §4 Contraindications: asthma, urticaria or allergic reactions after aspirin or other NSAIDs',
      url: 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=ibuprofen',
    },
  },
  {
    drugClass: 'cephalosporin',
    source: {
      label: 'FDA label, cephalexin (Keflex) §4 Contraindications: hypersensitivity to cephalosporins',
      url: 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=cephalexin',
    },
  },
  {
    drugClass: 'fluoroquinolone',
    source: {
      label: 'FDA label, ciprofloxacin (Cipro) §4 Contraindications: hypersensitivity to any fluoroquinolone',
      url: 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=ciprofloxacin',
    },
  },
];

/** Partial cross-reactivity between classes: a caution, not a contraindication. */
export const CROSS_REACTIVE_CLASSES: ReadonlyArray<{
  allergyClass: string;
  drugClass: string;
  severity: Severity;
  note: string;
  source: RuleSource;
}> = [
  {
    allergyClass: 'penicillin',
    drugClass: 'cephalosporin',
    severity: 'moderate',
    note: 'cross-hypersensitivity between penicillins and cephalosporins is documented; use with caution and not after a severe (anaphylactic) penicillin reaction',
    source: {
      label:
        'FDA label, cephalexin (Keflex) §5.1 Hypersensitivity Reactions (cross-hypersensitivity among beta-lactams)',
      url: 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=cephalexin',
    },
  },
  {
    allergyClass: 'cephalosporin',
    drugClass: 'penicillin',
    severity: 'moderate',
    note: 'cross-hypersensitivity between cephalosporins and penicillins is documented; use with caution',
    source: {
      label:
        'FDA label, amoxicillin (Amoxil) §5.1 Anaphylactic Reactions (history of sensitivity to multiple allergens, cephalosporins)',
      url: 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=amoxicillin',
    },
  },
  {
    allergyClass: 'penicillin',
    drugClass: 'carbapenem',
    severity: 'low',
    note: 'carbapenem labels report reactions in patients with beta-lactam hypersensitivity; ask about the reaction',
    source: {
      label: 'FDA label, meropenem (Merrem) §5.1 Hypersensitivity Reactions',
      url: 'https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=meropenem',
    },
  },
];

const SEVERE_REACTION =
  /anaphyla|angioedema|stevens|johnson|sjs|toxic epidermal|ten\b|dress|throat|airway|swelling/i;

function allergySeverity(a: CheckAllergy): Severity {
  return a.severity === 'severe' || (a.reaction !== undefined && SEVERE_REACTION.test(a.reaction))
    ? 'critical'
    : 'high';
}

function describeAllergy(a: CheckAllergy): string {
  const parts = [a.reaction, a.severity].filter(Boolean).join(', ');
  return parts ? `${a.substance} (${parts})` : a.substance;
}

export function checkDrugAllergy(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const drug = ctx.order;
  const name = drug.label;
  for (const { allergy, allergen, classes: allergenClasses } of ctx.allergies) {
    const sameIngredient =
      allergen !== undefined && allergen.ingredients.length > 0 && drugMatches(drug, allergen.ingredients);
    const sensitive = sameIngredient
      ? undefined
      : CROSS_SENSITIVE_CLASSES.find(
          (c) => allergenClasses.includes(c.drugClass) && drug.classes.has(c.drugClass),
        );
    const reactive =
      sameIngredient || sensitive
        ? undefined
        : CROSS_REACTIVE_CLASSES.find(
            (c) => allergenClasses.includes(c.allergyClass) && drug.classes.has(c.drugClass),
          );
    if (!sameIngredient && !sensitive && !reactive) continue;
    const reaction = allergy.reaction ? ` Recorded reaction: ${allergy.reaction}.` : '';
    const evidence = [`order: ${drug.display}`, `allergy: ${describeAllergy(allergy)}`];

    if (allergen && sameIngredient) {
      const severity = allergySeverity(allergy);
      findings.push({
        check: 'drug-allergy',
        rule: 'allergy-same-ingredient',
        severity,
        summary: clampSummary(`Allergy: patient is allergic to ${allergy.substance}; ${name} contains it`),
        detail: `${drug.display} contains ${allergen.ingredients.join(', ')}, recorded as an allergy.${reaction} Do not dispense; contact the prescriber for an alternative.`,
        evidence,
        source: {
          label: `FDA label, ${name} §4 Contraindications (known hypersensitivity to the drug)`,
          url: `https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=${encodeURIComponent(name)}`,
        },
        drugs: [...drug.ingredients],
      });
      continue;
    }
    if (sensitive) {
      findings.push({
        check: 'drug-allergy',
        rule: `allergy-class-${sensitive.drugClass.replace(/\s+/g, '-').toLowerCase()}`,
        severity: allergySeverity(allergy),
        summary: clampSummary(
          `Allergy: ${allergy.substance} allergy; ${name} is a ${sensitive.drugClass} (cross-sensitivity)`,
        ),
        detail: `${drug.display} belongs to the ${sensitive.drugClass} class, and the patient has a recorded allergy to ${allergy.substance}.${reaction} Members of this class cross-react; choose a drug from another class.`,
        evidence,
        source: sensitive.source,
        drugs: [...drug.ingredients],
      });
      continue;
    }
    if (reactive) {
      const severe = allergySeverity(allergy) === 'critical';
      findings.push({
        check: 'drug-allergy',
        rule: `allergy-cross-${reactive.allergyClass}-${reactive.drugClass}`,
        severity: severe && reactive.severity === 'moderate' ? 'high' : reactive.severity,
        summary: clampSummary(
          `Caution: ${allergy.substance} allergy and ${name} (${reactive.drugClass}): possible cross-reactivity`,
        ),
        detail: `${drug.display} is a ${reactive.drugClass}; the patient has a recorded ${allergy.substance} allergy.${reaction} ${reactive.note}.`,
        evidence,
        source: reactive.source,
        drugs: [...drug.ingredients],
      });
    }
  }
  return findings;
}
