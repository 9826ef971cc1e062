-- Hand-overs to something other than an agent (issue #15, V5): 'external' (an outside number
-- through a trunk) and 'ivr' (an IVR flow, or the satisfaction survey), with the number or the
-- flow's name in to_target. SQLite cannot change a CHECK in place: the table is rebuilt.
CREATE TABLE call_handoffs_new (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    call_id BLOB NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('blind', 'attended', 'external', 'ivr')),
    from_agent_id BLOB,
    to_agent_id BLOB,
    to_queue_id BLOB,
    to_target TEXT,
    PRIMARY KEY (call_id, seq)
);
INSERT INTO call_handoffs_new (tenant_id, call_id, seq, at, kind, from_agent_id, to_agent_id, to_queue_id)
SELECT tenant_id, call_id, seq, at, kind, from_agent_id, to_agent_id, to_queue_id FROM call_handoffs;
DROP TABLE call_handoffs;
ALTER TABLE call_handoffs_new RENAME TO call_handoffs;
