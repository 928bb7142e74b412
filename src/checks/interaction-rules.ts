// Drug-drug interaction rules: the ONC high-priority list (never suppressed) and the ONC non-interruptive list.
//
// High-priority: Phansalkar S, et al. "High-priority drug-drug interactions for use in electronic health
// records." J Am Med Inform Assoc 2012;19(5):735-43, doi:10.1136/amiajnl-2011-000612 (Table 2 as revised in the
// Hines & Malone tabulation: object and precipitant sets, each item's precipitants taken as one set).
// Non-interruptive: Phansalkar S, et al. JAMIA 2013;20(3):489-93, doi:10.1136/amiajnl-2012-001089. Facts
// (which drugs interact) re-keyed by the team; member lists are our own, by FDA label class. Item 21 (QT
// prolongation) uses drugs whose own FDA label warns of QT prolongation, not any third-party QT list.
import type { RuleSource } from './finding.ts';

export interface InteractionRule {
  id: string;
  /** The ONC item number from the paper. */
  item: number;
  object: { label: string; members: readonly string[] };
  precipitant: { label: string; members: readonly string[] };
  /** Why it matters, in our own words. */
  effect: string;
  tier: 'onc-high-priority' | 'onc-non-interruptive';
  source: RuleSource;
}

const HIGH: RuleSource = {
  label: 'ONC high-priority DDI list (Phansalkar et al., JAMIA 2012;19(5):735-43)',
  url: 'https://doi.org/10.1136/amiajnl-2011-000612',
};
const LOW: RuleSource = {
  label: 'ONC non-interruptive DDI list (Phansalkar et al., JAMIA 2013;20(3):489-93)',
  url: 'https://doi.org/10.1136/amiajnl-2012-001089',
};

const MAOI = {
  label: 'MAO inhibitor',
  members: ['tranylcypromine', 'phenelzine', 'isocarboxazid', 'procarbazine', 'selegiline'],
} as const;
const PROTEASE_INHIBITORS = [
  'ritonavir',
  'nelfinavir',
  'atazanavir',
  'indinavir',
  'saquinavir',
  'amprenavir',
  'fosamprenavir',
  'darunavir',
  'lopinavir',
  'tipranavir',
] as const;
const MACROLIDE_AND_OTHER_3A4 = [
  'clarithromycin',
  'erythromycin',
  'telithromycin',
  'amiodarone',
  'verapamil',
  'diltiazem',
] as const;
const AZOLES_AND_OTHER_3A4 = [
  'ketoconazole',
  'itraconazole',
  'fluconazole',
  'voriconazole',
  'nefazodone',
] as const;

function high(
  item: number,
  object: InteractionRule['object'],
  precipitant: InteractionRule['precipitant'],
  effect: string,
): InteractionRule {
  return {
    id: `onc-ddi-${item}`,
    item,
    object,
    precipitant,
    effect,
    tier: 'onc-high-priority',
    source: HIGH,
  };
}

function low(
  item: number,
  object: InteractionRule['object'],
  precipitant: InteractionRule['precipitant'],
  effect: string,
): InteractionRule {
  return {
    id: `onc-ni-${item}`,
    item,
    object,
    precipitant,
    effect,
    tier: 'onc-non-interruptive',
    source: LOW,
  };
}

