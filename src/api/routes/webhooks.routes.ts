import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type DeliveryRecord, type WebhookRecord, webhookEventTypes } from '../../db/webhook.repository.ts';
import type { WebhookService } from '../../services/webhooks/webhook.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(webhookEventTypes)),
    description: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Webhook');
const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z
    .string()
    .openapi({ description: 'Signs every delivery (Vitrine-Signature); shown only in this answer' }),
}).openapi('CreatedWebhook');
const WebhookCreateSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    events: z
      .array(z.enum(webhookEventTypes))
      .min(1)
      .default([...webhookEventTypes]),
    description: z.string().max(500).optional(),
  })
  .strict()
  .openapi('WebhookCreate');
const WebhookUpdateSchema = WebhookCreateSchema.partial().strict().openapi('WebhookUpdate');
const DeliverySchema = z
  .object({
    id: z.string(),
    webhook_id: z.string().nullable(),
    url: z.string(),
    event_type: z.enum(webhookEventTypes),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    replay_of: z.string().nullable(),
    body: z.string().openapi({ description: 'The raw body sent (and signed)' }),
    created_at: z.string(),
    last_attempt_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const answer = <T>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

function presentWebhook(record: WebhookRecord) {
  return {
    id: record.id,
    url: record.url,
    events: record.events,
    description: record.description,
    created_at: record.created_at.toISOString(),
    updated_at: record.updated_at.toISOString(),
  };
}

function presentDelivery(record: DeliveryRecord) {
  return {
    ...record,
    created_at: record.created_at.toISOString(),
    last_attempt_at: record.last_attempt_at?.toISOString() ?? null,
    delivered_at: record.delivered_at?.toISOString() ?? null,
  };
}

/** `/v1/webhooks`: endpoints, their delivery log, and replay. Every route needs the `admin` scope. */
export function webhookRoutes(webhooks: WebhookService) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.use('/webhooks', requireScope('admin'));
  app.use('/webhooks/*', requireScope('admin'));
  const tags = ['Webhooks'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhooks',
      tags,
      summary: 'List webhook endpoints (never their secrets)',
      responses: {
        200: answer('Endpoints', z.object({ data: z.array(WebhookSchema) })),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ data: (await webhooks.list()).map(presentWebhook) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks',
      tags,
      summary: 'Register an endpoint; its signing secret is in this answer only',
      request: { body: json(WebhookCreateSchema) },
      responses: { 201: answer('Created', CreatedWebhookSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const created = await webhooks.create(c.req.valid('json'));
      return c.json({ ...presentWebhook(created), secret: created.secret }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhooks/signing-secret',
      tags,
      summary: "The secret that signs deliveries to a request's own webhook_url",
      responses: { 200: answer('The secret', z.object({ secret: z.string() })), ...errorResponses(401, 403) },
    }),
    async (c) => c.json({ secret: await webhooks.requestSecret() }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhooks/{id}',
      tags,
      summary: 'Get an endpoint',
      request: { params: IdParams },
      responses: { 200: answer('The endpoint', WebhookSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(presentWebhook(await webhooks.get(c.req.valid('param').id)), 200),
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/webhooks/{id}',
      tags,
      summary: 'Change an endpoint’s URL, events or description',
      request: { params: IdParams, body: json(WebhookUpdateSchema) },
      responses: { 200: answer('The endpoint', WebhookSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) =>
      c.json(presentWebhook(await webhooks.update(c.req.valid('param').id, c.req.valid('json'))), 200),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/webhooks/{id}',
      tags,
      summary: 'Delete an endpoint and its delivery log',
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      await webhooks.delete(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhooks/{id}/deliveries',
      tags,
      summary: 'The delivery log of an endpoint, newest first',
      request: {
        params: IdParams,
        query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
      responses: {
        200: answer('Deliveries', z.object({ data: z.array(DeliverySchema) })),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const deliveries = await webhooks.deliveries(c.req.valid('param').id, c.req.valid('query').limit);
      return c.json({ data: deliveries.map(presentDelivery) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/deliveries/{id}/replay',
      tags,
      summary: 'Send a delivery again (a new delivery with the same body, signed anew)',
      request: { params: IdParams },
      responses: { 202: answer('The new delivery', DeliverySchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(presentDelivery(await webhooks.replay(c.req.valid('param').id)), 202),
  );
  return app;
}
