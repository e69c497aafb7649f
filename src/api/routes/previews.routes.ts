import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { MAX_SEED } from '../../domain/job.ts';
import { STYLE_PACK_IDS } from '../../domain/style-packs.ts';
import type { PreviewService } from '../../services/studio/preview.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { BrandUpdateSchema } from '../schemas/catalog.schema.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { designFields } from '../schemas/quality.schema.ts';
import { validationHook } from '../validation.ts';

export const PreviewRequestSchema = z
  .object({
    template: z.string().min(1).max(63),
    params: z.record(z.string(), z.string().max(2000)).optional(),
    brand: z.string().max(63).optional().openapi({ description: 'A saved brand; `default` when absent' }),
    brand_changes: BrandUpdateSchema.optional().openapi({
      description:
        'Unsaved changes drawn over the brand, as a `PATCH /v1/brands/{slug}` body would make them',
    }),
    width: z.number().int().min(64).max(4096).optional(),
    height: z.number().int().min(64).max(4096).optional(),
    seed: z.number().int().min(0).max(MAX_SEED).optional(),
    style_pack: designFields.style_pack,
  })
  .strict()
  .openapi('PreviewRequest');

/** Header carrying the layout-check notes, URI-encoded JSON (the notes may be Chinese). */
export const PREVIEW_NOTES_HEADER = 'Vitrine-Notes';
/** Header carrying the preview's quality score (0..1), as the job would record it. */
export const PREVIEW_SCORE_HEADER = 'Vitrine-Quality-Score';
/** Header carrying the whole quality record (score, parts, every check), URI-encoded JSON. */
export const PREVIEW_QUALITY_HEADER = 'Vitrine-Quality';

/** `POST /v1/previews`: a template drawn at once by the studio engine, stored nowhere. */
export function previewRoutes(previews: PreviewService) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.use('/previews', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/previews',
      tags: ['Templates'],
      summary: 'Preview a template in a brand, unsaved changes included',
      description:
        'Draws one image with the built-in studio engine and answers it as PNG: no job, no stored asset, no cost. Sides above 1600 px are scaled down. Failed quality checks and engine notes are in the `Vitrine-Notes` header (URI-encoded JSON array of strings), the quality score in `Vitrine-Quality-Score`, and the whole quality record (`{score, parts, checks}` with passed checks too) in `Vitrine-Quality` (URI-encoded JSON).',
      request: {
        body: { content: { 'application/json': { schema: PreviewRequestSchema } }, required: true },
      },
      responses: {
        200: {
          description: 'The preview',
          content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const preview = await previews.render(c.req.valid('json'), c.req.raw.signal);
      return c.body(Buffer.from(preview.bytes), 200, {
        'Content-Type': 'image/png',
        'Cache-Control': 'no-store',
        [PREVIEW_NOTES_HEADER]: encodeURIComponent(JSON.stringify(preview.notes)),
        ...(preview.quality
          ? {
              [PREVIEW_SCORE_HEADER]: String(preview.quality.score),
              [PREVIEW_QUALITY_HEADER]: encodeURIComponent(JSON.stringify(preview.quality)),
            }
          : {}),
      });
    },
  );

  app.use('/templates/:name/thumbnail', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/templates/{name}/thumbnail',
      tags: ['Templates'],
      summary: 'A small picture of a template in a style pack and brand',
      description:
        "The template drawn by the studio engine at `size` px on its longer side, with sample texts in `lang` (a shop's usual words: title, line, price, badge). Remembered until the template or the brand changes; no job, no cost. The studio's template gallery shows these.",
      request: {
        params: z.object({ name: z.string().min(1).max(63) }),
        query: z.object({
          style_pack: z.enum(STYLE_PACK_IDS).optional(),
          brand: z.string().min(1).max(63).optional(),
          lang: z.enum(['en', 'zh']).default('en'),
          size: z.coerce.number().int().min(64).max(480).default(320),
          v: z.string().max(64).optional().openapi({ description: 'Ignored; a cache key for the browser' }),
        }),
      },
      responses: {
        200: {
          description: 'The thumbnail',
          content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const bytes = await previews.thumbnail(
        {
          template: c.req.valid('param').name,
          brand: query.brand,
          style_pack: query.style_pack,
          language: query.lang,
          size: query.size,
        },
        c.req.raw.signal,
      );
      return c.body(Buffer.from(bytes), 200, {
        'Content-Type': 'image/png',
        'Cache-Control': 'private, max-age=300',
      });
    },
  );
  return app;
}
