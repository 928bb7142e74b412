// C-CDA (R1.1 / R2.1) XML -> FHIR R4 Bundle: safe parse, header, each section's entries by template, Provenance per
// entry, coverage per document, and the narrative the entries do not account for (for the free-text extractor).
import type {
  Attachment,
  Bundle,
  BundleEntry,
  Composition,
  CompositionSection,
  DocumentReference,
  Provenance,
} from '@medplum/fhirtypes';
import type { Ref as Reference } from './ccda-run.ts';
import { parseSafeXml } from '../../inbound/ccda/xml/safe-xml.ts';
import type { XmlLimits } from '../../inbound/ccda/xml/safe-xml.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { sha256Hex, stableId } from '../../kernel/ids.ts';
import type { Issue, Result } from '../../kernel/result.ts';
import { errorIssue, fail, ok } from '../../kernel/result.ts';
import {
  concept,
  fhirDateTime,
  iiKey,
  identifierOf,
  referencedIds,
  templateRoots,
} from './ccda-datatypes.ts';
import type { CcdaCoverage, CcdaMapContext, CcdaSectionCoverage, NarrativeGap } from './ccda-run.ts';
import { CcdaRun } from './ccda-run.ts';
import type { EntryContext } from './entry-context.ts';
import { related } from './entry-context.ts';
import {
  ALLERGY_CONCERN,
  ALLERGY_OBSERVATION,
  mapAllergyConcern,
  mapAllergyObservation,
} from './map-allergies.ts';
import { mapEncounter, mapPlannedService, mapProcedure } from './map-encounters.ts';
import { mapAssigned, mapEncompassingEncounter, mapOrganization, mapPatient } from './map-header.ts';
import { IMMUNIZATION_ACTIVITY, mapImmunization } from './map-immunizations.ts';
import { DISCHARGE_MEDICATION, MEDICATION_ACTIVITY, mapMedicationActivity } from './map-medications.ts';
import {
  PROBLEM_CONCERN,
  PROBLEM_OBSERVATION,
  mapProblemAct,
  mapProblemObservation,
} from './map-problems.ts';
import { mapObservation, mapOrganizer } from './map-results.ts';
import { mapFamilyHistory, mapGoal, mapHealthConcern } from './map-care-plan.ts';
import type { SectionKind } from './sections.ts';
import { NARRATIVE_KINDS, narrativeItems, sectionKind } from './sections.ts';

export type { CcdaCoverage, CcdaMapContext, NarrativeGap } from './ccda-run.ts';

export interface CcdaConversion {
  bundle: Bundle;
  coverage: CcdaCoverage;
  /** Narrative not accounted for by entries; the extract stage reads it (see extract/ccda-narrative.ts). */
  gaps: NarrativeGap[];
  /** The patient and document the gaps belong to, for resources made from them. */
  patient?: Reference;
  documentKey: string;
}

/** Provenance extension: where in the document an entry was (an XPath). */
export const SOURCE_LOCATION_URL = 'https://rxbridge.dev/fhir/StructureDefinition/source-location';

const E = '2.16.840.1.113883.10.20.22.4.';
const T = {
  dischargeDiagnosis: `${E}33`,
  admissionDiagnosis: `${E}34`,
  encounterDiagnosis: `${E}80`,
  preoperativeDiagnosis: `${E}65`,
  postoperativeDiagnosis: `${E}51`,
  resultOrganizer: `${E}1`,
  resultObservation: `${E}2`,
  vitalsOrganizer: `${E}26`,
  vitalObservation: `${E}27`,
  encounter: `${E}49`,
  procedure: `${E}14`,
  procedureAct: `${E}12`,
  procedureObservation: `${E}13`,
  smoking: `${E}78`,
  social: `${E}38`,
  tobacco: `${E}85`,
  birthSex: `${E}200`,
  plannedProcedure: `${E}41`,
  plannedAct: `${E}39`,
  plannedObservation: `${E}44`,
  plannedEncounter: `${E}40`,
  plannedMedication: `${E}42`,
  plannedImmunization: `${E}120`,
  instruction: `${E}20`,
  healthConcern: `${E}132`,
  goal: `${E}121`,
  familyHistory: `${E}45`,
  functionalOrganizer: `${E}66`,
  mentalOrganizer: `${E}75`,
  statusObservations: [
    `${E}67`,
    `${E}68`,
    `${E}69`,
    `${E}73`,
    `${E}74`,
    `${E}5`,
    `${E}72`,
    `${E}127`,
    `${E}128`,
  ],
};

