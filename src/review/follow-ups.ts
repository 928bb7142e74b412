// Follow-up work a pharmacist starts from a patient: the non-adherence note to the PCP, the prior-authorization
// packet (diagnoses, labs and notes relevant to a drug, as JSON and a printable page) and the MTM summary.
import type { Bundle } from '@medplum/fhirtypes';
import { pdcByDrug, PDC_THRESHOLD } from '../checks/adherence-check.ts';
import type { CheckLab, CheckProblem } from '../checks/check-input.ts';
import type { Finding } from '../checks/finding.ts';
import { activeOrdersOf, allergiesOf } from '../checks/pharmacy-facts.ts';
import { preparePatientContext, runProfileChecks } from '../checks/run-checks.ts';
import type { PharmacyProfile } from '../platform/pharmacy/pharmacy-system.ts';
import type { NewTask } from '../platform/store/task-store.ts';
import type { Terminology } from '../terminology/terminology.ts';
import { ReviewTaskType } from './task-model.ts';

const DAY_MS = 86_400_000;

function patientOf(profile: PharmacyProfile): NewTask['patient'] {
  const p = profile.patient;
  return { pharmacyPatientId: p.id, display: `${p.family.toUpperCase()}, ${p.given} (${p.id})` };
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The non-adherence note: medicines below PDC 0.8 over the last 180 days, with a drafted note to the PCP. */
export function adherenceNoteTask(
  profile: PharmacyProfile,
  terminology: Terminology,
  asOf: Date,
): NewTask | undefined {
  const window = { start: isoDay(new Date(asOf.getTime() - 180 * DAY_MS)), end: isoDay(asOf) };
  const low = pdcByDrug(profile, terminology, window).filter((r) => !r.prn && r.pdc < PDC_THRESHOLD);
  if (low.length === 0) return undefined;
  const p = profile.patient;
  const lines = low.map(
    (r) =>
      `- ${r.drug}: ${Math.round(r.pdc * 100)}% of days covered (${r.daysCovered}/${r.daysInPeriod} days, ${r.fills} fills)`,
  );
  const draft = [
    `Dear ${p.pcp ?? 'Doctor'},`,
    '',
    `Our refill records for your patient ${p.given} ${p.family} (born ${p.birthDate}) show gaps between ${window.start} and ${window.end}:`,
    ...lines,
    '',
    'We will contact the patient about missed doses, cost and side effects. Please let us know if the regimen should change.',
    '',
    'Community pharmacy team',
  ].join('\n');
  return {
    key: `${ReviewTaskType.AdherenceNote}:${p.id}:${window.end}`,
    type: ReviewTaskType.AdherenceNote,
    priority: low.some((r) => r.pdc < 0.5) ? 'high' : 'medium',
    patient: patientOf(profile),
    site: p.site,
    dueAt: new Date(asOf.getTime() + 3 * DAY_MS),
    payload: {
      summary: `Adherence below ${PDC_THRESHOLD * 100}%: ${low.map((r) => r.drug).join(', ')}`,
      items: [],
      pdc: low,
      window,
      recipient: p.pcp ?? null,
      draft,
    },
  };
}

// ---- prior authorization --------------------------------------------------------------------------------

export interface PriorAuthPacket {
  drug: string;
  patient: { id: string; name: string; birthDate: string; gender: string };
  prescriber: string | null;
  diagnoses: Array<{ code: string; system: string; display: string; recorded: string | null }>;
  labs: Array<{ code: string; display: string; value: string; flag: string | null; at: string | null }>;
  notes: Array<{ text: string; at: string | null }>;
  medicationHistory: Array<{ drug: string; sig: string; status: string; lastFill: string | null }>;
  generatedAt: string;
}

const words = (s: string): string[] =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2);

/**
 * Collects from the patient's stored messages (as FHIR bundles): every diagnosis, labs of the last year, free-text
 * notes that name the drug, and the pharmacy's history of the drug. What a payer's PA form asks for.
 */
