/**
 * Product cut-out: time per photo at 1024 px and accuracy over the product-photo set (issue 12),
 * side by side in one run:
 *   - `vitrine`: the backdrop-model cut-out (src/imaging/cutout.ts), the whole path (decode, EXIF,
 *     analysis at 512 px, matte, PNG) — what a render does;
 *   - `flood-v1`: the edge-connected colour flood it replaced (RGB distance ≤ 42 to the border's
 *     median colour), re-implemented here as the baseline;
 *   - `grabcut`: OpenCV.js GrabCut (5 iterations at 400 px, rectangle inset 4 %, the recipe probed
 *     for issue 12), mask scaled back up;
 *   - `onnx-tiny`: the ONNX matting path with the tiny test graph (time only: it is not a model).
 *
 *   node bench/cutout.bench.ts [--rounds 3] [--methods vitrine,flood-v1,grabcut,onnx-tiny]
 *
 * The set is drawn at 1024 px wide from test/photos/photo-set.ts (the committed files are the same
 * drawings at 480 px). IoU is measured against the truth mask at 1024 px; "pieces" counts the
 * 8-connected pieces of the kept pixels (alpha ≥ 128).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { cutOutProduct } from '../src/imaging/cutout.ts';
import { loadOpenCv } from '../src/vision/opencv.ts';
import { PHOTO_CASES, renderPhotoCase } from '../test/photos/photo-set.ts';
import { scoreMask } from '../test/photos/scoring.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    methods: { type: 'string', default: 'vitrine,flood-v1,grabcut,onnx-tiny' },
  },
});
const rounds = Math.max(1, Number(values.rounds));
const methods = values.methods.split(',');
const WIDTH = 1024;

type Cut = (bytes: Uint8Array) => Promise<{ alpha: Uint8Array; width: number; height: number }>;

async function decode(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes)
    .rotate()
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgba: new Uint8Array(data), width: info.width, height: info.height };
}

const vitrine: Cut = async (bytes) => {
  const result = await cutOutProduct(bytes, { trim: false });
  const { data, info } = await sharp(result.png)
    .ensureAlpha()
    .extractChannel(3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { alpha: new Uint8Array(data), width: info.width, height: info.height };
};

/** The first release's cut-out: flood from the border over pixels within RGB 42 of its median. */
const floodV1: Cut = async (bytes) => {
  const { rgba, width, height } = await decode(bytes);
  const border: number[] = [];
  for (let x = 0; x < width; x += 1) border.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y += 1) border.push(y * width, y * width + width - 1);
  const median = (c: number) => {
    const sorted = border.map((i) => rgba[i * 4 + c]!).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const bg = [median(0), median(1), median(2)];
  const near = (i: number) =>
    Math.hypot(rgba[i * 4]! - bg[0]!, rgba[i * 4 + 1]! - bg[1]!, rgba[i * 4 + 2]! - bg[2]!) <= 42;
  const seen = new Uint8Array(width * height);
  const queue: number[] = [];
  const visit = (i: number) => {
    if (i < 0 || i >= width * height || seen[i] || !near(i)) return;
    seen[i] = 1;
    queue.push(i);
  };
  for (const i of border) visit(i);
  for (let head = 0; head < queue.length; head += 1) {
    const i = queue[head]!;
    const x = i % width;
    for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) visit(j);
  }
  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < alpha.length; i += 1) alpha[i] = seen[i] ? 0 : 255;
  return { alpha, width, height };
};

