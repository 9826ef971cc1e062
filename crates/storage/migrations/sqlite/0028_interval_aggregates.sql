-- Interval aggregates (issue #16): what the tally (switchboard_engine::stats) counts from
-- the engine's events, written in the same transaction as the events. grain 0: a 15-minute
-- bucket, `at` its start in UTC milliseconds; grain 1: a day of the tenant's time zone, `at`
-- its number of days since 1970-01-01 (rebuilt from the buckets when the zone changes).
-- Queues and agents may be deleted later; their history stays, so no reference to them.

CREATE TABLE stat_queue (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    grain SMALLINT NOT NULL,
    at BIGINT NOT NULL,
    queue_id BLOB NOT NULL,
    offered INTEGER NOT NULL DEFAULT 0,
    transferred_in INTEGER NOT NULL DEFAULT 0,
    overflowed_in INTEGER NOT NULL DEFAULT 0,
    answered INTEGER NOT NULL DEFAULT 0,
    answered_in_target INTEGER NOT NULL DEFAULT 0,
    answer_wait_ms INTEGER NOT NULL DEFAULT 0,
    abandoned INTEGER NOT NULL DEFAULT 0,
    abandoned_short INTEGER NOT NULL DEFAULT 0,
    abandon_wait_ms INTEGER NOT NULL DEFAULT 0,
    timed_out INTEGER NOT NULL DEFAULT 0,
    overflowed_out INTEGER NOT NULL DEFAULT 0,
    cancelled INTEGER NOT NULL DEFAULT 0,
    outbound INTEGER NOT NULL DEFAULT 0,
    handled INTEGER NOT NULL DEFAULT 0,
    talk_ms INTEGER NOT NULL DEFAULT 0,
    hold_ms INTEGER NOT NULL DEFAULT 0,
    wrap_ms INTEGER NOT NULL DEFAULT 0,
    transferred_out INTEGER NOT NULL DEFAULT 0,
    no_answers INTEGER NOT NULL DEFAULT 0,
    max_wait_ms INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, grain, at, queue_id)
);

CREATE TABLE stat_agent (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    grain SMALLINT NOT NULL,
    at BIGINT NOT NULL,
    agent_id BLOB NOT NULL,
    channel TEXT NOT NULL,
    offers INTEGER NOT NULL DEFAULT 0,
    answered INTEGER NOT NULL DEFAULT 0,
    outbound INTEGER NOT NULL DEFAULT 0,
    handled INTEGER NOT NULL DEFAULT 0,
    talk_ms INTEGER NOT NULL DEFAULT 0,
    hold_ms INTEGER NOT NULL DEFAULT 0,
    wrap_ms INTEGER NOT NULL DEFAULT 0,
    transferred_out INTEGER NOT NULL DEFAULT 0,
    no_answers INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, grain, at, agent_id, channel)
);

-- An agent's time per state; busy and rest per reason ('' for none).
CREATE TABLE stat_agent_state (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    grain SMALLINT NOT NULL,
    at BIGINT NOT NULL,
    agent_id BLOB NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL,
    ms INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, grain, at, agent_id, state, reason)
);

-- Where agents' time has been counted to (a bucket boundary): a restarted server counts
-- from here, neither twice nor with a gap.
CREATE TABLE stat_marks (
    tenant_id BLOB PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    flushed_to BIGINT NOT NULL
);

-- A queue's targets and the wallboard's colours: the service-level time and goal (80 % in
-- 20 s), the wait under which an abandon is short, and warning and alarm thresholds for
-- waiting contacts, the longest wait, the service level and the abandon rate.
CREATE TABLE queue_targets (
    tenant_id BLOB NOT NULL,
    queue_id BLOB NOT NULL,
    answer_within_s INTEGER NOT NULL,
    service_level_goal INTEGER NOT NULL,
    short_abandon_s INTEGER NOT NULL,
    waiting_warn INTEGER,
    waiting_alarm INTEGER,
    longest_wait_warn_s INTEGER,
    longest_wait_alarm_s INTEGER,
    service_level_warn INTEGER,
    service_level_alarm INTEGER,
    abandon_rate_warn INTEGER,
    abandon_rate_alarm INTEGER,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, queue_id),
    FOREIGN KEY (tenant_id, queue_id) REFERENCES skill_queues (tenant_id, id) ON DELETE CASCADE
);

-- Reading the events back: a moment of the center (the wallboard as of a time), an agent's
-- latest state before a moment, the contacts open at a moment.
CREATE INDEX engine_events_at ON engine_events (tenant_id, at);
CREATE INDEX engine_events_agent_kind ON engine_events (tenant_id, agent_id, kind, at);
CREATE INDEX contacts_closed ON contacts (tenant_id, closed_at);
