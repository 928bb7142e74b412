// A local HTTP server on 127.0.0.1 that speaks the OpenAI Chat Completions and Anthropic Messages APIs for tests: it replays canned model replies keyed by request hash and records every request.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  api: 'openai' | 'anthropic';
  path: string;
  /** Headers with credentials replaced by a fingerprint, so a test can check the key was sent without keeping it. */
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** The hash the reply was looked up by. */
  key: string;
}

/** A model: given the system and user text, returns the text it "writes" (undefined → 500). */
export type ScriptedModel = (prompt: { system: string; user: string }) => string | undefined;

export interface LlmRecordingServer {
  /** e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Canned reply text for a request hash (see requestKey). */
  replay(key: string, text: string): void;
  /** Fallback when no canned reply matches, e.g. a compromised model that follows injected instructions. */
  setModel(model: ScriptedModel | undefined): void;
  close(): Promise<void>;
}

/** The replay key: sha256 of the system and user text, the same whichever API carried them. */
export function requestKey(prompt: { system: string; user: string }): string {
  return createHash('sha256').update(prompt.system).update('\u0000').update(prompt.user).digest('hex');
}

function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Extracts system and user text from either API's request body. */
function promptOf(
  api: 'openai' | 'anthropic',
  body: Record<string, unknown>,
): { system: string; user: string } {
  const messages = Array.isArray(body['messages'])
    ? (body['messages'] as { role?: string; content?: unknown }[])
    : [];
  const user = messages
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : ''))
    .join('\n');
  if (api === 'openai') {
    const system = messages.find((m) => m.role === 'system')?.content;
    return { system: typeof system === 'string' ? system : '', user };
  }
  // Anthropic: the adapter appends the schema to its system prompt; the key uses the part before it.
  const system = typeof body['system'] === 'string' ? body['system'] : '';
  return { system: system.split('\n\nAnswer with one JSON object only')[0] ?? system, user };
}

export async function startLlmRecordingServer(): Promise<LlmRecordingServer> {
  const canned = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  let model: ScriptedModel | undefined;

  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? '';
      const api = path.endsWith('/chat/completions')
        ? 'openai'
        : path.endsWith('/messages')
          ? 'anthropic'
          : undefined;
      if (request.method !== 'POST' || api === undefined) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value !== 'string') continue;
        headers[name] = name === 'authorization' || name === 'x-api-key' ? fingerprint(value) : value;
      }
      const authorized =
        api === 'openai'
          ? /^Bearer .+/.test(request.headers.authorization ?? '')
          : Boolean(request.headers['x-api-key']);
      const prompt = promptOf(api, body);
      const key = requestKey(prompt);
      requests.push({ api, path, headers, body, key });
      if (!authorized) {
        response
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"error":{"type":"authentication_error"}}');
        return;
      }
      const text = canned.get(key) ?? model?.(prompt);
      if (text === undefined) {
        response
          .writeHead(500, { 'content-type': 'application/json' })
          .end('{"error":{"message":"no recording"}}');
        return;
      }
      const reply =
        api === 'openai'
          ? {
              id: `chatcmpl-${key.slice(0, 12)}`,
              object: 'chat.completion',
              model: body['model'],
              choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
              usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
            }
          : {
              id: `msg_${key.slice(0, 12)}`,
              type: 'message',
              role: 'assistant',
              model: body['model'],
              content: [{ type: 'text', text }],
              stop_reason: 'end_turn',
              usage: { input_tokens: 0, output_tokens: 0 },
            };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    })().catch(() => {
      if (!response.headersSent) response.writeHead(400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    replay(key, text) {
      canned.set(key, text);
    },
    setModel(next) {
      model = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
