-- The status as a search token (a "facet"), so a full-text search narrowed by status is
-- answered by one index probe (storage tickets::facets).
ALTER TABLE tickets ADD COLUMN facets TEXT NOT NULL DEFAULT '';

UPDATE tickets SET facets = 'zs' || lower(hex(status));

UPDATE ticket_search SET terms = (
    SELECT t.terms || ' ' || t.facets FROM tickets t WHERE t.search_rowid = ticket_search.rowid
) WHERE rowid IN (SELECT search_rowid FROM tickets);
