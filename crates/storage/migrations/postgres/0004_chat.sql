-- Web chat (issue #4): entry points a company embeds, the customers who chat, and the
-- messages of each conversation (a conversation is a contact on a chat queue).

CREATE TABLE chat_entries (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    queue_id UUID NOT NULL,
    prechat_form BOOLEAN NOT NULL,
    -- Key for verifying identities signed by the host site (HMAC-SHA256); NULL: anonymous only.
    identity_secret TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, name),
    FOREIGN KEY (tenant_id, queue_id) REFERENCES skill_queues (tenant_id, id)
);

CREATE TABLE customers (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    -- 'visitor:<random id>' for anonymous visitors, 'id:<host site id>' for verified ones.
    identity TEXT NOT NULL,
    verified BOOLEAN NOT NULL,
    name TEXT,
    phone TEXT,
    email TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, identity),
    UNIQUE (tenant_id, id)
);

CREATE TABLE chat_messages (
    tenant_id UUID NOT NULL,
    id UUID PRIMARY KEY,
    contact_id UUID NOT NULL,
    seq BIGINT NOT NULL,
    sender TEXT NOT NULL,
    agent_id UUID,
    client_id TEXT,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    recalled_at BIGINT,
    UNIQUE (contact_id, seq),
    UNIQUE (tenant_id, contact_id, sender, client_id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
