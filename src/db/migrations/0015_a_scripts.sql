-- Live-stream scripts (issue 15): stored analyses, batch rows that carry their own template, size,
-- style pack and group (a script's render is one batch grouped by segment), and slideshow videos.

CREATE TABLE scripts (
  id          text PRIMARY KEY,
  api_key_id  text,
  brand       text NOT NULL,
  -- The script as sent, and its analysis (segments, offers, mood, plan) as the API returns it.
  text        text NOT NULL,
  analysis    jsonb NOT NULL,
  analyzer    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scripts_created_idx ON scripts (created_at DESC);

-- A row may name its own template and size (null: the batch's), the style pack to render in, and
-- the group it belongs to (a script segment): the zip puts a group's images in its own folder.
ALTER TABLE batch_rows ADD COLUMN template text;
ALTER TABLE batch_rows ADD COLUMN width integer;
ALTER TABLE batch_rows ADD COLUMN height integer;
ALTER TABLE batch_rows ADD COLUMN style_pack text;
ALTER TABLE batch_rows ADD COLUMN group_name text;

ALTER TABLE batches ADD COLUMN script_id text REFERENCES scripts (id) ON DELETE SET NULL;
CREATE INDEX batches_script_idx ON batches (script_id) WHERE script_id IS NOT NULL;

-- The slideshow of a script batch's covers, made once on first request and kept as a blob.
CREATE TABLE batch_videos (
  batch_id    text PRIMARY KEY REFERENCES batches (id) ON DELETE CASCADE,
  sha256      text NOT NULL,
  bytes       integer NOT NULL,
  seconds     double precision NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
