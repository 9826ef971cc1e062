-- Trunks that register with their provider (issue #14, V10): the provider's domain (or
-- address) and port, the account's user name and password (kept to answer the registrar's
-- Digest challenges, so it cannot be stored as a hash; never returned by the API or logged),
-- and the registration's lifetime asked for. NULL domain: the trunk does not register.
ALTER TABLE sip_trunks ADD COLUMN register_domain TEXT;
ALTER TABLE sip_trunks ADD COLUMN register_port BIGINT;
ALTER TABLE sip_trunks ADD COLUMN register_user TEXT;
ALTER TABLE sip_trunks ADD COLUMN register_password TEXT;
ALTER TABLE sip_trunks ADD COLUMN register_expires BIGINT;
