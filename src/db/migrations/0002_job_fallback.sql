-- The providers a job may move to, in order, when the one it was routed to is failing
-- (from the routing rule that chose it): [{"provider": "...", "model": "..."}].
ALTER TABLE jobs ADD COLUMN fallback jsonb NOT NULL DEFAULT '[]'::jsonb;
