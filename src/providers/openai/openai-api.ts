import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { errorFromStatus, type ProviderLabel, tryParseJson } from '../http.ts';
import { retryAfterMsFrom } from '../retry-hints.ts';
import { nearestSize, parseSize, type Size } from '../sizes.ts';

/**
 * OpenAI Images wire details: a deliberately minimal response schema (only what we read), the size
 * rules per model family, and the error body → taxonomy mapping.
 */

export const imagesResponseSchema = z.object({
  data: z.array(z.object({ b64_json: z.string().optional(), url: z.string().optional() })).min(1),
});

export type ImagesResponse = z.infer<typeof imagesResponseSchema>;

const errorBodySchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().nullish(),
    code: z.string().nullish(),
    param: z.string().nullish(),
  }),
});

/** How one model family is called. Unknown models (gateways) follow the gpt-image rules. */
export interface OpenAIModelRules {
  sizes: readonly Size[];
  maxImagesPerCall: number;
  /** dall-e answers a URL unless asked for base64; gpt-image always answers base64 and rejects the field. */
  sendResponseFormat: boolean;
  sendOutputFormat: boolean;
}

const GPT_IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536'].map(parseSize);
const DALLE3_SIZES = ['1024x1024', '1792x1024', '1024x1792'].map(parseSize);
const DALLE2_SIZES = ['256x256', '512x512', '1024x1024'].map(parseSize);

export function rulesForModel(model: string): OpenAIModelRules {
  if (model.startsWith('dall-e-3')) {
    return { sizes: DALLE3_SIZES, maxImagesPerCall: 1, sendResponseFormat: true, sendOutputFormat: false };
  }
  if (model.startsWith('dall-e-2')) {
    return { sizes: DALLE2_SIZES, maxImagesPerCall: 10, sendResponseFormat: true, sendOutputFormat: false };
  }
  return {
    sizes: GPT_IMAGE_SIZES,
    maxImagesPerCall: 10,
    sendResponseFormat: false,
    sendOutputFormat: model.startsWith('gpt-image'),
  };
}

/** The `size` field for the asked dimensions: nearest aspect ratio, then area. */
export function openaiSizeFor(model: string, asked: Size): string {
  const size = nearestSize(asked, rulesForModel(model).sizes);
  return `${size.width}x${size.height}`;
}

const CONTENT_FILTER_CODES = new Set(['moderation_blocked', 'content_policy_violation']);

/** An OpenAI error response as an AppError (content filter, quota, rate limit with its hint, …). */
export function openaiError(
  label: ProviderLabel,
  status: number,
  headers: Headers,
  bodyText: string,
): AppError {
  const parsed = errorBodySchema.safeParse(tryParseJson(bodyText));
  const error = parsed.success ? parsed.data.error : undefined;
  const message = error?.message ?? (bodyText.slice(0, 200) || `HTTP ${status}`);
  const code = error?.code ?? undefined;
  const requestId = headers.get('x-request-id') ?? undefined;
  const details = { provider: label.providerId, status, requestId, vendorCode: code, param: error?.param };
  if (code && CONTENT_FILTER_CODES.has(code)) {
    return new AppError('provider_rejected', `OpenAI's content filter refused the request: ${message}`, {
      retryable: false,
      details,
    });
  }
  if (code === 'insufficient_quota' || code === 'billing_hard_limit_reached') {
    return new AppError('quota_exceeded', `OpenAI quota exhausted: ${message}`, {
      retryable: false,
      details,
    });
  }
  return errorFromStatus(label, {
    status,
    message,
    requestId,
    vendorCode: code,
    retryAfterMs: status === 429 ? retryAfterMsFrom(headers, message) : undefined,
  });
}
