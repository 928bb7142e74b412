// Drug classes for allergy cross-sensitivity, therapeutic duplication and interaction checks, authored by the team.
//
// Membership is the team's reading of public-domain FDA labelling: each class cites the FDA
// "Established Pharmacologic Class" (EPC) of its members as published in Structured Product Labeling
// (DailyMed, public domain), or the label section that states the class effect. No membership comes
// from a proprietary compendium (DOMAIN.md, "Not redistributable"). Members are RxNorm ingredient (IN)
// names, so the same table applies to the starter vocabulary and to a loaded RxNorm release.
// A pharmacist reviews this table before clinical use.

export interface DrugClassDefinition {
  /** The label carried in `DrugConcept.classes` (kept stable: checks and reconciliation match on it). */
  name: string;
  /** Public-domain source of the class statement. */
  source: string;
  /** RxNorm IN names of the members. */
  members: readonly string[];
}

const EPC = (epc: string): string => `FDA SPL Established Pharmacologic Class "${epc} [EPC]" (DailyMed)`;
const LABEL = (section: string): string => `FDA prescribing information, ${section} (DailyMed)`;

export const DRUG_CLASSES: readonly DrugClassDefinition[] = [
  // Anti-infectives: the cross-sensitivity classes of allergy checking.
  {
    name: 'penicillin',
    source: EPC('Penicillin-class Antibacterial'),
    members: [
      'amoxicillin',
      'ampicillin',
      'penicillin V',
      'penicillin G',
      'dicloxacillin',
      'nafcillin',
      'oxacillin',
      'piperacillin',
    ],
  },
  {
    name: 'cephalosporin',
    source: EPC('Cephalosporin Antibacterial'),
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
      'ceftazidime',
      'cefepime',
      'cefoxitin',
      'ceftaroline fosamil',
    ],
  },
  {
    name: 'carbapenem',
    source: EPC('Penem Antibacterial'),
    members: ['meropenem', 'ertapenem', 'imipenem'],
  },
  {
    name: 'sulfonamide antibiotic',
    source: EPC('Sulfonamide Antibacterial'),
    members: ['sulfamethoxazole', 'sulfadiazine'],
  },
  {
    name: 'fluoroquinolone',
    source: EPC('Quinolone Antimicrobial'),
    members: [
      'ciprofloxacin',
      'levofloxacin',
      'moxifloxacin',
      'ofloxacin',
      'norfloxacin',
      'gemifloxacin',
      'delafloxacin',
      'gatifloxacin',
    ],
  },
  {
    name: 'macrolide',
    source: EPC('Macrolide Antimicrobial'),
    members: ['azithromycin', 'clarithromycin', 'erythromycin'],
  },
  {
    name: 'tetracycline',
    source: EPC('Tetracycline-class Drug'),
    members: ['doxycycline', 'minocycline', 'tetracycline'],
  },
  {
    name: 'antibiotic',
    source: 'FDA SPL EPCs ending in "Antibacterial" or "Antimicrobial" (DailyMed)',
    members: [
      'amoxicillin',
      'ampicillin',
      'penicillin V',
      'penicillin G',
      'dicloxacillin',
      'nafcillin',
      'oxacillin',
      'piperacillin',
      'cephalexin',
      'cefadroxil',
      'cefazolin',
      'cefuroxime',
      'cefprozil',
      'cefdinir',
      'cefpodoxime',
      'cefixime',
      'ceftriaxone',
      'ceftazidime',
      'cefepime',
      'cefoxitin',
      'ceftaroline fosamil',
      'meropenem',
      'ertapenem',
      'imipenem',
      'sulfamethoxazole',
      'sulfadiazine',
      'trimethoprim',
      'ciprofloxacin',
      'levofloxacin',
      'moxifloxacin',
      'ofloxacin',
      'norfloxacin',
      'gemifloxacin',
      'delafloxacin',
      'gatifloxacin',
      'azithromycin',
      'clarithromycin',
      'erythromycin',
      'doxycycline',
      'minocycline',
      'tetracycline',
      'nitrofurantoin',
      'clindamycin',
      'metronidazole',
      'vancomycin',
      'linezolid',
      'rifampin',
      'fosfomycin',
    ],
  },
  {
    name: 'urinary antibacterial',
    source: LABEL('Indications and Usage (urinary tract infections only)'),
    members: ['nitrofurantoin', 'fosfomycin'],
  },
  {
    name: 'azole antifungal',
    source: EPC('Azole Antifungal'),
    members: [
      'fluconazole',
      'itraconazole',
      'ketoconazole',
      'voriconazole',
      'posaconazole',
      'clotrimazole',
      'miconazole',
      'econazole',
    ],
  },
  {
    name: 'HIV protease inhibitor',
    source: EPC('HIV Protease Inhibitor'),
    members: ['ritonavir', 'darunavir', 'lopinavir', 'nelfinavir', 'fosamprenavir', 'tipranavir'],
  },
  {
    name: 'antiviral',
    source: 'FDA SPL EPCs of herpes, influenza and HIV antivirals (DailyMed)',
    members: ['acyclovir', 'valacyclovir', 'famciclovir', 'oseltamivir', 'ritonavir', 'darunavir'],
  },

  // Analgesia and musculoskeletal.
  {
    name: 'NSAID',
    source: EPC('Nonsteroidal Anti-inflammatory Drug'),
    members: [
      'aspirin',
      'ibuprofen',
      'naproxen',
      'meloxicam',
      'diclofenac',
      'celecoxib',
      'ketorolac',
      'indomethacin',
      'etodolac',
      'nabumetone',
      'piroxicam',
      'sulindac',
      'oxaprozin',
      'diflunisal',
      'ketoprofen',
      'flurbiprofen',
      'fenoprofen',
      'tolmetin',
      'meclofenamate',
      'mefenamate',
      'salsalate',
    ],
  },
  {
    name: 'opioid',
    source: EPC('Opioid Agonist'),
    members: [
      'oxycodone',
      'hydrocodone',
      'morphine',
      'hydromorphone',
      'fentanyl',
      'methadone',
      'tramadol',
      'tapentadol',
      'codeine',
      'meperidine',
      'oxymorphone',
      'buprenorphine',
    ],
  },
  {
    name: 'analgesic',
    source: LABEL('Indications and Usage (pain, fever)'),
    members: ['acetaminophen'],
  },
  {
    name: 'skeletal muscle relaxant',
    source: EPC('Muscle Relaxant'),
    members: ['cyclobenzaprine', 'methocarbamol', 'tizanidine', 'baclofen', 'carisoprodol', 'metaxalone'],
  },
  {
    name: 'gabapentinoid',
    source: LABEL('Clinical Pharmacology (binds the alpha2-delta subunit of voltage-gated calcium channels)'),
    members: ['gabapentin', 'pregabalin'],
  },
  {
    name: 'antigout',
    source: EPC('Xanthine Oxidase Inhibitor') + '; colchicine: EPC "Alkaloid [EPC]"',
    members: ['allopurinol', 'febuxostat', 'colchicine'],
  },
  {
    name: 'bisphosphonate',
    source: EPC('Bisphosphonate'),
    members: ['alendronate', 'risedronate', 'ibandronate', 'zoledronic acid', 'pamidronate'],
  },
  {
    name: 'triptan',
    source: EPC('Serotonin-1b and Serotonin-1d Receptor Agonist'),
    members: ['sumatriptan', 'rizatriptan', 'zolmitriptan', 'eletriptan', 'naratriptan', 'frovatriptan'],
  },
  {
    name: 'ergot alkaloid',
    source: EPC('Ergot Derivative'),
    members: ['ergotamine', 'dihydroergotamine', 'methylergonovine'],
  },

  // Cardiovascular.
  {
    name: 'ACE inhibitor',
    source: EPC('Angiotensin Converting Enzyme Inhibitor'),
    members: [
      'lisinopril',
      'enalapril',
      'benazepril',
      'ramipril',
      'quinapril',
      'fosinopril',
      'captopril',
      'trandolapril',
      'moexipril',
      'perindopril',
    ],
  },
  {
    name: 'ARB',
    source: EPC('Angiotensin 2 Receptor Blocker'),
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
  },
  {
    name: 'beta blocker',
    source: EPC('beta-Adrenergic Blocker'),
    members: [
      'metoprolol',
      'carvedilol',
      'atenolol',
      'propranolol',
      'bisoprolol',
      'nebivolol',
      'labetalol',
      'nadolol',
      'sotalol',
      'timolol',
      'pindolol',
      'acebutolol',
      'betaxolol',
      'esmolol',
    ],
  },
  {
    name: 'calcium channel blocker',
    source: EPC('Calcium Channel Blocker') + ' and "Dihydropyridine Calcium Channel Blocker [EPC]"',
    members: [
      'amlodipine',
      'diltiazem',
      'verapamil',
      'nifedipine',
      'felodipine',
      'nicardipine',
      'isradipine',
      'nisoldipine',
      'nimodipine',
    ],
  },
  {
    name: 'thiazide diuretic',
    source: EPC('Thiazide Diuretic') + ' and "Thiazide-like Diuretic [EPC]"',
    members: [
      'hydrochlorothiazide',
      'chlorthalidone',
      'indapamide',
      'metolazone',
      'chlorothiazide',
      'methyclothiazide',
    ],
  },
  {
    name: 'loop diuretic',
    source: EPC('Loop Diuretic'),
    members: ['furosemide', 'bumetanide', 'torsemide', 'ethacrynate'],
  },
  {
    name: 'potassium-sparing diuretic',
    source: EPC('Aldosterone Antagonist') + ' and "Potassium-sparing Diuretic [EPC]"',
    members: ['spironolactone', 'eplerenone', 'triamterene', 'amiloride'],
  },
  {
    name: 'statin',
    source: EPC('HMG-CoA Reductase Inhibitor'),
    members: [
      'atorvastatin',
      'simvastatin',
      'rosuvastatin',
      'pravastatin',
      'lovastatin',
      'pitavastatin',
      'fluvastatin',
    ],
  },
  {
    name: 'lipid-lowering agent',
    source:
      EPC('Dietary Cholesterol Absorption Inhibitor') +
      '; fenofibrate/gemfibrozil: "Peroxisome Proliferator Receptor alpha Agonist [EPC]"',
    members: ['ezetimibe', 'fenofibrate', 'gemfibrozil', 'omega-3 acid ethyl esters (USP)'],
  },
  {
    name: 'anticoagulant',
    source:
      EPC('Anticoagulant') +
      ', with "Factor Xa Inhibitor", "Vitamin K Antagonist", "Direct Thrombin Inhibitor"',
    members: [
      'warfarin',
      'apixaban',
      'rivaroxaban',
      'dabigatran etexilate',
      'edoxaban',
      'enoxaparin',
      'dalteparin',
      'heparin',
      'fondaparinux',
      'argatroban',
      'bivalirudin',
    ],
  },
  { name: 'vitamin K antagonist', source: EPC('Vitamin K Antagonist'), members: ['warfarin'] },
  {
    name: 'factor Xa inhibitor',
    source: EPC('Factor Xa Inhibitor'),
    members: ['apixaban', 'rivaroxaban', 'edoxaban', 'fondaparinux'],
  },
  {
    name: 'thrombin inhibitor',
    source: EPC('Direct Thrombin Inhibitor'),
    members: ['dabigatran etexilate', 'argatroban', 'bivalirudin'],
  },
  {
    name: 'low molecular weight heparin',
    source: EPC('Low Molecular Weight Heparin'),
    members: ['enoxaparin', 'dalteparin'],
  },
  {
    name: 'antiplatelet',
    source: EPC('Platelet Aggregation Inhibitor') + ' and "P2Y12 Platelet Inhibitor [EPC]"',
    members: [
      'aspirin',
      'clopidogrel',
      'prasugrel',
      'ticagrelor',
      'dipyridamole',
      'cilostazol',
      'anagrelide',
    ],
  },
  {
    name: 'antiarrhythmic',
    source: EPC('Antiarrhythmic') + '; diltiazem and verapamil: Vaughan Williams class IV per their labels',
    members: [
      'amiodarone',
      'dronedarone',
      'sotalol',
      'dofetilide',
      'flecainide',
      'propafenone',
      'mexiletine',
      'disopyramide',
      'quinidine',
      'diltiazem',
      'verapamil',
    ],
  },
  { name: 'cardiac glycoside', source: EPC('Cardiac Glycoside'), members: ['digoxin'] },
  {
    name: 'nitrate',
    source: EPC('Nitrate Vasodilator'),
    members: ['nitroglycerin', 'isosorbide', 'isosorbide dinitrate'],
  },
  {
    name: 'antihypertensive, other',
    source:
      'FDA SPL EPCs "Central alpha-2 Adrenergic Agonist", "Arteriolar Vasodilator", "alpha-Adrenergic Blocker" (DailyMed)',
    members: [
      'clonidine',
      'hydralazine',
      'guanfacine',
      'methyldopa',
      'minoxidil',
      'doxazosin',
      'terazosin',
      'prazosin',
    ],
  },
  {
    name: 'heart failure agent',
    source:
      EPC('Neprilysin Inhibitor') +
      '; ivabradine: "Hyperpolarization-activated Cyclic Nucleotide-gated Channel Blocker [EPC]"',
    members: ['sacubitril', 'ivabradine', 'ranolazine'],
  },
  {
    name: 'PDE5 inhibitor',
    source: EPC('Phosphodiesterase 5 Inhibitor'),
    members: ['sildenafil', 'tadalafil', 'vardenafil'],
  },

  // Diabetes and endocrine.
  { name: 'biguanide', source: EPC('Biguanide'), members: ['metformin'] },
  {
    name: 'sulfonylurea',
    source: EPC('Sulfonylurea'),
    members: ['glipizide', 'glyburide', 'glimepiride', 'chlorpropamide', 'tolazamide'],
  },
  {
    name: 'insulin',
    source: EPC('Insulin') + ' and "Insulin Analog [EPC]"',
    members: [
      'insulin glargine',
      'insulin lispro',
      'insulin aspart, human',
      'insulin detemir',
      'insulin degludec',
      'insulin, regular, human',
      'insulin isophane',
    ],
  },
  {
    name: 'long-acting insulin',
    source: LABEL('Indications and Usage / Clinical Pharmacology (long-acting insulin analog)'),
    members: ['insulin glargine', 'insulin detemir', 'insulin degludec'],
  },
  {
    name: 'rapid-acting insulin',
    source: LABEL('Indications and Usage / Clinical Pharmacology (rapid-acting insulin analog)'),
    members: ['insulin lispro', 'insulin aspart, human'],
  },
  {
    name: 'DPP-4 inhibitor',
    source: EPC('Dipeptidyl Peptidase 4 Inhibitor'),
    members: ['sitagliptin', 'linagliptin', 'saxagliptin', 'alogliptin'],
  },
  {
    name: 'SGLT2 inhibitor',
    source: EPC('Sodium-Glucose Cotransporter 2 Inhibitor'),
    members: ['empagliflozin', 'dapagliflozin', 'canagliflozin', 'ertugliflozin'],
  },
  {
    name: 'GLP-1 receptor agonist',
    source: EPC('GLP-1 Receptor Agonist'),
    members: ['semaglutide', 'liraglutide', 'dulaglutide', 'exenatide', 'tirzepatide'],
  },
  { name: 'thiazolidinedione', source: EPC('Thiazolidinedione'), members: ['pioglitazone'] },
  {
    name: 'thyroid hormone',
    source: EPC('Thyroxine') + ' and "l-Triiodothyronine [EPC]"',
    members: ['levothyroxine', 'liothyronine', 'thyroid (USP)'],
  },
  {
    name: 'antithyroid agent',
    source: EPC('Thyroid Hormone Synthesis Inhibitor'),
    members: ['methimazole', 'propylthiouracil'],
  },
  {
    name: 'corticosteroid',
    source: EPC('Corticosteroid'),
    members: [
      'prednisone',
      'prednisolone',
      'methylprednisolone',
      'dexamethasone',
      'hydrocortisone',
      'cortisone',
      'betamethasone',
      'triamcinolone',
      'fludrocortisone',
      'budesonide',
      'fluticasone',
      'mometasone',
      'beclomethasone',
      'ciclesonide',
      'flunisolide',
      'clobetasol',
    ],
  },
  {
    name: 'sex hormone',
    source: 'FDA SPL EPCs "Estrogen", "Progestin", "Androgen" (DailyMed)',
    members: [
      'estradiol',
      'estrogens, conjugated (USP)',
      'medroxyprogesterone',
      'norethindrone',
      'levonorgestrel',
      'norgestimate',
      'drospirenone',
      'desogestrel',
      'etonogestrel',
      'ethinyl estradiol',
      'progesterone',
      'megestrol',
      'testosterone',
    ],
  },
  {
    name: 'antiandrogen / BPH agent',
    source: EPC('5-alpha Reductase Inhibitor') + ' and "alpha-Adrenergic Blocker [EPC]"',
    members: ['finasteride', 'dutasteride', 'tamsulosin', 'alfuzosin'],
  },
  {
    name: 'alpha blocker',
    source: EPC('alpha-Adrenergic Blocker'),
    members: ['tamsulosin', 'alfuzosin', 'doxazosin', 'terazosin', 'prazosin'],
  },
  {
    name: 'urinary antispasmodic',
    source:
      EPC('Cholinergic Muscarinic Antagonist') +
      ' (overactive bladder labels); mirabegron "beta3-Adrenergic Agonist [EPC]"',
    members: ['oxybutynin', 'tolterodine', 'solifenacin', 'mirabegron', 'trospium'],
  },
  {
    name: 'aromatase inhibitor / antiestrogen',
    source: EPC('Aromatase Inhibitor') + ' and "Estrogen Receptor Antagonist [EPC]"',
    members: ['anastrozole', 'letrozole', 'exemestane', 'tamoxifen'],
  },

  // Gastrointestinal.
  {
    name: 'proton pump inhibitor',
    source: EPC('Proton Pump Inhibitor'),
    members: ['omeprazole', 'esomeprazole', 'pantoprazole', 'lansoprazole', 'rabeprazole', 'dexlansoprazole'],
  },
  {
    name: 'H2 blocker',
    source: EPC('Histamine-2 Receptor Antagonist'),
    members: ['famotidine', 'cimetidine', 'nizatidine'],
  },
  {
    name: 'antiemetic',
    source:
      EPC('Serotonin-3 Receptor Antagonist') +
      ' and "Dopamine-2 Receptor Antagonist [EPC]" (antiemetic labels)',
    members: ['ondansetron', 'promethazine', 'metoclopramide', 'prochlorperazine', 'meclizine'],
  },
  {
    name: 'GI agent',
    source:
      'FDA SPL EPCs "Osmotic Laxative", "Stimulant Laxative", "Aminosalicylate", "Bile Acid" (DailyMed)',
    members: [
      'polyethylene glycol 3350',
      'docusate',
      'sennosides, USP',
      'bisacodyl',
      'dicyclomine',
      'mesalamine',
      'sulfasalazine',
      'ursodeoxycholate',
      'sucralfate',
      'loperamide',
      'lactulose',
      'linaclotide',
    ],
  },

  // Central nervous system.
  {
    name: 'SSRI',
    source: EPC('Serotonin Reuptake Inhibitor'),
    members: [
      'sertraline',
      'escitalopram',
      'citalopram',
      'fluoxetine',
      'paroxetine',
      'fluvoxamine',
      'vilazodone',
    ],
  },
  {
    name: 'SNRI',
    source: EPC('Serotonin and Norepinephrine Reuptake Inhibitor'),
    members: ['duloxetine', 'venlafaxine', 'desvenlafaxine', 'levomilnacipran', 'milnacipran'],
  },
  {
    name: 'tricyclic antidepressant',
    source: EPC('Tricyclic Antidepressant'),
    members: [
      'amitriptyline',
      'nortriptyline',
      'doxepin',
      'imipramine',
      'desipramine',
      'clomipramine',
      'protriptyline',
      'trimipramine',
    ],
  },
  {
    name: 'MAO inhibitor',
    source:
      EPC('Monoamine Oxidase Inhibitor') +
      '; linezolid: label Clinical Pharmacology (reversible nonselective MAO inhibitor)',
    members: ['phenelzine', 'tranylcypromine', 'isocarboxazid', 'selegiline', 'rasagiline', 'linezolid'],
  },
  {
    name: 'antidepressant',
    source: 'FDA labels, Indications and Usage (major depressive disorder)',
    members: [
      'sertraline',
      'escitalopram',
      'citalopram',
      'fluoxetine',
      'paroxetine',
      'fluvoxamine',
      'vilazodone',
      'vortioxetine',
      'duloxetine',
      'venlafaxine',
      'desvenlafaxine',
      'levomilnacipran',
      'amitriptyline',
      'nortriptyline',
      'doxepin',
      'imipramine',
      'desipramine',
      'clomipramine',
      'protriptyline',
      'trimipramine',
      'phenelzine',
      'tranylcypromine',
      'isocarboxazid',
      'trazodone',
      'bupropion',
      'mirtazapine',
      'nefazodone',
    ],
  },
  {
    // Serotonin syndrome is a Warnings and Precautions class statement in each member's label.
    name: 'serotonergic',
    source: LABEL('Warnings and Precautions, "Serotonin Syndrome"'),
    members: [
      'sertraline',
      'escitalopram',
      'citalopram',
      'fluoxetine',
      'paroxetine',
      'fluvoxamine',
      'vilazodone',
      'vortioxetine',
      'duloxetine',
      'venlafaxine',
      'desvenlafaxine',
      'levomilnacipran',
      'milnacipran',
      'amitriptyline',
      'nortriptyline',
      'doxepin',
      'imipramine',
      'desipramine',
      'clomipramine',
      'protriptyline',
      'trimipramine',
      'phenelzine',
      'tranylcypromine',
      'isocarboxazid',
      'selegiline',
      'rasagiline',
      'linezolid',
      'trazodone',
      'mirtazapine',
      'nefazodone',
      'buspirone',
      'lithium',
      'tramadol',
      'tapentadol',
      'fentanyl',
      'methadone',
      'meperidine',
      'sumatriptan',
      'rizatriptan',
      'zolmitriptan',
      'eletriptan',
      'naratriptan',
      'frovatriptan',
      'ondansetron',
      'cyclobenzaprine',
      'dextromethorphan',
    ],
  },
  {
    name: 'benzodiazepine',
    source: EPC('Benzodiazepine'),
    members: [
      'alprazolam',
      'lorazepam',
      'clonazepam',
      'diazepam',
      'temazepam',
      'chlordiazepoxide',
      'clorazepate',
      'oxazepam',
      'midazolam',
      'triazolam',
      'estazolam',
      'flurazepam',
      'clobazam',
    ],
  },
  {
    name: 'sedative-hypnotic',
    source: 'FDA labels, Indications and Usage (insomnia)',
    members: ['zolpidem', 'eszopiclone', 'zaleplon', 'ramelteon', 'suvorexant', 'temazepam', 'triazolam'],
  },
  {
    name: 'antipsychotic',
    source: EPC('Atypical Antipsychotic') + ' and "Typical Antipsychotic [EPC]"',
    members: [
      'quetiapine',
      'aripiprazole',
      'risperidone',
      'olanzapine',
      'ziprasidone',
      'lurasidone',
      'paliperidone',
      'clozapine',
      'haloperidol',
      'brexpiprazole',
      'cariprazine',
    ],
  },
  {
    name: 'anticonvulsant',
    source: 'FDA SPL EPCs of antiepileptic drugs ("Anti-epileptic Agent [EPC]" and others) (DailyMed)',
    members: [
      'lamotrigine',
      'levetiracetam',
      'topiramate',
      'valproate',
      'carbamazepine',
      'oxcarbazepine',
      'phenytoin',
      'lacosamide',
      'zonisamide',
      'primidone',
      'phenobarbital',
      'clobazam',
    ],
  },
  {
    name: 'mood stabilizer',
    source: LABEL('Indications and Usage (bipolar disorder)'),
    members: ['lithium', 'lamotrigine', 'valproate'],
  },
  {
    name: 'CNS stimulant',
    source: EPC('Central Nervous System Stimulant'),
    members: [
      'amphetamine',
      'dextroamphetamine',
      'lisdexamfetamine',
      'methylphenidate',
      'dexmethylphenidate',
      'methamphetamine',
      'modafinil',
      'armodafinil',
      'phentermine',
      'benzphetamine',
      'diethylpropion',
      'phendimetrazine',
    ],
  },
  {
    name: 'ADHD non-stimulant',
    source:
      EPC('Norepinephrine Reuptake Inhibitor') +
      '; guanfacine and clonidine ER: "Central alpha-2 Adrenergic Agonist [EPC]"',
    members: ['atomoxetine', 'guanfacine', 'viloxazine'],
  },
  {
    name: 'anxiolytic',
    source: LABEL('Indications and Usage (anxiety)'),
    members: ['buspirone', 'hydroxyzine'],
  },
  {
    name: 'dementia agent',
    source: EPC('Cholinesterase Inhibitor') + ' and "N-methyl-D-aspartate Receptor Antagonist [EPC]"',
    members: ['donepezil', 'memantine', 'rivastigmine', 'galantamine'],
  },
  {
    name: 'antiparkinson agent',
    source: EPC('Dopamine Agonist') + ', "Aromatic Amino Acid Decarboxylation Inhibitor [EPC]"',
    members: [
      'carbidopa',
      'levodopa',
      'ropinirole',
      'pramipexole',
      'benztropine',
      'amantadine',
      'selegiline',
      'rasagiline',
    ],
  },
  {
    name: 'cholinesterase inhibitor',
    source: EPC('Cholinesterase Inhibitor'),
    members: [
      'donepezil',
      'rivastigmine',
      'galantamine',
      'pyridostigmine',
      'neostigmine',
      'physostigmine',
      'edrophonium',
    ],
  },
  {
    name: 'opioid antagonist / partial agonist',
    source: EPC('Opioid Antagonist') + ' and "Partial Opioid Agonist [EPC]"',
    members: ['naloxone', 'naltrexone', 'buprenorphine'],
  },
  {
    name: 'antihistamine',
    source: EPC('Histamine-1 Receptor Antagonist'),
    members: [
      'cetirizine',
      'levocetirizine',
      'loratadine',
      'desloratadine',
      'fexofenadine',
      'diphenhydramine',
      'hydroxyzine',
      'promethazine',
      'meclizine',
      'azelastine',
      'olopatadine',
    ],
  },

  // Respiratory.
  {
    name: 'bronchodilator',
    source: EPC('beta2-Adrenergic Agonist') + ' and "Anticholinergic [EPC]" (inhalation labels)',
    members: [
      'albuterol',
      'levalbuterol',
      'salmeterol',
      'formoterol',
      'vilanterol',
      'tiotropium',
      'ipratropium',
      'umeclidinium',
      'olodaterol',
    ],
  },
  {
    name: 'short-acting beta agonist',
    source: EPC('beta2-Adrenergic Agonist') + ' (short-acting)',
    members: ['albuterol', 'levalbuterol'],
  },
  {
    name: 'leukotriene receptor antagonist',
    source: EPC('Leukotriene Receptor Antagonist'),
    members: ['montelukast', 'zafirlukast'],
  },
  {
    name: 'decongestant',
    source: EPC('alpha-Adrenergic Agonist') + ' (nasal decongestant labels)',
    members: ['pseudoephedrine', 'phenylephrine'],
  },
  {
    name: 'antitussive',
    source: LABEL('Indications and Usage (cough)'),
    members: ['benzonatate', 'dextromethorphan', 'guaifenesin'],
  },

  // Other frequently dispensed.
  {
    name: 'antimetabolite',
    source: EPC('Folate Analog Metabolic Inhibitor') + '; hydroxyurea, mercaptopurine, azathioprine labels',
    members: ['methotrexate', 'azathioprine', 'mercaptopurine', 'hydroxyurea'],
  },
  {
    name: 'immunosuppressant',
    source: EPC('Calcineurin Inhibitor Immunosuppressant') + ', "mTOR Inhibitor Immunosuppressant [EPC]"',
    members: ['tacrolimus', 'cyclosporine', 'sirolimus', 'everolimus', 'mycophenolate mofetil'],
  },
  {
    name: 'DMARD',
    source: LABEL('Indications and Usage (rheumatoid arthritis, lupus)'),
    members: [
      'hydroxychloroquine',
      'methotrexate',
      'sulfasalazine',
      'leflunomide',
      'adalimumab',
      'etanercept',
    ],
  },
  {
    name: 'potassium supplement',
    source: LABEL('Indications and Usage (hypokalemia)'),
    members: ['potassium chloride'],
  },
  {
    name: 'vitamin / mineral',
    source:
      'FDA SPL EPCs "Vitamin D", "Vitamin B12", "Folate Analog", "Iron", "Calcium", "Magnesium" (DailyMed)',
    members: [
      'ergocalciferol',
      'cholecalciferol',
      'calcitriol',
      'vitamin B12',
      'folic acid',
      'ferrous sulfate',
      'ferrous gluconate',
      'ferrous fumarate',
      'calcium carbonate',
      'calcium acetate',
      'calcium citrate',
      'magnesium oxide',
      'zinc sulfate',
      'sodium bicarbonate',
      'sevelamer',
    ],
  },
  {
    name: 'topical / ophthalmic agent',
    source: 'FDA labels, Indications and Usage (topical and ophthalmic use)',
    members: [
      'latanoprost',
      'timolol',
      'brimonidine',
      'dorzolamide',
      'mupirocin',
      'tretinoin',
      'lidocaine',
      'nystatin',
      'silver sulfadiazine',
      'permethrin',
    ],
  },
  {
    name: 'antidiabetic, other',
    source: 'FDA labels, Indications and Usage (glycemic control)',
    members: ['glucagon'],
  },
  {
    name: 'smoking cessation',
    source: LABEL('Indications and Usage (smoking cessation)'),
    members: ['varenicline', 'nicotine'],
  },
  {
    // The paper's item 21 (QT-prolonging + QT-prolonging) has no open member list; these members carry a
    // QT-prolongation or torsades statement in Warnings and Precautions (or a boxed warning) of their label.
    name: 'QT-prolonging',
    source: LABEL('Boxed Warning or Warnings and Precautions, "QT Prolongation" / "Torsade de Pointes"'),
    members: [
      'amiodarone',
      'dronedarone',
      'sotalol',
      'dofetilide',
      'flecainide',
      'propafenone',
      'disopyramide',
      'quinidine',
      'citalopram',
      'methadone',
      'ondansetron',
      'haloperidol',
      'ziprasidone',
      'quetiapine',
      'azithromycin',
      'clarithromycin',
      'erythromycin',
      'ciprofloxacin',
      'levofloxacin',
      'moxifloxacin',
      'ofloxacin',
      'gemifloxacin',
      'fluconazole',
      'voriconazole',
      'posaconazole',
      'hydroxychloroquine',
      'hydroxyzine',
      'trazodone',
      'donepezil',
      'tamoxifen',
    ],
  },
];

