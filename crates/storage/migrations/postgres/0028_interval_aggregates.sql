-- Interval aggregates (issue #16): what the tally (switchboard_engine::stats) counts from
-- the engine's events, written in the same transaction as the events. grain 0: a 15-minute
-- bucket, `at` its start in UTC milliseconds; grain 1: a day of the tenant's time zone, `at`
-- its number of days since 1970-01-01 (rebuilt from the buckets when the zone changes).
-- Queues and agents may be deleted later; their history stays, so no reference to them.

CREATE TABLE stat_queue (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    grain SMALLINT NOT NULL,
    at BIGINT NOT NULL,
    queue_id UUID NOT NULL,
    offered BIGINT NOT NULL DEFAULT 0,
    transferred_in BIGINT NOT NULL DEFAULT 0,
    overflowed_in BIGINT NOT NULL DEFAULT 0,
    answered BIGINT NOT NULL DEFAULT 0,
    answered_in_target BIGINT NOT NULL DEFAULT 0,
    answer_wait_ms BIGINT NOT NULL DEFAULT 0,
    abandoned BIGINT NOT NULL DEFAULT 0,
    abandoned_short BIGINT NOT NULL DEFAULT 0,
    abandon_wait_ms BIGINT NOT NULL DEFAULT 0,
    timed_out BIGINT NOT NULL DEFAULT 0,
    overflowed_out BIGINT NOT NULL DEFAULT 0,
    cancelled BIGINT NOT NULL DEFAULT 0,
    outbound BIGINT NOT NULL DEFAULT 0,
    handled BIGINT NOT NULL DEFAULT 0,
    talk_ms BIGINT NOT NULL DEFAULT 0,
    hold_ms BIGINT NOT NULL DEFAULT 0,
    wrap_ms BIGINT NOT NULL DEFAULT 0,
    transferred_out BIGINT NOT NULL DEFAULT 0,
    no_answers BIGINT NOT NULL DEFAULT 0,
    max_wait_ms BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, grain, at, queue_id)
);

CREATE TABLE stat_agent (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    grain SMALLINT NOT NULL,
    at BIGINT NOT NULL,
    agent_id UUID NOT NULL,
    channel TEXT NOT NULL,
    offers BIGINT NOT NULL DEFAULT 0,
    answered BIGINT NOT NULL DEFAULT 0,
    outbound BIGINT NOT NULL DEFAULT 0,
    handled BIGINT NOT NULL DEFAULT 0,
    talk_ms BIGINT NOT NULL DEFAULT 0,
    hold_ms BIGINT NOT NULL DEFAULT 0,
    wrap_ms BIGINT NOT NULL DEFAULT 0,
    transferred_out BIGINT NOT NULL DEFAULT 0,
    no_answers BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, grain, at, agent_id, channel)
);

-- An agent's time per state; busy and rest per reason ('' for none).
CREATE TABLE stat_agent_state (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    grain SMALLINT NOT NULL,
    at BIGINT NOT NULL,
    agent_id UUID NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    ms BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, grain, at, agent_id, state, reason)
);

-- Where agents' time has been counted to (a bucket boundary): a restarted server counts
-- from here, neither twice nor with a gap.
CREATE TABLE stat_marks (
    tenant_id UUID PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    flushed_to BIGINT NOT NULL
);

-- A queue's targets and the wallboard's colours: the service-level time and goal (80 % in
-- 20 s), the wait under which an abandon is short, and warning and alarm thresholds for
-- waiting contacts, the longest wait, the service level and the abandon rate.
CREATE TABLE queue_targets (
    tenant_id UUID NOT NULL,
    queue_id UUID NOT NULL,
    answer_within_s BIGINT NOT NULL,
    service_level_goal BIGINT NOT NULL,
    short_abandon_s BIGINT NOT NULL,
    waiting_warn BIGINT,
    waiting_alarm BIGINT,
    longest_wait_warn_s BIGINT,
    longest_wait_alarm_s BIGINT,
    service_level_warn BIGINT,
    service_level_alarm BIGINT,
    abandon_rate_warn BIGINT,
    abandon_rate_alarm BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, queue_id),
    FOREIGN KEY (tenant_id, queue_id) REFERENCES skill_queues (tenant_id, id) ON DELETE CASCADE
);

-- Reading the events back: a moment of the center (the wallboard as of a time), an agent's
-- latest state before a moment, the contacts open at a moment.
CREATE INDEX engine_events_at ON engine_events (tenant_id, at);
CREATE INDEX engine_events_agent_kind ON engine_events (tenant_id, agent_id, kind, at);
CREATE INDEX contacts_closed ON contacts (tenant_id, closed_at);
