-- Each tenant's time zone (an IANA name): local times without an offset (spreadsheet cells,
-- typed date-times) are read in it, and the management view cuts its days in it.
ALTER TABLE tenants ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai';
