-- IVR flows (issue #14): a graph of nodes as JSON, checked by the server before it is
-- stored; hotline numbers route to one with route_kind 'flow' (route_target its id).
CREATE TABLE ivr_flows (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
);
