-- Every call to a chat/vision model (the assistant, script analysis): its tokens and cost, so key
-- budgets and the cost ledger count them with the image jobs.
CREATE TABLE chat_calls (
  id             uuid PRIMARY KEY,
  api_key_id     text,
  purpose        text NOT NULL,
  model_id       text NOT NULL,
  model          text NOT NULL,
  input_tokens   integer NOT NULL,
  output_tokens  integer NOT NULL,
  usage_reported boolean NOT NULL,
  cost_usd       double precision NOT NULL,
  outcome        text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_calls_key_created_idx ON chat_calls (api_key_id, created_at);
CREATE INDEX chat_calls_created_idx ON chat_calls (created_at);