export function priorAuthPacket(input: {
  drug: string;
  profile: PharmacyProfile;
  bundles: readonly Bundle[];
  asOf: Date;
}): PriorAuthPacket {
  const drugWords = new Set(words(input.drug));
  const mentions = (text: string): boolean => words(text).some((w) => drugWords.has(w));
  const yearAgo = input.asOf.getTime() - 365 * DAY_MS;
  const diagnoses = new Map<string, PriorAuthPacket['diagnoses'][number]>();
  const labs: PriorAuthPacket['labs'] = [];
  const notes: PriorAuthPacket['notes'] = [];
  for (const bundle of input.bundles) {
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType === 'Condition') {
        const c = r;
        const coding = c.code?.coding?.[0];
        const code = coding?.code ?? c.code?.text ?? '';
        if (code && !diagnoses.has(code)) {
          diagnoses.set(code, {
            code,
            system: coding?.system ?? '',
            display: coding?.display ?? c.code?.text ?? code,
            recorded: c.recordedDate ?? c.onsetDateTime ?? null,
          });
        }
      } else if (r?.resourceType === 'Observation') {
        const o = r;
        const at = o.effectiveDateTime ?? o.issued ?? null;
        if (typeof o.valueString === 'string') {
          if (mentions(o.valueString)) notes.push({ text: o.valueString, at });
        } else if (o.valueQuantity?.value !== undefined) {
          if (at !== null && Date.parse(at) < yearAgo) continue;
          labs.push({
            code: o.code?.coding?.[0]?.code ?? '',
            display: o.code?.coding?.[0]?.display ?? o.code?.text ?? '',
            value: `${o.valueQuantity.value} ${o.valueQuantity.unit ?? ''}`.trim(),
            flag: o.interpretation?.[0]?.coding?.[0]?.code ?? null,
            at,
          });
        }
      }
    }
  }
  const p = input.profile.patient;
  const rxs = input.profile.prescriptions.filter((rx) => mentions(rx.drugName));
  return {
    drug: input.drug,
    patient: { id: p.id, name: `${p.given} ${p.family}`, birthDate: p.birthDate, gender: p.gender },
    prescriber: rxs[0]?.prescriber ?? null,
    diagnoses: [...diagnoses.values()],
    labs,
    notes,
    medicationHistory: rxs.map((rx) => {
      const fills = input.profile.fills.filter((f) => f.prescriptionId === rx.id).map((f) => f.date);
      return { drug: rx.drugName, sig: rx.sig, status: rx.status, lastFill: fills.sort().at(-1) ?? null };
    }),
    generatedAt: input.asOf.toISOString(),
  };
}

