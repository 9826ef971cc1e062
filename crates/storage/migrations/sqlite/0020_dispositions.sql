-- Wrap-up (V11): the service summary as problem / solution / disposition. The problem stays
-- in contacts.summary (summaries written before are read as the problem).
ALTER TABLE contacts ADD COLUMN summary_solution TEXT;
ALTER TABLE contacts ADD COLUMN disposition TEXT;

-- Each tenant's disposition codes (处理结果). Codes are never deleted, only retired, so a
-- stored contact's code always has its label.
CREATE TABLE disposition_codes (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    retired BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, code)
);

-- The screen pop (V3) finds the chat customers who gave a caller's number.
CREATE INDEX customers_phone ON customers (tenant_id, phone);
