// Follow-ups from the demo pharmacy: the non-adherence note, the prior-authorization packet, the MTM summary.
import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- demo data as test input
import { demoPharmacyAsOf } from '../platform/pharmacy/embedded/demo-dates.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- demo data as test input
import { DEMO_PHARMACY } from '../platform/pharmacy/embedded/demo-pharmacy.ts';
import type { PharmacyProfile } from '../platform/pharmacy/pharmacy-system.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';
import {
  adherenceNoteTask,
  medicationReviewTasks,
  mtmSummaryTask,
  priorAuthHtml,
  priorAuthPacket,
} from './follow-ups.ts';

const asOf = new Date('2026-11-21T12:00:00Z');
const profiles = demoPharmacyAsOf(DEMO_PHARMACY, asOf).profiles;
const terminology = createStarterTerminology();

/** A profile whose one scheduled medicine was filled for 30 days every 60 days: half the days covered. */
function gappy(): PharmacyProfile {
  const base = structuredClone(profiles[0]!);
  const rx = base.prescriptions[0]!;
  base.prescriptions = [rx];
  base.fills = [0, 60, 120].map((d) => ({
    prescriptionId: rx.id,
    date: new Date(asOf.getTime() - (150 - d) * 86_400_000).toISOString().slice(0, 10),
    quantity: 30,
    daysSupply: 30,
  }));
  return base;
}

describe('follow-ups', () => {
  it('drafts a non-adherence note to the PCP for a medicine below 80% of days covered', () => {
    const task = adherenceNoteTask(gappy(), terminology, asOf)!;
    expect(task.type).toBe('adherence-note');
    expect(task.priority).toBe('medium');
    const payload = task.payload as { draft: string; pdc: Array<{ pdc: number }> };
    expect(payload.pdc[0]!.pdc).toBeCloseTo(0.6, 2);
    expect(payload.draft).toMatch(/^Dear /);
    expect(payload.draft).toMatch(/% of days covered/);
  });

  it('drafts nothing when every scheduled medicine is covered', () => {
    const covered = structuredClone(gappy());
    const rx = covered.prescriptions[0]!;
    covered.fills = Array.from({ length: 7 }, (_, i) => ({
      prescriptionId: rx.id,
      date: new Date(asOf.getTime() - (180 - i * 30) * 86_400_000).toISOString().slice(0, 10),
      quantity: 30,
      daysSupply: 30,
    }));
    expect(adherenceNoteTask(covered, terminology, asOf)).toBeUndefined();
  });

  it('collects diagnoses, recent labs and notes naming the drug into the PA packet; the page escapes text', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Condition',
            subject: {},
            code: {
              coding: [
                { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9', display: 'Type 2 diabetes' },
              ],
            },
          },
        },
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'HbA1c' },
            valueQuantity: { value: 8.1, unit: '%' },
            effectiveDateTime: '2026-10-01',
          },
        },
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'old' },
            valueQuantity: { value: 1, unit: 'x' },
            effectiveDateTime: '2024-01-01',
          },
        },
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'note' },
            valueString: 'Started <b>metformin</b> 500 mg',
          },
        },
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'note' },
            valueString: 'Unrelated note',
          },
        },
      ],
    };
    const packet = priorAuthPacket({ drug: 'metformin', profile: profiles[0]!, bundles: [bundle], asOf });
    expect(packet.diagnoses.map((d) => d.code)).toEqual(['E11.9']);
    expect(packet.labs.map((l) => l.display)).toEqual(['HbA1c']);
    expect(packet.notes).toHaveLength(1);
    expect(packet.medicationHistory[0]!.drug).toMatch(/metformin/);
    const html = priorAuthHtml(packet);
    expect(html).toContain('Started &lt;b&gt;metformin&lt;/b&gt; 500 mg');
    expect(html).not.toContain('<script');
  });

  it('summarizes active medicines, open questions and allergies for MTM', () => {
    const task = mtmSummaryTask(profiles[0]!, ['Dose change metformin'], asOf);
    const draft = (task.payload as { draft: string }).draft;
    expect(draft).toContain('Current medications:');
    expect(draft).toContain('- Dose change metformin');
    expect(draft).toMatch(/Allergies: penicillin/);
  });

  it('turns profile check findings into allergy-conflict, interaction and renal-dose tasks with their evidence', () => {
    const profile = structuredClone(profiles[0]!);
    const { rxcui: _ignored, ...base } = profile.prescriptions[0]!;
    profile.allergies = [
      { substance: 'penicillin', rxcui: '70618', reaction: 'anaphylaxis', severity: 'severe' },
    ];
    profile.prescriptions = [
      {
        ...base,
        id: 'rx-amox',
        drugName: 'amoxicillin 500 mg capsule',
        strength: { value: 500, unit: 'mg' },
      },
      { ...base, id: 'rx-simva', drugName: 'simvastatin 40 mg tablet', strength: { value: 40, unit: 'mg' } },
      {
        ...base,
        id: 'rx-clari',
        drugName: 'clarithromycin 500 mg tablet',
        strength: { value: 500, unit: 'mg' },
      },
      { ...base, id: 'rx-met', drugName: 'metformin 1000 mg tablet', strength: { value: 1000, unit: 'mg' } },
    ];
    const egfr: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { coding: [{ system: 'http://loinc.org', code: '33914-3' }] },
            valueQuantity: { value: 25, unit: 'mL/min/{1.73_m2}' },
            effectiveDateTime: '2026-11-20',
          },
        },
      ],
    };
    const tasks = medicationReviewTasks({ profile, bundles: [egfr], terminology, asOf });
    const types = new Set(tasks.map((t) => t.type));
    expect(types).toEqual(new Set(['allergy-conflict', 'interaction', 'renal-dose']));
    const allergy = tasks.find((t) => t.type === 'allergy-conflict')!;
    expect(allergy.priority).toBe('high');
    const item = (allergy.payload as { items: Array<{ drug: string; evidence: { facts: string[] } }> })
      .items[0]!;
    expect(item.drug).toMatch(/amoxicillin/);
    expect(item.evidence.facts.join(' ')).toMatch(/penicillin/i);
    // The same review again makes the same keys: a second run creates nothing new.
    expect(medicationReviewTasks({ profile, bundles: [egfr], terminology, asOf }).map((t) => t.key)).toEqual(
      tasks.map((t) => t.key),
    );
  });
});
