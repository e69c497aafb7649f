import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../domain/errors.ts';
import type { ProductService } from '../../services/products/product.service.ts';
import type {
  ProductImportService,
  ProductImportSource,
} from '../../services/products/product-import.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { ErrorSchema, errorResponses } from '../schemas/common.schema.ts';
import {
  CustomerParams,
  CustomerProfileSchema,
  CustomerSchema,
  ProductCreateSchema,
  ProductImportJsonSchema,
  ProductImportResultSchema,
  ProductPageSchema,
  ProductSchema,
  ProductUpdateSchema,
  PurchaseCreateSchema,
  PurchaseSchema,
  SkuParams,
} from '../schemas/product.schema.ts';
import { validationHook } from '../validation.ts';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const ok = <T>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/**
 * The assistant's catalog: `/products` (reading needs `read`, changing `admin`), the import, and
 * customers with their purchases.
 */
export function productRoutes(deps: { products: ProductService; imports: ProductImportService }) {
  const { products } = deps;
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
  for (const path of ['/products', '/products/*', '/customers/*']) {
    app.on(['POST', 'PUT', 'PATCH', 'DELETE'], path, requireScope('admin'));
    app.on('GET', path, requireScope('read'));
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/products',
      tags: ['Products'],
      summary: 'List products in SKU order; `q` matches SKU or name',
      request: {
        query: z.object({
          q: z.string().max(200).optional(),
          category: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
        }),
      },
      responses: { 200: ok('A page', ProductPageSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await products.list({
        query: query.q,
        category: query.category,
        limit: query.limit,
        cursor: query.cursor,
      });
      return c.json(page as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/products',
      tags: ['Products'],
      summary: 'Create a product with its size chart and fit',
      request: { body: json(ProductCreateSchema) },
      responses: { 201: ok('Created', ProductSchema), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const product = await products.create(c.req.valid('json'));
      c.header('Location', `/v1/products/${encodeURIComponent(product.sku)}`);
      return c.json(product as never, 201);
    },
  );

  // Before /products/{sku}: "import" is not a SKU here.
  app.post('/products/import', async (c) => c.json(await deps.imports.import(await readImportBody(c)), 200));
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/products/import',
    tags: ['Products'],
    summary: 'Create or replace many products from JSON or a CSV file',
    description:
      'JSON `{"products": [...]}` (each as for POST /v1/products), a CSV body (`text/csv`) or multipart with a CSV `file`. CSV headers may be English or Chinese (sku/货号, name/名称, category/类目, fit/版型, color/颜色, material/材质, images/图片 separated by `|`, size_chart/尺码表 as JSON or `S: chest=100 length=68; M: chest=104 length=70`). Each row is created or replaced by SKU; invalid rows are reported by row (JSON position or spreadsheet line) with the field, and the valid ones are stored. No valid row: 422, nothing stored.',
    request: {
      body: {
        content: {
          'application/json': { schema: ProductImportJsonSchema },
          'text/csv': { schema: z.string() },
          'multipart/form-data': { schema: z.object({ file: z.string().openapi({ format: 'binary' }) }) },
        },
      },
    },
    responses: {
      200: ok('What was stored, and the rows that were not', ProductImportResultSchema),
      ...Object.fromEntries(
        [400, 401, 403, 413, 415, 422].map((status) => [
          status,
          { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
        ]),
      ),
    },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/products/{sku}',
      tags: ['Products'],
      summary: 'Get a product',
      request: { params: SkuParams },
      responses: { 200: ok('The product', ProductSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json((await products.get(c.req.valid('param').sku)) as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/products/{sku}',
      tags: ['Products'],
      summary: 'Change the given fields of a product (its version goes up by one)',
      request: { params: SkuParams, body: json(ProductUpdateSchema) },
      responses: { 200: ok('The product', ProductSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json((await products.update(c.req.valid('param').sku, c.req.valid('json'))) as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/products/{sku}',
      tags: ['Products'],
      summary: 'Delete a product (purchases of it are kept)',
      request: { params: SkuParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      await products.delete(c.req.valid('param').sku);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/customers/{id}',
      tags: ['Products'],
      summary: 'A customer: profile (usual size, measurements) and purchases, newest first',
      request: { params: CustomerParams },
      responses: { 200: ok('The customer', CustomerSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const customer = await products.customer(id);
      return c.json({ ...customer, purchases: await products.purchases(id) } as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/customers/{id}',
      tags: ['Products'],
      summary: 'Create a customer or change the given profile fields',
      request: { params: CustomerParams, body: json(CustomerProfileSchema) },
      responses: { 200: ok('The customer', CustomerSchema), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const customer = await products.saveCustomer(id, c.req.valid('json'));
      return c.json({ ...customer, purchases: await products.purchases(id) } as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/customers/{id}/purchases',
      tags: ['Products'],
      summary: "A customer's purchases, newest first",
      request: { params: CustomerParams },
      responses: {
        200: ok('Purchases', z.object({ data: z.array(PurchaseSchema) })),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => c.json({ data: await products.purchases(c.req.valid('param').id) } as never, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/customers/{id}/purchases',
      tags: ['Products'],
      summary: 'Record a purchase (the customer is created on the first one)',
      description:
        '`sku` must be in the catalog (404 naming it) and `size` in its size chart. `feedback` such as "ran small" / "偏小" is used by size advice.',
      request: { params: CustomerParams, body: json(PurchaseCreateSchema) },
      responses: { 201: ok('Recorded', PurchaseSchema), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) =>
      c.json((await products.addPurchase(c.req.valid('param').id, c.req.valid('json'))) as never, 201),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/customers/{id}/purchases/{purchase_id}',
      tags: ['Products'],
      summary: 'Delete a purchase',
      request: {
        params: CustomerParams.extend({
          purchase_id: z.uuid().openapi({ param: { name: 'purchase_id', in: 'path' } }),
        }),
      },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, purchase_id } = c.req.valid('param');
      await products.deletePurchase(id, purchase_id);
      return c.body(null, 204);
    },
  );
  return app;
}

/** JSON `{products}`, a CSV body, or multipart with a CSV `file`. */
async function readImportBody(c: Context): Promise<ProductImportSource> {
  const contentType = c.req.header('content-type') ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    if (!(form.file instanceof File)) {
      throw new AppError('invalid_request', 'Attach the CSV as the form field `file`', {
        details: { issues: [{ field: 'file', message: 'is required' }] },
      });
    }
    return { kind: 'csv', bytes: form.file.stream() as unknown as AsyncIterable<Uint8Array> };
  }
  if (contentType.startsWith('text/csv')) {
    const body = c.req.raw.body;
    return { kind: 'csv', bytes: (body ?? new ReadableStream()) as unknown as AsyncIterable<Uint8Array> };
  }
  if (contentType.startsWith('application/json')) {
    const body = await c.req.json().catch(() => {
      throw new AppError('invalid_request', 'The body is not valid JSON');
    });
    const parsed = ProductImportJsonSchema.safeParse(Array.isArray(body) ? { products: body } : body);
    if (!parsed.success) {
      validationHook({ success: false, error: parsed.error, target: 'json' } as never, undefined as never);
    }
    return { kind: 'json', rows: parsed.data!.products };
  }
  throw new AppError(
    'unsupported_media_type',
    'Send application/json with `products`, text/csv, or multipart/form-data with a CSV `file`',
  );
}
