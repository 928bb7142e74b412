// Drug classes the checks need, by ingredient name: a fallback and complement to the Terminology port's classes.
//
// Membership is each drug's Established Pharmacologic Class (EPC) or chemical class as stated on its FDA
// label (DailyMed, public domain); the class names match the starter vocabulary's labels so both sources
// merge. Rows list ingredients by normalized name so drugs missing from the vocabulary still match.
import type { RuleSource } from './finding.ts';

export interface DrugClassRow {
  drugClass: string;
  members: readonly string[];
  source: RuleSource;
}

const EPC: RuleSource = {
  label: 'FDA labels (DailyMed), Established Pharmacologic Class of each member',
  url: 'https://dailymed.nlm.nih.gov/dailymed/',
};

export const CHECK_DRUG_CLASSES: readonly DrugClassRow[] = [
  {
    drugClass: 'penicillin',
    members: [
      'amoxicillin',
      'ampicillin',
      'penicillin',
      'penicillin g',
      'penicillin v',
      'dicloxacillin',
      'nafcillin',
      'oxacillin',
      'piperacillin',
    ],
    source: EPC,
  },
  {
    drugClass: 'cephalosporin',
    members: [
      'cephalexin',
      'cefadroxil',
      'cefazolin',
      'cefuroxime',
      'cefprozil',
      'cefdinir',
      'cefpodoxime',
      'cefixime',
      'ceftriaxone',
      'cefotaxime',
      'ceftazidime',
      'cefepime',
      'ceftaroline',
      'cefoxitin',
    ],
    source: EPC,
  },
  { drugClass: 'carbapenem', members: ['meropenem', 'imipenem', 'ertapenem', 'doripenem'], source: EPC },
  {
    drugClass: 'sulfonamide antibiotic',
    members: ['sulfamethoxazole', 'sulfadiazine', 'sulfisoxazole', 'sulfacetamide'],
    source: EPC,
  },
  {
    drugClass: 'NSAID',
    members: [
      'ibuprofen',
      'naproxen',
      'diclofenac',
      'celecoxib',
      'meloxicam',
      'indomethacin',
      'ketorolac',
      'etodolac',
      'nabumetone',
      'piroxicam',
      'sulindac',
      'ketoprofen',
      'flurbiprofen',
      'oxaprozin',
      'diflunisal',
      'fenoprofen',
      'mefenamic acid',
    ],
    source: EPC,
  },
  { drugClass: 'salicylate', members: ['aspirin', 'salsalate', 'diflunisal'], source: EPC },
  {
    drugClass: 'opioid',
    members: [
      'morphine',
      'oxycodone',
      'hydrocodone',
      'hydromorphone',
      'codeine',
      'fentanyl',
      'methadone',
      'tramadol',
      'tapentadol',
      'meperidine',
      'oxymorphone',
      'buprenorphine',
    ],
    source: EPC,
  },
  {
    drugClass: 'ACE inhibitor',
    members: [
      'lisinopril',
      'enalapril',
      'ramipril',
      'benazepril',
      'captopril',
      'quinapril',
      'fosinopril',
      'perindopril',
      'trandolapril',
      'moexipril',
    ],
    source: EPC,
  },
  {
    drugClass: 'ARB',
    members: [
      'losartan',
      'valsartan',
      'irbesartan',
      'olmesartan',
      'telmisartan',
      'candesartan',
      'azilsartan',
      'eprosartan',
    ],
    source: EPC,
  },
  {
    drugClass: 'statin',
    members: [
      'atorvastatin',
      'simvastatin',
      'rosuvastatin',
      'pravastatin',
      'lovastatin',
      'fluvastatin',
      'pitavastatin',
    ],
    source: EPC,
  },
  {
    drugClass: 'SSRI',
    members: ['sertraline', 'fluoxetine', 'escitalopram', 'citalopram', 'paroxetine', 'fluvoxamine'],
    source: EPC,
  },
  {
    drugClass: 'SNRI',
    members: ['duloxetine', 'venlafaxine', 'desvenlafaxine', 'milnacipran', 'levomilnacipran'],
    source: EPC,
  },
  {
    drugClass: 'benzodiazepine',
    members: [
      'lorazepam',
      'alprazolam',
      'diazepam',
      'clonazepam',
      'temazepam',
      'chlordiazepoxide',
      'oxazepam',
      'triazolam',
      'midazolam',
      'clorazepate',
    ],
    source: EPC,
  },
  {
    drugClass: 'anticoagulant',
    members: [
      'warfarin',
      'apixaban',
      'rivaroxaban',
      'dabigatran',
      'edoxaban',
      'enoxaparin',
      'dalteparin',
      'fondaparinux',
      'heparin',
    ],
    source: EPC,
  },
  {
    drugClass: 'beta blocker',
    members: [
      'metoprolol',
      'atenolol',
      'bisoprolol',
      'carvedilol',
      'propranolol',
      'nadolol',
      'labetalol',
      'nebivolol',
      'sotalol',
      'timolol',
      'pindolol',
      'acebutolol',
    ],
    source: EPC,
  },
  {
    // Blocks beta-2 as well as beta-1 receptors (labels: contraindicated in bronchial asthma).
    drugClass: 'non-selective beta blocker',
    members: ['propranolol', 'nadolol', 'timolol', 'sotalol', 'pindolol', 'carvedilol', 'labetalol'],
    source: EPC,
  },
  {
    drugClass: 'proton pump inhibitor',
    members: ['omeprazole', 'esomeprazole', 'pantoprazole', 'lansoprazole', 'rabeprazole', 'dexlansoprazole'],
    source: EPC,
  },
  {
    drugClass: 'sulfonylurea',
    members: ['glipizide', 'glyburide', 'glimepiride', 'chlorpropamide', 'tolbutamide', 'tolazamide'],
    source: EPC,
  },
  { drugClass: 'thiazolidinedione', members: ['pioglitazone', 'rosiglitazone'], source: EPC },
  {
    drugClass: 'non-dihydropyridine calcium channel blocker',
    members: ['diltiazem', 'verapamil'],
    source: EPC,
  },
  {
    drugClass: 'MAOI',
    members: [
      'phenelzine',
      'tranylcypromine',
      'isocarboxazid',
      'selegiline',
      'rasagiline',
      'procarbazine',
      'linezolid',
      'methylene blue',
      'moclobemide',
    ],
    source: EPC,
  },
  { drugClass: 'H2 blocker', members: ['famotidine', 'cimetidine', 'nizatidine'], source: EPC },
  {
    drugClass: 'long-acting insulin',
    members: ['insulin glargine', 'insulin detemir', 'insulin degludec'],
    source: EPC,
  },
  {
    drugClass: 'antipsychotic',
    members: ['quetiapine', 'olanzapine', 'risperidone', 'haloperidol', 'aripiprazole', 'ziprasidone'],
    source: EPC,
  },
  { drugClass: 'gabapentinoid', members: ['gabapentin', 'pregabalin'], source: EPC },
  { drugClass: 'sedative-hypnotic', members: ['zolpidem', 'eszopiclone', 'zaleplon'], source: EPC },
];

