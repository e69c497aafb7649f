import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { isFinished } from '../../domain/job.ts';
import type { AssetService } from '../../services/assets/asset.service.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { encodeCursor, type GenerationService } from '../../services/generation/generation.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { presentJob } from '../presenters.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import {
  GenerationRequestSchema,
  JobListQuery,
  JobPageSchema,
  JobSchema,
  PromptPreviewSchema,
  startOf,
} from '../schemas/job.schema.ts';
import { validationHook } from '../validation.ts';

interface Deps {
  generations: GenerationService;
  assets: AssetService;
  data: Pick<ServiceDeps, 'db' | 'assets' | 'events'>;
}

const MAX_WAIT_SECONDS = 120;
const SSE_DB_POLL_MS = 1000;
const JobIdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

export function generationRoutes(deps: Deps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const present = async (job: Parameters<typeof presentJob>[0]) =>
    presentJob(job, await deps.data.assets.listForJobs(deps.data.db, [job.id]), deps.assets);

  app.use('/generations', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/generations',
      tags: ['Generations'],
      summary: 'Create a generation job',
      description:
        'Queues a job. With `?wait=SECONDS` the answer waits up to that long and is 200 with the finished job when it finishes in time. The same `Idempotency-Key` and body return the same job; another body with that key is 409.',
      request: {
        query: z.object({ wait: z.coerce.number().min(0).max(MAX_WAIT_SECONDS).optional() }),
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: { content: { 'application/json': { schema: GenerationRequestSchema } }, required: true },
      },
      responses: {
        200: {
          description: 'Finished within `wait`',
          content: { 'application/json': { schema: JobSchema } },
        },
        202: { description: 'Accepted', content: { 'application/json': { schema: JobSchema } } },
        ...errorResponses(400, 401, 403, 404, 409, 413),
      },
    }),
    async (c) => {
      const request = c.req.valid('json');
      const { wait } = c.req.valid('query');
      const idempotencyKey = c.req.valid('header')['idempotency-key'];
      const { job } = await deps.generations.create(
        request,
        { apiKeyId: c.get('apiKey').id },
        idempotencyKey,
      );
      const current = wait
        ? await deps.generations.waitForFinish(job.id, wait * 1000, c.req.raw.signal)
        : job;
      c.header('Location', `/v1/jobs/${job.id}`);
      return c.json(await present(current), isFinished(current.status) && wait ? 200 : 202);
    },
  );

  app.use('/prompts/preview', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/prompts/preview',
      tags: ['Generations'],
      summary: 'Preview the final prompt, size, provider and model without generating',
      request: {
        body: { content: { 'application/json': { schema: GenerationRequestSchema } }, required: true },
      },
      responses: {
        200: { description: 'The plan', content: { 'application/json': { schema: PromptPreviewSchema } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const plan = await deps.generations.preview(c.req.valid('json'));
      return c.json(
        {
          prompt: plan.prompt,
          negative_prompt: plan.negativePrompt,
          width: plan.width,
          height: plan.height,
          format: plan.format,
          provider: plan.providerId,
          model: plan.model,
          template: plan.template?.name ?? null,
          template_version: plan.template?.version ?? null,
          brand: plan.brand.slug,
          brand_version: plan.brand.version,
          params: plan.params,
        },
        200,
      );
    },
  );

  app.use('/jobs', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs',
      tags: ['Jobs'],
      summary: 'List jobs, newest first',
      request: {
        query: JobListQuery,
      },
      responses: {
        200: { description: 'A page of jobs', content: { 'application/json': { schema: JobPageSchema } } },
        ...errorResponses(400, 401),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const jobs = await deps.generations.list({
        status: query.status,
        batchId: query.batch_id,
        template: query.template,
        brand: query.brand,
        provider: query.provider,
        createdAfter: query.created_after ? startOf(query.created_after) : undefined,
        createdBefore: query.created_before ? startOf(query.created_before) : undefined,
        text: query.q,
        limit: query.limit,
        cursor: query.cursor,
      });
      const assets = await deps.data.assets.listForJobs(
        deps.data.db,
        jobs.map((job) => job.id),
      );
      const last = jobs.at(-1);
      return c.json(
        {
          data: jobs.map((job) =>
            presentJob(
              job,
              assets.filter((asset) => asset.job_id === job.id),
              deps.assets,
            ),
          ),
          next_cursor: last && jobs.length === query.limit ? encodeCursor(last) : null,
        },
        200,
      );
    },
  );

  app.use('/jobs/:id', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/{id}',
      tags: ['Jobs'],
      summary: 'Get a job',
      request: { params: JobIdParams },
      responses: {
        200: { description: 'The job', content: { 'application/json': { schema: JobSchema } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => c.json(await present(await deps.generations.get(c.req.valid('param').id)), 200),
  );

  app.use('/jobs/:id/cancel', requireScope('generate'));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/jobs/{id}/cancel',
      tags: ['Jobs'],
      summary: 'Cancel a job',
      description:
        'A queued job is canceled at once; a running one is aborted. A finished job is returned unchanged.',
      request: { params: JobIdParams },
      responses: {
        200: {
          description: 'The job after the cancel',
          content: { 'application/json': { schema: JobSchema } },
        },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => c.json(await present(await deps.generations.cancel(c.req.valid('param').id)), 200),
  );

  app.use('/jobs/:id/events', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/{id}/events',
      tags: ['Jobs'],
      summary: 'Follow a job as server-sent events',
      description:
        'Events: `status` ({status, attempts}), `progress` ({progress} 0–1), and a last `done` with the finished job, after which the stream closes.',
      request: { params: JobIdParams },
      responses: {
        200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const first = await deps.generations.get(id);
      return streamSSE(c, async (stream) => {
        let finished = false;
        let wake: () => void = () => {};
        const sendDone = async () => {
          if (finished) return;
          finished = true;
          const job = await deps.generations.get(id);
          await stream.writeSSE({ event: 'done', data: JSON.stringify(await present(job)) });
          wake();
        };
        await stream.writeSSE({
          event: 'status',
          data: JSON.stringify({ status: first.status, attempts: first.attempts, progress: first.progress }),
        });
        if (isFinished(first.status)) return sendDone();
        const unsubscribe = deps.data.events.subscribe(id, (event) => {
          if (event.type === 'done') void sendDone();
          else if (event.type === 'progress') {
            void stream.writeSSE({ event: 'progress', data: JSON.stringify({ progress: event.progress }) });
          } else void stream.writeSSE({ event: 'status', data: JSON.stringify(event) });
        });
        // Workers in other processes publish nowhere we can hear; the database tells.
        const poll = setInterval(async () => {
          const job = await deps.generations.get(id).catch(() => null);
          if (job && isFinished(job.status)) void sendDone();
        }, SSE_DB_POLL_MS);
        stream.onAbort(() => wake());
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (finished || stream.aborted) resolve();
        });
        clearInterval(poll);
        unsubscribe();
      });
    },
  );

  return app;
}
