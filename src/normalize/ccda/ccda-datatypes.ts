// HL7 v3 data types as C-CDA writes them (CD, II, TS, IVL_TS, PQ, ...) -> FHIR R4 data types.
import type { CodeableConcept, Coding, Identifier, Period, Quantity } from '@medplum/fhirtypes';
import { CodeSystem } from '../../kernel/code-map.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import type { CcdaRun } from './ccda-run.ts';

/** Code system OIDs used in C-CDA -> FHIR system URIs (C-CDA R2.1 vol. 2 value sets; FHIR R4 terminology pages). */
const OID_SYSTEM: Record<string, string> = {
  '2.16.840.1.113883.6.88': CodeSystem.RxNorm,
  '2.16.840.1.113883.6.96': CodeSystem.Snomed,
  '2.16.840.1.113883.6.1': CodeSystem.Loinc,
  '2.16.840.1.113883.6.90': CodeSystem.Icd10Cm,
  '2.16.840.1.113883.6.103': 'http://hl7.org/fhir/sid/icd-9-cm',
  '2.16.840.1.113883.6.104': 'http://hl7.org/fhir/sid/icd-9-cm',
  '2.16.840.1.113883.12.292': CodeSystem.Cvx,
  '2.16.840.1.113883.6.69': CodeSystem.Ndc,
  '2.16.840.1.113883.4.9': 'http://fdasis.nlm.nih.gov',
  '2.16.840.1.113883.6.12': 'http://www.ama-assn.org/go/cpt',
  '2.16.840.1.113883.6.285': 'urn:oid:2.16.840.1.113883.6.285',
  '2.16.840.1.113883.6.8': CodeSystem.Ucum,
  '2.16.840.1.113883.5.4': 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  '2.16.840.1.113883.5.1': 'http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender',
  '2.16.840.1.113883.5.83': 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  '2.16.840.1.113883.5.8': 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  '2.16.840.1.113883.5.1063': 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  '2.16.840.1.113883.5.111': 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  '2.16.840.1.113883.5.112': 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration',
  '2.16.840.1.113883.5.85': 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm',
  '2.16.840.1.113883.5.139': 'http://terminology.hl7.org/CodeSystem/v3-TimingEvent',
  '2.16.840.1.113883.6.238': 'urn:oid:2.16.840.1.113883.6.238',
  '2.16.840.1.113883.6.101': 'http://nucc.org/provider-taxonomy',
  '2.16.840.1.113883.3.26.1.1': 'http://ncimeta.nci.nih.gov',
};

export function systemOf(oid: string | undefined): string | undefined {
  if (!oid) return undefined;
  return OID_SYSTEM[oid] ?? `urn:oid:${oid}`;
}

/** One coding from a CD/CE element's attributes, or undefined when it has no code. */
function codingOf(el: XmlElement): Coding | undefined {
  const code = el.attr('code')?.trim();
  if (!code) return undefined;
  const coding: Coding = { code };
  const system = systemOf(el.attr('codeSystem'));
  if (system) coding.system = system;
  const display = el.attr('displayName')?.trim();
  if (display) coding.display = display;
  return coding;
}

/**
 * CD/CE/CV -> CodeableConcept: the code, then its translations (NDC, ICD-10, ...), text from originalText
 * (its own words, or the narrative it points at with `reference value="#id"`), else the display name.
 */
export function concept(
  run: CcdaRun,
  el: XmlElement | undefined,
  where: string,
): CodeableConcept | undefined {
  if (!el) return undefined;
  const coding: Coding[] = [];
  const main = codingOf(el);
  if (main) coding.push(main);
  for (const t of el.elements('translation')) {
    const c = codingOf(t);
    if (c && !coding.some((x) => x.system === c.system && x.code === c.code)) coding.push(c);
  }
  const text = originalText(run, el.child('originalText'), `${where}/originalText`);
  if (coding.length === 0 && !text) {
    const nf = el.attr('nullFlavor');
    if (nf) run.nullFlavor(where, nf);
    return undefined;
  }
  const cc: CodeableConcept = {};
  if (coding.length > 0) cc.coding = coding;
  const words = text ?? main?.display;
  if (words) cc.text = words;
  return cc;
}

/** originalText / text: its own words, or the narrative element its `reference` names; warns when unresolved. */
export function originalText(run: CcdaRun, el: XmlElement | undefined, where: string): string | undefined {
  if (!el) return undefined;
  const ref = el.child('reference')?.attr('value');
  if (ref) {
    const resolved = run.narrative(ref);
    if (resolved !== undefined && resolved !== '') return resolved;
    const other = resolved === undefined ? run.narrativeIdIgnoringCase(ref) : undefined;
    const loose = other ? run.narrative(other) : undefined;
    if (loose) {
      run.warn(
        'value',
        `${where}/reference`,
        `narrative reference ${ref} names ID ${other} only if letter case is ignored; used it`,
      );
      return loose;
    }
    run.warn(
      'not-found',
      `${where}/reference`,
      `narrative reference ${ref} does not resolve to any element ID`,
    );
  }
  let own = '';
  for (const c of el.children) if (typeof c === 'string') own += c;
  own = own.replace(/\s+/g, ' ').trim();
  return own === '' ? undefined : own;
}

