import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A new empty directory under the OS temp dir; `removeDir` deletes it (and tolerates it being gone). */
export function makeTempDir(prefix = 'vitrine-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Directories made through it are removed together by `cleanup()` (call it from `after`). */
export class TempDirs {
  readonly #dirs: string[] = [];

  make(prefix?: string): string {
    const dir = makeTempDir(prefix);
    this.#dirs.push(dir);
    return dir;
  }

  cleanup(): void {
    for (const dir of this.#dirs.splice(0)) removeDir(dir);
  }
}
