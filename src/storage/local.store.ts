import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
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

/** One stored file of a local store, as a migration walks it. */
export interface LocalBlobFile {
  kind: 'blob' | 'derived';
  /** The sha256 of a blob, or the name of a derived blob. */
  name: string;
  path: string;
  bytes: number;
}

const HEX2 = /^[0-9a-f]{2}$/;

/**
 * The files of a local store, shard by shard (`00`…`ff`): for each shard its blobs
 * (`<aa>/<bb>/<sha256>`) and its derived blobs (`derived/<aa>/<name>`). Temporary files of
 * interrupted writes and anything else are left out.
 */
export async function* listLocalBlobShards(
  root: string,
): AsyncGenerator<{ shard: string; files: LocalBlobFile[] }> {
  const shards = new Set<string>();
  for (const entry of await readdirIfExists(root)) if (HEX2.test(entry)) shards.add(entry);
  for (const entry of await readdirIfExists(path.join(root, 'derived')))
    if (HEX2.test(entry)) shards.add(entry);
  for (const shard of [...shards].sort()) {
    const files: LocalBlobFile[] = [];
    for (const second of await readdirIfExists(path.join(root, shard))) {
      if (!HEX2.test(second)) continue;
      for (const name of await readdirIfExists(path.join(root, shard, second))) {
        if (!SHA256_PATTERN.test(name) || !name.startsWith(`${shard}${second}`)) continue;
        const file = path.join(root, shard, second, name);
        files.push({ kind: 'blob', name, path: file, bytes: (await stat(file)).size });
      }
    }
    for (const name of await readdirIfExists(path.join(root, 'derived', shard))) {
      if (!DERIVED_NAME_PATTERN.test(name) || !name.startsWith(shard)) continue;
      const file = path.join(root, 'derived', shard, name);
      files.push({ kind: 'derived', name, path: file, bytes: (await stat(file)).size });
    }
    yield { shard, files };
  }
}

async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      return [];
    throw error;
  }
}
