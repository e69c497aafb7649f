import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiKeyService } from '../../services/access/api-key.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { presentApiKey } from '../presenters.ts';
import {
  ApiKeyCreateSchema,
  ApiKeySchema,
  ApiKeyUpdateSchema,
  CreatedApiKeySchema,
} from '../schemas/catalog.schema.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

/** API keys; every route needs the `admin` scope. DELETE revokes (the record stays for audit). */
export function apiKeyRoutes(apiKeys: ApiKeyService) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  app.use('/api-keys', requireScope('admin'));
  app.use('/api-keys/*', requireScope('admin'));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api-keys',
      tags: ['API keys'],
      summary: 'List API keys (never their secrets)',
      responses: {
        200: {
          description: 'Keys',
          content: { 'application/json': { schema: z.object({ data: z.array(ApiKeySchema) }) } },
        },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ data: (await apiKeys.list()).map(presentApiKey) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api-keys',
      tags: ['API keys'],
      summary: 'Create an API key; the secret is in this answer only',
      request: { body: json(ApiKeyCreateSchema) },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: CreatedApiKeySchema } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const created = await apiKeys.create(c.req.valid('json'));
      return c.json({ ...presentApiKey(created), key: created.key }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api-keys/{id}',
      tags: ['API keys'],
      summary: 'Get an API key',
      request: { params: IdParams },
      responses: {
        200: { description: 'The key', content: { 'application/json': { schema: ApiKeySchema } } },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => c.json(presentApiKey(await apiKeys.get(c.req.valid('param').id)), 200),
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api-keys/{id}',
      tags: ['API keys'],
      summary: 'Rename an API key or change its scopes',
      request: { params: IdParams, body: json(ApiKeyUpdateSchema) },
      responses: {
        200: { description: 'The key', content: { 'application/json': { schema: ApiKeySchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) =>
      c.json(presentApiKey(await apiKeys.update(c.req.valid('param').id, c.req.valid('json'))), 200),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api-keys/{id}',
      tags: ['API keys'],
      summary: 'Revoke an API key',
      request: { params: IdParams },
      responses: {
        200: { description: 'The revoked key', content: { 'application/json': { schema: ApiKeySchema } } },
        ...errorResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const revoked = await apiKeys.revoke(c.req.valid('param').id, { callerKeyId: c.get('apiKey').id });
      return c.json(presentApiKey(revoked), 200);
    },
  );
  return app;
}
