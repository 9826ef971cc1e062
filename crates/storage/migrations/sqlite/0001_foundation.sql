-- Foundation: tenants, parameters, users, roles, sessions, skill queues, category tags.
-- Every tenant-owned table carries tenant_id, and references between tenant-owned rows go
-- through (tenant_id, id) so the database itself refuses a link across tenants.

CREATE TABLE tenants (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE tenant_params (
    tenant_id BLOB PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    post_sign_in_state TEXT NOT NULL,
    sign_in_mode TEXT NOT NULL,
    auto_answer BOOLEAN NOT NULL,
    wrap_up_limit_s INTEGER NOT NULL,
    summary_required BOOLEAN NOT NULL,
    offer_timeout_s INTEGER NOT NULL,
    no_answer_limit INTEGER NOT NULL,
    chat_during_call BOOLEAN NOT NULL
);

CREATE TABLE users (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    login TEXT NOT NULL,
    real_name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    chat_limit INTEGER NOT NULL,
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    sign_in_mode TEXT NOT NULL,
    auto_answer BOOLEAN NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, login),
    UNIQUE (tenant_id, id)
);

CREATE TABLE roles (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    builtin BOOLEAN NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE role_permissions (
    tenant_id BLOB NOT NULL,
    role_id BLOB NOT NULL,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE user_roles (
    tenant_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    role_id BLOB NOT NULL,
    PRIMARY KEY (user_id, role_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id)
);
CREATE INDEX user_roles_role ON user_roles (tenant_id, role_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    tenant_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE skill_queues (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    channel TEXT NOT NULL,
    strategy TEXT NOT NULL,
    priority INTEGER NOT NULL,
    max_queue_len INTEGER,
    max_wait_s INTEGER,
    overflow_queue_id BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, overflow_queue_id) REFERENCES skill_queues (tenant_id, id)
);

CREATE TABLE queue_agents (
    tenant_id BLOB NOT NULL,
    queue_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    skill_level INTEGER NOT NULL,
    PRIMARY KEY (queue_id, user_id),
    FOREIGN KEY (tenant_id, queue_id) REFERENCES skill_queues (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX queue_agents_user ON queue_agents (tenant_id, user_id);

CREATE TABLE tags (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE queue_tags (
    tenant_id BLOB NOT NULL,
    queue_id BLOB NOT NULL,
    tag_id BLOB NOT NULL,
    PRIMARY KEY (queue_id, tag_id),
    FOREIGN KEY (tenant_id, queue_id) REFERENCES skill_queues (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, tag_id) REFERENCES tags (tenant_id, id) ON DELETE CASCADE
);
