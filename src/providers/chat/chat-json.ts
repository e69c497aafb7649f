import { AppError } from '../../domain/errors.ts';
import type { ChatJsonResult, ChatModel, ChatRequest, ChatResult, ChatSchema } from './spec.ts';

/**
 * Asks `model` for one JSON object (`json: true`: OpenAI's `response_format`, a system rule on
 * Converse) and checks it against `schema`. Models wrap JSON in code fences or a sentence often
 * enough that the first balanced object in the text is taken; anything else that does not parse or
 * does not match is `provider_response_invalid` carrying the raw result, so its tokens are still
 * paid for and counted.
 */
export async function completeJson<T>(
  model: Pick<ChatModel, 'complete'>,
  request: ChatRequest,
  schema: ChatSchema<T>,
  signal: AbortSignal,
): Promise<ChatJsonResult<T>> {
  const result = await model.complete({ ...request, json: true }, signal);
  return { value: parseJsonAnswer(result, schema), result };
}

/** The answer's JSON object checked against `schema`, or `provider_response_invalid`. */
export function parseJsonAnswer<T>(result: ChatResult, schema: ChatSchema<T>): T {
  const text = extractJsonObject(result.text);
  let json: unknown;
  try {
    json = text === null ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json === undefined) throw malformed(result, 'the answer is not a JSON object');
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(result, `${issue?.path.join('.') || 'the object'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function malformed(result: ChatResult, why: string): AppError {
  return new AppError('provider_response_invalid', `The chat model's answer did not fit the schema: ${why}`, {
    retryable: false,
    details: {
      model: result.model,
      usage: result.usage,
      requestId: result.requestId,
      answer: result.text.slice(0, 200),
    },
  });
}

/**
 * The first balanced `{…}` in `text` (strings and escapes respected), or null. Tolerates code
 * fences and a sentence before or after the object.
 */
export function extractJsonObject(text: string): string | null {
  const start = text.indexOf('{');
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(start, index + 1);
    }
  }
  return null;
}
