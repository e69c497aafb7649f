import { isBatchFinished } from '../../domain/batch.ts';
import { createProgressLine } from '../progress.ts';
import type { BatchTarget, BatchView } from './batch-target.ts';
import type { BatchImageWriter } from './image-writer.ts';

const POLL_MS = 500;
/** Outside a terminal (a pipe, CI) a plain progress line at most this often. */
const PLAIN_PROGRESS_MS = 10_000;

/**
 * Ctrl-C while a batch command runs. The first one does not kill the process: the command stops
 * following, says that the batch goes on and how to follow, cancel or download it, and exits 130
 * (after the upload or import it is in the middle of, so an accepted batch is never half made).
 * A second Ctrl-C exits at once.
 */
export function watchInterrupt(onFirst: () => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) {
      process.stderr.write('\nvitrine: stopped.\n');
      process.exit(130);
    }
    controller.abort();
    onFirst();
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', handler) };
}

/** "batch 5f0c…: 12/300 rows done, 1 failed" */
export function progressText(batch: BatchView): string {
  const { succeeded, failed, canceled } = batch.counts;
  return `${succeeded + failed + canceled}/${batch.total} rows done, ${failed} failed`;
}

/**
 * Polls the batch until it finishes or `signal` aborts, drawing rows done, rate, ETA and failures
 * on a terminal (a plain line now and then elsewhere), and writing images as rows succeed.
 */
export async function followBatch(
  target: BatchTarget,
  first: BatchView,
  options: { showProgress: boolean; writer?: BatchImageWriter; signal: AbortSignal },
): Promise<BatchView> {
  const progress = createProgressLine({ enabled: options.showProgress, label: `batch ${first.total} rows` });
  const plain = options.showProgress && !process.stderr.isTTY;
  const started = Date.now();
  let lastPlain = started;
  let current = first;
  for (;;) {
    await options.writer?.catchUp(current.counts.succeeded);
    if (isBatchFinished(current.status) || options.signal.aborted) break;
    const { succeeded, failed, canceled } = current.counts;
    const done = succeeded + failed + canceled;
    const rate = done / Math.max((Date.now() - started) / 1000, 0.001);
    const eta = rate > 0 ? `ETA ${Math.ceil((current.total - done) / rate)}s` : 'ETA –';
    progress.update(
      done / Math.max(1, current.total),
      `${done}/${current.total} rows · ${rate.toFixed(1)}/s · ${eta} · ${failed} failed`,
    );
    if (plain && Date.now() - lastPlain >= PLAIN_PROGRESS_MS) {
      process.stderr.write(`batch ${current.id}: ${progressText(current)}\n`);
      lastPlain = Date.now();
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(wake, POLL_MS);
      function wake() {
        options.signal.removeEventListener('abort', wake);
        clearTimeout(timer);
        resolve();
      }
      options.signal.addEventListener('abort', wake, { once: true });
    });
    if (options.signal.aborted) break;
    current = await target.state(first.id);
  }
  if (isBatchFinished(current.status))
    progress.update(1, `${current.total}/${current.total} rows · ${current.counts.failed} failed`);
  progress.finish();
  return current;
}

/** What to type to follow, cancel or download a batch that goes on without this command. */
export function continuationHelp(target: BatchTarget, id: string, out: string | undefined): string {
  const vitrine = target.kind === 'remote' ? `vitrine --server ${target.where}` : 'vitrine';
  const where =
    target.kind === 'remote'
      ? `Batch ${id} goes on on the server (${target.where}).`
      : `Batch ${id} is saved in ${target.where} and goes on whenever Vitrine runs there (npm start, vitrine serve, or the commands below).`;
  return [
    where,
    `  follow:   ${vitrine} batch status ${id} --wait`,
    `  cancel:   ${vitrine} batch cancel ${id}`,
    `  download: ${vitrine} batch download ${id} --out ${out ?? 'DIR'}${target.kind === 'local' ? ' --wait' : ''}`,
    '',
  ].join('\n');
}
