-- Status and short field values as search tokens ("facets"), so a full-text search narrowed
-- by a status or a field is answered by one index probe (storage tickets::facets).
ALTER TABLE tickets ADD COLUMN facets TEXT NOT NULL DEFAULT '';

UPDATE tickets t SET facets = 'zs' || encode(convert_to(t.status, 'UTF8'), 'hex') || COALESCE((
    SELECT ' ' || string_agg('zf' || encode(convert_to(v.code || '=' || v.value, 'UTF8'), 'hex'), ' ')
    FROM ticket_values v
    WHERE v.ticket_id = t.id AND octet_length(v.code || '=' || v.value) <= 100
), '');

ALTER TABLE tickets DROP COLUMN search;
ALTER TABLE tickets ADD COLUMN search TSVECTOR
    GENERATED ALWAYS AS (to_tsvector('simple', terms || ' ' || facets)) STORED;
CREATE INDEX ticket_search ON tickets USING GIN (search);
