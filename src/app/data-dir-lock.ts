import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface LockOwner {
  pid: number;
  url: string | null;
  started_at: string;
}

export class DataDirBusyError extends Error {
  readonly owner: LockOwner;
  constructor(dataDir: string, owner: LockOwner) {
    super(
      `The embedded database in ${dataDir} is in use by another Vitrine process (pid ${owner.pid}` +
        `${owner.url ? `, serving ${owner.url}` : ''}). PGlite allows one process per data directory.\n` +
        (owner.url
          ? `Talk to that server instead: add --server ${owner.url} (and --key, or VITRINE_API_KEY), or stop it first.`
          : 'Stop that process first, or point VITRINE_DATA_DIR at another directory.'),
    );
    this.name = 'DataDirBusyError';
    this.owner = owner;
  }
}

/**
 * An exclusive lock on the embedded data directory: PGlite files opened by two processes corrupt.
 * The lock file names its owner; a lock left by a process that no longer exists is taken over.
 */
export function lockDataDir(
  dataDir: string,
  url: string | null,
): { release(): void; setUrl(url: string): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'vitrine.lock');
  const owner: LockOwner = { pid: process.pid, url, started_at: new Date().toISOString() };
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      return {
        release: () => {
          if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
        },
        setUrl: (newUrl) => {
          owner.url = newUrl;
          const fd2 = openSync(file, 'w');
          writeSync(fd2, JSON.stringify(owner));
          closeSync(fd2);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readOwner(file);
      if (current && current.pid !== process.pid && isAlive(current.pid))
        throw new DataDirBusyError(dataDir, current);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

export function readLockOwner(dataDir: string): LockOwner | null {
  return readOwner(path.join(dataDir, 'vitrine.lock'));
}

function readOwner(file: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
