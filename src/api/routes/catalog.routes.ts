import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { CatalogService } from '../../services/brands/catalog.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import {
  BrandCreateSchema,
  BrandSchema,
  BrandUpdateSchema,
  TemplateCreateSchema,
  TemplateSchema,
  TemplateUpdateSchema,
} from '../schemas/catalog.schema.ts';
import { errorResponses } from '../schemas/common.schema.ts';
import { validationHook } from '../validation.ts';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const SlugParams = z.object({ slug: z.string().openapi({ param: { name: 'slug', in: 'path' } }) });
const NameParams = z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' } }) });

/** Brands and templates: reading needs `read`; changing needs `admin`. */
export function catalogRoutes(catalog: CatalogService) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  for (const path of ['/brands', '/brands/*', '/templates', '/templates/*']) {
    app.on(['POST', 'PUT', 'PATCH', 'DELETE'], path, requireScope('admin'));
    app.on('GET', path, requireScope('read'));
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/brands',
      tags: ['Brands'],
      summary: 'List brands',
      responses: {
        200: {
          description: 'Brands',
          content: { 'application/json': { schema: z.object({ data: z.array(BrandSchema) }) } },
        },
        ...errorResponses(401),
      },
    }),
    async (c) => c.json({ data: await catalog.listBrands() }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/brands',
      tags: ['Brands'],
      summary: 'Create a brand kit',
      request: { body: json(BrandCreateSchema) },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: BrandSchema } } },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => {
      const { slug, ...kit } = c.req.valid('json');
      return c.json(await catalog.createBrand(slug, kit), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/brands/{slug}',
      tags: ['Brands'],
      summary: 'Get a brand',
      request: { params: SlugParams },
      responses: {
        200: { description: 'The brand', content: { 'application/json': { schema: BrandSchema } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => c.json(await catalog.getBrand(c.req.valid('param').slug), 200),
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/brands/{slug}',
      tags: ['Brands'],
      summary: 'Update a brand (the given fields); its version goes up by one',
      request: { params: SlugParams, body: json(BrandUpdateSchema) },
      responses: {
        200: { description: 'The updated brand', content: { 'application/json': { schema: BrandSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => c.json(await catalog.updateBrand(c.req.valid('param').slug, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/brands/{slug}',
      tags: ['Brands'],
      summary: 'Delete a brand',
      request: { params: SlugParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await catalog.deleteBrand(c.req.valid('param').slug);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/templates',
      tags: ['Templates'],
      summary: 'List templates',
      responses: {
        200: {
          description: 'Templates',
          content: { 'application/json': { schema: z.object({ data: z.array(TemplateSchema) }) } },
        },
        ...errorResponses(401),
      },
    }),
    async (c) => c.json({ data: await catalog.listTemplates() }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/templates',
      tags: ['Templates'],
      summary: 'Create a template',
      request: { body: json(TemplateCreateSchema) },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: TemplateSchema } } },
        ...errorResponses(400, 401, 403, 409),
      },
    }),
    async (c) => {
      const { name, ...definition } = c.req.valid('json');
      return c.json(await catalog.createTemplate(name, definition), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/templates/{name}',
      tags: ['Templates'],
      summary: 'Get a template',
      request: { params: NameParams },
      responses: {
        200: { description: 'The template', content: { 'application/json': { schema: TemplateSchema } } },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => c.json(await catalog.getTemplate(c.req.valid('param').name), 200),
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/templates/{name}',
      tags: ['Templates'],
      summary: 'Replace a template definition; its version goes up by one',
      request: { params: NameParams, body: json(TemplateUpdateSchema) },
      responses: {
        200: {
          description: 'The updated template',
          content: { 'application/json': { schema: TemplateSchema } },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => c.json(await catalog.updateTemplate(c.req.valid('param').name, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/templates/{name}',
      tags: ['Templates'],
      summary: 'Delete a template (built-in templates cannot be deleted)',
      request: { params: NameParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      await catalog.deleteTemplate(c.req.valid('param').name);
      return c.body(null, 204);
    },
  );
  return app;
}
