import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createLocalBlobStore } from './local.store.ts';

test('stores by sha256 in sharded folders and reads back', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'vitrine-blobs-'));
  const store = createLocalBlobStore(root);
  const bytes = Buffer.from('an image, pretend');
  const sha = await store.put(bytes);
  assert.equal(sha, createHash('sha256').update(bytes).digest('hex'));
  assert.deepEqual(readdirSync(path.join(root, sha.slice(0, 2), sha.slice(2, 4))), [sha]);
  assert.deepEqual(Buffer.from((await store.get(sha))!), bytes);
  assert.equal(await store.has(sha), true);
});

test('writing the same bytes twice keeps one file and leaves no temporary files', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'vitrine-blobs-'));
  const store = createLocalBlobStore(root);
  const bytes = Buffer.from('same');
  const [a, b] = await Promise.all([store.put(bytes), store.put(bytes)]);
  assert.equal(a, b);
  assert.deepEqual(readdirSync(path.join(root, a.slice(0, 2), a.slice(2, 4))), [a]);
});

test('unknown or malformed keys read as null', async () => {
  const store = createLocalBlobStore(mkdtempSync(path.join(tmpdir(), 'vitrine-blobs-')));
  assert.equal(await store.get('0'.repeat(64)), null);
  assert.equal(await store.get('../../etc/passwd'), null);
  assert.equal(await store.getDerived('../x'), null);
});

test('derived blobs round-trip', async () => {
  const store = createLocalBlobStore(mkdtempSync(path.join(tmpdir(), 'vitrine-blobs-')));
  const name = `${'a'.repeat(64)}.w256.webp`;
  await store.putDerived(name, Buffer.from('small'));
  assert.equal(Buffer.from((await store.getDerived(name))!).toString(), 'small');
});

test('an unwritable root is a storage_failed error', async () => {
  const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'vitrine-blobs-')), 'a-file');
  writeFileSync(blocker, 'not a folder');
  const store = createLocalBlobStore(path.join(blocker, 'assets'));
  await assert.rejects(store.put(Buffer.from('x')), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'storage_failed');
    return true;
  });
});
