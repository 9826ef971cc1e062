-- Hand-overs to something other than an agent (issue #15, V5): 'external' (an outside number
-- through a trunk) and 'ivr' (an IVR flow, or the satisfaction survey), with the number or the
-- flow's name in to_target.
ALTER TABLE call_handoffs DROP CONSTRAINT call_handoffs_kind_check;
ALTER TABLE call_handoffs ADD CONSTRAINT call_handoffs_kind_check
    CHECK (kind IN ('blind', 'attended', 'external', 'ivr'));
ALTER TABLE call_handoffs ADD COLUMN to_target TEXT;
