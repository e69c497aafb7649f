import { z } from '@hono/zod-openapi';
import { assistantIntents } from '../../domain/assistant-intent.ts';
import { customerIdSchema, skuSchema } from '../../domain/product.ts';
import {
  ASSISTANT_TOKEN_DEFAULT_TTL_SECONDS,
  ASSISTANT_TOKEN_MAX_TTL_SECONDS,
} from '../../services/assistant/assistant-token.service.ts';

export const ConversationCreateSchema = z
  .object({
    customer_id: customerIdSchema
      .optional()
      .openapi({ description: 'The shopper; their purchases ground size advice' }),
    sku: skuSchema.optional().openapi({ description: 'The product the shopper is looking at' }),
    locale: z
      .enum(['zh', 'en'])
      .optional()
      .openapi({ description: "Answers follow each question's language; this is the fallback (default zh)" }),
  })
  .strict()
  .openapi('ConversationCreate');

export const AssistantMessageSchema = z
  .object({
    id: z.string(),
    conversation_id: z.string(),
    question: z.string(),
    image_url: z
      .string()
      .nullable()
      .openapi({ description: 'Signed URL of the normalized photo (JPEG q85, ≤ 1024 px)' }),
    answer: z.string(),
    intent: z.enum(assistantIntents),
    intents: z.array(z.enum(assistantIntents)),
    language: z.enum(['zh', 'en']),
    same_item: z
      .object({
        sku: z.string(),
        name: z.string(),
        score: z.number(),
        verdict: z.enum(['same', 'other_color', 'different', 'unsure']),
        confidence: z.number(),
        against: z.enum(['previous_purchase', 'product', 'catalog_search']),
      })
      .nullable(),
    size: z
      .object({
        recommended: z.string().nullable(),
        reason: z.string(),
        chart_row: z.object({ size: z.string(), measurements: z.record(z.string(), z.number()) }).nullable(),
        basis: z.enum(['measurements', 'previous_purchase', 'usual_size', 'none']),
        runs: z.enum(['large', 'small', 'true_to_size']).nullable(),
      })
      .passthrough()
      .nullable(),
    confidence: z.number(),
    needs_human: z.boolean(),
    sources: z.array(z.object({ type: z.string() }).passthrough()),
    usage: z.object({ input_tokens: z.number().int(), output_tokens: z.number().int() }),
    cost_usd: z.number(),
    model: z.string().nullable().openapi({
      description: 'The chat model that phrased the answer; null: composed from the grounding alone',
    }),
    notes: z.array(z.object({ code: z.string(), message: z.string() })),
    grounding: z.object({
      comparisons: z.array(z.object({}).passthrough()),
      timings_ms: z.object({}).passthrough(),
    }),
    created_at: z.string(),
  })
  .openapi('AssistantMessage');

export const ConversationSummarySchema = z
  .object({
    id: z.string(),
    customer_id: z.string().nullable(),
    sku: z.string().nullable(),
    locale: z.enum(['zh', 'en']),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('ConversationSummary');

export const ConversationSchema = ConversationSummarySchema.extend({
  messages: z.array(AssistantMessageSchema),
}).openapi('Conversation');

export const AssistantTokenCreateSchema = z
  .object({
    ttl_seconds: z
      .number()
      .int()
      .min(60)
      .max(ASSISTANT_TOKEN_MAX_TTL_SECONDS)
      .optional()
      .openapi({
        description: `Lifetime; default ${ASSISTANT_TOKEN_DEFAULT_TTL_SECONDS} (1 h), at most 12 h`,
      }),
    allowed_origin: z
      .url()
      .transform((value) => new URL(value).origin)
      .optional()
      .openapi({
        description: 'Only browser requests from this origin may use the token',
        example: 'https://shop.example.com',
      }),
    customer_id: customerIdSchema.optional(),
    sku: skuSchema.optional(),
  })
  .strict()
  .openapi('AssistantTokenCreate');

export const AssistantTokenSchema = z
  .object({
    token: z.string().openapi({ description: 'For <vitrine-assistant token="...">' }),
    expires_at: z.string(),
    customer_id: z.string().nullable(),
    sku: z.string().nullable(),
    allowed_origin: z.string().nullable(),
  })
  .openapi('AssistantToken');
