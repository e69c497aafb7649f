/** Queue names and their payloads: a handler receives exactly the payload type of its queue. */
export interface QueuePayloads {
  /** Run attempt `attempt` (1-based) of a generation job. */
  'vitrine-generate': { jobId: string; attempt: number };
  /** Turn the next pages of a batch's rows into jobs (resumable: rows without a job are the rest). */
  'vitrine-batch-fanout': { batchId: string };
  /** Attempt one webhook delivery. */
  'vitrine-webhook': { deliveryId: string };
}
export type QueueName = keyof QueuePayloads;

export const GENERATE_QUEUE = 'vitrine-generate' satisfies QueueName;
export const BATCH_FANOUT_QUEUE = 'vitrine-batch-fanout' satisfies QueueName;
export const WEBHOOK_QUEUE = 'vitrine-webhook' satisfies QueueName;
