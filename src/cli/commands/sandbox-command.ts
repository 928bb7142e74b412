// `rxbridge sandbox start`: the EHR sandbox (a FHIR R4 server with SMART Backend Services, paging, bulk export,
// vendor behaviours and faults) to rehearse against. Seeded with the demo pharmacy's fictional patients as FHIR
// resources, or with NDJSON / Bundle files given by --data.
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AllergyIntolerance, MedicationRequest, Patient, Resource } from '@medplum/fhirtypes';
import { stableId } from '../../kernel/ids.ts';
import {
  startSandbox,
  type SandboxClient,
  type SandboxFaults,
} from '../../platform/ehr/sandbox/sandbox-server.ts';
import { SANDBOX_VENDORS, type SandboxVendorName } from '../../platform/ehr/sandbox/sandbox-vendors.ts';
import { generateSigningKey, KeyRing, loadSigningKey, privateKeyPem } from '../../platform/ehr/smart-keys.ts';
import { DEMO_PHARMACY } from '../../platform/pharmacy/embedded/demo-pharmacy.ts';
import type { PharmacyProfile } from '../../platform/pharmacy/pharmacy-system.ts';
import { CliError, ExitCode } from '../cli-output.ts';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const HOSPITAL_MRN = 'urn:oid:2.16.840.1.113883.3.9999.1';

/** The demo pharmacy's fictional patients as an EHR would hold them: Patient, MedicationRequest, AllergyIntolerance. */
export function demoEhrResources(profiles: readonly PharmacyProfile[] = DEMO_PHARMACY.profiles): Resource[] {
  const out: Resource[] = [];
  for (const profile of profiles) {
    const p = profile.patient;
    const mrn = p.identifiers.find((i) => i.system === 'GENHOSP')?.value ?? p.id;
    const patientId = stableId('sandbox-patient', mrn);
    const patient: Patient = {
      resourceType: 'Patient',
      id: patientId,
      identifier: [{ system: HOSPITAL_MRN, value: mrn, type: { text: 'MRN' } }],
      name: [{ family: p.family, given: [p.given] }],
      gender: p.gender,
      birthDate: p.birthDate,
    };
    out.push(patient);
    for (const rx of profile.prescriptions) {
      const request: MedicationRequest = {
        resourceType: 'MedicationRequest',
        id: stableId('sandbox-rx', mrn, rx.id),
        status: rx.status === 'discontinued' ? 'stopped' : rx.status,
        intent: 'order',
        subject: { reference: `Patient/${patientId}` },
        medicationCodeableConcept: {
          ...(rx.rxcui !== undefined ? { coding: [{ system: RXNORM, code: rx.rxcui }] } : {}),
          text: rx.drugName,
        },
        authoredOn: rx.writtenDate,
        dosageInstruction: [{ text: rx.sig }],
      };
      out.push(request);
    }
    for (const allergy of profile.allergies) {
      const entry: AllergyIntolerance = {
        resourceType: 'AllergyIntolerance',
        id: stableId('sandbox-allergy', mrn, allergy.substance),
        patient: { reference: `Patient/${patientId}` },
        clinicalStatus: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
          ],
        },
        code: {
          ...(allergy.rxcui !== undefined ? { coding: [{ system: RXNORM, code: allergy.rxcui }] } : {}),
          text: allergy.substance,
        },
        ...(allergy.reaction !== undefined
          ? { reaction: [{ manifestation: [{ text: allergy.reaction }] }] }
          : {}),
      };
      out.push(entry);
    }
  }
  return out;
}

/** Resources from NDJSON files, FHIR Bundles or single-resource JSON files (a directory is read file by file). */
export function loadSandboxData(path: string): Resource[] {
  if (!existsSync(path)) throw new CliError(`--data ${path}: not found`, ExitCode.Usage);
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .filter((f) => /\.(ndjson|json)$/.test(f))
      .sort()
      .flatMap((f) => loadSandboxData(join(path, f)));
  }
  const text = readFileSync(path, 'utf8');
  const where = (line?: number) => `${path}${line !== undefined ? `:${line}` : ''}`;
  const parse = (s: string, line?: number): unknown => {
    try {
      return JSON.parse(s);
    } catch {
      throw new CliError(`--data ${where(line)}: not JSON`, ExitCode.Usage);
    }
  };
  const out: Resource[] = [];
  const add = (value: unknown, line?: number) => {
    const r = value as Resource;
    if (typeof value !== 'object' || value === null || typeof r.resourceType !== 'string') {
      throw new CliError(`--data ${where(line)}: not a FHIR resource`, ExitCode.Usage);
    }
    if (r.resourceType === 'Bundle') {
      for (const e of r.entry ?? []) if (e.resource !== undefined) add(e.resource, line);
      return;
    }
    out.push(r.id === undefined ? { ...r, id: stableId('sandbox-data', JSON.stringify(r)) } : r);
  };
  if (path.endsWith('.ndjson')) {
    text.split('\n').forEach((l, i) => {
      if (l.trim() !== '') add(parse(l, i + 1), i + 1);
    });
  } else {
    add(parse(text));
  }
  return out;
}

