-- The customer directory (issue #16). The web chat's customers table becomes the directory:
-- a chat customer is a directory customer, and customers who call or have a ticket get a row
-- of their own (identity 'customer:<id>'). What it adds: notes, tags and custom field values,
-- a version for edits, and `merged_into` for a record merged away into another.
ALTER TABLE customers ADD COLUMN notes TEXT NOT NULL DEFAULT '';
-- JSON array of tag strings.
ALTER TABLE customers ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
-- JSON object: custom field code → value, checked by the server against the definitions.
ALTER TABLE customers ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE customers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- The survivor of a merge (same tenant, checked by the merge); never a merged record itself.
ALTER TABLE customers ADD COLUMN merged_into BLOB;
-- Whether the keys and terms were written; chat customers stored before this migration
-- are indexed by the server's customer job.
ALTER TABLE customers ADD COLUMN indexed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX customers_directory ON customers (tenant_id, updated_at, id) WHERE merged_into IS NULL;
CREATE INDEX customers_unindexed ON customers (created_at) WHERE NOT indexed;

-- The keys a customer is found by in one probe: phone numbers (E.164) and e-mail addresses
-- (lower-cased), each held by one customer of the tenant; `position` keeps their order.
CREATE TABLE customer_keys (
    tenant_id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('phone', 'email')),
    value TEXT NOT NULL,
    customer_id BLOB NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind, value),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_keys_customer ON customer_keys (tenant_id, customer_id);

-- Search terms (the ticket search's: CJK runs as overlapping pairs, other words lower-cased,
-- phone numbers as digits), the same on both databases.
CREATE TABLE customer_terms (
    tenant_id BLOB NOT NULL,
    term TEXT NOT NULL,
    customer_id BLOB NOT NULL,
    PRIMARY KEY (tenant_id, term, customer_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_terms_customer ON customer_terms (tenant_id, customer_id);

-- The tenant's custom field definitions: a JSON list owned by the server.
CREATE TABLE customer_field_defs (
    tenant_id BLOB PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    definition TEXT NOT NULL
);

-- An agent's own service list (their contacts in service and ended, newest first).
CREATE INDEX contacts_by_agent ON contacts (tenant_id, agent_id, created_at);
