// Drug-disease check: the order against the problem list (ICD-10-CM prefixes, SNOMED codes or words).
import type { CheckProblem } from './check-input.ts';
import type { CheckContext } from './check-context.ts';
import { drugRuleLookup } from './drug-rule-index.ts';
import type { Finding, RuleSource, Severity } from './finding.ts';
import { clampSummary } from './finding.ts';

export interface DiseaseMatcher {
  label: string;
  /** ICD-10-CM code prefixes without the dot (N184 matches N18.4). */
  icd10: readonly string[];
  snomed: readonly string[];
  /** Lower-case words or phrases in the problem text. */
  words: readonly string[];
}

export interface DrugDiseaseRule {
  id: string;
  drugs: { members: readonly string[]; classes: readonly string[] };
  disease: DiseaseMatcher;
  severity: Severity;
  advice: string;
  source: RuleSource;
}

const CKD_ADVANCED: DiseaseMatcher = {
  label: 'chronic kidney disease stage 4-5 / ESRD',
  icd10: ['N184', 'N185', 'N186'],
  snomed: ['431857002', '433146000', '46177005'],
  words: [
    'ckd stage 4',
    'ckd stage 5',
    'ckd 4',
    'ckd 5',
    'stage 4 chronic kidney',
    'stage 5 chronic kidney',
    'end stage renal',
    'esrd',
  ],
};
const CKD_ANY: DiseaseMatcher = {
  label: 'chronic kidney disease',
  icd10: ['N18'],
  snomed: ['709044004', '431857002', '433146000', '46177005'],
  words: ['chronic kidney disease', 'ckd', 'end stage renal', 'esrd'],
};
const HEART_FAILURE: DiseaseMatcher = {
  label: 'heart failure',
  icd10: ['I50', 'I110', 'I130', 'I132'],
  snomed: ['84114007', '42343007', '703272007'],
  words: ['heart failure', 'chf', 'hfref', 'hfpef', 'congestive cardiac failure'],
};
const ASTHMA: DiseaseMatcher = {
  label: 'asthma',
  icd10: ['J45'],
  snomed: ['195967001'],
  words: ['asthma'],
};

function dm(query: string): string {
  return `https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=${encodeURIComponent(query)}`;
}

export const DRUG_DISEASE_RULES: readonly DrugDiseaseRule[] = [
  {
    id: 'disease-nsaid-ckd',
    drugs: { members: [], classes: ['NSAID'] },
    disease: CKD_ANY,
    severity: 'high',
    advice:
      'NSAIDs can worsen renal function; avoid in advanced renal disease, or use the lowest dose for the shortest time with renal monitoring. Consider acetaminophen.',
    source: {
      label:
        'FDA NSAID class labeling §5.6 Renal Toxicity and Hyperkalemia (not recommended in advanced renal disease)',
      url: dm('ibuprofen'),
    },
  },
  {
    id: 'disease-nsaid-heart-failure',
    drugs: { members: [], classes: ['NSAID'] },
    disease: HEART_FAILURE,
    severity: 'high',
    advice:
      'NSAIDs cause fluid retention and raise the risk of heart-failure hospitalization; avoid in severe heart failure unless benefits outweigh risks.',
    source: { label: 'FDA NSAID class labeling §5.5 Heart Failure and Edema', url: dm('naproxen') },
  },
  {
    id: 'disease-nonselective-beta-blocker-asthma',
    drugs: { members: [], classes: ['non-selective beta blocker'] },
    disease: ASTHMA,
    severity: 'high',
    advice:
      'A non-selective beta blocker can provoke bronchospasm; it is contraindicated in bronchial asthma. If a beta blocker is needed, a cardioselective one (e.g. metoprolol, bisoprolol) with caution.',
    source: {
      label:
        'FDA label, propranolol §4 Contraindications (bronchial asthma); carvedilol §4 (bronchial asthma)',
      url: dm('propranolol'),
    },
  },
  {
    id: 'disease-metformin-severe-renal',
    drugs: { members: ['metformin'], classes: [] },
    disease: CKD_ADVANCED,
    severity: 'critical',
    advice:
      'Metformin is contraindicated with eGFR below 30 mL/min/1.73 m² (lactic acidosis). Confirm current renal function and stop or switch.',
    source: {
      label: 'FDA label, metformin (Glucophage) §4 Contraindications (severe renal impairment, eGFR < 30)',
      url: dm('metformin'),
    },
  },
  {
    id: 'disease-thiazolidinedione-heart-failure',
    drugs: { members: ['pioglitazone', 'rosiglitazone'], classes: ['thiazolidinedione'] },
    disease: HEART_FAILURE,
    severity: 'high',
    advice:
      'Thiazolidinediones cause fluid retention and can precipitate heart failure; contraindicated in NYHA class III/IV heart failure.',
    source: {
      label: 'FDA label, pioglitazone (Actos) Boxed Warning: congestive heart failure; §4 Contraindications',
      url: dm('pioglitazone'),
    },
  },
  {
    id: 'disease-nondhp-ccb-heart-failure',
    drugs: { members: ['diltiazem', 'verapamil'], classes: [] },
    disease: HEART_FAILURE,
    severity: 'moderate',
    advice:
      'Diltiazem and verapamil depress contractility; avoid in heart failure with reduced ejection fraction.',
    source: {
      label:
        'FDA label, verapamil §5 Warnings (heart failure); diltiazem §5 Warnings (congestive heart failure)',
      url: dm('verapamil'),
    },
  },
];

const PATTERNS = new WeakMap<DiseaseMatcher, RegExp>();

function wordPattern(disease: DiseaseMatcher): RegExp {
  let pattern = PATTERNS.get(disease);
  if (!pattern) {
    const words = disease.words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(`\\b(?:${words.join('|')})\\b`);
    PATTERNS.set(disease, pattern);
  }
  return pattern;
}

export function problemMatches(problem: CheckProblem, disease: DiseaseMatcher): boolean {
  const code = problem.code?.replace('.', '').toUpperCase().trim();
  if (code !== undefined) {
    if (disease.icd10.some((prefix) => code.startsWith(prefix))) return true;
    if (disease.snomed.includes(code)) return true;
  }
  return wordPattern(disease).test(problem.text.toLowerCase());
}

export function checkDrugDisease(
  ctx: CheckContext,
  rules: readonly DrugDiseaseRule[] = DRUG_DISEASE_RULES,
): Finding[] {
  const findings: Finding[] = [];
  if (ctx.problems.length === 0) return findings;
  for (const rule of drugRuleLookup(rules, (r) => r.drugs)(ctx.order)) {
    const disease = rule.disease;
    const problem = ctx.findProblem(disease, (p) => problemMatches(p, disease));
    if (!problem) continue;
    findings.push({
      check: 'drug-disease',
      rule: rule.id,
      severity: rule.severity,
      summary: clampSummary(`${ctx.order.label} with ${rule.disease.label} on the problem list`),
      detail: rule.advice,
      evidence: [
        `order: ${ctx.order.display}`,
        `problem: ${problem.text}${problem.code ? ` (${problem.code})` : ''}`,
      ],
      source: rule.source,
      drugs: [...ctx.order.ingredients],
    });
  }
  return findings;
}
