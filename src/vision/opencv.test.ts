import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadOpenCv } from './opencv.ts';

test('OpenCV loads once, works, and is shared', async () => {
  const [{ cv }, again] = await Promise.all([loadOpenCv(), loadOpenCv()]);
  assert.equal(cv, again.cv);
  const image = new cv.Mat(4, 6, cv.CV_8UC1, new cv.Scalar(7));
  try {
    assert.equal(image.rows, 4);
    assert.equal(image.cols, 6);
    assert.equal(cv.countNonZero(image), 24);
  } finally {
    image.delete();
  }
});
