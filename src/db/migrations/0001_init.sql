-- Vitrine schema v1: API keys, brands, templates, jobs, assets, settings.

CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  key_prefix   text NOT NULL,
  scopes       text[] NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

CREATE TABLE brands (
  slug       text PRIMARY KEY,
  version    integer NOT NULL DEFAULT 1,
  kit        jsonb NOT NULL,
  builtin    boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE templates (
  name       text PRIMARY KEY,
  version    integer NOT NULL DEFAULT 1,
  definition jsonb NOT NULL,
  builtin    boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE jobs (
  id               uuid PRIMARY KEY,
  status           text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
  batch_id         text,
  api_key_id       text,
  prompt           text NOT NULL,
  negative_prompt  text NOT NULL DEFAULT '',
  template         text,
  template_version integer,
  brand            text NOT NULL,
  brand_version    integer NOT NULL,
  provider         text NOT NULL,
  model            text NOT NULL,
  n                integer NOT NULL,
  width            integer NOT NULL,
  height           integer NOT NULL,
  format           text NOT NULL,
  priority         text NOT NULL,
  params           jsonb NOT NULL DEFAULT '{}',
  seed             bigint,
  attempts         integer NOT NULL DEFAULT 0,
  progress         double precision NOT NULL DEFAULT 0,
  cache            text NOT NULL DEFAULT 'miss',
  cost_usd         double precision NOT NULL DEFAULT 0,
  error            jsonb,
  warnings         jsonb NOT NULL DEFAULT '[]',
  metadata         jsonb NOT NULL DEFAULT '{}',
  webhook_url      text,
  idempotency_key  text,
  request_hash     text,
  -- The pg-boss job that runs the current attempt.
  queue_job_id     uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_created_idx ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_status_created_idx ON jobs (status, created_at DESC, id DESC);
CREATE INDEX jobs_batch_idx ON jobs (batch_id) WHERE batch_id IS NOT NULL;
CREATE UNIQUE INDEX jobs_idempotency_idx ON jobs (coalesce(api_key_id, ''), idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- One row per stored image. (job_id, position) is unique so a job that runs again after a crash
-- can never record a second set of images.
CREATE TABLE assets (
  id               text PRIMARY KEY,
  job_id           uuid REFERENCES jobs (id) ON DELETE SET NULL,
  position         integer,
  sha256           text NOT NULL,
  format           text NOT NULL,
  width            integer NOT NULL,
  height           integer NOT NULL,
  bytes            integer NOT NULL,
  seed             bigint,
  provider         text,
  model            text,
  prompt           text,
  negative_prompt  text,
  template         text,
  template_version integer,
  brand            text,
  brand_version    integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (job_id, position)
);
CREATE INDEX assets_sha_idx ON assets (sha256);

CREATE TABLE settings (
  key   text PRIMARY KEY,
  value text NOT NULL
);
