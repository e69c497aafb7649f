-- Issue 11: quality is data. Every image records its quality ({score, parts, checks}); old images
-- have none (NULL). Jobs and batches keep the design options of their request: the style pack and
-- the minimum quality score ({"style_pack": "festive", "min_quality": 0.7}).
ALTER TABLE assets ADD COLUMN quality jsonb;
ALTER TABLE jobs ADD COLUMN options jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE batches ADD COLUMN options jsonb NOT NULL DEFAULT '{}'::jsonb;
