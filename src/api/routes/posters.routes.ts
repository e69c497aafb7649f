import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { isFinished, MAX_SEED, priorities } from '../../domain/job.ts';
import { imageFormats } from '../../domain/template.ts';
import type { AssetService } from '../../services/assets/asset.service.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { GenerationService } from '../../services/generation/generation.service.ts';
import type { PosterService } from '../../services/studio/poster.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { presentJob } from '../presenters.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { JobSchema } from '../schemas/job.schema.ts';
import { designFields } from '../schemas/quality.schema.ts';
import { validationHook } from '../validation.ts';

interface Deps {
  posters: PosterService;
  generations: GenerationService;
  assets: AssetService;
  data: Pick<ServiceDeps, 'db' | 'assets'>;
}

const MAX_WAIT_SECONDS = 120;

export const PosterRequestSchema = z
  .object({
    brief: z.string().trim().min(1).max(500).openapi({
      description:
        'The poster in words: the offer is read from it (满200减50, 满3件8折, 买一送一, 第二件半价, 限时秒杀, 20% off, buy one get one free, from $19, dates, coupon codes) and the rest becomes the supporting line.',
      example: '夏季清仓促销,满200减50',
    }),
    brand: z.string().min(1).max(63).optional().openapi({ example: 'default' }),
    width: z.number().int().min(64).max(4096).optional().openapi({ example: 1080 }),
    height: z.number().int().min(64).max(4096).optional().openapi({ example: 1920 }),
    template: z
      .string()
      .min(1)
      .max(63)
      .optional()
      .openapi({ description: 'Fill this template; without it a layout is chosen for the size and offer.' }),
    product_asset_id: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'An uploaded product photo' }),
    product_image_url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .openapi({ description: 'A product photo to fetch; cut out from a plain background' }),
    format: z.enum(imageFormats).optional(),
    seed: z.number().int().min(0).max(MAX_SEED).optional(),
    priority: z.enum(priorities).default('urgent'),
    webhook_url: z.url({ protocol: /^https?$/ }).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    n: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .openapi({ description: 'Variants: different designs of one brief' }),
    ...designFields,
  })
  .strict()
  .openapi('PosterRequest');

export function posterRoutes(deps: Deps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.use('/posters', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/posters',
      tags: ['Posters'],
      summary: 'Make a poster from a brief',
      description:
        'Reads the offer from the brief, lays it out (the named template, or one chosen for the size) with the product photo cut out, and queues the render as a job. The parsed offer is in the job’s `metadata.poster`; layout checks, the cut-out review flag and the background used are in its `warnings` as notes. With `?wait=SECONDS` the answer waits for the job like `POST /v1/generations`.',
      request: {
        query: z.object({ wait: z.coerce.number().min(0).max(MAX_WAIT_SECONDS).optional() }),
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: { content: { 'application/json': { schema: PosterRequestSchema } }, required: true },
      },
      responses: {
        200: {
          description: 'Finished within `wait`',
          content: { 'application/json': { schema: JobSchema } },
        },
        202: { description: 'Accepted', content: { 'application/json': { schema: JobSchema } } },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { wait } = c.req.valid('query');
      const { job } = await deps.posters.create(
        c.req.valid('json'),
        { apiKeyId: c.get('apiKey').id },
        c.req.valid('header')['idempotency-key'],
      );
      const current = wait
        ? await deps.generations.waitForFinish(job.id, wait * 1000, c.req.raw.signal)
        : job;
      c.header('Location', `/v1/jobs/${job.id}`);
      const assets = await deps.data.assets.listForJobs(deps.data.db, [job.id]);
      return c.json(presentJob(current, assets, deps.assets), isFinished(current.status) && wait ? 200 : 202);
    },
  );
  return app;
}
