import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { TempDirs } from '../../test/support/temp.ts';
import { writeTinyMattingModel } from '../../test/support/tiny-onnx.ts';
import { type Brand, DEFAULT_BRAND_KIT } from '../domain/brand.ts';
import { BUILTIN_TEMPLATES } from '../domain/builtin-templates.ts';
import { createStudioProvider } from '../providers/studio/studio-provider.ts';
import { connectedPieces } from './mask-ops.ts';
import { OnnxMattingRemover } from './onnx-matting.ts';

// The ONNX matting path with the tiny test graph (dark pixels are foreground): the adapter feeds
// the model, keeps the main piece, reports what it left out, and the studio uses it when configured.

const dirs = new TempDirs();
after(() => dirs.cleanup());
const modelPath = writeTinyMattingModel(dirs.make('vitrine-matting-'), 320);

function photo(speck: boolean) {
  const canvas = createCanvas(640, 800);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f4f4f4';
  ctx.fillRect(0, 0, 640, 800);
  ctx.fillStyle = '#1d2b3a';
  ctx.beginPath();
  ctx.roundRect(200, 150, 240, 520, 30);
  ctx.fill();
  if (speck) ctx.fillRect(40, 40, 60, 60);
  return canvas.encodeSync('png');
}

test('the tiny matting model cuts the dark product out, in one piece, with the photo size kept', async () => {
  const remover = await OnnxMattingRemover.load(modelPath);
  const result = await remover.removeBackground(photo(false));
  assert.equal(result.method, 'onnx-matting');
  assert.equal(result.cut, true);
  assert.equal(result.confidence.level, 'high', result.note);
  assert.deepEqual([result.width, result.height], [640, 800]);
  const { data } = await sharp(result.png)
    .ensureAlpha()
    .extractChannel(3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  assert.ok(data[400 * 640 + 320]! > 240, 'the product is opaque');
  assert.ok(data[20 * 640 + 20]! < 10, 'the backdrop is transparent');
  const kept = new Uint8Array(data.length);
  for (let index = 0; index < data.length; index += 1) kept[index] = data[index]! >= 128 ? 255 : 0;
  assert.equal(connectedPieces(kept, 640, 800).sizes.length - 1, 1);
  await remover.close();
});

test('a second object is left out and reported', async () => {
  const remover = await OnnxMattingRemover.load(modelPath);
  const result = await remover.removeBackground(photo(true));
  assert.equal(result.intake.otherObjects, 1);
  assert.equal(result.confidence.level, 'medium');
  const { data } = await sharp(result.png)
    .ensureAlpha()
    .extractChannel(3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  assert.ok(data[70 * 640 + 70]! < 10, 'the speck is not in the cut-out');
  await remover.close();
});

test('a missing model file is an error naming the setting', async () => {
  await assert.rejects(OnnxMattingRemover.load('/nonexistent/matting.onnx'), /VITRINE_MATTING_MODEL/);
});

test('the studio cuts products with the configured model and records the method', async () => {
  const studio = createStudioProvider({ mattingModel: modelPath });
  const found = BUILTIN_TEMPLATES.find((template) => template.name === 'product_white_amazon')!;
  const brand: Brand = {
    ...DEFAULT_BRAND_KIT,
    slug: 'default',
    version: 1,
    builtin: true,
    created_at: '',
    updated_at: '',
  };
  const result = await studio.generate(
    {
      prompt: '',
      negativePrompt: '',
      model: 'studio-layout-v1',
      width: 1000,
      height: 1000,
      format: 'png',
      seeds: [1],
      layout: {
        template: { ...found, version: 1, builtin: true, created_at: '', updated_at: '' },
        brand,
        params: { title: 'x' },
        images: { product_image: photo(false) },
      },
    },
    new AbortController().signal,
  );
  const note = result.warnings.find((warning) => warning.type === 'note' && warning.topic === 'cutout');
  assert.ok(note && note.type === 'note');
  assert.equal(note.data?.method, 'onnx-matting');
  const checks = result.images[0]!.quality?.checks ?? [];
  assert.ok(checks.find((check) => check.name === 'product_cutout')?.passed);
  await studio.close();
});
