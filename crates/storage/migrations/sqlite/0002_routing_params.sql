-- Routing parameters of the engine (issue #3): tasks an agent may hold at once (R3) and how
-- long a returning customer waits for their familiar agent (R5; 0 = off).
ALTER TABLE tenant_params ADD COLUMN task_limit INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenant_params ADD COLUMN familiar_wait_s INTEGER NOT NULL DEFAULT 0;
