// What an entry mapper is told about where it is: its XPath-like location and its section.
import type { Ref as Reference } from './ccda-run.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import type { CcdaRun } from './ccda-run.ts';
import type { SectionKind } from './sections.ts';

export interface EntryContext {
  /** `/ClinicalDocument/component/structuredBody/component[3]/section/entry[2]/substanceAdministration`. */
  path: string;
  section: SectionKind;
  sectionElement: XmlElement;
}

/** An entry mapper: pure apart from adding resources to the run; returns the references it created. */
export type EntryMapper = (run: CcdaRun, statement: XmlElement, at: EntryContext) => Reference[];

/** entryRelationship children holding a statement with this template root, with their paths. */
export function related(
  el: XmlElement,
  path: string,
  templateRoot: string,
): { el: XmlElement; path: string; typeCode: string }[] {
  const out: { el: XmlElement; path: string; typeCode: string }[] = [];
  let i = 0;
  for (const rel of el.elements('entryRelationship')) {
    i++;
    for (const st of rel.children) {
      if (typeof st === 'string') continue;
      if (st.elements('templateId').some((t) => t.attr('root') === templateRoot))
        out.push({
          el: st,
          path: `${path}/entryRelationship[${i}]/${st.name}`,
          typeCode: rel.attr('typeCode') ?? '',
        });
    }
  }
  return out;
}

/** The first value child's code, e.g. a status observation's `value code="55561003"`. */
export function valueCode(el: XmlElement | undefined): string | undefined {
  return el?.child('value')?.attr('code');
}
