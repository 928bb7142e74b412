// Chaos suite runner: `node test/chaos/run.ts [--mode embedded|scaled|both] [--quick] [--messages N] [R2 R5 ...]`
// Runs each scenario against real processes and prints its figures; exits 1 if any promise was broken.
import { parseArgs } from 'node:util';
import { MODES, type Mode } from './cluster.ts';
import { SCENARIOS } from './catalog.ts';
import type { ScenarioResult, Size } from './scenarios.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mode: { type: 'string', default: 'both' },
    quick: { type: 'boolean', default: false },
    messages: { type: 'string' },
    kills: { type: 'string' },
    'outage-seconds': { type: 'string' },
    'real-restarts': { type: 'boolean', default: false },
  },
});

const modes: Mode[] = values.mode === 'both' ? [...MODES] : [values.mode as Mode];
if (!modes.every((m) => MODES.includes(m))) {
  console.error(`--mode must be embedded, scaled or both, not ${values.mode}`);
  process.exit(2);
}
const wanted = positionals.length > 0 ? positionals.map((p) => p.toUpperCase()) : Object.keys(SCENARIOS);
const unknown = wanted.filter((id) => !(id in SCENARIOS));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(' ')}`);
  process.exit(2);
}
const size: Size = values.quick ? 'quick' : 'full';
const number = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

const results: ScenarioResult[] = [];
for (const id of wanted) {
  const scenario = SCENARIOS[id];
  if (!scenario) continue;
  for (const mode of modes) {
    if (!scenario.modes.includes(mode)) {
      console.log(`\n## ${id} ${mode}: not applicable (${scenario.notApplicable ?? ''})`);
      continue;
    }
    console.log(`\n## ${id} ${mode}: ${scenario.title}`);
    const started = Date.now();
    let r: ScenarioResult;
    try {
      const opts = {
        mode,
        size,
        log: (line: string) => console.log(line),
        realRestarts: values['real-restarts'],
      };
      const messages = number(values.messages);
      const kills = number(values.kills);
      const outage = number(values['outage-seconds']);
      r = await scenario.run({
        ...opts,
        ...(messages !== undefined ? { messages } : {}),
        ...(kills !== undefined ? { kills } : {}),
        ...(outage !== undefined ? { outageSeconds: outage } : {}),
      });
    } catch (error) {
      r = {
        id,
        mode,
        title: scenario.title,
        passed: false,
        figures: {},
        failures: [`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`],
      };
    }
    results.push(r);
    console.log(JSON.stringify(r.figures, null, 2));
    console.log(
      `${r.passed ? 'PASS' : 'FAIL'} ${id} ${mode} in ${((Date.now() - started) / 1000).toFixed(1)} s${r.failures.length > 0 ? `: ${r.failures.join('; ')}` : ''}`,
    );
  }
}

console.log('\n| id | mode | result | figures |');
console.log('|---|---|---|---|');
for (const r of results) {
  const f = r.figures;
  const key = ['lostAfterAck', 'storedTwice', 'duplicateEffects', 'orderViolations']
    .filter((k) => k in f)
    .map((k) => `${k} ${String(f[k])}`)
    .join(', ');
  console.log(`| ${r.id} | ${r.mode} | ${r.passed ? 'pass' : 'FAIL'} | ${key} |`);
}
process.exit(results.every((r) => r.passed) ? 0 : 1);
