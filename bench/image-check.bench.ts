/**
 * The image check of one rendered 1024² product_hero PNG, both ways, alternated in one process:
 * as the render process now makes it (src/imaging/encoded-check.ts: the file's structure and header,
 * the encoded pixels on a grid) and as the main process made it (decoding the file to a thumbnail).
 *
 *   node bench/image-check.bench.ts [--runs 60]
 */
import { parseArgs } from 'node:util';
import type { Brand } from '../src/domain/brand.ts';
import { DEFAULT_BRAND_KIT } from '../src/domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../src/domain/builtin-templates.ts';
import { layoutSchema } from '../src/domain/layout.ts';
import { checkEncodedPng } from '../src/imaging/encoded-check.ts';
import { checkGeneratedImage } from '../src/imaging/image.processor.ts';
import { chooseCandidates } from '../src/render/candidates.ts';
import {
  canvasPixels,
  encodePixels,
  type RenderLayoutInput,
  renderLayoutWithReport,
} from '../src/render/layout-renderer.ts';

const t = BUILTIN_TEMPLATES.find((x) => x.name === 'product_hero')!;
const brand: Brand = {
  ...DEFAULT_BRAND_KIT,
  slug: 'default',
  version: 1,
  builtin: true,
  created_at: '',
  updated_at: '',
};
const request: RenderLayoutInput = {
  layout: layoutSchema.parse(t.layout),
  brand,
  params: { title: 'Linen shirt No.1', price: '¥100' },
  images: {},
  width: 1024,
  height: 1024,
  seed: 0,
};
const [design] = chooseCandidates(request, 1, { scorer: true });
const { canvas } = await renderLayoutWithReport({ ...design!.input, seed: 1 });
const pixels = canvasPixels(canvas);
const png = await encodePixels(pixels, 'png');
const N = Number(parseArgs({ options: { runs: { type: 'string', default: '60' } } }).values.runs);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const acc = { new: 0, old: 0 };
for (let i = 0; i < N; i++)
  for (const k of i % 2 ? (['new', 'old'] as const) : (['old', 'new'] as const)) {
    const c = cpu();
    const r =
      k === 'new'
        ? await checkEncodedPng(png, pixels.rgba, { width: 1024, height: 1024 })
        : await checkGeneratedImage(png, { width: 1024, height: 1024 });
    acc[k] += cpu() - c;
    if (!r.ok) throw new Error('not ok');
  }
console.log(
  'CPU ms per check of one 1024² product_hero PNG (%d B): in the render process %s, decode check %s',
  png.length,
  (acc.new / N).toFixed(2),
  (acc.old / N).toFixed(2),
);
