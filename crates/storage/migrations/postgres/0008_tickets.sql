-- Tickets (issue #5): categories, types (fields, workflow and rules as one JSON definition),
-- templates, saved views, tickets with their searchable values, cc, transfers, linked
-- contacts, per-user flags and reminders, and the immutable service trail.

CREATE TABLE ticket_categories (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    parent_id UUID,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES ticket_categories (tenant_id, id)
);

CREATE TABLE ticket_types (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    -- {fields, workflow, rules} in the API's JSON shape (docs/api-v1.md, TicketType).
    definition TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE ticket_templates (
    tenant_id UUID NOT NULL,
    id UUID PRIMARY KEY,
    type_id UUID NOT NULL,
    name TEXT NOT NULL,
    -- [{code, width}] in order.
    layout TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (type_id, name),
    FOREIGN KEY (tenant_id, type_id) REFERENCES ticket_types (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE ticket_views (
    tenant_id UUID NOT NULL,
    id UUID PRIMARY KEY,
    owner_id UUID NOT NULL,
    name TEXT NOT NULL,
    shared BOOLEAN NOT NULL,
    -- {filters, columns, sort} in the API's JSON shape.
    definition TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX ticket_views_owner ON ticket_views (tenant_id, owner_id);

CREATE TABLE ticket_numbers (
    tenant_id UUID PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    last_number BIGINT NOT NULL
);

CREATE TABLE tickets (
    tenant_id UUID NOT NULL,
    id UUID PRIMARY KEY,
    number BIGINT NOT NULL,
    type_id UUID NOT NULL,
    template_id UUID,
    category_id UUID,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    status_category TEXT NOT NULL,
    priority TEXT NOT NULL,
    customer TEXT,
    phone TEXT,
    group_id UUID,
    assignee_id UUID,
    created_by UUID,
    completed_by UUID,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    due_at BIGINT,
    closed_at BIGINT,
    -- The due-time rules ran for this due_at.
    due_handled BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    -- {code: value} as stored by the storage crate.
    fields TEXT NOT NULL,
    -- Full-text terms (switchboard_engine::ticket::search) of title, description and notes.
    terms TEXT NOT NULL,
    -- The terms as a vector, kept by the database so a match never re-parses them.
    search TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED,
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
    tenant_id UUID NOT NULL,
    ticket_id UUID NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (ticket_id, code, value)
);
CREATE INDEX ticket_values_lookup ON ticket_values (tenant_id, code, value);

CREATE INDEX ticket_search ON tickets USING GIN (search);

CREATE TABLE ticket_cc (
    tenant_id UUID NOT NULL,
    ticket_id UUID NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id UUID NOT NULL,
    PRIMARY KEY (ticket_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX ticket_cc_user ON ticket_cc (tenant_id, user_id, ticket_id);

CREATE TABLE ticket_transfers (
    tenant_id UUID NOT NULL,
    ticket_id UUID NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id UUID NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_transfers_user ON ticket_transfers (tenant_id, user_id, ticket_id);

CREATE TABLE ticket_contacts (
    tenant_id UUID NOT NULL,
    ticket_id UUID NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    contact_id UUID NOT NULL,
    PRIMARY KEY (ticket_id, contact_id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
);
CREATE INDEX ticket_contacts_contact ON ticket_contacts (tenant_id, contact_id);

CREATE TABLE ticket_flags (
    tenant_id UUID NOT NULL,
    ticket_id UUID NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id UUID NOT NULL,
    color TEXT NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_flags_user ON ticket_flags (tenant_id, user_id, color);

CREATE TABLE ticket_reminders (
    tenant_id UUID NOT NULL,
    id UUID PRIMARY KEY,
    ticket_id UUID NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id UUID NOT NULL,
    at BIGINT NOT NULL,
    note TEXT,
    fired_at BIGINT
);
CREATE INDEX ticket_reminders_due ON ticket_reminders (at) WHERE fired_at IS NULL;
CREATE INDEX ticket_reminders_user ON ticket_reminders (tenant_id, user_id, ticket_id);

-- Round robin within a group: when each member was last given a ticket by a rule.
CREATE TABLE ticket_rotation (
    tenant_id UUID NOT NULL,
    group_id UUID NOT NULL,
    user_id UUID NOT NULL,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE ticket_trail (
    tenant_id UUID NOT NULL,
    ticket_id UUID NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_id UUID,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);

-- The trail is immutable: entries are only ever added (removed only with their ticket).
CREATE FUNCTION ticket_trail_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tickets WHERE id = OLD.ticket_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the service trail is immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ticket_trail_immutable BEFORE UPDATE OR DELETE ON ticket_trail
FOR EACH ROW EXECUTE FUNCTION ticket_trail_immutable();

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
