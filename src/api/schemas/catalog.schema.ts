import { z } from '@hono/zod-openapi';
import { apiKeyScopes } from '../../db/api-key.repository.ts';
import { BRAND_SLUG_PATTERN, type BrandKit, brandKitSchema, brandPaletteSchema } from '../../domain/brand.ts';
import { TEMPLATE_NAME_PATTERN, templateDefinitionSchema } from '../../domain/template.ts';

const bookkeeping = {
  version: z.number().int(),
  builtin: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
};

export const BrandSchema = brandKitSchema.extend({ slug: z.string(), ...bookkeeping }).openapi('Brand');
export const BrandCreateSchema = brandKitSchema
  .extend({ slug: z.string().regex(BRAND_SLUG_PATTERN, 'lowercase letters, digits, - and _') })
  .strict()
  .openapi('BrandCreate');
// Defaults are dropped so a PATCH changes only the fields it names.
const brandFieldsWithoutDefaults = Object.fromEntries(
  Object.entries(brandKitSchema.shape).map(([key, schema]) => [
    key,
    (schema instanceof z.ZodDefault ? schema.unwrap() : schema).optional(),
  ]),
) as unknown as { [K in keyof typeof brandKitSchema.shape]: z.ZodOptional<z.ZodType<BrandKit[K]>> };
export const BrandUpdateSchema = z
  .object(brandFieldsWithoutDefaults)
  .extend({ palette: brandPaletteSchema.partial().optional() })
  .strict()
  .openapi('BrandUpdate');

export const TemplateSchema = templateDefinitionSchema
  .extend({ name: z.string(), ...bookkeeping })
  .openapi('Template');
export const TemplateCreateSchema = templateDefinitionSchema
  .extend({ name: z.string().regex(TEMPLATE_NAME_PATTERN, 'lowercase letters, digits, - and _') })
  .strict()
  .openapi('TemplateCreate');
export const TemplateUpdateSchema = templateDefinitionSchema.strict().openapi('TemplateUpdate');

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    key_prefix: z.string(),
    scopes: z.array(z.enum(apiKeyScopes)),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    daily_budget_usd: z
      .number()
      .nullable()
      .openapi({ description: 'Most the key may spend per UTC day; null: no limit' }),
  })
  .openapi('ApiKey');
export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: 'The secret; shown only in this answer' }),
}).openapi('CreatedApiKey');
export const ApiKeyCreateSchema = z
  .object({
    name: z.string().min(1).max(120),
    scopes: z.array(z.enum(apiKeyScopes)).min(1).default(['generate', 'read']),
    daily_budget_usd: z.number().min(0).nullable().optional(),
  })
  .strict()
  .openapi('ApiKeyCreate');
export const ApiKeyUpdateSchema = z
  .object({
    name: z.string().min(1).max(120).optional(),
    scopes: z.array(z.enum(apiKeyScopes)).min(1).optional(),
    daily_budget_usd: z
      .number()
      .min(0)
      .nullable()
      .optional()
      .openapi({ description: 'null removes the budget' }),
  })
  .strict()
  .openapi('ApiKeyUpdate');

export const ProviderSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    default_model: z.string(),
    models: z.array(z.string()),
    capabilities: z.object({
      maxImagesPerCall: z.number().int(),
      seeds: z.boolean(),
      negativePrompt: z.boolean(),
      layouts: z.boolean(),
      imageInput: z.boolean(),
      formats: z.array(z.string()),
      maxSide: z.number().int(),
    }),
    health: z.object({ ok: z.boolean(), message: z.string().optional(), checkedAt: z.string() }).nullable(),
    available: z
      .boolean()
      .openapi({ description: 'Whether routing sends new work here (false while the circuit is open)' }),
    limits: z.object({
      requests_per_second: z.number().optional(),
      max_concurrency: z.number().int(),
      timeout_ms: z.number().int(),
    }),
    calls: z.object({
      inFlight: z.number().int(),
      waiting: z.number().int(),
      requestsPerSecond: z
        .number()
        .nullable()
        .openapi({ description: 'The pace in force (lowered after 429s)' }),
      pausedUntil: z.string().nullable(),
      rateLimitedCalls: z.number().int(),
    }),
    circuit: z.object({
      state: z.enum(['closed', 'open', 'half_open']),
      consecutiveFailures: z.number().int(),
      retryAt: z.string().nullable(),
      lastFailure: z.string().nullable(),
    }),
    prices: z.object({
      default: z.number().optional(),
      models: z.record(z.string(), z.union([z.number(), z.record(z.string(), z.number())])),
    }),
  })
  .openapi('Provider');
