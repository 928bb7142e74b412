// The starter vocabulary's clinical drugs (RxNorm SCD): the strengths and forms of the starter drugs a pharmacy stocks.
//
// How the rows were chosen: by the team, drug by drug, as a pharmacist would stock them — the oral
// tablet/capsule strengths in common use, the usual ER/DR forms, oral liquids where children or tube
// feeding need them, insulin vials and pens, inhalers, common topicals, ophthalmics and patches, and the
// few injectables community and specialty pharmacies dispense (enoxaparin, methotrexate, medroxyprogesterone,
// epoetin alfa, etanercept, dupilumab). Hospital-only drugs (IV antibiotics, carbapenems) have no rows.
// It is deliberately not every prescribable SCD: `rxbridge terminology load` serves a full RxNorm release.
//
// How the rows were verified: each chosen drug/strength/form was looked up by its RxNorm normalized name
// in NLM's RxNorm Current Prescribable Content (10/06/2025), one by one, and starter-vocabulary.test.ts
// re-checks every rxcui, name, term type and ingredient list against it. Choices that did not resolve
// (a strength RxNorm does not list) were fixed or dropped, never filled in. Strength and dose form are
// read from the name. SCDs whose other ingredient starts with "a" are excluded (the subset lacks that
// part), and ingredients starting with "a" have no rows: we list no SCD rxcui we have not verified.
// Within one ingredient, rows are ordered commonest form first (oral tablet, capsule, ...): a lookup
// with a strength but without a form takes the first.

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
  // penicillin V
  scd('834061', '7984', 'penicillin V potassium 250 MG Oral Tablet'),
  scd('834102', '7984', 'penicillin V potassium 500 MG Oral Tablet'),
  scd('834040', '7984', 'penicillin V potassium 50 MG/ML Oral Solution'),
  // penicillin G
  scd('731567', '7980', '2 ML penicillin G benzathine 600000 UNT/ML Prefilled Syringe'),
  scd('731570', '7980', '4 ML penicillin G benzathine 600000 UNT/ML Prefilled Syringe'),
  // dicloxacillin
  scd('197595', '3356', 'dicloxacillin 250 MG Oral Capsule'),
  scd('197596', '3356', 'dicloxacillin 500 MG Oral Capsule'),
  // cephalexin
  scd('309112', '2231', 'cephalexin 250 MG Oral Capsule'),
  scd('309114', '2231', 'cephalexin 500 MG Oral Capsule'),
  scd('309113', '2231', 'cephalexin 50 MG/ML Oral Suspension'),
  // cefadroxil
  scd('309049', '2177', 'cefadroxil 500 MG Oral Capsule'),
  scd('309048', '2177', 'cefadroxil 50 MG/ML Oral Suspension'),
  // cefazolin
  scd('1665050', '2180', 'cefazolin 1000 MG Injection'),
  // cefuroxime
  scd('309097', '2194', 'cefuroxime 250 MG Oral Tablet'),
  scd('309098', '2194', 'cefuroxime 500 MG Oral Tablet'),
  // cefprozil
  scd('197452', '19552', 'cefprozil 250 MG Oral Tablet'),
  scd('197453', '19552', 'cefprozil 500 MG Oral Tablet'),
  scd('309081', '19552', 'cefprozil 50 MG/ML Oral Suspension'),
  // cefdinir
  scd('200346', '25037', 'cefdinir 300 MG Oral Capsule'),
  scd('309054', '25037', 'cefdinir 25 MG/ML Oral Suspension'),
  scd('476576', '25037', 'cefdinir 50 MG/ML Oral Suspension'),
  // cefpodoxime
  scd('309076', '20489', 'cefpodoxime 100 MG Oral Tablet'),
  scd('309078', '20489', 'cefpodoxime 200 MG Oral Tablet'),
  scd('309077', '20489', 'cefpodoxime 20 MG/ML Oral Suspension'),
  // cefixime
  scd('409823', '25033', 'cefixime 400 MG Oral Capsule'),
  scd('309058', '25033', 'cefixime 20 MG/ML Oral Suspension'),
  // ceftriaxone
  scd('1665005', '2193', 'ceftriaxone 500 MG Injection'),
  scd('1665021', '2193', 'ceftriaxone 1000 MG Injection'),
  // ciprofloxacin
  scd('197511', '2551', 'ciprofloxacin 250 MG Oral Tablet'),
  scd('309309', '2551', 'ciprofloxacin 500 MG Oral Tablet'),
  scd('309307', '2551', 'ciprofloxacin 3 MG/ML Ophthalmic Solution'),
  // levofloxacin
  scd('199884', '82122', 'levofloxacin 250 MG Oral Tablet'),
  scd('199885', '82122', 'levofloxacin 500 MG Oral Tablet'),
  scd('311296', '82122', 'levofloxacin 750 MG Oral Tablet'),
  // moxifloxacin
  scd('311787', '139462', 'moxifloxacin 400 MG Oral Tablet'),
  scd('403818', '139462', 'moxifloxacin 5 MG/ML Ophthalmic Solution'),
  // ofloxacin
  scd('312075', '7623', 'ofloxacin 3 MG/ML Ophthalmic Solution'),
  scd('242446', '7623', 'ofloxacin 3 MG/ML Otic Solution'),
  // clarithromycin
  scd('197516', '21212', 'clarithromycin 250 MG Oral Tablet'),
  scd('197517', '21212', 'clarithromycin 500 MG Oral Tablet'),
  scd('309322', '21212', 'clarithromycin 50 MG/ML Oral Suspension'),
  // erythromycin
  scd('197650', '4053', 'erythromycin 500 MG Oral Tablet'),
  scd('310154', '4053', 'erythromycin 250 MG Delayed Release Oral Capsule'),
  scd('310149', '4053', 'erythromycin 0.005 MG/MG Ophthalmic Ointment'),
  // doxycycline
  scd('1649988', '3640', 'doxycycline hyclate 100 MG Oral Capsule'),
  scd('1649990', '3640', 'doxycycline monohydrate 100 MG Oral Capsule'),
  scd('1650142', '3640', 'doxycycline monohydrate 100 MG Oral Tablet'),
  scd('1650143', '3640', 'doxycycline hyclate 100 MG Oral Tablet'),
  // minocycline
  scd('197985', '6980', 'minocycline 50 MG Oral Capsule'),
  scd('197984', '6980', 'minocycline 100 MG Oral Capsule'),
  // tetracycline
  scd('198250', '10395', 'tetracycline hydrochloride 250 MG Oral Capsule'),
  scd('198252', '10395', 'tetracycline hydrochloride 500 MG Oral Capsule'),
  // trimethoprim
  scd('198332', '10829', 'trimethoprim 100 MG Oral Tablet'),
  // nitrofurantoin
  scd('311995', '7454', 'nitrofurantoin, macrocrystals 50 MG Oral Capsule'),
  scd('1648759', '7454', 'nitrofurantoin, macrocrystals 100 MG Oral Capsule'),
  scd('311989', '7454', 'nitrofurantoin 5 MG/ML Oral Suspension'),
  // clindamycin
  scd('197518', '2582', 'clindamycin 150 MG Oral Capsule'),
  scd('284215', '2582', 'clindamycin 300 MG Oral Capsule'),
  scd('309333', '2582', 'clindamycin 10 MG/ML Topical Solution'),
  // metronidazole
  scd('314106', '6922', 'metronidazole 250 MG Oral Tablet'),
  scd('311681', '6922', 'metronidazole 500 MG Oral Tablet'),
  scd('577237', '6922', 'metronidazole 0.01 MG/MG Topical Gel'),
  scd('142046', '6922', 'metronidazole 0.0075 MG/MG Vaginal Gel'),
  // vancomycin
  scd('313570', '11124', 'vancomycin 125 MG Oral Capsule'),
  scd('313571', '11124', 'vancomycin 250 MG Oral Capsule'),
  // linezolid
  scd('311347', '190376', 'linezolid 600 MG Oral Tablet'),
  // rifampin
  scd('198202', '9384', 'rifampin 300 MG Oral Capsule'),
  // fosfomycin
  scd('808917', '4550', 'fosfomycin 3000 MG Granules for Oral Solution'),
  // fluconazole
  scd('197698', '4450', 'fluconazole 100 MG Oral Tablet'),
  scd('197699', '4450', 'fluconazole 150 MG Oral Tablet'),
  scd('197700', '4450', 'fluconazole 200 MG Oral Tablet'),
  scd('310353', '4450', 'fluconazole 40 MG/ML Oral Suspension'),
  // itraconazole
  scd('311204', '28031', 'itraconazole 100 MG Oral Capsule'),
  // ketoconazole
  scd('197853', '6135', 'ketoconazole 200 MG Oral Tablet'),
  scd('203088', '6135', 'ketoconazole 20 MG/ML Topical Cream'),
  scd('106336', '6135', 'ketoconazole 20 MG/ML Medicated Shampoo'),
  // voriconazole
  scd('349434', '121243', 'voriconazole 200 MG Oral Tablet'),
  // clotrimazole
  scd('309371', '2623', 'clotrimazole 10 MG Oral Lozenge'),
  scd('309367', '2623', 'clotrimazole 10 MG/ML Topical Cream'),
  // nystatin
  scd('312055', '7597', 'nystatin 100000 UNT/ML Oral Suspension'),
  scd('543546', '7597', 'nystatin 100000 UNT/ML Topical Cream'),
  scd('646456', '7597', 'nystatin 100 UNT/MG Topical Powder'),
  // terbinafine
  scd('313222', '37801', 'terbinafine 250 MG Oral Tablet'),
  // ritonavir
  scd('900575', '85762', 'ritonavir 100 MG Oral Tablet'),
  // darunavir
  scd('670026', '460132', 'darunavir 600 MG Oral Tablet'),
  scd('1359269', '460132', 'darunavir 800 MG Oral Tablet'),
  // nelfinavir
  scd('403978', '134527', 'nelfinavir 625 MG Oral Tablet'),
  // fosamprenavir
  scd('402109', '358262', 'fosamprenavir 700 MG Oral Tablet'),
  // tipranavir
  scd('577212', '190548', 'tipranavir 250 MG Oral Capsule'),
  // valacyclovir
  scd('313565', '73645', 'valacyclovir 500 MG Oral Tablet'),
  scd('313564', '73645', 'valacyclovir 1000 MG Oral Tablet'),
  // famciclovir
  scd('198382', '68099', 'famciclovir 500 MG Oral Tablet'),
  // oseltamivir
  scd('728109', '260101', 'oseltamivir 30 MG Oral Capsule'),
  scd('728113', '260101', 'oseltamivir 45 MG Oral Capsule'),
  scd('312122', '260101', 'oseltamivir 75 MG Oral Capsule'),
  scd('1115698', '260101', 'oseltamivir 6 MG/ML Oral Suspension'),
  // ibuprofen
  scd('310965', '5640', 'ibuprofen 200 MG Oral Tablet'),
  scd('197806', '5640', 'ibuprofen 600 MG Oral Tablet'),
  scd('197807', '5640', 'ibuprofen 800 MG Oral Tablet'),
  scd('197803', '5640', 'ibuprofen 20 MG/ML Oral Suspension'),
  // naproxen
  scd('198013', '7258', 'naproxen 250 MG Oral Tablet'),
  scd('198014', '7258', 'naproxen 500 MG Oral Tablet'),
  scd('849574', '7258', 'naproxen sodium 220 MG Oral Tablet'),
  scd('849431', '7258', 'naproxen sodium 550 MG Oral Tablet'),
  scd('311913', '7258', 'naproxen 25 MG/ML Oral Suspension'),
  // meloxicam
  scd('311486', '41493', 'meloxicam 7.5 MG Oral Tablet'),
  scd('152695', '41493', 'meloxicam 15 MG Oral Tablet'),
  // diclofenac
  scd('855926', '3355', 'diclofenac sodium 75 MG Delayed Release Oral Tablet'),
  scd('855942', '3355', 'diclofenac potassium 50 MG Oral Tablet'),
  scd('855633', '3355', 'diclofenac sodium 0.01 MG/MG Topical Gel'),
  // celecoxib
  scd('205322', '140587', 'celecoxib 100 MG Oral Capsule'),
  scd('205323', '140587', 'celecoxib 200 MG Oral Capsule'),
  // ketorolac
  scd('834022', '35827', 'ketorolac tromethamine 10 MG Oral Tablet'),
  scd('1665461', '35827', '1 ML ketorolac tromethamine 30 MG/ML Injection'),
  scd('860107', '35827', 'ketorolac tromethamine 5 MG/ML Ophthalmic Solution'),
  // indomethacin
  scd('197817', '5781', 'indomethacin 25 MG Oral Capsule'),
  scd('197818', '5781', 'indomethacin 50 MG Oral Capsule'),
  // etodolac
  scd('197686', '24605', 'etodolac 400 MG Oral Tablet'),
  scd('199390', '24605', 'etodolac 500 MG Oral Tablet'),
  // nabumetone
  scd('311892', '31448', 'nabumetone 500 MG Oral Tablet'),
  scd('311893', '31448', 'nabumetone 750 MG Oral Tablet'),
  // piroxicam
  scd('198108', '8356', 'piroxicam 20 MG Oral Capsule'),
  // sulindac
  scd('198239', '10237', 'sulindac 200 MG Oral Tablet'),
  // oxaprozin
  scd('312132', '32613', 'oxaprozin 600 MG Oral Tablet'),
  // diflunisal
  scd('197603', '3393', 'diflunisal 500 MG Oral Tablet'),
  // ketoprofen
  scd('197856', '6142', 'ketoprofen 75 MG Oral Capsule'),
  // flurbiprofen
  scd('197724', '4502', 'flurbiprofen 100 MG Oral Tablet'),
  // fenoprofen
  scd('310291', '4331', 'fenoprofen 600 MG Oral Tablet'),
  // mefenamate
  scd('829500', '257844', 'mefenamic acid 250 MG Oral Capsule'),
  // salsalate
  scd('583170', '36108', 'salsalate 750 MG Oral Tablet'),
  // oxycodone
  scd('1049621', '7804', 'oxycodone hydrochloride 5 MG Oral Tablet'),
  scd('1049683', '7804', 'oxycodone hydrochloride 10 MG Oral Tablet'),
  scd('1049611', '7804', 'oxycodone hydrochloride 15 MG Oral Tablet'),
  scd('1860157', '7804', 'Abuse-Deterrent 12 HR oxycodone hydrochloride 10 MG Extended Release Oral Tablet'),
  scd('1860129', '7804', 'Abuse-Deterrent 12 HR oxycodone hydrochloride 20 MG Extended Release Oral Tablet'),
  scd('1049604', '7804', 'oxycodone hydrochloride 1 MG/ML Oral Solution'),
  // hydrocodone
  scd('1860491', '5489', '12 HR hydrocodone bitartrate 10 MG Extended Release Oral Capsule'),
  scd('1595730', '5489', 'Abuse-Deterrent 24 HR hydrocodone bitartrate 20 MG Extended Release Oral Tablet'),
  // morphine
  scd('892582', '7052', 'morphine sulfate 15 MG Oral Tablet'),
  scd('891881', '7052', 'morphine sulfate 15 MG Extended Release Oral Tablet'),
  scd('891888', '7052', 'morphine sulfate 30 MG Extended Release Oral Tablet'),
  scd('891893', '7052', 'morphine sulfate 60 MG Extended Release Oral Tablet'),
  scd('892589', '7052', 'morphine sulfate 2 MG/ML Oral Solution'),
  // hydromorphone
  scd('897696', '3423', 'hydromorphone hydrochloride 2 MG Oral Tablet'),
  scd('897702', '3423', 'hydromorphone hydrochloride 4 MG Oral Tablet'),
  scd('897710', '3423', 'hydromorphone hydrochloride 8 MG Oral Tablet'),
  scd('897657', '3423', 'hydromorphone hydrochloride 1 MG/ML Oral Solution'),
  // fentanyl
  scd('577057', '4337', '72 HR fentanyl 0.012 MG/HR Transdermal System'),
  scd('245134', '4337', '72 HR fentanyl 0.025 MG/HR Transdermal System'),
  scd('245135', '4337', '72 HR fentanyl 0.05 MG/HR Transdermal System'),
  scd('197696', '4337', '72 HR fentanyl 0.075 MG/HR Transdermal System'),
  scd('245136', '4337', '72 HR fentanyl 0.1 MG/HR Transdermal System'),
  // methadone
  scd('864718', '6813', 'methadone hydrochloride 5 MG Oral Tablet'),
  scd('864706', '6813', 'methadone hydrochloride 10 MG Oral Tablet'),
  scd('991147', '6813', 'methadone hydrochloride 10 MG/ML Oral Solution'),
  // tramadol
  scd('835603', '10689', 'tramadol hydrochloride 50 MG Oral Tablet'),
  scd('833709', '10689', '24 HR tramadol hydrochloride 100 MG Extended Release Oral Tablet'),
  scd('833711', '10689', '24 HR tramadol hydrochloride 200 MG Extended Release Oral Tablet'),
  // tapentadol
  scd('825411', '787390', 'tapentadol 50 MG Oral Tablet'),
  scd('825409', '787390', 'tapentadol 100 MG Oral Tablet'),
  // codeine
  scd('997287', '2670', 'codeine sulfate 30 MG Oral Tablet'),
  // meperidine
  scd('861467', '6754', 'meperidine hydrochloride 50 MG Oral Tablet'),
  // oxymorphone
  scd('977939', '7814', 'oxymorphone hydrochloride 5 MG Oral Tablet'),
  scd('977942', '7814', 'oxymorphone hydrochloride 10 MG Oral Tablet'),
  // buprenorphine
  scd('351264', '1819', 'buprenorphine 2 MG Sublingual Tablet'),
  scd('351265', '1819', 'buprenorphine 8 MG Sublingual Tablet'),
  scd('904880', '1819', '168 HR buprenorphine 0.005 MG/HR Transdermal System'),
  scd('904870', '1819', '168 HR buprenorphine 0.01 MG/HR Transdermal System'),
  scd('904876', '1819', '168 HR buprenorphine 0.02 MG/HR Transdermal System'),
  // cyclobenzaprine
  scd('828320', '21949', 'cyclobenzaprine hydrochloride 5 MG Oral Tablet'),
  scd('828348', '21949', 'cyclobenzaprine hydrochloride 10 MG Oral Tablet'),
  // methocarbamol
  scd('197943', '6845', 'methocarbamol 500 MG Oral Tablet'),
  scd('197944', '6845', 'methocarbamol 750 MG Oral Tablet'),
  // tizanidine
  scd('313412', '57258', 'tizanidine 2 MG Oral Tablet'),
  scd('313413', '57258', 'tizanidine 4 MG Oral Tablet'),
  scd('485485', '57258', 'tizanidine 4 MG Oral Capsule'),
  // baclofen
  scd('430902', '1292', 'baclofen 5 MG Oral Tablet'),
  scd('197391', '1292', 'baclofen 10 MG Oral Tablet'),
  scd('197392', '1292', 'baclofen 20 MG Oral Tablet'),
  // carisoprodol
  scd('197446', '2101', 'carisoprodol 350 MG Oral Tablet'),
  // metaxalone
  scd('351254', '59078', 'metaxalone 800 MG Oral Tablet'),
  // gabapentin
  scd('310430', '25480', 'gabapentin 100 MG Oral Capsule'),
  scd('310431', '25480', 'gabapentin 300 MG Oral Capsule'),
  scd('310432', '25480', 'gabapentin 400 MG Oral Capsule'),
  scd('310433', '25480', 'gabapentin 600 MG Oral Tablet'),
  scd('310434', '25480', 'gabapentin 800 MG Oral Tablet'),
  // pregabalin
  scd('483448', '187832', 'pregabalin 50 MG Oral Capsule'),
  scd('483450', '187832', 'pregabalin 75 MG Oral Capsule'),
  scd('483438', '187832', 'pregabalin 100 MG Oral Capsule'),
  scd('483440', '187832', 'pregabalin 150 MG Oral Capsule'),
  // febuxostat
  scd('834235', '73689', 'febuxostat 40 MG Oral Tablet'),
  scd('834241', '73689', 'febuxostat 80 MG Oral Tablet'),
  // colchicine
  scd('197541', '2683', 'colchicine 0.6 MG Oral Tablet'),
  scd('1550940', '2683', 'colchicine 0.6 MG Oral Capsule'),
  // risedronate
  scd('905024', '73056', 'risedronate sodium 35 MG Oral Tablet'),
  scd('905028', '73056', 'risedronate sodium 150 MG Oral Tablet'),
  // ibandronate
  scd('904932', '115264', 'ibandronic acid 150 MG Oral Tablet'),
  // sumatriptan
  scd('313161', '37418', 'sumatriptan 50 MG Oral Tablet'),
  scd('313160', '37418', 'sumatriptan 100 MG Oral Tablet'),
  // rizatriptan
  scd('312840', '88014', 'rizatriptan 5 MG Oral Tablet'),
  scd('314209', '88014', 'rizatriptan 10 MG Oral Tablet'),
  scd('312837', '88014', 'rizatriptan 10 MG Disintegrating Oral Tablet'),
  // zolmitriptan
  scd('200193', '135775', 'zolmitriptan 2.5 MG Oral Tablet'),
  scd('200194', '135775', 'zolmitriptan 5 MG Oral Tablet'),
  scd('351134', '135775', 'zolmitriptan 5 MG Disintegrating Oral Tablet'),
  // eletriptan
  scd('359493', '231049', 'eletriptan 20 MG Oral Tablet'),
  scd('359494', '231049', 'eletriptan 40 MG Oral Tablet'),
  // naratriptan
  scd('314135', '141366', 'naratriptan 2.5 MG Oral Tablet'),
  // dihydroergotamine
  scd('861668', '3418', 'dihydroergotamine mesylate 0.5 MG/ACTUAT Metered Dose Nasal Spray'),
  scd('861672', '3418', '1 ML dihydroergotamine mesylate 1 MG/ML Injection'),
  // methylergonovine
  scd('996824', '6883', 'methylergonovine maleate 0.2 MG Oral Tablet'),
  // lisinopril
  scd('311353', '29046', 'lisinopril 2.5 MG Oral Tablet'),
  scd('311354', '29046', 'lisinopril 5 MG Oral Tablet'),
  scd('314076', '29046', 'lisinopril 10 MG Oral Tablet'),
  scd('314077', '29046', 'lisinopril 20 MG Oral Tablet'),
  scd('197884', '29046', 'lisinopril 40 MG Oral Tablet'),
  scd('1806884', '29046', 'lisinopril 1 MG/ML Oral Solution'),
  // enalapril
  scd('858804', '3827', 'enalapril maleate 2.5 MG Oral Tablet'),
  scd('858813', '3827', 'enalapril maleate 5 MG Oral Tablet'),
  scd('858817', '3827', 'enalapril maleate 10 MG Oral Tablet'),
  scd('858810', '3827', 'enalapril maleate 20 MG Oral Tablet'),
  // benazepril
  scd('898723', '18867', 'benazepril hydrochloride 5 MG Oral Tablet'),
  scd('898687', '18867', 'benazepril hydrochloride 10 MG Oral Tablet'),
  scd('898690', '18867', 'benazepril hydrochloride 20 MG Oral Tablet'),
  scd('898719', '18867', 'benazepril hydrochloride 40 MG Oral Tablet'),
  // ramipril
  scd('845488', '35296', 'ramipril 1.25 MG Oral Capsule'),
  scd('198188', '35296', 'ramipril 2.5 MG Oral Capsule'),
  scd('198189', '35296', 'ramipril 5 MG Oral Capsule'),
  scd('261962', '35296', 'ramipril 10 MG Oral Capsule'),
  // quinapril
  scd('312748', '35208', 'quinapril 10 MG Oral Tablet'),
  scd('312749', '35208', 'quinapril 20 MG Oral Tablet'),
  scd('314203', '35208', 'quinapril 40 MG Oral Tablet'),
  // fosinopril
  scd('857169', '50166', 'fosinopril sodium 10 MG Oral Tablet'),
  scd('857183', '50166', 'fosinopril sodium 20 MG Oral Tablet'),
  scd('857187', '50166', 'fosinopril sodium 40 MG Oral Tablet'),
  // captopril
  scd('317173', '1998', 'captopril 25 MG Oral Tablet'),
  // trandolapril
  scd('199351', '38454', 'trandolapril 2 MG Oral Tablet'),
  scd('199352', '38454', 'trandolapril 4 MG Oral Tablet'),
  // moexipril
  scd('1299896', '30131', 'moexipril hydrochloride 15 MG Oral Tablet'),
  // perindopril
  scd('854988', '54552', 'perindopril erbumine 4 MG Oral Tablet'),
  scd('854925', '54552', 'perindopril erbumine 8 MG Oral Tablet'),
  // losartan
  scd('979485', '52175', 'losartan potassium 25 MG Oral Tablet'),
  scd('979492', '52175', 'losartan potassium 50 MG Oral Tablet'),
  scd('979480', '52175', 'losartan potassium 100 MG Oral Tablet'),
  // valsartan
  scd('349483', '69749', 'valsartan 40 MG Oral Tablet'),
  scd('349199', '69749', 'valsartan 80 MG Oral Tablet'),
  scd('349201', '69749', 'valsartan 160 MG Oral Tablet'),
  scd('349200', '69749', 'valsartan 320 MG Oral Tablet'),
  // irbesartan
  scd('200094', '83818', 'irbesartan 75 MG Oral Tablet'),
  scd('200095', '83818', 'irbesartan 150 MG Oral Tablet'),
  scd('200096', '83818', 'irbesartan 300 MG Oral Tablet'),
  // olmesartan
  scd('349373', '321064', 'olmesartan medoxomil 5 MG Oral Tablet'),
  scd('349401', '321064', 'olmesartan medoxomil 20 MG Oral Tablet'),
  scd('349405', '321064', 'olmesartan medoxomil 40 MG Oral Tablet'),
  // telmisartan
  scd('282755', '73494', 'telmisartan 20 MG Oral Tablet'),
  scd('205304', '73494', 'telmisartan 40 MG Oral Tablet'),
  scd('205305', '73494', 'telmisartan 80 MG Oral Tablet'),
  // candesartan
  scd('153823', '214354', 'candesartan cilexetil 8 MG Oral Tablet'),
  scd('577776', '214354', 'candesartan cilexetil 16 MG Oral Tablet'),
  scd('639537', '214354', 'candesartan cilexetil 32 MG Oral Tablet'),
  // eprosartan
  scd('310140', '83515', 'eprosartan 600 MG Oral Tablet'),
  // metoprolol
  scd('866924', '6918', 'metoprolol tartrate 25 MG Oral Tablet'),
  scd('866514', '6918', 'metoprolol tartrate 50 MG Oral Tablet'),
  scd('866511', '6918', 'metoprolol tartrate 100 MG Oral Tablet'),
  scd('866427', '6918', '24 HR metoprolol succinate 25 MG Extended Release Oral Tablet'),
  scd('866436', '6918', '24 HR metoprolol succinate 50 MG Extended Release Oral Tablet'),
  scd('866412', '6918', '24 HR metoprolol succinate 100 MG Extended Release Oral Tablet'),
  scd('866419', '6918', '24 HR metoprolol succinate 200 MG Extended Release Oral Tablet'),
  // carvedilol
  scd('686924', '20352', 'carvedilol 3.125 MG Oral Tablet'),
  scd('200031', '20352', 'carvedilol 6.25 MG Oral Tablet'),
  scd('200032', '20352', 'carvedilol 12.5 MG Oral Tablet'),
  scd('200033', '20352', 'carvedilol 25 MG Oral Tablet'),
  // propranolol
  scd('856448', '8787', 'propranolol hydrochloride 10 MG Oral Tablet'),
  scd('856457', '8787', 'propranolol hydrochloride 20 MG Oral Tablet'),
  scd('856519', '8787', 'propranolol hydrochloride 40 MG Oral Tablet'),
  scd('856535', '8787', '24 HR propranolol hydrochloride 60 MG Extended Release Oral Capsule'),
  scd('856569', '8787', '24 HR propranolol hydrochloride 80 MG Extended Release Oral Capsule'),
  // bisoprolol
  scd('854905', '19484', 'bisoprolol fumarate 5 MG Oral Tablet'),
  scd('854901', '19484', 'bisoprolol fumarate 10 MG Oral Tablet'),
  // nebivolol
  scd('387013', '31555', 'nebivolol 5 MG Oral Tablet'),
  scd('751612', '31555', 'nebivolol 10 MG Oral Tablet'),
  scd('827073', '31555', 'nebivolol 20 MG Oral Tablet'),
  // labetalol
  scd('896758', '6185', 'labetalol hydrochloride 100 MG Oral Tablet'),
  scd('896762', '6185', 'labetalol hydrochloride 200 MG Oral Tablet'),
  scd('896766', '6185', 'labetalol hydrochloride 300 MG Oral Tablet'),
  // nadolol
  scd('198006', '7226', 'nadolol 20 MG Oral Tablet'),
  scd('198007', '7226', 'nadolol 40 MG Oral Tablet'),
  // sotalol
  scd('1923426', '9947', 'sotalol hydrochloride 80 MG Oral Tablet'),
  scd('1923422', '9947', 'sotalol hydrochloride 120 MG Oral Tablet'),
  // timolol
  scd('1923428', '10600', 'timolol 2.5 MG/ML Ophthalmic Solution'),
  scd('1992299', '10600', '24 HR timolol 5 MG/ML Ophthalmic Solution'),
  scd('1992303', '10600', '12 HR timolol 5 MG/ML Ophthalmic Solution'),
  scd('198284', '10600', 'timolol 10 MG Oral Tablet'),
  // pindolol
  scd('198105', '8332', 'pindolol 5 MG Oral Tablet'),
  // betaxolol
  scd('1297753', '1520', 'betaxolol hydrochloride 10 MG Oral Tablet'),
  scd('308719', '1520', 'betaxolol 2.5 MG/ML Ophthalmic Suspension'),
  // diltiazem
  scd('833217', '3443', 'diltiazem hydrochloride 30 MG Oral Tablet'),
  scd('831103', '3443', 'diltiazem hydrochloride 60 MG Oral Tablet'),
  scd('831054', '3443', 'diltiazem hydrochloride 120 MG Oral Tablet'),
  scd('830861', '3443', '24 HR diltiazem hydrochloride 120 MG Extended Release Oral Capsule'),
  scd('830872', '3443', '12 HR diltiazem hydrochloride 120 MG Extended Release Oral Capsule'),
  scd('830845', '3443', '24 HR diltiazem hydrochloride 180 MG Extended Release Oral Capsule'),
  scd('830837', '3443', '24 HR diltiazem hydrochloride 240 MG Extended Release Oral Capsule'),
  // verapamil
  scd('897683', '11170', 'verapamil hydrochloride 80 MG Oral Tablet'),
  scd('897659', '11170', 'verapamil hydrochloride 120 MG Extended Release Oral Tablet'),
  scd('897640', '11170', 'verapamil hydrochloride 180 MG Extended Release Oral Tablet'),
  scd('897649', '11170', 'verapamil hydrochloride 240 MG Extended Release Oral Tablet'),
  // nifedipine
  scd('198034', '7417', '24 HR nifedipine 30 MG Extended Release Oral Tablet'),
  scd('198035', '7417', '24 HR nifedipine 60 MG Extended Release Oral Tablet'),
  scd('198036', '7417', '24 HR nifedipine 90 MG Extended Release Oral Tablet'),
  scd('198032', '7417', 'nifedipine 10 MG Oral Capsule'),
  // felodipine
  scd('402696', '4316', '24 HR felodipine 5 MG Extended Release Oral Tablet'),
  scd('402695', '4316', '24 HR felodipine 10 MG Extended Release Oral Tablet'),
  // nicardipine
  scd('858613', '7396', 'nicardipine hydrochloride 20 MG Oral Capsule'),
  // isradipine
  scd('197848', '33910', 'isradipine 2.5 MG Oral Capsule'),
  // nisoldipine
  scd('763519', '7435', '24 HR nisoldipine 17 MG Extended Release Oral Tablet'),
  // hydrochlorothiazide
  scd('429503', '5487', 'hydrochlorothiazide 12.5 MG Oral Tablet'),
  scd('310798', '5487', 'hydrochlorothiazide 25 MG Oral Tablet'),
  scd('197770', '5487', 'hydrochlorothiazide 50 MG Oral Tablet'),
  scd('199903', '5487', 'hydrochlorothiazide 12.5 MG Oral Capsule'),
  // chlorthalidone
  scd('197499', '2409', 'chlorthalidone 25 MG Oral Tablet'),
  scd('197500', '2409', 'chlorthalidone 50 MG Oral Tablet'),
  // indapamide
  scd('197815', '5764', 'indapamide 1.25 MG Oral Tablet'),
  scd('197816', '5764', 'indapamide 2.5 MG Oral Tablet'),
  // metolazone
  scd('197979', '6916', 'metolazone 2.5 MG Oral Tablet'),
  scd('311671', '6916', 'metolazone 5 MG Oral Tablet'),
  // chlorothiazide
  scd('197476', '2396', 'chlorothiazide 500 MG Oral Tablet'),
  // ethacrynate
  scd('1251903', '62349', 'ethacrynic acid 25 MG Oral Tablet'),
  // furosemide
  scd('310429', '4603', 'furosemide 20 MG Oral Tablet'),
  scd('313988', '4603', 'furosemide 40 MG Oral Tablet'),
  scd('197732', '4603', 'furosemide 80 MG Oral Tablet'),
  scd('197730', '4603', 'furosemide 10 MG/ML Oral Solution'),
  scd('1719291', '4603', '4 ML furosemide 10 MG/ML Injection'),
  // bumetanide
  scd('197417', '1808', 'bumetanide 0.5 MG Oral Tablet'),
  scd('197418', '1808', 'bumetanide 1 MG Oral Tablet'),
  scd('197419', '1808', 'bumetanide 2 MG Oral Tablet'),
  // torsemide
  scd('198369', '38413', 'torsemide 10 MG Oral Tablet'),
  scd('198371', '38413', 'torsemide 20 MG Oral Tablet'),
  // spironolactone
  scd('313096', '9997', 'spironolactone 25 MG Oral Tablet'),
  scd('198223', '9997', 'spironolactone 50 MG Oral Tablet'),
  scd('198222', '9997', 'spironolactone 100 MG Oral Tablet'),
  // eplerenone
  scd('351256', '298869', 'eplerenone 25 MG Oral Tablet'),
  scd('351257', '298869', 'eplerenone 50 MG Oral Tablet'),
  // triamterene
  scd('198313', '10763', 'triamterene 50 MG Oral Capsule'),
  // simvastatin
  scd('314231', '36567', 'simvastatin 10 MG Oral Tablet'),
  scd('312961', '36567', 'simvastatin 20 MG Oral Tablet'),
  scd('198211', '36567', 'simvastatin 40 MG Oral Tablet'),
  scd('200345', '36567', 'simvastatin 80 MG Oral Tablet'),
  // rosuvastatin
  scd('859424', '301542', 'rosuvastatin calcium 5 MG Oral Tablet'),
  scd('859747', '301542', 'rosuvastatin calcium 10 MG Oral Tablet'),
  scd('859751', '301542', 'rosuvastatin calcium 20 MG Oral Tablet'),
  scd('859419', '301542', 'rosuvastatin calcium 40 MG Oral Tablet'),
  // pravastatin
  scd('904467', '42463', 'pravastatin sodium 20 MG Oral Tablet'),
  scd('904475', '42463', 'pravastatin sodium 40 MG Oral Tablet'),
  scd('904481', '42463', 'pravastatin sodium 80 MG Oral Tablet'),
  // lovastatin
  scd('197904', '6472', 'lovastatin 20 MG Oral Tablet'),
  scd('197905', '6472', 'lovastatin 40 MG Oral Tablet'),
  // pitavastatin
  scd('861643', '861634', 'pitavastatin calcium 1 MG Oral Tablet'),
  scd('861648', '861634', 'pitavastatin calcium 2 MG Oral Tablet'),
  scd('861652', '861634', 'pitavastatin calcium 4 MG Oral Tablet'),
  // fluvastatin
  scd('310405', '41127', 'fluvastatin 40 MG Oral Capsule'),
  scd('360507', '41127', '24 HR fluvastatin 80 MG Extended Release Oral Tablet'),
  // ezetimibe
  scd('349556', '341248', 'ezetimibe 10 MG Oral Tablet'),
  // fenofibrate
  scd('477562', '8703', 'fenofibrate 48 MG Oral Tablet'),
  scd('477560', '8703', 'fenofibrate 145 MG Oral Tablet'),
  scd('310288', '8703', 'fenofibrate 134 MG Oral Capsule'),
  // gemfibrozil
  scd('310459', '4719', 'gemfibrozil 600 MG Oral Tablet'),
  // omega-3 acid ethyl esters (USP)
  scd('577208', '484348', 'omega-3 acid ethyl esters (USP) 1000 MG Oral Capsule'),
  // icosapent ethyl
  scd('1811180', '1304974', 'icosapent ethyl 500 MG Oral Capsule'),
  scd('1304979', '1304974', 'icosapent ethyl 1000 MG Oral Capsule'),
  // warfarin
  scd('855288', '11289', 'warfarin sodium 1 MG Oral Tablet'),
  scd('855302', '11289', 'warfarin sodium 2 MG Oral Tablet'),
  scd('855312', '11289', 'warfarin sodium 2.5 MG Oral Tablet'),
  scd('855318', '11289', 'warfarin sodium 3 MG Oral Tablet'),
  scd('855324', '11289', 'warfarin sodium 4 MG Oral Tablet'),
  scd('855332', '11289', 'warfarin sodium 5 MG Oral Tablet'),
  scd('855338', '11289', 'warfarin sodium 6 MG Oral Tablet'),
  scd('855344', '11289', 'warfarin sodium 7.5 MG Oral Tablet'),
  scd('855296', '11289', 'warfarin sodium 10 MG Oral Tablet'),
  // rivaroxaban
  scd('2059015', '1114195', 'rivaroxaban 2.5 MG Oral Tablet'),
  scd('1114198', '1114195', 'rivaroxaban 10 MG Oral Tablet'),
  scd('1232082', '1114195', 'rivaroxaban 15 MG Oral Tablet'),
  scd('1232086', '1114195', 'rivaroxaban 20 MG Oral Tablet'),
  // dabigatran etexilate
  scd('1037179', '1037042', 'dabigatran etexilate 75 MG Oral Capsule'),
  scd('1037045', '1037042', 'dabigatran etexilate 150 MG Oral Capsule'),
  // edoxaban
  scd('1599551', '1599538', 'edoxaban 30 MG Oral Tablet'),
  scd('1599555', '1599538', 'edoxaban 60 MG Oral Tablet'),
  // enoxaparin
  scd('854228', '67108', '0.3 ML enoxaparin sodium 100 MG/ML Prefilled Syringe'),
  scd('854235', '67108', '0.4 ML enoxaparin sodium 100 MG/ML Prefilled Syringe'),
  scd('854238', '67108', '0.6 ML enoxaparin sodium 100 MG/ML Prefilled Syringe'),
  scd('854241', '67108', '0.8 ML enoxaparin sodium 100 MG/ML Prefilled Syringe'),
  scd('854248', '67108', '1 ML enoxaparin sodium 100 MG/ML Prefilled Syringe'),
  // dalteparin
  scd('978733', '67109', '0.2 ML dalteparin sodium 25000 UNT/ML Prefilled Syringe'),
  // heparin
  scd('1361615', '5224', 'heparin sodium, porcine 5000 UNT/ML Injectable Solution'),
  // fondaparinux
  scd('861360', '321208', '0.5 ML fondaparinux sodium 5 MG/ML Prefilled Syringe'),
  // clopidogrel
  scd('309362', '32968', 'clopidogrel 75 MG Oral Tablet'),
  // prasugrel
  scd('855818', '613391', 'prasugrel 5 MG Oral Tablet'),
  scd('855812', '613391', 'prasugrel 10 MG Oral Tablet'),
  // ticagrelor
  scd('1666332', '1116632', 'ticagrelor 60 MG Oral Tablet'),
  scd('1116635', '1116632', 'ticagrelor 90 MG Oral Tablet'),
  // cilostazol
  scd('242462', '21107', 'cilostazol 50 MG Oral Tablet'),
  scd('242461', '21107', 'cilostazol 100 MG Oral Tablet'),
  // dronedarone
  scd('854856', '233698', 'dronedarone 400 MG Oral Tablet'),
  // dofetilide
  scd('310003', '49247', 'dofetilide 0.125 MG Oral Capsule'),
  scd('310004', '49247', 'dofetilide 0.25 MG Oral Capsule'),
  scd('310005', '49247', 'dofetilide 0.5 MG Oral Capsule'),
  // flecainide
  scd('886662', '4441', 'flecainide acetate 50 MG Oral Tablet'),
  scd('886666', '4441', 'flecainide acetate 100 MG Oral Tablet'),
  // propafenone
  scd('861424', '8754', 'propafenone hydrochloride 150 MG Oral Tablet'),
  scd('861427', '8754', 'propafenone hydrochloride 225 MG Oral Tablet'),
  scd('861156', '8754', '12 HR propafenone hydrochloride 225 MG Extended Release Oral Capsule'),
  // mexiletine
  scd('1362706', '6926', 'mexiletine hydrochloride 150 MG Oral Capsule'),
  scd('1362720', '6926', 'mexiletine hydrochloride 250 MG Oral Capsule'),
  // quinidine
  scd('852877', '9068', 'quinidine sulfate 200 MG Oral Tablet'),
  scd('852920', '9068', 'quinidine gluconate 324 MG Extended Release Oral Tablet'),
  // digoxin
  scd('197604', '3407', 'digoxin 0.125 MG Oral Tablet'),
  scd('197606', '3407', 'digoxin 0.25 MG Oral Tablet'),
  scd('393245', '3407', 'digoxin 0.05 MG/ML Oral Solution'),
  // nitroglycerin
  scd('198039', '4917', 'nitroglycerin 0.4 MG Sublingual Tablet'),
  scd('705129', '4917', 'nitroglycerin 0.4 MG/ACTUAT Mucosal Spray'),
  scd('486148', '4917', '24 HR nitroglycerin 0.2 MG/HR Transdermal System'),
  scd('486152', '4917', '24 HR nitroglycerin 0.4 MG/HR Transdermal System'),
  scd('242946', '4917', 'nitroglycerin 0.02 MG/MG Topical Ointment'),
  // isosorbide
  scd('317110', '6057', '24 HR isosorbide mononitrate 30 MG Extended Release Oral Tablet'),
  scd('353538', '6057', '24 HR isosorbide mononitrate 60 MG Extended Release Oral Tablet'),
  scd('311196', '6057', '24 HR isosorbide mononitrate 120 MG Extended Release Oral Tablet'),
  scd('311197', '6057', 'isosorbide mononitrate 20 MG Oral Tablet'),
  // isosorbide dinitrate
  scd('381056', '6058', 'isosorbide dinitrate 10 MG Oral Tablet'),
  scd('206842', '6058', 'isosorbide dinitrate 20 MG Oral Tablet'),
  scd('197839', '6058', 'isosorbide dinitrate 30 MG Oral Tablet'),
  // clonidine
  scd('884173', '2599', 'clonidine hydrochloride 0.1 MG Oral Tablet'),
  scd('884185', '2599', 'clonidine hydrochloride 0.2 MG Oral Tablet'),
  scd('884189', '2599', 'clonidine hydrochloride 0.3 MG Oral Tablet'),
  scd('998671', '2599', '168 HR clonidine 0.00417 MG/HR Transdermal System'),
  scd('998675', '2599', '168 HR clonidine 0.00833 MG/HR Transdermal System'),
  // hydralazine
  scd('905199', '5470', 'hydralazine hydrochloride 10 MG Oral Tablet'),
  scd('905225', '5470', 'hydralazine hydrochloride 25 MG Oral Tablet'),
  scd('905395', '5470', 'hydralazine hydrochloride 50 MG Oral Tablet'),
  scd('905222', '5470', 'hydralazine hydrochloride 100 MG Oral Tablet'),
  // guanfacine
  scd('197745', '40114', 'guanfacine 1 MG Oral Tablet'),
  scd('862006', '40114', '24 HR guanfacine 1 MG Extended Release Oral Tablet'),
  scd('862013', '40114', '24 HR guanfacine 2 MG Extended Release Oral Tablet'),
  scd('862025', '40114', '24 HR guanfacine 4 MG Extended Release Oral Tablet'),
  // methyldopa
  scd('197956', '6876', 'methyldopa 250 MG Oral Tablet'),
  scd('197958', '6876', 'methyldopa 500 MG Oral Tablet'),
  // minoxidil
  scd('197987', '6984', 'minoxidil 2.5 MG Oral Tablet'),
  scd('197986', '6984', 'minoxidil 10 MG Oral Tablet'),
  // doxazosin
  scd('197625', '49276', 'doxazosin 1 MG Oral Tablet'),
  scd('197626', '49276', 'doxazosin 2 MG Oral Tablet'),
  scd('197627', '49276', 'doxazosin 4 MG Oral Tablet'),
  scd('197628', '49276', 'doxazosin 8 MG Oral Tablet'),
  // terazosin
  scd('313217', '37798', 'terazosin 2 MG Oral Capsule'),
  scd('313219', '37798', 'terazosin 5 MG Oral Capsule'),
  scd('260376', '37798', 'terazosin 10 MG Oral Capsule'),
  // prazosin
  scd('312593', '8629', 'prazosin 1 MG Oral Capsule'),
  scd('312594', '8629', 'prazosin 2 MG Oral Capsule'),
  scd('198141', '8629', 'prazosin 5 MG Oral Capsule'),
  // ivabradine
  scd('1649485', '1649480', 'ivabradine 5 MG Oral Tablet'),
  scd('1649493', '1649480', 'ivabradine 7.5 MG Oral Tablet'),
  // ranolazine
  scd('616749', '35829', '12 HR ranolazine 500 MG Extended Release Oral Tablet'),
  scd('728231', '35829', '12 HR ranolazine 1000 MG Extended Release Oral Tablet'),
  // sildenafil
  scd('577033', '136411', 'sildenafil 20 MG Oral Tablet'),
  scd('314228', '136411', 'sildenafil 25 MG Oral Tablet'),
  scd('312950', '136411', 'sildenafil 50 MG Oral Tablet'),
  scd('314229', '136411', 'sildenafil 100 MG Oral Tablet'),
  // tadalafil
  scd('757707', '358263', 'tadalafil 2.5 MG Oral Tablet'),
  scd('403957', '358263', 'tadalafil 5 MG Oral Tablet'),
  scd('484814', '358263', 'tadalafil 10 MG Oral Tablet'),
  scd('402019', '358263', 'tadalafil 20 MG Oral Tablet'),
  // vardenafil
  scd('349479', '306674', 'vardenafil 10 MG Oral Tablet'),
  scd('349480', '306674', 'vardenafil 20 MG Oral Tablet'),
  // metformin
  scd('861007', '6809', 'metformin hydrochloride 500 MG Oral Tablet'),
  scd('861010', '6809', 'metformin hydrochloride 850 MG Oral Tablet'),
  scd('861004', '6809', 'metformin hydrochloride 1000 MG Oral Tablet'),
  scd('860975', '6809', '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet'),
  scd('860981', '6809', '24 HR metformin hydrochloride 750 MG Extended Release Oral Tablet'),
  // glipizide
  scd('310490', '4821', 'glipizide 5 MG Oral Tablet'),
  scd('310488', '4821', 'glipizide 10 MG Oral Tablet'),
  scd('314006', '4821', '24 HR glipizide 5 MG Extended Release Oral Tablet'),
  scd('315107', '4821', '24 HR glipizide 10 MG Extended Release Oral Tablet'),
  // glyburide
  scd('310534', '4815', 'glyburide 2.5 MG Oral Tablet'),
  scd('310537', '4815', 'glyburide 5 MG Oral Tablet'),
  scd('310536', '4815', 'glyburide 3 MG Oral Tablet'),
  scd('310539', '4815', 'glyburide 6 MG Oral Tablet'),
  // glimepiride
  scd('199245', '25789', 'glimepiride 1 MG Oral Tablet'),
  scd('199246', '25789', 'glimepiride 2 MG Oral Tablet'),
  scd('199247', '25789', 'glimepiride 4 MG Oral Tablet'),
  // chlorpropamide
  scd('197496', '2404', 'chlorpropamide 250 MG Oral Tablet'),
  // insulin glargine
  scd('311041', '274783', 'insulin glargine 100 UNT/ML Injectable Solution'),
  scd('847230', '274783', '3 ML insulin glargine 100 UNT/ML Pen Injector'),
  scd('1604539', '274783', '1.5 ML insulin glargine 300 UNT/ML Pen Injector'),
  scd('2002419', '274783', '3 ML insulin glargine 300 UNT/ML Pen Injector'),
  // insulin lispro
  scd('242120', '86009', 'insulin lispro 100 UNT/ML Injectable Solution'),
  scd('1652639', '86009', '3 ML insulin lispro 100 UNT/ML Pen Injector'),
  scd('1652644', '86009', '3 ML insulin lispro 100 UNT/ML Cartridge'),
  // insulin aspart, human
  scd('311040', '51428', 'insulin aspart, human 100 UNT/ML Injectable Solution'),
  scd('1653202', '51428', '3 ML insulin aspart, human 100 UNT/ML Pen Injector'),
  scd('1653196', '51428', '3 ML insulin aspart, human 100 UNT/ML Cartridge'),
  // insulin detemir
  scd('484322', '139825', 'insulin detemir 100 UNT/ML Injectable Solution'),
  scd('847239', '139825', '3 ML insulin detemir 100 UNT/ML Pen Injector'),
  // insulin degludec
  scd('1670011', '1670007', '3 ML insulin degludec 100 UNT/ML Pen Injector'),
  scd('1670021', '1670007', '3 ML insulin degludec 200 UNT/ML Pen Injector'),
  scd('2107520', '1670007', 'insulin degludec 100 UNT/ML Injectable Solution'),
  // insulin, regular, human
  scd('311034', '253182', 'insulin, regular, human 100 UNT/ML Injectable Solution'),
  scd('2206090', '253182', '3 ML insulin, regular, human 100 UNT/ML Pen Injector'),
  scd('249220', '253182', 'insulin, regular, human 500 UNT/ML Injectable Solution'),
  // insulin isophane
  scd('311028', '1605101', 'insulin isophane, human 100 UNT/ML Injectable Suspension'),
  scd('1654862', '1605101', '3 ML insulin isophane, human 100 UNT/ML Pen Injector'),
  // sitagliptin
  scd('665038', '593411', 'sitagliptin 25 MG Oral Tablet'),
  scd('665042', '593411', 'sitagliptin 50 MG Oral Tablet'),
  scd('665033', '593411', 'sitagliptin 100 MG Oral Tablet'),
  // linagliptin
  scd('1100702', '1100699', 'linagliptin 5 MG Oral Tablet'),
  // saxagliptin
  scd('858042', '857974', 'saxagliptin 2.5 MG Oral Tablet'),
  scd('858036', '857974', 'saxagliptin 5 MG Oral Tablet'),
  // empagliflozin
  scd('1545658', '1545653', 'empagliflozin 10 MG Oral Tablet'),
  scd('1545666', '1545653', 'empagliflozin 25 MG Oral Tablet'),
  // dapagliflozin
  scd('1488574', '1488564', 'dapagliflozin 5 MG Oral Tablet'),
  scd('1488569', '1488564', 'dapagliflozin 10 MG Oral Tablet'),
  // canagliflozin
  scd('1373463', '1373458', 'canagliflozin 100 MG Oral Tablet'),
  scd('1373471', '1373458', 'canagliflozin 300 MG Oral Tablet'),
  // semaglutide
  scd('2200652', '1991302', 'semaglutide 3 MG Oral Tablet'),
  scd('2200656', '1991302', 'semaglutide 7 MG Oral Tablet'),
  scd('2200644', '1991302', 'semaglutide 14 MG Oral Tablet'),
  scd('1991316', '1991302', '1 MG Dose 1.5 ML semaglutide 1.34 MG/ML Pen Injector'),
  scd('2398841', '1991302', '3 ML semaglutide 1.34 MG/ML Pen Injector'),
  scd('2599362', '1991302', '3 ML semaglutide 2.68 MG/ML Pen Injector'),
  // liraglutide
  scd('897122', '475968', '3 ML liraglutide 6 MG/ML Pen Injector'),
  // dulaglutide
  scd('1551295', '1551291', '0.5 ML dulaglutide 1.5 MG/ML Auto-Injector'),
  scd('1551304', '1551291', '0.5 ML dulaglutide 3 MG/ML Auto-Injector'),
  scd('2395777', '1551291', '0.5 ML dulaglutide 6 MG/ML Auto-Injector'),
  scd('2395783', '1551291', '0.5 ML dulaglutide 9 MG/ML Auto-Injector'),
  // tirzepatide
  scd('2601743', '2601723', '0.5 ML tirzepatide 10 MG/ML Auto-Injector'),
  scd('2601755', '2601723', '0.5 ML tirzepatide 30 MG/ML Auto-Injector'),
  scd('2601761', '2601723', '0.5 ML tirzepatide 5 MG/ML Auto-Injector'),
  scd('2601767', '2601723', '0.5 ML tirzepatide 20 MG/ML Auto-Injector'),
  scd('2601773', '2601723', '0.5 ML tirzepatide 25 MG/ML Auto-Injector'),
  scd('2601784', '2601723', '0.5 ML tirzepatide 15 MG/ML Auto-Injector'),
  // pioglitazone
  scd('317573', '33738', 'pioglitazone 15 MG Oral Tablet'),
  scd('312440', '33738', 'pioglitazone 30 MG Oral Tablet'),
  scd('312441', '33738', 'pioglitazone 45 MG Oral Tablet'),
  // levothyroxine
  scd('966220', '10582', 'levothyroxine sodium 0.025 MG Oral Tablet'),
  scd('966221', '10582', 'levothyroxine sodium 0.05 MG Oral Tablet'),
  scd('966222', '10582', 'levothyroxine sodium 0.075 MG Oral Tablet'),
  scd('966253', '10582', 'levothyroxine sodium 0.088 MG Oral Tablet'),
  scd('892246', '10582', 'levothyroxine sodium 0.1 MG Oral Tablet'),
  scd('966248', '10582', 'levothyroxine sodium 0.112 MG Oral Tablet'),
  scd('966224', '10582', 'levothyroxine sodium 0.125 MG Oral Tablet'),
  scd('966225', '10582', 'levothyroxine sodium 0.15 MG Oral Tablet'),
  scd('966249', '10582', 'levothyroxine sodium 0.175 MG Oral Tablet'),
  scd('892251', '10582', 'levothyroxine sodium 0.2 MG Oral Tablet'),
  // liothyronine
  scd('903456', '10814', 'liothyronine sodium 0.005 MG Oral Tablet'),
  scd('903697', '10814', 'liothyronine sodium 0.025 MG Oral Tablet'),
  scd('903703', '10814', 'liothyronine sodium 0.05 MG Oral Tablet'),
  // thyroid (USP)
  scd('313387', '10572', 'thyroid (USP) 30 MG Oral Tablet'),
  scd('313391', '10572', 'thyroid (USP) 60 MG Oral Tablet'),
  scd('313393', '10572', 'thyroid (USP) 90 MG Oral Tablet'),
  // methimazole
  scd('197942', '6835', 'methimazole 5 MG Oral Tablet'),
  scd('197941', '6835', 'methimazole 10 MG Oral Tablet'),
  // propylthiouracil
  scd('198175', '8794', 'propylthiouracil 50 MG Oral Tablet'),
  // prednisone
  scd('312617', '8640', 'prednisone 5 MG Oral Tablet'),
  scd('198145', '8640', 'prednisone 10 MG Oral Tablet'),
  scd('312615', '8640', 'prednisone 20 MG Oral Tablet'),
  scd('315187', '8640', 'prednisone 1 MG/ML Oral Solution'),
  // prednisolone
  scd('283077', '8638', 'prednisolone 3 MG/ML Oral Solution'),
  scd('312614', '8638', 'prednisolone 1 MG/ML Oral Solution'),
  scd('1376336', '8638', 'prednisolone acetate 10 MG/ML Ophthalmic Suspension'),
  // methylprednisolone
  scd('259966', '6902', 'methylprednisolone 4 MG Oral Tablet'),
  scd('197973', '6902', 'methylprednisolone 8 MG Oral Tablet'),
  scd('328161', '6902', 'methylprednisolone 16 MG Oral Tablet'),
  scd('197971', '6902', 'methylprednisolone 32 MG Oral Tablet'),
  scd('1358610', '6902', 'methylprednisolone acetate 40 MG/ML Injectable Suspension'),
  // dexamethasone
  scd('197579', '3264', 'dexamethasone 1 MG Oral Tablet'),
  scd('197582', '3264', 'dexamethasone 4 MG Oral Tablet'),
  scd('197583', '3264', 'dexamethasone 6 MG Oral Tablet'),
  scd('309686', '3264', 'dexamethasone 0.1 MG/ML Oral Solution'),
  // hydrocortisone
  scd('197782', '5492', 'hydrocortisone 10 MG Oral Tablet'),
  scd('106258', '5492', 'hydrocortisone 10 MG/ML Topical Cream'),
  scd('310891', '5492', 'hydrocortisone 25 MG/ML Topical Cream'),
  scd('310879', '5492', 'hydrocortisone 25 MG/ML Rectal Cream'),
  // betamethasone
  scd('238920', '1514', 'betamethasone 0.5 MG/ML Topical Cream'),
  scd('197407', '1514', 'betamethasone 1 MG/ML Topical Cream'),
  scd('197405', '1514', 'betamethasone 0.0005 MG/MG Topical Ointment'),
  // triamcinolone
  scd('1014314', '10759', 'triamcinolone acetonide 1 MG/ML Topical Cream'),
  scd('1085636', '10759', 'triamcinolone acetonide 0.001 MG/MG Topical Ointment'),
  scd('1085754', '10759', 'triamcinolone acetonide 40 MG/ML Injectable Suspension'),
  scd('1797913', '10759', 'triamcinolone acetonide 0.055 MG/ACTUAT Metered Dose Nasal Spray'),
  // fludrocortisone
  scd('313979', '4452', 'fludrocortisone acetate 0.1 MG Oral Tablet'),
  // budesonide
  scd('351109', '19831', 'budesonide 0.25 MG/ML Inhalation Suspension'),
  scd('252559', '19831', 'budesonide 0.5 MG/ML Inhalation Suspension'),
  scd('1244214', '19831', 'budesonide 3 MG Delayed Release Oral Capsule'),
  scd('1366550', '19831', '24 HR budesonide 9 MG Extended Release Oral Tablet'),
  scd('1797929', '19831', 'budesonide 0.032 MG/ACTUAT Metered Dose Nasal Spray'),
  // fluticasone
  scd('1797907', '41126', 'fluticasone propionate 0.05 MG/ACTUAT Metered Dose Nasal Spray'),
  scd('895994', '41126', '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler'),
  scd('895999', '41126', '120 ACTUAT fluticasone propionate 0.11 MG/ACTUAT Metered Dose Inhaler'),
  scd('896004', '41126', '120 ACTUAT fluticasone propionate 0.22 MG/ACTUAT Metered Dose Inhaler'),
  scd('895987', '41126', 'fluticasone propionate 0.5 MG/ML Topical Cream'),
  // mometasone
  scd('1797865', '108118', 'mometasone furoate 0.05 MG/ACTUAT Metered Dose Nasal Spray'),
  scd('311753', '108118', 'mometasone furoate 1 MG/ML Topical Cream'),
  scd('151029', '108118', 'mometasone furoate 0.001 MG/MG Topical Ointment'),
  // beclomethasone
  scd(
    '1998773',
    '1347',
    'Breath-Actuated 120 ACTUAT beclomethasone dipropionate 0.04 MG/ACTUAT Metered Dose Inhaler',
  ),
  scd(
    '1998771',
    '1347',
    'Breath-Actuated 120 ACTUAT beclomethasone dipropionate 0.08 MG/ACTUAT Metered Dose Inhaler',
  ),
  // clobetasol
  scd('861495', '2590', 'clobetasol propionate 0.5 MG/ML Topical Cream'),
  scd('861448', '2590', 'clobetasol propionate 0.0005 MG/MG Topical Ointment'),
  scd('861487', '2590', 'clobetasol propionate 0.5 MG/ML Topical Solution'),
  // fluocinonide
  scd('103456', '4462', 'fluocinonide 0.5 MG/ML Topical Cream'),
  scd('103457', '4462', 'fluocinonide 0.0005 MG/MG Topical Ointment'),
  // estradiol
  scd('197658', '4083', 'estradiol 1 MG Oral Tablet'),
  scd('978948', '4083', 'estradiol valerate 1 MG Oral Tablet'),
  scd('197659', '4083', 'estradiol 2 MG Oral Tablet'),
  scd('310169', '4083', 'estradiol 0.1 MG/ML Vaginal Cream'),
  scd('884707', '4083', 'estradiol 0.01 MG Vaginal Insert'),
  scd('238003', '4083', '168 HR estradiol 0.00208 MG/HR Transdermal System'),
  scd('242891', '4083', '84 HR estradiol 0.00208 MG/HR Transdermal System'),
  // estrogens, conjugated (USP)
  scd('197660', '4099', 'estrogens, conjugated (USP) 0.3 MG Oral Tablet'),
  scd('403849', '4099', 'estrogens, conjugated (USP) 0.45 MG Oral Tablet'),
  scd('310197', '4099', 'estrogens, conjugated (USP) 0.625 MG Oral Tablet'),
  scd('688240', '4099', 'estrogens, conjugated (USP) 0.625 MG/ML Vaginal Cream'),
  // medroxyprogesterone
  scd('1000135', '6691', 'medroxyprogesterone acetate 2.5 MG Oral Tablet'),
  scd('1000114', '6691', 'medroxyprogesterone acetate 10 MG Oral Tablet'),
  scd('1000153', '6691', '1 ML medroxyprogesterone acetate 150 MG/ML Prefilled Syringe'),
  scd('1000156', '6691', '0.65 ML medroxyprogesterone acetate 160 MG/ML Prefilled Syringe'),
  // norethindrone
  scd('198042', '7514', 'norethindrone 0.35 MG Oral Tablet'),
  scd('1000405', '7514', 'norethindrone acetate 5 MG Oral Tablet'),
  // levonorgestrel
  scd('483325', '6373', 'levonorgestrel 1.5 MG Oral Tablet'),
  scd('804156', '6373', 'levonorgestrel 0.000833 MG/HR Intrauterine System'),
  scd('1366334', '6373', 'levonorgestrel 0.000583 MG/HR Intrauterine System'),
  scd('1605252', '6373', 'levonorgestrel 0.000813 MG/HR Intrauterine System'),
  scd('1811886', '6373', 'levonorgestrel 0.000729 MG/HR Intrauterine System'),
  // drospirenone
  scd('2171000', '11636', 'drospirenone 4 MG Oral Tablet'),
  // etonogestrel
  scd('389221', '14584', 'etonogestrel 68 MG Drug Implant'),
  // progesterone
  scd('260243', '8727', 'progesterone 100 MG Oral Capsule'),
  scd('312641', '8727', 'progesterone 200 MG Oral Capsule'),
  // megestrol
  scd('860221', '6703', 'megestrol acetate 40 MG Oral Tablet'),
  scd('860225', '6703', 'megestrol acetate 40 MG/ML Oral Suspension'),
  // testosterone
  scd('835840', '10379', 'testosterone cypionate 200 MG/ML Injectable Solution'),
  scd('835829', '10379', 'testosterone cypionate 100 MG/ML Injectable Solution'),
  scd('1597076', '10379', '60 ACTUAT testosterone 20.25 MG/ACTUAT Topical Gel'),
  // finasteride
  scd('200172', '25025', 'finasteride 1 MG Oral Tablet'),
  scd('310346', '25025', 'finasteride 5 MG Oral Tablet'),
  // dutasteride
  scd('351172', '228790', 'dutasteride 0.5 MG Oral Capsule'),
  // tamsulosin
  scd('863669', '77492', 'tamsulosin hydrochloride 0.4 MG Oral Capsule'),
  // oxybutynin
  scd('863664', '32675', 'oxybutynin chloride 5 MG Oral Tablet'),
  scd('863636', '32675', '24 HR oxybutynin chloride 5 MG Extended Release Oral Tablet'),
  scd('863619', '32675', '24 HR oxybutynin chloride 10 MG Extended Release Oral Tablet'),
  // tolterodine
  scd('855194', '119565', 'tolterodine tartrate 2 MG Oral Tablet'),
  scd('855189', '119565', '24 HR tolterodine tartrate 4 MG Extended Release Oral Capsule'),
  // solifenacin
  scd('477367', '322167', 'solifenacin succinate 5 MG Oral Tablet'),
  scd('477372', '322167', 'solifenacin succinate 10 MG Oral Tablet'),
  // mirabegron
  scd('1300791', '1300786', '24 HR mirabegron 25 MG Extended Release Oral Tablet'),
  scd('1300801', '1300786', '24 HR mirabegron 50 MG Extended Release Oral Tablet'),
  // trospium
  scd('857560', '236778', 'trospium chloride 20 MG Oral Tablet'),
  // letrozole
  scd('200064', '72965', 'letrozole 2.5 MG Oral Tablet'),
  // exemestane
  scd('310261', '258494', 'exemestane 25 MG Oral Tablet'),
  // tamoxifen
  scd('313195', '10324', 'tamoxifen 20 MG Oral Tablet'),
  // omeprazole
  scd('198051', '7646', 'omeprazole 20 MG Delayed Release Oral Capsule'),
  scd('200329', '7646', 'omeprazole 40 MG Delayed Release Oral Capsule'),
  // esomeprazole
  scd('606726', '283742', 'esomeprazole 20 MG Delayed Release Oral Capsule'),
  scd('606730', '283742', 'esomeprazole 40 MG Delayed Release Oral Capsule'),
  // pantoprazole
  scd('251872', '40790', 'pantoprazole 20 MG Delayed Release Oral Tablet'),
  scd('314200', '40790', 'pantoprazole 40 MG Delayed Release Oral Tablet'),
  scd('283669', '40790', 'pantoprazole 40 MG Injection'),
  // lansoprazole
  scd('596843', '17128', 'lansoprazole 15 MG Delayed Release Oral Capsule'),
  scd('311277', '17128', 'lansoprazole 30 MG Delayed Release Oral Capsule'),
  // rabeprazole
  scd('854868', '114979', 'rabeprazole sodium 20 MG Delayed Release Oral Tablet'),
  // dexlansoprazole
  scd('833204', '816346', 'dexlansoprazole 30 MG Delayed Release Oral Capsule'),
  scd('833213', '816346', 'dexlansoprazole 60 MG Delayed Release Oral Capsule'),
  // famotidine
  scd('310273', '4278', 'famotidine 20 MG Oral Tablet'),
  scd('284245', '4278', 'famotidine 40 MG Oral Tablet'),
  scd('310274', '4278', 'famotidine 8 MG/ML Oral Suspension'),
  // cimetidine
  scd('197507', '2541', 'cimetidine 400 MG Oral Tablet'),
  scd('197508', '2541', 'cimetidine 800 MG Oral Tablet'),
  // nizatidine
  scd('312025', '42319', 'nizatidine 150 MG Oral Capsule'),
  // ondansetron
  scd('198052', '26225', 'ondansetron 4 MG Oral Tablet'),
  scd('312086', '26225', 'ondansetron 8 MG Oral Tablet'),
  scd('104894', '26225', 'ondansetron 4 MG Disintegrating Oral Tablet'),
  scd('312087', '26225', 'ondansetron 8 MG Disintegrating Oral Tablet'),
  // promethazine
  scd('992438', '8745', 'promethazine hydrochloride 12.5 MG Oral Tablet'),
  scd('992447', '8745', 'promethazine hydrochloride 25 MG Oral Tablet'),
  scd('992432', '8745', 'promethazine hydrochloride 1.25 MG/ML Oral Solution'),
  scd('992454', '8745', 'promethazine hydrochloride 25 MG Rectal Suppository'),
  // metoclopramide
  scd('311668', '6915', 'metoclopramide 5 MG Oral Tablet'),
  scd('311666', '6915', 'metoclopramide 10 MG Oral Tablet'),
  scd('104884', '6915', 'metoclopramide 1 MG/ML Oral Solution'),
  // prochlorperazine
  scd('198365', '8704', 'prochlorperazine 10 MG Oral Tablet'),
  scd('198159', '8704', 'prochlorperazine 25 MG Rectal Suppository'),
  // meclizine
  scd('995624', '6676', 'meclizine hydrochloride 12.5 MG Oral Tablet'),
  scd('995666', '6676', 'meclizine hydrochloride 25 MG Oral Tablet'),
  // polyethylene glycol 3350
  scd('876193', '221147', 'polyethylene glycol 3350 17000 MG Powder for Oral Solution'),
  // docusate
  scd('1115005', '82003', 'docusate sodium 100 MG Oral Capsule'),
  // sennosides, USP
  scd('312935', '36387', 'sennosides, USP 8.6 MG Oral Tablet'),
  // bisacodyl
  scd('308753', '1596', 'bisacodyl 5 MG Delayed Release Oral Tablet'),
  scd('198509', '1596', 'bisacodyl 10 MG Rectal Suppository'),
  // dicyclomine
  scd('991061', '3361', 'dicyclomine hydrochloride 10 MG Oral Capsule'),
  scd('991086', '3361', 'dicyclomine hydrochloride 20 MG Oral Tablet'),
  // hyoscyamine
  scd('1047905', '153970', 'hyoscyamine sulfate 0.125 MG Oral Tablet'),
  scd('1046982', '153970', 'hyoscyamine sulfate 0.125 MG Sublingual Tablet'),
  // mesalamine
  scd('686429', '52582', 'mesalamine 1200 MG Delayed Release Oral Tablet'),
  scd('833234', '52582', 'mesalamine 800 MG Delayed Release Oral Tablet'),
  scd('825130', '52582', '24 HR mesalamine 375 MG Extended Release Oral Capsule'),
  scd('248420', '52582', 'mesalamine 1000 MG Rectal Suppository'),
  // sulfasalazine
  scd('198232', '9524', 'sulfasalazine 500 MG Oral Tablet'),
  scd('313142', '9524', 'sulfasalazine 500 MG Delayed Release Oral Tablet'),
  // ursodeoxycholate
  scd('858747', '62427', 'ursodiol 300 MG Oral Capsule'),
  scd('858751', '62427', 'ursodiol 250 MG Oral Tablet'),
  scd('858733', '62427', 'ursodiol 500 MG Oral Tablet'),
  // sucralfate
  scd('314234', '10156', 'sucralfate 1000 MG Oral Tablet'),
  scd('313123', '10156', 'sucralfate 100 MG/ML Oral Suspension'),
  // loperamide
  scd('978006', '6468', 'loperamide hydrochloride 2 MG Oral Capsule'),
  // lactulose
  scd('391937', '6218', 'lactulose 667 MG/ML Oral Solution'),
  // linaclotide
  scd('1869697', '1307404', 'linaclotide 0.072 MG Oral Capsule'),
  scd('1307409', '1307404', 'linaclotide 0.145 MG Oral Capsule'),
  scd('1307419', '1307404', 'linaclotide 0.29 MG Oral Capsule'),
  // rifaximin
  scd('429662', '35619', 'rifaximin 200 MG Oral Tablet'),
  scd('856664', '35619', 'rifaximin 550 MG Oral Tablet'),
  // sertraline
  scd('312940', '36437', 'sertraline 25 MG Oral Tablet'),
  scd('312941', '36437', 'sertraline 50 MG Oral Tablet'),
  scd('312938', '36437', 'sertraline 100 MG Oral Tablet'),
  scd('861064', '36437', 'sertraline 20 MG/ML Oral Solution'),
  // escitalopram
  scd('351249', '321988', 'escitalopram 5 MG Oral Tablet'),
  scd('349332', '321988', 'escitalopram 10 MG Oral Tablet'),
  scd('351250', '321988', 'escitalopram 20 MG Oral Tablet'),
  scd('351285', '321988', 'escitalopram 1 MG/ML Oral Solution'),
  // citalopram
  scd('283672', '2556', 'citalopram 10 MG Oral Tablet'),
  scd('200371', '2556', 'citalopram 20 MG Oral Tablet'),
  scd('309314', '2556', 'citalopram 40 MG Oral Tablet'),
  scd('309313', '2556', 'citalopram 2 MG/ML Oral Solution'),
  // fluoxetine
  scd('310384', '4493', 'fluoxetine 10 MG Oral Capsule'),
  scd('310385', '4493', 'fluoxetine 20 MG Oral Capsule'),
  scd('313989', '4493', 'fluoxetine 40 MG Oral Capsule'),
  scd('310386', '4493', 'fluoxetine 4 MG/ML Oral Solution'),
  // paroxetine
  scd('1738483', '32937', 'paroxetine hydrochloride 10 MG Oral Tablet'),
  scd('1738495', '32937', 'paroxetine hydrochloride 20 MG Oral Tablet'),
  scd('1738511', '32937', 'paroxetine hydrochloride 40 MG Oral Tablet'),
  scd('1738805', '32937', '24 HR paroxetine hydrochloride 25 MG Extended Release Oral Tablet'),
  // fluvoxamine
  scd('903891', '42355', 'fluvoxamine maleate 50 MG Oral Tablet'),
  scd('903884', '42355', 'fluvoxamine maleate 100 MG Oral Tablet'),
  // vilazodone
  scd('1086772', '1086769', 'vilazodone hydrochloride 10 MG Oral Tablet'),
  scd('1086778', '1086769', 'vilazodone hydrochloride 20 MG Oral Tablet'),
  scd('1086784', '1086769', 'vilazodone hydrochloride 40 MG Oral Tablet'),
  // duloxetine
  scd('596926', '72625', 'duloxetine 20 MG Delayed Release Oral Capsule'),
  scd('596930', '72625', 'duloxetine 30 MG Delayed Release Oral Capsule'),
  scd('596934', '72625', 'duloxetine 60 MG Delayed Release Oral Capsule'),
  // venlafaxine
  scd('313584', '39786', 'venlafaxine 37.5 MG Oral Tablet'),
  scd('313586', '39786', 'venlafaxine 75 MG Oral Tablet'),
  scd('313583', '39786', '24 HR venlafaxine 37.5 MG Extended Release Oral Capsule'),
  scd('313585', '39786', '24 HR venlafaxine 75 MG Extended Release Oral Capsule'),
  scd('313581', '39786', '24 HR venlafaxine 150 MG Extended Release Oral Capsule'),
  // desvenlafaxine
  scd('1874559', '734064', '24 HR desvenlafaxine succinate 50 MG Extended Release Oral Tablet'),
  scd('1874553', '734064', '24 HR desvenlafaxine succinate 100 MG Extended Release Oral Tablet'),
  // levomilnacipran
  scd('1433233', '1433212', '24 HR levomilnacipran 40 MG Extended Release Oral Capsule'),
  scd('1433239', '1433212', '24 HR levomilnacipran 80 MG Extended Release Oral Capsule'),
  // milnacipran
  scd('833144', '588250', 'milnacipran hydrochloride 50 MG Oral Tablet'),
  scd('833135', '588250', 'milnacipran hydrochloride 100 MG Oral Tablet'),
  // nortriptyline
  scd('198045', '7531', 'nortriptyline 10 MG Oral Capsule'),
  scd('317136', '7531', 'nortriptyline 25 MG Oral Capsule'),
  scd('198046', '7531', 'nortriptyline 50 MG Oral Capsule'),
  // doxepin
  scd('1000048', '3638', 'doxepin 10 MG Oral Capsule'),
  scd('1000070', '3638', 'doxepin 25 MG Oral Capsule'),
  scd('1000076', '3638', 'doxepin 50 MG Oral Capsule'),
  scd('966787', '3638', 'doxepin 3 MG Oral Tablet'),
  scd('966793', '3638', 'doxepin 6 MG Oral Tablet'),
  // imipramine
  scd('835564', '5691', 'imipramine hydrochloride 25 MG Oral Tablet'),
  scd('835568', '5691', 'imipramine hydrochloride 50 MG Oral Tablet'),
  // desipramine
  scd('1099300', '3247', 'desipramine hydrochloride 25 MG Oral Tablet'),
  scd('1099304', '3247', 'desipramine hydrochloride 50 MG Oral Tablet'),
  // clomipramine
  scd('857297', '2597', 'clomipramine hydrochloride 25 MG Oral Capsule'),
  scd('857301', '2597', 'clomipramine hydrochloride 50 MG Oral Capsule'),
  // protriptyline
  scd('905168', '8886', 'protriptyline hydrochloride 10 MG Oral Tablet'),
  // trimipramine
  scd('313498', '10834', 'trimipramine 25 MG Oral Capsule'),
  // phenelzine
  scd('312347', '8123', 'phenelzine 15 MG Oral Tablet'),
  // tranylcypromine
  scd('313447', '10734', 'tranylcypromine 10 MG Oral Tablet'),
  // isocarboxazid
  scd('104837', '6011', 'isocarboxazid 10 MG Oral Tablet'),
  // selegiline
  scd('859186', '9639', 'selegiline hydrochloride 5 MG Oral Capsule'),
  scd('859193', '9639', 'selegiline hydrochloride 5 MG Oral Tablet'),
  scd('865206', '9639', '24 HR selegiline 0.25 MG/HR Transdermal System'),
  // rasagiline
  scd('636664', '134748', 'rasagiline 0.5 MG Oral Tablet'),
  scd('608328', '134748', 'rasagiline 1 MG Oral Tablet'),
  // vortioxetine
  scd('1439812', '1455099', 'vortioxetine 5 MG Oral Tablet'),
  scd('1439808', '1455099', 'vortioxetine 10 MG Oral Tablet'),
  scd('1439810', '1455099', 'vortioxetine 20 MG Oral Tablet'),
  // trazodone
  scd('856377', '10737', 'trazodone hydrochloride 50 MG Oral Tablet'),
  scd('856373', '10737', 'trazodone hydrochloride 100 MG Oral Tablet'),
  scd('856364', '10737', 'trazodone hydrochloride 150 MG Oral Tablet'),
  // bupropion
  scd('993503', '42347', '12 HR bupropion hydrochloride 100 MG Extended Release Oral Tablet'),
  scd('993518', '42347', '12 HR bupropion hydrochloride 150 MG Extended Release Oral Tablet'),
  scd('993541', '42347', '24 HR bupropion hydrochloride 150 MG Extended Release Oral Tablet'),
  scd('993536', '42347', '12 HR bupropion hydrochloride 200 MG Extended Release Oral Tablet'),
  scd('993557', '42347', '24 HR bupropion hydrochloride 300 MG Extended Release Oral Tablet'),
  // mirtazapine
  scd('476809', '15996', 'mirtazapine 7.5 MG Oral Tablet'),
  scd('311725', '15996', 'mirtazapine 15 MG Oral Tablet'),
  scd('314111', '15996', 'mirtazapine 30 MG Oral Tablet'),
  scd('311726', '15996', 'mirtazapine 45 MG Oral Tablet'),
  scd('283406', '15996', 'mirtazapine 15 MG Disintegrating Oral Tablet'),
  // nefazodone
  scd('1098649', '31565', 'nefazodone hydrochloride 100 MG Oral Tablet'),
  scd('1098670', '31565', 'nefazodone hydrochloride 200 MG Oral Tablet'),
  // buspirone
  scd('866094', '1827', 'buspirone hydrochloride 5 MG Oral Tablet'),
  scd('866083', '1827', 'buspirone hydrochloride 10 MG Oral Tablet'),
  scd('866018', '1827', 'buspirone hydrochloride 15 MG Oral Tablet'),
  scd('866090', '1827', 'buspirone hydrochloride 30 MG Oral Tablet'),
  // lithium carbonate
  scd('311355', '42351', 'lithium carbonate 150 MG Oral Capsule'),
  scd('197889', '42351', 'lithium carbonate 300 MG Oral Capsule'),
  scd('197891', '42351', 'lithium carbonate 300 MG Extended Release Oral Tablet'),
  scd('197892', '42351', 'lithium carbonate 450 MG Extended Release Oral Tablet'),
  // lorazepam
  scd('197900', '6470', 'lorazepam 0.5 MG Oral Tablet'),
  scd('197901', '6470', 'lorazepam 1 MG Oral Tablet'),
  scd('197902', '6470', 'lorazepam 2 MG Oral Tablet'),
  scd('311376', '6470', 'lorazepam 2 MG/ML Oral Solution'),
  // clonazepam
  scd('197527', '2598', 'clonazepam 0.5 MG Oral Tablet'),
  scd('197528', '2598', 'clonazepam 1 MG Oral Tablet'),
  scd('197529', '2598', 'clonazepam 2 MG Oral Tablet'),
  scd('349198', '2598', 'clonazepam 0.5 MG Disintegrating Oral Tablet'),
  scd('349196', '2598', 'clonazepam 1 MG Disintegrating Oral Tablet'),
  // diazepam
  scd('197590', '3322', 'diazepam 2 MG Oral Tablet'),
  scd('197591', '3322', 'diazepam 5 MG Oral Tablet'),
  scd('197589', '3322', 'diazepam 10 MG Oral Tablet'),
  scd('309843', '3322', 'diazepam 1 MG/ML Oral Solution'),
  // temazepam
  scd('198241', '10355', 'temazepam 15 MG Oral Capsule'),
  scd('198242', '10355', 'temazepam 30 MG Oral Capsule'),
  // chlordiazepoxide
  scd('905516', '2356', 'chlordiazepoxide hydrochloride 5 MG Oral Capsule'),
  scd('905369', '2356', 'chlordiazepoxide hydrochloride 10 MG Oral Capsule'),
  scd('905495', '2356', 'chlordiazepoxide hydrochloride 25 MG Oral Capsule'),
  // clorazepate
  scd('197466', '2353', 'clorazepate dipotassium 7.5 MG Oral Tablet'),
  // oxazepam
  scd('312134', '7781', 'oxazepam 15 MG Oral Capsule'),
  // midazolam
  scd('311700', '6960', 'midazolam 1 MG/ML Injectable Solution'),
  scd('311702', '6960', 'midazolam 5 MG/ML Injectable Solution'),
  scd('2173494', '6960', 'midazolam 50 MG/ML Nasal Spray'),
  // triazolam
  scd('198318', '10767', 'triazolam 0.25 MG Oral Tablet'),
  // clobazam
  scd('199450', '21241', 'clobazam 10 MG Oral Tablet'),
  scd('1366192', '21241', 'clobazam 2.5 MG/ML Oral Suspension'),
  // zolpidem
  scd('854876', '39993', 'zolpidem tartrate 5 MG Oral Tablet'),
  scd('854873', '39993', 'zolpidem tartrate 10 MG Oral Tablet'),
  scd('854894', '39993', 'zolpidem tartrate 6.25 MG Extended Release Oral Tablet'),
  scd('854880', '39993', 'zolpidem tartrate 12.5 MG Extended Release Oral Tablet'),
  // eszopiclone
  scd('485440', '461016', 'eszopiclone 1 MG Oral Tablet'),
  scd('485442', '461016', 'eszopiclone 2 MG Oral Tablet'),
  scd('485465', '461016', 'eszopiclone 3 MG Oral Tablet'),
  // zaleplon
  scd('313761', '74667', 'zaleplon 10 MG Oral Capsule'),
  // ramelteon
  scd('577348', '596205', 'ramelteon 8 MG Oral Tablet'),
  // suvorexant
  scd('1547104', '1547099', 'suvorexant 10 MG Oral Tablet'),
  scd('1547116', '1547099', 'suvorexant 20 MG Oral Tablet'),
  // quetiapine
  scd('312744', '51272', 'quetiapine 25 MG Oral Tablet'),
  scd('616487', '51272', 'quetiapine 50 MG Oral Tablet'),
  scd('312743', '51272', 'quetiapine 100 MG Oral Tablet'),
  scd('317174', '51272', 'quetiapine 200 MG Oral Tablet'),
  scd('312745', '51272', 'quetiapine 300 MG Oral Tablet'),
  scd('853201', '51272', '24 HR quetiapine 50 MG Extended Release Oral Tablet'),
  scd('721794', '51272', '24 HR quetiapine 300 MG Extended Release Oral Tablet'),
  // risperidone
  scd('312829', '35636', 'risperidone 0.5 MG Oral Tablet'),
  scd('312830', '35636', 'risperidone 1 MG Oral Tablet'),
  scd('312831', '35636', 'risperidone 2 MG Oral Tablet'),
  scd('199387', '35636', 'risperidone 1 MG/ML Oral Solution'),
  // olanzapine
  scd('200034', '61381', 'olanzapine 2.5 MG Oral Tablet'),
  scd('312078', '61381', 'olanzapine 5 MG Oral Tablet'),
  scd('314154', '61381', 'olanzapine 10 MG Oral Tablet'),
  scd('312077', '61381', 'olanzapine 15 MG Oral Tablet'),
  scd('283639', '61381', 'olanzapine 20 MG Oral Tablet'),
  // ziprasidone
  scd('314286', '115698', 'ziprasidone 20 MG Oral Capsule'),
  scd('313776', '115698', 'ziprasidone 40 MG Oral Capsule'),
  scd('313777', '115698', 'ziprasidone 60 MG Oral Capsule'),
  scd('313778', '115698', 'ziprasidone 80 MG Oral Capsule'),
  // lurasidone
  scd('1235247', '1040028', 'lurasidone hydrochloride 20 MG Oral Tablet'),
  scd('1040031', '1040028', 'lurasidone hydrochloride 40 MG Oral Tablet'),
  scd('1040041', '1040028', 'lurasidone hydrochloride 80 MG Oral Tablet'),
  // paliperidone
  scd('672567', '679314', '24 HR paliperidone 3 MG Extended Release Oral Tablet'),
  scd('672569', '679314', '24 HR paliperidone 6 MG Extended Release Oral Tablet'),
  scd('672571', '679314', '24 HR paliperidone 9 MG Extended Release Oral Tablet'),
  // clozapine
  scd('197536', '2626', 'clozapine 25 MG Oral Tablet'),
  scd('197535', '2626', 'clozapine 100 MG Oral Tablet'),
  // haloperidol
  scd('310671', '5093', 'haloperidol 1 MG Oral Tablet'),
  scd('314034', '5093', 'haloperidol 2 MG Oral Tablet'),
  scd('310672', '5093', 'haloperidol 5 MG Oral Tablet'),
  scd('204416', '5093', 'haloperidol 5 MG/ML Injectable Solution'),
  // brexpiprazole
  scd('1658331', '1658314', 'brexpiprazole 1 MG Oral Tablet'),
  scd('1658335', '1658314', 'brexpiprazole 2 MG Oral Tablet'),
  scd('1658339', '1658314', 'brexpiprazole 3 MG Oral Tablet'),
  // cariprazine
  scd('1667660', '1667655', 'cariprazine 1.5 MG Oral Capsule'),
  scd('1667668', '1667655', 'cariprazine 3 MG Oral Capsule'),
  scd('1667672', '1667655', 'cariprazine 4.5 MG Oral Capsule'),
  // lamotrigine
  scd('282401', '28439', 'lamotrigine 25 MG Oral Tablet'),
  scd('198427', '28439', 'lamotrigine 100 MG Oral Tablet'),
  scd('198429', '28439', 'lamotrigine 200 MG Oral Tablet'),
  scd('311264', '28439', 'lamotrigine 25 MG Tablet for Oral Suspension'),
  // levetiracetam
  scd('311289', '114477', 'levetiracetam 500 MG Oral Tablet'),
  scd('311290', '114477', 'levetiracetam 750 MG Oral Tablet'),
  scd('387003', '114477', 'levetiracetam 1000 MG Oral Tablet'),
  scd('403884', '114477', 'levetiracetam 100 MG/ML Oral Solution'),
  // topiramate
  scd('199888', '38404', 'topiramate 25 MG Oral Tablet'),
  scd('151226', '38404', 'topiramate 50 MG Oral Tablet'),
  scd('199889', '38404', 'topiramate 100 MG Oral Tablet'),
  // valproate
  scd('1099678', '40254', 'divalproex sodium 250 MG Delayed Release Oral Tablet'),
  scd('1099870', '40254', 'divalproex sodium 500 MG Delayed Release Oral Tablet'),
  scd('1099569', '40254', '24 HR divalproex sodium 500 MG Extended Release Oral Tablet'),
  scd('1099687', '40254', 'valproic acid 50 MG/ML Oral Solution'),
  // carbamazepine
  scd('308979', '2002', 'carbamazepine 200 MG Oral Tablet'),
  scd('308973', '2002', 'carbamazepine 100 MG Chewable Tablet'),
  scd('402505', '2002', '12 HR carbamazepine 200 MG Extended Release Oral Tablet'),
  scd('402506', '2002', '12 HR carbamazepine 400 MG Extended Release Oral Tablet'),
  scd('308976', '2002', 'carbamazepine 20 MG/ML Oral Suspension'),
  // oxcarbazepine
  scd('312136', '32624', 'oxcarbazepine 150 MG Oral Tablet'),
  scd('312137', '32624', 'oxcarbazepine 300 MG Oral Tablet'),
  scd('312138', '32624', 'oxcarbazepine 600 MG Oral Tablet'),
  scd('283536', '32624', 'oxcarbazepine 60 MG/ML Oral Suspension'),
  // phenytoin
  scd('855671', '8183', 'phenytoin sodium 100 MG Extended Release Oral Capsule'),
  scd('1313885', '8183', 'phenytoin 50 MG Chewable Tablet'),
  scd('1313112', '8183', 'phenytoin 25 MG/ML Oral Suspension'),
  // lacosamide
  scd('810000', '623400', 'lacosamide 50 MG Oral Tablet'),
  scd('809987', '623400', 'lacosamide 100 MG Oral Tablet'),
  scd('809996', '623400', 'lacosamide 200 MG Oral Tablet'),
  scd('993856', '623400', 'lacosamide 10 MG/ML Oral Solution'),
  // zonisamide
  scd('403966', '39998', 'zonisamide 25 MG Oral Capsule'),
  scd('314285', '39998', 'zonisamide 100 MG Oral Capsule'),
  // primidone
  scd('198150', '8691', 'primidone 50 MG Oral Tablet'),
  scd('96304', '8691', 'primidone 250 MG Oral Tablet'),
  // phenobarbital
  scd('198086', '8134', 'phenobarbital 16.2 MG Oral Tablet'),
  scd('199167', '8134', 'phenobarbital 32.4 MG Oral Tablet'),
  scd('199168', '8134', 'phenobarbital 64.8 MG Oral Tablet'),
  scd('199164', '8134', 'phenobarbital 97.2 MG Oral Tablet'),
  scd('702519', '8134', 'phenobarbital 4 MG/ML Oral Solution'),
  // dextroamphetamine
  scd('884386', '3288', 'dextroamphetamine sulfate 5 MG Oral Tablet'),
  scd('884385', '3288', 'dextroamphetamine sulfate 10 MG Oral Tablet'),
  scd('884520', '3288', 'dextroamphetamine sulfate 10 MG Extended Release Oral Capsule'),
  scd('884532', '3288', 'dextroamphetamine sulfate 15 MG Extended Release Oral Capsule'),
  // lisdexamfetamine
  scd('854830', '700810', 'lisdexamfetamine dimesylate 20 MG Oral Capsule'),
  scd('854834', '700810', 'lisdexamfetamine dimesylate 30 MG Oral Capsule'),
  scd('854838', '700810', 'lisdexamfetamine dimesylate 40 MG Oral Capsule'),
  scd('854850', '700810', 'lisdexamfetamine dimesylate 50 MG Oral Capsule'),
  // methylphenidate
  scd('1091497', '6901', 'methylphenidate hydrochloride 5 MG Oral Tablet'),
  scd('1091150', '6901', 'methylphenidate hydrochloride 10 MG Oral Tablet'),
  scd('1091392', '6901', 'methylphenidate hydrochloride 20 MG Oral Tablet'),
  scd('1091155', '6901', '24 HR methylphenidate hydrochloride 18 MG Extended Release Oral Tablet'),
  scd('1091185', '6901', '24 HR methylphenidate hydrochloride 36 MG Extended Release Oral Tablet'),
  scd('1091210', '6901', '24 HR methylphenidate hydrochloride 54 MG Extended Release Oral Tablet'),
  // dexmethylphenidate
  scd('899518', '352372', 'dexmethylphenidate hydrochloride 5 MG Oral Tablet'),
  scd('899548', '352372', 'dexmethylphenidate hydrochloride 10 MG Oral Tablet'),
  scd('899439', '352372', '24 HR dexmethylphenidate hydrochloride 10 MG Extended Release Oral Capsule'),
  scd('899485', '352372', '24 HR dexmethylphenidate hydrochloride 20 MG Extended Release Oral Capsule'),
  scd('899495', '352372', '24 HR dexmethylphenidate hydrochloride 30 MG Extended Release Oral Capsule'),
  // methamphetamine
  scd('977860', '6816', 'methamphetamine hydrochloride 5 MG Oral Tablet'),
  // modafinil
  scd('260218', '30125', 'modafinil 100 MG Oral Tablet'),
  scd('205324', '30125', 'modafinil 200 MG Oral Tablet'),
  // phentermine
  scd('803348', '8152', 'phentermine hydrochloride 37.5 MG Oral Capsule'),
  scd('826919', '8152', 'phentermine hydrochloride 8 MG Oral Tablet'),
  scd('803353', '8152', 'phentermine hydrochloride 37.5 MG Oral Tablet'),
  // benzphetamine
  scd('904368', '1422', 'benzphetamine hydrochloride 50 MG Oral Tablet'),
  // diethylpropion
  scd('978654', '3389', 'diethylpropion hydrochloride 25 MG Oral Tablet'),
  // phendimetrazine
  scd('979549', '33272', 'phendimetrazine tartrate 35 MG Oral Tablet'),
  // hydroxyzine
  scd('995218', '5553', 'hydroxyzine hydrochloride 10 MG Oral Tablet'),
  scd('995258', '5553', 'hydroxyzine hydrochloride 25 MG Oral Tablet'),
  scd('995281', '5553', 'hydroxyzine hydrochloride 50 MG Oral Tablet'),
  scd('995253', '5553', 'hydroxyzine pamoate 25 MG Oral Capsule'),
  // donepezil
  scd('997229', '135447', 'donepezil hydrochloride 5 MG Oral Tablet'),
  scd('997223', '135447', 'donepezil hydrochloride 10 MG Oral Tablet'),
  scd('1100184', '135447', 'donepezil hydrochloride 23 MG Oral Tablet'),
  // memantine
  scd('996571', '6719', 'memantine hydrochloride 5 MG Oral Tablet'),
  scd('996561', '6719', 'memantine hydrochloride 10 MG Oral Tablet'),
  scd('996609', '6719', '24 HR memantine hydrochloride 28 MG Extended Release Oral Capsule'),
  // rivastigmine
  scd('312835', '183379', 'rivastigmine 3 MG Oral Capsule'),
  scd('312836', '183379', 'rivastigmine 6 MG Oral Capsule'),
  scd('725021', '183379', '24 HR rivastigmine 0.192 MG/HR Transdermal System'),
  scd('725023', '183379', '24 HR rivastigmine 0.396 MG/HR Transdermal System'),
  // galantamine
  scd('860715', '4637', '24 HR galantamine hydrobromide 8 MG Extended Release Oral Capsule'),
  scd('860695', '4637', '24 HR galantamine hydrobromide 16 MG Extended Release Oral Capsule'),
  scd('860707', '4637', '24 HR galantamine hydrobromide 24 MG Extended Release Oral Capsule'),
  // carbidopa
  scd('260260', '2019', 'carbidopa 25 MG Oral Tablet'),
  // ropinirole
  scd('312845', '72302', 'ropinirole 0.25 MG Oral Tablet'),
  scd('312846', '72302', 'ropinirole 0.5 MG Oral Tablet'),
  scd('314208', '72302', 'ropinirole 1 MG Oral Tablet'),
  scd('312847', '72302', 'ropinirole 2 MG Oral Tablet'),
  // pramipexole
  scd('859033', '746741', 'pramipexole dihydrochloride 0.125 MG Oral Tablet'),
  scd('859040', '746741', 'pramipexole dihydrochloride 0.25 MG Oral Tablet'),
  scd('859044', '746741', 'pramipexole dihydrochloride 0.5 MG Oral Tablet'),
  scd('859052', '746741', 'pramipexole dihydrochloride 1 MG Oral Tablet'),
  // benztropine
  scd('885219', '1424', 'benztropine mesylate 0.5 MG Oral Tablet'),
  scd('885213', '1424', 'benztropine mesylate 1 MG Oral Tablet'),
  // pyridostigmine
  scd('903857', '9000', 'pyridostigmine bromide 60 MG Oral Tablet'),
  scd('903847', '9000', 'pyridostigmine bromide 180 MG Extended Release Oral Tablet'),
  // naloxone
  scd('1725059', '7242', 'naloxone hydrochloride 40 MG/ML Nasal Spray'),
  scd('2540703', '7242', 'naloxone hydrochloride 80 MG/ML Nasal Spray'),
  scd('1191222', '7242', 'naloxone hydrochloride 0.4 MG/ML Injectable Solution'),
  // naltrexone
  scd('1483744', '7243', 'naltrexone hydrochloride 50 MG Oral Tablet'),
  scd('637213', '7243', 'naltrexone 380 MG Injection'),
  // cetirizine
  scd('1014678', '20610', 'cetirizine hydrochloride 10 MG Oral Tablet'),
  scd('1014673', '20610', 'cetirizine hydrochloride 1 MG/ML Oral Solution'),
  // levocetirizine
  scd('855172', '356887', 'levocetirizine dihydrochloride 5 MG Oral Tablet'),
  scd('855168', '356887', 'levocetirizine dihydrochloride 0.5 MG/ML Oral Solution'),
  // loratadine
  scd('311372', '28889', 'loratadine 10 MG Oral Tablet'),
  scd('692783', '28889', 'loratadine 1 MG/ML Oral Solution'),
  // desloratadine
  scd('349420', '275635', 'desloratadine 5 MG Oral Tablet'),
  // fexofenadine
  scd('997488', '87636', 'fexofenadine hydrochloride 30 MG Oral Tablet'),
  scd('997501', '87636', 'fexofenadine hydrochloride 60 MG Oral Tablet'),
  scd('997420', '87636', 'fexofenadine hydrochloride 180 MG Oral Tablet'),
  scd('997491', '87636', 'fexofenadine hydrochloride 6 MG/ML Oral Suspension'),
  // diphenhydramine
  scd('1049909', '3498', 'diphenhydramine hydrochloride 25 MG Oral Capsule'),
  scd('1020477', '3498', 'diphenhydramine hydrochloride 50 MG Oral Capsule'),
  scd('1049906', '3498', 'diphenhydramine hydrochloride 2.5 MG/ML Oral Solution'),
  // olopatadine
  scd('1111339', '135391', 'olopatadine 1 MG/ML Ophthalmic Solution'),
  scd('1111343', '135391', 'olopatadine 2 MG/ML Ophthalmic Solution'),
  scd('1797895', '135391', 'olopatadine hydrochloride 0.665 MG/ACTUAT Metered Dose Nasal Spray'),
  // levalbuterol
  scd('745791', '237159', '200 ACTUAT levalbuterol 0.045 MG/ACTUAT Metered Dose Inhaler'),
  scd('311286', '237159', 'levalbuterol 0.21 MG/ML Inhalation Solution'),
  scd('242754', '237159', 'levalbuterol 0.417 MG/ML Inhalation Solution'),
  // salmeterol
  scd('866048', '36117', '60 ACTUAT salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler'),
  // formoterol
  scd('1246319', '25255', 'formoterol fumarate 0.01 MG/ML Inhalation Solution'),
  // tiotropium
  scd('485032', '69120', 'tiotropium 0.018 MG Inhalation Powder'),
  scd('1552002', '69120', '60 ACTUAT tiotropium 0.0025 MG/ACTUAT Inhalation Spray'),
  scd('1667880', '69120', '60 ACTUAT tiotropium 0.00125 MG/ACTUAT Inhalation Spray'),
  // ipratropium
  scd('836358', '7213', 'ipratropium bromide 0.2 MG/ML Inhalation Solution'),
  scd('836343', '7213', '200 ACTUAT ipratropium bromide 0.017 MG/ACTUAT Metered Dose Inhaler'),
  scd('1797833', '7213', 'ipratropium bromide 0.021 MG/ACTUAT Metered Dose Nasal Spray'),
  scd('1797844', '7213', 'ipratropium bromide 0.042 MG/ACTUAT Metered Dose Nasal Spray'),
  // umeclidinium
  scd('1539251', '1487514', '30 ACTUAT umeclidinium 0.0625 MG/ACTUAT Dry Powder Inhaler'),
  // montelukast
  scd('200224', '88249', 'montelukast 10 MG Oral Tablet'),
  scd('311759', '88249', 'montelukast 4 MG Chewable Tablet'),
  scd('242438', '88249', 'montelukast 5 MG Chewable Tablet'),
  scd('351246', '88249', 'montelukast 4 MG Oral Granules'),
  // zafirlukast
  scd('199655', '114970', 'zafirlukast 20 MG Oral Tablet'),
  // pseudoephedrine
  scd('1049160', '8896', 'pseudoephedrine hydrochloride 30 MG Oral Tablet'),
  scd('1049154', '8896', '12 HR pseudoephedrine hydrochloride 120 MG Extended Release Oral Tablet'),
  // benzonatate
  scd('197397', '18993', 'benzonatate 100 MG Oral Capsule'),
  scd('283417', '18993', 'benzonatate 200 MG Oral Capsule'),
  // guaifenesin
  scd('636522', '5032', '12 HR guaifenesin 600 MG Extended Release Oral Tablet'),
  scd('310621', '5032', '12 HR guaifenesin 1200 MG Extended Release Oral Tablet'),
  scd('310604', '5032', 'guaifenesin 20 MG/ML Oral Solution'),
  // methotrexate
  scd('105585', '6851', 'methotrexate 2.5 MG Oral Tablet'),
  scd('1946772', '6851', 'methotrexate 25 MG/ML Injectable Solution'),
  // mercaptopurine
  scd('197931', '103', 'mercaptopurine 50 MG Oral Tablet'),
  scd('1536484', '103', 'mercaptopurine 20 MG/ML Oral Suspension'),
  // hydroxyurea
  scd('197797', '5552', 'hydroxyurea 500 MG Oral Capsule'),
  // tacrolimus
  scd('313190', '42316', 'tacrolimus 0.5 MG Oral Capsule'),
  scd('198377', '42316', 'tacrolimus 1 MG Oral Capsule'),
  scd('198378', '42316', 'tacrolimus 5 MG Oral Capsule'),
  scd('1664461', '42316', '24 HR tacrolimus 1 MG Extended Release Oral Tablet'),
  scd('314266', '42316', 'tacrolimus 0.001 MG/MG Topical Ointment'),
  scd('198379', '42316', '1 ML tacrolimus 5 MG/ML Injection'),
  // cyclosporine
  scd('835894', '3008', 'cyclosporine, modified 25 MG Oral Capsule'),
  scd('241834', '3008', 'cyclosporine, modified 100 MG Oral Capsule'),
  scd('835886', '3008', 'cyclosporine, modified 100 MG/ML Oral Solution'),
  scd('351291', '3008', 'cyclosporine 0.5 MG/ML Ophthalmic Suspension'),
  // sirolimus
  scd('349208', '35302', 'sirolimus 1 MG Oral Tablet'),
  scd('360110', '35302', 'sirolimus 2 MG Oral Tablet'),
  // everolimus
  scd('977434', '141704', 'everolimus 0.5 MG Oral Tablet'),
  scd('977438', '141704', 'everolimus 0.75 MG Oral Tablet'),
  scd('845507', '141704', 'everolimus 10 MG Oral Tablet'),
  // mycophenolate mofetil
  scd('199058', '68149', 'mycophenolate mofetil 250 MG Oral Capsule'),
  scd('200060', '68149', 'mycophenolate mofetil 500 MG Oral Tablet'),
  scd('311880', '68149', 'mycophenolate mofetil 200 MG/ML Oral Suspension'),
  // hydroxychloroquine
  scd('979092', '5521', 'hydroxychloroquine sulfate 200 MG Oral Tablet'),
  // leflunomide
  scd('205284', '27169', 'leflunomide 10 MG Oral Tablet'),
  scd('205285', '27169', 'leflunomide 20 MG Oral Tablet'),
  // etanercept
  scd('727757', '214555', '1 ML etanercept 50 MG/ML Prefilled Syringe'),
  scd('1653223', '214555', '1 ML etanercept 50 MG/ML Auto-Injector'),
  // epoetin alfa
  scd('239999', '105694', '1 ML epoetin alfa 4000 UNT/ML Injection'),
  scd('1721684', '105694', '1 ML epoetin alfa 10000 UNT/ML Injection'),
  scd('240000', '105694', 'epoetin alfa 10000 UNT/ML Injectable Solution'),
  scd('242706', '105694', '1 ML epoetin alfa 40000 UNT/ML Injection'),
  scd('2047591', '105694', '1 ML epoetin alfa-epbx 10000 UNT/ML Injection'),
  // potassium chloride
  scd('628953', '8591', 'potassium chloride 10 MEQ Extended Release Oral Tablet'),
  scd('198116', '8591', 'potassium chloride 20 MEQ Extended Release Oral Tablet'),
  scd('312515', '8591', 'potassium chloride 1.33 MEQ/ML Oral Solution'),
  scd('1867544', '8591', 'potassium chloride 20 MEQ Powder for Oral Solution'),
  // potassium citrate
  scd('199381', '54993', 'potassium citrate 10 MEQ Extended Release Oral Tablet'),
  scd('898490', '54993', 'potassium citrate 15 MEQ Extended Release Oral Tablet'),
  // ergocalciferol
  scd('1367410', '4018', 'ergocalciferol 1.25 MG Oral Capsule'),
  scd('237723', '4018', 'ergocalciferol 0.2 MG/ML Oral Solution'),
  // cholecalciferol
  scd('199362', '2418', 'cholecalciferol 0.025 MG Oral Tablet'),
  scd('705728', '2418', 'cholecalciferol 1.25 MG Oral Capsule'),
  // calcitriol
  scd('308867', '1894', 'calcitriol 0.00025 MG Oral Capsule'),
  scd('308868', '1894', 'calcitriol 0.0005 MG Oral Capsule'),
  scd('313932', '1894', 'calcitriol 0.001 MG/ML Oral Solution'),
  // vitamin B12
  scd('309594', '11248', 'vitamin B12 1 MG/ML Injectable Solution'),
  scd('309593', '11248', 'vitamin B12 1 MG Oral Tablet'),
  scd('861113', '11248', 'vitamin B12 0.5 MG/ACTUAT Nasal Spray'),
  // folic acid
  scd('310410', '4511', 'folic acid 1 MG Oral Tablet'),
  // ferrous sulfate
  scd('310325', '24947', 'ferrous sulfate 325 MG Oral Tablet'),
  scd('251156', '24947', 'ferrous sulfate 75 MG/ML Oral Solution'),
  // ferrous gluconate
  scd('198630', '24942', 'ferrous gluconate 324 MG Oral Tablet'),
  // calcium carbonate
  scd('282465', '1897', 'calcium carbonate 1250 MG Oral Tablet'),
  scd('308907', '1897', 'calcium carbonate 500 MG Chewable Tablet'),
  scd('308915', '1897', 'calcium carbonate 750 MG Chewable Tablet'),
  // calcium acetate
  scd('359296', '214342', 'calcium acetate 667 MG Oral Capsule'),
  // calcium citrate
  scd('198538', '47613', 'calcium citrate 950 MG Oral Tablet'),
  // magnesium oxide
  scd('198741', '6582', 'magnesium oxide 400 MG Oral Tablet'),
  // sodium bicarbonate
  scd('198861', '36676', 'sodium bicarbonate 650 MG Oral Tablet'),
  // sevelamer
  scd('749206', '214824', 'sevelamer carbonate 800 MG Oral Tablet'),
  scd('861375', '214824', 'sevelamer carbonate 800 MG Powder for Oral Suspension'),
  // cinacalcet
  scd('432402', '407990', 'cinacalcet 30 MG Oral Tablet'),
  scd('432401', '407990', 'cinacalcet 60 MG Oral Tablet'),
  // desmopressin
  scd('849515', '3251', 'desmopressin acetate 0.1 MG Oral Tablet'),
  scd('833008', '3251', 'desmopressin acetate 0.2 MG Oral Tablet'),
  // latanoprost
  scd('314072', '43611', 'latanoprost 0.05 MG/ML Ophthalmic Solution'),
  // bimatoprost
  scd('1009339', '283810', 'bimatoprost 0.1 MG/ML Ophthalmic Solution'),
  scd('308739', '283810', 'bimatoprost 0.3 MG/ML Ophthalmic Solution'),
  // brimonidine
  scd('861208', '134615', 'brimonidine tartrate 1.5 MG/ML Ophthalmic Solution'),
  scd('861200', '134615', 'brimonidine tartrate 2 MG/ML Ophthalmic Solution'),
  // dorzolamide
  scd('310015', '60207', 'dorzolamide 20 MG/ML Ophthalmic Solution'),
  // tobramycin
  scd('313415', '10627', 'tobramycin 3 MG/ML Ophthalmic Solution'),
  scd('313414', '10627', 'tobramycin 0.003 MG/MG Ophthalmic Ointment'),
  // mupirocin
  scd('106346', '42372', 'mupirocin 0.02 MG/MG Topical Ointment'),
  scd('311877', '42372', 'mupirocin 20 MG/ML Topical Cream'),
  // tretinoin
  scd('106302', '10753', 'tretinoin 0.25 MG/ML Topical Cream'),
  scd('106303', '10753', 'tretinoin 0.5 MG/ML Topical Cream'),
  scd('198300', '10753', 'tretinoin 1 MG/ML Topical Cream'),
  // isotretinoin
  scd('197843', '6064', 'isotretinoin 10 MG Oral Capsule'),
  scd('197844', '6064', 'isotretinoin 20 MG Oral Capsule'),
  scd('403930', '6064', 'isotretinoin 30 MG Oral Capsule'),
  scd('197845', '6064', 'isotretinoin 40 MG Oral Capsule'),
  // lidocaine
  scd('1745091', '6387', 'lidocaine 0.05 MG/MG Medicated Patch'),
  scd('1543069', '6387', 'lidocaine 0.05 MG/MG Topical Ointment'),
  scd('1010739', '6387', 'lidocaine hydrochloride 20 MG/ML Mucous Membrane Topical Solution'),
  scd('1010033', '6387', 'lidocaine hydrochloride 10 MG/ML Injectable Solution'),
  // silver sulfadiazine
  scd('106351', '9793', 'silver sulfadiazine 10 MG/ML Topical Cream'),
  // permethrin
  scd('106387', '33199', 'permethrin 50 MG/ML Topical Cream'),
  // ivermectin
  scd('311207', '6069', 'ivermectin 3 MG Oral Tablet'),
  scd('1598068', '6069', 'ivermectin 10 MG/ML Topical Cream'),
  // glucagon
  scd('310497', '4832', 'glucagon (rDNA) 1 MG Injection'),
  scd('2180666', '4832', 'glucagon 3 MG Nasal Powder'),
  scd('2199307', '4832', '0.2 ML glucagon 5 MG/ML Auto-Injector'),
  // epinephrine
  scd('1870230', '3992', 'NDA020800 0.3 ML epinephrine 1 MG/ML Auto-Injector'),
  scd('1870225', '3992', 'NDA020800 0.15 ML epinephrine 1 MG/ML Auto-Injector'),
  scd('1870205', '3992', 'NDA201739 0.3 ML epinephrine 1 MG/ML Auto-Injector'),
  scd('1870232', '3992', 'NDA201739 0.15 ML epinephrine 1 MG/ML Auto-Injector'),
  // varenicline
  scd('636671', '591622', 'varenicline 0.5 MG Oral Tablet'),
  scd('636676', '591622', 'varenicline 1 MG Oral Tablet'),
  // nicotine
  scd('198029', '7407', '24 HR nicotine 0.583 MG/HR Transdermal System'),
  scd('198030', '7407', '24 HR nicotine 0.875 MG/HR Transdermal System'),
  scd('198031', '7407', '24 HR nicotine 0.292 MG/HR Transdermal System'),
  scd('314119', '7407', 'nicotine 2 MG Chewing Gum'),
  scd('311975', '7407', 'nicotine 4 MG Chewing Gum'),
  // phenazopyridine
  scd('1094107', '8120', 'phenazopyridine hydrochloride 100 MG Oral Tablet'),
  scd('1094104', '8120', 'phenazopyridine hydrochloride 200 MG Oral Tablet'),
  // procarbazine
  scd('314167', '8702', 'procarbazine 50 MG Oral Capsule'),
  // irinotecan
  scd('1726324', '51499', '5 ML irinotecan hydrochloride 20 MG/ML Injection'),
  // bosentan
  scd('349253', '75207', 'bosentan 62.5 MG Oral Tablet'),
  scd('656659', '75207', 'bosentan 125 MG Oral Tablet'),
  // rifapentine
  scd('242671', '35617', 'rifapentine 150 MG Oral Tablet'),
  // rifabutin
  scd('198200', '55672', 'rifabutin 150 MG Oral Capsule'),
  // zileuton
  scd('730834', '40575', '12 HR zileuton 600 MG Extended Release Oral Tablet'),
  // methylene blue
  scd('1788984', '6878', '10 ML methylene blue 5 MG/ML Injection'),
  // dupilumab
  scd('1876401', '1876376', '2 ML dupilumab 150 MG/ML Prefilled Syringe'),
  scd('2375327', '1876376', '2 ML dupilumab 150 MG/ML Auto-Injector'),
  scd('2099300', '1876376', '1.14 ML dupilumab 175 MG/ML Prefilled Syringe'),
  // tenofovir disoproxil
  scd('349251', '300195', 'tenofovir disoproxil fumarate 300 MG Oral Tablet'),
  // sulfamethoxazole / trimethoprim
  {
    rxcui: '198335',
    ingredients: ['10180', '10829'],
    name: 'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet',
  },
  {
    rxcui: '198334',
    ingredients: ['10180', '10829'],
    name: 'sulfamethoxazole 400 MG / trimethoprim 80 MG Oral Tablet',
  },
  {
    rxcui: '313134',
    ingredients: ['10180', '10829'],
    name: 'sulfamethoxazole 40 MG/ML / trimethoprim 8 MG/ML Oral Suspension',
  },
  // hydrochlorothiazide / lisinopril
  {
    rxcui: '197885',
    ingredients: ['5487', '29046'],
    name: 'hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet',
  },
  {
    rxcui: '197886',
    ingredients: ['5487', '29046'],
    name: 'hydrochlorothiazide 12.5 MG / lisinopril 20 MG Oral Tablet',
  },
  {
    rxcui: '197887',
    ingredients: ['5487', '29046'],
    name: 'hydrochlorothiazide 25 MG / lisinopril 20 MG Oral Tablet',
  },
  // hydrochlorothiazide / losartan
  {
    rxcui: '979468',
    ingredients: ['5487', '52175'],
    name: 'hydrochlorothiazide 12.5 MG / losartan potassium 50 MG Oral Tablet',
  },
  {
    rxcui: '979464',
    ingredients: ['5487', '52175'],
    name: 'hydrochlorothiazide 12.5 MG / losartan potassium 100 MG Oral Tablet',
  },
  {
    rxcui: '979471',
    ingredients: ['5487', '52175'],
    name: 'hydrochlorothiazide 25 MG / losartan potassium 100 MG Oral Tablet',
  },
  // hydrochlorothiazide / valsartan
  {
    rxcui: '200284',
    ingredients: ['5487', '69749'],
    name: 'hydrochlorothiazide 12.5 MG / valsartan 80 MG Oral Tablet',
  },
  {
    rxcui: '200285',
    ingredients: ['5487', '69749'],
    name: 'hydrochlorothiazide 12.5 MG / valsartan 160 MG Oral Tablet',
  },
  {
    rxcui: '349353',
    ingredients: ['5487', '69749'],
    name: 'hydrochlorothiazide 25 MG / valsartan 160 MG Oral Tablet',
  },
  {
    rxcui: '636042',
    ingredients: ['5487', '69749'],
    name: 'hydrochlorothiazide 12.5 MG / valsartan 320 MG Oral Tablet',
  },
  {
    rxcui: '636045',
    ingredients: ['5487', '69749'],
    name: 'hydrochlorothiazide 25 MG / valsartan 320 MG Oral Tablet',
  },
  // hydrochlorothiazide / triamterene
  {
    rxcui: '310812',
    ingredients: ['5487', '10763'],
    name: 'hydrochlorothiazide 25 MG / triamterene 37.5 MG Oral Tablet',
  },
  {
    rxcui: '198316',
    ingredients: ['5487', '10763'],
    name: 'hydrochlorothiazide 25 MG / triamterene 37.5 MG Oral Capsule',
  },
  {
    rxcui: '310818',
    ingredients: ['5487', '10763'],
    name: 'hydrochlorothiazide 50 MG / triamterene 75 MG Oral Tablet',
  },
  {
    rxcui: '198314',
    ingredients: ['5487', '10763'],
    name: 'hydrochlorothiazide 25 MG / triamterene 50 MG Oral Capsule',
  },
  // bisoprolol / hydrochlorothiazide
  {
    rxcui: '854916',
    ingredients: ['19484', '5487'],
    name: 'bisoprolol fumarate 2.5 MG / hydrochlorothiazide 6.25 MG Oral Tablet',
  },
  {
    rxcui: '854919',
    ingredients: ['19484', '5487'],
    name: 'bisoprolol fumarate 5 MG / hydrochlorothiazide 6.25 MG Oral Tablet',
  },
  {
    rxcui: '854908',
    ingredients: ['19484', '5487'],
    name: 'bisoprolol fumarate 10 MG / hydrochlorothiazide 6.25 MG Oral Tablet',
  },
  // hydrochlorothiazide / olmesartan
  {
    rxcui: '403853',
    ingredients: ['5487', '321064'],
    name: 'hydrochlorothiazide 12.5 MG / olmesartan medoxomil 20 MG Oral Tablet',
  },
  {
    rxcui: '403854',
    ingredients: ['5487', '321064'],
    name: 'hydrochlorothiazide 12.5 MG / olmesartan medoxomil 40 MG Oral Tablet',
  },
  {
    rxcui: '403855',
    ingredients: ['5487', '321064'],
    name: 'hydrochlorothiazide 25 MG / olmesartan medoxomil 40 MG Oral Tablet',
  },
  // sacubitril / valsartan
  {
    rxcui: '1656340',
    ingredients: ['1656328', '69749'],
    name: 'sacubitril 24 MG / valsartan 26 MG Oral Tablet',
  },
  {
    rxcui: '1656349',
    ingredients: ['1656328', '69749'],
    name: 'sacubitril 49 MG / valsartan 51 MG Oral Tablet',
  },
  {
    rxcui: '1656354',
    ingredients: ['1656328', '69749'],
    name: 'sacubitril 97 MG / valsartan 103 MG Oral Tablet',
  },
  // ezetimibe / simvastatin
  {
    rxcui: '476345',
    ingredients: ['341248', '36567'],
    name: 'ezetimibe 10 MG / simvastatin 10 MG Oral Tablet',
  },
  {
    rxcui: '476349',
    ingredients: ['341248', '36567'],
    name: 'ezetimibe 10 MG / simvastatin 20 MG Oral Tablet',
  },
  {
    rxcui: '476350',
    ingredients: ['341248', '36567'],
    name: 'ezetimibe 10 MG / simvastatin 40 MG Oral Tablet',
  },
  // fluticasone / salmeterol
  {
    rxcui: '896184',
    ingredients: ['41126', '36117'],
    name: '60 ACTUAT fluticasone propionate 0.1 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler',
  },
  {
    rxcui: '896209',
    ingredients: ['41126', '36117'],
    name: '60 ACTUAT fluticasone propionate 0.25 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler',
  },
  {
    rxcui: '896228',
    ingredients: ['41126', '36117'],
    name: '60 ACTUAT fluticasone propionate 0.5 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler',
  },
  {
    rxcui: '896236',
    ingredients: ['41126', '36117'],
    name: '120 ACTUAT fluticasone propionate 0.045 MG/ACTUAT / salmeterol 0.021 MG/ACTUAT Metered Dose Inhaler',
  },
  {
    rxcui: '896244',
    ingredients: ['41126', '36117'],
    name: '120 ACTUAT fluticasone propionate 0.115 MG/ACTUAT / salmeterol 0.021 MG/ACTUAT Metered Dose Inhaler',
  },
  {
    rxcui: '896272',
    ingredients: ['41126', '36117'],
    name: '120 ACTUAT fluticasone propionate 0.23 MG/ACTUAT / salmeterol 0.021 MG/ACTUAT Metered Dose Inhaler',
  },
  // budesonide / formoterol
  {
    rxcui: '1246288',
    ingredients: ['19831', '25255'],
    name: '120 ACTUAT budesonide 0.08 MG/ACTUAT / formoterol fumarate 0.0045 MG/ACTUAT Metered Dose Inhaler',
  },
  {
    rxcui: '1246304',
    ingredients: ['19831', '25255'],
    name: '120 ACTUAT budesonide 0.16 MG/ACTUAT / formoterol fumarate 0.0045 MG/ACTUAT Metered Dose Inhaler',
  },
  // fluticasone / vilanterol
  {
    rxcui: '1424889',
    ingredients: ['41126', '1424884'],
    name: '30 ACTUAT fluticasone furoate 0.1 MG/ACTUAT / vilanterol 0.025 MG/ACTUAT Dry Powder Inhaler',
  },
  {
    rxcui: '1648788',
    ingredients: ['41126', '1424884'],
    name: '30 ACTUAT fluticasone furoate 0.2 MG/ACTUAT / vilanterol 0.025 MG/ACTUAT Dry Powder Inhaler',
  },
  // fluticasone / umeclidinium / vilanterol
  {
    rxcui: '1945047',
    ingredients: ['41126', '1487514', '1424884'],
    name: '30 ACTUAT fluticasone furoate 0.1 MG/ACTUAT / umeclidinium 0.0625 MG/ACTUAT / vilanterol 0.025 MG/ACTUAT Dry Powder Inhaler',
  },
  {
    rxcui: '2395774',
    ingredients: ['41126', '1487514', '1424884'],
    name: '30 ACTUAT fluticasone furoate 0.2 MG/ACTUAT / umeclidinium 0.0625 MG/ACTUAT / vilanterol 0.025 MG/ACTUAT Dry Powder Inhaler',
  },
  // carbidopa / levodopa
  { rxcui: '197444', ingredients: ['2019', '6375'], name: 'carbidopa 25 MG / levodopa 100 MG Oral Tablet' },
  { rxcui: '197445', ingredients: ['2019', '6375'], name: 'carbidopa 25 MG / levodopa 250 MG Oral Tablet' },
  {
    rxcui: '308988',
    ingredients: ['2019', '6375'],
    name: 'carbidopa 25 MG / levodopa 100 MG Extended Release Oral Tablet',
  },
  {
    rxcui: '308989',
    ingredients: ['2019', '6375'],
    name: 'carbidopa 50 MG / levodopa 200 MG Extended Release Oral Tablet',
  },
  // buprenorphine / naloxone
  {
    rxcui: '1010604',
    ingredients: ['1819', '7242'],
    name: 'buprenorphine 8 MG / naloxone 2 MG Sublingual Film',
  },
  {
    rxcui: '1010600',
    ingredients: ['1819', '7242'],
    name: 'buprenorphine 2 MG / naloxone 0.5 MG Sublingual Film',
  },
  {
    rxcui: '351267',
    ingredients: ['1819', '7242'],
    name: 'buprenorphine 8 MG / naloxone 2 MG Sublingual Tablet',
  },
  {
    rxcui: '351266',
    ingredients: ['1819', '7242'],
    name: 'buprenorphine 2 MG / naloxone 0.5 MG Sublingual Tablet',
  },
  // metformin / sitagliptin
  {
    rxcui: '861819',
    ingredients: ['6809', '593411'],
    name: 'metformin hydrochloride 500 MG / sitagliptin 50 MG Oral Tablet',
  },
  {
    rxcui: '861769',
    ingredients: ['6809', '593411'],
    name: 'metformin hydrochloride 1000 MG / sitagliptin 50 MG Oral Tablet',
  },
  // glyburide / metformin
  {
    rxcui: '861748',
    ingredients: ['4815', '6809'],
    name: 'glyburide 2.5 MG / metformin hydrochloride 500 MG Oral Tablet',
  },
  {
    rxcui: '861753',
    ingredients: ['4815', '6809'],
    name: 'glyburide 5 MG / metformin hydrochloride 500 MG Oral Tablet',
  },
  // empagliflozin / metformin
  {
    rxcui: '1664326',
    ingredients: ['1545653', '6809'],
    name: 'empagliflozin 5 MG / metformin hydrochloride 1000 MG Oral Tablet',
  },
  {
    rxcui: '1665367',
    ingredients: ['1545653', '6809'],
    name: 'empagliflozin 12.5 MG / metformin hydrochloride 1000 MG Oral Tablet',
  },
  // dapagliflozin / metformin
  {
    rxcui: '1593058',
    ingredients: ['1488564', '6809'],
    name: '24 HR dapagliflozin 10 MG / metformin hydrochloride 1000 MG Extended Release Oral Tablet',
  },
  {
    rxcui: '1593070',
    ingredients: ['1488564', '6809'],
    name: '24 HR dapagliflozin 5 MG / metformin hydrochloride 1000 MG Extended Release Oral Tablet',
  },
  // docusate / sennosides, USP
  {
    rxcui: '998740',
    ingredients: ['82003', '36387'],
    name: 'docusate sodium 50 MG / sennosides, USP 8.6 MG Oral Tablet',
  },
  // ethinyl estradiol / levonorgestrel
  {
    rxcui: '238019',
    ingredients: ['4124', '6373'],
    name: 'ethinyl estradiol 0.03 MG / levonorgestrel 0.15 MG Oral Tablet',
  },
  {
    rxcui: '242297',
    ingredients: ['4124', '6373'],
    name: 'ethinyl estradiol 0.02 MG / levonorgestrel 0.1 MG Oral Tablet',
  },
  // ethinyl estradiol / norethindrone
  {
    rxcui: '312033',
    ingredients: ['4124', '7514'],
    name: 'ethinyl estradiol 0.035 MG / norethindrone 1 MG Oral Tablet',
  },
  {
    rxcui: '310463',
    ingredients: ['4124', '7514'],
    name: 'ethinyl estradiol 0.035 MG / norethindrone 0.5 MG Oral Tablet',
  },
  // ethinyl estradiol / norgestimate
  {
    rxcui: '240128',
    ingredients: ['4124', '31994'],
    name: 'ethinyl estradiol 0.035 MG / norgestimate 0.25 MG Oral Tablet',
  },
  // drospirenone / ethinyl estradiol
  {
    rxcui: '284207',
    ingredients: ['11636', '4124'],
    name: 'drospirenone 3 MG / ethinyl estradiol 0.03 MG Oral Tablet',
  },
  {
    rxcui: '630734',
    ingredients: ['11636', '4124'],
    name: 'drospirenone 3 MG / ethinyl estradiol 0.02 MG Oral Tablet',
  },
  // dextromethorphan / guaifenesin
  {
    rxcui: '1298324',
    ingredients: ['3289', '5032'],
    name: '12 HR dextromethorphan hydrobromide 30 MG / guaifenesin 600 MG Extended Release Oral Tablet',
  },
  // bupropion / naltrexone
  {
    rxcui: '1551468',
    ingredients: ['42347', '7243'],
    name: '12 HR bupropion hydrochloride 90 MG / naltrexone hydrochloride 8 MG Extended Release Oral Tablet',
  },
  // ethinyl estradiol / etonogestrel
  {
    rxcui: '1367436',
    ingredients: ['4124', '14584'],
    name: '21 DAY ethinyl estradiol 0.000625 MG/HR / etonogestrel 0.005 MG/HR Vaginal System',
  },
  // emtricitabine / tenofovir disoproxil
  {
    rxcui: '476556',
    ingredients: ['276237', '300195'],
    name: 'emtricitabine 200 MG / tenofovir disoproxil fumarate 300 MG Oral Tablet',
  },
  // insulin isophane / insulin, regular, human
  {
    rxcui: '311048',
    ingredients: ['1605101', '253182'],
    name: 'insulin isophane, human 70 UNT/ML / insulin, regular, human 30 UNT/ML Injectable Suspension',
  },
  {
    rxcui: '847187',
    ingredients: ['1605101', '253182'],
    name: '3 ML insulin isophane, human 70 UNT/ML / insulin, regular, human 30 UNT/ML Pen Injector',
  },
];
