import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileStemForKey } from '../../domain/batch.ts';
import { batchFileName } from '../../domain/batch-files.ts';
import type { BatchTarget, JobView } from './batch-target.ts';

/**
 * Writes a batch's images into a directory as its rows succeed (`--out`), named as in the zip and
 * the manifest (the stem given at import). It counts what it wrote so the command can check that
 * every succeeded row made it to disk, and says so when one did not.
 */
export class BatchImageWriter {
  readonly #target: BatchTarget;
  readonly #batchId: string;
  readonly #dir: string;
  /** Jobs whose images are all on disk. */
  readonly #done = new Set<string>();
  readonly files: string[] = [];

  constructor(target: BatchTarget, batchId: string, dir: string) {
    this.#target = target;
    this.#batchId = batchId;
    this.#dir = dir;
  }

  get rowsWritten(): number {
    return this.#done.size;
  }

  /**
   * Writes the rows that succeeded since the last call. The newest succeeded jobs come first, so
   * this usually reads one page; it stops once it has as many rows as `succeeded` says there are.
   */
  async catchUp(succeeded: number): Promise<void> {
    if (this.#done.size >= succeeded) return;
    await mkdir(this.#dir, { recursive: true });
    for await (const job of this.#target.jobs(this.#batchId, 'succeeded')) {
      await this.write(job);
      if (this.#done.size >= succeeded) return;
    }
  }

  /** Writes one succeeded job's images, once. */
  async write(job: JobView): Promise<void> {
    if (this.#done.has(job.id)) return;
    await mkdir(this.#dir, { recursive: true });
    const stem =
      (job.metadata.batch_file as string | undefined) ??
      fileStemForKey((job.metadata.batch_key as string | undefined) ?? null, Number(job.metadata.batch_row));
    for (const [index, image] of job.images.entries()) {
      const file = path.join(this.#dir, batchFileName(stem, index, job.images.length, image.format));
      await writeFile(file, await this.#target.bytes(image));
      this.files.push(file);
    }
    this.#done.add(job.id);
  }
}
