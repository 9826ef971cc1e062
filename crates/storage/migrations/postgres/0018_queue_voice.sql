-- A voice queue's settings beyond routing (issue #14): how often a waiting caller hears their
-- place in line and the estimated wait (NULL: never) and in which languages, and voicemail
-- when the wait runs out: the message becomes a callback task in a task queue (NULL: none).
CREATE TABLE queue_voice (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    queue_id UUID PRIMARY KEY REFERENCES skill_queues (id) ON DELETE CASCADE,
    announce_every_s BIGINT,
    languages TEXT NOT NULL,
    voicemail_queue_id UUID REFERENCES skill_queues (id) ON DELETE SET NULL,
    voicemail_max_s BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
