import { Worker } from 'node:worker_threads';
import { type RenderJob, runRenderJob } from './render-job.ts';

interface Pending {
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
}

interface RenderThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Renders layouts on worker threads, so drawing and encoding never block the event loop that serves
 * HTTP and runs the queue. With `threads: 0` it renders in the calling thread (tests, tiny hosts).
 */
export class RenderPool {
  readonly #size: number;
  readonly #threads: RenderThread[] = [];
  #nextId = 1;

  constructor(options: { threads: number }) {
    this.#size = Math.max(0, Math.floor(options.threads));
  }

  async render(job: RenderJob): Promise<Uint8Array> {
    if (this.#size === 0) return runRenderJob(job);
    const thread = this.#leastBusy();
    const id = this.#nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.ref();
      thread.worker.postMessage({ id, job });
    });
  }

  #leastBusy(): RenderThread {
    if (this.#threads.length < this.#size) {
      const idle = this.#threads.find((thread) => thread.pending.size === 0);
      if (idle) return idle;
      return this.#spawn();
    }
    return this.#threads.reduce((best, thread) => (thread.pending.size < best.pending.size ? thread : best));
  }

  #spawn(): RenderThread {
    const worker = new Worker(new URL('./render.worker.ts', import.meta.url));
    const thread: RenderThread = { worker, pending: new Map() };
    worker.on('message', (message: { id: number; bytes?: Uint8Array; error?: string }) => {
      const pending = thread.pending.get(message.id);
      thread.pending.delete(message.id);
      // An idle render thread must not keep a CLI process alive.
      if (thread.pending.size === 0) worker.unref();
      if (!pending) return;
      if (message.bytes) pending.resolve(new Uint8Array(message.bytes));
      else pending.reject(new Error(`render failed: ${message.error}`));
    });
    worker.on('error', (error) => this.#fail(thread, error));
    worker.on('exit', (code) => this.#fail(thread, new Error(`render thread exited with code ${code}`)));
    worker.unref();
    this.#threads.push(thread);
    return thread;
  }

  #fail(thread: RenderThread, error: Error): void {
    for (const pending of thread.pending.values()) pending.reject(error);
    thread.pending.clear();
    const index = this.#threads.indexOf(thread);
    if (index >= 0) this.#threads.splice(index, 1);
  }

  async close(): Promise<void> {
    const threads = this.#threads.splice(0);
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }
}
