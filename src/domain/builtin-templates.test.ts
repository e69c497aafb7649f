import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_TEMPLATES, findBuiltinTemplate } from './builtin-templates.ts';
import { type Layer, layoutSchema } from './layout.ts';
import { STYLE_PACK_IDS } from './style-packs.ts';
import { TEMPLATE_NAME_PATTERN, templateDefinitionSchema } from './template.ts';

const EXPECTED = {
  product_hero: [1024, 1024],
  live_cover: [1080, 1920],
  promo_poster: [1080, 1920],
  blog_hero: [1200, 630],
  social_post: [1080, 1350],
  text_card: [1024, 1024],
  product_white: [1024, 1024],
  product_white_taobao: [800, 800],
  product_white_amazon: [2000, 2000],
  story: [1080, 1920],
  social_square: [1080, 1080],
  price_tag: [1080, 1080],
  comparison: [1080, 1080],
  new_arrival: [1080, 1350],
  sale_square: [1080, 1080],
  promo_landscape: [1200, 630],
  banner_wide: [1920, 600],
  category_banner: [1200, 400],
  coupon: [1080, 540],
  flash_sale: [1080, 1920],
  offer_card: [1080, 1920],
} as const;

// Marketplace rule: the Amazon main image shows the product alone, so its title is not drawn.
const TEXT_FREE = new Set(['product_white_amazon', 'product_white_taobao']);

test('the expected built-in templates exist at their sizes', () => {
  for (const [name, [width, height]] of Object.entries(EXPECTED)) {
    const template = findBuiltinTemplate(name);
    assert.ok(template, name);
    assert.deepEqual([template.width, template.height], [width, height], name);
  }
  const names = BUILTIN_TEMPLATES.map((template) => template.name);
  assert.equal(new Set(names).size, names.length, 'names are unique');
  assert.ok(names.length >= 16, `${names.length} built-in templates`);
});

for (const template of BUILTIN_TEMPLATES) {
  test(`${template.name}: layout and definition are valid and already in their parsed form`, () => {
    assert.match(template.name, TEMPLATE_NAME_PATTERN);
    const layout = layoutSchema.parse(template.layout);
    // Parsing adds nothing: every default is spelled out, so what is stored is what renders.
    assert.deepEqual(layout, template.layout);
    const { name: _name, ...definition } = template;
    assert.deepEqual(templateDefinitionSchema.parse(definition), definition);
  });

  test(`${template.name}: params, layers and prompt slots agree`, () => {
    const params = new Map(template.params.map((param) => [param.name, param]));
    // Every template takes the common five first, so posters and the CLI can fill any of them.
    assert.deepEqual([...params.keys()].slice(0, 5), [
      'title',
      'subtitle',
      'price',
      'badge',
      'product_image',
    ]);
    assert.equal(params.get('title')?.required, true);
    assert.deepEqual(
      template.params.filter((param) => param.required).map((param) => param.name),
      ['title'],
    );
    assert.equal(params.get('product_image')?.kind, 'image');
    for (const layer of allLayers(template.layout)) {
      if (layer.type === 'background' || !('param' in layer)) continue;
      const param = params.get(layer.param);
      assert.ok(param, `layer uses unknown param ${layer.param}`);
      assert.equal(
        param.kind,
        layer.type === 'image' || layer.type === 'product' ? 'image' : 'text',
        `${layer.type} layer on ${layer.param}`,
      );
      for (const other of [
        ...(layer.type === 'price' ? [layer.was_param, layer.discount_param] : []),
        ...(layer.type === 'offer' ? [layer.detail_param] : []),
      ]) {
        if (other) assert.equal(params.get(other)?.kind, 'text', `${layer.type} layer uses ${other}`);
      }
    }
    if (!TEXT_FREE.has(template.name)) {
      assert.ok(template.layout.layers.some((layer) => layer.type === 'text' && layer.param === 'title'));
    }
    for (const slot of ['{title}', '{subtitle}', '{brand.mood}', '{brand.lighting}']) {
      assert.ok(template.prompt_pattern.includes(slot), `prompt_pattern lacks ${slot}`);
    }
    for (const slot of template.prompt_pattern.match(/\{[^}]+\}/g) ?? []) {
      const name = slot.slice(1, -1);
      assert.ok(
        params.has(name) || /^brand\.(mood|lighting|composition)$/.test(name),
        `unknown slot ${slot}`,
      );
    }
    assert.ok(template.negative_prompt.length > 0);
  });
}

test('vertical-video templates keep text, badges and the logo inside their declared safe area', () => {
  const videoPlacements = ['live_cover', 'story', 'flash_sale'];
  const vertical = BUILTIN_TEMPLATES.filter((template) => template.layout.safeArea);
  assert.deepEqual(
    videoPlacements.filter((name) => !vertical.some((template) => template.name === name)),
    [],
    'every vertical-video template declares a safe area',
  );
  for (const template of vertical) {
    const safe = template.layout.safeArea;
    assert.ok(safe, `${template.name} declares a safe area`);
    // Douyin/TikTok/Kuaishou cover at least the top 12% and bottom 15%.
    assert.ok(safe.top >= 0.12 && safe.bottom >= 0.15, template.name);
    for (const layer of allLayers(template.layout)) {
      if (!['text', 'badge', 'logo', 'price', 'offer'].includes(layer.type)) continue;
      if (!('box' in layer)) continue;
      const { x, y, w, h } = layer.box;
      const where = `${template.name}: ${layer.type} ${'param' in layer ? layer.param : ''} ${JSON.stringify(layer.box)}`;
      assert.ok(y >= safe.top - 1e-9, `${where} starts at ${y}, above the safe top ${safe.top}`);
      assert.ok(y + h <= 1 - safe.bottom + 1e-9, `${where} ends at ${y + h}, below the safe bottom`);
      // A ribbon runs in from the edge of the canvas by design; everything else keeps the side margins.
      const fromEdge = layer.type === 'offer' && layer.shape === 'ribbon';
      if (!fromEdge)
        assert.ok(x >= safe.left - 1e-9 && x + w <= 1 - safe.right + 1e-9, `${where} outside the sides`);
    }
  }
});

