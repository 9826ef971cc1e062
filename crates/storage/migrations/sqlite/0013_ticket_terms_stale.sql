-- A ticket's search terms come from every field that holds words (engine ticket::search),
-- no longer only the title, description and notes. Tickets written before are marked, and
-- the server indexes them again in the background (`ticket_jobs`), finding them by the
-- mark; it marks a type's tickets too when the type's options are relabelled. New tickets
-- are written with their terms complete (the insert says FALSE).
ALTER TABLE tickets ADD COLUMN terms_stale BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX tickets_terms_stale ON tickets (tenant_id, id) WHERE terms_stale;
