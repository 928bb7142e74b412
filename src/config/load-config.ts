// Reads the config file and RXBRIDGE_* environment overrides, validates once, and names every bad key.
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fail, ok, type Issue, type Result } from '../kernel/result.ts';
import { workspaceConfigIssues } from '../outbound/outbound-config.ts';
import { ConfigSchema, type Config } from './config-schema.ts';

/** Environment variables that override config keys; values are parsed by the type the key needs. */
export const ENV_OVERRIDES: ReadonlyArray<{ env: string; key: string; kind: 'string' | 'int' | 'bool' }> = [
  { env: 'RXBRIDGE_STORE', key: 'store', kind: 'string' },
  { env: 'RXBRIDGE_BUS', key: 'bus', kind: 'string' },
  { env: 'RXBRIDGE_HTTP_HOST', key: 'http.host', kind: 'string' },
  { env: 'RXBRIDGE_HTTP_PORT', key: 'http.port', kind: 'int' },
  { env: 'RXBRIDGE_MLLP_HOST', key: 'mllp.listeners.0.host', kind: 'string' },
  { env: 'RXBRIDGE_MLLP_PORT', key: 'mllp.listeners.0.port', kind: 'int' },
  { env: 'RXBRIDGE_WORKER_CONCURRENCY', key: 'worker.concurrency', kind: 'int' },
  { env: 'RXBRIDGE_RETENTION_DAYS', key: 'retention.days', kind: 'int' },
  { env: 'RXBRIDGE_RXNORM_FILE', key: 'knowledge.rxnormFile', kind: 'string' },
  { env: 'RXBRIDGE_DEMO', key: 'demo', kind: 'bool' },
  { env: 'RXBRIDGE_LOG_LEVEL', key: 'log.level', kind: 'string' },
  { env: 'RXBRIDGE_CDSI_DIR', key: 'knowledge.cdsiDir', kind: 'string' },
  { env: 'RXBRIDGE_DROP_FOLDER', key: 'files.dropFolder', kind: 'string' },
];

export const DEFAULT_CONFIG_FILES = ['rxbridge.yaml', 'rxbridge.yml', 'rxbridge.json'];

export interface LoadConfigOptions {
  /** Explicit file; when absent, RXBRIDGE_CONFIG, then the default names in the working directory. */
  file?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides applied last (CLI flags). */
  overrides?: Record<string, unknown>;
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** The file read, if any. */
  file?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Result<LoadedConfig> {
  const env = options.env ?? process.env;
  const issues: Issue[] = [];
  const cwd = options.cwd ?? process.cwd();
  const file =
    options.file ??
    env['RXBRIDGE_CONFIG'] ??
    DEFAULT_CONFIG_FILES.map((f) => `${cwd}/${f}`).find((f) => existsSync(f));
  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    const read = readConfigFile(file);
    if (!read.ok) return fail(read.issues);
    raw = read.value;
  }
  for (const o of ENV_OVERRIDES) {
    const value = env[o.env];
    if (value === undefined || value === '') continue;
    const parsed = parseEnvValue(value, o.kind);
    if (parsed === undefined) {
      issues.push({
        severity: 'error',
        code: 'value',
        path: o.key,
        message: `${o.env}=${JSON.stringify(value)} is not a valid ${o.kind === 'int' ? 'whole number' : 'true/false'}`,
      });
      continue;
    }
    setPath(raw, o.key, parsed);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) setPath(raw, key, value);
  if (issues.length > 0) return fail(issues);
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    return fail(
      result.error.issues.map((i) => {
        const path = i.path.join('.');
        const value = getPath(raw, i.path);
        const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
        return { severity: 'error', code: 'value', path, message: `${i.message}${shown}` };
      }),
    );
  }
  // Checks across blocks: names that must refer to an ehr.endpoints entry.
  const cross = [...workspaceConfigIssues(result.data), ...ehrFlowIssues(result.data)];
  if (cross.length > 0) return fail(cross);
  return ok(file === undefined ? { config: result.data } : { config: result.data, file });
}

function readConfigFile(file: string): Result<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fail([
      { severity: 'error', code: 'not-found', path: file, message: 'config file cannot be read' },
    ]);
  }
  try {
    const data: unknown = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
    if (data === null || data === undefined) return ok({});
    if (typeof data !== 'object' || Array.isArray(data)) {
      return fail([
        { severity: 'error', code: 'structure', path: file, message: 'config must be a mapping of keys' },
      ]);
    }
    return ok(data as Record<string, unknown>);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    return fail([
      { severity: 'error', code: 'structure', path: file, message: `not valid YAML/JSON: ${reason}` },
    ]);
  }
}

function parseEnvValue(value: string, kind: 'string' | 'int' | 'bool'): unknown {
  switch (kind) {
    case 'string':
      return value;
    case 'int':
      return /^-?\d+$/.test(value) ? Number(value) : undefined;
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(value)) return true;
      if (/^(0|false|no|off)$/i.test(value)) return false;
      return undefined;
  }
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const nextIsIndex = /^\d+$/.test(parts[i + 1] as string);
    const container = node;
    let child = container[part];
    if (typeof child !== 'object' || child === null) {
      child = nextIsIndex ? [] : {};
      container[part] = child;
    }
    if (nextIsIndex && Array.isArray(child) && child[Number(parts[i + 1])] === undefined) {
      // An override of the first listener creates it with the default name.
      child[Number(parts[i + 1])] = { name: 'default' };
    }
    node = child as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function getPath(source: unknown, path: readonly PropertyKey[]): unknown {
  let node = source;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function ehrFlowIssues(config: Config): Issue[] {
  const name = config.ehr.flows.endpoint;
  const names = config.ehr.endpoints.map((e) => e.name);
  if (name === undefined || names.includes(name)) return [];
  return [
    {
      severity: 'error',
      code: 'value',
      path: 'ehr.flows.endpoint',
      message: `no ehr.endpoints entry is named ${JSON.stringify(name)} (${names.length ? `one of ${names.join(', ')}` : 'none are configured'})`,
    },
  ];
}
