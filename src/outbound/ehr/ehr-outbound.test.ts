// EHR outbound against the sandbox FHIR server: each resource sent once (a retry finds the first), consent first.
import type { Communication, DocumentReference, Immunization, MedicationDispense } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- outbound is tested against the real FHIR client
import type { FhirClient } from '../../platform/ehr/fhir/fhir-client.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the sandbox is the EHR here
import { startSandbox, type Sandbox } from '../../platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing } from '../../platform/ehr/smart-keys.ts';
import { treatmentConsent } from '../consent-gate.ts';
import { sandboxClient } from '../../../test/support/sandbox-client.ts';
import {
  dispenseResource,
  EFFECT_SYSTEM,
  immunizationResource,
  noteResource,
  sendToEhr,
} from './ehr-outbound.ts';

const patient = {
  pharmacyPatientId: 'P0001',
  ehrIdentifier: { system: 'urn:oid:2.16.840.1.113883.3.999', value: 'MRN10001' },
  display: 'Eleanor Whitfield',
};
const at = new Date('2026-11-21T10:00:00Z');

describe('EHR outbound', () => {
  let sandbox: Sandbox;
  let client: FhirClient;
  const ring = new KeyRing([generateSigningKey('ES384', 'outbound')]);
  beforeAll(async () => {
    sandbox = await startSandbox({
      vendor: 'generic',
      clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
    });
    client = sandboxClient(sandbox, ring);
  });
  afterAll(async () => sandbox.close());

  it('sends the note, MedicationDispense and Immunization once each; a retry reports existing', async () => {
    const consent = treatmentConsent();
    const resources = [
      noteResource({
        key: 'k-note',
        patient,
        pcp: 'Dr. Hart',
        text: 'Metformin now 500 mg twice daily.',
        author: 'user:ana',
        at,
      }),
      noteResource({
        key: 'k-doc',
        patient,
        pcp: 'Dr. Hart',
        text: 'Same, as a document.',
        author: 'user:ana',
        at,
        as: 'document',
      }),
      dispenseResource({
        key: 'k-disp',
        patient,
        drug: 'metformin 500 mg tablet',
        rxcui: '861007',
        quantity: 60,
        daysSupply: 30,
        sig: 'twice daily',
        handedOver: at,
      }),
      immunizationResource({
        key: 'k-imm',
        patient,
        cvx: '197',
        vaccine: 'Influenza, high-dose, quadrivalent',
        occurrence: at,
        lot: 'L123',
      }),
    ];
    for (const r of resources) {
      const first = await sendToEhr({ client, consent }, 'P0001', r);
      expect(first.outcome).toBe('created');
      const retry = await sendToEhr({ client, consent }, 'P0001', r);
      expect(retry.outcome).toBe('existing');
    }
    for (const type of ['Communication', 'DocumentReference', 'MedicationDispense', 'Immunization']) {
      expect(sandbox.duplicateWrites(type)).toBe(0);
    }
    const note = (
      await client.searchAll<Communication>('Communication', { identifier: `${EFFECT_SYSTEM}|k-note` })
    ).matches[0]!;
    expect(note.payload?.[0]?.contentString).toBe('Metformin now 500 mg twice daily.');
    expect(note.subject?.identifier?.value).toBe('MRN10001');
    const doc = (
      await client.searchAll<DocumentReference>('DocumentReference', { identifier: `${EFFECT_SYSTEM}|k-doc` })
    ).matches[0]!;
    expect(Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString('utf8')).toBe(
      'Same, as a document.',
    );
    const disp = (
      await client.searchAll<MedicationDispense>('MedicationDispense', {
        identifier: `${EFFECT_SYSTEM}|k-disp`,
      })
    ).matches[0]!;
    expect(disp.daysSupply?.value).toBe(30);
    const imm = (
      await client.searchAll<Immunization>('Immunization', { identifier: `${EFFECT_SYSTEM}|k-imm` })
    ).matches[0]!;
    expect(imm.vaccineCode.coding?.[0]?.code).toBe('197');
  });

  it('sends nothing when consent refuses, and says why', async () => {
    const consent = treatmentConsent(new Map([['P0002', 'patient opted out of sharing on 2026-10-02']]));
    const before = sandbox.stats.creates;
    const out = await sendToEhr(
      { client, consent },
      'P0002',
      noteResource({
        key: 'k-refused',
        patient: { ...patient, pharmacyPatientId: 'P0002' },
        pcp: 'Dr. X',
        text: 'x',
        author: 'user:ana',
        at,
      }),
    );
    expect(out).toEqual({
      outcome: 'refused',
      reference: '',
      detail: 'consent: patient opted out of sharing on 2026-10-02',
    });
    expect(sandbox.stats.creates).toBe(before);
  });
});
