-- Quality inspection (issue #16, P4 质检): scorecards in numbered versions, reviews of
-- contacts against one version, and the random draws reviewers make.

-- A scorecard; `version` is its current definition. Never deleted: retired (active false),
-- so the reviews scored with it keep their items.
CREATE TABLE quality_scorecards (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

-- One definition of a scorecard. A version a review was scored with is never changed: an
-- edit then writes the next version.
CREATE TABLE quality_scorecard_versions (
    tenant_id BLOB NOT NULL,
    scorecard_id BLOB NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (scorecard_id, version),
    UNIQUE (tenant_id, scorecard_id, version),
    FOREIGN KEY (tenant_id, scorecard_id) REFERENCES quality_scorecards (tenant_id, id) ON DELETE CASCADE
);

-- A version's items in order, each with its section (sections in order by section_position).
CREATE TABLE quality_scorecard_items (
    tenant_id BLOB NOT NULL,
    scorecard_id BLOB NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    section_position INTEGER NOT NULL,
    section TEXT NOT NULL,
    label TEXT NOT NULL,
    description TEXT NOT NULL,
    weight INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),
    -- 0: yes/no; otherwise the full marks of a points scale.
    points INTEGER NOT NULL CHECK (points BETWEEN 0 AND 10),
    critical BOOLEAN NOT NULL,
    comment_on_low BOOLEAN NOT NULL,
    PRIMARY KEY (scorecard_id, version, position),
    FOREIGN KEY (tenant_id, scorecard_id, version)
        REFERENCES quality_scorecard_versions (tenant_id, scorecard_id, version) ON DELETE CASCADE
);

-- A review: one per contact. The agent, queue and channel are the contact's, copied so the
-- report reads one table; contact_at is when the contact closed (the report's time axis).
CREATE TABLE quality_reviews (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    contact_id BLOB NOT NULL,
    agent_id BLOB NOT NULL,
    queue_id BLOB NOT NULL,
    channel TEXT NOT NULL,
    scorecard_id BLOB NOT NULL,
    scorecard_version INTEGER NOT NULL,
    reviewer_id BLOB NOT NULL,
    status TEXT NOT NULL,
    -- Hundredths of a percent; NULL until every item is scored.
    score INTEGER CHECK (score IS NULL OR score BETWEEN 0 AND 10000),
    failed_critical BOOLEAN NOT NULL,
    comment TEXT NOT NULL,
    dispute_reason TEXT,
    resolution TEXT,
    resolution_note TEXT,
    contact_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    submitted_at INTEGER,
    acknowledged_at INTEGER,
    disputed_at INTEGER,
    resolved_at INTEGER,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, contact_id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, agent_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, reviewer_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, scorecard_id, scorecard_version)
        REFERENCES quality_scorecard_versions (tenant_id, scorecard_id, version)
);
CREATE INDEX quality_reviews_agent ON quality_reviews (tenant_id, agent_id, contact_at);
CREATE INDEX quality_reviews_time ON quality_reviews (tenant_id, contact_at);
CREATE INDEX quality_reviews_version ON quality_reviews (tenant_id, scorecard_id, scorecard_version);

-- A review's answer to each item of its version, in the items' order.
CREATE TABLE quality_review_answers (
    tenant_id BLOB NOT NULL,
    review_id BLOB NOT NULL,
    position INTEGER NOT NULL,
    points INTEGER CHECK (points IS NULL OR points BETWEEN 0 AND 10),
    comment TEXT NOT NULL,
    PRIMARY KEY (review_id, position),
    FOREIGN KEY (tenant_id, review_id) REFERENCES quality_reviews (tenant_id, id) ON DELETE CASCADE
);

-- A random draw of contacts (抽检): its terms and what it drew, in order.
CREATE TABLE quality_samples (
    tenant_id BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id BLOB PRIMARY KEY,
    drawn_by BLOB NOT NULL,
    -- The 64-bit seed's bits as a signed integer.
    seed INTEGER NOT NULL,
    per_agent INTEGER NOT NULL,
    from_at INTEGER NOT NULL,
    to_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, drawn_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX quality_samples_time ON quality_samples (tenant_id, created_at);

CREATE TABLE quality_sample_contacts (
    tenant_id BLOB NOT NULL,
    sample_id BLOB NOT NULL,
    position INTEGER NOT NULL,
    contact_id BLOB NOT NULL,
    PRIMARY KEY (sample_id, position),
    FOREIGN KEY (tenant_id, sample_id) REFERENCES quality_samples (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
);

-- The reviewer's contact picker reads closed contacts by time through contacts_closed
-- (migration 0028).
