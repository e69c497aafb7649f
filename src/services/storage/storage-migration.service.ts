import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAppError } from '../../domain/errors.ts';
import { type LocalBlobFile, listLocalBlobShards } from '../../storage/local.store.ts';
import type { S3BlobStore } from '../../storage/s3.store.ts';
import { derivedMediaType, sniffMediaType } from '../../storage/spec.ts';

export interface MigrationCounts {
  /** Files looked at so far, of `totalFiles`. */
  files: number;
  totalFiles: number;
  /** Uploaded now. */
  copied: number;
  copiedBytes: number;
  /** In the bucket already with the same size (an earlier run, or the same image stored twice). */
  skipped: number;
  /** Could not be uploaded (network, 5xx): a new run tries them again. */
  failed: number;
  /** Local files whose bytes no longer match their name: never uploaded. */
  corrupt: number;
}

export interface MigrationReport extends MigrationCounts {
  problems: Array<{ file: string; message: string }>;
  seconds: number;
  /** Stopped early (Ctrl-C, or the bucket refused access): the rest is for the next run. */
  stoppedEarly: string | null;
}

/** Consecutive failures after which the copy stops: the bucket is down, not one object. */
const MAX_FAILURES_IN_A_ROW = 25;

/**
 * Copies a local asset store into an S3 bucket, keeping its names (the same keys the S3 store
 * reads), shard by shard: each shard's objects are listed first and those already there with the
 * same size are skipped, so an interrupted copy resumes where it stopped. Each blob's bytes are
 * checked against its name before upload.
 */
export async function migrateLocalStoreToS3(
  target: S3BlobStore,
  options: {
    from: string;
    concurrency: number;
    dryRun?: boolean;
    signal?: AbortSignal;
    onProgress?: (counts: MigrationCounts) => void;
  },
): Promise<MigrationReport> {
  const started = performance.now();
  const counts: MigrationCounts = {
    files: 0,
    totalFiles: 0,
    copied: 0,
    copiedBytes: 0,
    skipped: 0,
    failed: 0,
    corrupt: 0,
  };
  const problems: MigrationReport['problems'] = [];
  for await (const { files } of listLocalBlobShards(options.from)) counts.totalFiles += files.length;
  options.onProgress?.({ ...counts });

  let stoppedEarly: string | null = null;
  let failuresInARow = 0;
  const copyOne = async (file: LocalBlobFile, existing: Map<string, number>) => {
    const key = target.keyOf(file.kind === 'blob' ? { sha256: file.name } : { derived: file.name });
    const present = existing.get(key);
    if (present === file.bytes) {
      counts.skipped += 1;
      return;
    }
    const bytes = await readFile(file.path);
    if (file.kind === 'blob' && createHash('sha256').update(bytes).digest('hex') !== file.name) {
      counts.corrupt += 1;
      problems.push({
        file: file.path,
        message: 'its bytes do not match its name (damaged on disk); not copied',
      });
      return;
    }
    if (options.dryRun) {
      counts.copied += 1;
      counts.copiedBytes += bytes.byteLength;
      return;
    }
    try {
      const type = file.kind === 'blob' ? sniffMediaType(bytes) : derivedMediaType(file.name);
      // A different size in the bucket is a damaged or foreign object: replace it.
      await target.putObject(key, bytes, type, { overwrite: present !== undefined });
      counts.copied += 1;
      counts.copiedBytes += bytes.byteLength;
      failuresInARow = 0;
    } catch (error) {
      counts.failed += 1;
      failuresInARow += 1;
      problems.push({ file: file.path, message: (error as Error).message });
      if (isAppError(error) && !error.retryable) stoppedEarly = (error as Error).message;
      else if (failuresInARow >= MAX_FAILURES_IN_A_ROW)
        stoppedEarly = `${failuresInARow} uploads in a row failed; last: ${(error as Error).message}`;
    }
  };

  for await (const { shard, files } of listLocalBlobShards(options.from)) {
    if (stoppedEarly || options.signal?.aborted) break;
    if (files.length === 0) continue;
    const existing = await target.listSizes(`${target.settings.prefix}${shard}/`);
    let next = 0;
    const lane = async () => {
      while (next < files.length && !stoppedEarly && !options.signal?.aborted) {
        const file = files[next++]!;
        await copyOne(file, existing);
        counts.files += 1;
        options.onProgress?.({ ...counts });
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, files.length) }, lane));
  }
  if (!stoppedEarly && options.signal?.aborted) stoppedEarly = 'interrupted';
  return { ...counts, problems, seconds: (performance.now() - started) / 1000, stoppedEarly };
}