const grabcut: Cut = async (bytes) => {
  const { cv } = await loadOpenCv();
  const { rgba, width, height } = await decode(bytes);
  const scale = Math.min(1, 400 / Math.max(width, height));
  const [w, h] = [Math.round(width * scale), Math.round(height * scale)];
  const small = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .resize(w, h)
    .removeAlpha()
    .raw()
    .toBuffer();
  const image = cv.matFromArray(h, w, cv.CV_8UC3, Array.from(small));
  const mask = new cv.Mat();
  const bgModel = new cv.Mat();
  const fgModel = new cv.Mat();
  const inset = Math.round(Math.min(w, h) * 0.04);
  const rect = new cv.Rect(inset, inset, w - 2 * inset, h - 2 * inset);
  cv.grabCut(image, mask, rect, bgModel, fgModel, 5, cv.GC_INIT_WITH_RECT);
  const out = new Uint8Array(w * h);
  for (let i = 0; i < out.length; i += 1) {
    const label = mask.data[i]!;
    out[i] = label === cv.GC_FGD || label === cv.GC_PR_FGD ? 255 : 0;
  }
  for (const mat of [image, mask, bgModel, fgModel]) mat.delete();
  const alpha = await sharp(out, { raw: { width: w, height: h, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return { alpha: new Uint8Array(alpha), width, height };
};

async function onnxTiny(): Promise<Cut> {
  const { writeTinyMattingModel } = await import('../test/support/tiny-onnx.ts');
  const { OnnxMattingRemover } = await import('../src/imaging/onnx-matting.ts');
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-onnx-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const remover = await OnnxMattingRemover.load(writeTinyMattingModel(dir));
  return async (bytes) => {
    const result = await remover.removeBackground(bytes);
    const { data, info } = await sharp(result.png)
      .ensureAlpha()
      .extractChannel(3)
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { alpha: new Uint8Array(data), width: info.width, height: info.height };
  };
}

const photos = PHOTO_CASES.map((photoCase) => ({
  name: photoCase.name,
  ...renderPhotoCase(photoCase, WIDTH),
}));
const cuts: Record<string, () => Promise<Cut>> = {
  vitrine: async () => vitrine,
  'flood-v1': async () => floodV1,
  grabcut: async () => {
    const started = performance.now();
    await loadOpenCv();
    console.error(`OpenCV loaded in ${Math.round(performance.now() - started)} ms (not counted)`);
    return grabcut;
  },
  'onnx-tiny': onnxTiny,
};

const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: string[] = [];
const perPhoto: Record<string, string[]> = {};
for (const method of methods) {
  const cut = await cuts[method]!();
  await cut(photos[0]!.bytes); // warm-up (JIT, libvips)
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const ious: number[] = [];
  let split = 0;
  for (const photo of photos) {
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    let last: Awaited<ReturnType<Cut>> | undefined;
    for (let round = 0; round < rounds; round += 1) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      last = await cut(photo.bytes);
      samples.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      cpuSamples.push((used.user + used.system) / 1000);
    }
    times.push(median(samples));
    cpuTimes.push(median(cpuSamples));
    if (method === 'onnx-tiny') continue;
    const score = scoreMask(last!.alpha, photo.truth, last!.width, last!.height);
    ious.push(score.iou);
    if (score.pieces !== 1) split += 1;
    perPhoto[photo.name] ??= [];
    perPhoto[photo.name]!.push(
      `${score.iou.toFixed(3)}${score.pieces !== 1 ? ` (${score.pieces} pieces)` : ''}`,
    );
  }
  const accuracy =
    ious.length > 0
      ? `${(ious.reduce((a, b) => a + b, 0) / ious.length).toFixed(3)} | ${Math.min(...ious).toFixed(3)} | ${split}/${photos.length}`
      : '– | – | –';
  rows.push(
    `| ${method} | ${median(times).toFixed(0)} | ${median(cpuTimes).toFixed(0)} | ${Math.max(...times).toFixed(0)} | ${accuracy} |`,
  );
}

console.log(`Cut-out at ${WIDTH} px wide, ${photos.length} photos, median of ${rounds} runs per photo\n`);
console.log(
  '| method | median ms / photo (wall) | median CPU ms / photo | slowest ms (wall) | mean IoU | worst IoU | split or fragmented |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
const scored = methods.filter((method) => method !== 'onnx-tiny');
console.log(`\n| photo | ${scored.join(' | ')} |`);
console.log(`|---|${scored.map(() => '---:').join('|')}|`);
for (const [name, scores] of Object.entries(perPhoto)) console.log(`| ${name} | ${scores.join(' | ')} |`);
