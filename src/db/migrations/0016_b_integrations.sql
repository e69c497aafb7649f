-- Issue 16 (shop): Shopify, Slack and publish destinations. Secrets (tokens, webhook secrets, the
-- Slack URL, CMS credentials) are stored encrypted (AES-256-GCM, see secret-box.ts), never in clear.

-- The one connected shop.
CREATE TABLE shopify_connections (
  id              integer PRIMARY KEY CHECK (id = 1),
  shop            text NOT NULL,
  access_token    text NOT NULL,
  webhook_secret  text NOT NULL,
  api_version     text NOT NULL,
  templates       text[] NOT NULL,
  brand           text,
  admin_base_url  text,
  currency_code   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Every webhook accepted (after its HMAC was verified). The primary key is the delivery's
-- X-Shopify-Webhook-Id and `event_key` is X-Shopify-Event-Id + topic: a redelivery or a second
-- delivery of one event conflicts and is answered 200 without doing anything twice.
CREATE TABLE shopify_webhook_events (
  webhook_id   text PRIMARY KEY,
  event_key    text UNIQUE,
  topic        text NOT NULL,
  shop         text NOT NULL,
  product_id   text,
  payload      jsonb NOT NULL,
  -- queued → rendering | unchanged | ignored | failed
  outcome      text NOT NULL DEFAULT 'queued',
  detail       text,
  job_ids      uuid[] NOT NULL DEFAULT '{}',
  received_at  timestamptz NOT NULL DEFAULT now(),
  handled_at   timestamptz
);
CREATE INDEX shopify_webhook_events_received_idx ON shopify_webhook_events (received_at DESC);

-- What Vitrine made for each product: the fingerprint of the inputs it rendered from (title,
-- price, type, own image, templates, brand) and the media it attached. An event whose fingerprint
-- is unchanged — such as the products/update Shopify sends after Vitrine attached images — does
-- nothing: Vitrine never loops on its own updates.
CREATE TABLE shopify_products (
  product_id     text PRIMARY KEY,
  fingerprint    text,
  title          text NOT NULL DEFAULT '',
  price          text,
  product_type   text NOT NULL DEFAULT '',
  image_url      text,
  attached_media text[] NOT NULL DEFAULT '{}',
  sync_id        text,
  last_error     text,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shopify_products_sync_idx ON shopify_products (sync_id, product_id) WHERE sync_id IS NOT NULL;

-- `vitrine shopify sync`: lists the catalog, then renders it as one batch per template.
CREATE TABLE shopify_syncs (
  id           text PRIMARY KEY,
  status       text NOT NULL CHECK (status IN ('listing', 'rendering', 'succeeded', 'failed')),
  force        boolean NOT NULL DEFAULT false,
  listed       integer NOT NULL DEFAULT 0,
  claimed      integer NOT NULL DEFAULT 0,
  batch_ids    text[] NOT NULL DEFAULT '{}',
  error        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

-- Publish destinations for batches: a CMS (templated HTTP call) or a customer's bucket.
CREATE TABLE destinations (
  id          text PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  kind        text NOT NULL CHECK (kind IN ('http', 'bucket')),
  config      jsonb NOT NULL,
  secret      text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE batches ADD COLUMN destinations text[] NOT NULL DEFAULT '{}';

-- The delivery log: one publication per succeeded job and destination ('shopify' or a destination
-- id), each attempt recorded. The unique index makes publishing a job twice impossible; a replay
-- is a new row pointing at the original.
CREATE TABLE publications (
  id               uuid PRIMARY KEY,
  job_id           uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  batch_id         text,
  destination      text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('shopify', 'http', 'bucket')),
  target           text NOT NULL DEFAULT '',
  status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  error_code       text,
  last_status_code integer,
  last_error       text,
  -- What the last attempt sent (method, URL, key…; never a secret) and what it got back (excerpt).
  request          jsonb NOT NULL DEFAULT '{}',
  response_excerpt text,
  -- Progress an attempt made that a retry must not redo (e.g. media already attached).
  progress         jsonb NOT NULL DEFAULT '{}',
  replay_of        uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz,
  finished_at      timestamptz
);
CREATE UNIQUE INDEX publications_once_idx ON publications (job_id, destination) WHERE replay_of IS NULL;
CREATE INDEX publications_batch_idx ON publications (batch_id, created_at) WHERE batch_id IS NOT NULL;
CREATE INDEX publications_target_pending_idx ON publications (kind, target) WHERE status = 'pending';

-- Slack: one incoming-webhook URL (encrypted) and the events it hears.
CREATE TABLE slack_integrations (
  id          integer PRIMARY KEY CHECK (id = 1),
  webhook_url text NOT NULL,
  events      text[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE slack_messages (
  id               uuid PRIMARY KEY,
  event_type       text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz,
  delivered_at     timestamptz
);
CREATE INDEX slack_messages_created_idx ON slack_messages (created_at DESC);

-- budget.warning is sent once per key and UTC day.
CREATE TABLE budget_warnings (
  api_key_id  text NOT NULL,
  day         date NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (api_key_id, day)
);
