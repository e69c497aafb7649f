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
    width: 512,
    height: 512,
    seed,
  },
  format: 'png',
  quality: 90,
});

test('a render thread produces the same bytes as rendering in this thread', async () => {
  const inline = new RenderPool({ threads: 0 });
  const threaded = new RenderPool({ threads: 2 });
  try {
    const [local, remote] = await Promise.all([inline.render(job(7)), threaded.render(job(7))]);
    assert.ok(remote.byteLength > 1000);
    assert.deepEqual(Buffer.from(remote), Buffer.from(local));
  } finally {
    await threaded.close();
  }
});

test('renders run in parallel threads and each answer reaches its caller', async () => {
  const pool = new RenderPool({ threads: 2 });
  try {
    const seeds = [1, 2, 3, 4, 5, 6];
    const results = await Promise.all(seeds.map((seed) => pool.render(job(seed))));
    const inline = new RenderPool({ threads: 0 });
    for (const [index, seed] of seeds.entries()) {
      assert.deepEqual(Buffer.from(results[index]!), Buffer.from(await inline.render(job(seed))));
    }
  } finally {
    await pool.close();
  }
});
