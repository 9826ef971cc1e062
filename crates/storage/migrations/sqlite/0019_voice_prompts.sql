-- Prompts admins upload for IVR flows (issue #14): the audio is a 16-bit 8 kHz mono WAV
-- under the data directory (prompts/<tenant>/<id>.wav); the row names it and says how long
-- it is. Flows refer to one as "up-<id>".
CREATE TABLE voice_prompts (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name)
);
