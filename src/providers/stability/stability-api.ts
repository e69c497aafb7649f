import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import type { ImageFormat } from '../../domain/template.ts';
import { errorFromStatus, type ProviderLabel, tryParseJson } from '../http.ts';
import { retryAfterMsFrom } from '../retry-hints.ts';

/**
 * Stability AI v2beta wire details: which endpoint serves a model, the accepted aspect ratios and
 * formats, the minimal JSON answer schema, and error bodies → taxonomy.
 */

/** Aspect ratios every `generate/*` endpoint accepts for text-to-image. */
export const STABILITY_ASPECT_RATIOS = [
  '16:9',
  '1:1',
  '21:9',
  '2:3',
  '3:2',
  '4:5',
  '5:4',
  '9:16',
  '9:21',
] as const;

export interface StabilityRoute {
  /** `core`, `ultra` or `sd3`. */
  endpoint: 'core' | 'ultra' | 'sd3';
  /** The `model` form field, for the sd3 endpoint. */
  modelField?: string;
  acceptsNegativePrompt: boolean;
  acceptsInputImage: boolean;
  formats: readonly ImageFormat[];
}

/** `core` and `ultra` are endpoints; every other model (`sd3.5-large`, …) is a `model` of the sd3 endpoint. */
export function routeForModel(model: string): StabilityRoute {
  if (model === 'core') {
    return {
      endpoint: 'core',
      acceptsNegativePrompt: true,
      acceptsInputImage: false,
      formats: ['png', 'jpeg', 'webp'],
    };
  }
  if (model === 'ultra') {
    return {
      endpoint: 'ultra',
      acceptsNegativePrompt: true,
      acceptsInputImage: true,
      formats: ['png', 'jpeg', 'webp'],
    };
  }
  return {
    endpoint: 'sd3',
    modelField: model,
    // Turbo models ignore guidance, and the API rejects a negative prompt for them.
    acceptsNegativePrompt: !model.includes('turbo'),
    acceptsInputImage: true,
    formats: ['png', 'jpeg'],
  };
}

/** Stability's seed range; 0 asks for a random seed, which the answer then reports. */
export const STABILITY_MAX_SEED = 4_294_967_294;

export const stabilityJsonAnswerSchema = z.object({
  image: z.string().min(1),
  finish_reason: z.string().nullish(),
  seed: z.union([z.number(), z.string()]).nullish(),
});

const errorBodySchema = z.object({
  name: z.string().optional(),
  errors: z.array(z.string()).optional(),
  message: z.string().optional(),
});

/** A content-filtered answer (200 with `finish-reason: CONTENT_FILTERED`, a blurred image) is a refusal. */
export function contentFilteredError(label: ProviderLabel, requestId: string | undefined): AppError {
  return new AppError(
    'provider_rejected',
    "Stability AI's content filter blurred the image (CONTENT_FILTERED)",
    {
      retryable: false,
      details: { provider: label.providerId, requestId, vendorCode: 'CONTENT_FILTERED' },
    },
  );
}

/** A Stability error response as an AppError. 403 `content_moderation` is a refusal, not an auth failure. */
export function stabilityError(
  label: ProviderLabel,
  status: number,
  headers: Headers,
  bodyText: string,
): AppError {
  const parsed = errorBodySchema.safeParse(tryParseJson(bodyText));
  const body = parsed.success ? parsed.data : {};
  const message = body.errors?.join('; ') || body.message || bodyText.slice(0, 200) || `HTTP ${status}`;
  const requestId = headers.get('x-request-id') ?? undefined;
  if (body.name === 'content_moderation') {
    return new AppError(
      'provider_rejected',
      `Stability AI's content moderation refused the request: ${message}`,
      {
        retryable: false,
        details: { provider: label.providerId, status, requestId, vendorCode: body.name },
      },
    );
  }
  return errorFromStatus(label, {
    status,
    message,
    requestId,
    vendorCode: body.name,
    retryAfterMs: status === 429 ? retryAfterMsFrom(headers, message) : undefined,
  });
}
