-- Call records (issue #15): the satisfaction survey's outcome (V12) — NULL: no survey;
-- 'rated' with its score, or 'not_rated' (the customer hung up or pressed nothing) — and
-- who handed the call to whom (V5, V6: blind to a queue or agent, attended to an agent).
ALTER TABLE call_records ADD COLUMN survey TEXT CHECK (survey IN ('rated', 'not_rated'));
ALTER TABLE call_records ADD COLUMN survey_score INTEGER
    CHECK (survey_score IS NULL OR (survey_score BETWEEN 1 AND 5 AND survey = 'rated'));

CREATE TABLE call_handoffs (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    call_id BLOB NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('blind', 'attended')),
    from_agent_id BLOB,
    to_agent_id BLOB,
    to_queue_id BLOB,
    PRIMARY KEY (call_id, seq)
);
