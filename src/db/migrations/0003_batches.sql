-- Batches (issue 5): a batch, its imported rows, and the exact-request cache.

CREATE TABLE batches (
  id                 text PRIMARY KEY,
  -- importing: rows are being read; queued/running: rows become jobs and run; then a final status.
  status             text NOT NULL CHECK (status IN ('importing', 'queued', 'running', 'succeeded', 'failed', 'canceled')),
  api_key_id         text,
  template           text NOT NULL,
  brand              text NOT NULL,
  n                  integer NOT NULL,
  provider           text,
  model              text,
  priority           text NOT NULL,
  cache              text NOT NULL,
  webhook_url        text,
  key_column         text,
  -- Valid rows (those that become jobs).
  total              integer NOT NULL DEFAULT 0,
  -- Invalid rows, as [{row, message}] by spreadsheet line; capped, with the full count beside it.
  errors             jsonb NOT NULL DEFAULT '[]',
  error_count        integer NOT NULL DEFAULT 0,
  cost_estimate_usd  double precision NOT NULL DEFAULT 0,
  idempotency_key    text,
  request_hash       text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  finished_at        timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX batches_idempotency_idx ON batches (coalesce(api_key_id, ''), idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX batches_active_idx ON batches (created_at) WHERE status IN ('queued', 'running');

-- One row per valid imported row. `job_id` is set in the same transaction that creates the job,
-- so a fan-out that crashes resumes from the first row without one and never makes a second.
CREATE TABLE batch_rows (
  batch_id   text NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
  position   integer NOT NULL,
  line       integer NOT NULL,
  row_key    text,
  params     jsonb NOT NULL,
  n          integer,
  seed       bigint,
  brand      text,
  job_id     uuid,
  PRIMARY KEY (batch_id, position)
);
CREATE INDEX batch_rows_pending_idx ON batch_rows (batch_id, position) WHERE job_id IS NULL;
CREATE INDEX batch_rows_job_idx ON batch_rows (job_id) WHERE job_id IS NOT NULL;

-- The fan-out keeps only a window of each batch's jobs unfinished: this index counts them cheaply.
CREATE INDEX jobs_batch_unfinished_idx ON jobs (batch_id) WHERE status IN ('queued', 'running') AND batch_id IS NOT NULL;

-- Cost: a daily budget per API key (null: none), and each job's estimate, so money committed to
-- jobs still running counts against the budget before their actual cost is known.
ALTER TABLE api_keys ADD COLUMN daily_budget_usd double precision;
ALTER TABLE jobs ADD COLUMN cost_estimate_usd double precision NOT NULL DEFAULT 0;
CREATE INDEX jobs_key_created_idx ON jobs (api_key_id, created_at) WHERE api_key_id IS NOT NULL;
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE status = 'succeeded';

-- Request cache. A job's key is the hash of its normalized request (null with cache: off); once it
-- succeeds, an entry points the key at it. `scope_key` hashes the request without its prompt and
-- seed: near-duplicate lookups compare prompts only within one scope.
ALTER TABLE jobs ADD COLUMN cache_key text;
-- Images of the job made again with a new seed because they failed their checks.
ALTER TABLE jobs ADD COLUMN quality_retries integer NOT NULL DEFAULT 0;
CREATE TABLE cache_entries (
  request_key  text PRIMARY KEY,
  scope_key    text NOT NULL,
  job_id       uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  prompt       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_hit_at  timestamptz NOT NULL DEFAULT now(),
  hits         integer NOT NULL DEFAULT 0
);
CREATE INDEX cache_entries_lru_idx ON cache_entries (last_hit_at);
CREATE INDEX cache_entries_created_idx ON cache_entries (created_at);

-- Outgoing webhooks: endpoints registered through /v1/webhooks, and every delivery (also those to
-- a request's own webhook_url, which have no endpoint row) with its attempts.
CREATE TABLE webhooks (
  id          text PRIMARY KEY,
  url         text NOT NULL,
  secret      text NOT NULL,
  events      text[] NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY,
  webhook_id       text REFERENCES webhooks (id) ON DELETE CASCADE,
  url              text NOT NULL,
  event_type       text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error       text,
  replay_of        uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz,
  delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC);
