-- The customer's satisfaction rating of a contact (1-5) and comment (chat, later voice).
ALTER TABLE contacts ADD COLUMN rating INTEGER;
ALTER TABLE contacts ADD COLUMN rating_comment TEXT;
