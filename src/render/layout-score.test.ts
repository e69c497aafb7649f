import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { type Box, type Layer, type Layout, layoutSchema } from '../domain/layout.ts';
import { chooseCandidates, expandCandidates } from './candidates.ts';
import type { RenderLayoutInput } from './layout-renderer.ts';
import { scoreLayout } from './layout-score.ts';

// Planted pairs: a layout whose base composition is the bad design and whose one composition is
// the good one. The scorer must choose the good one; taking candidates in order (scorer off) takes
// the bad one, so each test fails without the scorer.

const background: Layer = {
  type: 'background',
  style: 'solid',
  colors: ['background'],
  angle: 90,
  pattern: 'dots',
  horizon: 0.62,
};

function text(param: string, box: Box, extra: Record<string, unknown> = {}) {
  return { type: 'text', param, box, maxSize: 96, minSize: 40, maxLines: 2, ...extra };
}

function pair(bad: unknown[], good: unknown[]): Layout {
  return layoutSchema.parse({
    version: 1,
    referenceWidth: 1080,
    layers: [background, ...bad],
    compositions: [{ name: 'good', layers: [background, ...good] }],
  });
}

function productPng(): Uint8Array {
  const canvas = createCanvas(300, 400);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#8a1c2b';
  ctx.fillRect(60, 80, 180, 300);
  return canvas.encodeSync('png');
}

function input(layout: Layout, withProduct = false): RenderLayoutInput {
  return {
    layout,
    brand: DEFAULT_BRAND_KIT,
    params: { title: 'Linen shirt', subtitle: 'Breathable, light and easy to wash', price: '$49' },
    images: withProduct ? { product_image: productPng() } : {},
    width: 1080,
    height: 1080,
    seed: 1,
  };
}

const headline = { font: 'display', role: 'headline' };
const subtitle = { font: 'body', role: 'subtitle', maxSize: 44, minSize: 28 };
const PAIRS: Record<string, { layout: Layout; product?: boolean; part: string }> = {
  'text over the product': {
    product: true,
    part: 'occlusion',
    layout: pair(
      [
        { type: 'product', param: 'product_image', box: { x: 0.15, y: 0.15, w: 0.7, h: 0.7 } },
        text('title', { x: 0.1, y: 0.4, w: 0.8, h: 0.2 }, headline),
      ],
      [
        { type: 'product', param: 'product_image', box: { x: 0.15, y: 0.3, w: 0.7, h: 0.65 } },
        text('title', { x: 0.1, y: 0.06, w: 0.8, h: 0.2 }, headline),
      ],
    ),
  },
  'text below its floor': {
    part: 'readability',
    layout: pair(
      [
        text('title', { x: 0.1, y: 0.3, w: 0.8, h: 0.04 }, { ...headline, minSize: 12 }),
        text('subtitle', { x: 0.1, y: 0.5, w: 0.8, h: 0.15 }, subtitle),
      ],
      [
        text('title', { x: 0.1, y: 0.2, w: 0.8, h: 0.25 }, headline),
        text('subtitle', { x: 0.1, y: 0.5, w: 0.8, h: 0.15 }, subtitle),
      ],
    ),
  },
  misaligned: {
    part: 'alignment',
    layout: pair(
      [
        text('title', { x: 0.08, y: 0.2, w: 0.6, h: 0.25 }, headline),
        text('subtitle', { x: 0.115, y: 0.5, w: 0.6, h: 0.15 }, subtitle),
        text('price', { x: 0.055, y: 0.7, w: 0.3, h: 0.12 }, { role: 'price', maxSize: 110, minSize: 60 }),
      ],
      [
        text('title', { x: 0.08, y: 0.2, w: 0.6, h: 0.25 }, headline),
        text('subtitle', { x: 0.08, y: 0.5, w: 0.6, h: 0.15 }, subtitle),
        text('price', { x: 0.08, y: 0.7, w: 0.3, h: 0.12 }, { role: 'price', maxSize: 110, minSize: 60 }),
      ],
    ),
  },
  'empty canvas': {
    part: 'utilization',
    layout: pair(
      [
        text(
          'title',
          { x: 0.04, y: 0.04, w: 0.36, h: 0.08 },
          { ...headline, maxSize: 60, minSize: 54, maxLines: 1 },
        ),
        text('subtitle', { x: 0.04, y: 0.13, w: 0.36, h: 0.08 }, { ...subtitle, maxSize: 30, minSize: 28 }),
      ],
      [
        text('title', { x: 0.1, y: 0.25, w: 0.8, h: 0.3 }, { ...headline, align: 'center', maxSize: 140 }),
        text('subtitle', { x: 0.1, y: 0.6, w: 0.8, h: 0.15 }, { ...subtitle, align: 'center' }),
      ],
    ),
  },
};

