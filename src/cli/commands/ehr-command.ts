// `rxbridge ehr`: check an EHR endpoint against its vendor profile, make signing keys, import a bulk export.
import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { EhrEndpointConfig } from '../../config/config-schema.ts';
import { importBulk } from '../../inbound/fhir/bulk-import.ts';
import { syncIncremental } from '../../inbound/fhir/incremental-sync.ts';
import { keyringSealer, type TextSealer } from '../../governance/crypto/text-sealer.ts';
import { openSqliteFhirStore } from '../../inbound/fhir/sqlite-fhir-store.ts';
import { keyringFor } from '../../main.ts';
import {
  checkCapabilities,
  formatCapabilityReport,
  type SmartConfiguration,
} from '../../platform/ehr/capability-report.ts';
import { FhirBulkClient } from '../../platform/ehr/fhir/bulk-client.ts';
import { FhirClient } from '../../platform/ehr/fhir/fhir-client.ts';
import { connectEhr } from '../../platform/ehr/fhir/from-config.ts';
import {
  generateSigningKey,
  privateKeyPem,
  SIGNING_ALGS,
  type SigningAlg,
} from '../../platform/ehr/smart-keys.ts';
import { VENDOR_NAMES, VENDOR_PROFILES, type VendorName } from '../../platform/ehr/vendor-profiles.ts';
import { CliError, ExitCode } from '../cli-output.ts';
import { configFor } from './engine-config.ts';

/** The EHR resource store holds patient data: sealed with the installation's keys, like the engine's store. */
function ehrStoreSealer(program: Command): TextSealer {
  return keyringSealer(keyringFor(configFor(program)));
}

function endpointNamed(program: Command, name: string): EhrEndpointConfig {
  const endpoints = configFor(program).ehr.endpoints;
  const found = endpoints.find((e) => e.name === name);
  if (found === undefined) {
    const known = endpoints.map((e) => e.name).join(', ') || 'none configured';
    throw new CliError(`no EHR endpoint named ${name} (ehr.endpoints: ${known})`, ExitCode.Usage);
  }
  return found;
}

function vendorOf(value: string): VendorName {
  if (!VENDOR_NAMES.includes(value as VendorName)) {
    throw new CliError(`--vendor must be one of ${VENDOR_NAMES.join(', ')}`, ExitCode.Usage);
  }
  return value as VendorName;
}

