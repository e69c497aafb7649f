import type { Database } from '../../db/client.ts';
import type { WorkerRepository } from '../../db/worker.repository.ts';
import { type WorkerRecord, type WorkerState, workerState } from '../../domain/worker.ts';

export interface WorkerView extends WorkerRecord {
  state: WorkerState;
}

/** A readiness check's outcome, as `/readyz` shows it. */
export interface CheckResult {
  ok: boolean;
  message?: string;
}

/** How long workers stay listed after their last heartbeat unless all are asked for. */
const LISTED_FOR_SECONDS = 24 * 3600;

/** The fleet as the database knows it: the workers that announced themselves, and whether any is alive. */
export class FleetService {
  readonly #deps: { db: Database; workers: WorkerRepository };
  readonly #options: { staleSeconds: number; heartbeatSeconds: number; runsWorkers: boolean };

  constructor(
    deps: { db: Database; workers: WorkerRepository },
    options: { staleSeconds: number; heartbeatSeconds: number; runsWorkers: boolean },
  ) {
    this.#deps = deps;
    this.#options = options;
  }

  get staleSeconds(): number {
    return this.#options.staleSeconds;
  }

  get heartbeatSeconds(): number {
    return this.#options.heartbeatSeconds;
  }

  /** Workers heard from in the last day (or ever, with `all`), active ones first. */
  async list(options: { all?: boolean } = {}): Promise<WorkerView[]> {
    const workers = await this.#deps.workers.list(this.#deps.db, options.all ? null : LISTED_FOR_SECONDS);
    const order: Record<WorkerState, number> = { active: 0, lost: 1, stopped: 2 };
    return workers
      .map((worker) => ({ ...worker, state: workerState(worker, this.#options.staleSeconds) }))
      .sort((a, b) => order[a.state] - order[b.state]);
  }

  /**
   * Readiness of the job side: a process that runs workers itself is fine; an API-only node is
   * ready only while some worker has beaten within the stale limit — else its jobs would wait forever.
   */
  async workersCheck(): Promise<CheckResult> {
    if (this.#options.runsWorkers) return { ok: true, message: 'this process runs workers' };
    const { running: seconds, stopped } = await this.#deps.workers.lastBeats(this.#deps.db);
    const limit = this.#options.staleSeconds;
    if (seconds === null)
      return {
        ok: false,
        message:
          stopped === null
            ? 'no worker has announced itself: start `vitrine worker` with the same DATABASE_URL'
            : `no worker is running (the last one stopped ${Math.round(stopped)} s ago)`,
      };
    if (seconds > limit)
      return {
        ok: false,
        message: `no worker heard from for ${Math.round(seconds)} s (a worker counts as lost after ${limit} s)`,
      };
    return { ok: true, message: `last worker heartbeat ${Math.round(seconds)} s ago` };
  }
}
