-- A voice queue's voicemail may become a ticket instead of a callback task (issue #14, V1/R4):
-- the ticket type the message's ticket is of (NULL: none). A message goes to one place, so
-- at most one of the task queue and the ticket type is set; neither: no voicemail.
ALTER TABLE queue_voice ADD COLUMN voicemail_ticket_type_id BLOB
    REFERENCES ticket_types (id) ON DELETE SET NULL
    CHECK (voicemail_ticket_type_id IS NULL OR voicemail_queue_id IS NULL);
