import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BUILTIN_TEMPLATES } from '../../src/domain/builtin-templates.ts';
import {
  comparePixels,
  compareWithGolden,
  MAX_CHANGED_SHARE,
  MIN_SSIM,
  matchesGolden,
  pixelsOf,
} from '../support/golden-compare.ts';
import { renderSample, sampleFile, samplePacks, scaled } from '../support/sample-renders.ts';

// A golden image per built-in template × style pack, at a quarter of its size (small files): the
// template's own pack with the product photo, the second pack without one, each as the engine
// chooses the design. After an intended visual change regenerate them and look at the diff:
//   UPDATE_GOLDENS=1 node --test test/golden/templates.test.ts
const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');
const QUARTER = 0.25;

for (const template of BUILTIN_TEMPLATES) {
  const [own, second] = samplePacks(template);
  for (const [pack, withPhoto] of [
    [own, true],
    [second, false],
  ] as const) {
    test(`golden: ${template.name} in ${pack} ${withPhoto ? 'with a photo' : 'without a photo'}`, async (t) => {
      const sample = await renderSample(template, pack, withPhoto);
      const comparison = await compareWithGolden(
        scaled(sample.canvas, QUARTER),
        path.join(folder, sampleFile(template.name, pack, withPhoto)),
      );
      t.diagnostic(
        `SSIM ${comparison.ssim.toFixed(4)}, ${(comparison.changed * 100).toFixed(2)}% pixels changed`,
      );
      assert.ok(
        matchesGolden(comparison),
        `SSIM ${comparison.ssim.toFixed(4)} (min ${MIN_SSIM}), ${(comparison.changed * 100).toFixed(2)}% changed (max ${MAX_CHANGED_SHARE * 100}%): if intended, UPDATE_GOLDENS=1 node --test test/golden/templates.test.ts`,
      );
    });
  }
}

test('the golden tolerance catches a real change: another style pack is far from the golden', async () => {
  const template = BUILTIN_TEMPLATES.find((candidate) => candidate.name === 'product_hero')!;
  const [own, second] = samplePacks(template);
  const a = scaled((await renderSample(template, own, true)).canvas, QUARTER);
  const b = scaled((await renderSample(template, second, true)).canvas, QUARTER);
  const comparison = comparePixels(pixelsOf(a), pixelsOf(b), a.width, a.height);
  assert.equal(matchesGolden(comparison), false, JSON.stringify(comparison));
  assert.ok(matchesGolden(comparePixels(pixelsOf(a), pixelsOf(a), a.width, a.height)));
});
