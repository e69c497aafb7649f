import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../domain/builtin-templates.ts';
import { layoutSchema } from '../domain/layout.ts';
import type { RenderJob } from './render-job.ts';
import { RenderPool } from './render-pool.ts';

const hero = BUILTIN_TEMPLATES.find((template) => template.name === 'product_hero')!;
const job = (seed: number): RenderJob => ({
  input: {
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
    }
    assert.notDeepEqual(Buffer.from(remote[0]!.bytes), Buffer.from(remote[1]!.bytes), 'seeds differ');
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
