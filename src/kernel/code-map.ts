// Code tables as data: one mapping from a source code system to a target system.

export interface CodeMapRow {
  from: string;
  to: string;
  display: string;
}

export interface CodeMap {
  readonly name: string;
  readonly system: string;
  lookup(code: string): CodeMapRow | undefined;
  readonly rows: readonly CodeMapRow[];
}

export function codeMap(name: string, system: string, rows: readonly CodeMapRow[]): CodeMap {
  const byCode = new Map(rows.map((r) => [r.from.toUpperCase(), r]));
  return {
    name,
    system,
    rows,
    lookup: (code) => byCode.get(code.trim().toUpperCase()),
  };
}

export const CodeSystem = {
  RxNorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  Ndc: 'http://hl7.org/fhir/sid/ndc',
  Snomed: 'http://snomed.info/sct',
  Loinc: 'http://loinc.org',
  Icd10Cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  Cvx: 'http://hl7.org/fhir/sid/cvx',
  Ucum: 'http://unitsofmeasure.org',
  V2_0203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
} as const;
