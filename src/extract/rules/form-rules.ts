// Dose-form phrases → RxNorm dose form wording, lower case (code table as data; RxNorm "DF" term names).

export interface FormRule {
  pattern: RegExp;
  form: string;
}

/** Longer, more specific forms first; the first rule that matches wins. */
export const FORM_RULES: readonly FormRule[] = [
  {
    pattern: /\bextended[- ]release oral tablet\b|\b(?:er|xr|xl|sr) (?:tab|tablet)s?\b/i,
    form: 'extended release oral tablet',
  },
  {
    pattern: /\bextended[- ]release oral capsule\b|\b(?:er|xr|sr) (?:cap|capsule)s?\b/i,
    form: 'extended release oral capsule',
  },
  {
    pattern: /\bdelayed[- ]release oral (?:tablet|capsule)\b|\b(?:dr|ec) (?:tab|tablet)s?\b/i,
    form: 'delayed release oral tablet',
  },
  { pattern: /\borally disintegrating tablet\b|\bodt\b/i, form: 'disintegrating oral tablet' },
  { pattern: /\bchewable tablet\b/i, form: 'chewable tablet' },
  { pattern: /\boral tablet\b|\btab(?:let)?s?\b/i, form: 'oral tablet' },
  { pattern: /\boral capsule\b|\bcap(?:sule)?s?\b/i, form: 'oral capsule' },
  { pattern: /\binjectable suspension\b/i, form: 'injectable suspension' },
  { pattern: /\binjectable solution\b/i, form: 'injectable solution' },
  { pattern: /\boral suspension\b|\bsuspension\b(?!.*inject)/i, form: 'oral suspension' },
  { pattern: /\bauto-?injector\b/i, form: 'auto-injector' },
  { pattern: /\bprefilled syringe\b/i, form: 'prefilled syringe' },
  { pattern: /\binjection\b/i, form: 'injection' },
  { pattern: /\boral solution\b|\bsyrup\b|\belixir\b/i, form: 'oral solution' },
  { pattern: /\bmetered dose inhaler\b|\binhaler\b|\bhfa\b/i, form: 'metered dose inhaler' },
  { pattern: /\binhalation solution\b|\bnebulizer solution\b/i, form: 'inhalation solution' },
  { pattern: /\bmucosal spray\b/i, form: 'mucosal spray' },
  { pattern: /\bnasal spray\b/i, form: 'nasal spray' },
  { pattern: /\btransdermal system\b|\bpatch\b/i, form: 'transdermal system' },
  { pattern: /\bintrauterine system\b/i, form: 'intrauterine system' },
  { pattern: /\bvaginal system\b|\bvaginal ring\b/i, form: 'vaginal system' },
  { pattern: /\bdrug implant\b|\bimplant\b/i, form: 'drug implant' },
  { pattern: /\bophthalmic solution\b|\beye drops?\b/i, form: 'ophthalmic solution' },
  { pattern: /\btopical cream\b|\bcream\b/i, form: 'topical cream' },
  { pattern: /\btopical ointment\b|\bointment\b/i, form: 'topical ointment' },
  { pattern: /\brectal suppository\b|\bsuppository\b/i, form: 'rectal suppository' },
];

/** The dose form written in `text`, or undefined. */
export function findDoseForm(text: string): string | undefined {
  for (const rule of FORM_RULES) if (rule.pattern.test(text)) return rule.form;
  return undefined;
}
