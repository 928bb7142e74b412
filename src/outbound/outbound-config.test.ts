// The `workspace` config block: defaults, a full block, unknown endpoint names and bad values named by their field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMllpServer, type MllpServer } from '../inbound/mllp/mllp-server.ts';
import { MemoryMessageStore } from '../inbound/mllp/testing/memory-message-store.ts';
import { makeTestCertificates, type TestCertificates } from '../inbound/mllp/testing/test-certificates.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the embedded pharmacy is the reference adapter
import { createEmbeddedPharmacy } from '../platform/pharmacy/embedded/embedded-pharmacy.ts';
import { ErrorCode } from '../kernel/errors.ts';
import type { EhrClient } from '../platform/ehr/ehr-client.ts';
import { silentLogger } from '../platform/log/logger.ts';
import { z } from 'zod';
import {
  addWorkspaceConfigIssues,
  WorkspaceConfigSchema,
  workspaceConfigIssues,
  workspaceOptionsFromConfig,
} from './outbound-config.ts';

/** Only its name is read while building options (requests are made when a task is applied). */
const client = (endpoint: string): EhrClient => ({ endpoint }) as EhrClient;
const ehrClients = new Map([
  ['epic-prod', client('epic-prod')],
  ['pharmacy-fhir', client('pharmacy-fhir')],
]);
const ehr = {
  endpoints: [
    { name: 'epic-prod', patientIdentifiers: { GENHOSP: 'urn:oid:2.16.840.1.113883.3.999' } },
    { name: 'pharmacy-fhir' },
  ],
};

