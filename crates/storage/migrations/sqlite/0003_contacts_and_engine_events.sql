-- The routing engine's durable state (issue #3): contacts with their current state, every
-- engine event (agent state changes and contact transitions, for recovery and reports), and
-- the signed-in agents to restore after a restart.

CREATE TABLE contacts (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    channel TEXT NOT NULL,
    direction TEXT NOT NULL,
    queue_id BLOB NOT NULL,
    priority INTEGER NOT NULL,
    customer TEXT,
    title TEXT,
    link TEXT,
    data TEXT NOT NULL,
    state TEXT NOT NULL,
    agent_id BLOB,
    offer_expires_at INTEGER,
    created_at INTEGER NOT NULL,
    enqueued_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    closed_at INTEGER,
    outcome TEXT,
    summary TEXT,
    summary_saved BOOLEAN NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX contacts_open ON contacts (tenant_id, state);
CREATE INDEX contacts_customer ON contacts (tenant_id, customer, closed_at);

CREATE TABLE engine_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    agent_id BLOB,
    contact_id BLOB,
    queue_id BLOB,
    detail TEXT NOT NULL
);
CREATE INDEX engine_events_contact ON engine_events (tenant_id, contact_id);
CREATE INDEX engine_events_agent ON engine_events (tenant_id, agent_id, at);

CREATE TABLE agent_sessions (
    tenant_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    queues TEXT NOT NULL,
    presence TEXT NOT NULL,
    reason TEXT,
    since INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
