-- Status and short field values as search tokens ("facets"), so a full-text search narrowed
-- by a status or a field is answered by one index probe (storage tickets::facets).
ALTER TABLE tickets ADD COLUMN facets TEXT NOT NULL DEFAULT '';

UPDATE tickets SET facets = 'zs' || lower(hex(status)) || COALESCE((
    SELECT ' ' || group_concat('zf' || lower(hex(v.code || '=' || v.value)), ' ')
    FROM ticket_values v
    WHERE v.ticket_id = tickets.id AND length(CAST(v.code || '=' || v.value AS BLOB)) <= 100
), '');

UPDATE ticket_search SET terms = (
    SELECT t.terms || ' ' || t.facets FROM tickets t WHERE t.search_rowid = ticket_search.rowid
) WHERE rowid IN (SELECT search_rowid FROM tickets);
