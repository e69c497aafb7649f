import { presentBatch, presentJob } from '../../api/presenters.ts';
import type { Logger } from '../../app/logger.ts';
import type { AssetService } from '../assets/asset.service.ts';
import type { BatchService } from '../batches/batch.service.ts';
import type { ServiceDeps } from '../deps.ts';
import type { WebhookService } from './webhook.service.ts';

/**
 * Turns finished jobs and batches into webhook deliveries: `job.succeeded` / `job.failed` for jobs
 * finished by this process (each event once across a fleet), `batch.finished` (and `batch.failed`) from
 * the one process that ended the batch. Bodies carry the same shapes as the API.
 */
export function wireWebhookEvents(parts: {
  deps: Pick<ServiceDeps, 'db' | 'jobs' | 'assets' | 'events'>;
  webhooks: WebhookService;
  batches: BatchService;
  assets: Pick<AssetService, 'signedUrl'>;
  logger: Logger;
}): () => void {
  const { deps, webhooks, batches, assets, logger } = parts;
  const report = (error: Error) => logger.warn({ err: error }, 'could not queue a webhook delivery');
  const stopJobs = deps.events.subscribeLocal((event) => {
    if (event.type !== 'done' || (event.status !== 'succeeded' && event.status !== 'failed')) return;
    const type = event.status === 'succeeded' ? 'job.succeeded' : 'job.failed';
    void (async () => {
      // The event says whether the request had its own webhook URL; only when it does not say is
      // the job read first. The body (the job and its images) is read only for a delivery.
      let job = event.webhookUrl === undefined ? await deps.jobs.findById(deps.db, event.jobId) : null;
      if (event.webhookUrl === undefined && !job) return;
      const requestUrl = event.webhookUrl === undefined ? (job?.webhook_url ?? null) : event.webhookUrl;
      await webhooks.emitIfWanted(type, requestUrl, async () => {
        job ??= await deps.jobs.findById(deps.db, event.jobId);
        if (!job) throw new Error(`job ${event.jobId} disappeared before its webhook was sent`);
        const images = await deps.assets.listForJobs(deps.db, [job.id]);
        return presentJob(job, images, assets);
      });
    })().catch(report);
  });
  const stopBatches = batches.onBatchFinished((batch) => {
    void (async () => {
      const state = await batches.state(batch.id);
      const data = presentBatch(state);
      await webhooks.emit('batch.finished', data, batch.webhook_url);
      // A batch with failed rows is also `batch.failed`, for those who only want to hear about failures.
      if (state.batch.status === 'failed') await webhooks.emit('batch.failed', data, null);
    })().catch(report);
  });
  return () => {
    stopJobs();
    stopBatches();
  };
}
