/** Queue names and their payloads: a handler receives exactly the payload type of its queue. */
export interface QueuePayloads {
  /** Run attempt `attempt` (1-based) of a generation job. */
  'vitrine-generate': { jobId: string; attempt: number };
  /** Turn the next pages of a batch's rows into jobs (resumable: rows without a job are the rest). */
  'vitrine-batch-fanout': { batchId: string };
  /** Attempt one webhook delivery. */
  'vitrine-webhook': { deliveryId: string };
  /** Handle one accepted Shopify webhook (render the product's templates); `deferrals` so far. */
  'vitrine-shopify-event': { webhookId: string; deferrals: number };
  /** List a shop's catalog and render it as batches. */
  'vitrine-shopify-sync': { syncId: string };
  /** Attempt one publication (Shopify attach, CMS call, bucket copy). */
  'vitrine-publish': { publicationId: string };
  /** Attempt one Slack message. */
  'vitrine-slack': { messageId: string };
}
export type QueueName = keyof QueuePayloads;

export const GENERATE_QUEUE = 'vitrine-generate' satisfies QueueName;
export const BATCH_FANOUT_QUEUE = 'vitrine-batch-fanout' satisfies QueueName;
export const WEBHOOK_QUEUE = 'vitrine-webhook' satisfies QueueName;
export const SHOPIFY_EVENT_QUEUE = 'vitrine-shopify-event' satisfies QueueName;
export const SHOPIFY_SYNC_QUEUE = 'vitrine-shopify-sync' satisfies QueueName;
export const PUBLISH_QUEUE = 'vitrine-publish' satisfies QueueName;
export const SLACK_QUEUE = 'vitrine-slack' satisfies QueueName;
