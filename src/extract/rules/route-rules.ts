// Route phrases → route code, with the SNOMED CT concept FHIR uses for Dosage.route (code table as data).

export interface RouteRule {
  pattern: RegExp;
  route: string;
  /** SNOMED CT code from the FHIR R4 "SNOMED CT Route Codes" value set (hl7.org/fhir/R4/valueset-route-codes.html). */
  snomed: string;
  display: string;
}

export const ROUTE_RULES: readonly RouteRule[] = [
  {
    pattern: /\b(?:p\.?o\.?|by mouth|orally|oral|on the tongue|drink)(?![a-z])/i,
    route: 'oral',
    snomed: '26643006',
    display: 'Oral route',
  },
  {
    pattern: /\b(?:s\.?l\.?|sublingual(?:ly)?|under the tongue)(?![a-z])/i,
    route: 'sublingual',
    snomed: '37839007',
    display: 'Sublingual route',
  },
  {
    pattern: /\b(?:s\.?c\.?|s\.?q\.?|subq|sub-q|subcut|subcutaneous(?:ly)?)(?![a-z])/i,
    route: 'subcutaneous',
    snomed: '34206005',
    display: 'Subcutaneous route',
  },
  {
    pattern: /\b(?:i\.?v\.?|intravenous(?:ly)?)(?![a-z])/i,
    route: 'intravenous',
    snomed: '47625008',
    display: 'Intravenous route',
  },
  {
    pattern: /\b(?:i\.?m\.?|intramuscular(?:ly)?)(?![a-z])/i,
    route: 'intramuscular',
    snomed: '78421000',
    display: 'Intramuscular route',
  },
  {
    pattern:
      /\b(?:inhaled|inhalation|by inhalation|via inhaler|inh|into the lungs|neb(?:ulized|ulizer|ulization)?)(?![a-z])/i,
    route: 'inhalation',
    snomed: '447694001',
    display: 'Respiratory tract route',
  },
  {
    pattern: /\b(?:topical(?:ly)?|to skin|apply to)(?![a-z])/i,
    route: 'topical',
    snomed: '6064005',
    display: 'Topical route',
  },
  {
    pattern: /\b(?:p\.?r\.?|rectal(?:ly)?|per rectum)(?![a-z])/i,
    route: 'rectal',
    snomed: '37161004',
    display: 'Rectal route',
  },
  {
    pattern: /\b(?:transdermal(?:ly)?)(?![a-z])/i,
    route: 'transdermal',
    snomed: '45890007',
    display: 'Transdermal route',
  },
  {
    pattern: /\b(?:intranasal(?:ly)?|nasal(?:ly)?|in each nostril|each nostril|nostrils?)(?![a-z])/i,
    route: 'nasal',
    snomed: '46713006',
    display: 'Nasal route',
  },
  {
    pattern: /\b(?:ophthalmic|ou|os|(?:each|both|left|right|affected|surgical|the) eyes?|in eyes?)(?![a-z])/i,
    route: 'ophthalmic',
    snomed: '54485002',
    display: 'Ophthalmic route',
  },
  {
    pattern: /\b(?:otic|(?:each|both|left|right|affected|the) ears?|in ears?)(?![a-z])/i,
    route: 'otic',
    snomed: '10547007',
    display: 'Otic route',
  },
  {
    pattern: /\b(?:vaginal(?:ly)?|per vagina)(?![a-z])/i,
    route: 'vaginal',
    snomed: '16857009',
    display: 'Vaginal route',
  },
];

const BY_ROUTE: ReadonlyMap<string, RouteRule> = new Map(ROUTE_RULES.map((r) => [r.route, r]));

export function routeRule(route: string): RouteRule | undefined {
  return BY_ROUTE.get(route);
}

/** The leftmost route phrase in `text`. */
export function findRoute(text: string): { route: string; index: number; text: string } | undefined {
  let best: { route: string; index: number; text: string } | undefined;
  for (const rule of ROUTE_RULES) {
    const m = rule.pattern.exec(text);
    if (m && (!best || m.index < best.index)) best = { route: rule.route, index: m.index, text: m[0] };
  }
  return best;
}
