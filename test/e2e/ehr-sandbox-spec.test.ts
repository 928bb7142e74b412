// The sandbox against the FHIR specification: its CapabilityStatements, search Bundles, OperationOutcomes and
// transaction responses validate against the R4 StructureDefinitions, and the specification's own example
// resources (../shared/corpus/fhir) go in and come back unchanged, findable by identifier and patient.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EhrError } from '../../src/platform/ehr/ehr-client.ts';
import { FhirClient } from '../../src/platform/ehr/fhir/fhir-client.ts';
import { RateLimiter } from '../../src/platform/ehr/fhir/resilience.ts';
import { SmartTokenSource } from '../../src/platform/ehr/fhir/smart-auth.ts';
import { startSandbox, type Sandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import { SANDBOX_VENDORS, VENDORS } from '../../src/platform/ehr/sandbox/sandbox-vendors.ts';
import { generateSigningKey, KeyRing } from '../../src/platform/ehr/smart-keys.ts';
import { validateBundleResources, validateFhirResource } from '../support/fhir-validate.ts';

const EXAMPLES = fileURLToPath(new URL('../../../shared/corpus/fhir/ms-fhir-server-r4/', import.meta.url));
const ring = new KeyRing([generateSigningKey('ES384', 'spec')]);
const patient: Resource = {
  resourceType: 'Patient',
  id: 'example',
  gender: 'female',
  birthDate: '1970-01-01',
};

function clientFor(sandbox: Sandbox): FhirClient {
  const auth = new SmartTokenSource({
    clientId: 'rxbridge',
    scope: 'system/*.*',
    keys: ring,
    fhirBase: sandbox.fhirBase,
  });
  return new FhirClient({
    name: sandbox.vendor.name,
    baseUrl: sandbox.fhirBase,
    auth,
    cacheTtlMs: 0,
    rateLimiter: new RateLimiter({ ratePerSecond: 1000 }),
  });
}

describe('sandbox responses validate against the R4 StructureDefinitions', () => {
  test.each(SANDBOX_VENDORS)(
    '%s: CapabilityStatement, searchset, OperationOutcome, transaction-response',
    async (vendor) => {
      const sandbox = await startSandbox({
        vendor,
        clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
        resources: [
          patient,
          {
            resourceType: 'MedicationRequest',
            id: 'mr1',
            status: 'active',
            intent: 'order',
            subject: { reference: 'Patient/example' },
            medicationCodeableConcept: { text: 'metformin 500 mg tablet' },
          },
        ],
      });
      try {
        const client = clientFor(sandbox);
        expect(validateFhirResource(await client.capabilities()).problems).toEqual([]);
        const response = await fetch(
          `${sandbox.fhirBase}/MedicationRequest?patient=example&_include=MedicationRequest:patient`,
          {
            headers: { authorization: (await client.authorization()).authorization ?? '' },
          },
        );
        const searchset = (await response.json()) as Bundle;
        expect(searchset.entry?.map((e) => e.search?.mode)).toEqual(['match', 'include']);
        expect(validateFhirResource(searchset).problems).toEqual([]);
        const refused = await client
          .searchAll('Patient', { shoe_size: '9' })
          .catch((e: unknown) => e as EhrError);
        expect(refused).toBeInstanceOf(EhrError);
        expect(validateFhirResource((refused as EhrError).outcome as Resource).problems).toEqual([]);
        const tx = await client.batch({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              resource: {
                resourceType: 'Communication',
                status: 'completed',
                identifier: [{ system: 'urn:t', value: 'c1' }],
              },
              request: { method: 'POST', url: 'Communication', ifNoneExist: 'identifier=urn:t|c1' },
            },
          ],
        });
        expect(validateBundleResources(tx).problems).toEqual([]);
        expect(validateFhirResource(tx).problems).toEqual([]);
      } finally {
        await sandbox.close();
      }
    },
  );
});

describe.skipIf(!existsSync(EXAMPLES))('the specification examples (../shared/corpus/fhir)', () => {
  let sandbox: Sandbox;
  const supported = new Set(VENDORS.generic.resources.filter((r) => r.write).map((r) => r.type));
  const examples: Resource[] = existsSync(EXAMPLES)
    ? readdirSync(EXAMPLES)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(`${EXAMPLES}${f}`, 'utf8').replace(/^\uFEFF/, '')) as Resource)
        .filter(
          (r) => typeof r === 'object' && r !== null && supported.has(r.resourceType) && r.id !== undefined,
        )
    : [];

  beforeAll(async () => {
    sandbox = await startSandbox({
      vendor: 'generic',
      clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  test('each example is stored by PUT, read back unchanged, and found by identifier and by patient', async () => {
    const client = clientFor(sandbox);
    expect(examples.length).toBeGreaterThan(10);
    const strip = (r: Resource) => {
      const { meta: _meta, ...rest } = r;
      return rest;
    };
    let byIdentifier = 0;
    let byPatient = 0;
    for (const example of examples) {
      await client.conditionalUpdate(example, `_id=${example.id ?? ''}`);
      const back = await client.read(example.resourceType, example.id ?? '');
      expect(strip(back as Resource), `${example.resourceType}/${example.id ?? ''}`).toEqual(strip(example));
      const identifier = (example as { identifier?: Array<{ system?: string; value?: string }> })
        .identifier?.[0];
      if (identifier?.value !== undefined) {
        const token =
          identifier.system !== undefined ? `${identifier.system}|${identifier.value}` : identifier.value;
        const found = await client.searchAll(example.resourceType, { identifier: token });
        expect(found.matches.map((r) => r.id)).toContain(example.id);
        byIdentifier++;
      }
      const subject =
        (example as { subject?: { reference?: string }; patient?: { reference?: string } }).subject
          ?.reference ?? (example as { patient?: { reference?: string } }).patient?.reference;
      if (subject?.startsWith('Patient/')) {
        const found = await client.searchAll(example.resourceType, {
          patient: subject.slice('Patient/'.length),
        });
        expect(found.matches.map((r) => r.id)).toContain(example.id);
        byPatient++;
      }
    }
    console.log(
      `spec examples: ${examples.length} stored and read back; ${byIdentifier} found by identifier, ${byPatient} by patient`,
    );
    expect(byIdentifier).toBeGreaterThan(0);
    expect(byPatient).toBeGreaterThan(0);
  });
});
