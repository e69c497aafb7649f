import type { Logger } from '../../app/logger.ts';
import { DestinationRepository } from '../../db/destination.repository.ts';
import { PublicationRepository } from '../../db/publication.repository.ts';
import { ShopifyRepository } from '../../db/shopify.repository.ts';
import { SlackRepository } from '../../db/slack.repository.ts';
import { PUBLISH_QUEUE, SHOPIFY_EVENT_QUEUE, SHOPIFY_SYNC_QUEUE, SLACK_QUEUE } from '../../queue/jobs.ts';
import type { JobQueue } from '../../queue/queue.ts';
import type { AssetService } from '../assets/asset.service.ts';
import type { BatchesCapability } from '../batches/batches.wiring.ts';
import type { ServiceDeps } from '../deps.ts';
import type { GenerationCapability } from '../generation/generation.wiring.ts';
import type { WebhookService } from '../webhooks/webhook.service.ts';
import { BucketPublisher } from './bucket-publisher.ts';
import { DestinationService } from './destination.service.ts';
import { HttpPublisher } from './http-publisher.ts';
import { PublishService } from './publish.service.ts';
import { SecretBox } from './secret-box.ts';
import { ShopifyConnectionService } from './shopify-connection.service.ts';
import { ShopifyEventsService } from './shopify-events.service.ts';
import { ShopifyPublisher } from './shopify-publisher.ts';
import { ShopifySyncService } from './shopify-sync.service.ts';
import { SlackService, slackEventTypes } from './slack.service.ts';

export interface IntegrationsCapability {
  shopify: ShopifyConnectionService;
  shopifyEvents: ShopifyEventsService;
  shopifySync: ShopifySyncService;
  shopifyPublisher: ShopifyPublisher;
  publish: PublishService;
  destinations: DestinationService;
  slack: SlackService;
  /** Starts this process's integration workers. */
  startWorkers(queue: Pick<JobQueue, 'work'>): Promise<void>;
  stop(): void;
}

/** The repositories and secret box integrations share; built before batches, which resolve destinations. */
export async function prepareIntegrations(deps: ServiceDeps) {
  const repositories = {
    shopify: new ShopifyRepository(),
    publications: new PublicationRepository(),
    destinations: new DestinationRepository(),
    slack: new SlackRepository(),
  };
  const secrets = await SecretBox.create(deps);
  const destinations = new DestinationService({
    ...deps,
    ...repositories,
    secrets,
    kinds: new Set(['http', 'bucket']),
  });
  return { repositories, secrets, destinations };
}

/**
 * Shopify (connection, webhooks, sync, attaching images), publish destinations for batches (CMS
 * calls, bucket copies) and the publications log — fed by job and batch events.
 */
export function wireIntegrations(
  deps: ServiceDeps,
  prepared: Awaited<ReturnType<typeof prepareIntegrations>>,
  parts: {
    generation: GenerationCapability;
    batching: BatchesCapability;
    assets: AssetService;
    webhooks: WebhookService;
    logger: Logger;
  },
): IntegrationsCapability {
  const { repositories, secrets, destinations } = prepared;
  const { generation, batching, assets, webhooks, logger } = parts;
  const withRepositories = { ...deps, ...repositories };
  const shopify = new ShopifyConnectionService({ ...withRepositories, secrets });
  const shopifyPublisher = new ShopifyPublisher(withRepositories, shopify, assets);
  const publish = new PublishService(withRepositories, {
    shopify: shopifyPublisher,
    http: new HttpPublisher({ ...withRepositories, secrets }, assets),
    bucket: new BucketPublisher({ ...withRepositories, secrets }, assets),
  });
  const shopifyEvents = new ShopifyEventsService(withRepositories, shopify, generation.generations);
  const shopifySync = new ShopifySyncService(withRepositories, {
    connection: shopify,
    imports: batching.batchImports,
    batches: batching.batches,
    publish,
  });

  const slack = new SlackService({ ...withRepositories, secrets }, () => assets.publicUrl);
  // Slack hears what webhooks carry: batch.finished/failed, budget.warning, assistant.handoff.
  const stopSlack = webhooks.onEmit(slackEventTypes, (type, data) => slack.notify(type, data));
  // budget.warning once per key and UTC day, as a webhook event (and so to Slack).
  const stopBudget = generation.budget.onWarning((warning) => {
    void (async () => {
      if (!(await repositories.slack.claimBudgetWarning(deps.db, warning.apiKeyId, warning.day))) return;
      await webhooks.emit(
        'budget.warning',
        {
          api_key_id: warning.apiKeyId,
          key_name: warning.keyName,
          daily_budget_usd: warning.dailyBudgetUsd,
          committed_today_usd: warning.committedTodayUsd,
          used_ratio: warning.usedRatio,
          day: warning.day,
          refused: warning.refused,
        },
        null,
      );
    })().catch(report('could not send a budget warning'));
  });

  const report = (what: string) => (error: Error) => logger.warn({ err: error }, what);
  // Once per job across a fleet: the process that finished the job publishes it.
  const stopJobs = deps.events.subscribeLocal((event) => {
    if (event.type !== 'done') return;
    if (event.status === 'succeeded')
      publish.onJobSucceeded(event.jobId).catch(report('could not publish a job'));
    if (event.status === 'failed')
      forgetFailedRender(event.jobId).catch(report('could not record a failed Shopify render'));
  });
  const stopBatches = batching.batches.onBatchFinished((batch) => {
    if (batch.destinations.length > 0)
      publish.sweepBatch(batch.id).catch(report('could not publish a batch'));
  });
  async function forgetFailedRender(jobId: string) {
    const job = await deps.jobs.findById(deps.db, jobId);
    const productId = job?.metadata.shopify_product_id;
    if (job && typeof productId === 'string')
      await repositories.shopify.markFailed(deps.db, productId, `${job.error?.code}: ${job.error?.message}`);
  }

  return {
    shopify,
    shopifyEvents,
    shopifySync,
    shopifyPublisher,
    publish,
    destinations,
    slack,
    async startWorkers(queue) {
      await queue.work(SHOPIFY_EVENT_QUEUE, { concurrency: 2 }, (payload) => shopifyEvents.handle(payload));
      await queue.work(SHOPIFY_SYNC_QUEUE, { concurrency: 1 }, (payload, job) =>
        shopifySync.run(payload.syncId, job.signal),
      );
      await queue.work(PUBLISH_QUEUE, { concurrency: 4 }, (payload, job) =>
        publish.deliver(payload.publicationId, job.signal),
      );
      await queue.work(SLACK_QUEUE, { concurrency: 1 }, (payload) => slack.deliver(payload.messageId));
      const resumed = await publish.resume();
      if (resumed > 0)
        logger.info({ count: resumed }, 'queued publications a stop had kept from being created');
    },
    stop() {
      stopJobs();
      stopBatches();
      stopSlack();
      stopBudget();
    },
  };
}
