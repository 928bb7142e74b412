// QUALITY S3 for LLM extraction: exactly one audit entry per model call, with counts and never clinical text.
import { describe, expect, test } from 'vitest';
import type { AuditEntry, AuditLog, AuditRecord } from '../../governance/audit/audit-log.ts';
import type { DrugConcept, Terminology } from '../../terminology/terminology.ts';
import { extractWithLlm } from './extract-with-llm.ts';
import type { LlmProvider, LlmResponse } from './llm-provider.ts';

const METFORMIN: DrugConcept = {
  rxcui: '6809',
  name: 'metformin',
  tty: 'IN',
  ingredients: [{ rxcui: '6809', name: 'metformin' }],
  classes: [],
  highAlert: false,
};
const terminology: Terminology = {
  lookupDrug: (text) => (text.toLowerCase() === 'metformin' ? METFORMIN : undefined),
  findClinicalDrug: () => undefined,
  get: () => undefined,
  classesOf: () => [],
};

/** An in-memory audit log that can be told to fail. */
function memoryAudit(fail = false): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    record(entry) {
      if (fail) return Promise.reject(new Error('audit store unavailable'));
      entries.push(entry);
      const record: AuditRecord = { ...entry, seq: entries.length, at: new Date(), prevHash: '', hash: '' };
      return Promise.resolve(record);
    },
    list() {
      return Promise.resolve([]);
    },
    verify() {
      return Promise.resolve({ ok: true, checked: entries.length });
    },
  };
}

function provider(reply: () => LlmResponse): LlmProvider & { calls: number } {
  const p = {
    model: 'test-model-1',
    calls: 0,
    complete: () => {
      p.calls++;
      try {
        return Promise.resolve(reply());
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
  return p;
}

const NOTE = 'Jane Roe, MRN 12345. Metformin 500 mg PO BID for diabetes.';
const REPLY: LlmResponse = {
  json: {
    medications: [
      {
        drug: 'Metformin',
        quote: 'Metformin 500 mg PO BID',
        strength: '500 mg',
        dose: null,
        frequency: 'BID',
        route: 'PO',
      },
      {
        drug: 'Warfarin',
        quote: 'Warfarin 5 mg',
        strength: '5 mg',
        dose: null,
        frequency: null,
        route: null,
      },
    ],
  },
  raw: '{}',
};

describe('extractWithLlm audit (QUALITY S3)', () => {
  test('one entry per model call: execute / llm / success, model and counts, no clinical text', async () => {
    const audit = memoryAudit();
    const llm = provider(() => REPLY);
    const result = await extractWithLlm(NOTE, {
      provider: llm,
      terminology,
      audit,
      patient: 'Patient/p1',
      source: 'DocumentReference/d1',
    });
    expect(llm.calls).toBe(1);
    expect(result.facts).toHaveLength(1);
    expect(audit.entries).toEqual([
      {
        actor: 'system:llm-extraction',
        action: 'execute',
        category: 'llm',
        patient: 'Patient/p1',
        source: 'DocumentReference/d1',
        outcome: 'success',
        detail: 'model=test-model-1; proposals=2; kept=1; dropped=1',
      },
    ]);
    const written = JSON.stringify(audit.entries);
    for (const secret of ['Jane', 'Roe', '12345', 'Metformin', 'metformin', '500', 'diabetes', 'Warfarin'])
      expect(written).not.toContain(secret);
  });

  test('a failed call is audited once as a failure and the error reaches the caller', async () => {
    const audit = memoryAudit();
    const llm = provider(() => {
      throw new Error('HTTP 503 for Jane Roe');
    });
    await expect(extractWithLlm(NOTE, { provider: llm, terminology, audit })).rejects.toThrow('HTTP 503');
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ action: 'execute', category: 'llm', outcome: 'failure' });
    expect(JSON.stringify(audit.entries)).not.toContain('Jane');
  });

  test('an audit write failure denies the result', async () => {
    const llm = provider(() => REPLY);
    await expect(
      extractWithLlm(NOTE, { provider: llm, terminology, audit: memoryAudit(true) }),
    ).rejects.toThrow('audit store unavailable');
  });

  test('two texts, two calls, two entries; without an audit port nothing is recorded and nothing breaks', async () => {
    const audit = memoryAudit();
    const llm = provider(() => REPLY);
    await extractWithLlm(NOTE, { provider: llm, terminology, audit });
    await extractWithLlm('Metformin 1000 mg daily', { provider: llm, terminology, audit });
    expect(audit.entries).toHaveLength(2);
    await expect(extractWithLlm(NOTE, { provider: llm, terminology })).resolves.toBeDefined();
  });
});
