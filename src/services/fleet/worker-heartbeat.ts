import type { Database } from '../../db/client.ts';
import type { WorkerAnnouncement, WorkerBeat, WorkerRepository } from '../../db/worker.repository.ts';
import type { ProviderRegistry } from '../../providers/registry.ts';
import { collectProviderReports } from './provider-reports.ts';

export interface HeartbeatDeps {
  db: Database;
  workers: WorkerRepository;
  providers: ProviderRegistry;
  logger: { warn(object: object, message: string): void };
}

const STATUS_TIMEOUT_MS = 5000;
/** Workers not heard from for a week are forgotten at the next start of any worker. */
const FORGET_AFTER_SECONDS = 7 * 24 * 3600;

/**
 * A worker process announcing itself: a row in `workers` at start, refreshed every
 * `intervalSeconds` with its running jobs and its providers' state, marked stopped at a graceful
 * stop. A crashed worker simply stops beating; others see it as lost once it is stale.
 */
export class WorkerHeartbeat {
  readonly #deps: HeartbeatDeps;
  readonly #worker: Omit<WorkerAnnouncement, 'concurrency'>;
  #concurrency = 0;
  readonly #intervalMs: number;
  readonly #activity: () => Pick<WorkerBeat, 'runningJobIds' | 'finishedJobs'>;
  #timer: NodeJS.Timeout | undefined;
  #beating: Promise<void> | null = null;
  #failedBeats = 0;

  constructor(
    deps: HeartbeatDeps,
    options: {
      worker: Omit<WorkerAnnouncement, 'concurrency'>;
      intervalSeconds: number;
      activity: () => Pick<WorkerBeat, 'runningJobIds' | 'finishedJobs'>;
    },
  ) {
    this.#deps = deps;
    this.#worker = options.worker;
    this.#intervalMs = options.intervalSeconds * 1000;
    this.#activity = options.activity;
  }

  get workerId(): string {
    return this.#worker.id;
  }

  /** Announces this worker (awaited: a start that cannot write it fails), then beats on a timer. */
  async start(concurrency: number): Promise<void> {
    const { db, workers } = this.#deps;
    this.#concurrency = concurrency;
    await workers.prune(db, FORGET_AFTER_SECONDS);
    // At once, without the providers' state: a GPU server that does not answer must not delay the
    // start. The first full report follows right away.
    await workers.announce(db, this.#announcement(), { ...this.#activity(), providers: [] });
    this.#timer = setInterval(() => this.#beatOnce(), this.#intervalMs);
    this.#timer.unref();
    this.#beatOnce();
  }

  /** One beat unless the last one is still under way (a slow GPU server). */
  #beatOnce(): void {
    this.#beating ??= this.#beat().finally(() => {
      this.#beating = null;
    });
  }

  /** Stops beating and marks the worker stopped (its jobs are done or handed back by then). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    // A beat still asking a slow GPU server is not waited for long: once the row says stopped, a
    // late beat no longer matches it (see WorkerRepository.beat).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#beating, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    await this.#deps.workers.markStopped(this.#deps.db, this.#worker.id).catch(() => {});
  }

  async #beat(): Promise<void> {
    const { db, workers, logger } = this.#deps;
    try {
      const snapshot = await this.#snapshot();
      if (!this.#timer) return;
      const known = await workers.beat(db, this.#worker.id, snapshot);
      // The row is gone (pruned by another start): announce again, unless this worker is stopping.
      if (!known && this.#timer) await workers.announce(db, this.#announcement(), snapshot);
      if (this.#failedBeats > 0) logger.warn({ workerId: this.#worker.id }, 'worker heartbeat recovered');
      this.#failedBeats = 0;
    } catch (error) {
      // Logged once per outage, not once per beat.
      if (this.#failedBeats++ === 0)
        logger.warn({ err: error, workerId: this.#worker.id }, 'worker heartbeat could not be written');
    }
  }

  #announcement(): WorkerAnnouncement {
    return { ...this.#worker, concurrency: this.#concurrency };
  }

  async #snapshot(): Promise<WorkerBeat> {
    // A GPU server that hangs holds this beat for 5 s at most; beats due meanwhile are skipped.
    const providers = await collectProviderReports(this.#deps.providers, STATUS_TIMEOUT_MS);
    return { ...this.#activity(), providers };
  }
}
