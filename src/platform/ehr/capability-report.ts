// The start-up capability report: a vendor profile checked against the server's CapabilityStatement, saying in plain
// words what will work, what falls back, and what will not.
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import type { ProfileQuery, VendorProfile } from './vendor-profiles.ts';

export type CapabilityStatus = 'ok' | 'fallback' | 'degraded' | 'unavailable';

export interface CapabilityLine {
  /** `read medications`, `write dispense`, `incremental sync`, `bulk export`, `SMART token endpoint`. */
  feature: string;
  status: CapabilityStatus;
  detail: string;
}

export interface CapabilityReport {
  profile: string;
  fhirVersion: string;
  software: string;
  lines: CapabilityLine[];
  /** Count of lines per status. */
  summary: Record<CapabilityStatus, number>;
}

const UNIVERSAL = new Set(['_id', '_lastUpdated', '_count', '_include', '_revinclude', '_sort']);

function resourcesOf(cs: CapabilityStatement): Map<string, CapabilityStatementRestResource> {
  const server = cs.rest?.find((r) => r.mode === 'server') ?? cs.rest?.[0];
  return new Map((server?.resource ?? []).map((r) => [r.type ?? '', r]));
}

function describeQuery(q: ProfileQuery): string {
  return `${q.resourceType}?${Object.keys(q.params).join('&')}`;
}

/** Why a query cannot run here, or undefined when it can. */
function queryProblem(
  q: ProfileQuery,
  resources: Map<string, CapabilityStatementRestResource>,
): string | undefined {
  const r = resources.get(q.resourceType);
  if (r === undefined) return `${q.resourceType} is not offered`;
  if (!(r.interaction ?? []).some((i) => i.code === 'search-type'))
    return `${q.resourceType} cannot be searched`;
  const params = new Set((r.searchParam ?? []).map((p) => p.name));
  const missing = Object.keys(q.params).filter((p) => !UNIVERSAL.has(p) && !params.has(p));
  return missing.length > 0 ? `${q.resourceType} lacks search parameter ${missing.join(', ')}` : undefined;
}

/** What `.well-known/smart-configuration` says, as far as the report needs it. */
export interface SmartConfiguration {
  token_endpoint?: string;
  token_endpoint_auth_signing_alg_values_supported?: string[];
  scopes_supported?: string[];
}

export interface CapabilityContext {
  baseUrl?: string;
  smart?: SmartConfiguration;
  /** The algorithm our key for this endpoint signs with. */
  keyAlg?: string;
}

