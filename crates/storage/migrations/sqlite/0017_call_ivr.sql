-- Call records (V13): the IVR path a call took and the variables its caller keyed in.
ALTER TABLE call_records ADD COLUMN ivr_path TEXT NOT NULL DEFAULT '';

CREATE TABLE call_variables (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    call_id BLOB NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (call_id, name)
);
