import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { TempDirs } from '../../test/support/temp.ts';
import { writeTinyEmbeddingModel, writeTinyMattingModel } from '../../test/support/tiny-onnx.ts';
import { OnnxModel } from './onnx-model.ts';

const dirs = new TempDirs();
after(() => dirs.cleanup());

test('an operator-supplied ONNX model loads from its path and runs on the CPU', async () => {
  const dir = dirs.make();
  const model = await OnnxModel.load(writeTinyEmbeddingModel(dir, 8), 'VITRINE_EMBEDDING_MODEL');
  try {
    assert.deepEqual(model.inputNames, ['pixel_values']);
    assert.deepEqual(model.inputShape('pixel_values'), [1, 3, 8, 8]);
    const data = new Float32Array(3 * 64);
    data.fill(0.25, 0, 64);
    data.fill(0.5, 64, 128);
    data.fill(1, 128, 192);
    const { embeddings } = await model.run({ pixel_values: { data, dims: [1, 3, 8, 8] } });
    assert.deepEqual(embeddings?.dims, [1, 3]);
    assert.deepEqual([...(embeddings?.data ?? [])], [0.25, 0.5, 1]);
  } finally {
    await model.close();
  }
});

test('the tiny matting graph makes dark pixels foreground', async () => {
  const dir = dirs.make();
  const model = await OnnxModel.load(writeTinyMattingModel(dir, 2), 'VITRINE_MATTING_MODEL');
  try {
    // Pixel 0 black, the other three white, in all three channels.
    const data = Float32Array.from([0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1]);
    const { alpha } = await model.run({ input: { data, dims: [1, 3, 2, 2] } });
    assert.deepEqual(alpha?.dims, [1, 1, 2, 2]);
    assert.ok((alpha?.data[0] ?? 0) > 0.99);
    assert.ok((alpha?.data[1] ?? 1) < 0.01);
  } finally {
    await model.close();
  }
});

test('a missing or invalid model file is an error naming the setting and the path', async () => {
  const dir = dirs.make();
  await assert.rejects(
    OnnxModel.load(path.join(dir, 'nope.onnx'), 'VITRINE_MATTING_MODEL'),
    (error: Error) => {
      assert.match(error.message, /VITRINE_MATTING_MODEL: cannot read the model file .*nope\.onnx/);
      return true;
    },
  );
  const garbage = path.join(dir, 'garbage.onnx');
  writeFileSync(garbage, 'not a model');
  await assert.rejects(OnnxModel.load(garbage, 'VITRINE_MATTING_MODEL'), /not a model ONNX Runtime can load/);
});
