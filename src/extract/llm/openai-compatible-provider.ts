// LlmProvider over an OpenAI-compatible Chat Completions API with `response_format: json_schema` (structured outputs).
import {
  LlmError,
  parseModelJson,
  postJson,
  type HttpProviderOptions,
  type LlmProvider,
} from './llm-provider.ts';

export function createOpenAiCompatibleProvider(options: HttpProviderOptions): LlmProvider {
  const { apiKey } = options;
  const url = `${options.baseUrl.replace(/\/$/, '')}/chat/completions`;
  return {
    model: options.model,
    async complete(request) {
      // POST /chat/completions: messages, max_tokens, response_format {type: json_schema, json_schema: {name, schema, strict}}.
      const body = {
        model: options.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        max_tokens: request.maxTokens,
        temperature: 0,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'extraction', schema: request.schema, strict: true },
        },
      };
      const answer = (await postJson(
        url,
        { authorization: `Bearer ${apiKey}` },
        body,
        options.timeoutMs ?? 60_000,
      )) as {
        choices?: { message?: { content?: unknown; refusal?: unknown } }[];
      };
      const message = answer.choices?.[0]?.message;
      if (typeof message?.content !== 'string') {
        throw new LlmError(
          typeof message?.refusal === 'string' ? 'the model refused' : 'no message content',
          0,
        );
      }
      return { json: parseModelJson(message.content), raw: message.content };
    },
  };
}
