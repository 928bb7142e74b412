// Where a mention sits in a clinical document: section headers, status cues, and ConText/NegEx-style triggers.
import type { MedicationChange } from './extracted-medication.ts';

/** What a section holds, judged from its header. Only medication sections (and untitled text) yield medications. */
export const SectionKind = {
  Medications: 'medications',
  HospitalCourse: 'hospital-course',
  History: 'history',
  Allergies: 'allergies',
  Problems: 'problems',
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
    pattern: /\b(?:medications?|meds|prescriptions?|rx)\b(?!.*\b(?:allerg|hospital meds))/i,
    kind: 'medications',
  },
  {
    pattern:
      /^\s*(?:new|start(?:ed)?|stop(?:ped)?|continued?|change[ds]?|hold|held|discontinued?|resumed?|unchanged)\b/i,
    kind: 'medications',
  },
  { pattern: /\b(?:allerg(?:y|ies)|adverse reactions?)\b/i, kind: 'allergies' },
  {
    pattern:
      /\b(?:hospital course|course in hospital|ed course|procedures?|hospital meds|treatment in hospital)\b/i,
    kind: 'hospital-course',
  },
  {
    pattern:
      /\b(?:hpi|history of present illness|past medical history|pmh|history|social history|family history)\b/i,
    kind: 'history',
  },
  {
    pattern:
      /\b(?:diagnos[ie]s|problems?|assessment|impression|active problems|reason for admission|chief complaint)\b/i,
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
  { pattern: /\bno change\b|\bunchanged\b|\bsame as before\b|\bhome medications?\b/i, status: 'continued' },
  { pattern: /\bnew medicines?\b|\bnew medications?\b/i, status: 'new' },
];

/**
 * ConText-style triggers (Harkema et al. 2009, J Biomed Inform 42:839): a drug named after one of these in the same
 * sentence was given in hospital, belongs to the past, or is negated, so it is not a discharge medication.
 */
export const EXCLUDING_TRIGGERS =
  /\b(?:(?:was|were|is|been) (?:given|treated|started|loaded|managed|maintained|placed|receiving)|received|receiving|treated (?:with|in)|in the (?:hospital|emergency department|ed|icu)|while (?:inpatient|admitted|in (?:the )?hospital)|during (?:the )?(?:procedure|admission|hospitali[sz]ation|stay)|peri-?operative(?:ly)?|hospital meds|was on|previously (?:on|tried|took)|tried|history of|denies|no|not|do not take|avoid|allergic to|instead of)\b/i;

/** Trigger scope ends at these (NegEx "termination" terms): a new clause about what to do now. */
export const TRIGGER_TERMINATORS =
  /\b(?:but|however|transitioned to|switched to|will (?:start|take|continue)|at discharge|discharged? on|now on)\b/i;

/** Words before a drug name inside an item that state its status ("continue her albuterol", "start", "stop taking"). */
export const LEADING_CUE =
  /\b(stop(?:ped)?|discontinue[d]?|d\/c|hold|held|new|start(?:ed)?|begin|change[d]?|increase[d]?|decrease[d]?|continue[d]?|resume[d]?)\b(?:\s+(?:taking|using|her|his|your|the))*\s*$/i;

/** NegEx post-triggers: right after the name, these say the drug is not being given ("Entresto is not covered"). */
export const EXCLUDING_AFTER =
  /^[\s,]*(?:is|was|were) not\b|^[\s,]*(?:not covered|not started|not given|was not)\b/i;
