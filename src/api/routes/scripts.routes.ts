import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { BatchService } from '../../services/batches/batch.service.ts';
import type { ScriptAnalysisService } from '../../services/scripts/script-analysis.service.ts';
import type { ScriptRenderService } from '../../services/scripts/script-render.service.ts';
import type { ScriptStoryboardService } from '../../services/scripts/script-storyboard.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { presentBatch } from '../presenters.ts';
import { BatchSchema } from '../schemas/batch.schema.ts';
import { ErrorSchema, errorResponses } from '../schemas/common.schema.ts';
import {
  ScriptAnalyzeRequestSchema,
  ScriptEditSchema,
  ScriptRenderRequestSchema,
  ScriptSchema,
} from '../schemas/script.schema.ts';
import { validationHook } from '../validation.ts';

interface Deps {
  analyses: ScriptAnalysisService;
  renders: ScriptRenderService;
  storyboards: ScriptStoryboardService;
  batches: BatchService;
}

const IdParam = z.object({ id: z.string().min(1).max(100) });
const json = <Schema extends z.ZodType>(schema: Schema) => ({ content: { 'application/json': { schema } } });

/** `/v1/scripts/*`, and a script render's run sheet and video under `/v1/batches/{id}`. */
export function scriptRoutes(deps: Deps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const caller = (apiKeyId: string | null) => ({ apiKeyId });

  app.use('/scripts/analyze', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/scripts/analyze',
      tags: ['Scripts'],
      summary: 'Analyse a live-stream script: segments, keywords, selling points, offers, mood, plan',
      description:
        'Stores the analysis (GET /v1/scripts/{id}) and answers it. An empty script is 400, one over the limit 413, an unknown brand or product SKU 404 naming it. A script with no recognisable segments is one segment, and `notes` says so; so it does for mixed languages and for a chat-model answer that could not be used.',
      request: { body: { ...json(ScriptAnalyzeRequestSchema), required: true } },
      responses: {
        200: { description: 'The stored analysis', ...json(ScriptSchema) },
        ...errorResponses(400, 401, 403, 404, 413, 422),
      },
    }),
    async (c) =>
      c.json(
        await deps.analyses.analyze(c.req.valid('json'), caller(c.get('apiKey').id), c.req.raw.signal),
        200,
      ),
  );

  app.use('/scripts/render', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/scripts/render',
      tags: ['Scripts'],
      summary: 'Render the storyboard of a script as one urgent batch, grouped by segment',
      description:
        'Takes a stored analysis (`script_id`, with optional edits: segments, title, brand, n, visuals) or a script `text`; queues one row per planned visual (cover, hero, offer card, up next, countdown) with `n` options each. The manifest and zip are grouped by segment; the run sheet and the slideshow follow at `/v1/batches/{id}/run-sheet.csv|json` and `/v1/batches/{id}/video.mp4`.',
      request: {
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: { ...json(ScriptRenderRequestSchema), required: true },
      },
      responses: {
        202: { description: 'Accepted: the batch', ...json(BatchSchema) },
        ...errorResponses(400, 401, 403, 404, 409, 413, 422),
      },
    }),
    async (c) => {
      const { batch } = await deps.renders.render(
        c.req.valid('json'),
        caller(c.get('apiKey').id),
        c.req.valid('header')['idempotency-key'],
        c.req.raw.signal,
      );
      c.header('Location', `/v1/batches/${batch.id}`);
      return c.json(presentBatch(await deps.batches.state(batch.id)), 202);
    },
  );

  app.use('/scripts/:id', async (c, next) =>
    requireScope(c.req.method === 'GET' ? 'read' : 'generate')(c, next),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/scripts/{id}',
      tags: ['Scripts'],
      summary: 'A stored analysis',
      request: { params: IdParam },
      responses: {
        200: { description: 'The analysis', ...json(ScriptSchema) },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => c.json(await deps.analyses.get(c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/scripts/{id}',
      tags: ['Scripts'],
      summary: 'Save an edited analysis (the plan is made again)',
      request: { params: IdParam, body: { ...json(ScriptEditSchema), required: true } },
      responses: {
        200: { description: 'The analysis', ...json(ScriptSchema) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => c.json(await deps.analyses.edit(c.req.valid('param').id, c.req.valid('json')), 200),
  );

  // Plain handlers (a CSV, a JSON document and a video), documented by hand below.
  app.use('/batches/:id/run-sheet.json', requireScope('read'));
  app.get('/batches/:id/run-sheet.json', async (c) =>
    c.json(await deps.storyboards.runSheet(c.req.param('id')), 200),
  );
  app.use('/batches/:id/run-sheet.csv', requireScope('read'));
  app.get('/batches/:id/run-sheet.csv', async (c) => {
    const id = c.req.param('id');
    return new Response(await deps.storyboards.runSheetCsv(id), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="batch-${id}-run-sheet.csv"`,
      },
    });
  });
  app.use('/batches/:id/video.mp4', requireScope('read'));
  app.get('/batches/:id/video.mp4', async (c) => {
    const id = c.req.param('id');
    const video = await deps.storyboards.video(id, c.req.raw.signal);
    return new Response(video.bytes, {
      headers: {
        'content-type': 'video/mp4',
        'content-length': String(video.bytes.byteLength),
        'content-disposition': `attachment; filename="batch-${id}-slideshow.mp4"`,
        'x-video-seconds': String(video.seconds),
      },
    });
  });
  documentStoryboardRoutes(app);
  return app;
}

function documentStoryboardRoutes(app: OpenAPIHono<ApiEnv>) {
  const errors = { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } };
  const routes: Array<[string, string, string, Record<string, unknown>]> = [
    [
      '/batches/{id}/run-sheet.json',
      'The run sheet of a script render: per segment its time, product, offer, price, code, stock, mood and the visuals with their image files and URLs (watch it fill in while the batch renders)',
      'application/json',
      { 409: errors },
    ],
    [
      '/batches/{id}/run-sheet.csv',
      'The run sheet as CSV: segment, time, title, product, sku, offer, price, code, stock, mood, style_pack, status, images (paths in the zip), image_urls',
      'text/csv',
      {},
    ],
    [
      '/batches/{id}/video.mp4',
      'The slideshow of the segment covers (H.264, crossfades, a chapter per segment), made with ffmpeg on first request and kept. 409 while the covers render; 503 naming how to install ffmpeg when it is missing (VITRINE_FFMPEG)',
      'video/mp4',
      { 409: errors, 503: errors },
    ],
  ];
  for (const [path, summary, type, more] of routes) {
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      tags: ['Scripts'],
      summary,
      request: { params: IdParam },
      responses: {
        200: { description: 'OK', content: { [type]: { schema: z.string() } } },
        404: errors,
        ...more,
      } as never,
    });
  }
}
