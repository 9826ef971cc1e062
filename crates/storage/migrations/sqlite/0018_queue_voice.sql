-- A voice queue's settings beyond routing (issue #14): how often a waiting caller hears their
-- place in line and the estimated wait (NULL: never) and in which languages, and voicemail
-- when the wait runs out: the message becomes a callback task in a task queue (NULL: none).
CREATE TABLE queue_voice (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    queue_id BLOB PRIMARY KEY REFERENCES skill_queues (id) ON DELETE CASCADE,
    announce_every_s INTEGER,
    languages TEXT NOT NULL,
    voicemail_queue_id BLOB REFERENCES skill_queues (id) ON DELETE SET NULL,
    voicemail_max_s INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
