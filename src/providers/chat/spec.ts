import type { z } from 'zod';
import type { ProviderHealth } from '../spec.ts';

/**
 * The chat/vision model contract (version 1): one port for every text-and-image model Vitrine
 * talks to — any OpenAI-compatible `/v1/chat/completions` endpoint (OpenAI, DeepSeek, Qwen, vLLM,
 * Ollama, gateways) and Amazon Bedrock's Converse API (Claude, Nova). The assistant and the script
 * analyzer use it; both also work with no model at all (grounded or heuristic answers).
 * A change to these types is a breaking change for every adapter.
 */

export type ChatImageType = 'image/jpeg' | 'image/png' | 'image/webp';

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; bytes: Uint8Array; mediaType: ChatImageType };

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string | ChatContentPart[];
}

export interface ChatRequest {
  /** Instructions; sent as the system message (OpenAI) or the `system` block (Converse). */
  system?: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Ask the model for one JSON object as the whole answer (OpenAI `response_format`, a prompt rule elsewhere). */
  json?: boolean;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  /**
   * False when the backend reported no usage (some OpenAI-compatible servers, a stream cut short):
   * the numbers are then our own count (gpt-tokenizer), an approximation for non-OpenAI models.
   */
  reported?: boolean;
}

export interface ChatResult {
  text: string;
  usage: ChatUsage;
  /** The model that answered. */
  model: string;
  /** `stop`, `length`, `refusal`, `content_filter`, … normalized across backends. */
  finishReason: 'stop' | 'length' | 'refusal' | 'content_filter' | 'other';
  /** The provider's own request id, for support tickets. */
  requestId?: string;
}

export interface ChatModel {
  /** Unique within a deployment: 'chat', 'bedrock-chat'. */
  readonly id: string;
  /** The backend kind: 'openai-chat', 'bedrock-converse'. */
  readonly kind: string;
  readonly model: string;
  /**
   * One answer. Rejects with an `AppError` from domain/errors.ts (rate_limited with retryAfterMs,
   * provider_unavailable, provider_rejected for refusals and filters, provider_response_invalid)
   * and stops promptly when `signal` aborts.
   */
  complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
  /** The same answer as text deltas as they arrive; the last item carries the usage. */
  stream?(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatStreamItem>;
  /** A cheap liveness check (`GET /v1/models` for OpenAI-compatible servers). */
  checkHealth?(signal: AbortSignal): Promise<ProviderHealth>;
}

export type ChatStreamItem = { delta: string } | { done: ChatResult };

/** A JSON answer checked against a schema; the raw result is kept for usage and cost. */
export interface ChatJsonResult<T> {
  value: T;
  result: ChatResult;
}

export type ChatSchema<T> = z.ZodType<T>;
