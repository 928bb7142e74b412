// Where a mention sits in a clinical document: section headers, status cues, and ConText/NegEx-style triggers.
import type { MedicationChange } from './extracted-medication.ts';

/** What a section holds, judged from its header. Only medication sections (and untitled text) yield medications. */
export const SectionKind = {
  Medications: 'medications',
  HospitalCourse: 'hospital-course',
  History: 'history',
  Allergies: 'allergies',
  Problems: 'problems',
  /** Where to pick the medicines up, what was sent to which pharmacy: a second copy of the list, not a list. */
  Logistics: 'logistics',
  /** "Please do NOT take:", "Medicines to avoid": drugs named so that they are not taken. */
  Avoid: 'avoid',
  Other: 'other',
} as const;
export type SectionKind = (typeof SectionKind)[keyof typeof SectionKind];

export interface SectionRule {
  pattern: RegExp;
  kind: SectionKind;
}

/** Header words → section kind; the first rule that matches wins (medication headers are checked first). */
export const SECTION_RULES: readonly SectionRule[] = [
  {
    pattern:
      /\b(?:where to (?:get|pick up) (?:your )?(?:medications?|medicines|prescriptions)|preferred pharmacy|pharmacy information)\b/i,
    kind: 'logistics',
  },
  {
    // "Please do NOT take: ...", "Medicines to avoid": named so they are not taken.
    pattern: /\b(?:do not take|don't take|medicines? to avoid|medications? to avoid|avoid these)\b/i,
    kind: 'avoid',
  },
  {
    // "Past medication trials: fluoxetine (no benefit)": what was tried before, not what is taken now.
    pattern:
      /\b(?:(?:past|previous|prior|failed) (?:medication |med |drug )?trials|medications? (?:previously )?tried)\b/i,
    kind: 'history',
  },
  {
    pattern:
      /\b(?:medications?|medicines?|meds|prescriptions?|rx|what to take|take at home)\b(?!.*\b(?:allerg|hospital meds))/i,
    kind: 'medications',
  },
  {
    pattern:
      /^\s*(?:new|start(?:ed)?|stop(?:ped)?|continued?|change[ds]?|hold|held|discontinued?|resumed?|unchanged|prn|as needed)\b|\b(?:keep taking|continue taking|stop taking|start taking|what (?:we )?changed|changes to your (?:medicines|medications))\b/i,
    kind: 'medications',
  },
  {
    pattern: /\b(?:allerg(?:y|ies)|adverse (?:drug )?reactions?|drug intolerances?|intolerances)\b/i,
    kind: 'allergies',
  },
  // A heading that is only "Summary" (or "Brief summary") tells the stay; "Discharge summary" titles do not match.
  { pattern: /^\s*(?:brief |clinical )?summary\s*$/i, kind: 'hospital-course' },
  {
    pattern:
      /^\s*(?:(?:post-?op(?:erative)?|clinical|hospital) )?course\s*$|\b(?:hospital course|hosp\.? course|course in hospital|ed course|procedures?|hospital meds|treatment in hospital|inpatient only|not for discharge)\b/i,
    kind: 'hospital-course',
  },
  {
    pattern:
      /\b(?:hpi|history of present illness|past medical history|pmh|history|social history|family history)\b/i,
    kind: 'history',
  },
  {
    // "Assessment/Plan", "A/P", "Plan by problem": the plan says what to do with each medicine.
    pattern: /\bplan\b|\ba\/p\b/i,
    kind: 'other',
  },
  {
    pattern:
      /\b(?:diagnos[ie]s|problems?|assessment|impression|active problems|reason for admission|admitted (?:for|with)|chief complaint)\b/i,
    kind: 'problems',
  },
];

export function sectionKindOf(header: string): SectionKind {
  for (const rule of SECTION_RULES) if (rule.pattern.test(header)) return rule.kind;
  return 'other';
}

/** A status said in words somewhere in a header or item; negated forms first ("not to be resumed" is a stop). */
export const STATUS_CUES: ReadonlyArray<{ pattern: RegExp; status: MedicationChange }> = [
  {
    pattern: /\b(?:not to be resumed|do not resume|should stop|to stop|stop taking|no longer take)\b/i,
    status: 'stopped',
  },
  {
    pattern:
      /\bno change\b|\bunchanged\b|\bsame as before\b|\bhome medications?\b|\bkeep taking\b|\bthe same way\b|\b(?:at|on) the same dose\b|\bas (?:you did )?before\b/i,
    status: 'continued',
  },
  {
    pattern: /\bnew medicines?\b|\bnew medications?\b|\bnew (?:this|on|at) (?:admission|discharge)\b/i,
    status: 'new',
  },
  // "hold until INR recheck, then resume": held now, whatever follows the condition (checked last, so it wins).
  {
    pattern:
      /\bhold(?:ing)?\s+(?:until|till|for\s+(?:\d|one|two|three|a\s+(?:day|week)|the\s+next)|while|off|x\s*\d|\d)|\bon hold until\b/i,
    status: 'held',
  },
];

/**
 * Weaker cues, read only when nothing else gave the item a status: "... is new", "on hold since admission",
 * "OK to restart Eliquis on Monday" (held until then).
 */
export const WEAK_STATUS_CUES: ReadonlyArray<{ pattern: RegExp; status: MedicationChange }> = [
  { pattern: /\b(?:is|are) (?:a )?new\b/i, status: 'new' },
  {
    pattern: /\bon hold\b|\b(?:ok(?:ay)? to |may )?restart(?:ing)?\s+(?:\w+\s+)?(?:on|in|after|once|when)\b/i,
    status: 'held',
  },
];

/**
 * Headings that announce prescriptions written at discharge ("Discharge prescriptions", "Prescriptions given
 * today", "Rx:", "Post-operative medications"): what is prescribed there is new unless the item says otherwise.
 * Only headings are read this way; the word "prescription" inside an item says nothing about its status.
 */
export const HEADER_ONLY_CUES: ReadonlyArray<{ pattern: RegExp; status: MedicationChange }> = [
  {
    pattern:
      /\b(?:prescriptions?|prescribed|rx|post-?op(?:erative)?\s+(?:medications?|meds)|post-?procedure\s+(?:medications?|meds))\b/i,
    status: 'new',
  },
];

/**
 * A list of what the patient took before admission ("Home medications (prior to admission)", "Admission
 * medications", "Outpatient meds"): the reference a discharge list is reconciled against. A heading that also
 * says what to do with them ("Resume home medications", "Home medications - no changes") is a discharge list.
 */
export const HOME_LIST_HEADER =
  /\b(?:home\s+(?:medications?|meds|medication list|medicines)|(?:medications?|meds)\s+(?:prior to|before|on)\s+admission|prior to admission|pre-?admission|admission\s+(?:medications?|meds)|outpatient\s+(?:medications?|meds))\b/i;
export const HOME_LIST_ACTION =
  /\b(?:resume[ds]?|continue[ds]?|keep|no changes?|unchanged|same|not to be|stop(?:ped)?|hold|held|new|discontinue[ds]?)\b/i;

/**
 * The writer names the patient's home medicines as a group to go on with ("Resume all home medications",
 * "Keep taking your other medications as before", "Home medications - no changes"). Then a discharge
 * medication listed apart from that group with no status of its own is one the patient did not take before: new.
 */
export const HOME_GROUP_CUE =
  /\b(?:resume|continue|keep taking|go on taking)\s+(?:all\s+)?(?:of\s+)?(?:your|her|his|their|the)?\s*(?:home|other|usual|regular|previous)\s+(?:medications?|meds|medicines)\b|\bhome\s+(?:medications?|meds)\s*[-–—:(,]\s*(?:no changes?|unchanged)\b|\b(?:everything|all) else\b[^.;]{0,40}\b(?:continues?|unchanged|resumes?)\b/i;

/**
 * Before a drug name inside an item: a prescription being written ("Prescriptions given today for ...",
 * "prescribed ...", "Rx for ...") makes it new.
 */
export const PRESCRIBED_CUE =
  /\b(?:prescriptions?\s+(?:given|written|sent)(?:\s+today)?\s+for|(?:day|week|month)'?s'?\s+supply\s+of(?:\s+(?:oral|her|his|the))?|prescribed(?:\s+(?:one|two|three|a|an|\d+))?|rx\s+for)\s*$/i;

/** Right after a drug name (and its strength): "His ramipril was held ...", "lisinopril has been stopped". */
export const AFTER_NAME_STATUS =
  /^\s*(?:[\w.,/%()-]+\s+){0,8}?(?:(?:was|were|is|has been|have been|will be)\s+)?(?<!\b(?:then|until|and)\s+)(held|stopped|discontinued|started|commenced|initiated|added|substituted|increased|decreased|reduced|lowered|changed|resumed|continued|continues|continue|stops|stop|hold)\b/i;

/**
 * A dose change said in words after the name: "increased from 20 mg to 80 mg", "DOSE INCREASED from 2.5 mL",
 * "your dose has been increased", "reduced from 0.25 mg to 0.125 mg".
 */
export const CHANGE_PHRASE =
  /\b(?:increased|decreased|reduced|lowered|raised|titrated(?: up| down)?|adjusted)\s+(?:(?:it|this|them|the dose)\s+)?(?:from|to)\b|\bat (?:a )?(?:lower|higher|reduced|increased|half|double)\s+(?:dose|strength)\b|\bdose\s+(?:has been |was |is )?(?:increased|decreased|reduced|lowered|changed)\b/i;

/**
 * A course with an end ("for 7 days", "x 10 days", "for 3 more days", "through Friday") and no status of its own:
 * a short course started for this illness, so new rather than a home medicine.
 */
export const LIMITED_COURSE =
  /\b(?:for|x|×)\s*(?:\d+|one|two|three|four|five|six|seven|ten|fourteen)\s*(?:more\s+|additional\s+|further\s+)?(?:days?|d|weeks?|wks?)\b|\b(?:\d+|one|two|three|four|five)\s+(?:more|further|additional)\s+days?\b|\bthrough\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d)/i;

/**
 * ConText-style triggers (Harkema et al. 2009, J Biomed Inform 42:839): a drug named after one of these in the same
 * sentence was given in hospital, belongs to the past, or is negated, so it is not a discharge medication.
 */
export const EXCLUDING_TRIGGERS =
  /\b(?:(?:was|were|is|been) (?:given|treated|started|loaded|managed|maintained|placed|receiving)|received|rec'?d|receiving|(?:controlled|anticoagulated|managed|bridged|diuresed|loaded|treated) with|treated (?:with|in)|in the (?:hospital|emergency department|ed|icu)|(?:at|in) hospital|while (?:inpatient|admitted|in (?:the )?hospital)|during (?:the )?(?:procedure|admission|hospitali[sz]ation|stay)|peri-?op(?:erative(?:ly)?)?|post-?operatively|intra-?operatively|while you were (?:here|in)|(?:previously )?failed|converted with|required|on the ward|(?:a )?single dose of|hospital meds|(?:was|were) on|no longer (?:on|taking)|never (?:give|take|use)|(?:already )?contains?|return to the (?:er|ed|emergency)|call 911|previously (?:on|tried|took)|tried|history of|asked about|neither|nor|(?:rash|reaction|intolerance|side effects?) (?:with|to|from|on)|given (?:in|on) (?:the )?(?:department|ed|er|ward|emergency department)|denies|no|not|do not take|avoid|allergic to|instead of)\b/i;

/**
 * A heading for the list the patient goes home with ("Discharge medications", "Meds on D/C", "Your medication
 * list"). An item there without a status of its own, in a document with no home list to compare against, is read
 * as continued: the list is what the patient takes now, and the reconciliation against the pharmacy profile then
 * decides whether it is new to the pharmacy. Such a status is marked as implied (lower confidence).
 */
export const DISCHARGE_LIST_HEADER =
  /\b(?:discharge|d\/c|at (?:the )?home|to be given|go(?:ing)? home|your (?:medications?|medicines|medication list)|medication list|medications? to take|current medications?)\b/i;

/**
 * "Commonly known as: LASIX", "What changed: how much to take": a labelled field of the item above, inside a
 * medication section; neither a heading nor a medication of its own.
 */
export const ITEM_FIELD_LABEL =
  /^[\s\-–—•*]*(?:commonly known as|also known as|known as|brand names?|what changed|why (?:changed|stopped)|reason(?: for (?:change|stopping|use))?|indication|notes?|comments?|last dose(?: given)?|next dose(?: due)?|previously|was|now|prescriber|ordered by|refills?|quantity|qty|disp(?:ense)?)\s*$/i;

/** Trigger scope ends at these (NegEx "termination" terms): a new clause about what to do now. */
export const TRIGGER_TERMINATORS =
  /\b(?:but|however|supply of|transitioned to|switched to|will (?:start|take|continue)|at discharge|discharged? on|now on)\b/i;

/** Words before a drug name inside an item that state its status ("continue her albuterol", "start", "stop taking"). */
export const LEADING_CUE =
  /\b(stop(?:ped)?|discontinue[d]?|d\/c|hold|held|new|start(?:ed)?|begin|transition(?:ed)? to|switch(?:ed)? to|add(?:ed)?|replaced (?:\w+ )?by|change[d]?|increase[d]?|decrease[d]?|continue[ds]?|resume[d]?|keep|remains?)\b(?:\s+(?:taking|using|giving|her|his|him|them|your|the|home|own|on|with|oral|po|iv|sc|inhaled|topical|usual|regular|current))*\s*$/i;

/** NegEx post-triggers: right after the name, these say the drug is not being given ("Entresto is not covered"). */
export const EXCLUDING_AFTER =
  /^[\s,]*(?:infusion|drip|gtt|levels?|trough|concentration)\b|\bnot continued\b|\bgiven (?:iv|im|inpatient)\b|^[\s,]*(?:is|was|were|has|have|had) (?:not|never)\b|\b(?:for|as) (?:history|reference|completeness) only\b|\b(?:was|were) (?:declined|discussed|considered)\b|^[\s,]*(?:not covered|not started|not given|was not)\b|\b(?:was|were) (?:given|administered)\b|\bgiven (?:once|x\s?1|in the (?:ed|er|emergency department|hospital|clinic))\b/i;
