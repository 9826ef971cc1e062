-- The status as a search token (a "facet"), so a full-text search narrowed by status is
-- answered by one index probe (storage tickets::facets).
ALTER TABLE tickets ADD COLUMN facets TEXT NOT NULL DEFAULT '';

UPDATE tickets SET facets = 'zs' || encode(convert_to(status, 'UTF8'), 'hex');

ALTER TABLE tickets DROP COLUMN search;
ALTER TABLE tickets ADD COLUMN search TSVECTOR
    GENERATED ALWAYS AS (to_tsvector('simple', terms || ' ' || facets)) STORED;
CREATE INDEX ticket_search ON tickets USING GIN (search);
