// LlmProvider over Anthropic's Messages API: no tools; the schema goes in the system prompt and the reply is parsed as JSON.
import {
  LlmError,
  parseModelJson,
  postJson,
  type HttpProviderOptions,
  type LlmProvider,
} from './llm-provider.ts';

/** Messages API version header (docs: "Versions"). */
const ANTHROPIC_VERSION = '2023-06-01';

export function createAnthropicProvider(options: HttpProviderOptions): LlmProvider {
  const { apiKey } = options;
  const url = `${options.baseUrl.replace(/\/$/, '')}/messages`;
  return {
    model: options.model,
    async complete(request) {
      const body = {
        model: options.model,
        max_tokens: request.maxTokens,
        temperature: 0,
        system: `${request.system}\n\nAnswer with one JSON object only, no prose, matching this JSON Schema:\n${JSON.stringify(request.schema)}`,
        messages: [{ role: 'user', content: request.user }],
      };
      const answer = (await postJson(
        url,
        { 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION },
        body,
        options.timeoutMs ?? 60_000,
      )) as { content?: { type?: string; text?: unknown }[] };
      const text = (answer.content ?? [])
        .filter((block) => block.type === 'text' && typeof block.text === 'string')
        .map((block) => block.text as string)
        .join('');
      if (text === '') throw new LlmError('no text content in the reply', 0);
      return { json: parseModelJson(text), raw: text };
    },
  };
}
