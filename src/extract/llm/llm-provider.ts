// LLM provider port: one JSON completion with a schema. The model only proposes; it gets no tools and no write authority.

/** The subset of JSON Schema (2020-12) our prompts use; passed through to providers as-is. */
export type JsonSchema = { [key: string]: JsonSchemaValue };
type JsonSchemaValue = string | number | boolean | null | JsonSchema | JsonSchemaValue[];

export interface LlmRequest {
  system: string;
  user: string;
  schema: JsonSchema;
  maxTokens: number;
}

export interface LlmResponse {
  /** The parsed JSON the model produced (untrusted: verify before use). */
  json: unknown;
  /** The model's text as received. */
  raw: string;
}

export interface LlmProvider {
  /** The model the provider calls, for the audit trail (no secrets, no endpoint). */
  readonly model?: string;
  complete(request: LlmRequest): Promise<LlmResponse>;
}

/** A provider call that failed: HTTP status (0 for network or parse failures) and a reason without secrets. */
export class LlmError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'LlmError';
    this.status = status;
  }
}

export interface HttpProviderOptions {
  /** e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`. */
  baseUrl: string;
  /** Held in a closure, sent only in the auth header, never logged or put in an error. */
  apiKey: string;
  model: string;
  timeoutMs?: number;
}

/** The first JSON object in a model's text (models sometimes wrap JSON in prose or code fences). */
export function parseModelJson(raw: string): unknown {
  const trimmed = raw.trim();
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    const start = trimmed.indexOf('{');
    const end = trimmed.lastIndexOf('}');
    if (start === -1 || end <= start) throw new LlmError('the model returned no JSON object', 0);
    try {
      return JSON.parse(trimmed.slice(start, end + 1)) as unknown;
    } catch {
      throw new LlmError('the model returned malformed JSON', 0);
    }
  }
}

export async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new LlmError(`LLM request failed: ${error instanceof Error ? error.name : 'network error'}`, 0);
  }
  const text = await response.text();
  if (!response.ok) throw new LlmError(`LLM provider answered HTTP ${response.status}`, response.status);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LlmError('LLM provider answered with non-JSON', response.status);
  }
}