const SOCIAL = { code: 'social-history', display: 'Social History' };
const VITALS = { code: 'vital-signs', display: 'Vital Signs' };
const LAB = { code: 'laboratory', display: 'Laboratory' };
const SURVEY = { code: 'survey', display: 'Survey' };

/** Picks the mapper for one clinical statement by its templates, else by its element and section. */
function mapStatement(run: CcdaRun, st: XmlElement, at: EntryContext): Reference[] | undefined {
  const roots = templateRoots(st);
  const has = (r: string): boolean => roots.includes(r);
  const mood = st.attr('moodCode') ?? 'EVN';
  const planned = mood !== 'EVN';
  const asRequest = (): boolean =>
    at.section === 'dischargeMedications' ||
    at.section === 'planOfTreatment' ||
    mood === 'RQO' ||
    mood === 'PRP';
  if (has(DISCHARGE_MEDICATION))
    return related(st, at.path, MEDICATION_ACTIVITY).flatMap((m) =>
      mapMedicationActivity(run, m.el, { ...at, section: 'dischargeMedications', path: m.path }, true),
    );
  if (has(MEDICATION_ACTIVITY) || has(T.plannedMedication))
    return mapMedicationActivity(run, st, at, asRequest() || has(T.plannedMedication));
  if (has(IMMUNIZATION_ACTIVITY)) return mapImmunization(run, st, at);
  if (has(ALLERGY_CONCERN)) return mapAllergyConcern(run, st, at);
  if (has(ALLERGY_OBSERVATION)) return mapAllergyObservation(run, st, at, undefined);
  if (
    has(PROBLEM_CONCERN) ||
    has(T.dischargeDiagnosis) ||
    has(T.admissionDiagnosis) ||
    has(T.encounterDiagnosis) ||
    has(T.preoperativeDiagnosis) ||
    has(T.postoperativeDiagnosis)
  )
    return mapProblemAct(run, st, at);
  if (has(PROBLEM_OBSERVATION)) return mapProblemObservation(run, st, at, undefined);
  if (has(T.resultOrganizer)) return mapOrganizer(run, st, at, 'laboratory');
  if (has(T.vitalsOrganizer)) return mapOrganizer(run, st, at, 'vital-signs');
  if (has(T.resultObservation)) return mapObservation(run, st, at, LAB);
  if (has(T.vitalObservation)) return mapObservation(run, st, at, VITALS);
  if (has(T.encounter)) return mapEncounter(run, st, at);
  if (has(T.plannedProcedure) || has(T.plannedAct) || has(T.plannedObservation) || has(T.plannedEncounter))
    return mapPlannedService(run, st, at);
  if (has(T.procedure) || has(T.procedureAct) || has(T.procedureObservation))
    return planned ? mapPlannedService(run, st, at) : mapProcedure(run, st, at);
  if (has(T.smoking) || has(T.social) || has(T.tobacco) || has(T.birthSex))
    return mapObservation(run, st, at, SOCIAL);
  if (has(T.healthConcern)) return mapHealthConcern(run, st, at);
  if (has(T.goal)) return mapGoal(run, st, at);
  if (has(T.familyHistory)) return mapFamilyHistory(run, st, at);
  if (has(T.functionalOrganizer) || has(T.mentalOrganizer)) return mapOrganizer(run, st, at, 'survey');
  if (T.statusObservations.some(has)) return mapObservation(run, st, at, SURVEY);
  // No template we know: go by the element and the section it sits in (vendors leave templateIds out).
  const byKind: Partial<Record<SectionKind, () => Reference[] | undefined>> = {
    medications: () =>
      st.name === 'substanceAdministration' ? mapMedicationActivity(run, st, at, false) : undefined,
    dischargeMedications: () =>
      st.name === 'substanceAdministration' ? mapMedicationActivity(run, st, at, true) : undefined,
    allergies: () =>
      st.name === 'act'
        ? mapAllergyConcern(run, st, at)
        : st.name === 'observation'
          ? mapAllergyObservation(run, st, at, undefined)
          : undefined,
    problems: () =>
      st.name === 'act'
        ? mapProblemAct(run, st, at)
        : st.name === 'observation'
          ? mapProblemObservation(run, st, at, undefined)
          : undefined,
    results: () =>
      st.name === 'organizer'
        ? mapOrganizer(run, st, at, 'laboratory')
        : st.name === 'observation'
          ? mapObservation(run, st, at, LAB)
          : undefined,
    vitals: () =>
      st.name === 'organizer'
        ? mapOrganizer(run, st, at, 'vital-signs')
        : st.name === 'observation'
          ? mapObservation(run, st, at, VITALS)
          : undefined,
    immunizations: () => (st.name === 'substanceAdministration' ? mapImmunization(run, st, at) : undefined),
    encounters: () => (st.name === 'encounter' ? mapEncounter(run, st, at) : undefined),
    procedures: () =>
      ['procedure', 'act', 'observation'].includes(st.name)
        ? planned
          ? mapPlannedService(run, st, at)
          : mapProcedure(run, st, at)
        : undefined,
    socialHistory: () => (st.name === 'observation' ? mapObservation(run, st, at, SOCIAL) : undefined),
    planOfTreatment: () =>
      st.name === 'substanceAdministration'
        ? mapMedicationActivity(run, st, at, true)
        : ['act', 'observation', 'procedure', 'encounter'].includes(st.name) && !has(T.instruction)
          ? mapPlannedService(run, st, at)
          : undefined,
  };
  return byKind[at.section]?.();
}

