-- Select and cascade values as search tokens ("facets", storage tickets::facets): each type
-- names its option fields, and every ticket holding a value of one in its tenant gets the
-- value's token beside its status token.
ALTER TABLE ticket_types ADD COLUMN facet_fields TEXT NOT NULL DEFAULT '';

UPDATE ticket_types SET facet_fields = COALESCE((
    SELECT string_agg(f ->> 'code', ' ')
    FROM jsonb_array_elements(definition::jsonb -> 'fields') f
    WHERE f ->> 'type' IN ('single_select', 'multi_select', 'cascade')
), '');

CREATE TEMP TABLE facet_codes AS
    SELECT DISTINCT ty.tenant_id, c.code
    FROM ticket_types ty, unnest(string_to_array(ty.facet_fields, ' ')) AS c (code)
    WHERE ty.facet_fields <> '';

UPDATE tickets t SET facets = 'zs' || encode(convert_to(t.status, 'UTF8'), 'hex') || COALESCE((
    SELECT string_agg(' zf' || encode(convert_to(v.code, 'UTF8'), 'hex') || 'x'
        || encode(convert_to(v.value, 'UTF8'), 'hex'), '')
    FROM ticket_values v JOIN facet_codes c ON c.tenant_id = v.tenant_id AND c.code = v.code
    WHERE v.ticket_id = t.id
), '')
WHERE t.id IN (
    SELECT v.ticket_id FROM ticket_values v
    JOIN facet_codes c ON c.tenant_id = v.tenant_id AND c.code = v.code
);

DROP TABLE facet_codes;
