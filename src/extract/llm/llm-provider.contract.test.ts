// Contract suite for LlmProvider adapters, run against the local recording server (no real LLM is reachable or needed).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  requestKey,
  startLlmRecordingServer,
  type LlmRecordingServer,
} from '../../../test/support/llm-recording-server.ts';
import { createAnthropicProvider } from './anthropic-provider.ts';
import { LlmError, type HttpProviderOptions, type LlmProvider, type LlmRequest } from './llm-provider.ts';
import { createOpenAiCompatibleProvider } from './openai-compatible-provider.ts';

const API_KEY = 'sk-test-canary-7f3a9c'; // a canary: it must never appear in a recording or an error

let server: LlmRecordingServer;
beforeAll(async () => {
  server = await startLlmRecordingServer();
});
afterAll(async () => {
  await server.close();
});

const request: LlmRequest = {
  system: 'Return the number as JSON.',
  user: 'The number is 7.',
  schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
  maxTokens: 50,
};

function describeLlmProvider(
  name: 'openai' | 'anthropic',
  create: (options: HttpProviderOptions) => LlmProvider,
  checkBody: (body: Record<string, unknown>, headers: Record<string, string>) => void,
): void {
  describe(`LlmProvider contract: ${name}`, () => {
    const provider = (): LlmProvider =>
      create({ baseUrl: server.baseUrl, apiKey: API_KEY, model: 'test-model' });

    test('replays the recorded reply and returns parsed JSON with the raw text', async () => {
      server.replay(requestKey(request), '{"n": 7}');
      const before = server.requests.length;
      await expect(provider().complete(request)).resolves.toEqual({ json: { n: 7 }, raw: '{"n": 7}' });
      const recorded = server.requests.slice(before);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]?.api).toBe(name);
      checkBody(recorded[0]?.body ?? {}, recorded[0]?.headers ?? {});
      expect(JSON.stringify(recorded)).not.toContain(API_KEY);
    });

    test('JSON wrapped in prose or a code fence is still parsed', async () => {
      const wrapped = { ...request, user: 'The number is 8.' };
      server.replay(requestKey(wrapped), 'Here you go:\n```json\n{"n": 8}\n```');
      expect((await provider().complete(wrapped)).json).toEqual({ n: 8 });
    });

    test('provider errors become LlmError with the status and without the key', async () => {
      const unknown = { ...request, user: 'nothing recorded for this' };
      const error = await provider()
        .complete(unknown)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LlmError);
      expect((error as LlmError).status).toBe(500);
      const noKey = create({ baseUrl: server.baseUrl, apiKey: '', model: 'm' });
      const denied = await noKey.complete(request).catch((e: unknown) => e);
      expect((denied as LlmError).status).toBe(401);
      expect(String((denied as Error).message)).not.toContain(API_KEY);
    });

    test('an unreachable provider is an LlmError, not a crash', async () => {
      const down = create({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: API_KEY, model: 'm', timeoutMs: 2000 });
      const error = await down.complete(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LlmError);
      expect(String((error as Error).message)).not.toContain(API_KEY);
    });
  });
}

describeLlmProvider('openai', createOpenAiCompatibleProvider, (body, headers) => {
  expect(body['response_format']).toMatchObject({
    type: 'json_schema',
    json_schema: { schema: request.schema },
  });
  expect(body['messages']).toEqual([
    { role: 'system', content: request.system },
    { role: 'user', content: request.user },
  ]);
  expect(body['max_tokens']).toBe(50);
  expect(body).not.toHaveProperty('tools');
  expect(headers['authorization']).toMatch(/^sha256:/);
});

describeLlmProvider('anthropic', createAnthropicProvider, (body, headers) => {
  expect(headers['anthropic-version']).toBe('2023-06-01');
  expect(headers['x-api-key']).toMatch(/^sha256:/);
  expect(body['messages']).toEqual([{ role: 'user', content: request.user }]);
  expect(String(body['system'])).toContain(request.system);
  expect(String(body['system'])).toContain('"required":["n"]');
  expect(body['max_tokens']).toBe(50);
  expect(body).not.toHaveProperty('tools');
});
