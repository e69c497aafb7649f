import type { OpenAIProviderEntry } from '../../config/providers.schema.ts';
import { AppError } from '../../domain/errors.ts';
import {
  checkHealthWithGet,
  decodeBase64Image,
  type FetchFunction,
  invalidResponse,
  joinUrl,
  type ProviderHttpOptions,
  type ProviderLabel,
  parseJsonBody,
  readBytes,
  readText,
  sendRequest,
  sniffImageFormat,
} from '../http.ts';
import type {
  GeneratedImage,
  ImageCall,
  ImageProvider,
  ImageResult,
  ProviderHealth,
  ProviderWarning,
} from '../spec.ts';
import { imagesResponseSchema, openaiError, openaiSizeFor, rulesForModel } from './openai-api.ts';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com';
const DEFAULT_MODELS = ['gpt-image-1'];

/**
 * The API root ending in `/v1`, from a base URL with or without it (`https://api.openai.com`,
 * `https://gateway.example/openai/v1/`), so OpenAI-compatible gateways work through `base_url`.
 */
export function openaiApiRoot(baseUrl: string | undefined): string {
  const base = (baseUrl ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  return base.endsWith('/v1') ? base : `${base}/v1`;
}

/**
 * OpenAI Images (and OpenAI-compatible gateways): `/images/generations`, or `/images/edits` when
 * the call has an input image. `maxImagesPerCall` follows the default model (dall-e-3: 1, else 10);
 * a call for another model asking more than that model takes is split into sequential requests.
 */
export function createOpenAIProvider(
  entry: OpenAIProviderEntry & { id: string },
  options: ProviderHttpOptions = {},
): ImageProvider {
  const fetchFunction = options.fetch ?? fetch;
  const label: ProviderLabel = { providerId: entry.id, vendor: 'OpenAI' };
  const apiRoot = openaiApiRoot(entry.base_url);
  const models = entry.models ?? DEFAULT_MODELS;
  const defaultModel = entry.default_model ?? models[0] ?? 'gpt-image-1';
  const headers: Record<string, string> = { authorization: `Bearer ${entry.api_key}` };
  if (entry.organization) headers['openai-organization'] = entry.organization;
  const context: OpenAIContext = { fetchFunction, label, apiRoot, headers, quality: entry.quality };

  return {
    id: entry.id,
    kind: 'openai',
    defaultModel,
    models,
    capabilities: {
      maxImagesPerCall: rulesForModel(defaultModel).maxImagesPerCall,
      seeds: false,
      negativePrompt: false,
      layouts: false,
      imageInput: true,
      inputMask: true,
      formats: ['png', 'jpeg', 'webp'],
      maxSide: 1792,
    },
    generate: (call, signal) => generate(context, { ...call, model: call.model || defaultModel }, signal),
    checkHealth: (signal) => checkHealth(context, signal),
  };
}

interface OpenAIContext {
  fetchFunction: FetchFunction;
  label: ProviderLabel;
  apiRoot: string;
  headers: Record<string, string>;
  quality: string | undefined;
}

async function generate(context: OpenAIContext, call: ImageCall, signal: AbortSignal): Promise<ImageResult> {
  const rules = rulesForModel(call.model);
  const warnings: ProviderWarning[] = [
    { type: 'unsupported', feature: 'seed', details: 'OpenAI Images has no seed' },
  ];
  if (call.negativePrompt.trim() !== '') {
    warnings.push({
      type: 'unsupported',
      feature: 'negative_prompt',
      details: 'OpenAI Images has no negative prompt',
    });
  }
  const images: GeneratedImage[] = [];
  let requestId: string | undefined;
  for (let start = 0; start < call.seeds.length; start += rules.maxImagesPerCall) {
    const seeds = call.seeds.slice(start, start + rules.maxImagesPerCall);
    const answer = await requestImages(context, call, seeds.length, signal);
    requestId ??= answer.requestId;
    for (const [index, image] of answer.images.entries()) {
      images.push({ ...image, seed: seeds[index] ?? seeds[0] ?? 0 });
    }
  }
  return { images, warnings, model: call.model, requestId };
}

async function requestImages(context: OpenAIContext, call: ImageCall, count: number, signal: AbortSignal) {
  const rules = rulesForModel(call.model);
  const size = openaiSizeFor(call.model, call);
  const fields: Record<string, string | number> = { model: call.model, prompt: call.prompt, n: count, size };
  if (context.quality) fields.quality = context.quality;
  if (rules.sendOutputFormat) fields.output_format = call.format; // png | jpeg | webp, the same names
  if (rules.sendResponseFormat) fields.response_format = 'b64_json';

  let response: Response;
  if (call.inputImage) {
    const form = new FormData();
    form.append('image', new Blob([call.inputImage.bytes], { type: 'image/png' }), 'image.png');
    if (call.inputImage.mask)
      form.append('mask', new Blob([call.inputImage.mask], { type: 'image/png' }), 'mask.png');
    for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
    response = await sendRequest(
      context.fetchFunction,
      context.label,
      joinUrl(context.apiRoot, 'images/edits'),
      {
        method: 'POST',
        headers: context.headers,
        body: form,
        signal,
      },
    );
  } else {
    response = await sendRequest(
      context.fetchFunction,
      context.label,
      joinUrl(context.apiRoot, 'images/generations'),
      {
        method: 'POST',
        headers: { ...context.headers, 'content-type': 'application/json' },
        body: JSON.stringify(fields),
        signal,
      },
    );
  }
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const text = await readText(response, context.label, signal);
  if (!response.ok) throw openaiError(context.label, response.status, response.headers, text);
  const body = parseJsonBody(context.label, text, imagesResponseSchema, requestId);
  const images: Omit<GeneratedImage, 'seed'>[] = [];
  for (const item of body.data) {
    if (item.b64_json) images.push(decodeBase64Image(context.label, item.b64_json, requestId));
    else if (item.url) images.push(await downloadImage(context, item.url, signal, requestId));
    else
      throw invalidResponse(context.label, 'OpenAI answered an item with neither b64_json nor url', {
        requestId,
      });
  }
  if (images.length < count) {
    throw invalidResponse(context.label, `OpenAI returned ${images.length} of ${count} images`, {
      requestId,
    });
  }
  return { images: images.slice(0, count), requestId };
}

/** dall-e (and some gateways) answer signed URLs; download them with the size cap and no auth header. */
async function downloadImage(context: OpenAIContext, url: string, signal: AbortSignal, requestId?: string) {
  const response = await sendRequest(context.fetchFunction, context.label, url, { method: 'GET', signal });
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new AppError(
      'provider_unavailable',
      `Downloading the OpenAI image failed (HTTP ${response.status})`,
      {
        retryable: true,
        details: { provider: context.label.providerId, status: response.status, requestId },
      },
    );
  }
  const bytes = await readBytes(response, context.label, signal);
  const format = sniffImageFormat(bytes);
  if (!format)
    throw invalidResponse(context.label, 'The OpenAI image URL did not serve an image', { requestId });
  return { bytes, format };
}

/** `GET /v1/models`: free, needs a valid key, and every OpenAI-compatible gateway serves it. */
function checkHealth(context: OpenAIContext, signal: AbortSignal): Promise<ProviderHealth> {
  return checkHealthWithGet({ ...context, url: joinUrl(context.apiRoot, 'models') }, signal, {
    toError: openaiError,
    describe: () => `${context.apiRoot} answered`,
  });
}
