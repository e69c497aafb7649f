import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { PublicationRecord } from '../../db/publication.repository.ts';
import { presentDestination } from '../../services/integrations/destination.service.ts';
import type { IntegrationsCapability } from '../../services/integrations/integrations.wiring.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

const HttpConfigSchema = z
  .object({
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    url: z.string().min(1).max(2000).openapi({ example: 'https://cms.example.com/api/products/{{sku}}' }),
    body: z
      .unknown()
      .optional()
      .openapi({
        description:
          'JSON sent, each string templated ("{{images.0.url}}"); a string that is one placeholder keeps its type',
        example: { image_url: '{{images.0.url}}' },
      }),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string().max(1000)).optional(),
    auth_header: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .optional()
      .openapi({ description: 'Carries the secret; default Authorization' }),
  })
  .strict();

const BucketConfigSchema = z
  .object({
    bucket: z.string().min(3).max(63),
    key_pattern: z.string().min(1).max(500).openapi({ example: '{{sku}}/{{template}}-{{n}}.jpg' }),
    region: z.string().max(40).optional(),
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
    force_path_style: z.boolean().optional(),
    access_key_id: z.string().max(200).optional(),
    cache_control: z.string().max(200).optional(),
  })
  .strict();

const DestinationInputSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _'),
    kind: z.enum(['http', 'bucket']),
    http: HttpConfigSchema.optional(),
    bucket: BucketConfigSchema.optional(),
    secret: z.string().min(1).max(4000).nullish().openapi({
      description:
        'Write-only: the auth header value (e.g. "Bearer …") or the bucket secret access key; stored encrypted',
    }),
  })
  .strict()
  .openapi('DestinationInput');
const DestinationUpdateSchema = DestinationInputSchema.omit({ kind: true })
  .partial()
  .strict()
  .openapi('DestinationUpdate');

const DestinationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['http', 'bucket']),
    http: z.record(z.string(), z.unknown()).optional(),
    bucket: z.record(z.string(), z.unknown()).optional(),
    has_secret: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Destination');

const PublicationSchema = z
  .object({
    id: z.string(),
    job_id: z.string(),
    batch_id: z.string().nullable(),
    destination: z.string().openapi({ description: 'The destination id, or `shopify`' }),
    destination_name: z.string(),
    kind: z.enum(['shopify', 'http', 'bucket']),
    target: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    error_code: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    request: z.record(z.string(), z.unknown()),
    response_excerpt: z.string().nullable(),
    replay_of: z.string().nullable(),
    created_at: z.string(),
    last_attempt_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi('Publication');

export function presentPublication(
  record: PublicationRecord,
  names: ReadonlyMap<string, string> = new Map(),
) {
  return {
    id: record.id,
    job_id: record.job_id,
    batch_id: record.batch_id,
    destination: record.destination,
    destination_name: names.get(record.destination) ?? record.destination,
    kind: record.kind,
    target: record.target,
    status: record.status,
    attempts: record.attempts,
    error_code: record.error_code,
    last_status_code: record.last_status_code,
    last_error: record.last_error,
    request: record.request,
    response_excerpt: record.response_excerpt,
    replay_of: record.replay_of,
    created_at: record.created_at.toISOString(),
    last_attempt_at: record.last_attempt_at?.toISOString() ?? null,
    finished_at: record.finished_at?.toISOString() ?? null,
  };
}

const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const answer = <T>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const CountsSchema = z.object({
  pending: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
});

/** `/v1/destinations` (admin) and each batch's publication log with replay. */
export function destinationRoutes(integrations: Pick<IntegrationsCapability, 'destinations' | 'publish'>) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const { destinations, publish } = integrations;
  const tags = ['Destinations'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/destinations',
      tags,
      summary: 'Publish destinations (never their secrets)',
      middleware: [requireScope('read')] as const,
      responses: {
        200: answer('Destinations', z.object({ data: z.array(DestinationSchema) })),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ data: (await destinations.list()).map(presentDestination) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/destinations',
      tags,
      summary: 'Add a destination: a CMS call templated from each row, or a copy to a bucket',
      middleware: [requireScope('admin')] as const,
      request: { body: json(DestinationInputSchema) },
      responses: { 201: answer('Created', DestinationSchema), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => c.json(presentDestination(await destinations.create(c.req.valid('json'))), 201),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/destinations/{id}',
      tags,
      summary: 'A destination, by id or name',
      middleware: [requireScope('read')] as const,
      request: { params: IdParams },
      responses: { 200: answer('The destination', DestinationSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(presentDestination(await destinations.get(c.req.valid('param').id)), 200),
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/destinations/{id}',
      tags,
      summary: 'Change a destination (a `secret` of null removes it)',
      middleware: [requireScope('admin')] as const,
      request: { params: IdParams, body: json(DestinationUpdateSchema) },
      responses: { 200: answer('The destination', DestinationSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) =>
      c.json(
        presentDestination(await destinations.update(c.req.valid('param').id, c.req.valid('json'))),
        200,
      ),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/destinations/{id}',
      tags,
      summary: 'Delete a destination',
      middleware: [requireScope('admin')] as const,
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      await destinations.delete(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/batches/{id}/publications',
      tags,
      summary: "A batch's delivery log: one publication per succeeded row and destination, with its attempts",
      middleware: [requireScope('read')] as const,
      request: {
        params: IdParams,
        query: z.object({
          status: z.enum(['pending', 'succeeded', 'failed']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          after: z.string().uuid().optional().openapi({ description: 'The last id of the previous page' }),
        }),
      },
      responses: {
        200: answer(
          'Publications and counts per destination (replays counted once)',
          z.object({ data: z.array(PublicationSchema), summary: z.record(z.string(), CountsSchema) }),
        ),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const [page, summary, all] = await Promise.all([
        publish.listForBatch(id, query),
        publish.summaryForBatch(id),
        destinations.list(),
      ]);
      const names = new Map(all.map((entry) => [entry.id, entry.name]));
      return c.json({ data: page.map((entry) => presentPublication(entry, names)), summary }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/jobs/{id}/publications',
      tags,
      summary: "A job's publications (its Shopify attach, its batch's destinations), oldest first",
      middleware: [requireScope('read')] as const,
      request: { params: IdParams },
      responses: {
        200: answer('Publications', z.object({ data: z.array(PublicationSchema) })),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const [entries, all] = await Promise.all([
        publish.listForJob(c.req.valid('param').id),
        destinations.list(),
      ]);
      const names = new Map(all.map((entry) => [entry.id, entry.name]));
      return c.json({ data: entries.map((entry) => presentPublication(entry, names)) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/batches/{id}/publications/replay',
      tags,
      summary: 'Send every failed publication of the batch again',
      middleware: [requireScope('generate')] as const,
      request: { params: IdParams },
      responses: {
        202: answer('How many were replayed', z.object({ replayed: z.number().int() })),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ replayed: await publish.replayFailed(c.req.valid('param').id) }, 202),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/publications/{id}/replay',
      tags,
      summary: 'Send one publication again (a new entry in the log)',
      middleware: [requireScope('generate')] as const,
      request: { params: IdParams },
      responses: { 202: answer('The new publication', PublicationSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(presentPublication(await publish.replay(c.req.valid('param').id)), 202),
  );
  return app;
}
