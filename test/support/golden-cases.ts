import { DEFAULT_BRAND_KIT } from '../../src/domain/brand.ts';
import { findBuiltinTemplate } from '../../src/domain/builtin-templates.ts';
import { layoutSchema } from '../../src/domain/layout.ts';
import { renderLayoutWithReport } from '../../src/render/layout-renderer.ts';
import { SAMPLE_PARAMS, SECOND_BRAND } from './sample-brands.ts';
import { sampleProductPhoto } from './sample-product.ts';

/**
 * The renders kept as golden images under test/golden/: one per background kind and layer kind,
 * in both brands, at half size (small files; every feature still shows). Regenerate them with
 * `npm run golden:update` after an intended visual change, and look at the diff before committing.
 */
export const GOLDEN_CASES = [
  ['product_white', 'default'],
  ['price_tag', 'second'],
  ['offer_card', 'default'],
  ['story', 'second'],
  ['category_banner', 'default'],
  ['new_arrival', 'second'],
  ['coupon', 'default'],
] as const;

export async function renderGolden(name: string, brandName: 'default' | 'second') {
  const template = findBuiltinTemplate(name);
  if (!template) throw new Error(`no template ${name}`);
  const { canvas } = await renderLayoutWithReport({
    layout: layoutSchema.parse(template.layout),
    brand: brandName === 'default' ? DEFAULT_BRAND_KIT : SECOND_BRAND,
    params: SAMPLE_PARAMS[name] ?? SAMPLE_PARAMS.default!,
    images: { product_image: sampleProductPhoto() },
    width: Math.round(template.width / 2),
    height: Math.round(template.height / 2),
    seed: 42,
  });
  return canvas;
}

export const goldenFile = (name: string, brandName: string) => `${name}-${brandName}.png`;
