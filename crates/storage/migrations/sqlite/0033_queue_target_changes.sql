-- Every change of a queue's targets (issue #16), with its time: a wallboard rebuilt "as of"
-- a past moment counts each contact with the targets in force then. Saving targets writes
-- the current row (queue_targets) and a change here in one transaction; the targets saved
-- before this migration become each queue's first change.

CREATE TABLE queue_target_changes (
    tenant_id BLOB NOT NULL,
    queue_id BLOB NOT NULL,
    at BIGINT NOT NULL,
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
    PRIMARY KEY (tenant_id, queue_id, at),
    FOREIGN KEY (tenant_id, queue_id) REFERENCES skill_queues (tenant_id, id) ON DELETE CASCADE
);

INSERT INTO queue_target_changes (tenant_id, queue_id, at, answer_within_s, service_level_goal, short_abandon_s, waiting_warn, waiting_alarm, longest_wait_warn_s, longest_wait_alarm_s, service_level_warn, service_level_alarm, abandon_rate_warn, abandon_rate_alarm)
SELECT tenant_id, queue_id, updated_at, answer_within_s, service_level_goal, short_abandon_s, waiting_warn, waiting_alarm, longest_wait_warn_s, longest_wait_alarm_s, service_level_warn, service_level_alarm, abandon_rate_warn, abandon_rate_alarm
FROM queue_targets;
