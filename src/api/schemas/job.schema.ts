import { z } from '@hono/zod-openapi';
import { jobStatuses, MAX_SEED, priorities } from '../../domain/job.ts';
import { STYLE_IDS } from '../../domain/style-presets.ts';
import { imageFormats } from '../../domain/template.ts';
import { designFields, ImageQualitySchema, JobWarningSchema } from './quality.schema.ts';

export const GenerationRequestSchema = z
  .object({
    prompt: z
      .string()
      .trim()
      .min(1)
      .max(32_000)
      .optional()
      .openapi({ example: 'a linen shirt on a wooden hanger' }),
    template: z.string().min(1).max(63).optional().openapi({ example: 'product_hero' }),
    params: z
      .record(z.string(), z.string().max(10_000))
      .optional()
      .openapi({ example: { title: '亚麻衬衫', price: '¥199' } }),
    brand: z.string().min(1).max(63).optional().openapi({ example: 'default' }),
    n: z.number().int().min(1).max(10).default(1),
    width: z.number().int().min(64).max(4096).optional(),
    height: z.number().int().min(64).max(4096).optional(),
    format: z.enum(imageFormats).optional(),
    provider: z.string().min(1).max(63).optional(),
    model: z.string().min(1).max(120).optional(),
    seed: z.number().int().min(0).max(MAX_SEED).optional(),
    negative_prompt: z.string().max(4000).optional(),
    style: z.enum(STYLE_IDS).optional().openapi({
      description:
        'A style preset (`GET /v1/styles`): its words are added to the prompt and its negative prompt',
    }),
    priority: z.enum(priorities).default('normal'),
    cache: z.enum(['exact', 'similar', 'off']).default('exact'),
    webhook_url: z.url({ protocol: /^https?$/ }).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    max_cost_usd: z.number().min(0).optional().openapi({
      description:
        'The most this job may cost (USD). Routing skips providers whose price is higher; when none fits, 402 budget_exceeded.',
    }),
    ...designFields,
  })
  .strict()
  .openapi('GenerationRequest');

export const ImageSchema = z
  .object({
    id: z.string(),
    url: z.string().openapi({ description: 'Signed URL; works without an API key until it expires' }),
    width: z.number().int(),
    height: z.number().int(),
    format: z.enum(imageFormats),
    bytes: z.number().int(),
    seed: z.number().int().nullable(),
    quality: ImageQualitySchema.nullable().openapi({
      description:
        'The image’s quality score, its parts and checks; null for images made before scores were kept',
    }),
  })
  .openapi('Image');

export const JobSchema = z
  .object({
    id: z.string().uuid(),
    status: z.enum(jobStatuses),
    batch_id: z.string().nullable(),
    prompt: z.string(),
    negative_prompt: z.string(),
    template: z.string().nullable(),
    template_version: z.number().int().nullable(),
    brand: z.string(),
    brand_version: z.number().int(),
    provider: z.string(),
    model: z.string(),
    n: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    format: z.enum(imageFormats),
    priority: z.enum(priorities),
    params: z.record(z.string(), z.string()),
    seed: z.number().int().nullable(),
    attempts: z.number().int(),
    progress: z.number(),
    cache: z.enum(['miss', 'exact', 'similar']),
    cost_usd: z.number(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    warnings: z.array(JobWarningSchema),
    options: z
      .object({ style_pack: z.string().optional(), min_quality: z.number().optional() })
      .openapi({ description: 'The design options of the request' }),
    metadata: z.record(z.string(), z.unknown()),
    images: z.array(ImageSchema),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi('Job');

export const JobPageSchema = z
  .object({ data: z.array(JobSchema), next_cursor: z.string().nullable() })
  .openapi('JobPage');

export const PromptPreviewSchema = z
  .object({
    prompt: z.string(),
    negative_prompt: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    format: z.enum(imageFormats),
    provider: z.string(),
    model: z.string(),
    template: z.string().nullable(),
    template_version: z.number().int().nullable(),
    brand: z.string(),
    brand_version: z.number().int(),
    params: z.record(z.string(), z.string()),
  })
  .openapi('PromptPreview');

const dayOrInstant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .openapi({ description: 'A UTC day (YYYY-MM-DD, meaning its start) or an ISO 8601 instant' });

/** The query of `GET /v1/jobs`: every filter given must match. */
export const JobListQuery = z.object({
  status: z.enum(jobStatuses).optional(),
  batch_id: z.string().optional(),
  template: z.string().max(63).optional().openapi({ description: 'Jobs of this template' }),
  brand: z.string().max(63).optional().openapi({ description: 'Jobs in this brand (slug)' }),
  provider: z.string().max(80).optional().openapi({ description: 'Jobs routed to this provider' }),
  created_after: dayOrInstant
    .optional()
    .openapi({ description: 'Jobs created at or after this day/instant' }),
  created_before: dayOrInstant
    .optional()
    .openapi({ description: 'Jobs created before this day/instant (a day: before its start)' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "A piece of the prompt or the template's name, any case" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

/** A day means its first instant, in UTC. */
export function startOf(dayOrInstant: string): Date {
  return new Date(dayOrInstant.length === 10 ? `${dayOrInstant}T00:00:00Z` : dayOrInstant);
}
