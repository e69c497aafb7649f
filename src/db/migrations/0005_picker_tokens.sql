-- Picker tokens (issue 6): short-lived bearer credentials a CMS backend mints with its API key for
-- the <vitrine-picker> element on a page of another origin, where the studio's SameSite=Strict
-- cookie never goes. Only the sha256 is stored; a token dies with its key (revocation is checked at
-- each use, deletion cascades).
CREATE TABLE picker_tokens (
  token_hash      text PRIMARY KEY,
  api_key_id      text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  allowed_origin  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL
);
CREATE INDEX picker_tokens_expires_idx ON picker_tokens (expires_at);
