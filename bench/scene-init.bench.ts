/**
 * The init image and mask of an AI background painted around the product (issue 12 item 4): the
 * `story` layout at 1080×1920 with the README's shirt photo (examples/shirt.jpg, 1200×1500) — lay
 * out, cut out, draw, encode both PNGs — in this process, as a render process does it. The cut-out
 * cache is per byte array, so each round passes a fresh copy of the photo (a cold cut-out).
 *
 *   node bench/scene-init.bench.ts [--rounds 5]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_BRAND_KIT } from '../src/domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../src/domain/builtin-templates.ts';
import { layoutSchema } from '../src/domain/layout.ts';
import { sceneInit } from '../src/render/scene-init.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Math.max(1, Number(values.rounds));
const story = BUILTIN_TEMPLATES.find((template) => template.name === 'story')!;
const photo = new Uint8Array(readFileSync(new URL('../examples/shirt.jpg', import.meta.url)));
const wall: number[] = [];
const cpu: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  const started = performance.now();
  const usage = process.cpuUsage();
  const scene = await sceneInit({
    layout: layoutSchema.parse(story.layout),
    brand: DEFAULT_BRAND_KIT,
    params: { title: '夏季清仓促销' },
    images: { product_image: photo.slice() },
    width: 1080,
    height: 1920,
    seed: 0,
  });
  const used = process.cpuUsage(usage);
  wall.push(performance.now() - started);
  cpu.push((used.user + used.system) / 1000);
  if (!scene) throw new Error('no scene: the shirt did not cut out');
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
console.log(
  `scene init, story 1080×1920, shirt 1200×1500, ${rounds} rounds: median ${median(wall).toFixed(0)} ms wall, ` +
    `${median(cpu).toFixed(0)} ms CPU; slowest ${Math.max(...wall).toFixed(0)} ms wall`,
);
