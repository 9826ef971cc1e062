-- Tickets (issue #5): categories, types (fields, workflow and rules as one JSON definition),
-- templates, saved views, tickets with their searchable values, cc, transfers, linked
-- contacts, per-user flags and reminders, and the immutable service trail.

CREATE TABLE ticket_categories (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    parent_id BLOB,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES ticket_categories (tenant_id, id)
);

CREATE TABLE ticket_types (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    -- {fields, workflow, rules} in the API's JSON shape (docs/api-v1.md, TicketType).
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE ticket_templates (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY,
    type_id BLOB NOT NULL,
    name TEXT NOT NULL,
    -- [{code, width}] in order.
    layout TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (type_id, name),
    FOREIGN KEY (tenant_id, type_id) REFERENCES ticket_types (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE ticket_views (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY,
    owner_id BLOB NOT NULL,
    name TEXT NOT NULL,
    shared BOOLEAN NOT NULL,
    -- {filters, columns, sort} in the API's JSON shape.
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ticket_views_owner ON ticket_views (tenant_id, owner_id);

CREATE TABLE ticket_numbers (
    tenant_id BLOB PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    last_number BIGINT NOT NULL
);

CREATE TABLE tickets (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY,
    number BIGINT NOT NULL,
    type_id BLOB NOT NULL,
    template_id BLOB,
    category_id BLOB,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    status_category TEXT NOT NULL,
    priority TEXT NOT NULL,
    customer TEXT,
    phone TEXT,
    group_id BLOB,
    assignee_id BLOB,
    created_by BLOB,
    completed_by BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    due_at INTEGER,
    closed_at INTEGER,
    -- The due-time rules ran for this due_at.
    due_handled BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    -- {code: value} as stored by the storage crate.
    fields TEXT NOT NULL,
    -- Full-text terms (switchboard_engine::ticket::search) of title, description and notes.
    terms TEXT NOT NULL,
    -- This ticket's row in ticket_search (rowids of a table without an integer key may change
    -- on VACUUM, so the link is explicit).
    search_rowid INTEGER NOT NULL,
    UNIQUE (tenant_id, number),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, type_id) REFERENCES ticket_types (tenant_id, id),
    FOREIGN KEY (tenant_id, category_id) REFERENCES ticket_categories (tenant_id, id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES skill_queues (tenant_id, id),
    FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, id)
);
-- The tabs read newest first; each has an index that both finds its tickets and keeps
-- them in id order, so no list sorts or walks past other people's tickets.
CREATE INDEX tickets_open_assignee ON tickets (tenant_id, assignee_id, id) WHERE assignee_id IS NOT NULL AND status_category <> 'closed';
CREATE INDEX tickets_open_group ON tickets (tenant_id, group_id, id) WHERE assignee_id IS NULL AND status_category <> 'closed';
CREATE INDEX tickets_assignee ON tickets (tenant_id, assignee_id, id) WHERE assignee_id IS NOT NULL;
CREATE INDEX tickets_creator ON tickets (tenant_id, created_by, id);
CREATE INDEX tickets_completer ON tickets (tenant_id, completed_by, id);
CREATE INDEX tickets_recent ON tickets (tenant_id, id);
CREATE INDEX tickets_created ON tickets (tenant_id, created_at);
CREATE INDEX tickets_phone ON tickets (tenant_id, phone);
CREATE INDEX tickets_customer ON tickets (tenant_id, customer);
CREATE INDEX tickets_due ON tickets (due_at) WHERE due_handled = FALSE AND closed_at IS NULL;

-- One row per field value (per item for lists), for "search by any field".
CREATE TABLE ticket_values (
    tenant_id BLOB NOT NULL,
    ticket_id BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (ticket_id, code, value)
);
CREATE INDEX ticket_values_lookup ON ticket_values (tenant_id, code, value);

CREATE INDEX tickets_search ON tickets (search_rowid);
CREATE VIRTUAL TABLE ticket_search USING fts5 (terms, tokenize = 'unicode61 remove_diacritics 0');

CREATE TABLE ticket_cc (
    tenant_id BLOB NOT NULL,
    ticket_id BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL,
    PRIMARY KEY (ticket_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX ticket_cc_user ON ticket_cc (tenant_id, user_id, ticket_id);

CREATE TABLE ticket_transfers (
    tenant_id BLOB NOT NULL,
    ticket_id BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_transfers_user ON ticket_transfers (tenant_id, user_id, ticket_id);

CREATE TABLE ticket_contacts (
    tenant_id BLOB NOT NULL,
    ticket_id BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    contact_id BLOB NOT NULL,
    PRIMARY KEY (ticket_id, contact_id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
);
CREATE INDEX ticket_contacts_contact ON ticket_contacts (tenant_id, contact_id);

CREATE TABLE ticket_flags (
    tenant_id BLOB NOT NULL,
    ticket_id BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL,
    color TEXT NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_flags_user ON ticket_flags (tenant_id, user_id, color);

CREATE TABLE ticket_reminders (
    tenant_id BLOB NOT NULL,
    id BLOB PRIMARY KEY,
    ticket_id BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL,
    at INTEGER NOT NULL,
    note TEXT,
    fired_at INTEGER
);
CREATE INDEX ticket_reminders_due ON ticket_reminders (at) WHERE fired_at IS NULL;
CREATE INDEX ticket_reminders_user ON ticket_reminders (tenant_id, user_id, ticket_id);

-- Round robin within a group: when each member was last given a ticket by a rule.
CREATE TABLE ticket_rotation (
    tenant_id BLOB NOT NULL,
    group_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    last_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE ticket_trail (
    tenant_id BLOB NOT NULL,
    ticket_id BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor_id BLOB,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);

-- The trail is immutable: entries are only ever added.
CREATE TRIGGER ticket_trail_no_update BEFORE UPDATE ON ticket_trail
BEGIN
    SELECT RAISE(ABORT, 'the service trail is immutable');
END;
CREATE TRIGGER ticket_trail_no_delete BEFORE DELETE ON ticket_trail
WHEN (SELECT COUNT(*) FROM tickets WHERE id = OLD.ticket_id) > 0
BEGIN
    SELECT RAISE(ABORT, 'the service trail is immutable');
END;

-- Ticket permissions for the built-in roles of existing tenants (new tenants get them from
-- BuiltinRole::default_permissions).
INSERT INTO role_permissions (tenant_id, role_id, permission)
SELECT r.tenant_id, r.id, p.permission
FROM roles r
JOIN (SELECT 'agent' AS role, 'tickets.work' AS permission
      UNION ALL SELECT 'supervisor', 'tickets.work'
      UNION ALL SELECT 'supervisor', 'tickets.view_all'
      UNION ALL SELECT 'supervisor', 'tickets.reopen') p ON p.role = r.name
WHERE r.builtin
ON CONFLICT DO NOTHING;
