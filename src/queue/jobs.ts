/** Queue names and their payloads: a handler receives exactly the payload type of its queue. */
export interface QueuePayloads {
  /** Run attempt `attempt` (1-based) of a generation job. */
  'vitrine-generate': { jobId: string; attempt: number };
}
export type QueueName = keyof QueuePayloads;

export const GENERATE_QUEUE = 'vitrine-generate' satisfies QueueName;
