-- Worker processes announce themselves: one row per process start, refreshed by its heartbeat.
-- Times are the database's own clock, so machines with drifting clocks still agree on "stale".
CREATE TABLE workers (
  id              text PRIMARY KEY,
  host            text NOT NULL,
  pid             integer NOT NULL,
  version         text NOT NULL,
  concurrency     integer NOT NULL,
  running_job_ids text[] NOT NULL DEFAULT '{}',
  finished_jobs   integer NOT NULL DEFAULT 0,
  -- Each provider this worker can use: health, circuit, and for GPU servers their GPU and queue.
  providers       jsonb NOT NULL DEFAULT '[]',
  started_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  stopped_at      timestamptz
);
CREATE INDEX workers_last_seen_idx ON workers (last_seen_at DESC);

-- The worker process that runs (or last ran) each job.
ALTER TABLE jobs ADD COLUMN worker_id text;
CREATE INDEX jobs_running_worker_idx ON jobs (worker_id) WHERE status = 'running';
