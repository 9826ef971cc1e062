-- Call records (V13): one row per call, one per leg with its times and media quality. The
-- id is the call record's, which names the recording too (`recordings/<tenant>/<id>.wav`).
-- Agents, queues and contacts are kept by id without a foreign key: a record outlives them.
CREATE TABLE call_records (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    caller TEXT NOT NULL,
    dialled TEXT NOT NULL,
    direction TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    queue_id BLOB,
    queued_at INTEGER,
    wait_ms INTEGER,
    agent_id BLOB,
    released_by TEXT,
    end_status INTEGER,
    contact_id BLOB,
    recording BOOLEAN NOT NULL,
    recording_ms INTEGER
);
CREATE INDEX call_records_by_tenant ON call_records (tenant_id, id);
CREATE INDEX call_records_by_agent ON call_records (tenant_id, agent_id, id);

-- A leg: the caller's, or one we placed to an agent's device or a destination. Quality is
-- what we received on it (packets, loss, interarrival jitter, estimated MOS × 100), known
-- once its media closed.
CREATE TABLE call_legs (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    call_id BLOB NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
    party TEXT NOT NULL,
    agent_id BLOB,
    codec TEXT NOT NULL,
    ring_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    packets INTEGER,
    lost INTEGER,
    jitter_ms REAL,
    mos_x100 INTEGER
);
CREATE INDEX call_legs_by_call ON call_legs (tenant_id, call_id);
