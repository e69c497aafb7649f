-- Web studio sessions (issue 6): the browser holds an opaque random token in an HttpOnly cookie; the
-- database holds only its sha256, so a leaked table cannot be replayed. Sessions live here rather
-- than in memory so any API node can serve any request.
CREATE TABLE studio_sessions (
  token_hash  text PRIMARY KEY,
  api_key_id  text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX studio_sessions_expires_idx ON studio_sessions (expires_at);
