/**
 * Worker processes of a fleet as they announce themselves. Stored and served in the API's wire
 * shape (snake_case), so the heartbeat row is what `GET /v1/workers` shows.
 */

/** A GPU as its server reports it; null fields are what the server does not tell. */
export interface GpuReport {
  name: string | null;
  memory_used_bytes: number | null;
  memory_total_bytes: number | null;
}

/** One server behind a provider (a ComfyUI or A1111 instance), from its status routes. */
export interface BackendReport {
  /** The server's URL, without credentials. */
  url: string;
  ok: boolean;
  message: string | null;
  gpu: GpuReport | null;
  /** Prompts running and waiting on that server; null when it does not say. */
  queue_depth: number | null;
}

export interface ProviderReport {
  id: string;
  kind: string;
  healthy: boolean;
  message: string | null;
  circuit: string;
  backends: BackendReport[];
}

export interface WorkerRecord {
  id: string;
  host: string;
  pid: number;
  version: string;
  concurrency: number;
  running_job_ids: string[];
  finished_jobs: number;
  providers: ProviderReport[];
  started_at: Date;
  last_seen_at: Date;
  stopped_at: Date | null;
  /** Seconds since the last heartbeat, by the database's clock. */
  seen_seconds_ago: number;
}

/** `active`: heard from recently; `lost`: silent past the stale limit (crashed, cut off); `stopped`: said goodbye. */
export type WorkerState = 'active' | 'lost' | 'stopped';

export function workerState(
  worker: Pick<WorkerRecord, 'stopped_at' | 'seen_seconds_ago'>,
  staleSeconds: number,
): WorkerState {
  if (worker.stopped_at) return 'stopped';
  return worker.seen_seconds_ago <= staleSeconds ? 'active' : 'lost';
}
