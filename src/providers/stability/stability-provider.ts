import type { StabilityProviderEntry } from '../../config/providers.schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { ImageFormat } from '../../domain/template.ts';
import { inpaintMaskFromAlpha } from '../../imaging/inpaint-mask.ts';
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
import { nearestAspectRatio } from '../sizes.ts';
import type {
  GeneratedImage,
  ImageCall,
  ImageProvider,
  ImageResult,
  ProviderHealth,
  ProviderWarning,
} from '../spec.ts';
import {
  contentFilteredError,
  routeForModel,
  STABILITY_ASPECT_RATIOS,
  STABILITY_MAX_SEED,
  stabilityError,
  stabilityJsonAnswerSchema,
} from './stability-api.ts';

export const STABILITY_DEFAULT_BASE_URL = 'https://api.stability.ai';
const DEFAULT_MODELS = ['core'];

/**
 * Stability AI REST v2beta (`/v2beta/stable-image/generate/{core|ultra|sd3}`). One image per HTTP
 * request: a call with several seeds makes sequential requests, so `maxImagesPerCall` is 1.
 */
export function createStabilityProvider(
  entry: StabilityProviderEntry & { id: string },
  options: ProviderHttpOptions = {},
): ImageProvider {
  const models = entry.models ?? DEFAULT_MODELS;
  const defaultModel = entry.default_model ?? models[0] ?? 'core';
  const context: StabilityContext = {
    fetchFunction: options.fetch ?? fetch,
    label: { providerId: entry.id, vendor: 'Stability AI' },
    baseUrl: entry.base_url ?? STABILITY_DEFAULT_BASE_URL,
    apiKey: entry.api_key,
    stylePreset: entry.style_preset,
    answerAsJson: entry.response_format === 'json',
  };
  return {
    id: entry.id,
    kind: 'stability',
    defaultModel,
    models,
    capabilities: {
      maxImagesPerCall: 1,
      seeds: true,
      negativePrompt: true,
      layouts: false,
      imageInput: routeForModel(defaultModel).acceptsInputImage,
      // Masked edits go to `edit/inpaint`, which every account has whatever the model.
      inputMask: true,
      formats: routeForModel(defaultModel).formats,
      maxSide: 1536,
    },
    generate: (call, signal) => generate(context, { ...call, model: call.model || defaultModel }, signal),
    checkHealth: (signal) => checkHealth(context, signal),
  };
}

interface StabilityContext {
  fetchFunction: FetchFunction;
  label: ProviderLabel;
  baseUrl: string;
  apiKey: string;
  stylePreset: string | undefined;
  answerAsJson: boolean;
}

async function generate(
  context: StabilityContext,
  call: ImageCall,
  signal: AbortSignal,
): Promise<ImageResult> {
  const route = routeForModel(call.model);
  // With a mask the inpaint endpoint edits, whatever the generation model.
  if (call.inputImage && !call.inputImage.mask && !route.acceptsInputImage) {
    throw new AppError(
      'invalid_request',
      `Stability model '${call.model}' does not take an input image; use ultra or sd3.5`,
      {
        retryable: false,
      },
    );
  }
  const warnings: ProviderWarning[] = [];
  if (call.negativePrompt.trim() !== '' && !route.acceptsNegativePrompt) {
    warnings.push({
      type: 'unsupported',
      feature: 'negative_prompt',
      details: `${call.model} takes no negative prompt`,
    });
  }
  const format: ImageFormat = route.formats.includes(call.format) ? call.format : 'png';
  const images: GeneratedImage[] = [];
  let requestId: string | undefined;
  const inpaintMask = call.inputImage?.mask ? await inpaintMaskFromAlpha(call.inputImage.mask) : null;
  for (const seed of call.seeds) {
    const answer = await requestImage(context, call, { seed, format, inpaintMask }, signal);
    requestId ??= answer.requestId;
    images.push(answer.image);
  }
  return { images, warnings, model: call.model, requestId };
}

/** `edit/inpaint`: the image, the mask (white = paint), the prompt; the output keeps the image's size. */
function buildInpaintForm(call: ImageCall, mask: Uint8Array, seed: number, format: ImageFormat): FormData {
  const form = new FormData();
  form.append('prompt', call.prompt);
  form.append('image', new Blob([call.inputImage!.bytes], { type: 'image/png' }), 'image.png');
  form.append('mask', new Blob([mask], { type: 'image/png' }), 'mask.png');
  if (call.negativePrompt.trim() !== '') form.append('negative_prompt', call.negativePrompt);
  form.append('seed', String(seed % (STABILITY_MAX_SEED + 1)));
  form.append('output_format', format);
  return form;
}

