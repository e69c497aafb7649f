import { EventEmitter } from 'node:events';
import { type BatchCounts, type BatchRecord, batchCounts, isBatchFinished } from '../../domain/batch.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import { type Priority, queuePriority } from '../../domain/job.ts';
import { roundUsd } from '../../domain/pricing.ts';
import { BATCH_FANOUT_QUEUE, GENERATE_QUEUE } from '../../queue/jobs.ts';
import type { ServiceDeps } from '../deps.ts';
import { decodeCursor, type GenerationService } from '../generation/generation.service.ts';
import type { BatchFanoutService } from './batch-fanout.service.ts';

type Deps = Pick<ServiceDeps, 'db' | 'batches' | 'jobs' | 'queue' | 'events' | 'logger'>;

/** A batch with what is derived from its jobs. */
export interface BatchState {
  batch: BatchRecord;
  counts: BatchCounts;
  costUsd: number;
  /** Quality checks of the images made for the batch (cache hits are not checked again). */
  quality: { checked: number; passed: number; passRate: number | null };
}

const RETRY_PAGE = 500;

/** Use cases of a batch after its import: progress, cancel, retry, and noticing that it finished. */
export class BatchService {
  readonly #deps: Deps;
  readonly #generations: GenerationService;
  readonly #fanout: BatchFanoutService;
  /** `finished` (batch id) events for streams and waits in this process. */
  readonly #finished = new EventEmitter();

  constructor(deps: Deps, generations: GenerationService, fanout: BatchFanoutService) {
    this.#deps = deps;
    this.#generations = generations;
    this.#fanout = fanout;
    this.#finished.setMaxListeners(0);
  }

  async get(id: string): Promise<BatchRecord> {
    const batch = await this.#deps.batches.findById(this.#deps.db, id);
    if (!batch || batch.status === 'importing') throw notFound('Batch', id);
    return batch;
  }

  /** A page of batches, newest first, each with its counts; `cursor` is the previous page's last. */
  async list(filter: { limit: number; cursor?: string }): Promise<BatchState[]> {
    const records = await this.#deps.batches.list(this.#deps.db, {
      limit: filter.limit,
      before: filter.cursor ? decodeCursor(filter.cursor) : undefined,
    });
    return Promise.all(records.map((batch) => this.#stateOf(batch)));
  }

  async state(id: string): Promise<BatchState> {
    return this.#stateOf(await this.get(id));
  }

  async #stateOf(batch: BatchRecord): Promise<BatchState> {
    const { db, batches } = this.#deps;
    const id = batch.id;
    const [byStatus, withoutJob, totals] = await Promise.all([
      batches.countJobsByStatus(db, id),
      batches.countRowsWithoutJob(db, id),
      batches.costAndQuality(db, id),
    ]);
    const checked = totals.passedImages + totals.failedChecks;
    return {
      batch,
      counts: batchCounts(byStatus, withoutJob, batch.status),
      costUsd: roundUsd(totals.costUsd),
      quality: {
        checked,
        passed: totals.passedImages,
        passRate: checked === 0 ? null : Math.round((totals.passedImages / checked) * 10_000) / 10_000,
      },
    };
  }

  /** Queued rows are canceled at once; running jobs are aborted (here, or at their next progress write). */
  async cancel(id: string): Promise<BatchState> {
    const { db, batches } = this.#deps;
    const batch = await this.get(id);
    if (!isBatchFinished(batch.status)) {
      await batches.setStatus(db, id, 'canceled', ['queued', 'running']);
      // Finished counts as canceled too: the final status is set by finishIfDone below.
      await batches.cancelQueuedJobs(db, id);
      for (;;) {
        const running = await batches.listJobIds(db, id, 'running', 100);
        if (running.length === 0) break;
        await Promise.all(running.map((jobId) => this.#generations.cancel(jobId)));
      }
      await batches.cancelQueuedJobs(db, id);
      await this.#finishIfDone(id);
    }
    return this.state(id);
  }

  /** Failed rows get a new attempt (their jobs go back to the queue); the rest is untouched. */
  async retry(id: string): Promise<BatchState> {
    const { db, batches, queue } = this.#deps;
    const batch = await this.get(id);
    if (batch.status === 'canceled') throw new AppError('conflict', 'A canceled batch cannot be retried');
    let requeued = 0;
    for (;;) {
      const page = await db.transaction(async (tx) => {
        const jobs = await batches.requeueFailedJobs(tx, id, RETRY_PAGE);
        await queue.sendMany(
          GENERATE_QUEUE,
          jobs.map((job) => ({
            id: job.queue_job_id,
            payload: { jobId: job.id, attempt: job.attempts + 1 },
            priority: queuePriority(job.priority as Priority),
          })),
          { sql: tx },
        );
        if (jobs.length > 0)
          await batches.setStatus(tx, id, 'running', ['succeeded', 'failed', 'running', 'queued']);
        return jobs.length;
      });
      requeued += page;
      if (page < RETRY_PAGE) break;
    }
    if (requeued > 0) queue.wake(GENERATE_QUEUE);
    this.#deps.logger.info({ batchId: id, requeued }, 'batch retry');
    return this.state(id);
  }

  /** The fan-out queue's handler: fills the batch's window, then ends it if nothing is left to run. */
  async runFanout(batchId: string): Promise<void> {
    await this.#fanout.run(batchId);
    await this.#finishIfDone(batchId);
  }

  /**
   * Called for every finished job: refills the batch's window and ends the batch when all is done.
   * `batchId` when the caller knows it; otherwise the job is read.
   */
  async onJobFinished(jobId: string, batchId?: string): Promise<void> {
    const id = batchId ?? (await this.#deps.jobs.findById(this.#deps.db, jobId))?.batch_id;
    if (!id) return;
    await this.#fanout.nudge(id);
    await this.#finishIfDone(id);
  }

  /** After a start: every unfinished batch resumes its fan-out, and batches already done are closed. */
  async resumeActive(): Promise<number> {
    const { db, batches, queue } = this.#deps;
    await batches.deleteAbandonedImports(db, 0);
    const ids = await batches.listActiveIds(db);
    for (const id of ids) {
      await queue.send(BATCH_FANOUT_QUEUE, { batchId: id }, { priority: 0 });
      await this.#finishIfDone(id);
    }
    return ids.length;
  }

  /** Resolves when the batch is finished, or after `timeoutMs` (the caller reads the state then). */
  async waitForFinish(id: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (isBatchFinished((await this.get(id)).status)) return;
    await new Promise<void>((resolve) => {
      const stop = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#finished.off(id, stop);
        signal?.removeEventListener('abort', stop);
        resolve();
      };
      const timer = setTimeout(stop, timeoutMs);
      // Another process may finish the batch; the database tells.
      const poll = setInterval(async () => {
        const batch = await this.#deps.batches.findById(this.#deps.db, id).catch(() => null);
        if (batch && isBatchFinished(batch.status)) stop();
      }, 1000);
      this.#finished.on(id, stop);
      signal?.addEventListener('abort', stop);
    });
  }

  /** Listens for batches finishing in this process; returns the function that stops listening. */
  onBatchFinished(listener: (batch: BatchRecord) => void): () => void {
    this.#finished.on('*', listener);
    return () => this.#finished.off('*', listener);
  }

  async #finishIfDone(id: string): Promise<void> {
    const finished = await this.#deps.batches.finishIfDone(this.#deps.db, id);
    if (!finished) return;
    this.#deps.logger.info({ batchId: id, status: finished.status }, 'batch finished');
    this.#finished.emit(id);
    this.#finished.emit('*', finished);
  }
}
