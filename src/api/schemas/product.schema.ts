import { z } from '@hono/zod-openapi';
import {
  customerIdSchema,
  customerProfileSchema,
  fits,
  productInputSchema,
  productPatchSchema,
  purchaseInputSchema,
  skuSchema,
} from '../../domain/product.ts';

const sizeChartExample = {
  S: { chest: 100, length: 68 },
  M: { chest: 104, length: 70 },
  L: { chest: 110, length: 72 },
};

export const ProductCreateSchema = productInputSchema.openapi('ProductCreate', {
  example: {
    sku: 'TS-2024-001',
    name: '纯棉圆领T恤',
    category: 'tops',
    attributes: { color: 'navy', material: '100% cotton' },
    images: ['https://shop.example.com/ts-2024-001.jpg'],
    size_chart: sizeChartExample,
    fit: 'loose',
    notes: 'Pre-washed; shrinks less than 2%',
    price: 129,
    currency: 'CNY',
    stock: 42,
  } as never,
});
export const ProductUpdateSchema = productPatchSchema.openapi('ProductUpdate');

export const ProductSchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    category: z.string(),
    attributes: z.record(z.string(), z.string()),
    images: z.array(z.string()).openapi({ description: 'Asset ids or http(s) URLs' }),
    size_chart: z.record(z.string(), z.record(z.string(), z.number())).openapi({
      description: 'Size → measurements in cm, in the size order given',
      example: sizeChartExample,
    }),
    fit: z.enum(fits),
    notes: z.string(),
    price: z.number().nullable(),
    currency: z.string(),
    stock: z.number().int().nullable(),
    version: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Product');

export const ProductPageSchema = z
  .object({ data: z.array(ProductSchema), next_cursor: z.string().nullable() })
  .openapi('ProductPage');

export const ProductImportJsonSchema = z
  .object({ products: z.array(z.unknown()).openapi({ description: 'Each item as for POST /v1/products' }) })
  .strict()
  .openapi('ProductImportJson');

export const ProductImportResultSchema = z
  .object({
    total: z.number().int().openapi({ description: 'Valid rows, stored' }),
    created: z.number().int(),
    updated: z.number().int(),
    error_count: z.number().int(),
    errors: z.array(
      z.object({
        row: z
          .number()
          .int()
          .openapi({ description: 'JSON: position from 1; CSV: spreadsheet line (header = 1)' }),
        sku: z.string().nullable(),
        field: z.string().nullable(),
        message: z.string(),
      }),
    ),
  })
  .openapi('ProductImportResult');

export const SkuParams = z.object({ sku: skuSchema.openapi({ param: { name: 'sku', in: 'path' } }) });
export const CustomerParams = z.object({
  id: customerIdSchema.openapi({ param: { name: 'id', in: 'path' } }),
});

export const PurchaseCreateSchema = purchaseInputSchema.openapi('PurchaseCreate', {
  example: { sku: 'TS-2024-001', size: 'M', purchased_at: '2026-11-02', feedback: '偏小' } as never,
});
export const PurchaseSchema = z
  .object({
    id: z.string(),
    customer_id: z.string(),
    sku: z.string(),
    size: z.string(),
    purchased_at: z.string(),
    feedback: z.string(),
    created_at: z.string(),
  })
  .openapi('Purchase');

export const CustomerProfileSchema = customerProfileSchema.openapi('CustomerProfile');
export const CustomerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    usual_size: z.string().nullable(),
    measurements: z.record(z.string(), z.number()),
    height_cm: z.number().nullable(),
    weight_kg: z.number().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    purchases: z.array(PurchaseSchema),
  })
  .openapi('Customer');
