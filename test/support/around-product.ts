import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Loose } from './http.ts';
import { sampleProductPhoto } from './sample-product.ts';
import type { InProcessServer } from './server.ts';

// Checks of an AI background painted around the product (test/e2e/ai-backgrounds.test.ts).

interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

export async function raw(bytes: Uint8Array): Promise<Raw> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The `story` template's product box per composition (src/domain/builtin-templates-social.ts), as fractions. */
const STORY_PRODUCT_BOX: Record<string, { x: number; y: number; w: number; h: number }> = {
  base: { x: 0.06, y: 0.34, w: 0.88, h: 0.38 },
  'text-below': { x: 0.06, y: 0.18, w: 0.88, h: 0.4 },
};

/** Pixels whose `keep` value holds and whose neighbours within `margin` hold too: strictly inside. */
function interior(keep: (index: number) => boolean, width: number, height: number, margin: number): number[] {
  const inside: number[] = [];
  for (let y = margin; y < height - margin; y += 1) {
    for (let x = margin; x < width - margin; x += 1) {
      let all = true;
      for (let dy = -margin; dy <= margin && all; dy += margin) {
        for (let dx = -margin; dx <= margin && all; dx += margin) {
          if (!keep((y + dy) * width + (x + dx))) all = false;
        }
      }
      if (all) inside.push(y * width + x);
    }
  }
  return inside;
}

export async function uploadPhoto(server: InProcessServer): Promise<string> {
  const upload = await fetch(`${server.url}/v1/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'image/png' },
    body: sampleProductPhoto(600, 800),
  });
  assert.equal(upload.status, 201, await upload.clone().text());
  return ((await upload.json()) as Loose).id as string;
}

export async function imagesOf(job: Loose): Promise<Uint8Array[]> {
  return Promise.all(
    (job.images as Loose[]).map(
      async (image) => new Uint8Array(await (await fetch(image.url)).arrayBuffer()),
    ),
  );
}

/**
 * The mask sent keeps the product (opaque) inside the design's product box and lets the model paint
 * everywhere else (alpha 0); the init image shows the product there on a flat canvas; every output
 * image shows the product's own pixels (the init image's, within 1 level) strictly inside the mask.
 */
export async function assertAroundProduct(
  job: Loose,
  init: Uint8Array,
  mask: Uint8Array,
  outputs: Uint8Array[],
) {
  const [image, keep] = [await raw(init), await raw(mask)];
  assert.deepEqual([image.width, image.height, keep.width, keep.height], [1080, 1920, 1080, 1920]);
  const design = (job.warnings as Loose[]).find((warning) => warning.code === 'design')?.data.designs[0];
  const fraction = STORY_PRODUCT_BOX[design?.composition];
  assert.ok(fraction, `a known composition: ${JSON.stringify(design)}`);
  const box = {
    x0: Math.floor(fraction.x * 1080),
    y0: Math.floor(fraction.y * 1920),
    x1: Math.ceil((fraction.x + fraction.w) * 1080),
    y1: Math.ceil((fraction.y + fraction.h) * 1920),
  };
  const alphaAt = (index: number) => keep.data[index * 4 + 3]!;
  let opaque = 0;
  for (let index = 0; index < 1080 * 1920; index += 1) {
    const [x, y] = [index % 1080, Math.floor(index / 1080)];
    const alpha = alphaAt(index);
    assert.ok(alpha === 0 || alpha === 255, `the mask is either keep or paint, got alpha ${alpha}`);
    if (alpha === 255) {
      opaque += 1;
      assert.ok(
        x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1,
        `kept pixel (${x}, ${y}) outside the product box`,
      );
    }
  }
  const boxArea = (box.x1 - box.x0) * (box.y1 - box.y0);
  assert.ok(opaque > boxArea * 0.15, `the product is kept: ${opaque} of ${boxArea} box pixels`);
  // The canvas around the product is one flat colour: the product's surroundings are the model's to paint.
  const corner = [...image.data.subarray(0, 3)];
  const far = (1919 * 1080 + 1079) * 4;
  assert.deepEqual([...image.data.subarray(far, far + 3)], corner);

  const inside = interior((index) => alphaAt(index) === 255, 1080, 1920, 1);
  assert.ok(inside.length > opaque * 0.8, 'a solid product interior to compare');
  let productish = 0;
  for (const index of inside) if (Math.abs(image.data[index * 4]! - corner[0]!) > 20) productish += 1;
  assert.ok(productish > inside.length * 0.5, 'the init image shows the product under the kept mask');
  for (const [position, output] of outputs.entries()) {
    const drawn = await raw(output);
    assert.deepEqual([drawn.width, drawn.height], [1080, 1920]);
    let worst = 0;
    for (const index of inside) {
      for (let channel = 0; channel < 3; channel += 1) {
        worst = Math.max(
          worst,
          Math.abs(drawn.data[index * 4 + channel]! - image.data[index * 4 + channel]!),
        );
      }
    }
    assert.ok(
      worst <= 1,
      `image ${position}: the product's pixels are untouched (worst difference ${worst})`,
    );
    // Around the product the model's scene shows, not the flat init canvas.
    let changed = 0;
    for (let index = 0; index < 1080 * 1920; index += 97) {
      if (alphaAt(index) === 0 && Math.abs(drawn.data[index * 4 + 2]! - image.data[index * 4 + 2]!) > 8)
        changed += 1;
    }
    assert.ok(changed > (1080 * 1920) / 97 / 3, `image ${position}: the background is the model's`);
  }
}
