import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { SECOND_BRAND } from '../../test/support/sample-brands.ts';
import { sampleProductPhoto } from '../../test/support/sample-product.ts';
import { type BrandKit, DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { decorationKinds, layoutSchema } from '../domain/layout.ts';
import { findStylePack } from '../domain/style-packs.ts';
import { parseHex } from './colors.ts';
import { renderLayoutWithReport } from './layout-renderer.ts';

// The design system as drawn: style packs (palette, fonts), decoration, `when` conditions.

function render(
  layers: unknown[],
  options: {
    params?: Record<string, string>;
    images?: Record<string, Uint8Array>;
    stylePack?: string;
    arrangement?: number;
    seed?: number;
    brand?: BrandKit;
    layoutPack?: string;
  } = {},
) {
  const layout = layoutSchema.parse({
    version: 1,
    referenceWidth: 600,
    layers,
    ...(options.layoutPack ? { stylePack: options.layoutPack } : {}),
  });
  return renderLayoutWithReport({
    layout,
    brand: options.brand ?? DEFAULT_BRAND_KIT,
    params: options.params ?? {},
    images: options.images ?? {},
    width: 600,
    height: 600,
    seed: options.seed ?? 3,
    ...(options.stylePack ? { stylePack: options.stylePack } : {}),
    ...(options.arrangement !== undefined ? { arrangement: options.arrangement } : {}),
  });
}

type Rendered = Awaited<ReturnType<typeof render>>;

function pixel(rendered: Rendered, x: number, y: number) {
  const [r, g, b] = rendered.canvas.getContext('2d').getImageData(x, y, 1, 1).data;
  return [r!, g!, b!];
}

/** Whether a pixel shows this colour (the seed's faint corner glow may shift a channel by a few). */
function assertColor(rendered: Rendered, x: number, y: number, hex: string, message?: string) {
  const { r, g, b } = parseHex(hex);
  const got = pixel(rendered, x, y);
  const near = [r, g, b].every((channel, index) => Math.abs(channel - got[index]!) <= 3);
  assert.ok(near, `${message ?? ''} ${JSON.stringify(got)} is not ${hex}`);
}

/** The mean change per channel between two renders, 0..255. */
function meanChange(a: Rendered, b: Rendered): number {
  const [x, y] = [a.canvas, b.canvas].map(
    (canvas) => canvas.getContext('2d').getImageData(0, 0, 600, 600).data,
  );
  let sum = 0;
  for (let index = 0; index < x!.length; index += 1)
    if (index % 4 !== 3) sum += Math.abs(x![index]! - y![index]!);
  return sum / ((x!.length / 4) * 3);
}

/** The share of pixels that differ between two renders. */
function changedShare(a: Rendered, b: Rendered): number {
  const [x, y] = [a.canvas, b.canvas].map(
    (canvas) => canvas.getContext('2d').getImageData(0, 0, 600, 600).data,
  );
  let changed = 0;
  for (let index = 0; index < x!.length; index += 4) {
    if (x![index] !== y![index] || x![index + 1] !== y![index + 1] || x![index + 2] !== y![index + 2])
      changed += 1;
  }
  return changed / (x!.length / 4);
}

const CARD = [
  { type: 'background', style: 'solid', colors: ['background'] },
  { type: 'shape', shape: 'rect', box: { x: 0.1, y: 0.6, w: 0.8, h: 0.3 }, color: 'surface' },
  {
    type: 'text',
    param: 'title',
    font: 'display',
    box: { x: 0.1, y: 0.1, w: 0.8, h: 0.3 },
    maxSize: 80,
    minSize: 30,
  },
  {
    type: 'text',
    param: 'subtitle',
    font: 'body',
    box: { x: 0.1, y: 0.42, w: 0.8, h: 0.1 },
    maxSize: 30,
    minSize: 16,
  },
];

test('a style pack paints its palette roles and its display face; packs look different', async () => {
  const params = { title: 'Summer Sale 夏季', subtitle: 'Linen shirts' };
  const festive = await render(CARD, { params, stylePack: 'festive' });
  const minimal = await render(CARD, { params, stylePack: 'minimal' });
  const festivePack = findStylePack('festive')!;
  assertColor(festive, 300, 590, festivePack.arrangements[0].background);
  assertColor(festive, 300, 500, festivePack.arrangements[0].surface);
  assertColor(minimal, 300, 590, findStylePack('minimal')!.arrangements[0].background);
  assert.ok(changedShare(festive, minimal) > 0.5, 'the packs are different designs');
  assert.match(festive.texts[0]!.font, /^400 .*"ZCOOL QingKe HuangYou"/);
  assert.match(minimal.texts[0]!.font, /"Montserrat"/);
  const luxury = await render(CARD, { params, stylePack: 'luxury' });
  assert.match(luxury.texts[0]!.font, /"Playfair Display", "Noto Serif SC"/);
  // Festive and tech set Latin display text in capitals.
  assert.deepEqual(festive.texts[0]!.lines.join(' ').includes('SUMMER SALE'), true);
  assert.ok(!minimal.texts[0]!.lines.join(' ').includes('SUMMER'));
});

test('the second palette arrangement is another design; the layout names its default pack', async () => {
  const params = { title: 'Summer Sale' };
  const first = await render(CARD, { params, stylePack: 'tech' });
  const second = await render(CARD, { params, stylePack: 'tech', arrangement: 1 });
  assertColor(second, 300, 590, findStylePack('tech')!.arrangements[1].background);
  assert.ok(changedShare(first, second) > 0.5);
  const fromLayout = await render(CARD, { params, layoutPack: 'tech' });
  assert.equal(changedShare(first, fromLayout), 0, 'the layout pack applies when the request names none');
  const requestWins = await render(CARD, { params, layoutPack: 'tech', stylePack: 'cute' });
  assertColor(requestWins, 300, 590, findStylePack('cute')!.arrangements[0].background);
});

test('a brand other than the default keeps its palette over a pack; no pack: the brand as it is', async () => {
  const params = { title: 'Summer Sale' };
  const branded = await render(CARD, { params, stylePack: 'festive', brand: SECOND_BRAND });
  assertColor(branded, 300, 590, SECOND_BRAND.palette.background);
  assert.match(
    branded.texts[0]!.font,
    /^700 [\d.]+px "Oswald"/,
    'the brand heading font replaces the display face',
  );
  const plain = await render(CARD, { params });
  assertColor(plain, 300, 590, DEFAULT_BRAND_KIT.palette.background);
});

test('every decoration kind paints, the same for every seed; auto follows the pack; minimal draws none', async () => {
  const white = { type: 'background', style: 'solid', colors: ['#ffffff'] };
  const blank = await render([white], { seed: 1 });
  for (const kind of decorationKinds.filter((kind) => kind !== 'auto')) {
    const layers = [white, { type: 'decoration', kind, box: { x: 0, y: 0, w: 1, h: 1 }, color: '#c8102e' }];
    const one = await render(layers, { seed: 1 });
    const two = await render(layers, { seed: 987_654 });
    assert.ok(changedShare(blank, one) > 0.001, `${kind} paints something`);
    assert.ok(meanChange(blank, one) < 25, `${kind} stays restrained: ${meanChange(blank, one)}`);
    assert.equal(changedShare(one, two), 0, `${kind} does not move with the seed`);
  }
  const auto = [white, { type: 'decoration', box: { x: 0, y: 0, w: 1, h: 1 } }];
  assert.equal(changedShare(blank, await render(auto, { stylePack: 'minimal', seed: 1 })), 0);
  assert.equal(changedShare(blank, await render(auto, { seed: 1 })), 0, 'no pack: no vocabulary');
  const festive = await render(auto, { stylePack: 'festive', seed: 1 });
  assert.ok(changedShare(blank, festive) > 0.05, 'festive: sunburst and sparkles');
});

test('motifs keep clear of text boxes', async () => {
  const white = { type: 'background', style: 'solid', colors: ['#ffffff'] };
  const title = {
    type: 'text',
    param: 'title',
    color: '#000000',
    box: { x: 0, y: 0, w: 0.3, h: 0.2 },
    maxSize: 40,
    minSize: 30,
  };
  const sparkles = {
    type: 'decoration',
    kind: 'sparkles',
    box: { x: 0, y: 0, w: 1, h: 1 },
    color: '#ff0000',
  };
  const { canvas } = await render([white, sparkles, title], { params: { title: ' ' } });
  // The top-left spot is taken by the (blank) title's box: no red glint there.
  const { data } = canvas.getContext('2d').getImageData(0, 0, 180, 120);
  for (let index = 0; index < data.length; index += 4) {
    assert.ok(!(data[index]! > 200 && data[index + 1]! < 120), 'a sparkle inside the text box');
  }
});

test('`when` skips a layer: no photo, no plate; the typographic layer takes its place', async () => {
  const layers = [
    { type: 'background', style: 'solid', colors: ['#ffffff'] },
    {
      type: 'shape',
      shape: 'ellipse',
      box: { x: 0.2, y: 0.2, w: 0.6, h: 0.6 },
      color: '#888888',
      when: { has: ['product_image'] },
    },
    { type: 'product', param: 'product_image', box: { x: 0.3, y: 0.3, w: 0.4, h: 0.4 } },
    {
      type: 'text',
      param: 'title',
      box: { x: 0.05, y: 0.02, w: 0.9, h: 0.2 },
      maxSize: 60,
      minSize: 20,
      when: { missing: ['product_image'] },
    },
    {
      type: 'text',
      param: 'title',
      box: { x: 0.05, y: 0.8, w: 0.9, h: 0.15 },
      maxSize: 40,
      minSize: 20,
      when: { has: ['product_image'] },
    },
  ];
  const without = await render(layers, { params: { title: 'Big type' } });
  assert.deepEqual(pixel(without, 300, 150), [255, 255, 255], 'no grey plate without a photo');
  assert.equal(without.texts.length, 1);
  assert.equal(without.texts[0]!.layerIndex, 3);
  const withPhoto = await render(layers, {
    params: { title: 'Big type' },
    images: { product_image: sampleProductPhoto() },
  });
  assert.equal(withPhoto.texts.length, 1);
  assert.equal(withPhoto.texts[0]!.layerIndex, 4);
  assert.deepEqual(pixel(withPhoto, 130, 300), [136, 136, 136], 'the plate is drawn with a photo');
});

test('shadows follow the pack: none for tech, soft for minimal, a crisp offset for cute', async () => {
  const canvas = createCanvas(64, 64);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#3366cc';
  ctx.fillRect(0, 0, 64, 64);
  const photo = new Uint8Array(canvas.toBuffer('image/png'));
  const layers = [
    { type: 'background', style: 'solid', colors: ['#ffffff'] },
    { type: 'image', param: 'photo', box: { x: 0.3, y: 0.3, w: 0.4, h: 0.4 } },
  ];
  const shade = async (stylePack: string) => {
    const rendered = await render(layers, { stylePack, images: { photo } });
    // Just right of the card's lower-right corner, and just below its middle.
    return { right: pixel(rendered, 428, 400)[0]!, below: pixel(rendered, 300, 428)[0]! };
  };
  const none = await shade('tech');
  const soft = await shade('minimal');
  const crisp = await shade('cute');
  assert.deepEqual(none, { right: 255, below: 255 }, 'tech: no shadow');
  assert.ok(soft.below < 250, `minimal: a soft shadow below (${soft.below})`);
  assert.ok(
    crisp.right < 250 && crisp.right < soft.right,
    `cute: offset to the right (${crisp.right} vs ${soft.right})`,
  );
});