/** The 15 contraindicated pairs. */
export const ONC_HIGH_PRIORITY_DDI: readonly InteractionRule[] = [
  high(
    3,
    {
      label: 'amphetamine derivative',
      members: [
        'dexmethylphenidate',
        'dextroamphetamine',
        'methylphenidate',
        'lisdexamfetamine',
        'methamphetamine',
        'phendimetrazine',
        'pseudoephedrine',
        'amphetamine',
        'benzphetamine',
        'diethylpropion',
        'phentermine',
        'atomoxetine',
      ],
    },
    MAOI,
    'hypertensive crisis',
  ),
  high(
    4,
    { label: 'atazanavir', members: ['atazanavir'] },
    {
      label: 'proton pump inhibitor',
      members: ['omeprazole', 'lansoprazole', 'pantoprazole', 'rabeprazole', 'esomeprazole'],
    },
    'atazanavir exposure falls (loss of antiviral effect)',
  ),
  high(
    6,
    { label: 'febuxostat', members: ['febuxostat'] },
    { label: 'azathioprine or mercaptopurine', members: ['azathioprine', 'mercaptopurine'] },
    'thiopurine toxicity (xanthine oxidase inhibited)',
  ),
  high(
    8,
    {
      label: 'serotonergic antidepressant',
      members: [
        'fluoxetine',
        'paroxetine',
        'citalopram',
        'escitalopram',
        'sertraline',
        'fluvoxamine',
        'duloxetine',
        'nefazodone',
        'desvenlafaxine',
        'milnacipran',
        'venlafaxine',
      ],
    },
    MAOI,
    'serotonin syndrome',
  ),
  high(
    11,
    { label: 'irinotecan', members: ['irinotecan'] },
    {
      label: 'strong CYP3A4 inhibitor',
      members: [
        ...PROTEASE_INHIBITORS,
        ...MACROLIDE_AND_OTHER_3A4,
        ...AZOLES_AND_OTHER_3A4,
        'aprepitant',
        'cimetidine',
      ],
    },
    'irinotecan toxicity (neutropenia, diarrhea)',
  ),
  high(
    16,
    {
      label: 'serotonergic opioid',
      members: ['meperidine', 'methadone', 'tapentadol', 'fentanyl', 'tramadol', 'dextromethorphan'],
    },
    MAOI,
    'serotonin syndrome',
  ),
  high(
    20,
    {
      label: 'tricyclic antidepressant',
      members: [
        'amitriptyline',
        'clomipramine',
        'desipramine',
        'doxepin',
        'imipramine',
        'nortriptyline',
        'protriptyline',
        'trimipramine',
      ],
    },
    MAOI,
    'serotonin syndrome, hypertensive crisis',
  ),
  high(
    21,
    {
      label: 'QT-prolonging drug',
      members: [
        'dofetilide',
        'sotalol',
        'amiodarone',
        'dronedarone',
        'quinidine',
        'thioridazine',
        'pimozide',
        'ziprasidone',
        'haloperidol',
        'methadone',
        'citalopram',
        'escitalopram',
        'ondansetron',
        'azithromycin',
        'clarithromycin',
        'erythromycin',
        'levofloxacin',
        'moxifloxacin',
      ],
    },
    {
      label: 'QT-prolonging drug',
      members: [
        'dofetilide',
        'sotalol',
        'amiodarone',
        'dronedarone',
        'quinidine',
        'thioridazine',
        'pimozide',
        'ziprasidone',
        'haloperidol',
        'methadone',
        'citalopram',
        'escitalopram',
        'ondansetron',
        'azithromycin',
        'clarithromycin',
        'erythromycin',
        'levofloxacin',
        'moxifloxacin',
      ],
    },
    'additive QT prolongation (torsades de pointes)',
  ),
  high(
    22,
    { label: 'ramelteon', members: ['ramelteon'] },
    { label: 'CYP1A2 inhibitor', members: ['fluvoxamine', 'amiodarone', 'ticlopidine', 'ciprofloxacin'] },
    'ramelteon exposure rises many-fold',
  ),
  high(
    23,
    { label: 'protease inhibitor', members: [...PROTEASE_INHIBITORS] },
    {
      label: 'strong CYP3A4 inducer',
      members: [
        'bosentan',
        'rifapentine',
        'carbamazepine',
        'rifabutin',
        'rifampin',
        "st. john's wort",
        'st johns wort',
      ],
    },
    'loss of antiviral effect',
  ),
  high(
    25,
    { label: 'simvastatin or lovastatin', members: ['simvastatin', 'lovastatin'] },
    {
      label: 'strong CYP3A4 inhibitor',
      members: [...PROTEASE_INHIBITORS, ...MACROLIDE_AND_OTHER_3A4, ...AZOLES_AND_OTHER_3A4],
    },
    'myopathy and rhabdomyolysis',
  ),
  high(
    27,
    {
      label: 'ergot alkaloid',
      members: ['ergotamine', 'methylergonovine', 'dihydroergotamine', 'ergonovine'],
    },
    {
      label: 'strong CYP3A4 inhibitor',
      members: [
        ...PROTEASE_INHIBITORS,
        'clarithromycin',
        'erythromycin',
        'telithromycin',
        'ketoconazole',
        'itraconazole',
        'voriconazole',
      ],
    },
    'ergotism (vasospasm, ischemia)',
  ),
  high(
    28,
    { label: 'tizanidine', members: ['tizanidine'] },
    {
      label: 'CYP1A2 inhibitor',
      members: [
        'ciprofloxacin',
        'fluvoxamine',
        'mexiletine',
        'propafenone',
        'zileuton',
        'amiodarone',
        'ticlopidine',
      ],
    },
    'severe hypotension and sedation',
  ),
  high(
    30,
    { label: 'tranylcypromine', members: ['tranylcypromine'] },
    { label: 'procarbazine', members: ['procarbazine'] },
    'hypertensive crisis',
  ),
  high(
    31,
    { label: 'triptan', members: ['sumatriptan', 'zolmitriptan', 'rizatriptan'] },
    {
      label: 'MAO inhibitor',
      members: ['tranylcypromine', 'phenelzine', 'isocarboxazid', 'moclobemide', 'methylene blue'],
    },
    'serotonin syndrome; triptan exposure rises',
  ),
];

