import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { errorFromStatus, type ProviderLabel, tryParseJson } from '../http.ts';
import { retryAfterMsFrom } from '../retry-hints.ts';

/**
 * Automatic1111 / Forge `--api` wire details: minimal answer schemas (`info` is a JSON string that
 * must be parsed a second time) and error bodies → taxonomy.
 */

export const generationAnswerSchema = z.object({
  images: z.array(z.string()),
  info: z.string().optional(),
});

/** The parts of the decoded `info` we use; everything is optional across A1111 and Forge versions. */
export const generationInfoSchema = z.object({
  seed: z.number().optional(),
  all_seeds: z.array(z.number()).optional(),
  sd_model_name: z.string().nullish(),
  sd_model_hash: z.string().nullish(),
  /** 1 when a grid image precedes the batch in `images`. */
  index_of_first_image: z.number().optional(),
});

export type GenerationInfo = z.infer<typeof generationInfoSchema>;

/** Decodes `info`; a broken one only loses the metadata, never the images. */
export function parseGenerationInfo(info: string | undefined): GenerationInfo {
  const parsed = generationInfoSchema.safeParse(tryParseJson(info ?? ''));
  return parsed.success ? parsed.data : {};
}

export const progressAnswerSchema = z.object({
  progress: z.number(),
  state: z
    .object({ sampling_step: z.number().optional(), sampling_steps: z.number().optional() })
    .partial()
    .optional(),
});

const validationErrorSchema = z.object({
  detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])).optional(), msg: z.string() })),
});

const serverErrorSchema = z.object({
  error: z.string().optional(),
  detail: z.string().optional(),
  errors: z.string().optional(),
});

/** 422 (FastAPI validation) → invalid_request with each field; 500 `{"error"}` → provider_unavailable. */
export function a1111Error(
  label: ProviderLabel,
  status: number,
  headers: Headers,
  bodyText: string,
): AppError {
  const json = tryParseJson(bodyText);
  const validation = validationErrorSchema.safeParse(json);
  if (status === 422 && validation.success) {
    const issues = validation.data.detail.map((item) => ({
      field: (item.loc ?? []).filter((part) => part !== 'body').join('.'),
      message: item.msg,
    }));
    const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    return new AppError('invalid_request', `Automatic1111 refused the parameters: ${summary}`, {
      retryable: false,
      details: { provider: label.providerId, status, issues },
    });
  }
  const serverError = serverErrorSchema.safeParse(json);
  const message =
    (serverError.success &&
      [serverError.data.error, serverError.data.errors || serverError.data.detail]
        .filter(Boolean)
        .join(': ')) ||
    bodyText.slice(0, 200) ||
    `HTTP ${status}`;
  return errorFromStatus(label, {
    status,
    message,
    retryAfterMs: status === 429 ? retryAfterMsFrom(headers, message) : undefined,
  });
}
