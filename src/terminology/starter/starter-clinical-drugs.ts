// The starter vocabulary's clinical drugs (RxNorm SCD): the commonest strengths of the starter ingredients.
//
// Every row was checked against NLM's RxNorm Current Prescribable Content (10/06/2025); the name is the
// RxNorm normalized name, from which strength and dose form are read. Ingredients starting with "a" have no
// rows yet: the shared subset lacks them and we list no SCD rxcui we have not verified.
// Within one ingredient, rows are ordered commonest form first: a lookup without a form takes the first.

export interface StarterClinicalDrug {
  rxcui: string;
  /** IN rxcuis of the active ingredients. */
  ingredients: readonly string[];
  name: string;
}

function scd(rxcui: string, ingredient: string, name: string): StarterClinicalDrug {
  return { rxcui, ingredients: [ingredient], name };
}

export const STARTER_CLINICAL_DRUGS: readonly StarterClinicalDrug[] = [
  scd('861007', '6809', 'metformin hydrochloride 500 MG Oral Tablet'),
  scd('861010', '6809', 'metformin hydrochloride 850 MG Oral Tablet'),
  scd('861004', '6809', 'metformin hydrochloride 1000 MG Oral Tablet'),
  scd('311041', '274783', 'insulin glargine 100 UNT/ML Injectable Solution'),
  scd('242120', '86009', 'insulin lispro 100 UNT/ML Injectable Solution'),
  scd('311040', '51428', 'insulin aspart, human 100 UNT/ML Injectable Solution'),
  scd('484322', '139825', 'insulin detemir 100 UNT/ML Injectable Solution'),
  scd('310490', '4821', 'glipizide 5 MG Oral Tablet'),
  scd('310488', '4821', 'glipizide 10 MG Oral Tablet'),
  scd('665033', '593411', 'sitagliptin 100 MG Oral Tablet'),
  scd('1545658', '1545653', 'empagliflozin 10 MG Oral Tablet'),
  scd('1545666', '1545653', 'empagliflozin 25 MG Oral Tablet'),
  scd('2200656', '1991302', 'semaglutide 7 MG Oral Tablet'),

  scd('311354', '29046', 'lisinopril 5 MG Oral Tablet'),
  scd('314076', '29046', 'lisinopril 10 MG Oral Tablet'),
  scd('314077', '29046', 'lisinopril 20 MG Oral Tablet'),
  scd('197884', '29046', 'lisinopril 40 MG Oral Tablet'),
  scd('979485', '52175', 'losartan potassium 25 MG Oral Tablet'),
  scd('979492', '52175', 'losartan potassium 50 MG Oral Tablet'),
  scd('979480', '52175', 'losartan potassium 100 MG Oral Tablet'),
  scd('349199', '69749', 'valsartan 80 MG Oral Tablet'),
  scd('831054', '3443', 'diltiazem hydrochloride 120 MG Oral Tablet'),
  scd('866924', '6918', 'metoprolol tartrate 25 MG Oral Tablet'),
  scd('866514', '6918', 'metoprolol tartrate 50 MG Oral Tablet'),
  scd('866427', '6918', '24 HR metoprolol succinate 25 MG Extended Release Oral Tablet'),
  scd('866436', '6918', '24 HR metoprolol succinate 50 MG Extended Release Oral Tablet'),
  scd('200031', '20352', 'carvedilol 6.25 MG Oral Tablet'),
  scd('200032', '20352', 'carvedilol 12.5 MG Oral Tablet'),
  scd('200033', '20352', 'carvedilol 25 MG Oral Tablet'),
  scd('310429', '4603', 'furosemide 20 MG Oral Tablet'),
  scd('313988', '4603', 'furosemide 40 MG Oral Tablet'),
  scd('197732', '4603', 'furosemide 80 MG Oral Tablet'),
  scd('429503', '5487', 'hydrochlorothiazide 12.5 MG Oral Tablet'),
  scd('310798', '5487', 'hydrochlorothiazide 25 MG Oral Tablet'),
  scd('313096', '9997', 'spironolactone 25 MG Oral Tablet'),
  scd('197604', '3407', 'digoxin 0.125 MG Oral Tablet'),
  scd('197606', '3407', 'digoxin 0.25 MG Oral Tablet'),
  scd('317110', '6057', '24 HR isosorbide mononitrate 30 MG Extended Release Oral Tablet'),
  scd('198039', '4917', 'nitroglycerin 0.4 MG Sublingual Tablet'),
  scd('312961', '36567', 'simvastatin 20 MG Oral Tablet'),
  scd('198211', '36567', 'simvastatin 40 MG Oral Tablet'),
  scd('859747', '301542', 'rosuvastatin calcium 10 MG Oral Tablet'),
  scd('859751', '301542', 'rosuvastatin calcium 20 MG Oral Tablet'),
  scd('904475', '42463', 'pravastatin sodium 40 MG Oral Tablet'),
  scd('198116', '8591', 'potassium chloride 20 MEQ Extended Release Oral Tablet'),

  scd('855288', '11289', 'warfarin sodium 1 MG Oral Tablet'),
  scd('855302', '11289', 'warfarin sodium 2 MG Oral Tablet'),
  scd('855312', '11289', 'warfarin sodium 2.5 MG Oral Tablet'),
  scd('855332', '11289', 'warfarin sodium 5 MG Oral Tablet'),
  scd('1232086', '1114195', 'rivaroxaban 20 MG Oral Tablet'),
  scd('1037045', '1037042', 'dabigatran etexilate 150 MG Oral Capsule'),
  scd('309362', '32968', 'clopidogrel 75 MG Oral Tablet'),

  scd('966221', '10582', 'levothyroxine sodium 0.05 MG Oral Tablet'),
  scd('966222', '10582', 'levothyroxine sodium 0.075 MG Oral Tablet'),
  scd('892246', '10582', 'levothyroxine sodium 0.1 MG Oral Tablet'),
  scd('198051', '7646', 'omeprazole 20 MG Delayed Release Oral Capsule'),
  scd('314200', '40790', 'pantoprazole 40 MG Delayed Release Oral Tablet'),
  scd('310273', '4278', 'famotidine 20 MG Oral Tablet'),
  scd('198052', '26225', 'ondansetron 4 MG Oral Tablet'),

  scd('310431', '25480', 'gabapentin 300 MG Oral Capsule'),
  scd('312941', '36437', 'sertraline 50 MG Oral Tablet'),
  scd('312938', '36437', 'sertraline 100 MG Oral Tablet'),
  scd('349332', '321988', 'escitalopram 10 MG Oral Tablet'),
  scd('310385', '4493', 'fluoxetine 20 MG Oral Capsule'),
  scd('596934', '72625', 'duloxetine 60 MG Delayed Release Oral Capsule'),
  scd('856377', '10737', 'trazodone hydrochloride 50 MG Oral Tablet'),
  scd('993541', '42347', '24 HR bupropion hydrochloride 150 MG Extended Release Oral Tablet'),
  scd('312744', '51272', 'quetiapine 25 MG Oral Tablet'),
  scd('197900', '6470', 'lorazepam 0.5 MG Oral Tablet'),
  scd('854876', '39993', 'zolpidem tartrate 5 MG Oral Tablet'),

  scd('197806', '5640', 'ibuprofen 600 MG Oral Tablet'),
  scd('197807', '5640', 'ibuprofen 800 MG Oral Tablet'),
  scd('198014', '7258', 'naproxen 500 MG Oral Tablet'),
  scd('1049621', '7804', 'oxycodone hydrochloride 5 MG Oral Tablet'),
  scd('892582', '7052', 'morphine sulfate 15 MG Oral Tablet'),
  scd('835603', '10689', 'tramadol hydrochloride 50 MG Oral Tablet'),
  scd('105585', '6851', 'methotrexate 2.5 MG Oral Tablet'),

  scd('200224', '88249', 'montelukast 10 MG Oral Tablet'),
  scd('1797907', '41126', 'fluticasone propionate 0.05 MG/ACTUAT Metered Dose Nasal Spray'),
  scd('198145', '8640', 'prednisone 10 MG Oral Tablet'),
  scd('312615', '8640', 'prednisone 20 MG Oral Tablet'),
  scd('863669', '77492', 'tamsulosin hydrochloride 0.4 MG Oral Capsule'),

  scd('309114', '2231', 'cephalexin 500 MG Oral Capsule'),
  scd('309309', '2551', 'ciprofloxacin 500 MG Oral Tablet'),
  scd('1649988', '3640', 'doxycycline hyclate 100 MG Oral Capsule'),
  scd('1648759', '7454', 'nitrofurantoin, macrocrystals 100 MG Oral Capsule'),
  {
    rxcui: '198335',
    ingredients: ['10180', '10829'],
    name: 'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet',
  },
];
