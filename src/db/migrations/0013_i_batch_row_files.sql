-- The file name stem of each batch row (issue 13): given at import, unique in the batch, so the zip,
-- the manifest and the CLI's --out name every image alike and never two the same. Rows imported
-- before this have none; their names come from the key as before.
ALTER TABLE batch_rows ADD COLUMN file_stem text;