interface SandboxStartOptions {
  vendor: string;
  host: string;
  port: string;
  data?: string[];
  clientId: string;
  jwksUrl?: string;
  clientKey?: string;
  clientAlg: string;
  writeClientKey?: string;
  tenant?: string;
  rateLimit?: string;
  tokenLifetime?: string;
  faults?: string;
}

export function registerSandboxCommand(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('an EHR simulator (FHIR R4 + SMART Backend Services) to rehearse against');
  sandbox
    .command('start')
    .description('serve the EHR sandbox until interrupted (see docs/ehr.md)')
    .option('--vendor <name>', `behaviour: ${SANDBOX_VENDORS.join(', ')}`, 'generic')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port', '8090')
    .option(
      '--data <path...>',
      'NDJSON, Bundle or resource JSON files or directories (default: the demo patients)',
    )
    .option('--client-id <id>', 'the client allowed to ask for tokens', 'rxbridge')
    .option('--jwks-url <url>', "the client's JWKS URL (e.g. RxBridge's /.well-known/jwks.json)")
    .option('--client-key <file>', "the client's private key file (PEM/JWK): its public half is registered")
    .option('--client-alg <alg>', 'RS384 or ES384 for --client-key / --write-client-key', 'ES384')
    .option('--write-client-key <file>', 'generate a client key, write it here (mode 600) and register it')
    .option('--tenant <id>', 'tenant id in the URL (oracle-health)')
    .option('--rate-limit <n>', 'requests per second per client before 429')
    .option('--token-lifetime <seconds>', 'access token lifetime (default: the vendor behaviour)')
    .option('--faults <json>', 'faults to inject, e.g. {"throttleEvery":20,"burstEvery":50,"burstLength":3}')
    .action(async (opts: SandboxStartOptions) => {
      if (!SANDBOX_VENDORS.includes(opts.vendor as SandboxVendorName)) {
        throw new CliError(`--vendor must be one of ${SANDBOX_VENDORS.join(', ')}`, ExitCode.Usage);
      }
      const alg = opts.clientAlg === 'RS384' ? 'RS384' : opts.clientAlg === 'ES384' ? 'ES384' : undefined;
      if (alg === undefined) throw new CliError('--client-alg must be RS384 or ES384', ExitCode.Usage);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError('--port must be 0-65535', ExitCode.Usage);
      let faults: SandboxFaults = {};
      if (opts.faults !== undefined) {
        try {
          faults = JSON.parse(opts.faults) as SandboxFaults;
        } catch {
          throw new CliError('--faults must be a JSON object', ExitCode.Usage);
        }
      }
      const client: SandboxClient = { clientId: opts.clientId };
      if (opts.jwksUrl !== undefined) client.jwksUrl = opts.jwksUrl;
      else if (opts.clientKey !== undefined) {
        client.jwks = new KeyRing([loadSigningKey({ file: opts.clientKey }, alg)]).jwks(Date.now()) as never;
      } else if (opts.writeClientKey !== undefined) {
        const key = generateSigningKey(alg);
        writeFileSync(opts.writeClientKey, privateKeyPem(key), { mode: 0o600 });
        chmodSync(opts.writeClientKey, 0o600);
        client.jwks = new KeyRing([key]).jwks(Date.now()) as never;
        process.stdout.write(`client key written to ${opts.writeClientKey} (kid ${key.kid}, ${alg})\n`);
      } else {
        throw new CliError(
          'give the client key: --jwks-url, --client-key or --write-client-key',
          ExitCode.Usage,
        );
      }
      const keyFile = opts.clientKey ?? opts.writeClientKey;
      const resources = opts.data !== undefined ? opts.data.flatMap(loadSandboxData) : demoEhrResources();
      const started = await startSandbox({
        vendor: opts.vendor as SandboxVendorName,
        host: opts.host,
        port,
        clients: [client],
        resources,
        faults,
        ...(opts.tenant !== undefined ? { tenant: opts.tenant } : {}),
        ...(opts.rateLimit !== undefined ? { rateLimitPerSecond: Number(opts.rateLimit) } : {}),
        ...(opts.tokenLifetime !== undefined ? { tokenLifetimeSeconds: Number(opts.tokenLifetime) } : {}),
      });
      process.stdout.write(
        [
          `EHR sandbox (${started.vendor.name}) with ${started.data.count()} resources`,
          `  FHIR base:  ${started.fhirBase}`,
          `  token URL:  ${started.tokenUrl}`,
          `  client id:  ${opts.clientId}`,
          `  check it:   rxbridge ehr check --base-url ${started.fhirBase} --vendor ${started.vendor.name}`,
          ...(keyFile !== undefined
            ? [
                '  to rehearse the EHR flows, add to the engine config (docs/ehr.md, "The flows in the pipeline"):',
                '    ehr:',
                '      endpoints:',
                '        - name: sandbox',
                `          baseUrl: ${started.fhirBase}`,
                `          vendor: ${started.vendor.name}`,
                `          clientId: ${opts.clientId}`,
                `          key: { alg: ${alg}, file: ${keyFile} }`,
                ...(opts.data === undefined
                  ? [`          patientIdentifiers: { GENHOSP: '${HOSPITAL_MRN}' }`]
                  : []),
              ]
            : []),
          'Ctrl-C stops it.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await started.close();
    });
}