/** The main layer list and every alternate composition's. */
function allLayers(layout: { layers: Layer[]; compositions?: { layers: Layer[] }[] | undefined }): Layer[] {
  return [...layout.layers, ...(layout.compositions ?? []).flatMap((composition) => composition.layers)];
}

/** Whether a layer is drawn when the template has a product photo (or has none). */
function drawn(layer: Layer, withPhoto: boolean): boolean {
  const has = (name: string) => (name === 'product_image' ? withPhoto : true);
  return (layer.when?.has ?? []).every(has) && !(layer.when?.missing ?? []).some(has);
}

// The design families owned by builtin-templates{,-editorial,-shop,-social}.ts (promo is the offers').
const DESIGNED = [
  'product_hero',
  'live_cover',
  'promo_poster',
  'blog_hero',
  'social_post',
  'text_card',
  'product_white',
  'price_tag',
  'comparison',
  'social_square',
  'new_arrival',
  'story',
];
const MARKETPLACE_WHITE = ['product_white_taobao', 'product_white_amazon'];

for (const name of DESIGNED) {
  test(`${name}: a layout family with a design pack, alternate compositions and a design without a photo`, () => {
    const template = findBuiltinTemplate(name);
    assert.ok(template);
    const { layout } = template;
    assert.ok(
      layout.stylePack && (STYLE_PACK_IDS as readonly string[]).includes(layout.stylePack),
      'stylePack',
    );
    assert.ok((layout.compositions?.length ?? 0) >= 1, 'at least one alternate composition');
    const names = (layout.compositions ?? []).map((composition) => composition.name);
    assert.equal(new Set(names).size, names.length, 'composition names are unique');
    for (const { name: composition, layers } of [
      { name: 'main', layers: layout.layers },
      ...(layout.compositions ?? []),
    ]) {
      const where = `${name}/${composition}`;
      // Compositions are different designs, not the same layers again.
      if (composition !== 'main') assert.notDeepEqual(layers, layout.layers, where);
      for (const layer of layers) {
        if (layer.type === 'text' || layer.type === 'badge')
          assert.ok(layer.role, `${where}: ${layer.param} has a role`);
        if (layer.type === 'text' && layer.role === 'headline') assert.equal(layer.font, 'display', where);
        if (layer.type === 'text')
          assert.notEqual(layer.param, 'price', `${where}: prices use the price layer`);
        if (layer.type === 'product' || (layer.type === 'image' && layer.param === 'product_image')) {
          assert.deepEqual(layer.when?.has, ['product_image'], `${where}: the photo is conditional`);
        }
        // No translucent boxes: plates are opaque palette roles; a scrim lies only over a photo.
        if (layer.type === 'shape') assert.equal(layer.opacity, 1, `${where}: shape opacity`);
      }
      for (const withPhoto of [true, false]) {
        const visible = layers.filter((layer) => drawn(layer, withPhoto));
        const kinds = visible.map((layer) =>
          'param' in layer ? `${layer.type}:${layer.param}` : layer.type,
        );
        assert.ok(
          kinds.includes('text:title'),
          `${where} ${withPhoto ? 'with' : 'without'} a photo shows the title`,
        );
        assert.ok(kinds.includes('price:price'), `${where} shows the price`);
        assert.equal(
          kinds.includes('product:product_image') ||
            // A framed photo (text_card) is the photo itself, cropped to its frame.
            kinds.includes('image:product_image') ||
            visible.some((l) => l.type === 'background' && l.param === 'product_image'),
          withPhoto,
          `${where}: the photo is drawn exactly when given`,
        );
      }
      // Where the product is the subject it is large: its box covers at least 30% of the canvas.
      const product = layers.find((layer) => layer.type === 'product');
      if (product && product.type === 'product' && name !== 'comparison') {
        assert.ok(
          product.box.w * product.box.h >= 0.3,
          `${where}: product box ${product.box.w * product.box.h}`,
        );
      }
    }
  });
}

for (const name of MARKETPLACE_WHITE) {
  test(`${name}: nothing but the product on pure #FFFFFF`, () => {
    const template = findBuiltinTemplate(name);
    assert.ok(template);
    assert.deepEqual(
      template.layout.layers.map((layer) => layer.type),
      ['background', 'product'],
    );
    const [ground] = template.layout.layers;
    assert.ok(ground?.type === 'background' && ground.style === 'solid');
    assert.deepEqual(ground.colors, ['#ffffff']);
    assert.equal(template.layout.compositions, undefined, 'one design by rule');
  });
}
