import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { GOLDEN_CASES, goldenFile, renderGolden } from '../support/golden-cases.ts';
import { ssim } from '../support/ssim.ts';

// Renders compared with their golden images by SSIM. Regenerate: npm run golden:update.
const folder = path.dirname(fileURLToPath(import.meta.url));
const MIN_SSIM = 0.985;

for (const [name, brand] of GOLDEN_CASES) {
  test(`golden: ${name} in the ${brand} brand matches (SSIM ≥ ${MIN_SSIM})`, async (t) => {
    const file = path.join(folder, goldenFile(name, brand));
    assert.ok(existsSync(file), `${file} is missing: run npm run golden:update`);
    const rendered = await renderGolden(name, brand);
    const golden = await loadImage(readFileSync(file));
    assert.deepEqual([rendered.width, rendered.height], [golden.width, golden.height]);
    const goldenCanvas = createCanvas(golden.width, golden.height);
    goldenCanvas.getContext('2d').drawImage(golden, 0, 0);
    const score = ssim(
      rendered.getContext('2d').getImageData(0, 0, rendered.width, rendered.height).data,
      goldenCanvas.getContext('2d').getImageData(0, 0, golden.width, golden.height).data,
      rendered.width,
      rendered.height,
    );
    t.diagnostic(`SSIM ${score.toFixed(5)}`);
    assert.ok(
      score >= MIN_SSIM,
      `SSIM ${score.toFixed(4)} < ${MIN_SSIM}: if intended, npm run golden:update`,
    );
  });
}

test('the SSIM tolerance catches a real change: another brand is far from the golden', async () => {
  const [name] = GOLDEN_CASES[0];
  const other = await renderGolden(name, 'second');
  const golden = await loadImage(readFileSync(path.join(folder, goldenFile(name, 'default'))));
  const goldenCanvas = createCanvas(golden.width, golden.height);
  goldenCanvas.getContext('2d').drawImage(golden, 0, 0);
  const score = ssim(
    other.getContext('2d').getImageData(0, 0, other.width, other.height).data,
    goldenCanvas.getContext('2d').getImageData(0, 0, golden.width, golden.height).data,
    other.width,
    other.height,
  );
  assert.ok(score < MIN_SSIM, `SSIM ${score.toFixed(4)}`);
});
