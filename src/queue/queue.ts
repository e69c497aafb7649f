import { randomUUID } from 'node:crypto';
import { type ConstructorOptions, PgBoss } from 'pg-boss';
import type { Database, Sql } from '../db/client.ts';
import type { QueueName, QueuePayloads } from './jobs.ts';

export interface QueueLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface SendOptions {
  /** The queue job id; generated when absent. */
  id?: string;
  priority: number;
  /** Delay before the job may run. */
  startAfterMs?: number;
  /** Joins the caller's transaction, so the job exists exactly when the caller's rows do. */
  sql?: Sql;
}

export interface WorkOptions {
  concurrency: number;
  pollingIntervalSeconds?: number;
}

export type QueueHandler<Name extends QueueName> = (
  payload: QueuePayloads[Name],
  queueJob: { id: string; signal: AbortSignal },
) => Promise<void>;

// A running job reports in every few seconds; a worker that died stops, and another takes the job.
const HEARTBEAT_SECONDS = 15;
// Redeliveries after a crash or a lost heartbeat; the job's own retries are counted by the service.
const REDELIVERY_LIMIT = 5;

/**
 * A typed wrapper over pg-boss on Vitrine's own database. Retries of failed attempts are decided
 * by the generation service (it knows which errors are retryable and honors retry-after); pg-boss
 * supplies durable storage, priorities, SKIP LOCKED fetching across processes, heartbeats and the
 * redelivery of jobs whose worker died.
 */
export class JobQueue {
  readonly #boss: PgBoss;
  readonly #workerIds = new Map<QueueName, string[]>();
  readonly #logger: QueueLogger;

  private constructor(boss: PgBoss, logger: QueueLogger) {
    this.#boss = boss;
    this.#logger = logger;
  }

  static async start(
    db: Database,
    options: { logger: QueueLogger; supervise: boolean; queues: readonly QueueName[] },
  ): Promise<JobQueue> {
    const connection: ConstructorOptions =
      'db' in db.queueConnection
        ? { db: db.queueConnection.db, backend: 'pglite' }
        : {
            connectionString: db.queueConnection.connectionString,
            schema: db.queueConnection.schema,
            max: 5,
          };
    const boss = new PgBoss({
      ...connection,
      supervise: options.supervise,
      schedule: false,
      useListenNotify: true,
      superviseIntervalSeconds: 30,
    });
    const queue = new JobQueue(boss, options.logger);
    boss.on('error', (error) => options.logger.error({ err: error }, 'queue error'));
    boss.on('warning', (warning) => options.logger.warn({ warning }, 'queue warning'));
    await boss.start();
    for (const name of options.queues) {
      const existing = await boss.getQueue(name);
      const settings = {
        retryLimit: REDELIVERY_LIMIT,
        retryDelay: 1,
        retryBackoff: true,
        retryDelayMax: 60,
        heartbeatSeconds: HEARTBEAT_SECONDS,
        expireInSeconds: 3600,
        deleteAfterSeconds: 7 * 24 * 3600,
        notify: true,
      };
      if (existing) await boss.updateQueue(name, settings);
      else await boss.createQueue(name, settings);
    }
    return queue;
  }

  async send<Name extends QueueName>(
    name: Name,
    payload: QueuePayloads[Name],
    options: SendOptions,
  ): Promise<string> {
    const id = options.id ?? randomUUID();
    await this.#boss.send(name, payload, {
      id,
      priority: options.priority,
      ...(options.startAfterMs ? { startAfter: Math.max(1, Math.ceil(options.startAfterMs / 1000)) } : {}),
      ...(options.sql ? { db: options.sql.queueDb } : {}),
    });
    return id;
  }

  /** Sends many jobs in one statement (a page of a batch's fan-out), in the caller's transaction. */
  async sendMany<Name extends QueueName>(
    name: Name,
    jobs: ReadonlyArray<{ id: string; payload: QueuePayloads[Name]; priority: number }>,
    options: { sql?: Sql } = {},
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.#boss.insert(
      name,
      jobs.map((job) => ({ id: job.id, data: job.payload, priority: job.priority })),
      options.sql ? { db: options.sql.queueDb } : {},
    );
  }

  /** Wakes this process's idle workers so a job sent here starts now, not at the next poll. */
  wake(name: QueueName): void {
    for (const id of this.#workerIds.get(name) ?? []) this.#boss.notifyWorker(id);
  }

  async work<Name extends QueueName>(
    name: Name,
    options: WorkOptions,
    handler: QueueHandler<Name>,
  ): Promise<void> {
    // One pg-boss worker per slot, each with its own id, so `wake` can reach every idle one.
    const ids: string[] = [];
    const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
    for (let slot = 0; slot < options.concurrency; slot++) {
      let workerId = '';
      workerId = await this.#boss.work<QueuePayloads[Name]>(
        name,
        // With LISTEN/NOTIFY on, pg-boss polls only every 30 s by default and notifies only jobs
        // runnable at once: a delayed retry or a redelivery would wait up to 30 s. Keep the poll.
        { batchSize: 1, pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds },
        async ([job]) => {
          try {
            if (job) await handler(job.data, { id: job.id, signal: job.signal });
          } finally {
            // pg-boss sleeps a polling interval after every job; a worker that just finished one
            // looks again at once, so a backlog drains at full speed.
            this.#boss.notifyWorker(workerId);
          }
        },
      );
      ids.push(workerId);
    }
    this.#workerIds.set(name, [...(this.#workerIds.get(name) ?? []), ...ids]);
  }

  async cancel(name: QueueName, queueJobId: string): Promise<void> {
    await this.#boss.cancel(name, queueJobId);
  }

  /**
   * Hands jobs left active by a process that died back to the queue at once. Only safe when no
   * other process can be working on them: the embedded database, held by this process alone.
   */
  async redeliverOrphans(name: QueueName, queueJobIds: readonly string[]): Promise<void> {
    if (queueJobIds.length > 0)
      await this.#boss.fail(name, [...queueJobIds], { reason: 'worker process died' });
  }

  async stop(options: { graceful: boolean; timeoutMs: number }): Promise<void> {
    await this.#boss.stop({ graceful: options.graceful, timeout: options.timeoutMs, close: true });
  }
}
