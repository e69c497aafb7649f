import { parentPort } from 'node:worker_threads';
import { ensureFontsRegistered } from './fonts.ts';
import { type RenderJob, runRenderJob } from './render-job.ts';

// A render thread: fonts once, then one job at a time from the pool in render-pool.ts.
ensureFontsRegistered();
parentPort?.on('message', async (message: { id: number; job: RenderJob }) => {
  try {
    const bytes = await runRenderJob(message.job);
    // Copied, not transferred: encoders may hand back memory owned by native code or by a pool,
    // which cannot be transferred; a copy of an encoded image costs microseconds.
    parentPort?.postMessage({ id: message.id, bytes });
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
