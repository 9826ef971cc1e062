-- Call records (V13): one row per call, one per leg with its times and media quality. The
-- id is the call record's, which names the recording too (`recordings/<tenant>/<id>.wav`).
-- Agents, queues and contacts are kept by id without a foreign key: a record outlives them.
CREATE TABLE call_records (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    caller TEXT NOT NULL,
    dialled TEXT NOT NULL,
    direction TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    answered_at BIGINT,
    ended_at BIGINT,
    queue_id UUID,
    queued_at BIGINT,
    wait_ms BIGINT,
    agent_id UUID,
    released_by TEXT,
    end_status BIGINT,
    contact_id UUID,
    recording BOOLEAN NOT NULL,
    recording_ms BIGINT
);
CREATE INDEX call_records_by_tenant ON call_records (tenant_id, id);
CREATE INDEX call_records_by_agent ON call_records (tenant_id, agent_id, id);

-- A leg: the caller's, or one we placed to an agent's device or a destination. Quality is
-- what we received on it (packets, loss, interarrival jitter, estimated MOS × 100), known
-- once its media closed.
CREATE TABLE call_legs (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    call_id UUID NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
    party TEXT NOT NULL,
    agent_id UUID,
    codec TEXT NOT NULL,
    ring_at BIGINT NOT NULL,
    answered_at BIGINT,
    ended_at BIGINT,
    packets BIGINT,
    lost BIGINT,
    jitter_ms DOUBLE PRECISION,
    mos_x100 BIGINT
);
CREATE INDEX call_legs_by_call ON call_legs (tenant_id, call_id);
