// The security suite S1–S12 (QUALITY.md), runnable: `node test/security/run.ts`. S1–S4, S6 and S7 are measured here
// on the real engine and printed as figures; the vitest files that prove S4 (PostgreSQL), S5 and S8–S12 (found by
// their S-number, wherever they live) are run and their own printed figures and pass counts shown. Exit 1 if any fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tamperTrials } from './audit-tamper-suite.ts';
import { runCanaryScenario } from './canary-scenario.ts';
import { cipherTamperTrials, rotationUnderLoad } from './encryption-suite.ts';
import { runRouteSuite } from './route-suite.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Row {
  id: string;
  test: string;
  figures: string;
  pass: boolean;
}

const rows: Row[] = [];
const add = (id: string, test: string, figures: string, pass: boolean): void => {
  rows.push({ id, test, figures, pass });
  process.stdout.write(`${pass ? 'PASS' : 'FAIL'} ${id} ${test}: ${figures}\n`);
};

function testFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) testFiles(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** Test files that name the S-number in their header comment or a test title. */
function filesFor(id: string): string[] {
  const pattern = new RegExp(
    `(?:QUALITY[^\\n]*\\b${id}\\b|^//[^\\n]*\\b${id}\\b|(?:it|test|describe)\\(\\s*['\`][^'\`]*\\b${id}\\b)`,
    'm',
  );
  return [...testFiles(join(ROOT, 'src')), ...testFiles(join(ROOT, 'test'))]
    .filter((f) => pattern.test(readFileSync(f, 'utf8').slice(0, 200_000)))
    .map((f) => relative(ROOT, f));
}

function runVitest(files: string[]): { pass: boolean; summary: string; figureLines: string[] } {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  // eslint-disable-next-line no-control-regex
  const out = `${r.stdout}\n${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  const tests = /Tests\s+([^\n]+)/.exec(out)?.[1]?.trim() ?? 'no summary';
  const figureLines = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^S\d+\b/.test(l) || /^(CDS|MLLP|TLS)/.test(l))
    .map((l) => (l.length > 240 ? `${l.slice(0, 239)}…` : l))
    .slice(0, 6);
  return { pass: r.status === 0, summary: tests, figureLines };
}

function external(id: string, test: string, extra: string[] = []): void {
  const present = extra.filter((f) => statSync(join(ROOT, f), { throwIfNoEntry: false }) !== undefined);
  const files = [...new Set([...filesFor(id), ...present])];
  if (files.length === 0) {
    add(id, test, 'no test in this tree names it yet', false);
    return;
  }
  const r = runVitest(files);
  add(
    id,
    test,
    `${files.join(', ')}: ${r.summary}${r.figureLines.length ? ` | ${r.figureLines.join(' | ')}` : ''}`,
    r.pass,
  );
}

const started = Date.now();

// S1–S3: the real engine.
const s = await runRouteSuite();
add(
  'S1',
  'routes × {anonymous, each role, other site}',
  `${s.routes} routes (${s.publicRoutes} public), ${s.matrixCalls} calls, ${s.matrixViolations.length} violations; ${s.crossSiteReads} cross-site reads, ${s.crossSiteLeaks.length} leaks`,
  s.matrixViolations.length === 0 && s.crossSiteLeaks.length === 0,
);
add(
  'S2',
  'unauthenticated 50 MB / JSON bomb / XML bomb / wrong types',
  `${s.flood401}/${s.floodRequests} refused with 401 before parsing; bodies parsed for unauthenticated requests: ${s.bodiesParsedUnauthenticated}`,
  s.flood401 === s.floodRequests && s.bodiesParsedUnauthenticated === 0,
);
add(
  'S3',
  'one audit entry per PHI read; audit down → refused',
  `${s.phiReadsWithOneEntry}/${s.phiReads} PHI reads with exactly one complete entry${s.phiAuditProblems.length ? ` (${s.phiAuditProblems.join('; ')})` : ''}; audit down: ${s.auditDownRefused}/${s.auditDownTried} refused`,
  s.phiAuditProblems.length === 0 && s.auditDownRefused === s.auditDownTried,
);

// S4: tamper trials, then the PostgreSQL role test.
const t = await tamperTrials(200);
add(
  'S4',
  'audit tamper detection (hash chain + signed checkpoints)',
  `${t.detected}/${t.trials} (${((100 * t.detected) / t.trials).toFixed(1)}%): ${Object.entries(t.byKind)
    .map(([k, v]) => `${k} ${v.detected}/${v.trials}`)
    .join(', ')}`,
  t.detected === t.trials,
);
const pg = runVitest(['test/security/postgres-audit-role.test.ts', 'test/security/audit-tamper.test.ts']);
add('S4', 'app role cannot UPDATE/DELETE audit rows (PostgreSQL); CLI verify', pg.summary, pg.pass);

external('S5', 'XML: DTDs, entities, bombs, deep nesting in C-CDA and webhooks', [
  'src/inbound/ccda/xml/safe-xml.test.ts',
  'test/e2e/ccda-attacks.test.ts',
]);

// S6: authentication facts (vitest) and the canary scan.
const auth = runVitest(['test/security/auth.test.ts', 'test/security/governance.test.ts']);
add(
  'S6',
  'scrypt, TOTP, idle/absolute sessions, break-glass (reason, time-box, report)',
  auth.summary,
  auth.pass,
);
const c = await runCanaryScenario();
add(
  'S6',
  'canary secrets and PHI in logs and database files',
  `${c.files} files, ${c.bytes} bytes, ${c.phi} PHI + ${c.secrets} secret canaries: ${c.hits.length} plaintext hits`,
  c.hits.length === 0 && Object.values(c.controls).every(Boolean),
);

// S7: encryption.
const ct = cipherTamperTrials(10_000);
const rot = await rotationUnderLoad(3_000);
add(
  'S7',
  'AES-256-GCM envelopes, rotation under load',
  `tampered ciphertext detected ${ct.detected}/${ct.trials}; rotation: ${rot.ops} ops, ${rot.failures} failures, key versions ${rot.versions.join(',')}`,
  ct.detected === ct.trials && rot.failures === 0,
);

external('S8', 'TLS for HTTP and MLLP; weak protocols refused', ['test/security/https.test.ts']);
external('S9', 'SMART client assertions, token refresh, next links', ['test/e2e/ehr-smart.test.ts']);
external('S10', 'webhook receiver: unsigned, forged, replayed, stale');
external('S11', 'LLM prompt injection');
external('S12', 'UI: XSS, CSP, no PHI in browser storage after logout');

process.stdout.write(`\nSecurity suite S1–S12 (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
const w = (text: string, n: number): string =>
  text.length > n ? `${text.slice(0, n - 1)}…` : text.padEnd(n);
process.stdout.write(`${w('id', 4)} ${w('result', 6)} ${w('test', 58)} figures\n`);
for (const r of rows)
  process.stdout.write(`${w(r.id, 4)} ${w(r.pass ? 'pass' : 'FAIL', 6)} ${w(r.test, 58)} ${r.figures}\n`);
process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
