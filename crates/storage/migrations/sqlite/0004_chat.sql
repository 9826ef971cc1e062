-- Web chat (issue #4): entry points a company embeds, the customers who chat, and the
-- messages of each conversation (a conversation is a contact on a chat queue).

CREATE TABLE chat_entries (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    queue_id BLOB NOT NULL,
    prechat_form BOOLEAN NOT NULL,
    -- Key for verifying identities signed by the host site (HMAC-SHA256); NULL: anonymous only.
    identity_secret TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    FOREIGN KEY (tenant_id, queue_id) REFERENCES skill_queues (tenant_id, id)
);

CREATE TABLE customers (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    -- 'visitor:<random id>' for anonymous visitors, 'id:<host site id>' for verified ones.
    identity TEXT NOT NULL,
    verified BOOLEAN NOT NULL,
    name TEXT,
    phone TEXT,
    email TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, identity),
    UNIQUE (tenant_id, id)
);

CREATE TABLE chat_messages (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY,
    contact_id BLOB NOT NULL,
    seq INTEGER NOT NULL,
    sender TEXT NOT NULL,
    agent_id BLOB,
    client_id TEXT,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    recalled_at INTEGER,
    UNIQUE (contact_id, seq),
    UNIQUE (tenant_id, contact_id, sender, client_id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);