function provenance(run: CcdaRun, targets: Reference[], path: string, title: string, recorded: string): void {
  const p: Provenance & { id: string } = {
    resourceType: 'Provenance',
    id: run.id('Provenance', path),
    target: targets.map((t) => ({ reference: t.reference ?? '' })),
    recorded,
    activity: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
          code: 'CREATE',
          display: 'create',
        },
      ],
    },
    agent: [{ who: { display: 'RxBridge C-CDA reader' } }],
    entity: [
      {
        role: 'source',
        what: {
          identifier: { system: 'urn:rxbridge:ccda-document', value: run.documentKey },
          display: `C-CDA ${title}`.trim(),
        },
        extension: [{ url: SOURCE_LOCATION_URL, valueString: path }],
      },
    ],
  };
  // The stored message (or file) the document arrived in, as the HL7 v2 Provenance names it.
  if (run.context.sourceId)
    p.entity!.push({
      role: 'source',
      what: { identifier: { system: 'urn:rxbridge:message', value: run.context.sourceId } },
    });
  run.add(p);
}

function mapSection(
  run: CcdaRun,
  section: XmlElement,
  path: string,
  coverage: CcdaSectionCoverage[],
  compSections: CompositionSection[],
  recorded: string,
  docTitle: string,
): void {
  const kind = sectionKind(section);
  const title = section.child('title')?.text() ?? '';
  const cov: CcdaSectionCoverage = { path, kind, title, entries: 0, entriesMapped: 0, narrativeGaps: 0 };
  coverage.push(cov);
  const refs: Reference[] = [];
  const entryIds = new Set<string>();
  const names: string[] = [];
  let i = 0;
  for (const entry of section.elements('entry')) {
    i++;
    const st = entry.elements().find((c) => c.name !== 'templateId');
    if (!st) continue;
    cov.entries++;
    const at: EntryContext = {
      path: `${path}/entry[${i}]/${st.name}`,
      section: kind,
      sectionElement: section,
    };
    let mapped: Reference[] | undefined;
    try {
      mapped = mapStatement(run, st, at);
    } catch (error) {
      // One entry we cannot read never costs the rest of the document.
      run.warn(
        'exception',
        at.path,
        `entry could not be read (${error instanceof Error ? error.message : 'error'}); skipped`,
      );
      mapped = [];
    }
    if (mapped === undefined) {
      const roots = templateRoots(st);
      run.warn(
        'not-supported',
        at.path,
        `entry <${st.name}>${roots.length ? ` with template ${[...new Set(roots)].join(', ')}` : ' without a templateId'} in section "${title || kind}" is not mapped`,
      );
      mapped = [];
    }
    referencedIds(st, entryIds);
    // What the entry is about (drug, substance, problem): its names are matched against narrative rows.
    st.walk((e) => {
      const named =
        e.name === 'manufacturedMaterial' || e.name === 'playingEntity'
          ? e.child('code')
          : e.name === 'observation'
            ? e.child('value')
            : undefined;
      const d = named?.attr('displayName');
      if (d) names.push(d);
      const own = named?.child('originalText');
      if (own) {
        const ref = own.child('reference')?.attr('value');
        const t = ref ? run.narrative(ref) : own.text();
        if (t) names.push(t);
      }
    });
    if (mapped.length > 0) {
      cov.entriesMapped++;
      refs.push(...mapped);
      provenance(run, mapped, at.path, docTitle, recorded);
    }
  }
  // Narrative the entries do not account for goes to the free-text extractor.
  if (NARRATIVE_KINDS.has(kind)) {
    const items = narrativeItems(section.child('text'));
    if (cov.entries === 0 && items.length > 0) {
      run.gaps.push({
        sectionPath: path,
        sectionKind: kind,
        sectionTitle: title,
        text: items.map((it) => it.text).join('\n'),
        reason: 'no-entries',
      });
      cov.narrativeGaps = items.length;
    } else if (items.length > 0) {
      const keys = names.map((n) => firstWord(n)).filter((w): w is string => w !== undefined);
      const missing = items.filter(
        (it) =>
          !it.ids.some((id) => entryIds.has(id)) && !keys.some((k) => it.text.toLowerCase().includes(k)),
      );
      if (missing.length > 0) {
        run.gaps.push({
          sectionPath: path,
          sectionKind: kind,
          sectionTitle: title,
          text: missing.map((it) => it.text).join('\n'),
          reason: 'unmatched-items',
        });
        cov.narrativeGaps = missing.length;
        run.info(
          'incomplete',
          `${path}/text`,
          `${missing.length} narrative item(s) are in no entry; read as free text`,
        );
      }
    }
  }
  const comp: CompositionSection = {};
  if (title) comp.title = title;
  const code = concept(run, section.child('code'), `${path}/code`);
  if (code) comp.code = code;
  if (refs.length) comp.entry = refs;
  else
    comp.emptyReason = {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason',
          code: section.attr('nullFlavor') ? 'unavailable' : 'nilknown',
        },
      ],
    };
  compSections.push(comp);
  let j = 0;
  for (const c of section.elements('component')) {
    j++;
    const sub = c.child('section');
    if (sub)
      mapSection(run, sub, `${path}/component[${j}]/section`, coverage, compSections, recorded, docTitle);
  }
}

