-- Outbound calling (issue #15).

-- Where a trunk's outbound INVITEs go: the provider's proxy (an IP address or a domain name,
-- looked up when the directory is built) and its port. NULL host: no proxy of its own (a
-- registering trunk then calls through its registrar).
ALTER TABLE sip_trunks ADD COLUMN outbound_host TEXT;
ALTER TABLE sip_trunks ADD COLUMN outbound_port BIGINT
    CHECK (outbound_port IS NULL OR (outbound_port BETWEEN 1 AND 65535 AND outbound_host IS NOT NULL));

-- Whether agents may present a hotline number as their caller ID, and the trunk such calls
-- go through. No CHECK ties the two: deleting a trunk leaves its numbers outbound without
-- one, and such a number is simply not offered (caller_numbers asks for both).
ALTER TABLE hotline_numbers ADD COLUMN outbound BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE hotline_numbers ADD COLUMN outbound_trunk_id UUID
    REFERENCES sip_trunks (id) ON DELETE SET NULL;
-- The target of the number groups' composite references.
CREATE UNIQUE INDEX hotline_numbers_tenant_id ON hotline_numbers (tenant_id, id);

-- Number groups (V10): which numbers the agents of a skill queue may present as caller ID,
-- one of them the default. A deleted number leaves its groups (and stops being a default);
-- a deleted queue or group takes its bindings with it.
CREATE TABLE number_groups (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    -- Single-column so that ON DELETE SET NULL leaves tenant_id alone; the tenant is checked
    -- on save, and the default must be one of the group's numbers.
    default_number_id UUID REFERENCES hotline_numbers (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE number_group_numbers (
    tenant_id UUID NOT NULL,
    group_id UUID NOT NULL,
    number_id UUID NOT NULL,
    PRIMARY KEY (group_id, number_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES number_groups (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, number_id) REFERENCES hotline_numbers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX number_group_numbers_number ON number_group_numbers (tenant_id, number_id);

CREATE TABLE number_group_queues (
    tenant_id UUID NOT NULL,
    group_id UUID NOT NULL,
    queue_id UUID NOT NULL,
    PRIMARY KEY (group_id, queue_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES number_groups (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, queue_id) REFERENCES skill_queues (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX number_group_queues_queue ON number_group_queues (tenant_id, queue_id);

-- The toll-fraud guard's destination rules (外呼号码规则), in order, and the most calls an
-- agent may place a day. A tenant without an outbound_settings row never saved a policy and
-- has the built-in one.
CREATE TABLE outbound_rules (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    prefix TEXT NOT NULL,
    min_digits BIGINT NOT NULL,
    max_digits BIGINT NOT NULL,
    allow BOOLEAN NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (tenant_id, position),
    CHECK (min_digits BETWEEN 1 AND max_digits AND max_digits <= 20)
);

CREATE TABLE outbound_settings (
    tenant_id UUID PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    daily_limit BIGINT CHECK (daily_limit IS NULL OR (daily_limit BETWEEN 1 AND 10000))
);

-- Placing outbound calls for the built-in agent and supervisor roles of existing tenants
-- (new tenants get it from BuiltinRole::default_permissions).
INSERT INTO role_permissions (tenant_id, role_id, permission)
SELECT r.tenant_id, r.id, 'calls.outbound'
FROM roles r
WHERE r.builtin AND r.name IN ('agent', 'supervisor')
ON CONFLICT DO NOTHING;
