import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppError } from '../domain/errors.ts';
import type { ImageCheck } from '../domain/quality.ts';
import type { RenderReport } from './layout-renderer.ts';
import {
  type PoolJob,
  type PoolOutput,
  type RenderJob,
  type RenderOutput,
  runPoolJob,
} from './render-job.ts';
import type { SceneInit } from './scene-init.ts';

interface Pending {
  job: PoolJob;
  resolve(output: PoolOutput): void;
  reject(error: Error): void;
}

interface RenderProcess {
  child: ChildProcess;
  /** Sent and not yet answered, by message id. */
  inFlight: Map<number, Pending>;
}

const RENDER_PROCESS = fileURLToPath(new URL('./render-process.ts', import.meta.url));

/**
 * Draws layouts in child processes so that rendering leaves the event loop that serves HTTP and
 * talks to the database. `processes: 0` renders in this process (tests, the CLI, small hosts).
 */
export class RenderPool {
  readonly #size: number;
  readonly #processes: RenderProcess[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: { processes: number }) {
    this.#size = Math.max(0, Math.floor(options.processes));
  }

  async render(job: RenderJob): Promise<RenderOutput> {
    const output = await this.#run(job);
    if (!('bytes' in output)) throw new AppError('internal', 'The render process answered no image');
    return output;
  }

  /**
   * The init image and mask of a background painted around the layout's product
   * (render/scene-init.ts), made in a render process: it cuts the product out, which is CPU work
   * the event loop that serves HTTP must not do.
   */
  async sceneInit(input: RenderJob['input']): Promise<SceneInit | null> {
    const output = await this.#run({ scene: input });
    if (!('scene' in output)) throw new AppError('internal', 'The render process answered no scene');
    return output.scene;
  }

  #run(job: PoolJob): Promise<PoolOutput> {
    if (this.#size === 0) return runPoolJob(job);
    if (this.#closed) return Promise.reject(new Error('the render pool is closed'));
    return new Promise<PoolOutput>((resolve, reject) => {
      const target = this.#leastBusy();
      const id = this.#nextId++;
      target.inFlight.set(id, { job, resolve, reject });
      setReferenced(target.child, true);
      // The process may die at any moment, even while this is being written: a failed write (EPIPE,
      // a closed channel) retires the process and fails its renders as retryable, never throws.
      try {
        target.child.send({ id, job }, (error) => {
          if (error) this.#retire(target, `its channel failed (${errorCode(error)})`);
        });
      } catch (error) {
        this.#retire(target, `its channel failed (${errorCode(error)})`);
      }
    });
  }

  /**
   * Starts one render process now rather than at the first render: loading Skia, the modules and
   * the fonts takes a few hundred milliseconds, which the first job would otherwise wait for. Only
   * one, so a starting worker does not load several at once; the rest start on demand.
   */
  warm(): void {
    if (!this.#closed && this.#size > 0 && this.#processes.length === 0) this.#spawn();
  }

  /** The ids of the live render processes (operations, and tests that kill them). */
  processIds(): number[] {
    return this.#processes.flatMap((entry) => (entry.child.pid === undefined ? [] : [entry.child.pid]));
  }

  #leastBusy(): RenderProcess {
    for (const entry of [...this.#processes]) {
      if (!entry.child.connected) this.#retire(entry, 'it disconnected');
    }
    const idle = this.#processes.find((process) => process.inFlight.size === 0);
    if (idle) return idle;
    if (this.#processes.length < this.#size) return this.#spawn();
    return this.#processes.reduce((best, process) =>
      process.inFlight.size < best.inFlight.size ? process : best,
    );
  }

  #spawn(): RenderProcess {
    // `advanced` serialization carries image bytes as binary instead of JSON arrays.
    const child = fork(RENDER_PROCESS, [], {
      serialization: 'advanced',
      // glibc gives each thread that allocates its own heap arena (up to 8 per core), and Skia's and
      // libvips' pixel buffers left those arenas fragmented: two arenas keep the process smaller.
      env: { MALLOC_ARENA_MAX: '2', ...process.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const entry: RenderProcess = { child, inFlight: new Map() };
    child.on(
      'message',
      (message: {
        id: number;
        bytes?: Uint8Array;
        report?: RenderReport;
        check?: ImageCheck;
        scene?: SceneInit | null;
        error?: string;
      }) => {
        const pending = entry.inFlight.get(message.id);
        entry.inFlight.delete(message.id);
        // An idle render process must not keep a finished CLI command alive.
        if (entry.inFlight.size === 0) setReferenced(child, false);
        if (!pending) return;
        if (message.bytes && message.report && message.check)
          pending.resolve({
            bytes: new Uint8Array(message.bytes),
            report: message.report,
            check: message.check,
          });
        else if (message.scene !== undefined)
          pending.resolve({
            scene: message.scene && {
              ...message.scene,
              image: new Uint8Array(message.scene.image),
              mask: new Uint8Array(message.scene.mask),
            },
          });
        else pending.reject(new AppError('internal', `The studio render failed: ${message.error}`));
      },
    );
    child.on('exit', (code, signal) => this.#retire(entry, `it exited (${signal ?? `code ${code}`})`));
    // EPIPE and friends arrive here when the process died under a write; without a listener they
    // would be an unhandled 'error' event and take the whole server down.
    child.on('error', (error) => this.#retire(entry, `it failed (${errorCode(error)})`));
    setReferenced(child, false);
    this.#processes.push(entry);
    return entry;
  }

  /**
   * Takes a process out of the pool for good: a crashed render process fails only its own
   * renders, as retryable (the job's next attempt renders in a fresh process, spawned on demand).
   */
  #retire(entry: RenderProcess, why: string): void {
    const index = this.#processes.indexOf(entry);
    if (index >= 0) this.#processes.splice(index, 1);
    if (entry.child.exitCode === null && entry.child.signalCode === null) entry.child.kill('SIGKILL');
    const pending = [...entry.inFlight.values()];
    entry.inFlight.clear();
    setReferenced(entry.child, false);
    for (const { reject } of pending) {
      reject(new AppError('provider_unavailable', `A render process stopped: ${why}`, { retryable: true }));
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const exits = this.#processes.map(
      (entry) =>
        new Promise<void>((resolve) =>
          entry.child.exitCode !== null ? resolve() : entry.child.once('exit', () => resolve()),
        ),
    );
    for (const entry of this.#processes) if (entry.child.connected) entry.child.disconnect();
    await Promise.all(exits);
  }
}

function errorCode(error: unknown): string {
  return (
    (error as { code?: string } | null)?.code ?? (error instanceof Error ? error.message : String(error))
  );
}

function setReferenced(child: ChildProcess, referenced: boolean): void {
  const channel = child.channel as { ref?(): void; unref?(): void } | undefined;
  if (referenced) {
    child.ref();
    channel?.ref?.();
  } else {
    child.unref();
    channel?.unref?.();
  }
}
