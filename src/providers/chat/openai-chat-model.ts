import { isAppError } from '../../domain/errors.ts';
import {
  abortError,
  checkHealthWithGet,
  connectionError,
  type FetchFunction,
  invalidResponse,
  joinUrl,
  type ProviderLabel,
  parseJsonBody,
  readText,
  redactUrl,
  sendRequest,
  tryParseJson,
} from '../http.ts';
import { openaiError } from '../openai/openai-api.ts';
import { openaiApiRoot } from '../openai/openai-provider.ts';
import {
  buildChatBody,
  chatChunkSchema,
  chatCompletionSchema,
  finishReasonOf,
  refusalError,
  rejectsResponseFormat,
  sseData,
} from './openai-chat-api.ts';
import type { ChatModel, ChatRequest, ChatResult, ChatStreamItem } from './spec.ts';

export interface OpenAIChatModelOptions {
  /** Unique within a deployment; default `chat`. */
  id?: string;
  /** With or without `/v1`; default https://api.openai.com. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer`; local servers (Ollama, vLLM) often need none. */
  apiKey?: string;
  model: string;
  fetch?: FetchFunction;
}

interface Context {
  fetchFunction: FetchFunction;
  label: ProviderLabel;
  url: string;
  headers: Record<string, string>;
  model: string;
  /** Cleared the first time the server refuses `response_format`; the prompt still asks for JSON. */
  jsonMode: { supported: boolean };
}

/**
 * Any OpenAI-compatible `POST /v1/chat/completions` (OpenAI, DeepSeek, Qwen, vLLM, Ollama,
 * gateways), images as data URLs. Errors go through the OpenAI error mapping (429 with its retry
 * hints, quota, content filter); a refusal or a filtered answer is `provider_rejected`.
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const apiRoot = openaiApiRoot(options.baseUrl);
  const host = new URL(apiRoot).host;
  const headers: Record<string, string> = {};
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const context: Context = {
    fetchFunction: options.fetch ?? fetch,
    label: { providerId: options.id ?? 'chat', vendor: `The chat model at ${host}` },
    url: joinUrl(apiRoot, 'chat/completions'),
    headers,
    model: options.model,
    jsonMode: { supported: true },
  };
  return {
    id: options.id ?? 'chat',
    kind: 'openai-chat',
    model: options.model,
    complete: (request, signal) => complete(context, request, signal),
    stream: (request, signal) => stream(context, request, signal),
    checkHealth: (signal) =>
      checkHealthWithGet({ ...context, url: joinUrl(apiRoot, 'models'), headers: context.headers }, signal, {
        toError: openaiError,
        describe: () => `${redactUrl(apiRoot)} answered`,
      }),
  };
}

/** POSTs the body; a server that refuses `response_format` is asked once more without it. */
async function post(
  context: Context,
  request: ChatRequest,
  streaming: boolean,
  signal: AbortSignal,
): Promise<Response> {
  for (;;) {
    const jsonMode = context.jsonMode.supported;
    const response = await sendRequest(context.fetchFunction, context.label, context.url, {
      method: 'POST',
      headers: {
        ...context.headers,
        'content-type': 'application/json',
        ...(streaming ? { accept: 'text/event-stream' } : {}),
      },
      body: JSON.stringify(buildChatBody(context.model, request, { stream: streaming, jsonMode })),
      signal,
    });
    if (response.ok) return response;
    const text = await readText(response, context.label, signal);
    if (request.json && jsonMode && rejectsResponseFormat(response.status, text)) {
      context.jsonMode.supported = false;
      continue;
    }
    throw openaiError(context.label, response.status, response.headers, text);
  }
}

async function complete(context: Context, request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
  const response = await post(context, request, false, signal);
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const text = await readText(response, context.label, signal);
  const body = parseJsonBody(context.label, text, chatCompletionSchema, requestId);
  const choice = body.choices[0]!;
  const usage = body.usage
    ? { inputTokens: body.usage.prompt_tokens, outputTokens: body.usage.completion_tokens, reported: true }
    : { inputTokens: 0, outputTokens: 0, reported: false };
  const model = body.model ?? context.model;
  if (choice.message.refusal) {
    throw refusalError(context.label, 'refusal', choice.message.refusal, { requestId, usage, model });
  }
  if (choice.finish_reason === 'content_filter') {
    throw refusalError(context.label, 'content_filter', '', { requestId, usage, model });
  }
  if (typeof choice.message.content !== 'string') {
    throw invalidResponse(context.label, `${context.label.vendor} answered with no content`, { requestId });
  }
  return {
    text: choice.message.content,
    usage,
    model,
    finishReason: finishReasonOf(choice.finish_reason),
    requestId,
  };
}

async function* stream(
  context: Context,
  request: ChatRequest,
  signal: AbortSignal,
): AsyncGenerator<ChatStreamItem> {
  const response = await post(context, request, true, signal);
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (!response.body) throw invalidResponse(context.label, `${context.label.vendor} sent no stream`);
  let text = '';
  let refusal = '';
  let finishReason: string | null | undefined;
  let usage: ChatResult['usage'] = { inputTokens: 0, outputTokens: 0, reported: false };
  let model = context.model;
  let sawDone = false;
  try {
    for await (const data of sseData(response.body)) {
      if (data === '[DONE]') {
        sawDone = true;
        break;
      }
      const parsed = chatChunkSchema.safeParse(tryParseJson(data));
      if (!parsed.success) {
        throw invalidResponse(context.label, `${context.label.vendor} sent a malformed stream event`, {
          requestId,
          event: data.slice(0, 200),
        });
      }
      const chunk = parsed.data;
      if (chunk.error) {
        throw openaiError(context.label, 500, response.headers, JSON.stringify({ error: chunk.error }));
      }
      if (chunk.model) model = chunk.model;
      if (chunk.usage) {
        usage = {
          inputTokens: chunk.usage.prompt_tokens,
          outputTokens: chunk.usage.completion_tokens,
          reported: true,
        };
      }
      for (const choice of chunk.choices ?? []) {
        if (choice.finish_reason) finishReason = choice.finish_reason;
        if (choice.delta?.refusal) refusal += choice.delta.refusal;
        const delta = choice.delta?.content;
        if (delta) {
          text += delta;
          yield { delta };
        }
      }
    }
  } catch (error) {
    if (signal.aborted) throw abortError(signal, `The ${context.label.vendor} call`);
    if (isAppError(error)) throw error;
    // The connection dropped mid-stream.
    throw connectionError(context.label, error, context.url);
  }
  if (refusal) throw refusalError(context.label, 'refusal', refusal, { requestId, usage, model });
  if (finishReason === 'content_filter') {
    throw refusalError(context.label, 'content_filter', '', { requestId, usage, model });
  }
  if (!sawDone && !finishReason) {
    throw invalidResponse(context.label, `${context.label.vendor} ended the stream before the answer did`, {
      requestId,
    });
  }
  yield { done: { text, usage, model, finishReason: finishReasonOf(finishReason), requestId } };
}
