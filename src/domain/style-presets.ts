/**
 * Style presets: a named look added to the prompt (and its negative) so an operator can ask for
 * "flat lay" or "festive" without writing prompt craft. Image models follow them; the studio
 * engine draws layouts and ignores prompts, so for it a style changes nothing.
 */
export interface StylePreset {
  id: string;
  description: string;
  prompt: string;
  negative: string;
}

export const STYLE_PRESETS = [
  {
    id: 'studio',
    description: 'Clean e-commerce studio shot: seamless backdrop, softbox light',
    prompt: 'professional product photography, seamless studio backdrop, softbox lighting, crisp focus',
    negative: 'clutter, harsh shadows',
  },
  {
    id: 'lifestyle',
    description: 'The product in use in a real, lived-in setting',
    prompt: 'lifestyle photography, natural setting, in use, warm natural light, shallow depth of field',
    negative: 'studio backdrop, sterile',
  },
  {
    id: 'flat_lay',
    description: 'Top-down arrangement with props on a flat surface',
    prompt: 'flat lay, top-down view, neatly arranged props, even diffuse light',
    negative: 'perspective distortion, tilted angle',
  },
  {
    id: 'minimal',
    description: 'Minimal, lots of negative space, muted tones',
    prompt: 'minimalist composition, generous negative space, muted tones, simple geometry',
    negative: 'busy background, many props',
  },
  {
    id: 'bold_promo',
    description: 'Saturated colors and strong contrast for sales and ads',
    prompt: 'bold saturated colors, high contrast, dynamic angle, eye-catching advertising style',
    negative: 'dull colors, low contrast',
  },
  {
    id: 'festive',
    description: 'Red and gold festive mood for holidays and shopping festivals',
    prompt: 'festive atmosphere, red and gold accents, celebratory decorations, warm glow',
    negative: 'gloomy, cold tones',
  },
  {
    id: 'illustration',
    description: 'Flat vector illustration rather than a photo',
    prompt: 'flat vector illustration, clean lines, limited palette',
    negative: 'photorealistic, photo',
  },
] as const satisfies readonly StylePreset[];

export type StyleId = (typeof STYLE_PRESETS)[number]['id'];
export const STYLE_IDS = STYLE_PRESETS.map((preset) => preset.id) as [StyleId, ...StyleId[]];

export function stylePreset(id: StyleId): StylePreset {
  return STYLE_PRESETS.find((preset) => preset.id === id)!;
}
