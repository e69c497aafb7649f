-- The shopper assistant: conversations, their messages (question, the stored photo, the answer
-- with its grounding), and the short-lived tokens of the <vitrine-assistant> element.
CREATE TABLE assistant_conversations (
  id          uuid PRIMARY KEY,
  api_key_id  text,
  customer_id text,
  sku         text,
  locale      text NOT NULL CHECK (locale IN ('zh', 'en')),
  -- Model tokens per gpt-tokenizer token, learnt from the model's reported usage (memory budget).
  token_ratio double precision NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assistant_conversations_created_idx ON assistant_conversations (created_at DESC, id DESC);
CREATE INDEX assistant_conversations_customer_idx ON assistant_conversations (customer_id, created_at DESC);

CREATE TABLE assistant_messages (
  id              uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES assistant_conversations (id) ON DELETE CASCADE,
  seq             integer NOT NULL,
  question        text NOT NULL,
  image_asset_id  text,
  sku             text,
  answer          text NOT NULL,
  intent          text NOT NULL,
  needs_human     boolean NOT NULL,
  confidence      double precision NOT NULL,
  -- gpt-tokenizer tokens of question + answer, for the memory window.
  tokens          integer NOT NULL,
  -- One line of this turn's facts, for the summary of turns that left the window.
  facts_line      text NOT NULL,
  model           text,
  cost_usd        double precision NOT NULL DEFAULT 0,
  result          jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, seq)
);
CREATE INDEX assistant_messages_handoff_idx ON assistant_messages (created_at DESC) WHERE needs_human;

CREATE TABLE assistant_tokens (
  token_hash     text PRIMARY KEY,
  api_key_id     text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  customer_id    text,
  sku            text,
  allowed_origin text,
  expires_at     timestamptz NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assistant_tokens_expiry_idx ON assistant_tokens (expires_at);