const ACE = [
  'benazepril',
  'captopril',
  'enalapril',
  'fosinopril',
  'lisinopril',
  'perindopril',
  'quinapril',
  'ramipril',
  'trandolapril',
  'moexipril',
];
const ARB = [
  'valsartan',
  'telmisartan',
  'losartan',
  'irbesartan',
  'azilsartan',
  'olmesartan',
  'candesartan',
  'eprosartan',
];
const STATINS = [
  'simvastatin',
  'atorvastatin',
  'fluvastatin',
  'lovastatin',
  'pravastatin',
  'rosuvastatin',
  'pitavastatin',
];
const BETA = [
  'acebutolol',
  'atenolol',
  'betaxolol',
  'bisoprolol',
  'carvedilol',
  'labetalol',
  'metoprolol',
  'nadolol',
  'propranolol',
  'nebivolol',
];
const THIAZIDES = [
  'hydrochlorothiazide',
  'chlorthalidone',
  'chlorothiazide',
  'indapamide',
  'metolazone',
  'bendroflumethiazide',
];
const NSAIDS = [
  'celecoxib',
  'diclofenac',
  'etodolac',
  'ibuprofen',
  'indomethacin',
  'ketorolac',
  'meloxicam',
  'nabumetone',
  'naproxen',
  'piroxicam',
  'sulindac',
];
const ANTICOAGULANTS = [
  'warfarin',
  'apixaban',
  'rivaroxaban',
  'dabigatran',
  'edoxaban',
  'enoxaparin',
  'dalteparin',
  'fondaparinux',
];
const THYROID = ['levothyroxine', 'liothyronine', 'thyroid'];
const CALCIUM = ['calcium carbonate', 'calcium citrate', 'calcium acetate'];
const PPI = ['omeprazole', 'lansoprazole', 'pantoprazole', 'rabeprazole', 'esomeprazole'];
const CORTICOSTEROIDS = [
  'prednisone',
  'prednisolone',
  'methylprednisolone',
  'dexamethasone',
  'hydrocortisone',
  'budesonide',
];
const SULFONYLUREAS = ['glipizide', 'glyburide', 'glimepiride', 'chlorpropamide', 'tolbutamide'];

/** A selection of the 33 non-interruptive class pairs, with member lists curated from FDA label classes. */
export const ONC_NON_INTERRUPTIVE_DDI: readonly InteractionRule[] = [
  low(
    3,
    { label: 'beta blocker', members: BETA },
    {
      label: 'SSRI',
      members: ['citalopram', 'escitalopram', 'fluoxetine', 'fluvoxamine', 'paroxetine', 'sertraline'],
    },
    'some SSRIs raise beta-blocker levels (bradycardia)',
  ),
  low(
    5,
    { label: 'thiazide diuretic', members: THIAZIDES },
    { label: 'ACE inhibitor', members: ACE },
    'additive blood pressure lowering',
  ),
  low(
    6,
    { label: 'thyroid hormone', members: THYROID },
    { label: 'calcium salt', members: CALCIUM },
    'reduced levothyroxine absorption; separate by 4 hours',
  ),
  low(
    7,
    { label: 'thyroid hormone', members: THYROID },
    { label: 'statin', members: STATINS },
    'minor change in thyroid hormone levels',
  ),
  low(
    8,
    { label: 'thiazide diuretic', members: THIAZIDES },
    { label: 'NSAID', members: NSAIDS },
    'NSAIDs blunt the diuretic effect',
  ),
  low(
    15,
    { label: 'sulfonylurea', members: SULFONYLUREAS },
    { label: 'ACE inhibitor', members: ACE },
    'small added glucose lowering',
  ),
  low(
    17,
    { label: 'anticoagulant', members: ANTICOAGULANTS },
    { label: 'corticosteroid', members: CORTICOSTEROIDS },
    'possible INR change; monitor',
  ),
  low(
    20,
    { label: 'anticoagulant', members: ANTICOAGULANTS },
    { label: 'proton pump inhibitor', members: PPI },
    'possible INR change; monitor',
  ),
  low(
    23,
    { label: 'ACE inhibitor', members: ACE },
    { label: 'ARB', members: ARB },
    'dual renin-angiotensin blockade: monitor potassium and renal function',
  ),
  low(
    24,
    { label: 'anticoagulant', members: ANTICOAGULANTS },
    { label: 'statin', members: STATINS },
    'possible INR change; monitor',
  ),
  low(
    28,
    { label: 'NSAID', members: NSAIDS },
    { label: 'beta blocker', members: BETA },
    'NSAIDs may blunt blood pressure lowering',
  ),
  low(
    31,
    { label: 'beta blocker', members: BETA },
    {
      label: 'dihydropyridine calcium channel blocker',
      members: ['amlodipine', 'felodipine', 'isradipine', 'nicardipine', 'nifedipine', 'nisoldipine'],
    },
    'additive blood pressure lowering',
  ),
  low(
    33,
    { label: 'ACE inhibitor', members: ACE },
    { label: 'NSAID', members: NSAIDS },
    'NSAIDs blunt ACE-inhibitor effect; monitor renal function',
  ),
];
