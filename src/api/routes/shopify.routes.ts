import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ShopifyEventRecord } from '../../db/shopify.repository.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { IntegrationsCapability } from '../../services/integrations/integrations.wiring.ts';
import { presentShopifyConnection } from '../../services/integrations/shopify-connection.service.ts';
import type { SyncState } from '../../services/integrations/shopify-sync.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

/** Shopify's product payloads can be large (many variants); Shopify itself caps webhooks well below. */
export const MAX_SHOPIFY_WEBHOOK_BYTES = 5 * 1024 * 1024;

const ShopifyConnectionInputSchema = z
  .object({
    shop: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/,
        'must be the shop’s myshopify.com domain, e.g. acme.myshopify.com',
      ),
    access_token: z
      .string()
      .min(1)
      .max(500)
      .openapi({ description: 'Admin API access token (write_products, write_files)' }),
    webhook_secret: z
      .string()
      .min(1)
      .max(500)
      .openapi({ description: "The app's client secret: it signs webhooks" }),
    api_version: z
      .string()
      .regex(/^\d{4}-(01|04|07|10)$/, 'a stable Admin API version such as 2025-10')
      .optional()
      .openapi({ description: 'Pinned Admin API version; default 2025-10' }),
    templates: z
      .array(z.string().min(1))
      .min(1)
      .max(10)
      .openapi({ description: 'Templates rendered for every product' }),
    brand: z.string().min(1).nullish(),
    admin_base_url: z
      .url({ protocol: /^https?$/ })
      .nullish()
      .openapi({ description: 'Default https://{shop}; lets a proxy or a test stand in for Shopify' }),
  })
  .strict()
  .openapi('ShopifyConnectionInput');

