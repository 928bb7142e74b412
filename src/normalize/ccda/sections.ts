// Which section is which: by templateId root (R1.1 and R2.1 share roots; "entries optional" and "entries required"
// forms both listed) or else by the section's LOINC code (C-CDA R2.1 vol. 1 §4; DOMAIN.md).
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { templateRoots } from './ccda-datatypes.ts';

export type SectionKind =
  | 'medications'
  | 'dischargeMedications'
  | 'admissionMedications'
  | 'medicationsAdministered'
  | 'allergies'
  | 'problems'
  | 'results'
  | 'vitals'
  | 'immunizations'
  | 'encounters'
  | 'procedures'
  | 'socialHistory'
  | 'dischargeInstructions'
  | 'planOfTreatment'
  | 'dischargeDiagnosis'
  | 'admissionDiagnosis'
  | 'procedureDiagnosis'
  | 'hospitalCourse'
  | 'healthConcerns'
  | 'goals'
  | 'functionalStatus'
  | 'mentalStatus'
  | 'familyHistory'
  | 'other';

interface SectionDef {
  kind: SectionKind;
  roots: string[];
  loinc: string[];
}

const P = '2.16.840.1.113883.10.20.22.2.';
const DEFS: SectionDef[] = [
  { kind: 'medications', roots: [`${P}1`, `${P}1.1`], loinc: ['10160-0'] },
  { kind: 'dischargeMedications', roots: [`${P}11`, `${P}11.1`], loinc: ['10183-2', '75311-1'] },
  { kind: 'admissionMedications', roots: [`${P}44`], loinc: ['42346-7'] },
  { kind: 'medicationsAdministered', roots: [`${P}38`], loinc: ['29549-3'] },
  { kind: 'allergies', roots: [`${P}6`, `${P}6.1`], loinc: ['48765-2'] },
  { kind: 'problems', roots: [`${P}5`, `${P}5.1`], loinc: ['11450-4'] },
  { kind: 'results', roots: [`${P}3`, `${P}3.1`], loinc: ['30954-2'] },
  { kind: 'vitals', roots: [`${P}4`, `${P}4.1`], loinc: ['8716-3'] },
  { kind: 'immunizations', roots: [`${P}2`, `${P}2.1`], loinc: ['11369-6'] },
  { kind: 'encounters', roots: [`${P}22`, `${P}22.1`], loinc: ['46240-8'] },
  { kind: 'procedures', roots: [`${P}7`, `${P}7.1`], loinc: ['47519-4'] },
  { kind: 'socialHistory', roots: [`${P}17`], loinc: ['29762-2'] },
  { kind: 'dischargeInstructions', roots: [`${P}41`], loinc: ['8653-8'] },
  { kind: 'planOfTreatment', roots: [`${P}10`], loinc: ['18776-5'] },
  { kind: 'dischargeDiagnosis', roots: [`${P}24`], loinc: ['11535-2', '78375-3'] },
  { kind: 'admissionDiagnosis', roots: [`${P}43`], loinc: ['46241-6', '42347-5'] },
  {
    kind: 'procedureDiagnosis',
    roots: [`${P}34`, `${P}35`, `${P}36`],
    loinc: ['10219-4', '10218-6', '59768-2'],
  },
  { kind: 'hospitalCourse', roots: ['1.3.6.1.4.1.19376.1.5.3.1.3.5'], loinc: ['8648-8'] },
  { kind: 'healthConcerns', roots: [`${P}58`], loinc: ['75310-3'] },
  { kind: 'goals', roots: [`${P}60`], loinc: ['61146-7'] },
  { kind: 'functionalStatus', roots: [`${P}14`], loinc: ['47420-5'] },
  { kind: 'mentalStatus', roots: [`${P}56`], loinc: ['10190-7'] },
  { kind: 'familyHistory', roots: [`${P}15`], loinc: ['10157-6'] },
];
const BY_ROOT = new Map(DEFS.flatMap((d) => d.roots.map((r) => [r, d.kind] as const)));
const BY_LOINC = new Map(DEFS.flatMap((d) => d.loinc.map((c) => [c, d.kind] as const)));

export function sectionKind(section: XmlElement): SectionKind {
  for (const r of templateRoots(section)) {
    const k = BY_ROOT.get(r);
    if (k) return k;
  }
  const code = section.child('code')?.attr('code');
  return (code && BY_LOINC.get(code)) || 'other';
}

/** Sections whose narrative the free-text extractor can read for medications, allergies and problems. */
export const NARRATIVE_KINDS: ReadonlySet<SectionKind> = new Set<SectionKind>([
  'medications',
  'dischargeMedications',
  'admissionMedications',
  'allergies',
  'problems',
  'dischargeInstructions',
  'planOfTreatment',
  'dischargeDiagnosis',
  'admissionDiagnosis',
  'hospitalCourse',
]);

/** One item of a section's narrative: a table row, list item or paragraph, with the IDs inside it. */
export interface NarrativeItem {
  text: string;
  ids: string[];
}

const BLOCKS = new Set(['tr', 'item', 'paragraph', 'caption']);

/** The narrative as items (rows, list items, paragraphs); header rows are left out. */
export function narrativeItems(text: XmlElement | undefined): NarrativeItem[] {
  if (!text) return [];
  const items: NarrativeItem[] = [];
  const visit = (el: XmlElement, inHead: boolean): void => {
    if (el.name === 'thead') return;
    const nestedBlock = el
      .elements()
      .some((c) => BLOCKS.has(c.name) || c.name === 'list' || c.name === 'table' || hasBlock(c));
    if (BLOCKS.has(el.name) && !nestedBlock) {
      const ids: string[] = [];
      el.walk((e) => {
        const id = e.attr('ID');
        if (id) ids.push(id);
      });
      const cells =
        el.name === 'tr'
          ? el
              .elements()
              .map((c) => cellText(c))
              .filter((s) => s !== '')
          : [cellText(el)];
      const line = cells.join('; ');
      if (line !== '' && !inHead) items.push({ text: line, ids });
      return;
    }
    let loose = '';
    for (const c of el.children) {
      if (typeof c === 'string') loose += c;
      else if (BLOCKS.has(c.name) || c.name === 'list' || c.name === 'table' || hasBlock(c)) visit(c, inHead);
      else loose += ` ${c.rawText()} `;
    }
    const rest = loose.replace(/\s+/g, ' ').trim();
    if (rest !== '') {
      const ids: string[] = [];
      if (el.attr('ID')) ids.push(el.attr('ID')!);
      items.push({ text: rest, ids });
    }
  };
  visit(text, false);
  return items;
}

function hasBlock(el: XmlElement): boolean {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (BLOCKS.has(c.name) || c.name === 'list' || c.name === 'table' || hasBlock(c)) return true;
  }
  return false;
}

function cellText(el: XmlElement): string {
  // <br/> separates lines inside a cell.
  let out = '';
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (typeof c === 'string') out += c;
      else if (c.name === 'br') out += ' ';
      else walk(c);
    }
  };
  walk(el);
  return out.replace(/\s+/g, ' ').trim();
}