export function registerEhrCommand(program: Command): void {
  const ehr = program.command('ehr').description('EHR connections (FHIR R4, SMART Backend Services)');

  ehr
    .command('check [endpoint]')
    .description(
      "print the capability report: the vendor profile checked against the server's CapabilityStatement",
    )
    .option('--base-url <url>', 'check a FHIR base URL that is not in the config')
    .option('--vendor <profile>', `vendor profile: ${VENDOR_NAMES.join(', ')}`)
    .option('--token', 'also request an access token (configured endpoints only)')
    .action(
      async (name: string | undefined, opts: { baseUrl?: string; vendor?: string; token?: boolean }) => {
        let targets: Array<{ name: string; baseUrl: string; vendor: VendorName; config?: EhrEndpointConfig }>;
        if (opts.baseUrl !== undefined) {
          try {
            new URL(opts.baseUrl);
          } catch {
            throw new CliError(`--base-url ${opts.baseUrl} is not a URL`, ExitCode.Usage);
          }
          targets = [
            { name: name ?? 'adhoc', baseUrl: opts.baseUrl, vendor: vendorOf(opts.vendor ?? 'generic') },
          ];
        } else if (name !== undefined) {
          const config = endpointNamed(program, name);
          targets = [
            { name, baseUrl: config.baseUrl, vendor: vendorOf(opts.vendor ?? config.vendor), config },
          ];
        } else {
          const endpoints = configFor(program).ehr.endpoints;
          if (endpoints.length === 0) {
            throw new CliError(
              'no EHR endpoints configured (ehr.endpoints); or give --base-url',
              ExitCode.Usage,
            );
          }
          targets = endpoints.map((c) => ({ name: c.name, baseUrl: c.baseUrl, vendor: c.vendor, config: c }));
        }
        let unavailable = 0;
        for (const target of targets) {
          const client = new FhirClient({
            name: target.name,
            baseUrl: target.baseUrl,
            maxRetries: 2,
            deadlineMs: 20_000,
          });
          const cs = await client.capabilities();
          // Discovery is optional for the report: without it the CapabilityStatement is still checked.
          const smart = await fetch(`${target.baseUrl.replace(/\/+$/, '')}/.well-known/smart-configuration`, {
            headers: { accept: 'application/json' },
            signal: AbortSignal.timeout(10_000),
          })
            .then(async (r) => (r.ok ? ((await r.json()) as SmartConfiguration) : undefined))
            .catch(() => undefined);
          const report = checkCapabilities(VENDOR_PROFILES[target.vendor], cs, {
            baseUrl: target.baseUrl,
            ...(smart !== undefined ? { smart } : {}),
            ...(target.config !== undefined ? { keyAlg: target.config.key.alg } : {}),
          });
          unavailable += report.summary.unavailable;
          process.stdout.write(formatCapabilityReport(target.name, report));
          if (opts.token === true && target.config !== undefined) {
            const connection = connectEhr(target.config);
            await connection.auth.get();
            process.stdout.write(
              `  ok         access token       granted (client ${target.config.clientId})\n`,
            );
          }
        }
        if (unavailable > 0) process.exitCode = ExitCode.Failed;
      },
    );

  ehr
    .command('keygen')
    .description(
      'make a signing key for SMART Backend Services; prints its public JWK to register with the EHR',
    )
    .option('--alg <alg>', 'RS384 or ES384', 'ES384')
    .requiredOption(
      '--out <file>',
      'where to write the private key (PEM, mode 600); reference it from config',
    )
    .action((opts: { alg: string; out: string }) => {
      if (!SIGNING_ALGS.includes(opts.alg as SigningAlg))
        throw new CliError('--alg must be RS384 or ES384', ExitCode.Usage);
      const key = generateSigningKey(opts.alg as SigningAlg);
      writeFileSync(opts.out, privateKeyPem(key), { mode: 0o600, flag: 'wx' });
      process.stdout.write(
        `private key written to ${opts.out} (kid ${key.kid})\n${JSON.stringify({ keys: [key.publicJwk] }, null, 2)}\n`,
      );
    });

  ehr
    .command('sync <endpoint>')
    .description('incremental sync (_lastUpdated after the stored watermarks) for the given EHR patient ids')
    .requiredOption('--patient <id...>', 'patient ids on that EHR')
    .option('--db <path>', 'EHR resource store (SQLite)', './data/ehr.db')
    .action(async (name: string, opts: { patient: string[]; db: string }) => {
      const connection = connectEhr(endpointNamed(program, name));
      const store = openSqliteFhirStore(opts.db, ehrStoreSealer(program));
      try {
        const result = await syncIncremental({
          client: connection.client,
          store,
          profile: connection.profile,
          patients: opts.patient,
        });
        process.stdout.write(
          `${result.searches} searches: ${result.counts.inserted} new, ${result.counts.updated} updated, ` +
            `${result.counts.unchanged} unchanged\n`,
        );
        for (const c of result.changes) process.stdout.write(`  ${c.change} ${c.resourceType}/${c.id}\n`);
        for (const u of result.unanswerable)
          process.stderr.write(`cannot answer ${u.question}: ${u.reason}\n`);
      } finally {
        store.close();
      }
    });

  ehr
    .command('import <endpoint>')
    .description('bulk export from a configured endpoint into the EHR store; resumes an interrupted import')
    .option('--types <list>', 'resource types, comma-separated (default: all the server exports)')
    .option('--group <id>', 'export one Group of patients instead of the whole system')
    .option('--db <path>', 'EHR resource store (SQLite)', './data/ehr.db')
    .action(async (name: string, opts: { types?: string; group?: string; db: string }) => {
      const connection = connectEhr(endpointNamed(program, name));
      const bulk = new FhirBulkClient({ client: connection.client, auth: connection.auth });
      const store = openSqliteFhirStore(opts.db, ehrStoreSealer(program));
      const bar = new SingleBar({
        format: 'bulk import |{bar}| {value}/{total} resources {file}',
        hideCursor: true,
      });
      let started = false;
      try {
        const result = await importBulk({
          endpoint: name,
          bulk,
          store,
          request: {
            level: opts.group !== undefined ? { group: opts.group } : 'system',
            ...(opts.types !== undefined ? { types: opts.types.split(',').filter(Boolean) } : {}),
          },
          onPoll: (p) =>
            process.stderr.write(`export in progress${p.progress !== undefined ? `: ${p.progress}` : ''}\n`),
          onProgress: (p) => {
            if (!started) {
              bar.start(p.expected ?? p.resources, 0, { file: '' });
              started = true;
            }
            if (p.expected === undefined) bar.setTotal(p.resources);
            bar.update(p.resources, { file: p.file });
          },
        });
        if (started) bar.stop();
        process.stdout.write(
          `imported ${result.resources} resources from ${result.files} files${result.resumed ? ' (resumed)' : ''}; ` +
            `${result.invalid.length} invalid lines; next export asks for changes since ${result.transactionTime}\n`,
        );
        for (const bad of result.invalid.slice(0, 20)) {
          process.stderr.write(`invalid: ${bad.file} line ${bad.line}: ${bad.error}\n`);
        }
      } finally {
        if (started) bar.stop();
        store.close();
      }
    });
}
