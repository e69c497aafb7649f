import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { FleetService, WorkerView } from '../../services/fleet/fleet.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

const BackendSchema = z
  .object({
    url: z.string().openapi({ description: 'The server, without credentials' }),
    ok: z.boolean(),
    message: z.string().nullable(),
    gpu: z
      .object({
        name: z.string().nullable().openapi({ description: 'As the server names it; A1111 does not' }),
        memory_used_bytes: z.number().int().nullable(),
        memory_total_bytes: z.number().int().nullable(),
      })
      .nullable(),
    queue_depth: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'ComfyUI: prompts running and pending; A1111: jobs left of its current task' }),
  })
  .openapi('WorkerBackend');

const WorkerSchema = z
  .object({
    id: z.string().openapi({ description: '`host:pid:tag` of the worker process' }),
    state: z.enum(['active', 'lost', 'stopped']).openapi({
      description:
        '`active`: heard from within the stale limit; `lost`: silent past it (crashed or cut off; its jobs go back to the queue); `stopped`: stopped gracefully',
    }),
    host: z.string(),
    pid: z.number().int(),
    version: z.string(),
    concurrency: z.number().int(),
    running_job_ids: z.array(z.string()),
    finished_jobs: z
      .number()
      .int()
      .openapi({ description: 'Job attempts it ran to an end since it started' }),
    providers: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        healthy: z.boolean(),
        message: z.string().nullable(),
        circuit: z.string(),
        backends: z.array(BackendSchema),
      }),
    ),
    started_at: z.string(),
    last_seen_at: z.string(),
    seen_seconds_ago: z.number(),
    stopped_at: z.string().nullable(),
  })
  .openapi('Worker');

export function presentWorker(worker: WorkerView) {
  return {
    id: worker.id,
    state: worker.state,
    host: worker.host,
    pid: worker.pid,
    version: worker.version,
    concurrency: worker.concurrency,
    running_job_ids: worker.running_job_ids,
    finished_jobs: worker.finished_jobs,
    providers: worker.providers,
    started_at: worker.started_at.toISOString(),
    last_seen_at: worker.last_seen_at.toISOString(),
    seen_seconds_ago: Math.round(worker.seen_seconds_ago * 10) / 10,
    stopped_at: worker.stopped_at?.toISOString() ?? null,
  };
}

/** `GET /v1/workers`: the worker processes of the fleet, from their heartbeats. */
export function workerRoutes(fleet: FleetService) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.use('/workers', requireScope('read'));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/workers',
      tags: ['Operations'],
      summary: 'Worker processes: state, running jobs, providers and their GPUs',
      description:
        'Each worker process reports every `heartbeat_seconds`. Listed: workers heard from in the last 24 hours (`all=true`: every one kept, up to a week), active first.',
      request: { query: z.object({ all: z.enum(['true', 'false']).optional() }) },
      responses: {
        200: {
          description: 'Workers',
          content: {
            'application/json': {
              schema: z.object({
                data: z.array(WorkerSchema),
                heartbeat_seconds: z.number().int(),
                stale_after_seconds: z.number().int(),
              }),
            },
          },
        },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const workers = await fleet.list({ all: c.req.valid('query').all === 'true' });
      return c.json(
        {
          data: workers.map(presentWorker),
          heartbeat_seconds: fleet.heartbeatSeconds,
          stale_after_seconds: fleet.staleSeconds,
        },
        200,
      );
    },
  );
  return app;
}
