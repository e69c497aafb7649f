import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ColourPair, fitLight, labOf } from './light-fit.ts';

type Rgb = [number, number, number];
const warm = ([r, g, b]: Rgb): Rgb => [Math.min(255, r * 1.12 + 10), g + 4, Math.max(0, b * 0.8 - 6)];
const dim = ([r, g, b]: Rgb): Rgb => [r * 0.6, g * 0.6, b * 0.6];
const pairs = (colours: Array<[number, Rgb]>, light: (rgb: Rgb) => Rgb): ColourPair[] =>
  colours.map(([share, rgb]) => ({ share, reference: rgb, photo: light(rgb) }));

const navyTee: Array<[number, Rgb]> = [
  [0.85, [31, 47, 90]],
  [0.1, [242, 193, 78]],
  [0.05, [232, 232, 232]],
];

test('CIELAB of white, black and a saturated red', () => {
  assert.ok(Math.abs(labOf(255, 255, 255)[0] - 100) < 0.1);
  assert.ok(Math.abs(labOf(0, 0, 0)[0]) < 0.1);
  const [, a, b] = labOf(255, 0, 0);
  assert.ok(a > 70 && b > 60);
});

test('the same colours under warm or dim light are explained by a light', () => {
  assert.ok(fitLight(pairs(navyTee, (rgb) => rgb)).residual < 0.5);
  // Below the same-item threshold (ΔE 11, domain/same-item.ts); another colourway leaves 15 or more.
  assert.ok(fitLight(pairs(navyTee, warm)).residual < 8, 'warm');
  assert.ok(fitLight(pairs(navyTee, dim)).residual < 8, 'dim');
});

test('another colourway is not: a grey body photographed as pink, a navy one as red', () => {
  const greyAsPink: ColourPair[] = [{ share: 1, reference: [138, 143, 153], photo: warm([229, 143, 176]) }];
  assert.ok(fitLight(greyAsPink).residual > 15, `grey → pink: ${fitLight(greyAsPink).residual}`);
  const navyAsRed: ColourPair[] = [
    { share: 0.85, reference: [31, 47, 90], photo: [179, 32, 44] },
    { share: 0.15, reference: [242, 193, 78], photo: [255, 255, 255] },
  ];
  assert.ok(fitLight(navyAsRed).residual > 15);
});
