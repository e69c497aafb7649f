import { z } from 'zod';
import { offerTypes } from '../offer.ts';
import { STYLE_PACK_IDS, type StylePackId } from '../style-packs.ts';

/**
 * The analysis of a live-stream script: its segments, each with its product, keywords, selling
 * points, offers and mood, the style that mood picks, and the plan of visuals. One zod schema for
 * what the heuristic analyzer makes, what a chat model must answer, what the API returns and what
 * a (possibly edited) analysis sent to the render must be. Pure.
 */

export const SCRIPT_LANGUAGES = ['zh', 'en', 'es'] as const;
export type ScriptLanguage = (typeof SCRIPT_LANGUAGES)[number];

/** The visual moods a segment can have: they pick the style pack (and so its palette arrangements). */
export const VISUAL_MOODS = ['urgent', 'premium', 'festive', 'cute', 'fresh'] as const;
export type VisualMood = (typeof VISUAL_MOODS)[number];

/** The style packs of the studio engine (`style_pack`): each has its palette arrangements, which a visual's options alternate. */
export const STYLE_PACKS = STYLE_PACK_IDS;
export type { StylePackId };

export const SEGMENT_KINDS = ['opening', 'product', 'giveaway', 'closing', 'talk'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

export const PRODUCT_CATEGORIES = ['apparel', 'beauty', 'food', 'electronics', 'other'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export const SELLING_POINT_KINDS = ['material', 'function', 'benefit', 'spec'] as const;

export const VISUAL_ROLES = ['cover', 'hero', 'offer', 'up_next', 'countdown'] as const;
export type VisualRole = (typeof VISUAL_ROLES)[number];

const confidence = z.number().min(0).max(1);

export const sellingPointSchema = z.object({
  text: z.string().min(1).max(80),
  kind: z.enum(SELLING_POINT_KINDS).default('benefit'),
  confidence: confidence.default(0.5),
});
export type SellingPoint = z.infer<typeof sellingPointSchema>;

export const keywordSchema = z.object({
  text: z.string().min(1).max(40),
  weight: z.number().min(0).default(1),
});

export const offerSchema = z.object({
  type: z.enum(offerTypes),
  language: z.enum(SCRIPT_LANGUAGES).default('zh'),
  currency: z.enum(['CNY', 'USD', 'EUR', 'GBP']).nullable().default(null),
  amounts: z
    .object({
      threshold: z.number().optional(),
      discount: z.number().optional(),
      percent_off: z.number().optional(),
      quantity: z.number().optional(),
      free_quantity: z.number().optional(),
      price: z.number().optional(),
    })
    .default({}),
  headline: z.string().min(1).max(60),
  sub_lines: z.array(z.string().max(120)).max(10).default([]),
  price_text: z.string().max(40).nullable().default(null),
  badge: z.string().max(20).nullable().default(null),
  urgent: z.boolean().default(false),
  dates: z
    .object({ text: z.string().max(60), start: z.string().nullable(), end: z.string().nullable() })
    .nullable()
    .default(null),
  code: z.string().max(40).nullable().default(null),
  stock: z.number().int().min(0).nullable().default(null),
  was_price_text: z.string().max(40).nullable().default(null),
});
export type ScriptOffer = z.infer<typeof offerSchema>;

export const emotionSchema = z.object({
  mood: z.enum(VISUAL_MOODS),
  confidence: confidence.default(0.5),
  /** The words that led to the mood. */
  cues: z.array(z.string().max(40)).max(20).default([]),
});
export type Emotion = z.infer<typeof emotionSchema>;

export const productSchema = z.object({
  name: z.string().min(1).max(80),
  /** Set when the name matched the products catalog. */
  sku: z.string().max(80).nullable().default(null),
  source: z.enum(['catalog', 'script']).default('script'),
  /** Its photo (an asset id or an http(s) URL): the catalog's, or one given with the request. */
  image: z.string().max(2000).nullable().default(null),
});

export const promptSchema = z.object({
  visual: z.enum(VISUAL_ROLES),
  prompt: z.string().max(4000),
  negative_prompt: z.string().max(2000).default(''),
  /** Options (images) asked for this prompt. */
  options: z.number().int().min(1).max(10),
});

export const visualSchema = z.object({
  role: z.enum(VISUAL_ROLES),
  template: z.string().min(1).max(63),
  width: z.number().int().min(64).max(4096),
  height: z.number().int().min(64).max(4096),
  n: z.number().int().min(1).max(10),
  params: z.record(z.string(), z.string()),
  style_pack: z.enum(STYLE_PACKS),
});
export type PlannedVisual = z.infer<typeof visualSchema>;

/** A segment as an editor or a chat model may give it: only its text and title are required. */
export const segmentInputSchema = z.object({
  label: z.string().max(80).default(''),
  kind: z.enum(SEGMENT_KINDS).default('product'),
  title: z.string().min(1).max(80),
  time: z
    .string()
    .regex(/^\d{1,2}:\d{2}$/, 'must be a time such as 20:05')
    .nullable()
    .default(null),
  text: z.string().max(20_000).default(''),
  product: productSchema.nullable().default(null),
  category: z.enum(PRODUCT_CATEGORIES).default('other'),
  keywords: z.array(keywordSchema).max(30).default([]),
  selling_points: z.array(sellingPointSchema).max(40).default([]),
  offers: z.array(offerSchema).max(20).default([]),
  emotion: emotionSchema,
  style_pack: z.enum(STYLE_PACKS).optional(),
});
export type SegmentInput = z.input<typeof segmentInputSchema>;

export const segmentSchema = segmentInputSchema.extend({
  index: z.number().int().min(0),
  /** Where the segment starts and ends in the script (UTF-16 offsets; -1 when edited in). */
  start: z.number().int().min(-1),
  end: z.number().int().min(-1),
  language: z.enum(SCRIPT_LANGUAGES),
  style_pack: z.enum(STYLE_PACKS),
  prompts: z.array(promptSchema).default([]),
  visuals: z.array(visualSchema).default([]),
});
export type ScriptSegment = z.infer<typeof segmentSchema>;

export const analysisNoteSchema = z.object({ code: z.string(), message: z.string() });
export type AnalysisNote = z.infer<typeof analysisNoteSchema>;

/** Options per prompt (images per visual) and the visuals to plan: the source pipeline's four by default. */
export const DEFAULT_OPTIONS_PER_PROMPT = 4;
export const planOptionsSchema = z.object({
  n: z.number().int().min(1).max(10).default(DEFAULT_OPTIONS_PER_PROMPT),
  visuals: z
    .array(z.enum(VISUAL_ROLES))
    .min(1)
    .default([...VISUAL_ROLES]),
});
export type PlanSettings = z.infer<typeof planOptionsSchema>;

export const scriptAnalysisSchema = z.object({
  /** `mixed` when the script speaks more than one of zh, en, es. */
  language: z.enum([...SCRIPT_LANGUAGES, 'mixed']),
  languages: z.array(z.enum(SCRIPT_LANGUAGES)).min(1),
  /** Who made it: the offline heuristics, a chat model, or a person's edit. */
  analyzer: z.enum(['heuristic', 'llm', 'edited']),
  model: z.string().nullable().default(null),
  title: z.string().max(80),
  characters: z.number().int().min(0),
  category: z.enum(PRODUCT_CATEGORIES),
  mood: z.enum(VISUAL_MOODS),
  style_pack: z.enum(STYLE_PACKS),
  segments: z.array(segmentSchema).min(1),
  /** What the analyzer wants the reader to know: one segment only, a fallback, mixed languages. */
  notes: z.array(analysisNoteSchema).default([]),
  elapsed_ms: z.number().min(0).default(0),
  /** Tokens the chat model used (analyzer `llm`), else null. */
  usage: z
    .object({ input_tokens: z.number().int(), output_tokens: z.number().int() })
    .nullable()
    .default(null),
  options: planOptionsSchema.default({ n: DEFAULT_OPTIONS_PER_PROMPT, visuals: [...VISUAL_ROLES] }),
});
export type ScriptAnalysis = z.infer<typeof scriptAnalysisSchema>;

/** The longest script accepted (characters): a three-hour show is about 40,000. */
export const MAX_SCRIPT_CHARACTERS = 100_000;
