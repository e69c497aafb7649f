import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../domain/errors.ts';
import { type BlobStore, DERIVED_NAME_PATTERN, SHA256_PATTERN } from './spec.ts';

/**
 * Blobs under `<root>/<aa>/<bb>/<sha256>`; derived blobs under `<root>/derived/<aa>/<name>`.
 * Every write goes to a temporary file in the same folder and is renamed into place, so a reader
 * (or a crash) never sees half a file.
 */
export function createLocalBlobStore(root: string): BlobStore {
  const blobPath = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  const derivedPath = (name: string) => path.join(root, 'derived', name.slice(0, 2), name);

  return {
    kind: 'file',
    location: root,
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const target = blobPath(sha256);
      if (!(await exists(target))) await writeAtomically(target, bytes);
      return sha256;
    },
    async get(sha256) {
      if (!SHA256_PATTERN.test(sha256)) return null;
      return readIfExists(blobPath(sha256));
    },
    async has(sha256) {
      return SHA256_PATTERN.test(sha256) && exists(blobPath(sha256));
    },
    async putDerived(name, bytes) {
      if (!DERIVED_NAME_PATTERN.test(name)) throw new Error(`invalid derived blob name: ${name}`);
      await writeAtomically(derivedPath(name), bytes);
    },
    async getDerived(name) {
      if (!DERIVED_NAME_PATTERN.test(name)) return null;
      return readIfExists(derivedPath(name));
    },
    async hasDerived(name) {
      return DERIVED_NAME_PATTERN.test(name) && exists(derivedPath(name));
    },
    async checkWritable() {
      await writeAtomically(path.join(root, '.write-check'), Buffer.from(String(Date.now())));
    },
  };
}

async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(temporary, bytes, { flush: true });
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('storage_failed', `Could not write to the asset store (${code ?? 'error'})`, {
      cause: error,
      // A full disk may clear up; a permission problem will not.
      retryable: code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS',
    });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function readIfExists(file: string): Promise<Uint8Array | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('storage_failed', 'Could not read from the asset store', { cause: error });
  }
}