const byMember = new Map<string, string[]>();
for (const row of CHECK_DRUG_CLASSES) {
  for (const member of row.members) {
    const list = byMember.get(member) ?? [];
    list.push(row.drugClass);
    byMember.set(member, list);
  }
}

/** Classes of one ingredient (normalized name) from the table above. */
export function tableClassesOf(ingredient: string): readonly string[] {
  return byMember.get(ingredient) ?? [];
}

/** Every member listed for a class. */
export function membersOf(drugClass: string): readonly string[] {
  return CHECK_DRUG_CLASSES.find((r) => r.drugClass === drugClass)?.members ?? [];
}

/**
 * Brand names the checks rely on when the loaded vocabulary lacks them (brand → ingredient, from the FDA
 * label title). Used only when the Terminology port does not know the name.
 */
export const BRAND_FALLBACK: ReadonlyMap<string, readonly string[]> = new Map([
  ['macrobid', ['nitrofurantoin']],
  ['macrodantin', ['nitrofurantoin']],
  ['adipex-p', ['phentermine']],
  ['nardil', ['phenelzine']],
  ['parnate', ['tranylcypromine']],
  ['imitrex', ['sumatriptan']],
  ['zanaflex', ['tizanidine']],
  ['rozerem', ['ramelteon']],
  ['uloric', ['febuxostat']],
  ['reyataz', ['atazanavir']],
  ['norvir', ['ritonavir']],
  ['biaxin', ['clarithromycin']],
  ['haldol', ['haloperidol']],
  ['elavil', ['amitriptyline']],
]);

/** Allergy entries written as a class ("Penicillins", "sulfa drugs", "NSAIDs") → the class they name. */
export const ALLERGY_CLASS_NAMES: ReadonlyMap<string, string> = new Map([
  ['penicillin', 'penicillin'],
  ['penicillins', 'penicillin'],
  ['pcn', 'penicillin'],
  ['cephalosporin', 'cephalosporin'],
  ['cephalosporins', 'cephalosporin'],
  ['sulfa', 'sulfonamide antibiotic'],
  ['sulfa drugs', 'sulfonamide antibiotic'],
  ['sulfonamide', 'sulfonamide antibiotic'],
  ['sulfonamides', 'sulfonamide antibiotic'],
  ['sulfonamide antibiotics', 'sulfonamide antibiotic'],
  ['nsaid', 'NSAID'],
  ['nsaids', 'NSAID'],
  ['opioids', 'opioid'],
  ['opiates', 'opioid'],
  ['ace inhibitors', 'ACE inhibitor'],
  ['statins', 'statin'],
  ['fluoroquinolones', 'fluoroquinolone'],
  ['quinolones', 'fluoroquinolone'],
  ['carbapenems', 'carbapenem'],
]);
