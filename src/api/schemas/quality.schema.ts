import { z } from '@hono/zod-openapi';
import { STYLE_PACK_IDS } from '../../domain/style-packs.ts';

/** `images[].quality`: the contract's `{score, parts, checks}` (docs/quality.md). */
export const ImageQualitySchema = z
  .object({
    score: z.number().min(0).max(1).openapi({ description: '0..1; how it is computed: docs/quality.md' }),
    parts: z
      .record(z.string(), z.number())
      .openapi({ description: 'The named components of the score, 0..1' }),
    checks: z.array(
      z.object({
        name: z.string().openapi({ example: 'text_fits' }),
        passed: z.boolean(),
        detail: z.string().openapi({ example: 'every text at or above its floor, inside its box' }),
      }),
    ),
  })
  .openapi('ImageQuality');

/** A job's `warnings[]`. */
export const JobWarningSchema = z
  .object({
    code: z.string().openapi({ example: 'text_fits' }),
    message: z.string(),
    image: z.number().int().optional().openapi({ description: 'The image (0-based) the warning is about' }),
    level: z.enum(['warning', 'info']).optional().openapi({
      description: '`info`: a record of what the engine decided; absent or `warning`: look at it',
    }),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('JobWarning');

/** The design fields every request that renders takes (generations, posters, batches, previews). */
export const designFields = {
  style_pack: z.enum(STYLE_PACK_IDS).optional().openapi({
    description:
      "The studio's style pack: festive, minimal, luxury, fresh, tech or cute. Absent: the template's default. A brand kit overrides what it sets (docs/templates.md).",
  }),
  min_quality: z.number().min(0).max(1).optional().openapi({
    description:
      'Each image must score at least this (0..1, docs/quality.md): one under it is made again with another seed, within the quality-retry budget, and then fails the job.',
  }),
};