describe('WorkspaceConfigSchema', () => {
  it('an absent block: no writers, the first EHR endpoint, dispense and immunization reports auto-applied at 0.95', async () => {
    const block = WorkspaceConfigSchema.parse(undefined);
    expect(block).toEqual({
      writers: [],
      noteAs: 'communication',
      autoApply: { types: ['dispense-report', 'immunization-report'], minConfidence: 0.95 },
    });
    const options = workspaceOptionsFromConfig(
      { workspace: block, ehr },
      { ehrClients, logger: silentLogger },
    );
    expect(options.ehr?.endpoint).toBe('epic-prod');
    expect(options.registry).toBeUndefined();
    expect(options.writerFactories).toEqual([]);
    expect(options.policy).toEqual({
      autoApplyTypes: ['dispense-report', 'immunization-report'],
      minConfidence: 0.95,
    });
    await options.close?.();
  });

  it('a full block: HL7 v2 and FHIR writers, the EHR endpoint named, a registry, review required for everything', async () => {
    const block = WorkspaceConfigSchema.parse({
      writers: [
        { kind: 'hl7v2', name: 'pharmacy-rde', host: 'pharmacy.example.org', port: 2576 },
        { kind: 'fhir', endpoint: 'pharmacy-fhir' },
      ],
      ehrEndpoint: 'epic-prod',
      immunizationRegistry: {
        name: 'state-iis',
        host: 'iis.example.org',
        port: 6661,
        ackTimeoutMs: 10_000,
        sendingFacility: 'IIS-4417',
        receivingApplication: 'IWEB',
      },
      autoApply: { types: [] },
      noteAs: 'document',
    });
    expect(block.writers[0]).toMatchObject({ ackTimeoutMs: 30_000 });
    expect(block.writers[1]).toMatchObject({ rxNumberSystem: 'urn:rxbridge:pharmacy:rx-number' });
    const options = workspaceOptionsFromConfig(
      { workspace: block, ehr },
      { ehrClients, logger: silentLogger },
    );
    expect(options.ehr?.endpoint).toBe('epic-prod');
    expect(options.registry?.name).toBe('state-iis');
    expect(options.registry?.header).toEqual({ sendingFacility: 'IIS-4417', receivingApplication: 'IWEB' });
    expect(options.policy).toEqual({ autoApplyTypes: [], minConfidence: 0.95 });
    expect(options.ehrPatientSystem?.('GENHOSP')).toBe('urn:oid:2.16.840.1.113883.3.999');
    expect(options.noteAs).toBe('document');
    expect(options.ehrPatientSystem?.('OTHERHOSP')).toBe('urn:rxbridge:authority:OTHERHOSP');
    const pharmacy = {
      findPatient: () => Promise.resolve(undefined),
      getProfile: () => Promise.resolve(undefined),
      listPatients: () => Promise.resolve([]),
    };
    expect(options.writerFactories?.map((make) => make(pharmacy as never).name)).toEqual([
      'hl7v2:pharmacy-rde',
      'fhir:pharmacy-fhir',
    ]);
    // Nothing was connected yet (connections open on first send); closing is still clean.
    await options.close?.();
  });

  it('an unknown endpoint name is an error naming the field and the names there are', () => {
    const block = WorkspaceConfigSchema.parse({
      writers: [
        { kind: 'hl7v2', name: 'rde', host: 'h', port: 2576 },
        { kind: 'fhir', endpoint: 'pharmacy' },
      ],
      ehrEndpoint: 'epic',
    });
    const issues = workspaceConfigIssues({ workspace: block, ehr });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      [
        'workspace.writers.1.endpoint',
        'no ehr.endpoints entry is named "pharmacy" (one of epic-prod, pharmacy-fhir)',
      ],
      ['workspace.ehrEndpoint', 'no ehr.endpoints entry is named "epic" (one of epic-prod, pharmacy-fhir)'],
    ]);
    expect(() =>
      workspaceOptionsFromConfig({ workspace: block, ehr }, { ehrClients, logger: silentLogger }),
    ).toThrow(
      expect.objectContaining({
        code: ErrorCode.ConfigInvalid,
        message: expect.stringContaining(
          'workspace.writers.1.endpoint: no ehr.endpoints entry is named "pharmacy"',
        ) as unknown,
      }),
    );
    expect(
      workspaceConfigIssues({
        workspace: WorkspaceConfigSchema.parse({ ehrEndpoint: 'epic' }),
        ehr: { endpoints: [] },
      })[0]?.message,
    ).toBe('no ehr.endpoints entry is named "epic" (none are configured)');
  });

  it('in an engine schema, superRefine(addWorkspaceConfigIssues) puts each unknown name at its own path', () => {
    const Engine = z
      .strictObject({
        ehr: z
          .strictObject({ endpoints: z.array(z.strictObject({ name: z.string() })).default([]) })
          .prefault({}),
        workspace: WorkspaceConfigSchema,
      })
      .superRefine(addWorkspaceConfigIssues);
    expect(Engine.safeParse({ ehr: { endpoints: [{ name: 'epic-prod' }] } }).success).toBe(true);
    const bad = Engine.safeParse({
      ehr: { endpoints: [{ name: 'epic-prod' }] },
      workspace: { writers: [{ kind: 'fhir', endpoint: 'pharmacy' }] },
    });
    expect(bad.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [
        ['workspace', 'writers', 0, 'endpoint'],
        'no ehr.endpoints entry is named "pharmacy" (one of epic-prod)',
      ],
    ]);
  });

  it('two writers with one name are refused', () => {
    const block = WorkspaceConfigSchema.parse({
      writers: [
        { kind: 'hl7v2', name: 'rde', host: 'a', port: 1 },
        { kind: 'hl7v2', name: 'rde', host: 'b', port: 2 },
      ],
    });
    expect(workspaceConfigIssues({ workspace: block, ehr })).toMatchObject([
      { path: 'workspace.writers.1', message: 'a second writer named hl7v2:rde' },
    ]);
  });

  it.each([
    [{ immunizationRegistry: { name: 'iis', host: 'h', port: 70000 } }, 'immunizationRegistry.port'],
    [{ immunizationRegistry: { name: 'iis', host: 'h', port: 0 } }, 'immunizationRegistry.port'],
    [{ writers: [{ kind: 'hl7v2', name: 'rde', host: 'h', port: '2576' }] }, 'writers.0.port'],
    [{ writers: [{ kind: 'ftp', name: 'x' }] }, 'writers.0.kind'],
    [{ writers: [{ kind: 'hl7v2', name: 'Bad Name', host: 'h', port: 1 }] }, 'writers.0.name'],
    [{ autoApply: { types: ['dispense'] } }, 'autoApply.types.0'],
    [{ autoApply: { minConfidence: 1.5 } }, 'autoApply.minConfidence'],
    [
      {
        immunizationRegistry: {
          name: 'iis',
          host: 'h',
          port: 1,
          tls: { caFile: 'ca.pem', certFile: 'c.pem' },
        },
      },
      'immunizationRegistry.tls',
    ],
    [{ ehrEndpoints: 'x' }, ''],
  ])('%j is refused at %s', (raw, where) => {
    const result = WorkspaceConfigSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(where);
  });

  it('an unreadable TLS file is an error naming the field', () => {
    const block = WorkspaceConfigSchema.parse({
      immunizationRegistry: { name: 'iis', host: 'h', port: 1, tls: { caFile: 'no-such-ca.pem' } },
    });
    expect(() =>
      workspaceOptionsFromConfig({ workspace: block, ehr }, { ehrClients, logger: silentLogger }),
    ).toThrow('workspace.immunizationRegistry.tls.caFile: file cannot be read');
  });
});