describe('the scorer prefers the good design of planted pairs', () => {
  for (const [name, { layout, product, part }] of Object.entries(PAIRS)) {
    test(name, () => {
      const request = input(layout, product);
      const [bad, good] = expandCandidates(request);
      assert.equal(good?.composition, 'good');
      const badScore = scoreLayout(bad!.input);
      const goodScore = scoreLayout(good!.input);
      if (part !== 'readability') assert.equal(badScore.textFloor.passed, true, badScore.textFloor.detail);
      assert.ok(goodScore.score > badScore.score, `${goodScore.score} > ${badScore.score}`);
      assert.ok(
        (goodScore.parts[part as keyof typeof goodScore.parts] ?? 0) >
          (badScore.parts[part as keyof typeof badScore.parts] ?? 0),
        `${part}: ${JSON.stringify(goodScore.parts)} vs ${JSON.stringify(badScore.parts)}`,
      );
      const [chosen] = chooseCandidates(request, 1);
      assert.equal(chosen?.composition, 'good', `with the scorer: ${JSON.stringify(chosen?.scored)}`);
      const [inOrder] = chooseCandidates(request, 1, { scorer: false });
      assert.equal(inOrder?.composition, 'base', 'without the scorer the first (bad) candidate is taken');
    });
  }

  test('text below its floor fails text_floor, naming the text and the sizes', () => {
    const [bad] = expandCandidates(input(PAIRS['text below its floor']!.layout));
    const scored = scoreLayout(bad!.input);
    assert.equal(scored.textFloor.passed, false);
    assert.match(scored.textFloor.detail, /title\b.*\b49 px/);
    assert.ok(scored.score <= 0.6, `a failed floor caps the score: ${scored.score}`);
  });
});

describe('candidates', () => {
  test('layers whose when does not hold are dropped: no product photo, no product layers', () => {
    const layout = layoutSchema.parse({
      version: 1,
      referenceWidth: 1080,
      stylePack: 'minimal',
      layers: [
        background,
        {
          type: 'product',
          param: 'product_image',
          box: { x: 0.2, y: 0.3, w: 0.6, h: 0.6 },
          when: { has: ['product_image'] },
        },
        text('title', { x: 0.1, y: 0.05, w: 0.8, h: 0.2 }, { when: { has: ['product_image'] } }),
        text('title', { x: 0.1, y: 0.3, w: 0.8, h: 0.4 }, { when: { missing: ['product_image'] } }),
      ],
    });
    const without = expandCandidates(input(layout));
    assert.equal(without.length, 2, 'one composition in the pack’s two arrangements');
    assert.deepEqual(
      without.map((candidate) => [candidate.arrangement, candidate.input.arrangement]),
      [
        [0, 0],
        [1, 1],
      ],
    );
    assert.deepEqual(
      without[0]!.input.layout.layers.map((layer) =>
        layer.type === 'text' ? `text@${layer.box.y}` : layer.type,
      ),
      ['background', 'text@0.3'],
    );
    const withPhoto = expandCandidates(input(layout, true));
    assert.deepEqual(
      withPhoto[0]!.input.layout.layers.map((layer) =>
        layer.type === 'text' ? `text@${layer.box.y}` : layer.type,
      ),
      ['background', 'product', 'text@0.05'],
    );
  });

  test('n variants take different compositions, then other palette arrangements', () => {
    const layout = layoutSchema.parse({
      version: 1,
      referenceWidth: 1080,
      stylePack: 'fresh',
      layers: [background, text('title', { x: 0.1, y: 0.1, w: 0.8, h: 0.3 }, headline)],
      compositions: [
        {
          name: 'middle',
          layers: [background, text('title', { x: 0.1, y: 0.35, w: 0.8, h: 0.3 }, headline)],
        },
      ],
    });
    const chosen = chooseCandidates(input(layout), 4);
    const designs = chosen.map((candidate) => `${candidate.composition}/${candidate.arrangement}`);
    assert.equal(new Set(designs).size, 4, designs.join(', '));
    assert.notEqual(
      chosen[0]!.composition,
      chosen[1]!.composition,
      'the second image is another composition',
    );
    assert.ok(chosen.every((candidate) => candidate.of === 4));
  });
});
