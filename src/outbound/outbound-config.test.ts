// The `workspace` config block: defaults, a full block, unknown endpoint names and bad values named by their field.
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../kernel/errors.ts';
import type { EhrClient } from '../platform/ehr/ehr-client.ts';
import { silentLogger } from '../platform/log/logger.ts';
import {
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
const ehr = { endpoints: [{ name: 'epic-prod' }, { name: 'pharmacy-fhir' }] };

describe('WorkspaceConfigSchema', () => {
  it('an absent block: no writers, the first EHR endpoint, dispense and immunization reports auto-applied at 0.95', async () => {
    const block = WorkspaceConfigSchema.parse(undefined);
    expect(block).toEqual({
      writers: [],
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
      immunizationRegistry: { name: 'state-iis', host: 'iis.example.org', port: 6661, ackTimeoutMs: 10_000 },
      autoApply: { types: [] },
    });
    expect(block.writers[0]).toMatchObject({ ackTimeoutMs: 30_000 });
    expect(block.writers[1]).toMatchObject({ rxNumberSystem: 'urn:rxbridge:pharmacy:rx-number' });
    const options = workspaceOptionsFromConfig(
      { workspace: block, ehr },
      { ehrClients, logger: silentLogger },
    );
    expect(options.ehr?.endpoint).toBe('epic-prod');
    expect(options.registry?.name).toBe('state-iis');
    expect(options.policy).toEqual({ autoApplyTypes: [], minConfidence: 0.95 });
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