describe('connections built from the block (real MLLP listeners)', () => {
  let plain: MllpServer;
  let secure: MllpServer;
  let certs: TestCertificates;
  const plainFeed = new MemoryMessageStore();
  const secureFeed = new MemoryMessageStore();
  beforeAll(async () => {
    certs = makeTestCertificates();
    plain = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      channel: 'mllp:pharmacy',
      store: plainFeed as never,
      logger: silentLogger,
    });
    secure = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      channel: 'mllp:registry',
      store: secureFeed as never,
      logger: silentLogger,
      tls: { ...certs.server, ca: certs.ca, requestClientCert: true },
    });
  });
  afterAll(async () => {
    await plain.close();
    await secure.close();
    certs.remove();
  });

  it('the HL7 v2 writer sends RDE^O11 to its host and port; the registry speaks mutual TLS with the files named', async () => {
    const block = WorkspaceConfigSchema.parse({
      writers: [{ kind: 'hl7v2', name: 'pharmacy-rde', host: '127.0.0.1', port: plain.address().port }],
      immunizationRegistry: {
        name: 'state-iis',
        host: 'localhost',
        port: secure.address().port,
        ackTimeoutMs: 5_000,
        tls: { caFile: certs.files.caCert, certFile: certs.files.clientCert, keyFile: certs.files.clientKey },
      },
    });
    const options = workspaceOptionsFromConfig(
      { workspace: block, ehr },
      { ehrClients, logger: silentLogger },
    );
    try {
      const pharmacy = createEmbeddedPharmacy();
      const rx = (await pharmacy.getProfile('P0001'))!.prescriptions[0]!;
      const writer = options.writerFactories![0]!(pharmacy);
      const receipt = await writer.apply({
        key: 'task-1/item-1',
        patientId: 'P0001',
        prescriptionId: rx.id,
        action: 'discontinue',
        drug: rx.drugName,
        decidedBy: 'user:ana',
        reason: 'stopped at discharge',
      });
      expect(receipt.applied).toBe(true);
      expect(plainFeed.appended).toHaveLength(1);
      expect(Buffer.from(plainFeed.appended[0]!.raw).toString('utf8')).toContain('ORC|DC|');

      const ack = await options.registry!.send(
        'MSH|^~\\&|RXBRIDGE|CORNERPHARM|state-iis|state-iis|20261121100000||VXU^V04^VXU_V04|RXVTEST1|P|2.5.1\rPID|1||MRN10001^^^GENHOSP||WHITFIELD^ELEANOR||19480312|F',
      );
      expect(ack).toMatch(/MSA\|AA\|RXVTEST1/);
      expect(secureFeed.appended).toHaveLength(1);
    } finally {
      await options.close?.();
    }
  });
});
