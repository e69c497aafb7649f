import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SAMPLE_PARAMS } from '../../test/support/sample-brands.ts';
import { sampleProductPhoto } from '../../test/support/sample-product.ts';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { BUILTIN_PROMO_TEMPLATES } from '../domain/builtin-templates-promo.ts';
import { layoutSchema } from '../domain/layout.ts';
import { parseOffer } from '../domain/offer.ts';
import { posterParams } from '../domain/poster.ts';
import { renderLayoutWithReport } from './layout-renderer.ts';

const BRIEFS = [
  '双十一 满300减40 券码 DOUBLE11 限时 11.1-11.11 包邮',
  'Summer Sale 20% OFF, was $49 now $39',
];
const photo = sampleProductPhoto();

for (const template of BUILTIN_PROMO_TEMPLATES) {
  test(`${template.name}: every composition renders with and without a photo, passing its checks`, async () => {
    const layout = layoutSchema.parse(template.layout);
    assert.ok((layout.compositions?.length ?? 0) >= 1, 'at least two compositions');
    assert.ok(layout.stylePack, 'a default style pack');
    const names = template.params.map((param) => param.name);
    const paramSets = [
      SAMPLE_PARAMS[template.name] ?? SAMPLE_PARAMS.default!,
      ...BRIEFS.map((brief) => posterParams(parseOffer(brief), names, brief)),
    ];
    const compositions = [layout.layers, ...(layout.compositions ?? []).map((entry) => entry.layers)];
    for (const [index, layers] of compositions.entries()) {
      for (const params of paramSets) {
        for (const withPhoto of [false, true]) {
          const { report, texts } = await renderLayoutWithReport({
            layout: { ...layout, layers },
            brand: DEFAULT_BRAND_KIT,
            params,
            images: withPhoto ? { product_image: photo } : {},
            width: Math.round(template.width / 2),
            height: Math.round(template.height / 2),
            seed: 7,
          });
          const where = `composition ${index}, ${withPhoto ? 'photo' : 'no photo'}, ${params.title}`;
          assert.equal(report.checks.ok, true, `${where}: ${report.checks.problems.join('; ')}`);
          // The title and every offer figure that was given are drawn.
          const drawn = new Set(texts.map((text) => text.param));
          for (const name of ['title', 'price', 'offer']) {
            if (params[name]) assert.ok(drawn.has(name), `${where}: ${name} not drawn`);
          }
        }
      }
    }
  });
}
