-- The routing engine's durable state (issue #3): contacts with their current state, every
-- engine event (agent state changes and contact transitions, for recovery and reports), and
-- the signed-in agents to restore after a restart.

CREATE TABLE contacts (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    channel TEXT NOT NULL,
    direction TEXT NOT NULL,
    queue_id UUID NOT NULL,
    priority BIGINT NOT NULL,
    customer TEXT,
    title TEXT,
    link TEXT,
    data TEXT NOT NULL,
    state TEXT NOT NULL,
    agent_id UUID,
    offer_expires_at BIGINT,
    created_at BIGINT NOT NULL,
    enqueued_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT,
    outcome TEXT,
    summary TEXT,
    summary_saved BOOLEAN NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX contacts_open ON contacts (tenant_id, state);
CREATE INDEX contacts_customer ON contacts (tenant_id, customer, closed_at);

CREATE TABLE engine_events (
    id BIGSERIAL PRIMARY KEY,
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    agent_id UUID,
    contact_id UUID,
    queue_id UUID,
    detail TEXT NOT NULL
);
CREATE INDEX engine_events_contact ON engine_events (tenant_id, contact_id);
CREATE INDEX engine_events_agent ON engine_events (tenant_id, agent_id, at);

CREATE TABLE agent_sessions (
    tenant_id UUID NOT NULL,
    user_id UUID NOT NULL,
    queues TEXT NOT NULL,
    presence TEXT NOT NULL,
    reason TEXT,
    since BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
