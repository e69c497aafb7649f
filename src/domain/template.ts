import { z } from 'zod';
import { layoutSchema } from './layout.ts';

export const imageFormats = ['png', 'jpeg', 'webp'] as const;
export type ImageFormat = (typeof imageFormats)[number];

export const templateParamSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be snake_case'),
  kind: z.enum(['text', 'image']).default('text'),
  required: z.boolean().default(false),
  description: z.string().max(300).default(''),
  max_length: z.number().int().min(1).max(10_000).default(500),
});
export type TemplateParam = z.infer<typeof templateParamSchema>;

export const TEMPLATE_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;

/** What `POST /v1/templates` accepts: a template's definition without its bookkeeping. */
export const templateDefinitionSchema = z.object({
  description: z.string().max(500).default(''),
  width: z.number().int().min(64).max(4096),
  height: z.number().int().min(64).max(4096),
  format: z.enum(imageFormats).default('png'),
  params: z.array(templateParamSchema).min(1).max(40),
  /** The prompt for AI providers, with `{param}` slots and `{brand.mood}`-style brand slots. */
  prompt_pattern: z.string().min(1).max(4000),
  negative_prompt: z.string().max(2000).default(''),
  layout: layoutSchema,
});
export type TemplateDefinition = z.infer<typeof templateDefinitionSchema>;

export interface Template extends TemplateDefinition {
  name: string;
  version: number;
  builtin: boolean;
  created_at: string;
  updated_at: string;
}