export function priorAuthTask(packet: PriorAuthPacket, profile: PharmacyProfile, asOf: Date): NewTask {
  return {
    key: `${ReviewTaskType.PriorAuthorization}:${profile.patient.id}:${packet.drug.toLowerCase()}:${isoDay(asOf)}`,
    type: ReviewTaskType.PriorAuthorization,
    priority: 'medium',
    patient: patientOf(profile),
    site: profile.patient.site,
    dueAt: new Date(asOf.getTime() + 2 * DAY_MS),
    payload: {
      summary: `Prior authorization for ${packet.drug}: ${packet.diagnoses.length} diagnoses, ${packet.labs.length} labs, ${packet.notes.length} notes`,
      items: [],
      packet,
    },
  };
}

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A self-contained printable page (no scripts, inline print styles). */
export function priorAuthHtml(packet: PriorAuthPacket): string {
  const rows = (cells: string[][]): string =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  const table = (head: string[], body: string[][], empty: string): string =>
    body.length === 0
      ? `<p class="empty">${esc(empty)}</p>`
      : `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows(body)}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Prior authorization: ${esc(packet.drug)}</title>
<style>body{font:12pt/1.4 system-ui,sans-serif;margin:2em;color:#111}h1{font-size:16pt}h2{font-size:13pt;margin-top:1.2em;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}.empty{color:#444}
@media print{body{margin:0}}</style></head><body>
<h1>Prior authorization request: ${esc(packet.drug)}</h1>
<p><strong>Patient:</strong> ${esc(packet.patient.name)} · born ${esc(packet.patient.birthDate)} · ${esc(packet.patient.gender)} · pharmacy id ${esc(packet.patient.id)}<br>
<strong>Prescriber:</strong> ${esc(packet.prescriber ?? 'not on file')} · <strong>Prepared:</strong> ${esc(packet.generatedAt.slice(0, 10))}</p>
<h2>Diagnoses</h2>${table(
    ['Code', 'Description', 'Recorded'],
    packet.diagnoses.map((d) => [d.code, d.display, d.recorded ?? '']),
    'No diagnoses received.',
  )}
<h2>Laboratory results (last 12 months)</h2>${table(
    ['Test', 'Result', 'Flag', 'Date'],
    packet.labs.map((l) => [l.display || l.code, l.value, l.flag ?? '', l.at ?? '']),
    'No laboratory results received.',
  )}
<h2>Clinical notes naming ${esc(packet.drug)}</h2>${packet.notes.length === 0 ? '<p class="empty">No notes name this drug.</p>' : packet.notes.map((n) => `<blockquote>${esc(n.text)}</blockquote>`).join('')}
<h2>Medication history at this pharmacy</h2>${table(
    ['Drug', 'Directions', 'Status', 'Last fill'],
    packet.medicationHistory.map((m) => [m.drug, m.sig, m.status, m.lastFill ?? '']),
    'No prescriptions of this drug on file.',
  )}
</body></html>`;
}

// ---- MTM --------------------------------------------------------------------------------------------------

/** Medication therapy management: the patient's medication list and the open questions, as a summary note. */
export function mtmSummaryTask(
  profile: PharmacyProfile,
  openFindings: readonly string[],
  asOf: Date,
): NewTask {
  const p = profile.patient;
  const active = profile.prescriptions.filter((rx) => rx.status === 'active');
  const draft = [
    `Medication review for ${p.given} ${p.family} (born ${p.birthDate}), ${isoDay(asOf)}`,
    '',
    'Current medications:',
    ...active.map((rx) => `- ${rx.drugName}: ${rx.sig} (prescriber ${rx.prescriber})`),
    '',
    'Points discussed / to follow up:',
    ...(openFindings.length > 0 ? openFindings.map((f) => `- ${f}`) : ['- none recorded']),
    '',
    'Allergies: ' + (profile.allergies.map((a) => a.substance).join(', ') || 'none recorded'),
  ].join('\n');
  return {
    key: `${ReviewTaskType.MtmSummary}:${p.id}:${isoDay(asOf)}`,
    type: ReviewTaskType.MtmSummary,
    priority: 'low',
    patient: patientOf(profile),
    site: p.site,
    dueAt: new Date(asOf.getTime() + 7 * DAY_MS),
    payload: {
      summary: `MTM summary: ${active.length} active medicines`,
      items: [],
      draft,
      recipient: p.pcp ?? null,
    },
  };
}

// ---- medication review: the profile checked as a whole --------------------------------------------------------

const CHECK_TASK_TYPE: Partial<Record<string, string>> = {
  'drug-allergy': ReviewTaskType.AllergyConflict,
  'drug-drug-interaction': ReviewTaskType.Interaction,
  'duplicate-therapy': ReviewTaskType.Interaction,
  'renal-dosing': ReviewTaskType.RenalDose,
};

const SEVERITY_PRIORITY: Record<string, 'high' | 'medium' | 'low'> = {
  critical: 'high',
  high: 'high',
  moderate: 'medium',
  low: 'low',
  info: 'low',
};

