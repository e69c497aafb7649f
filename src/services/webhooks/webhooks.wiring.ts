import type { Logger } from '../../app/logger.ts';
import type { AssetService } from '../assets/asset.service.ts';
import type { BatchService } from '../batches/batch.service.ts';
import type { ServiceDeps } from '../deps.ts';
import { WebhookService } from './webhook.service.ts';
import { wireWebhookEvents } from './webhook-events.ts';

export interface WebhooksCapability {
  webhooks: WebhookService;
  /** Stops turning job and batch events into deliveries. */
  stop(): void;
}

/** Signed outgoing webhooks, fed by job and batch events. */
export function wireWebhooks(
  deps: ServiceDeps,
  parts: { batches: BatchService; assets: AssetService; logger: Logger },
): WebhooksCapability {
  const webhooks = new WebhookService(deps);
  const stop = wireWebhookEvents({ deps, webhooks, ...parts });
  return { webhooks, stop };
}
