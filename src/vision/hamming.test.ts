import assert from 'node:assert/strict';
import { test } from 'node:test';
import { descriptorWords, nearestTwo } from './hamming.ts';
import { loadOpenCv } from './opencv.ts';
import { extractOrb } from './orb-matcher.ts';

/** A 32-byte descriptor with the first `ones` bits set. */
function descriptor(ones: number): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let bit = 0; bit < ones; bit += 1) bytes[bit >> 3]! |= 1 << (bit & 7);
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.length * 32);
  for (const [index, part] of parts.entries()) all.set(part, index * 32);
  return all;
}

test('the nearest and second-nearest descriptor by counted bits, ties included', () => {
  const train = descriptorWords(concat([descriptor(200), descriptor(10), descriptor(40), descriptor(256)]));
  const query = descriptorWords(concat([descriptor(12), descriptor(250), descriptor(25)]));
  const result = nearestTwo(query, train);
  // 12 ones: 2 bits from the 10, 28 from the 40.
  assert.deepEqual([result.best[0], result.bestDistance[0], result.secondDistance[0]], [1, 2, 28]);
  // 250 ones: 6 from the 256, 50 from the 200.
  assert.deepEqual([result.best[1], result.bestDistance[1], result.secondDistance[1]], [3, 6, 50]);
  // 25 ones: 15 from both the 10 and the 40 — a tie is its own second.
  assert.deepEqual([result.bestDistance[2], result.secondDistance[2]], [15, 15]);
});

test('an empty train set has no neighbour; a single one has no second', () => {
  const query = descriptorWords(descriptor(3));
  assert.deepEqual(Array.from(nearestTwo(query, new Uint32Array()).best), [-1]);
  const single = nearestTwo(query, descriptorWords(descriptor(0)));
  assert.deepEqual([single.best[0], single.bestDistance[0], single.secondDistance[0]], [0, 3, 257]);
});

test('the same neighbours as OpenCV brute-force knnMatch on ORB descriptors of two pictures', async () => {
  const { cv } = await loadOpenCv();
  const [width, height] = [240, 180];
  const picture = (shift: number) => {
    const grey = new Uint8Array(width * height);
    for (let y = 0; y < height; y += 1)
      for (let x = 0; x < width; x += 1)
        grey[y * width + x] = ((((x + shift) >> 4) ^ (y >> 3)) * 97 + ((x * y) >> 7)) & 255;
    return grey;
  };
  const reference = await extractOrb(picture(0), width, height, { features: 300 });
  const photo = await extractOrb(picture(5), width, height, { features: 200 });
  assert.ok(reference.count > 100 && photo.count > 100, `${reference.count}, ${photo.count} keypoints`);
  const ours = nearestTwo(reference.words, photo.words);

  const mat = (features: typeof reference) => {
    const m = new cv.Mat(features.count, 32, cv.CV_8UC1);
    m.data.set(features.descriptors);
    return m;
  };
  const query = mat(reference);
  const train = mat(photo);
  const matcher = new cv.BFMatcher(cv.NORM_HAMMING, false);
  const knn = new cv.DMatchVectorVector();
  try {
    matcher.knnMatch(query, train, knn, 2);
    assert.equal(knn.size(), reference.count);
    for (let index = 0; index < knn.size(); index += 1) {
      const [first, second] = [knn.get(index).get(0), knn.get(index).get(1)];
      assert.equal(ours.bestDistance[index], first.distance, `descriptor ${index}`);
      assert.equal(ours.secondDistance[index], second.distance, `descriptor ${index}`);
      // On a tie either index is the nearest; otherwise it must be the same one.
      if (first.distance < second.distance) assert.equal(ours.best[index], first.trainIdx);
    }
  } finally {
    query.delete();
    train.delete();
    matcher.delete();
    knn.delete();
  }
});

test('sets larger than the WebAssembly memory first holds: the same as counting every bit', () => {
  const words = (count: number, salt: number) =>
    Uint32Array.from({ length: count * 8 }, (_, at) => Math.imul(at + salt, 2_654_435_761) ^ (at * 40_503));
  const query = words(1500, 1);
  const train = words(2500, 99);
  const result = nearestTwo(query, train);
  const bitsOf = (value: number) => {
    let count = 0;
    for (let rest = value >>> 0; rest !== 0; rest >>>= 1) count += rest & 1;
    return count;
  };
  for (const index of [0, 1, 777, 1499]) {
    const distances = Array.from({ length: 2500 }, (_, candidate) => {
      let distance = 0;
      for (let word = 0; word < 8; word += 1)
        distance += bitsOf(query[index * 8 + word]! ^ train[candidate * 8 + word]!);
      return distance;
    });
    const sorted = [...distances].sort((a, b) => a - b);
    assert.equal(result.bestDistance[index], sorted[0]);
    assert.equal(result.secondDistance[index], sorted[1]);
    assert.equal(result.best[index], distances.indexOf(sorted[0]!));
  }
});
