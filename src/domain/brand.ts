import { z } from 'zod';

const hexColor = z
  .string()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex color such as #1a2b3c');

export const brandPaletteSchema = z.object({
  primary: hexColor,
  secondary: hexColor,
  accent: hexColor,
  background: hexColor,
  text: hexColor,
});

/** The editable part of a brand kit: what `POST /v1/brands` accepts and what renders use. */
export const brandKitSchema = z.object({
  name: z.string().min(1).max(120),
  palette: brandPaletteSchema,
  fonts: z
    .object({
      heading: z.string().min(1).max(80).default('Noto Sans SC'),
      body: z.string().min(1).max(80).default('Noto Sans SC'),
    })
    .default({ heading: 'Noto Sans SC', body: 'Noto Sans SC' }),
  mood_words: z.array(z.string().min(1).max(40)).max(20).default([]),
  lighting: z.string().max(200).default(''),
  composition: z.string().max(200).default(''),
  negative_prompt: z.string().max(2000).default(''),
  logo_asset_id: z.string().max(200).nullable().default(null),
  corner_radius: z.number().int().min(0).max(200).default(24),
  default_provider: z.string().max(80).nullable().default(null),
});

export type BrandKit = z.infer<typeof brandKitSchema>;
export type BrandPalette = z.infer<typeof brandPaletteSchema>;

export interface Brand extends BrandKit {
  slug: string;
  version: number;
  builtin: boolean;
  created_at: string;
  updated_at: string;
}

export const BRAND_SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const DEFAULT_BRAND_SLUG = 'default';

export const DEFAULT_BRAND_KIT: BrandKit = {
  name: 'Vitrine default',
  palette: {
    primary: '#1f3a5f',
    secondary: '#4f7cac',
    accent: '#e4572e',
    background: '#f4f1ea',
    text: '#1b1b1b',
  },
  fonts: { heading: 'Noto Sans SC', body: 'Noto Sans SC' },
  mood_words: ['clean', 'modern', 'bright'],
  lighting: 'soft studio lighting',
  composition: 'centered product, generous negative space',
  negative_prompt: 'blurry, low quality, watermark, distorted text',
  logo_asset_id: null,
  corner_radius: 24,
  default_provider: null,
};
