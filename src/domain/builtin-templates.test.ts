import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_TEMPLATES, findBuiltinTemplate } from './builtin-templates.ts';
import { layoutSchema } from './layout.ts';
import { TEMPLATE_NAME_PATTERN, templateDefinitionSchema } from './template.ts';

const EXPECTED = {
  product_hero: [1024, 1024],
  live_cover: [1080, 1920],
  promo_poster: [1080, 1920],
  blog_hero: [1200, 630],
  social_post: [1080, 1350],
  text_card: [1024, 1024],
} as const;

test('the expected built-in templates exist at their sizes', () => {
  for (const [name, [width, height]] of Object.entries(EXPECTED)) {
    const template = findBuiltinTemplate(name);
    assert.ok(template, name);
    assert.deepEqual([template.width, template.height], [width, height], name);
  }
  const names = BUILTIN_TEMPLATES.map((template) => template.name);
  assert.equal(new Set(names).size, names.length, 'names are unique');
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
    assert.deepEqual([...params.keys()], ['title', 'subtitle', 'price', 'badge', 'product_image']);
    assert.equal(params.get('title')?.required, true);
    assert.deepEqual(
      template.params.filter((param) => param.required).map((param) => param.name),
      ['title'],
    );
    assert.equal(params.get('product_image')?.kind, 'image');
    for (const layer of template.layout.layers) {
      if (layer.type === 'background' || layer.type === 'shape') continue;
      const param = params.get(layer.param);
      assert.ok(param, `layer uses unknown param ${layer.param}`);
      assert.equal(
        param.kind,
        layer.type === 'image' ? 'image' : 'text',
        `${layer.type} layer on ${layer.param}`,
      );
    }
    assert.ok(template.layout.layers.some((layer) => layer.type === 'text' && layer.param === 'title'));
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
