import { type Canvas, createCanvas } from '@napi-rs/canvas';
import { DEFAULT_BRAND_KIT } from '../../src/domain/brand.ts';
import type { BuiltinTemplate } from '../../src/domain/builtin-templates.ts';
import { layoutSchema } from '../../src/domain/layout.ts';
import type { ImageQuality } from '../../src/domain/quality.ts';
import type { StylePackId } from '../../src/domain/style-packs.ts';
import { studioImageChecks } from '../../src/providers/studio/studio-checks.ts';
import { chooseCandidates } from '../../src/render/candidates.ts';
import {
  encodeCanvas,
  type RenderLayoutInput,
  renderLayoutWithReport,
} from '../../src/render/layout-renderer.ts';
import { finalQuality } from '../../src/render/layout-score.ts';
import { SAMPLE_PARAMS } from './sample-brands.ts';
import { sampleProductPhoto } from './sample-product.ts';

/**
 * Each built-in template as the docs and the golden/OCR tests show it: in its own style pack and a
 * contrasting second one, with and without a product photo, the design the engine chooses for a
 * one-image request (candidates scored, the best drawn), with its quality as a job would carry it.
 */

/** The second pack each default is shown in: light against dark, quiet against loud. */
export const SECOND_PACK: Readonly<Record<StylePackId, StylePackId>> = {
  minimal: 'luxury',
  festive: 'tech',
  fresh: 'festive',
  cute: 'minimal',
  tech: 'fresh',
  luxury: 'minimal',
};

export function samplePacks(template: BuiltinTemplate): [StylePackId, StylePackId] {
  const first = (template.layout.stylePack ?? 'minimal') as StylePackId;
  return [first, SECOND_PACK[first] ?? 'minimal'];
}

export function sampleParams(name: string): Record<string, string> {
  return { ...(SAMPLE_PARAMS[name] ?? SAMPLE_PARAMS.default!) };
}

export interface SampleRender {
  canvas: Canvas;
  quality: ImageQuality;
  /** The composition and palette arrangement the engine chose, and of how many candidates. */
  design: { composition: string; arrangement: number; of: number };
  /** The texts drawn, by param, as the renderer fitted them. */
  texts: { param: string; text: string }[];
}

export async function renderSample(
  template: BuiltinTemplate,
  pack: StylePackId,
  withPhoto: boolean,
  options: { params?: Record<string, string>; seed?: number } = {},
): Promise<SampleRender> {
  const layout = layoutSchema.parse(template.layout);
  const request: RenderLayoutInput = {
    layout,
    brand: DEFAULT_BRAND_KIT,
    params: options.params ?? sampleParams(template.name),
    images: withPhoto ? { product_image: sampleProductPhoto() } : {},
    width: template.width,
    height: template.height,
    seed: options.seed ?? 7,
    stylePack: pack,
  };
  const [design] = chooseCandidates(request, 1);
  if (!design) throw new Error(`${template.name}: no design`);
  const { canvas, report, texts } = await renderLayoutWithReport({ ...design.input, seed: request.seed });
  const bytes = await encodeCanvas(canvas, 'png');
  const quality = finalQuality(design.scored, report);
  quality.checks = [...quality.checks, ...(await studioImageChecks(template.name, layout, bytes, report))];
  return {
    canvas,
    quality,
    design: { composition: design.composition, arrangement: design.arrangement, of: design.of },
    texts: texts.map((text) => ({ param: text.param, text: text.lines.join('') })),
  };
}

/** The canvas scaled by `factor` (0.5 for the docs, 0.25 for goldens), smoothly. */
export function scaled(canvas: Canvas, factor: number): Canvas {
  const out = createCanvas(Math.round(canvas.width * factor), Math.round(canvas.height * factor));
  const ctx = out.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(canvas, 0, 0, out.width, out.height);
  return out;
}

export const sampleFile = (name: string, pack: string, withPhoto: boolean) =>
  `${name}-${pack}-${withPhoto ? 'photo' : 'plain'}.png`;
