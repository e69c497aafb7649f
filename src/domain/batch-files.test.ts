import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchFileNamer, batchFileName } from './batch-files.ts';

test('file names are unique across a batch, without regard to case, with image suffixes counted', () => {
  const namer = new BatchFileNamer();
  assert.equal(namer.assign('A/1', 2, 1), 'A_1');
  assert.equal(namer.assign('A_1', 3, 1), 'A_1_row3');
  assert.equal(namer.assign('a_1', 4, 1), 'a_1_row4');
  assert.equal(namer.assign('B-2', 5, 1), 'B-2');
  assert.equal(namer.assign('B', 6, 2), 'B_row6', 'B-1 and B-2: B-2 is taken');
  assert.equal(namer.assign(null, 7, 1), 'row-7');
  assert.equal(namer.assign('row-7', 8, 1), 'row-7_row8');
  assert.equal(batchFileName('B_row6', 1, 2, 'jpeg'), 'B_row6-2.jpg');
  assert.equal(batchFileName('A_1', 0, 1, 'png'), 'A_1.png');
});