/**
 * High-alert medicines by ingredient (DOMAIN.md: anticoagulants, insulin, opioids, antiarrhythmics, digoxin,
 * methotrexate). Diltiazem and verapamil sit in the antiarrhythmic class for duplication and priority, but
 * their oral maintenance use is not a high-alert category, so the flag lists class I and III agents by name.
 */
export const HIGH_ALERT_CLASSES: ReadonlySet<string> = new Set(['anticoagulant', 'insulin', 'opioid']);
export const HIGH_ALERT_INGREDIENTS: ReadonlySet<string> = new Set([
  'amiodarone',
  'dronedarone',
  'sotalol',
  'dofetilide',
  'flecainide',
  'propafenone',
  'mexiletine',
  'disopyramide',
  'quinidine',
  'digoxin',
  'methotrexate',
]);

const CLASSES_BY_INGREDIENT: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const drugClass of DRUG_CLASSES) {
    for (const member of drugClass.members) {
      const list = map.get(member) ?? [];
      if (!list.includes(drugClass.name)) list.push(drugClass.name);
      map.set(member, list);
    }
  }
  return map;
})();

/** Classes of one ingredient by its RxNorm IN name (any case); empty when the table does not list it. */
export function classesOfIngredient(name: string): readonly string[] {
  return CLASSES_BY_INGREDIENT.get(name.toLowerCase()) ?? CLASSES_BY_INGREDIENT.get(name) ?? [];
}

/** Whether an ingredient is a high-alert medicine, by its name and classes. */
export function isHighAlertIngredient(name: string, classes: readonly string[]): boolean {
  return HIGH_ALERT_INGREDIENTS.has(name.toLowerCase()) || classes.some((c) => HIGH_ALERT_CLASSES.has(c));
}

/** Every ingredient name the class table knows, in table order. */
export function classifiedIngredientNames(): readonly string[] {
  return [...CLASSES_BY_INGREDIENT.keys()];
}
