import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import type { ProviderLabel } from '../http.ts';
import type { ChatContentPart, ChatMessage, ChatRequest, ChatResult } from './spec.ts';

/**
 * OpenAI Chat Completions wire details (protocols.md §2): the request body, deliberately minimal
 * response schemas (only what we read) and the finish-reason mapping. The same shapes are served by
 * DeepSeek, Qwen's compatible mode, vLLM, Ollama, LocalAI and most gateways.
 */

export const chatCompletionSchema = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

export const chatChunkSchema = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
  /** Some servers report a failure inside the stream instead of as an HTTP status. */
  error: z.object({ message: z.string().optional(), code: z.string().nullish() }).nullish(),
});

type WirePart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail: 'auto' } };

/**
 * Reasoning models (o1, o3, o4, gpt-5) take `max_completion_tokens` and only the default
 * temperature; every other model, and every OpenAI-compatible server we know, takes `max_tokens`.
 */
export function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model);
}

export function buildChatBody(
  model: string,
  request: ChatRequest,
  options: { stream: boolean; jsonMode: boolean },
): Record<string, unknown> {
  const messages: Array<{ role: string; content: string | WirePart[] }> = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push(toWireMessage(message));
  const body: Record<string, unknown> = { model, messages };
  if (request.maxTokens !== undefined) {
    body[isReasoningModel(model) ? 'max_completion_tokens' : 'max_tokens'] = request.maxTokens;
  }
  if (request.temperature !== undefined && !isReasoningModel(model)) body.temperature = request.temperature;
  if (request.json && options.jsonMode) body.response_format = { type: 'json_object' };
  if (options.stream) {
    body.stream = true;
    // Without it the stream carries no token counts, and the cost would be a guess.
    body.stream_options = { include_usage: true };
  }
  return body;
}

function toWireMessage(message: ChatMessage): { role: string; content: string | WirePart[] } {
  if (typeof message.content === 'string') return { role: message.role, content: message.content };
  // Assistant turns are text only on the wire; images belong to user turns.
  if (message.role === 'assistant') return { role: 'assistant', content: textOf(message.content) };
  return { role: 'user', content: message.content.map(toWirePart) };
}

function toWirePart(part: ChatContentPart): WirePart {
  if (part.type === 'text') return { type: 'text', text: part.text };
  const base64 = Buffer.from(part.bytes).toString('base64');
  return { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${base64}`, detail: 'auto' } };
}

export function textOf(parts: readonly ChatContentPart[]): string {
  return parts
    .filter((part): part is { type: 'text'; text: string } => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

export function finishReasonOf(reason: string | null | undefined): ChatResult['finishReason'] {
  if (reason === 'stop' || reason === 'length' || reason === 'content_filter') return reason;
  return 'other';
}

/** A refusal (`message.refusal`) or a filtered answer: never retried, the caller answers without it. */
export function refusalError(
  label: ProviderLabel,
  reason: 'refusal' | 'content_filter',
  text: string,
  details: Record<string, unknown>,
): AppError {
  const message =
    reason === 'refusal'
      ? `${label.vendor} refused to answer: ${text.slice(0, 200)}`
      : `${label.vendor}'s content filter stopped the answer`;
  return new AppError('provider_rejected', message, {
    retryable: false,
    details: { provider: label.providerId, reason, ...details },
  });
}

/** Whether a 400 says the server does not take `response_format` (older gateways, some vLLM builds). */
export function rejectsResponseFormat(status: number, bodyText: string): boolean {
  return status === 400 && /response_format/i.test(bodyText);
}

/**
 * Splits a server-sent-event stream into the `data:` payloads of its events; comments and other
 * fields are skipped. Yields `[DONE]` as is.
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = '';
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let end = eventEnd(buffer);
    while (end) {
      const block = buffer.slice(0, end.index);
      buffer = buffer.slice(end.index + end.length);
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) yield data;
      end = eventEnd(buffer);
    }
  }
  const rest = buffer
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''))
    .join('\n');
  if (rest) yield rest;
}

function eventEnd(buffer: string): { index: number; length: number } | null {
  const match = /\r?\n\r?\n/.exec(buffer);
  return match ? { index: match.index, length: match[0].length } : null;
}
