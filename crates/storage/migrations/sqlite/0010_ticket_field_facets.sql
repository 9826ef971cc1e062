-- Select and cascade values as search tokens ("facets", storage tickets::facets): each type
-- names its option fields, and every ticket holding a value of one in its tenant gets the
-- value's token beside its status token.
ALTER TABLE ticket_types ADD COLUMN facet_fields TEXT NOT NULL DEFAULT '';

UPDATE ticket_types SET facet_fields = COALESCE((
    SELECT group_concat(json_extract(f.value, '$.code'), ' ')
    FROM json_each(ticket_types.definition, '$.fields') f
    WHERE json_extract(f.value, '$.type') IN ('single_select', 'multi_select', 'cascade')
), '');

-- The tenants' facet fields, one row per code (codes are [a-z0-9_]: safe inside a JSON string).
CREATE TEMP TABLE facet_codes AS
    SELECT DISTINCT ty.tenant_id, c.value AS code
    FROM ticket_types ty, json_each('["' || replace(ty.facet_fields, ' ', '","') || '"]') c
    WHERE ty.facet_fields <> '';

UPDATE tickets SET facets = 'zs' || lower(hex(status)) || COALESCE((
    SELECT group_concat(' zf' || lower(hex(v.code)) || 'x' || lower(hex(v.value)), '')
    FROM ticket_values v JOIN facet_codes c ON c.tenant_id = v.tenant_id AND c.code = v.code
    WHERE v.ticket_id = tickets.id
), '')
WHERE id IN (
    SELECT v.ticket_id FROM ticket_values v
    JOIN facet_codes c ON c.tenant_id = v.tenant_id AND c.code = v.code
);

UPDATE ticket_search SET terms = (
    SELECT t.terms || ' ' || t.facets FROM tickets t WHERE t.search_rowid = ticket_search.rowid
) WHERE rowid IN (
    SELECT t.search_rowid FROM tickets t WHERE t.id IN (
        SELECT v.ticket_id FROM ticket_values v
        JOIN facet_codes c ON c.tenant_id = v.tenant_id AND c.code = v.code
    )
);

DROP TABLE facet_codes;

-- A search reads up to 5,000 matches' ticket ids (and tenants) by their full-text row: from
-- the index alone, not from each ticket's row.
DROP INDEX tickets_search;
CREATE INDEX tickets_search ON tickets (search_rowid, tenant_id, id);