function buildForm(context: StabilityContext, call: ImageCall, seed: number, format: ImageFormat): FormData {
  const route = routeForModel(call.model);
  const form = new FormData();
  form.append('prompt', call.prompt);
  if (route.modelField) form.append('model', route.modelField);
  if (call.inputImage) {
    // With an input image the output follows its aspect ratio; the API refuses aspect_ratio then.
    if (route.endpoint === 'sd3') form.append('mode', 'image-to-image');
    form.append('image', new Blob([call.inputImage.bytes], { type: 'image/png' }), 'image.png');
    form.append('strength', String(call.inputImage.strength));
  } else {
    if (route.endpoint === 'sd3') form.append('mode', 'text-to-image');
    form.append('aspect_ratio', nearestAspectRatio(call, STABILITY_ASPECT_RATIOS));
  }
  if (call.negativePrompt.trim() !== '' && route.acceptsNegativePrompt)
    form.append('negative_prompt', call.negativePrompt);
  form.append('seed', String(seed % (STABILITY_MAX_SEED + 1)));
  form.append('output_format', format);
  if (context.stylePreset && route.endpoint === 'core') form.append('style_preset', context.stylePreset);
  return form;
}

async function requestImage(
  context: StabilityContext,
  call: ImageCall,
  wanted: { seed: number; format: ImageFormat; inpaintMask: Uint8Array | null },
  signal: AbortSignal,
): Promise<{ image: GeneratedImage; requestId: string | undefined }> {
  const route = routeForModel(call.model);
  const url = joinUrl(
    context.baseUrl,
    wanted.inpaintMask
      ? 'v2beta/stable-image/edit/inpaint'
      : `v2beta/stable-image/generate/${route.endpoint}`,
  );
  const response = await sendRequest(context.fetchFunction, context.label, url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${context.apiKey}`,
      accept: context.answerAsJson ? 'application/json' : 'image/*',
    },
    body: wanted.inpaintMask
      ? buildInpaintForm(call, wanted.inpaintMask, wanted.seed, wanted.format)
      : buildForm(context, call, wanted.seed, wanted.format),
    signal,
  });
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (!response.ok) {
    throw stabilityError(
      context.label,
      response.status,
      response.headers,
      await readText(response, context.label, signal),
    );
  }
  if (context.answerAsJson || response.headers.get('content-type')?.includes('json')) {
    const text = await readText(response, context.label, signal);
    const answer = parseJsonBody(context.label, text, stabilityJsonAnswerSchema, requestId);
    if (answer.finish_reason === 'CONTENT_FILTERED') throw contentFilteredError(context.label, requestId);
    const { bytes, format } = decodeBase64Image(context.label, answer.image, requestId);
    return { image: { bytes, format, seed: seedOf(answer.seed, wanted.seed) }, requestId };
  }
  if (response.headers.get('finish-reason') === 'CONTENT_FILTERED') {
    await response.body?.cancel().catch(() => {});
    throw contentFilteredError(context.label, requestId);
  }
  const bytes = await readBytes(response, context.label, signal);
  const format = sniffImageFormat(bytes);
  if (!format)
    throw invalidResponse(context.label, 'Stability AI answered 200 without an image', { requestId });
  return { image: { bytes, format, seed: seedOf(response.headers.get('seed'), wanted.seed) }, requestId };
}

/** The seed the backend reports (it picks one when asked for 0); else the one we sent. */
function seedOf(reported: string | number | null | undefined, asked: number): number {
  const value = Number(reported);
  return reported !== null && reported !== undefined && reported !== '' && Number.isFinite(value)
    ? value
    : asked;
}

/** `GET /v1/user/balance`: free, needs a valid key, and says how many credits are left. */
function checkHealth(context: StabilityContext, signal: AbortSignal): Promise<ProviderHealth> {
  const headers = { authorization: `Bearer ${context.apiKey}` };
  return checkHealthWithGet(
    { ...context, headers, url: joinUrl(context.baseUrl, 'v1/user/balance') },
    signal,
    {
      toError: stabilityError,
      describe: (text) => {
        const credits = (JSON.parse(text) as { credits?: unknown }).credits;
        return `${typeof credits === 'number' ? credits : 'unknown'} credits left`;
      },
    },
  );
}