/** Labs (LOINC-coded quantities) and diagnoses from the patient's stored messages, as the checks take them. */
function factsFromBundles(bundles: readonly Bundle[]): { labs: CheckLab[]; problems: CheckProblem[] } {
  const labs: CheckLab[] = [];
  const problems: CheckProblem[] = [];
  for (const bundle of bundles) {
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType === 'Observation' && r.valueQuantity?.value !== undefined) {
        const loinc = r.code?.coding?.find((c) => c.system === 'http://loinc.org')?.code;
        const date = r.effectiveDateTime ?? r.issued;
        if (loinc && date)
          labs.push({
            loinc,
            value: r.valueQuantity.value,
            ...(r.valueQuantity.unit ? { unit: r.valueQuantity.unit } : {}),
            date,
          });
      } else if (r?.resourceType === 'Condition') {
        const coding = r.code?.coding?.[0];
        problems.push({
          text: coding?.display ?? r.code?.text ?? coding?.code ?? '',
          ...(coding?.code ? { code: coding.code } : {}),
          ...(coding?.system ? { system: coding.system } : {}),
        });
      }
    }
  }
  return { labs, problems };
}

/**
 * Runs the clinical checks on the pharmacy's active list (allergies from the profile, labs and diagnoses from the
 * patient's stored messages) and makes one task per finding that needs a pharmacist: allergy conflict,
 * interaction (or duplicate therapy), renal dose. Each finding is the task's one item, with its evidence.
 */
export function medicationReviewTasks(input: {
  profile: PharmacyProfile;
  bundles: readonly Bundle[];
  terminology: Terminology;
  asOf: Date;
}): NewTask[] {
  const { profile, asOf } = input;
  const p = profile.patient;
  const born = new Date(`${p.birthDate}T00:00:00Z`);
  const age = Math.floor((asOf.getTime() - born.getTime()) / (365.2425 * DAY_MS));
  const facts = factsFromBundles(input.bundles);
  const context = preparePatientContext({
    patient: { age, sex: p.gender },
    allergies: allergiesOf(profile),
    problems: facts.problems,
    labs: facts.labs,
    activeMedications: activeOrdersOf(profile),
    terminology: input.terminology,
    asOf,
  });
  return findingTasks({
    findings: runProfileChecks(context),
    patient: patientOf(profile),
    site: p.site,
    asOf,
  });
}

/** Checks whose findings become a task, and the task type. */
export const CHECK_TASK_TYPES: Readonly<Partial<Record<string, string>>> = CHECK_TASK_TYPE;

/**
 * One task per finding that needs a pharmacist (allergy conflict, interaction or duplicate therapy, renal dose; plus
 * whatever `types` adds), its one item carrying the finding's evidence. Keyed by patient, rule and drugs, so the same
 * finding raised again (a profile review, a new prescription, a sync) is the same task.
 */
export function findingTasks(input: {
  findings: readonly Finding[];
  patient: NewTask['patient'];
  site?: string;
  asOf: Date;
  sourceMessageId?: string;
  types?: Readonly<Partial<Record<string, string>>>;
  /** Added to each task's payload (the order checked, where the facts came from). */
  context?: Record<string, unknown>;
}): NewTask[] {
  const types = input.types ?? CHECK_TASK_TYPE;
  const out: NewTask[] = [];
  for (const f of input.findings) {
    const type = types[f.check];
    if (!type) continue;
    const priority = SEVERITY_PRIORITY[f.severity] ?? 'medium';
    const drugs = [...f.drugs].sort().join('+');
    out.push({
      key: `${type}:${input.patient.pharmacyPatientId ?? ''}:${f.rule}:${drugs}`,
      type,
      priority,
      patient: input.patient,
      ...(input.site !== undefined ? { site: input.site } : {}),
      ...(input.sourceMessageId !== undefined ? { sourceMessageId: input.sourceMessageId } : {}),
      dueAt: new Date(input.asOf.getTime() + (priority === 'high' ? 4 : 24) * 3_600_000),
      payload: {
        summary: f.summary,
        items: [
          {
            id: `${f.rule}:${drugs}`,
            type: f.check,
            priority,
            drug: f.drugs.join(' + '),
            suggestedAction: f.detail.slice(0, 1000),
            ehr: null,
            pharmacy: null,
            evidence: { facts: f.evidence, source: f.source },
          },
        ],
        finding: f,
        ...input.context,
      },
    });
  }
  return out;
}
