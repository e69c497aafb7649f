import { createCanvas } from '@napi-rs/canvas';
import type { Brand } from '../../src/domain/brand.ts';
import { DEFAULT_BRAND_KIT } from '../../src/domain/brand.ts';
import { type Layout, layoutSchema } from '../../src/domain/layout.ts';
import type { Template } from '../../src/domain/template.ts';

// Layouts planted for the scorer's tests (docs/quality.md): four compositions of one product card,
// and a design whose first composition sets its headline below the floor.

export const TEST_BRAND: Brand = {
  ...DEFAULT_BRAND_KIT,
  slug: 'default',
  version: 1,
  builtin: true,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
};

const title = {
  type: 'text',
  param: 'title',
  font: 'display',
  role: 'headline',
  maxSize: 110,
  minSize: 52,
  maxLines: 2,
};
const subtitle = {
  type: 'text',
  param: 'subtitle',
  font: 'body',
  role: 'subtitle',
  maxSize: 44,
  minSize: 28,
  maxLines: 2,
};

/** Product left, right, on top or below, with a block of color on the other side. */
export const FOUR_COMPOSITIONS: Layout = layoutSchema.parse({
  version: 1,
  referenceWidth: 1080,
  stylePack: 'minimal',
  layers: [
    { type: 'background', style: 'solid', colors: ['background'] },
    { type: 'shape', shape: 'rect', box: { x: 0.5, y: 0, w: 0.5, h: 1 }, color: 'primary' },
    { type: 'product', param: 'product_image', box: { x: 0.54, y: 0.2, w: 0.42, h: 0.7 } },
    { ...title, box: { x: 0.06, y: 0.2, w: 0.4, h: 0.3 } },
    { ...subtitle, box: { x: 0.06, y: 0.55, w: 0.4, h: 0.15 } },
  ],
  compositions: [
    {
      name: 'product-left',
      layers: [
        { type: 'background', style: 'solid', colors: ['background'] },
        { type: 'shape', shape: 'rect', box: { x: 0, y: 0, w: 0.5, h: 1 }, color: 'accent' },
        { type: 'product', param: 'product_image', box: { x: 0.04, y: 0.2, w: 0.42, h: 0.7 } },
        { ...title, box: { x: 0.54, y: 0.2, w: 0.4, h: 0.3 } },
        { ...subtitle, box: { x: 0.54, y: 0.55, w: 0.4, h: 0.15 } },
      ],
    },
    {
      name: 'product-below',
      layers: [
        { type: 'background', style: 'solid', colors: ['primary'] },
        { type: 'shape', shape: 'rect', box: { x: 0, y: 0.45, w: 1, h: 0.55 }, color: 'background' },
        { type: 'product', param: 'product_image', box: { x: 0.25, y: 0.47, w: 0.5, h: 0.5 } },
        { ...title, align: 'center', box: { x: 0.08, y: 0.06, w: 0.84, h: 0.22 } },
        { ...subtitle, align: 'center', box: { x: 0.08, y: 0.3, w: 0.84, h: 0.1 } },
      ],
    },
    {
      name: 'product-above',
      layers: [
        { type: 'background', style: 'solid', colors: ['accent'] },
        { type: 'shape', shape: 'rect', box: { x: 0, y: 0.6, w: 1, h: 0.4 }, color: 'text' },
        { type: 'product', param: 'product_image', box: { x: 0.25, y: 0.04, w: 0.5, h: 0.54 } },
        { ...title, align: 'center', color: 'background', box: { x: 0.08, y: 0.63, w: 0.84, h: 0.2 } },
        { ...subtitle, align: 'center', color: 'background', box: { x: 0.08, y: 0.85, w: 0.84, h: 0.1 } },
      ],
    },
  ],
});

/** The first composition squeezes its headline below the floor; the second is the same design done right. */
export const FLOOR_PAIR: Layout = layoutSchema.parse({
  version: 1,
  referenceWidth: 1080,
  layers: [
    { type: 'background', style: 'solid', colors: ['background'] },
    { ...title, minSize: 12, box: { x: 0.1, y: 0.3, w: 0.8, h: 0.04 } },
    { ...subtitle, box: { x: 0.1, y: 0.5, w: 0.8, h: 0.15 } },
  ],
  compositions: [
    {
      name: 'good',
      layers: [
        { type: 'background', style: 'solid', colors: ['background'] },
        { ...title, box: { x: 0.1, y: 0.2, w: 0.8, h: 0.25 } },
        { ...subtitle, box: { x: 0.1, y: 0.5, w: 0.8, h: 0.15 } },
      ],
    },
  ],
});

export function plantedTemplate(name: string, layout: Layout): Template {
  return {
    name,
    description: 'planted for the scorer tests',
    width: 1080,
    height: 1080,
    format: 'png',
    params: [
      { name: 'title', kind: 'text', required: true, description: '', max_length: 200 },
      { name: 'subtitle', kind: 'text', required: false, description: '', max_length: 200 },
      { name: 'product_image', kind: 'image', required: false, description: '', max_length: 500 },
    ],
    prompt_pattern: '{title}',
    negative_prompt: '',
    layout,
    version: 1,
    builtin: false,
    created_at: TEST_BRAND.created_at,
    updated_at: TEST_BRAND.updated_at,
  };
}

/** A product shot: a dark-red bottle with a cap on transparency. */
export function bottlePng(): Uint8Array {
  const canvas = createCanvas(300, 400);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#8a1c2b';
  ctx.beginPath();
  ctx.roundRect(60, 80, 180, 300, 30);
  ctx.fill();
  ctx.fillStyle = '#222222';
  ctx.fillRect(115, 20, 70, 70);
  return canvas.encodeSync('png');
}

/**
 * A template of one design whose headline box is too small for the headline's floor (49 px on a
 * 1080 square): every image it makes fails `text_floor`, as the API's `POST /v1/templates` body.
 */
export function squeezedTemplate(name: string) {
  return {
    name,
    width: 1080,
    height: 1080,
    params: [{ name: 'title', required: true }],
    prompt_pattern: '{title}',
    layout: {
      version: 1,
      referenceWidth: 1080,
      layers: [
        { type: 'background', style: 'solid', colors: ['background'] },
        {
          type: 'text',
          param: 'title',
          role: 'headline',
          box: { x: 0.1, y: 0.4, w: 0.8, h: 0.03 },
          maxSize: 90,
          minSize: 10,
          maxLines: 1,
        },
      ],
    },
  };
}
