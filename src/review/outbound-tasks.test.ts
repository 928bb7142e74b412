// Report tasks: keyed by type and input key, low priority with one sure item, routed to auto-apply by a policy that
// lists them, accepted by the task list API and its OpenAPI document.
import type { Immunization, MedicationDispense } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { routeTask } from './create-task.ts';
import { openApiDocument } from './openapi.ts';
import { dispenseReportTask, immunizationReportTask, type ReportPayload } from './outbound-tasks.ts';
import { TaskListQuery } from './task-routes.ts';
import { itemsOf, proposedAction, TASK_TYPE_LABELS } from './task-model.ts';

const patient = {
  pharmacyPatientId: 'P0001',
  display: 'WHITFIELD, ELEANOR (P0001)',
  sourceIdentifier: 'MRN10001^GENHOSP',
};
const dispense: MedicationDispense = {
  resourceType: 'MedicationDispense',
  status: 'completed',
  identifier: [{ value: 'RX779001' }],
  medicationCodeableConcept: {
    coding: [
      {
        system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
        code: '855332',
        display: 'warfarin 5 MG Oral Tablet',
      },
    ],
  },
  quantity: { value: 30, unit: 'tablet' },
  whenHandedOver: '2026-11-20T16:25:00-06:00',
};
const immunization: Immunization = {
  resourceType: 'Immunization',
  status: 'completed',
  vaccineCode: {
    coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '150', display: 'Influenza, quadrivalent' }],
  },
  patient: { reference: 'urn:uuid:p' },
  occurrenceDateTime: '2026-10-15T10:20:00-05:00',
  lotNumber: 'FLU2611A',
};
const policy = { autoApplyTypes: ['dispense-report', 'immunization-report'], minConfidence: 0.95 };

describe('report tasks', () => {
  it('a dispense report: key, type, low priority, one sure item naming the drug and where it goes, the resource kept', () => {
    const task = dispenseReportTask({ key: 'm1/1', patient, site: 'main', sourceMessageId: 'm1', dispense });
    expect(task).toMatchObject({
      key: 'dispense-report:m1/1',
      type: 'dispense-report',
      priority: 'low',
      patient,
      site: 'main',
      sourceMessageId: 'm1',
    });
    const [item, ...rest] = itemsOf({ payload: task.payload });
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      type: 'dispense-report',
      priority: 'low',
      confidence: 1,
      drug: 'warfarin 5 MG Oral Tablet',
      suggestedAction: 'Send the dispense of warfarin 5 MG Oral Tablet to the EHR as a MedicationDispense',
      pharmacy: { rxNumber: 'RX779001', quantity: '30 tablet' },
    });
    expect((task.payload as ReportPayload).dispense).toEqual(dispense);
    // Approving changes nothing in the pharmacy: the proposal is no write-back.
    expect(proposedAction(item!)).toEqual({ kind: 'none' });
    expect(routeTask({ ...task, payload: task.payload }, policy).route).toBe('auto-apply');
  });

  it('an immunization report names the vaccine, the EHR and the registry; the resource and the PID patient are kept', () => {
    const task = immunizationReportTask({
      key: 'm2/1',
      patient,
      immunization,
      patientResource: { resourceType: 'Patient', birthDate: '1956-07-04' },
    });
    expect(task.key).toBe('immunization-report:m2/1');
    expect(task.type).toBe('immunization-report');
    expect(task).not.toHaveProperty('site');
    const payload = task.payload as ReportPayload;
    expect(payload.immunization).toEqual(immunization);
    expect(payload.patientResource?.birthDate).toBe('1956-07-04');
    expect(payload.items[0]).toMatchObject({
      drug: 'Influenza, quadrivalent',
      pharmacy: { cvx: '150', lot: 'FLU2611A' },
      confidence: 1,
    });
    expect(payload.items[0]!.suggestedAction).toMatch(
      /to the EHR as an Immunization and to the immunization registry/,
    );
  });

  it('routing: queued unless the policy lists the type (the default policy lists none)', () => {
    const task = immunizationReportTask({ key: 'm3/1', patient, immunization });
    expect(routeTask(task, { autoApplyTypes: [], minConfidence: 0.95 }).route).toBe('queue');
    expect(routeTask(task, { autoApplyTypes: ['immunization-report'], minConfidence: 1 }).route).toBe(
      'auto-apply',
    );
  });

  it('the task list API and its OpenAPI document accept the two types, with labels', () => {
    expect(TASK_TYPE_LABELS['dispense-report']).toBe('Dispense to EHR');
    expect(TASK_TYPE_LABELS['immunization-report']).toBe('Immunization to EHR / registry');
    expect(TaskListQuery.safeParse({ type: 'dispense-report' }).success).toBe(true);
    expect(TaskListQuery.safeParse({ type: 'immunization-report' }).success).toBe(true);
    expect(TaskListQuery.safeParse({ type: 'dispense-reports' }).success).toBe(false);
    const doc = openApiDocument() as {
      paths: Record<string, { get: { parameters: Array<{ name: string; schema: { enum?: string[] } }> } }>;
    };
    const type = doc.paths['/api/tasks']!.get.parameters.find((p) => p.name === 'type');
    expect(type?.schema.enum).toEqual(expect.arrayContaining(['dispense-report', 'immunization-report']));
  });
});
