-- Voice (issue #14): agents' SIP extensions, trunks by peer address, hotline numbers.

-- An agent's extension and its digest secrets: H(number:realm:password) for MD5 and
-- SHA-256, the realm being the tenant's name. The password itself is not kept.
CREATE TABLE sip_extensions (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id UUID NOT NULL,
    number TEXT NOT NULL,
    ha1_md5 TEXT NOT NULL,
    ha1_sha256 TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- Calls are accepted from a trunk's peer addresses only (a comma-separated list of IPs).
CREATE TABLE sip_trunks (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    peers TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, name)
);

-- A hotline number and where its calls go: route_kind 'queue' (route_target a skill queue
-- id), 'direct' (a SIP URI) or 'extension' (an extension number).
CREATE TABLE hotline_numbers (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id UUID PRIMARY KEY,
    number TEXT NOT NULL,
    inbound BOOLEAN NOT NULL,
    survey BOOLEAN NOT NULL,
    route_kind TEXT NOT NULL,
    route_target TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (tenant_id, number)
);