export function checkCapabilities(
  profile: VendorProfile,
  cs: CapabilityStatement,
  context: CapabilityContext = {},
): CapabilityReport {
  const resources = resourcesOf(cs);
  const lines: CapabilityLine[] = [];
  const server = cs.rest?.find((r) => r.mode === 'server') ?? cs.rest?.[0];

  const oauth = server?.security?.extension
    ?.find((e) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris')
    ?.extension?.find((e) => e.url === 'token')?.valueUri;
  lines.push(
    oauth !== undefined
      ? { feature: 'SMART token endpoint', status: 'ok', detail: `advertised (${oauth})` }
      : {
          feature: 'SMART token endpoint',
          status: 'degraded',
          detail: 'not in the CapabilityStatement; discovery through .well-known/smart-configuration',
        },
  );
  if (context.smart !== undefined) {
    const algs = context.smart.token_endpoint_auth_signing_alg_values_supported;
    const wanted = context.keyAlg !== undefined ? [context.keyAlg] : ['RS384', 'ES384'];
    const usable = algs === undefined ? wanted : wanted.filter((a) => algs.includes(a));
    lines.push(
      usable.length > 0
        ? { feature: 'assertion algorithm', status: 'ok', detail: `${usable.join(', ')} accepted` }
        : {
            feature: 'assertion algorithm',
            status: 'unavailable',
            detail: `server accepts ${algs?.join(', ') ?? 'none'}, our key is ${wanted.join(', ')}`,
          },
    );
    const supported = context.smart.scopes_supported;
    if (supported !== undefined) {
      const missing = profile.scopes.filter((scope) => {
        const [type = '', perm = ''] = scope.replace(/^system\//, '').split('.');
        return (
          !supported.includes(scope) &&
          !supported.includes(`system/*.${perm}`) &&
          !supported.includes(`system/${type}.*`)
        );
      });
      lines.push(
        missing.length === 0
          ? { feature: 'scopes', status: 'ok', detail: `${profile.scopes.length} profile scopes advertised` }
          : {
              feature: 'scopes',
              status: 'degraded',
              detail: `not advertised: ${missing.join(' ')} (ask the EHR to grant them)`,
            },
      );
    }
  }
  if (profile.tenantInPath && context.baseUrl !== undefined) {
    const last = new URL(context.baseUrl).pathname.replace(/\/+$/, '').split('/').pop() ?? '';
    lines.push(
      /^(r4|fhir|api)?$/i.test(last)
        ? {
            feature: 'tenant in URL',
            status: 'unavailable',
            detail: `${profile.description} puts the tenant id in the base URL; this one ends at /${last}`,
          }
        : { feature: 'tenant in URL', status: 'ok', detail: 'base URL carries a tenant segment' },
    );
  }
  if (cs.fhirVersion !== undefined && !cs.fhirVersion.startsWith('4.0')) {
    lines.push({
      feature: 'FHIR version',
      status: 'unavailable',
      detail: `server speaks ${cs.fhirVersion}, RxBridge needs R4 (4.0.x)`,
    });
  }

  for (const [question, queries] of Object.entries(profile.questions)) {
    const problems: string[] = [];
    let chosen: number | undefined;
    queries.forEach((q, i) => {
      if (chosen !== undefined) return;
      const problem = queryProblem(q, resources);
      if (problem === undefined) chosen = i;
      else problems.push(problem);
    });
    const feature = `read ${question}`;
    const first = queries[0];
    if (chosen === undefined) {
      lines.push({
        feature,
        status: 'unavailable',
        detail: `${problems.join('; ')}: this question cannot be answered`,
      });
    } else if (chosen === 0 || first === undefined) {
      lines.push({ feature, status: 'ok', detail: describeQuery(queries[chosen] as ProfileQuery) });
    } else {
      lines.push({
        feature,
        status: 'fallback',
        detail: `${describeQuery(queries[chosen] as ProfileQuery)} (${problems.join('; ')})`,
      });
    }
  }

  for (const write of profile.writes) {
    const feature = `write ${write.purpose}`;
    let line: CapabilityLine | undefined;
    const problems: string[] = [];
    for (const [i, type] of write.resourceTypes.entries()) {
      const r = resources.get(type);
      const create = (r?.interaction ?? []).some((x) => x.code === 'create');
      if (r === undefined || !create) {
        problems.push(`${type} cannot be created`);
        continue;
      }
      const conditional = r.conditionalCreate === true;
      const status: CapabilityStatus = !conditional ? 'degraded' : i === 0 ? 'ok' : 'fallback';
      const how = conditional
        ? `${type} by conditional create (If-None-Exist)`
        : `${type} without conditional create: a lost response may duplicate the write; RxBridge searches first`;
      line = { feature, status, detail: problems.length > 0 ? `${how} (${problems.join('; ')})` : how };
      break;
    }
    lines.push(
      line ?? {
        feature,
        status: 'unavailable',
        detail: `${problems.join('; ')}: write-back is off for this purpose`,
      },
    );
  }

  const withLastUpdated = [...resources.values()].filter((r) =>
    (r.searchParam ?? []).some((p) => p.name === '_lastUpdated'),
  ).length;
  lines.push(
    profile.lastUpdatedSearch && withLastUpdated > 0
      ? {
          feature: 'incremental sync',
          status: 'ok',
          detail: `_lastUpdated on ${withLastUpdated} resource types`,
        }
      : {
          feature: 'incremental sync',
          status: 'degraded',
          detail: '_lastUpdated not offered: the sync re-reads and compares',
        },
  );

  const exportOp = [
    ...(server?.operation ?? []),
    ...[...resources.values()].flatMap((r) => r.operation ?? []),
  ].some((o) => o.name === 'export');
  lines.push(
    !profile.bulkExport
      ? { feature: 'bulk export', status: 'unavailable', detail: 'not used with this vendor profile' }
      : exportOp
        ? { feature: 'bulk export', status: 'ok', detail: '$export offered' }
        : { feature: 'bulk export', status: 'unavailable', detail: '$export not in the CapabilityStatement' },
  );
  const batch = (server?.interaction ?? []).some((i) => i.code === 'batch' || i.code === 'transaction');
  lines.push(
    batch
      ? { feature: 'batch/transaction', status: 'ok', detail: 'offered' }
      : { feature: 'batch/transaction', status: 'degraded', detail: 'not offered: writes go one by one' },
  );

  const summary: Record<CapabilityStatus, number> = { ok: 0, fallback: 0, degraded: 0, unavailable: 0 };
  for (const l of lines) summary[l.status]++;
  return {
    profile: profile.name,
    fhirVersion: cs.fhirVersion ?? 'unknown',
    software: cs.software?.name ?? 'unknown',
    lines,
    summary,
  };
}

const MARK: Record<CapabilityStatus, string> = {
  ok: 'ok',
  fallback: 'fallback',
  degraded: 'degraded',
  unavailable: 'NO',
};

export function formatCapabilityReport(endpoint: string, report: CapabilityReport): string {
  const width = Math.max(...report.lines.map((l) => l.feature.length));
  const out = [
    `EHR ${endpoint}: profile ${report.profile}, ${report.software}, FHIR ${report.fhirVersion}`,
    ...report.lines.map((l) => `  ${MARK[l.status].padEnd(11)}${l.feature.padEnd(width + 2)}${l.detail}`),
    `  ${report.summary.ok} ok, ${report.summary.fallback} fallback, ${report.summary.degraded} degraded, ${report.summary.unavailable} unavailable`,
  ];
  return `${out.join('\n')}\n`;
}
