import { OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError } from '../../domain/errors.ts';
import { hasScope } from '../../services/access/api-key.service.ts';
import type { BatchImportService } from '../../services/batches/batch-import.service.ts';
import type { BudgetService } from '../../services/generation/budget.service.ts';
import type { GenerationService } from '../../services/generation/generation.service.ts';
import { requireScope } from '../auth.ts';
import type { ApiEnv } from '../context.ts';
import { BatchJsonRequestSchema, BatchMultipartSchema } from '../schemas/batch.schema.ts';
import { ErrorSchema } from '../schemas/common.schema.ts';
import { GenerationRequestSchema } from '../schemas/job.schema.ts';
import { validationHook } from '../validation.ts';
import { readBatchBody } from './batches.routes.ts';

interface Deps {
  generations: GenerationService;
  imports: BatchImportService;
  budget: BudgetService;
}

const EstimateSchema = z
  .object({
    cost_usd: z.number(),
    currency: z.literal('USD'),
    images: z.number().int(),
    provider: z.string(),
    model: z.string(),
    rows: z.number().int().optional().openapi({ description: 'For a batch: its valid rows' }),
    invalid_rows: z.number().int().optional(),
  })
  .openapi('Estimate');

const UsageQuery = z.object({
  from: z.iso.date().optional().openapi({ description: 'First UTC day (YYYY-MM-DD); default: 30 days ago' }),
  to: z.iso.date().optional().openapi({ description: 'Last UTC day, inclusive; default: today' }),
  api_key_id: z
    .string()
    .optional()
    .openapi({ description: 'Only this key (admin keys; others see their own)' }),
});

/** `POST /v1/estimate` (a generation or a batch, before it runs) and `GET /v1/usage` (the ledger). */
export function costRoutes(deps: Deps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });

  app.use('/estimate', requireScope('read'));
  app.post('/estimate', async (c) => {
    const isJson = (c.req.header('content-type') ?? '').startsWith('application/json');
    // Through Hono's body cache: the boundary check (api/boundary.ts) has read the body already.
    const body = isJson ? await c.req.json().catch(() => null) : null;
    if (isJson && !(body && typeof body === 'object' && 'rows' in body)) {
      const parsed = GenerationRequestSchema.safeParse(body);
      if (!parsed.success) {
        validationHook({ success: false, error: parsed.error, target: 'json' } as never, c as never);
        throw new AppError('invalid_request', 'The body is not a generation request');
      }
      const plan = await deps.generations.preview(parsed.data);
      return c.json(
        {
          cost_usd: plan.estimatedCostUsd,
          currency: 'USD' as const,
          images: parsed.data.n,
          provider: plan.providerId,
          model: plan.model,
        },
        200,
      );
    }
    const { request, source } = await readBatchBody(c);
    return c.json(await deps.imports.estimate(request, source), 200);
  });

  app.use('/usage', requireScope('read'));
  app.get('/usage', async (c) => {
    const parsed = UsageQuery.safeParse(c.req.query());
    if (!parsed.success)
      validationHook({ success: false, error: parsed.error, target: 'query' } as never, c as never);
    const query = parsed.data!;
    const key = c.get('apiKey');
    const today = new Date().toISOString().slice(0, 10);
    const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    // A key without admin sees its own spend only.
    const apiKeyId = hasScope(key, 'admin') ? query.api_key_id : key.id;
    const ledger = await deps.budget.ledger({
      from: query.from ?? monthAgo,
      to: query.to ?? today,
      apiKeyId,
    });
    return c.json({ from: query.from ?? monthAgo, to: query.to ?? today, ...ledger }, 200);
  });

  const errors = { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } };
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/estimate',
    tags: ['Cost'],
    summary: 'What a generation or a batch would cost, before it runs',
    description:
      'The body of `POST /v1/generations`, or of `POST /v1/batches` (JSON with `rows`, or multipart with a CSV `file`). Prices come from the provider price tables; cache hits are not foreseen.',
    request: {
      body: {
        content: {
          'application/json': { schema: z.union([GenerationRequestSchema, BatchJsonRequestSchema]) },
          'multipart/form-data': { schema: BatchMultipartSchema },
        },
      },
    },
    responses: {
      200: { description: 'The estimate', content: { 'application/json': { schema: EstimateSchema } } },
      400: errors,
      404: errors,
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/usage',
    tags: ['Cost'],
    summary: 'The ledger: spend per UTC day, API key and provider (succeeded jobs)',
    request: { query: UsageQuery },
    responses: {
      200: {
        description: 'Rows of the ledger and their total',
        content: {
          'application/json': {
            schema: z.object({
              from: z.string(),
              to: z.string(),
              data: z.array(
                z.object({
                  day: z.string(),
                  api_key_id: z.string().nullable(),
                  api_key_name: z.string().nullable(),
                  provider: z.string(),
                  jobs: z.number().int(),
                  images: z.number().int(),
                  cost_usd: z.number(),
                }),
              ),
              total_cost_usd: z.number(),
              cache: z
                .object({
                  lookups: z
                    .number()
                    .int()
                    .openapi({ description: 'Jobs created in the range that asked the cache' }),
                  hits: z.number().int().openapi({ description: 'Of those, jobs served from the cache' }),
                  exact_hits: z.number().int(),
                  similar_hits: z.number().int(),
                  hit_rate: z
                    .number()
                    .nullable()
                    .openapi({ description: 'hits / lookups; null without lookups' }),
                })
                .openapi({ description: 'The request cache for jobs created in the range (same key rule)' }),
            }),
          },
        },
      },
      400: errors,
    },
  });
  return app;
}
