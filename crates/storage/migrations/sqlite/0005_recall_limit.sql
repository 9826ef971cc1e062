-- How long after sending an agent may withdraw a chat message (M9); default 2 minutes.
ALTER TABLE tenant_params ADD COLUMN recall_limit_s INTEGER NOT NULL DEFAULT 120;
