// S6: canary secrets and canary patient data through the real engine, then the data directory and the debug log
// scanned for them: 0 plaintext hits.
import { describe, expect, it } from 'vitest';
import { runCanaryScenario } from './canary-scenario.ts';

describe('S6 canary scan', () => {
  it('finds 0 canary secrets or canary patient data in plaintext in the database files and the debug log', async () => {
    const f = await runCanaryScenario();
    console.log(
      `S6 canary scan: ${f.files} files, ${f.bytes} bytes, ${f.phi} PHI + ${f.secrets} secret canaries: ${f.hits.length} plaintext hits; controls ${JSON.stringify(f.controls)}`,
    );
    expect(f.controls).toEqual({
      rawReadBack: true,
      taskSeen: true,
      scannerFindsPlantedCanary: true,
      scannerSeesPlainMetadata: true,
    });
    expect(f.files).toBeGreaterThanOrEqual(2);
    expect(f.hits).toEqual([]);
  }, 60_000);
});