/** The significant first word of a name ("Proventil 0.09 MG ..." -> "proventil"), for matching narrative rows. */
function firstWord(name: string): string | undefined {
  const w = name.toLowerCase().match(/[a-z][a-z-]{3,}/);
  return w?.[0];
}

/**
 * Converts one C-CDA document. Fails only when the XML is refused (unsafe, malformed, over a limit) or is not a
 * ClinicalDocument; everything else is mapped as far as it goes, each thing not understood a warning issue.
 */
export function convertCcda(
  xml: string,
  context: CcdaMapContext = {},
  limits?: XmlLimits,
): Result<CcdaConversion> {
  const parsed = parseSafeXml(xml, limits);
  if (!parsed.ok) return fail(parsed.issues);
  const doc = parsed.value;
  if (doc.name !== 'ClinicalDocument') {
    if (FRAGMENT_ROOTS.has(doc.name)) return convertFragment(xml, doc, parsed.issues, context);
    return fail([
      ...parsed.issues,
      errorIssue(
        'not-supported',
        `/${doc.name}`,
        `not a C-CDA document: the root is <${doc.name}>; only a ClinicalDocument, or a section or entry fragment, is read`,
      ),
    ]);
  }
  let documentKey = iiKey(doc.child('id'));
  const run = new CcdaRun(doc, documentKey ?? `sha256:${sha256Hex(xml)}`, context);
  run.issues.push(...parsed.issues);
  if (!documentKey) {
    run.warn('required', '/ClinicalDocument/id', 'document has no id; identified by the hash of its content');
    documentKey = run.documentKey;
  }
  const docType = doc.child('code');
  const documentType = docType?.attr('displayName') ?? doc.child('title')?.text() ?? 'clinical document';
  const title = doc.child('title')?.text() ?? documentType;
  const date = fhirDateTime(doc.child('effectiveTime')?.attr('value'));
  if (!date) run.warn('required', '/ClinicalDocument/effectiveTime', 'document has no valid effectiveTime');
  const recorded =
    context.receivedAt?.toISOString() ??
    (date && /T\d\d:\d\d:\d\d/.test(date)
      ? date
      : date
        ? `${date.slice(0, 10).padEnd(10, '-01')}T00:00:00Z`
        : new Date(0).toISOString());

  mapPatient(run);
  const authors = doc
    .elements('author')
    .map((a) => mapAssigned(run, a.child('assignedAuthor')))
    .filter((r): r is Reference => r !== undefined);
  const custodian = mapOrganization(
    run,
    doc.at('custodian/assignedCustodian/representedCustodianOrganization'),
  );
  mapEncompassingEncounter(run);

  const coverage: CcdaSectionCoverage[] = [];
  const compSections: CompositionSection[] = [];
  const body = doc.at('component/structuredBody');
  if (body) {
    let i = 0;
    for (const c of body.elements('component')) {
      i++;
      const section = c.child('section');
      if (section)
        mapSection(
          run,
          section,
          `/ClinicalDocument/component/structuredBody/component[${i}]/section`,
          coverage,
          compSections,
          recorded,
          title,
        );
    }
  }
  const nonXml = doc.at('component/nonXMLBody');
  if (nonXml) mapNonXmlBody(run, nonXml, title, date);
  if (!body && !nonXml) run.warn('required', '/ClinicalDocument/component', 'document has no body');

  const composition: Composition & { id: string } = {
    resourceType: 'Composition',
    id: run.id('Composition'),
    status: 'final',
    type: concept(run, docType, '/ClinicalDocument/code') ?? { text: documentType },
    subject: run.patient ?? { display: 'patient not named in the document' },
    date: date ?? new Date(0).toISOString(),
    author: authors.length ? authors : [{ display: 'author not named in the document' }],
    title,
  };
  const identifier = identifierOf(doc.child('id'));
  if (identifier) composition.identifier = identifier;
  if (custodian) composition.custodian = custodian;
  if (run.encounter) composition.encounter = run.encounter;
  if (compSections.length) composition.section = compSections;
  const conf = doc.child('confidentialityCode')?.attr('code');
  if (conf && ['U', 'L', 'M', 'N', 'R', 'V'].includes(conf))
    composition.confidentiality = conf as NonNullable<Composition['confidentiality']>;
  const replaced = doc.all('relatedDocument/parentDocument/id')[0];
  const rel = doc.child('relatedDocument')?.attr('typeCode');
  const target = identifierOf(replaced);
  if (target && rel) {
    const code =
      rel === 'RPLC' ? 'replaces' : rel === 'APND' ? 'appends' : rel === 'XFRM' ? 'transforms' : undefined;
    if (code) composition.relatesTo = [{ code, targetIdentifier: target }];
  }
  const compRef = run.add(composition);

  const entries: BundleEntry[] = [
    { fullUrl: compRef.reference ?? '', resource: composition },
    ...run.entries().filter((e) => e.resource !== composition),
  ];
  const resources: Record<string, number> = {};
  for (const e of entries) {
    const t = e.resource?.resourceType ?? '?';
    resources[t] = (resources[t] ?? 0) + 1;
  }
  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: stableId('ccda', 'Bundle', run.documentKey),
    type: 'collection',
    entry: entries,
  };
  const result: CcdaConversion = {
    bundle,
    coverage: {
      documentId: run.documentKey,
      documentType,
      sections: coverage,
      entries: coverage.reduce((n, s) => n + s.entries, 0),
      entriesMapped: coverage.reduce((n, s) => n + s.entriesMapped, 0),
      resources,
    },
    gaps: run.gaps,
    documentKey: run.documentKey,
  };
  if (run.patient) result.patient = run.patient;
  return ok(result, run.issues);
}

