import {
  BedrockRuntimeClient,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  ConverseStreamCommand,
  type ImageFormat,
} from '@aws-sdk/client-bedrock-runtime';
import { AppError } from '../../domain/errors.ts';
import { bedrockError } from '../bedrock/bedrock-errors.ts';
import { invalidResponse, type ProviderLabel, throwIfAborted } from '../http.ts';
import type { ChatContentPart, ChatModel, ChatRequest, ChatResult, ChatStreamItem } from './spec.ts';

export interface BedrockConverseModelOptions {
  /** Unique within a deployment; default `chat`. */
  id?: string;
  region: string;
  /** A VPC endpoint, or a loopback test server. */
  endpoint?: string;
  /** e.g. `amazon.nova-lite-v1:0`, `anthropic.claude-3-5-sonnet-20240620-v1:0`, or an inference profile. */
  model: string;
  /** Static credentials; unset = the AWS SDK's default chain (env, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  client?: BedrockRuntimeClient;
}

/** Converse has no JSON mode: the rule goes into the system prompt. */
export const JSON_RULE = 'Answer with one JSON object and nothing else: no prose, no code fences.';

const IMAGE_FORMATS: Record<string, ImageFormat> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/**
 * Amazon Bedrock's Converse API (protocols.md §8) through the AWS SDK: one request shape for
 * Claude, Nova, Llama…, images as `image` blocks. The SDK's own retries are off (`maxAttempts: 1`):
 * the guard owns retries, and two layers would multiply the wait.
 */
export function createBedrockConverseModel(options: BedrockConverseModelOptions): ChatModel {
  const client =
    options.client ??
    new BedrockRuntimeClient({
      region: options.region,
      endpoint: options.endpoint,
      maxAttempts: 1,
      credentials: options.credentials,
    });
  const id = options.id ?? 'chat';
  const label: ProviderLabel = { providerId: id, vendor: 'Amazon Bedrock' };
  const model = options.model;

  return {
    id,
    kind: 'bedrock-converse',
    model,
    async complete(request, signal) {
      throwIfAborted(signal, 'The Amazon Bedrock call');
      let output: ConverseCommandOutput;
      try {
        output = await client.send(new ConverseCommand(buildConverseInput(model, request)), {
          abortSignal: signal,
        });
      } catch (error) {
        throw toAppError(label, error, signal);
      }
      const requestId = output.$metadata.requestId;
      const usage = usageOf(output.usage);
      const text = (output.output?.message?.content ?? [])
        .map((block) => ('text' in block && typeof block.text === 'string' ? block.text : ''))
        .join('');
      return finish(label, { text, usage, model, stopReason: output.stopReason, requestId });
    },
    stream: (request, signal) => streamConverse(client, label, model, request, signal),
  };
}

export function buildConverseInput(model: string, request: ChatRequest): ConverseCommandInput {
  const system = [request.system, request.json ? JSON_RULE : undefined].filter(Boolean).join('\n\n');
  const inferenceConfig: NonNullable<ConverseCommandInput['inferenceConfig']> = {};
  if (request.maxTokens !== undefined) inferenceConfig.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) inferenceConfig.temperature = request.temperature;
  return {
    modelId: model,
    ...(system ? { system: [{ text: system }] } : {}),
    messages: request.messages.map((message) => ({
      role: message.role,
      content:
        typeof message.content === 'string' ? [{ text: message.content }] : message.content.map(toBlock),
    })),
    ...(Object.keys(inferenceConfig).length > 0 ? { inferenceConfig } : {}),
  };
}

function toBlock(part: ChatContentPart): ContentBlock {
  if (part.type === 'text') return { text: part.text };
  return { image: { format: IMAGE_FORMATS[part.mediaType] ?? 'jpeg', source: { bytes: part.bytes } } };
}

function usageOf(usage: { inputTokens?: number; outputTokens?: number } | undefined): ChatResult['usage'] {
  if (!usage) return { inputTokens: 0, outputTokens: 0, reported: false };
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0, reported: true };
}

/** A stop reason → the result, or `provider_rejected` for filters and guardrails. */
function finish(
  label: ProviderLabel,
  answer: {
    text: string;
    usage: ChatResult['usage'];
    model: string;
    stopReason: string | undefined;
    requestId: string | undefined;
  },
): ChatResult {
  const { stopReason, requestId, usage, model } = answer;
  if (stopReason === 'content_filtered' || stopReason === 'guardrail_intervened') {
    throw new AppError(
      'provider_rejected',
      `Amazon Bedrock stopped the answer (${stopReason === 'content_filtered' ? 'content filter' : 'guardrail'})`,
      {
        retryable: false,
        details: { provider: label.providerId, reason: stopReason, requestId, usage, model },
      },
    );
  }
  if (stopReason === 'malformed_model_output') {
    throw invalidResponse(label, 'Amazon Bedrock says the model produced malformed output', { requestId });
  }
  return {
    text: answer.text,
    usage,
    model,
    finishReason:
      stopReason === 'end_turn' || stopReason === 'stop_sequence'
        ? 'stop'
        : stopReason === 'max_tokens'
          ? 'length'
          : 'other',
    requestId,
  };
}

async function* streamConverse(
  client: BedrockRuntimeClient,
  label: ProviderLabel,
  model: string,
  request: ChatRequest,
  signal: AbortSignal,
): AsyncGenerator<ChatStreamItem> {
  throwIfAborted(signal, 'The Amazon Bedrock call');
  let text = '';
  let stopReason: string | undefined;
  let usage: ChatResult['usage'] = { inputTokens: 0, outputTokens: 0, reported: false };
  let requestId: string | undefined;
  try {
    const output = await client.send(new ConverseStreamCommand(buildConverseInput(model, request)), {
      abortSignal: signal,
    });
    requestId = output.$metadata.requestId;
    if (!output.stream) throw invalidResponse(label, 'Amazon Bedrock sent no stream', { requestId });
    for await (const event of output.stream) {
      const streamError =
        event.internalServerException ??
        event.modelStreamErrorException ??
        event.throttlingException ??
        event.validationException ??
        event.serviceUnavailableException;
      if (streamError) throw streamError;
      const delta = event.contentBlockDelta?.delta;
      if (delta && 'text' in delta && typeof delta.text === 'string' && delta.text) {
        text += delta.text;
        yield { delta: delta.text };
      }
      if (event.messageStop) stopReason = event.messageStop.stopReason;
      if (event.metadata?.usage) usage = usageOf(event.metadata.usage);
    }
  } catch (error) {
    throw toAppError(label, error, signal);
  }
  if (stopReason === undefined) {
    throw invalidResponse(label, 'Amazon Bedrock ended the stream before the answer did', { requestId });
  }
  yield { done: finish(label, { text, usage, model, stopReason, requestId }) };
}

function toAppError(label: ProviderLabel, error: unknown, signal: AbortSignal): AppError {
  if (signal.aborted) {
    const reason = signal.reason;
    if (reason instanceof AppError) return reason;
    return new AppError('canceled', 'The Amazon Bedrock call was canceled', { retryable: false });
  }
  return bedrockError(label, error);
}