const ShopifyConnectionSchema = z
  .object({
    shop: z.string(),
    api_version: z.string(),
    templates: z.array(z.string()),
    brand: z.string().nullable(),
    admin_base_url: z.string(),
    currency_code: z.string().nullable(),
    webhook_url_path: z
      .string()
      .openapi({ description: 'Subscribe products/create and products/update here' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('ShopifyConnection');

const ShopifyEventSchema = z
  .object({
    webhook_id: z.string(),
    topic: z.string(),
    product_id: z.string().nullable(),
    outcome: z.enum(['queued', 'rendering', 'unchanged', 'ignored', 'failed']),
    detail: z.string().nullable(),
    job_ids: z.array(z.string()),
    received_at: z.string(),
    handled_at: z.string().nullable(),
  })
  .openapi('ShopifyWebhookEvent');

const SyncSchema = z
  .object({
    id: z.string(),
    status: z.enum(['listing', 'rendering', 'succeeded', 'failed']),
    force: z.boolean(),
    listed: z.number().int(),
    claimed: z
      .number()
      .int()
      .openapi({ description: 'Products whose inputs changed since their last render (all with force)' }),
    batches: z.array(
      z.object({
        id: z.string(),
        template: z.string(),
        status: z.string(),
        total: z.number().int(),
        done: z.number().int(),
        failed: z.number().int(),
      }),
    ),
    published: z.object({ succeeded: z.number().int(), failed: z.number().int(), pending: z.number().int() }),
    error: z.string().nullable(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi('ShopifySync');

export function presentSync(state: SyncState) {
  const { sync } = state;
  return {
    id: sync.id,
    status: sync.status,
    force: sync.force,
    listed: sync.listed,
    claimed: sync.claimed,
    batches: state.batches,
    published: state.published,
    error: sync.error,
    created_at: sync.created_at.toISOString(),
    finished_at: sync.finished_at?.toISOString() ?? null,
  };
}

function presentEvent(event: ShopifyEventRecord) {
  return {
    webhook_id: event.webhook_id,
    topic: event.topic,
    product_id: event.product_id,
    outcome: event.outcome,
    detail: event.detail,
    job_ids: event.job_ids,
    received_at: event.received_at.toISOString(),
    handled_at: event.handled_at?.toISOString() ?? null,
  };
}

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const answer = <T>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/**
 * The webhook receiver, mounted before `/v1` authentication: Shopify proves itself with the HMAC
 * of the raw body, checked (in constant time) before the body is parsed. 401 and nothing queued
 * when it does not match; 200 at once otherwise, the work queued (a replay: 200, nothing done).
 */
export function shopifyWebhookRoutes(integrations: Pick<IntegrationsCapability, 'shopifyEvents'>) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.post('/integrations/shopify/webhooks', async (c) => {
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > MAX_SHOPIFY_WEBHOOK_BYTES)
      throw new AppError('payload_too_large', 'The webhook body is too large');
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.byteLength > MAX_SHOPIFY_WEBHOOK_BYTES)
      throw new AppError('payload_too_large', 'The webhook body is too large');
    const result = await integrations.shopifyEvents.receive(raw, {
      topic: c.req.header('x-shopify-topic'),
      hmac: c.req.header('x-shopify-hmac-sha256'),
      shopDomain: c.req.header('x-shopify-shop-domain'),
      webhookId: c.req.header('x-shopify-webhook-id'),
      eventId: c.req.header('x-shopify-event-id'),
    });
    return c.json({ received: true, duplicate: result.duplicate, outcome: result.outcome }, 200);
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/integrations/shopify/webhooks',
    tags: ['Shopify'],
    summary: 'Shopify webhook receiver (products/create, products/update), verified by X-Shopify-Hmac-Sha256',
    security: [],
    responses: {
      200: { description: 'Accepted (or a duplicate delivery, answered without doing anything twice)' },
      401: { description: 'Missing or wrong HMAC, or no shop connected: nothing is queued' },
    },
  });
  return app;
}

/** `/v1/integrations/shopify`: the connection (admin), its event log, and catalog syncs. */
export function shopifyRoutes(
  integrations: Pick<IntegrationsCapability, 'shopify' | 'shopifyEvents' | 'shopifySync'>,
) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  const tags = ['Shopify'];

  app.openapi(
    createRoute({
      method: 'put',
      path: '/integrations/shopify',
      tags,
      summary: 'Connect a shop (the token is checked against the shop; secrets are stored encrypted)',
      middleware: [requireScope('admin')] as const,
      request: { body: json(ShopifyConnectionInputSchema) },
      responses: {
        200: answer('The connection, without its secrets', ShopifyConnectionSchema),
        ...errorResponses(400, 401, 403, 422),
      },
    }),
    async (c) => c.json(presentShopifyConnection(await integrations.shopify.put(c.req.valid('json'))), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/integrations/shopify',
      tags,
      summary: 'The connected shop, without its secrets',
      middleware: [requireScope('admin')] as const,
      responses: { 200: answer('The connection', ShopifyConnectionSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const record = await integrations.shopify.get();
      if (!record) throw notFound('Shopify connection', 'shopify');
      return c.json(presentShopifyConnection(record), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/integrations/shopify',
      tags,
      summary: 'Disconnect the shop (webhooks are refused from then on)',
      middleware: [requireScope('admin')] as const,
      responses: { 204: { description: 'Disconnected' }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      if (!(await integrations.shopify.delete())) throw notFound('Shopify connection', 'shopify');
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/integrations/shopify/events',
      tags,
      summary: 'Webhooks received, newest first, with what each did',
      middleware: [requireScope('admin')] as const,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
      responses: {
        200: answer('Events', z.object({ data: z.array(ShopifyEventSchema) })),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const events = await integrations.shopifyEvents.listEvents(c.req.valid('query').limit);
      return c.json({ data: events.map(presentEvent) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/integrations/shopify/sync',
      tags,
      summary:
        'Backfill the catalog: list every product, render those that changed as batches, attach the images',
      middleware: [requireScope('generate')] as const,
      request: {
        body: {
          content: {
            'application/json': { schema: z.object({ force: z.boolean().default(false) }).strict() },
          },
          required: false,
        },
      },
      responses: { 202: answer('The sync', SyncSchema), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const body = (c.req.header('content-type') ?? '').includes('json')
        ? c.req.valid('json')
        : { force: false };
      const state = await integrations.shopifySync.start({ force: body?.force ?? false });
      c.header('Location', `/v1/integrations/shopify/sync/${state.sync.id}`);
      return c.json(presentSync(state), 202);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/integrations/shopify/sync/{id}',
      tags,
      summary: 'Progress of a sync: products listed and claimed, its batches, images attached',
      middleware: [requireScope('read')] as const,
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: answer('The sync', SyncSchema), ...errorResponses(401, 403, 404) },
    }),
    async (c) => c.json(presentSync(await integrations.shopifySync.state(c.req.valid('param').id)), 200),
  );
  return app;
}
