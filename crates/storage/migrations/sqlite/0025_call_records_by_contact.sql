-- A ticket's calls (T11): the call records of the contacts a ticket links, looked up by
-- contact, newest first.
CREATE INDEX call_records_by_contact ON call_records (tenant_id, contact_id, id);
