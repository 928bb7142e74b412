// Frequency phrases in sigs and discharge lists → a code and administrations per day (code table as data).
import type { ExtractedFrequency } from './extracted-medication.ts';

export interface FrequencyRule {
  pattern: RegExp;
  code: string;
  perDay: number;
}

/** Fixed phrases. Patterns are sticky-free and case-insensitive; the leftmost, then longest, match wins. */
export const FREQUENCY_RULES: readonly FrequencyRule[] = [
  {
    pattern:
      /\b(?:four times (?:a |per |each )?day|four times daily|4 times (?:a |per )?day|4 times daily|4x daily|q\.?i\.?d\.?)(?![a-z])/i,
    code: 'QID',
    perDay: 4,
  },
  {
    pattern:
      /\b(?:three times (?:a |per |each )?day|three times daily|3 times (?:a |per )?day|3 times daily|3x daily|t\.?i\.?d\.?)(?![a-z])/i,
    code: 'TID',
    perDay: 3,
  },
  {
    pattern:
      /\b(?:twice (?:a |per |each )?day|twice daily|two times (?:a |per )?day|two times daily|2 times (?:a |per )?day|2 times daily|2x daily|b\.?i\.?d\.?)(?![a-z])/i,
    code: 'BID',
    perDay: 2,
  },
  { pattern: /\b(?:every other day|q\.?o\.?d\.?)(?![a-z])/i, code: 'QOD', perDay: 0.5 },
  {
    pattern:
      /\b(?:at bedtime|before bed|nightly|every night|each night|at night|q\.?h\.?s\.?|h\.s\.|hs)(?![a-z])/i,
    code: 'QHS',
    perDay: 1,
  },
  {
    pattern: /\b(?:every morning|each morning|in the morning|q\.?a\.?m\.?)(?![a-z])/i,
    code: 'QAM',
    perDay: 1,
  },
  {
    pattern: /\b(?:every evening|each evening|in the evening|q\.?p\.?m\.?)(?![a-z])/i,
    code: 'QPM',
    perDay: 1,
  },
  {
    pattern: /\b(?:once (?:a |per |each )?week|once weekly|weekly|every week|q\s?wk|q\.? ?week)(?![a-z])/i,
    code: 'WEEKLY',
    perDay: 1 / 7,
  },
  {
    pattern:
      /\b(?:once daily|once (?:a |per |each )?day|one time (?:a |per )?day|one time daily|daily|every day|each day|per day|q\.?d\.?|qday|q\.?day)(?![a-z])/i,
    code: 'QD',
    perDay: 1,
  },
];

/** "every 6 hours", "q6h", "q 4-6 hr", "every 4 to 6 hours". */
const INTERVAL_HOURS =
  /\b(?:every|q)\s*(\d{1,2})(?:\s*(?:-|to)\s*(\d{1,2}))?\s*(?:h|hr|hrs|hour|hours)(?![a-z])/i;

/** The leftmost frequency phrase in `text`, with its offset in `text`. */
export function findFrequency(text: string): { frequency: ExtractedFrequency; index: number } | undefined {
  let best: { frequency: ExtractedFrequency; index: number } | undefined;
  const consider = (index: number, frequency: ExtractedFrequency): void => {
    if (
      !best ||
      index < best.index ||
      (index === best.index && frequency.text.length > best.frequency.text.length)
    ) {
      best = { frequency, index };
    }
  };
  for (const rule of FREQUENCY_RULES) {
    const m = rule.pattern.exec(text);
    if (m) consider(m.index, { code: rule.code, perDay: rule.perDay, text: m[0] });
  }
  const interval = INTERVAL_HOURS.exec(text);
  if (interval?.[1]) {
    const low = Number(interval[1]);
    const high = interval[2] === undefined ? undefined : Number(interval[2]);
    if (low > 0) {
      const code = high === undefined ? `Q${low}H` : `Q${low}-${high}H`;
      consider(interval.index, { code, perDay: 24 / low, text: interval[0] });
    }
  }
  return best;
}
