-- Outgoing webhooks (issue #16): a tenant's subscriptions, the outbox of their deliveries,
-- and where the outbox reader stands in the tenant's engine events and ticket trail.

CREATE TABLE webhooks (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    -- The event types subscribed, a JSON array of strings.
    events TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    -- Kept in the clear: the server signs every delivery with it.
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, id)
);

-- One event for one webhook: the request body is made once, when the event is read, so a
-- retry or a redelivery sends the same bytes (and the same delivery id).
CREATE TABLE webhook_deliveries (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY,
    webhook_id BLOB NOT NULL,
    -- The event's own id (e-<engine event id>, t-<ticket>-<seq>, ping-<uuid>): a webhook
    -- gets each event once however often the outbox reader sees it.
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    -- Set while pending.
    next_attempt_at INTEGER,
    last_attempt_at INTEGER,
    last_status INTEGER,
    last_error TEXT,
    response_snippet TEXT,
    duration_ms INTEGER,
    UNIQUE (webhook_id, event_id),
    FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (tenant_id, webhook_id, created_at);

-- Where the outbox reader stands: engine events are read by id (one writer per tenant, so a
-- tenant's ids commit in order); the ticket trail, written by many, from a time horizon on,
-- skipping the entries already seen (webhook_trail_seen), so a save that commits late is
-- still read.
CREATE TABLE webhook_cursors (
    tenant_id BLOB PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    engine_event_id INTEGER NOT NULL,
    trail_horizon INTEGER NOT NULL
);
CREATE TABLE webhook_trail_seen (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    ticket_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, ticket_id, seq)
);
CREATE INDEX webhook_trail_seen_at ON webhook_trail_seen (tenant_id, at);
CREATE INDEX ticket_trail_tenant_at ON ticket_trail (tenant_id, at);
