import { z } from '@hono/zod-openapi';
import { batchStatuses } from '../../domain/batch.ts';
import { priorities } from '../../domain/job.ts';
import { designFields } from './quality.schema.ts';

const ColumnMappingSchema = z
  .record(z.string().min(1).max(200), z.string().max(63))
  .refine((mapping) => Object.keys(mapping).length <= 500, 'maps at most 500 columns')
  .openapi({
    description:
      'CSV header (or JSON row key) → the template param it fills, or `n`, `seed`, `brand` or the key column; an empty target ignores the column. With a mapping, columns neither mapped nor named like a param are ignored; without one they are refused. In a multipart upload, a JSON string.',
    example: { 'Product name': 'title', Price: 'price', SKU: 'sku' },
  });

/** The fields of `POST /v1/batches` besides the rows; multipart form fields arrive as text. */
export const BatchFieldsSchema = z
  .object({
    template: z.string().min(1).max(63).openapi({ example: 'product_hero' }),
    brand: z.string().min(1).max(63).optional(),
    n: z.coerce
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .openapi({ description: 'Images per row (a row may say its own `n`)' }),
    provider: z.string().min(1).max(63).optional(),
    model: z.string().min(1).max(120).optional(),
    priority: z.enum(priorities).default('batch'),
    cache: z.enum(['exact', 'similar', 'off']).default('exact'),
    webhook_url: z.url({ protocol: /^https?$/ }).optional(),
    key_column: z.string().min(1).max(63).optional().openapi({
      description:
        'The column naming each row (zip file names, manifest). Default: `sku`, else `id`, when the rows have it.',
    }),
    columns: ColumnMappingSchema.optional(),
    destinations: z
      .preprocess(
        (value) =>
          typeof value === 'string'
            ? value
                .split(',')
                .map((part) => part.trim())
                .filter(Boolean)
            : value,
        z.array(z.string().min(1).max(63)).max(10),
      )
      .optional()
      .openapi({
        description:
          'Publish each succeeded row here: destination ids or names (see /v1/destinations), or `shopify` (the key column holds the product id). Comma-separated in a multipart upload.',
        example: ['cms-products'],
      }),
    style_pack: designFields.style_pack,
    min_quality: z.coerce
      .number()
      .min(0)
      .max(1)
      .optional()
      .openapi({
        description: designFields.min_quality.description ?? 'Minimum quality score per image (0..1)',
      }),
  })
  .strict();

const RowValue = z.union([z.string(), z.number(), z.null()]);

export const BatchJsonRequestSchema = BatchFieldsSchema.extend({
  rows: z
    .array(z.record(z.string(), RowValue))
    .min(1)
    .max(100_000)
    .openapi({
      description: 'One object per row: template params, optional `n`, `seed`, `brand`, and the key column',
      example: [{ sku: 'SHIRT-1', title: 'Linen shirt', price: '$49' }],
    }),
})
  .strict()
  .openapi('BatchRequest');

export const BatchMultipartSchema = BatchFieldsSchema.extend({
  columns: z.string().optional().openapi({
    description: 'The column mapping as a JSON object (see BatchRequest.columns)',
    example: '{"Product name":"title","Price":"price"}',
  }),
  file: z
    .string()
    .openapi({ type: 'string', format: 'binary', description: 'UTF-8 CSV; line 1 is the header' }),
}).openapi('BatchUpload');

export const BatchSchema = z
  .object({
    id: z.string(),
    status: z.enum(batchStatuses),
    template: z.string(),
    brand: z.string(),
    priority: z.enum(priorities),
    key_column: z.string().nullable(),
    destinations: z
      .array(z.string())
      .openapi({ description: 'Where succeeded rows are published (see GET /v1/batches/{id}/publications)' }),
    total: z.number().int().openapi({ description: 'Valid rows, each one job' }),
    counts: z.object({
      queued: z.number().int(),
      running: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      canceled: z.number().int(),
    }),
    cost_estimate_usd: z.number(),
    cost_usd: z.number(),
    quality: z
      .object({ checked: z.number().int(), passed: z.number().int(), pass_rate: z.number().nullable() })
      .openapi({
        description: 'Quality checks of the images made (a failed check is made again with a new seed)',
      }),
    errors: z
      .array(
        z.object({
          row: z.number().int(),
          key: z
            .string()
            .nullable()
            .optional()
            .openapi({ description: "The row's key column (SKU), when it has one" }),
          message: z.string(),
        }),
      )
      .openapi({ description: 'Invalid rows by spreadsheet line (header = line 1); the first 1000' }),
    error_count: z.number().int(),
    script_id: z.string().nullable().openapi({
      description: 'The live-stream script this batch renders (rows grouped by segment), else null',
    }),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi('Batch');

export const BatchPageSchema = z
  .object({ data: z.array(BatchSchema), next_cursor: z.string().nullable() })
  .openapi('BatchPage');
