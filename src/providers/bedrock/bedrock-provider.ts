import {
  BedrockRuntimeClient,
  InvokeModelCommand,
  type InvokeModelCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type { BedrockProviderEntry } from '../../config/providers.schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { ImageFormat } from '../../domain/template.ts';
import {
  abortError,
  decodeBase64Image,
  invalidResponse,
  type ProviderLabel,
  parseJsonBody,
  throwIfAborted,
} from '../http.ts';
import type {
  GeneratedImage,
  ImageCall,
  ImageProvider,
  ImageResult,
  ProviderHealth,
  ProviderWarning,
} from '../spec.ts';
import {
  buildBedrockBody,
  familyOf,
  rulesForFamily,
  stabilityAnswerSchema,
  titanNovaAnswerSchema,
} from './bedrock-bodies.ts';
import { bedrockError } from './bedrock-errors.ts';

const DEFAULT_MODELS = ['amazon.nova-canvas-v1:0'];

/**
 * Amazon Bedrock through `@aws-sdk/client-bedrock-runtime` InvokeModel: Nova Canvas, Titan Image
 * v2 and Stability models. The SDK's own retries are off (`maxAttempts: 1`): our queue retries, and
 * two retry layers would multiply the wait. `maxImagesPerCall` follows the default model (Titan and
 * Nova 5, Stability 1); larger calls are split into sequential requests.
 */
export function createBedrockProvider(
  entry: BedrockProviderEntry & { id: string },
  options: { client?: BedrockRuntimeClient } = {},
): ImageProvider {
  const client =
    options.client ??
    new BedrockRuntimeClient({
      region: entry.region,
      endpoint: entry.endpoint,
      maxAttempts: 1,
      credentials:
        entry.access_key_id && entry.secret_access_key
          ? {
              accessKeyId: entry.access_key_id,
              secretAccessKey: entry.secret_access_key,
              sessionToken: entry.session_token,
            }
          : undefined,
    });
  const models = entry.models ?? DEFAULT_MODELS;
  const defaultModel = entry.default_model ?? models[0] ?? 'amazon.nova-canvas-v1:0';
  const defaultRules = rulesForFamily(familyOf(defaultModel), defaultModel);
  const context: BedrockContext = {
    client,
    label: { providerId: entry.id, vendor: 'Amazon Bedrock' },
    cfgScale: entry.cfg_scale,
  };
  return {
    id: entry.id,
    kind: 'bedrock',
    defaultModel,
    models,
    capabilities: {
      maxImagesPerCall: defaultRules.maxImagesPerCall,
      seeds: true,
      negativePrompt: true,
      layouts: false,
      imageInput: defaultRules.acceptsInputImage,
      formats: defaultRules.formats,
      maxSide: familyOf(defaultModel) === 'titan' ? 1408 : familyOf(defaultModel) === 'nova' ? 4096 : 1536,
    },
    generate: (call, signal) => generate(context, { ...call, model: call.model || defaultModel }, signal),
    checkHealth: (signal) => checkHealth(context, defaultModel, signal),
  };
}

interface BedrockContext {
  client: BedrockRuntimeClient;
  label: ProviderLabel;
  cfgScale: number | undefined;
}

async function generate(context: BedrockContext, call: ImageCall, signal: AbortSignal): Promise<ImageResult> {
  const family = familyOf(call.model);
  const rules = rulesForFamily(family, call.model);
  if (call.inputImage && !rules.acceptsInputImage) {
    throw new AppError(
      'invalid_request',
      `Bedrock model '${call.model}' takes no input image here; use a stability sd3 model`,
      {
        retryable: false,
      },
    );
  }
  const format: ImageFormat = rules.formats.includes(call.format) ? call.format : 'png';
  const warnings: ProviderWarning[] = [];
  const images: GeneratedImage[] = [];
  let requestId: string | undefined;
  for (let start = 0; start < call.seeds.length; start += rules.maxImagesPerCall) {
    const seeds = call.seeds.slice(start, start + rules.maxImagesPerCall);
    if (seeds.length > 1) {
      warnings.push({
        type: 'other',
        message: `${call.model} draws ${seeds.length} images from one seed (${seeds[0]}); reproduce them with the same seed and count`,
      });
    }
    const answer = await invoke(context, call, { seed: seeds[0] ?? 0, count: seeds.length, format }, signal);
    requestId ??= answer.requestId;
    images.push(...answer.images);
  }
  return { images, warnings, model: call.model, requestId };
}

async function invoke(
  context: BedrockContext,
  call: ImageCall,
  request: { seed: number; count: number; format: ImageFormat },
  signal: AbortSignal,
): Promise<{ images: GeneratedImage[]; requestId: string | undefined }> {
  throwIfAborted(signal, 'The Bedrock call');
  const body = buildBedrockBody(call.model, call, { ...request, cfgScale: context.cfgScale });
  let output: InvokeModelCommandOutput;
  try {
    output = await context.client.send(
      new InvokeModelCommand({
        modelId: call.model,
        contentType: 'application/json',
        accept: 'application/json',
        body: new TextEncoder().encode(JSON.stringify(body)),
      }),
      { abortSignal: signal },
    );
  } catch (error) {
    if (signal.aborted) throw abortError(signal, 'The Bedrock call');
    throw bedrockError(context.label, error);
  }
  const requestId = output.$metadata.requestId;
  const text = new TextDecoder().decode(output.body ?? new Uint8Array());
  if (familyOf(call.model) === 'stability') {
    const answer = parseJsonBody(context.label, text, stabilityAnswerSchema, requestId);
    const filtered = answer.finish_reasons?.find((reason) => reason !== null);
    if (filtered) {
      const code = filtered.startsWith('Filter reason') ? 'provider_rejected' : 'provider_unavailable';
      throw new AppError(code, `Bedrock ${call.model} did not finish: ${filtered}`, {
        retryable: code !== 'provider_rejected',
        details: { provider: context.label.providerId, requestId, vendorCode: filtered },
      });
    }
    const images = answer.images ?? [];
    if (images.length === 0)
      throw invalidResponse(context.label, `Bedrock ${call.model} answered without an image`, { requestId });
    return {
      images: images.map((base64, index) => ({
        ...decodeBase64Image(context.label, base64, requestId),
        seed: Number(answer.seeds?.[index] ?? request.seed),
      })),
      requestId,
    };
  }
  const answer = parseJsonBody(context.label, text, titanNovaAnswerSchema, requestId);
  if (answer.error) {
    throw new AppError('provider_unavailable', `Bedrock ${call.model} failed: ${answer.error}`, {
      retryable: true,
      details: { provider: context.label.providerId, requestId },
    });
  }
  const images = answer.images ?? [];
  if (images.length < request.count) {
    throw invalidResponse(
      context.label,
      `Bedrock ${call.model} returned ${images.length} of ${request.count} images`,
      { requestId },
    );
  }
  return {
    images: images
      .slice(0, request.count)
      .map((base64) => ({ ...decodeBase64Image(context.label, base64, requestId), seed: request.seed })),
    requestId,
  };
}

/**
 * Bedrock Runtime has no free read call, so the check invokes the default model with an empty
 * body: a ValidationException proves the endpoint answers and accepts our credentials, at no cost.
 */
async function checkHealth(
  context: BedrockContext,
  modelId: string,
  signal: AbortSignal,
): Promise<ProviderHealth> {
  const checkedAt = () => new Date().toISOString();
  try {
    await context.client.send(
      new InvokeModelCommand({
        modelId,
        contentType: 'application/json',
        accept: 'application/json',
        body: new TextEncoder().encode('{}'),
      }),
      { abortSignal: signal },
    );
    return { ok: true, message: `${modelId} answered`, checkedAt: checkedAt() };
  } catch (error) {
    if ((error as { name?: string }).name === 'ValidationException') {
      return {
        ok: true,
        message: `${modelId} is reachable and accepts our credentials`,
        checkedAt: checkedAt(),
      };
    }
    const mapped = signal.aborted
      ? abortError(signal, 'The Bedrock health check')
      : bedrockError(context.label, error);
    return { ok: false, message: mapped.message, checkedAt: checkedAt() };
  }
}