/** nonXMLBody (unstructured document, embedded PDF or text) -> DocumentReference; plain text is also a gap. */
function mapNonXmlBody(run: CcdaRun, nonXml: XmlElement, title: string, date: string | undefined): void {
  const text = nonXml.child('text');
  const where = '/ClinicalDocument/component/nonXMLBody/text';
  const media = text?.attr('mediaType') ?? 'text/plain';
  const attachment: Attachment = { contentType: media, title };
  const raw = text?.rawText() ?? '';
  const ref = text?.child('reference')?.attr('value');
  if (text?.attr('representation') === 'B64') attachment.data = raw.replace(/\s+/g, '');
  else if (raw.trim() !== '') attachment.data = Buffer.from(raw, 'utf8').toString('base64');
  else if (ref) attachment.url = ref;
  const doc: DocumentReference & { id: string } = {
    resourceType: 'DocumentReference',
    id: run.id('DocumentReference', 'nonXMLBody'),
    status: 'current',
    content: [{ attachment }],
  };
  if (run.patient) doc.subject = run.patient;
  if (date && /T\d\d:\d\d:\d\d/.test(date)) doc.date = date;
  run.add(doc);
  if (media === 'text/plain' && text?.attr('representation') !== 'B64' && raw.trim() !== '')
    run.gaps.push({
      sectionPath: where,
      sectionKind: 'other',
      sectionTitle: title,
      text: raw.trim(),
      reason: 'no-entries',
    });
  else if (media === 'text/plain' && text?.attr('representation') === 'B64') {
    const decoded = Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (decoded.trim())
      run.gaps.push({
        sectionPath: where,
        sectionKind: 'other',
        sectionTitle: title,
        text: decoded.trim(),
        reason: 'no-entries',
      });
  } else
    run.info(
      'not-supported',
      where,
      `unstructured body (${media}) kept as an attachment; its content is not read`,
    );
}

