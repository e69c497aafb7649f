import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleProductPhoto } from '../../test/support/sample-product.ts';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../domain/builtin-templates.ts';
import { isAppError } from '../domain/errors.ts';
import { layoutSchema } from '../domain/layout.ts';
import type { RenderJob } from './render-job.ts';
import { RenderPool } from './render-pool.ts';

const hero = BUILTIN_TEMPLATES.find((template) => template.name === 'product_hero')!;
// The seed no longer moves anything in a design (variants differ by composition and palette
// arrangement, chosen by the scorer); the arrangement is what makes two renders differ here.
const job = (seed: number): RenderJob => ({
  input: {
    arrangement: seed % 2,
    layout: layoutSchema.parse(hero.layout),
    brand: DEFAULT_BRAND_KIT,
    params: { title: '亚麻衬衫 Linen shirt', price: '¥199' },
    images: {},
    width: 384,
    height: 384,
    seed,
  },
  format: 'png',
  quality: 90,
});

test('render processes give the same bytes as rendering here, each answer to its caller', async () => {
  const inline = new RenderPool({ processes: 0 });
  const pool = new RenderPool({ processes: 2 });
  try {
    const seeds = [1, 2, 3, 4, 5];
    const remote = await Promise.all(seeds.map((seed) => pool.render(job(seed))));
    for (const [index, seed] of seeds.entries()) {
      const here = await inline.render(job(seed));
      assert.deepEqual(Buffer.from(remote[index]!.bytes), Buffer.from(here.bytes));
      assert.deepEqual(remote[index]!.report, here.report, 'the report crosses the process boundary');
      // The image check is made in the render process, on the bytes it answers with.
      assert.deepEqual(remote[index]!.check, {
        ok: true,
        width: 384,
        height: 384,
        format: 'png',
        problems: [],
      });
    }
    assert.notDeepEqual(
      Buffer.from(remote[0]!.bytes),
      Buffer.from(remote[1]!.bytes),
      'the two arrangements differ',
    );
  } finally {
    await pool.close();
  }
});

test('the scene of a background painted around the product is made in a render process, as here', async () => {
  const story = BUILTIN_TEMPLATES.find((template) => template.name === 'story')!;
  const input = {
    layout: layoutSchema.parse(story.layout),
    brand: DEFAULT_BRAND_KIT,
    params: { title: 'Night market' },
    images: { product_image: sampleProductPhoto(300, 400) },
    width: 270,
    height: 480,
    seed: 0,
  };
  const pool = new RenderPool({ processes: 1 });
  try {
    const remote = await pool.sceneInit(input);
    const here = await new RenderPool({ processes: 0 }).sceneInit(input);
    assert.ok(remote && here);
    assert.ok(remote.image instanceof Uint8Array && remote.mask instanceof Uint8Array);
    assert.deepEqual(Buffer.from(remote.mask), Buffer.from(here.mask));
    assert.deepEqual(Buffer.from(remote.image), Buffer.from(here.image));
    assert.deepEqual([remote.product, remote.design], [here.product, here.design]);
    assert.equal(await pool.sceneInit({ ...input, images: {} }), null, 'no product photo, no scene');
  } finally {
    await pool.close();
  }
});

test('a render that fails in its process rejects, and the pool keeps working', async () => {
  const pool = new RenderPool({ processes: 1 });
  try {
    const broken = job(1);
    broken.input.images = { product_image: new Uint8Array([1, 2, 3]) };
    broken.input.layout = layoutSchema.parse({
      ...hero.layout,
      layers: [
        ...hero.layout.layers,
        { type: 'image', param: 'product_image', box: { x: 0, y: 0, w: 1, h: 1 } },
      ],
    });
    await assert.rejects(pool.render(broken), /render failed/);
    const { bytes } = await pool.render(job(2));
    assert.ok(bytes.byteLength > 1000);
  } finally {
    await pool.close();
  }
});

test('render processes killed at any moment, even mid-write, fail only their own renders as retryable; the pool replaces them', async () => {
  const pool = new RenderPool({ processes: 2 });
  const unexpected: unknown[] = [];
  const onUncaught = (error: unknown) => unexpected.push(error);
  process.on('uncaughtException', onUncaught);
  try {
    // A job carrying ~16 MB of image bytes: its IPC write is still going when the kill lands.
    const heavy = job(7);
    heavy.input.images = { ballast: new Uint8Array(16 * 1024 * 1024).fill(7) };
    let killed = 0;
    for (let round = 0; round < 12; round++) {
      const renders = [pool.render(heavy), pool.render(job(round)), pool.render(heavy)];
      const victims = pool.processIds();
      assert.ok(victims.length > 0);
      // Alternate: kill right after sending (mid-write), or once a render process is busy drawing.
      if (round % 2 === 1) await new Promise((resolve) => setImmediate(resolve));
      for (const pid of victims) {
        process.kill(pid, 'SIGKILL');
        killed++;
      }
      // Work sent to a process that is already dead but not yet known to be: the write fails (EPIPE).
      renders.push(pool.render(heavy), pool.render(job(round + 100)));
      const outcomes = await Promise.allSettled(renders);
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') continue;
        assert.ok(isAppError(outcome.reason), `an AppError, not ${String(outcome.reason)}`);
        assert.equal(outcome.reason.code, 'provider_unavailable');
        assert.equal(outcome.reason.retryable, true);
      }
    }
    assert.ok(killed >= 12);
    const { bytes } = await pool.render(job(99));
    assert.ok(bytes.byteLength > 1000, 'a new render process took over');
    assert.ok(pool.processIds().length >= 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unexpected, [], 'no unhandled error event (EPIPE) reached the process');
  } finally {
    process.off('uncaughtException', onUncaught);
    await pool.close();
  }
});