/** The narrative ids an element points at through `originalText/reference` or `text/reference`. */
export function referencedIds(el: XmlElement, out: Set<string>): void {
  el.walk((e) => {
    if (e.name === 'reference') {
      const v = e.attr('value');
      if (v?.startsWith('#')) out.add(v.slice(1));
    }
  });
}

/** TS (`YYYYMMDDHHMMSS.UUUU±ZZZZ`, any precision) -> FHIR date or dateTime; undefined when not a valid date. */
export function fhirDateTime(ts: string | undefined): string | undefined {
  if (!ts) return undefined;
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d+))?([+-]\d{4}|Z)?$/.exec(ts.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if (mo && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
  if (d && (Number(d) < 1 || Number(d) > 31)) return undefined;
  if (!mo) return y;
  if (!d) return `${y}-${mo}`;
  if (!h) return `${y}-${mo}-${d}`;
  // FHIR dateTime with a time needs an offset; a time without one is kept to the day rather than guessed.
  const zone = tz === undefined ? undefined : tz === 'Z' ? 'Z' : `${tz.slice(0, 3)}:${tz.slice(3)}`;
  if (!zone) return `${y}-${mo}-${d}`;
  const sec = s ?? '00';
  return `${y}-${mo}-${d}T${h}:${mi ?? '00'}:${sec}${frac ? `.${frac}` : ''}${zone}`;
}

/** The date of an element: its `value`, or else its `low` (an IVL_TS given where a point is expected). */
export function pointOf(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  return (
    fhirDateTime(el.attr('value')) ??
    fhirDateTime(el.child('low')?.attr('value')) ??
    fhirDateTime(el.child('center')?.attr('value'))
  );
}

/** IVL_TS -> Period (a bare `value` is a period of one moment). */
export function periodOf(el: XmlElement | undefined): Period | undefined {
  if (!el) return undefined;
  const p: Period = {};
  const value = fhirDateTime(el.attr('value'));
  const low = fhirDateTime(el.child('low')?.attr('value')) ?? value;
  const high =
    fhirDateTime(el.child('high')?.attr('value')) ?? (value && !el.child('low') ? value : undefined);
  if (low) p.start = low;
  if (high) p.end = high;
  return p.start || p.end ? p : undefined;
}

/** PQ -> Quantity; units are UCUM in C-CDA (`unit="1"` is a count: no unit). */
export function quantityOf(el: XmlElement | undefined): Quantity | undefined {
  if (!el) return undefined;
  const raw = el.attr('value');
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) return undefined;
  const q: Quantity = { value };
  const unit = el.attr('unit');
  if (unit && unit !== '1') {
    q.unit = unit;
    q.system = CodeSystem.Ucum;
    q.code = unit;
  }
  return q;
}

/** II -> Identifier: root alone is itself the identifier (a UUID or OID); root + extension is namespace + value. */
export function identifierOf(el: XmlElement | undefined): Identifier | undefined {
  if (!el || el.attr('nullFlavor')) return undefined;
  const root = el.attr('root')?.trim();
  const ext = el.attr('extension')?.trim();
  if (!root) return ext ? { value: ext } : undefined;
  if (ext) return { system: /^[0-2](\.\d+)+$/.test(root) ? `urn:oid:${root}` : root, value: ext };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(root))
    return { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${root.toLowerCase()}` };
  return { system: 'urn:ietf:rfc:3986', value: `urn:oid:${root}` };
}

/** The `root|extension` key of an II, for ids and de-duplication. */
export function iiKey(el: XmlElement | undefined): string | undefined {
  if (!el || el.attr('nullFlavor')) return undefined;
  const root = el.attr('root') ?? '';
  const ext = el.attr('extension') ?? '';
  return root === '' && ext === '' ? undefined : `${root}|${ext}`;
}

/** templateId roots of an element (extension ignored: R1.1 and R2.1 share roots). */
export function templateRoots(el: XmlElement): string[] {
  const out: string[] = [];
  for (const t of el.children)
    if (typeof t !== 'string' && t.name === 'templateId') {
      const r = t.attr('root');
      if (r) out.push(r);
    }
  return out;
}

export function hasTemplate(el: XmlElement, root: string): boolean {
  return templateRoots(el).includes(root);
}
