import { z } from '@hono/zod-openapi';
import {
  MAX_SCRIPT_CHARACTERS,
  scriptAnalysisSchema,
  VISUAL_ROLES,
} from '../../domain/script/script-analysis.ts';
import { scriptEditSchema } from '../../services/scripts/script-analysis.service.ts';

const analyzer = z.enum(['heuristic', 'llm', 'auto']).optional().openapi({
  description:
    '`heuristic` (default): offline, Chinese, English and Spanish. `llm`: the configured chat model (VITRINE_CHAT_*), checked against the same schema; any failure falls back to the heuristics with a note. `auto`: the chat model when one is configured.',
});
const n = z
  .number()
  .int()
  .min(1)
  .max(10)
  .optional()
  .openapi({ description: 'Options (images) per visual; 4 by default' });
const visuals = z.array(z.enum(VISUAL_ROLES)).min(1).optional().openapi({
  description: 'Which visuals to plan per segment (default all): cover, hero, offer, up_next, countdown',
});

export const ScriptAnalyzeRequestSchema = z
  .object({
    text: z.string().openapi({
      description: `The script, up to ${MAX_SCRIPT_CHARACTERS.toLocaleString('en')} characters (413 above). Segments are found from its markers (【开场】, 第一款, 下面这款, 20:05, "Next up", headings) and product changes.`,
      example:
        '【开场】20:00\n家人们晚上好!\n\n【第一款】20:05 亚麻衬衫\n100%亚麻,透气显瘦。到手价199元,满300减40,优惠码LIVE300,限量500件!',
    }),
    brand: z.string().min(1).max(63).optional(),
    analyzer,
    n,
    visuals,
    products: z.array(z.string().min(1).max(80)).max(500).optional().openapi({
      description: 'SKUs of the products catalog to match segments against (default: the whole catalog)',
    }),
    product_images: z
      .record(z.string().min(1).max(80), z.string().min(1).max(2000))
      .optional()
      .openapi({
        description:
          'Product photos by product name, SKU or segment number: an uploaded asset id or an http(s) URL. Covers, heroes, up-next and flash-sale cards show them; without one the typographic layouts are used. An unknown name is 404.',
        example: { 亚麻衬衫: 'https://shop.example.com/shirt.jpg' },
      }),
  })
  .strict()
  .openapi('ScriptAnalyzeRequest');

export const ScriptSchema = scriptAnalysisSchema
  .extend({
    id: z.string(),
    brand: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Script', {
    description:
      'A stored analysis: segments with text, keywords, selling_points (with confidence), offers, emotion (mood), style_pack and the plan (visuals with template, size and texts; prompts with options per prompt).',
  });

export const ScriptEditSchema = scriptEditSchema.openapi('ScriptEdit', {
  description:
    'Changes to a stored analysis: segments as edited (offers may be given as words, e.g. {"text": "满300减40"}), title, brand, n, visuals. The plan is made again from them.',
});

export const ScriptRenderRequestSchema = scriptEditSchema
  .extend({
    script_id: z.string().optional().openapi({ description: 'A stored analysis (from /v1/scripts/analyze)' }),
    text: z.string().optional().openapi({ description: 'Or a script to analyse and render at once' }),
    analyzer,
    products: ScriptAnalyzeRequestSchema.shape.products,
    product_images: ScriptAnalyzeRequestSchema.shape.product_images,
    webhook_url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict()
  .openapi('ScriptRenderRequest');
