import { EventEmitter } from 'node:events';
import type { JobRecord, JobStatus } from '../../domain/job.ts';

export type JobEvent =
  | { type: 'progress'; jobId: string; progress: number }
  | { type: 'status'; jobId: string; status: JobStatus; attempts: number }
  | {
      type: 'done';
      jobId: string;
      status: JobStatus;
      /**
       * What the publisher knew of the finished job, so listeners need not read it back: its batch
       * (null: none) and its request's webhook URL (null: none). Absent: unknown, look it up.
       */
      batchId?: string | null;
      webhookUrl?: string | null;
    };

const LOCAL = Symbol('published here');

/**
 * In-process notifications of job changes, for server-sent events and `?wait=`. Listeners that
 * need changes made by other processes (separate workers) also poll the database.
 */
export class JobEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Every open event stream and every waiting request is a listener; there is no fixed bound.
    this.#emitter.setMaxListeners(0);
  }

  #relay: ((event: JobEvent) => void) | null = null;

  /** Sends every event published here to other processes too (see `receive`). */
  setRelay(relay: (event: JobEvent) => void): void {
    this.#relay = relay;
  }

  publish(event: JobEvent): void {
    this.receive(event);
    this.#emitter.emit(LOCAL, event);
    this.#relay?.(event);
  }

  /**
   * Only events published by this process (not those relayed from others): for work that must
   * happen once per event, such as sending a webhook.
   */
  subscribeLocal(listener: (event: JobEvent) => void): () => void {
    this.#emitter.on(LOCAL, listener);
    return () => this.#emitter.off(LOCAL, listener);
  }

  /** An event from another process: delivered to local listeners, not relayed again. */
  receive(event: JobEvent): void {
    this.#emitter.emit(event.jobId, event);
    this.#emitter.emit('*', event);
  }

  /** Returns the function that stops listening. */
  subscribe(jobId: string | '*', listener: (event: JobEvent) => void): () => void {
    this.#emitter.on(jobId, listener);
    return () => this.#emitter.off(jobId, listener);
  }
}

/** The parts of a finished job its `done` event carries, so listeners skip reading it back. */
export function knownOf(job: Pick<JobRecord, 'batch_id' | 'webhook_url'>) {
  return { batchId: job.batch_id, webhookUrl: job.webhook_url };
}
