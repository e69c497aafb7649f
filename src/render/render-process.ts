import { ensureFontsRegistered } from './fonts.ts';
import { type PoolJob, runPoolJob } from './render-job.ts';

// A render process (see render-pool.ts): its own Skia and fonts, one job at a time from the parent.
// Processes, not threads: @napi-rs/canvas shares its font collection across threads, and
// concurrent renders on threads gave different bytes for one seed.
ensureFontsRegistered();
process.on('message', async (message: { id: number; job: PoolJob }) => {
  try {
    process.send?.({ id: message.id, ...(await runPoolJob(message.job)) });
  } catch (error) {
    process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