/** Roots accepted as published fragments: body, section and clinical-statement elements of CDA. */
const FRAGMENT_ROOTS: ReadonlySet<string> = new Set([
  'structuredBody',
  'component',
  'section',
  'entry',
  'entryRelationship',
  'act',
  'observation',
  'substanceAdministration',
  'supply',
  'procedure',
  'encounter',
  'organizer',
]);

/**
 * A piece of a document (a section or a single entry, as implementation guides publish them): no header, so no
 * patient; its sections and entries are mapped the same way and the missing header is a warning.
 */
function convertFragment(
  xml: string,
  root: XmlElement,
  parseIssues: Issue[],
  context: CcdaMapContext,
): Result<CcdaConversion> {
  const key = `sha256:${sha256Hex(xml)}`;
  const run = new CcdaRun(root, key, context);
  run.issues.push(...parseIssues);
  run.warn(
    'structure',
    `/${root.name}`,
    `not a whole ClinicalDocument but a <${root.name}> fragment: no header (patient, author, document id) to read`,
  );
  const recorded = context.receivedAt?.toISOString() ?? new Date(0).toISOString();
  const coverage: CcdaSectionCoverage[] = [];
  const compSections: CompositionSection[] = [];
  const sections: { el: XmlElement; path: string }[] = [];
  const find = (el: XmlElement, path: string): void => {
    if (el.name === 'section') {
      sections.push({ el, path });
      return;
    }
    const counts = new Map<string, number>();
    for (const c of el.elements()) {
      const n = (counts.get(c.name) ?? 0) + 1;
      counts.set(c.name, n);
      find(c, `${path}/${c.name}[${n}]`);
    }
  };
  find(root, `/${root.name}`);
  if (sections.length > 0) {
    for (const s of sections) mapSection(run, s.el, s.path, coverage, compSections, recorded, 'fragment');
  } else {
    // A lone entry: wrap it as the one entry of an unnamed section.
    const st = root.name === 'entry' ? root.elements().find((c) => c.name !== 'templateId') : root;
    const cov: CcdaSectionCoverage = {
      path: `/${root.name}`,
      kind: 'other',
      title: '',
      entries: 0,
      entriesMapped: 0,
      narrativeGaps: 0,
    };
    coverage.push(cov);
    if (st) {
      cov.entries = 1;
      const at: EntryContext = {
        path: `/${root.name}${st === root ? '' : `/${st.name}`}`,
        section: 'other',
        sectionElement: root,
      };
      let mapped: Reference[] | undefined;
      try {
        mapped = mapStatement(run, st, at);
      } catch (error) {
        run.warn(
          'exception',
          at.path,
          `entry could not be read (${error instanceof Error ? error.message : 'error'}); skipped`,
        );
        mapped = [];
      }
      if (mapped === undefined) {
        run.warn(
          'not-supported',
          at.path,
          `entry <${st.name}> with template ${[...new Set(templateRoots(st))].join(', ') || '(none)'} is not mapped`,
        );
      } else if (mapped.length > 0) {
        cov.entriesMapped = 1;
        provenance(run, mapped, at.path, 'fragment', recorded);
      }
    }
  }
  const entries = run.entries();
  const resources: Record<string, number> = {};
  for (const e of entries) {
    const t = e.resource?.resourceType ?? '?';
    resources[t] = (resources[t] ?? 0) + 1;
  }
  return ok(
    {
      bundle: {
        resourceType: 'Bundle',
        id: stableId('ccda', 'Bundle', key),
        type: 'collection',
        entry: entries,
      },
      coverage: {
        documentId: key,
        documentType: `${root.name} fragment`,
        sections: coverage,
        entries: coverage.reduce((n, c) => n + c.entries, 0),
        entriesMapped: coverage.reduce((n, c) => n + c.entriesMapped, 0),
        resources,
      },
      gaps: run.gaps,
      documentKey: key,
    },
    run.issues,
  );
}
