//! Quality inspection: scorecards in versions, reviews with their answers, the contacts a
//! reviewer may pick, the report's rows and random draws.

use sqlx::Row;
use switchboard_engine::quality::{
    Answer, Item, Resolution, ReviewStatus, Scale, Score, Scorecard, Section,
};
use switchboard_engine::{
    Channel, ContactId, ReviewId, SampleId, ScorecardId, SkillQueueId, TenantId, UserId,
};
use uuid::Uuid;

use super::{found, Db, Store, Tx};
use crate::quality::{
    ContactFilter, DisputeEnd, QualityStore, Review, ReviewFilter, ReviewableContact, Sample,
    ScoredItem, ScoredReview, StoredScorecard,
};
use crate::{Millis, Result, StorageError};

type DbRow = <Db as sqlx::Database>::Row;

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("stored quality {what} cannot be read"))
}

fn small(v: i64, what: &str) -> Result<u8> {
    u8::try_from(v).map_err(|_| corrupt(what))
}

fn version_of(v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|_| corrupt("version"))
}

/// Writes version `version` of a scorecard: its row and its items.
async fn write_version(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    id: ScorecardId,
    version: u32,
    card: &Scorecard,
    now: Millis,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO quality_scorecard_versions (tenant_id, scorecard_id, version, name, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(i64::from(version))
    .bind(&card.name)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    write_items(tx, tenant, id, version, card).await
}

async fn write_items(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    id: ScorecardId,
    version: u32,
    card: &Scorecard,
) -> Result<()> {
    let mut position = 0i64;
    for (s, section) in card.sections.iter().enumerate() {
        for item in &section.items {
            let points = match item.scale {
                Scale::YesNo => 0,
                Scale::Points(n) => i64::from(n),
            };
            sqlx::query(
                "INSERT INTO quality_scorecard_items (tenant_id, scorecard_id, version, position, \
                 section_position, section, label, description, weight, points, critical, comment_on_low) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(tenant.0)
            .bind(id.0)
            .bind(i64::from(version))
            .bind(position)
            .bind(i64::try_from(s).unwrap_or(i64::MAX))
            .bind(&section.name)
            .bind(&item.label)
            .bind(&item.description)
            .bind(i64::from(item.weight))
            .bind(points)
            .bind(item.critical)
            .bind(item.comment_on_low)
            .execute(&mut **tx)
            .await?;
            position += 1;
        }
    }
    Ok(())
}

/// A version's definition, `None` when the tenant has no such version.
async fn read_version(
    store: &Store,
    tenant: TenantId,
    id: ScorecardId,
    version: u32,
) -> Result<Option<Scorecard>> {
    let name: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM quality_scorecard_versions \
         WHERE tenant_id = $1 AND scorecard_id = $2 AND version = $3",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(i64::from(version))
    .fetch_optional(&store.reader)
    .await?;
    let Some((name,)) = name else {
        return Ok(None);
    };
    let rows = sqlx::query(
        "SELECT section_position, section, label, description, weight, points, critical, comment_on_low \
         FROM quality_scorecard_items WHERE tenant_id = $1 AND scorecard_id = $2 AND version = $3 \
         ORDER BY position",
    )
    .bind(tenant.0)
    .bind(id.0)
    .bind(i64::from(version))
    .fetch_all(&store.reader)
    .await?;
    let mut sections: Vec<(i64, Section)> = Vec::new();
    for r in rows {
        let at: i64 = r.try_get("section_position")?;
        let points = small(r.try_get("points")?, "scale")?;
        let item = Item {
            label: r.try_get("label")?,
            description: r.try_get("description")?,
            weight: u32::try_from(r.try_get::<i64, _>("weight")?).map_err(|_| corrupt("weight"))?,
            scale: if points == 0 {
                Scale::YesNo
            } else {
                Scale::Points(points)
            },
            critical: r.try_get("critical")?,
            comment_on_low: r.try_get("comment_on_low")?,
        };
        match sections.last_mut() {
            Some((s, section)) if *s == at => section.items.push(item),
            _ => sections.push((
                at,
                Section {
                    name: r.try_get("section")?,
                    items: vec![item],
                },
            )),
        }
    }
    let sections = sections.into_iter().map(|(_, s)| s).collect();
    Ok(Some(Scorecard { name, sections }))
}

const CARD_COLUMNS: &str = "SELECT s.id, s.active, s.version, s.updated_at, EXISTS (SELECT 1 FROM quality_reviews r \
     WHERE r.tenant_id = s.tenant_id AND r.scorecard_id = s.id AND r.scorecard_version = s.version) AS in_use \
     FROM quality_scorecards s WHERE s.tenant_id = $1";

async fn stored_card(store: &Store, tenant: TenantId, r: &DbRow) -> Result<StoredScorecard> {
    let id = ScorecardId(r.try_get("id")?);
    let version = version_of(r.try_get("version")?)?;
    let card = read_version(store, tenant, id, version)
        .await?
        .ok_or_else(|| corrupt("scorecard version"))?;
    Ok(StoredScorecard {
        id,
        version,
        card,
        active: r.try_get("active")?,
        in_use: r.try_get("in_use")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const REVIEW_COLUMNS: &str = "SELECT id, contact_id, agent_id, queue_id, channel, scorecard_id, scorecard_version, \
     reviewer_id, status, score, failed_critical, comment, dispute_reason, resolution, resolution_note, \
     contact_at, created_at, updated_at, submitted_at, acknowledged_at, disputed_at, resolved_at \
     FROM quality_reviews";

fn review_of(r: &DbRow) -> Result<Review> {
    let status: String = r.try_get("status")?;
    let channel: String = r.try_get("channel")?;
    let score: Option<i64> = r.try_get("score")?;
    let failed_critical: bool = r.try_get("failed_critical")?;
    let resolution: Option<String> = r.try_get("resolution")?;
    let dispute_end = match resolution {
        None => None,
        Some(code) => Some(DisputeEnd {
            resolution: Resolution::parse(&code).map_err(|_| corrupt("resolution"))?,
            note: r
                .try_get::<Option<String>, _>("resolution_note")?
                .unwrap_or_default(),
        }),
    };
    Ok(Review {
        id: ReviewId(r.try_get("id")?),
        contact: ContactId(r.try_get("contact_id")?),
        agent: UserId(r.try_get("agent_id")?),
        queue: SkillQueueId(r.try_get("queue_id")?),
        channel: Channel::parse(&channel).map_err(|_| corrupt("channel"))?,
        scorecard: ScorecardId(r.try_get("scorecard_id")?),
        version: version_of(r.try_get("scorecard_version")?)?,
        reviewer: UserId(r.try_get("reviewer_id")?),
        status: ReviewStatus::parse(&status).map_err(|_| corrupt("status"))?,
        answers: Vec::new(),
        comment: r.try_get("comment")?,
        score: score
            .map(|s| {
                let centi = u32::try_from(s).map_err(|_| corrupt("score"))?;
                Ok::<_, StorageError>(Score {
                    centi,
                    failed_critical,
                })
            })
            .transpose()?,
        dispute_reason: r.try_get("dispute_reason")?,
        dispute_end,
        contact_at: r.try_get("contact_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        submitted_at: r.try_get("submitted_at")?,
        acknowledged_at: r.try_get("acknowledged_at")?,
        disputed_at: r.try_get("disputed_at")?,
        resolved_at: r.try_get("resolved_at")?,
    })
}

/// Fills in the answers of these reviews, read in one query.
async fn with_answers(
    store: &Store,
    tenant: TenantId,
    mut reviews: Vec<Review>,
) -> Result<Vec<Review>> {
    if reviews.is_empty() {
        return Ok(reviews);
    }
    let mut b = sqlx::QueryBuilder::<Db>::new(
        "SELECT review_id, points, comment FROM quality_review_answers WHERE tenant_id = ",
    );
    b.push_bind(tenant.0);
    b.push(" AND review_id IN (");
    let mut list = b.separated(", ");
    for r in &reviews {
        list.push_bind(r.id.0);
    }
    b.push(") ORDER BY review_id, position");
    let rows: Vec<(Uuid, Option<i64>, String)> =
        b.build_query_as().fetch_all(&store.reader).await?;
    for (id, points, comment) in rows {
        let points = points.map(|p| small(p, "points")).transpose()?;
        if let Some(r) = reviews.iter_mut().find(|r| r.id.0 == id) {
            r.answers.push(Answer { points, comment });
        }
    }
    Ok(reviews)
}

async fn write_answers(tx: &mut Tx<'_>, tenant: TenantId, review: &Review) -> Result<()> {
    sqlx::query("DELETE FROM quality_review_answers WHERE tenant_id = $1 AND review_id = $2")
        .bind(tenant.0)
        .bind(review.id.0)
        .execute(&mut **tx)
        .await?;
    for (i, a) in review.answers.iter().enumerate() {
        sqlx::query(
            "INSERT INTO quality_review_answers (tenant_id, review_id, position, points, comment) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(tenant.0)
        .bind(review.id.0)
        .bind(i64::try_from(i).unwrap_or(i64::MAX))
        .bind(a.points.map(i64::from))
        .bind(&a.comment)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn seed_bits(seed: u64) -> i64 {
    i64::from_ne_bytes(seed.to_ne_bytes())
}

#[async_trait::async_trait]
impl QualityStore for Store {
    async fn scorecards(&self, tenant: TenantId) -> Result<Vec<StoredScorecard>> {
        let rows = sqlx::query(&format!("{CARD_COLUMNS} ORDER BY s.name"))
            .bind(tenant.0)
            .fetch_all(&self.reader)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(stored_card(self, tenant, r).await?);
        }
        Ok(out)
    }

    async fn scorecard(
        &self,
        tenant: TenantId,
        id: ScorecardId,
    ) -> Result<Option<StoredScorecard>> {
        let row = sqlx::query(&format!("{CARD_COLUMNS} AND s.id = $2"))
            .bind(tenant.0)
            .bind(id.0)
            .fetch_optional(&self.reader)
            .await?;
        match row {
            Some(r) => Ok(Some(stored_card(self, tenant, &r).await?)),
            None => Ok(None),
        }
    }

    async fn scorecard_version(
        &self,
        tenant: TenantId,
        id: ScorecardId,
        version: u32,
    ) -> Result<Option<Scorecard>> {
        read_version(self, tenant, id, version).await
    }

    async fn create_scorecard(
        &self,
        tenant: TenantId,
        id: ScorecardId,
        card: &Scorecard,
        now: Millis,
    ) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO quality_scorecards (tenant_id, id, name, active, version, created_at, updated_at) \
             VALUES ($1, $2, $3, TRUE, 1, $4, $4)",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(&card.name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        write_version(&mut tx, tenant, id, 1, card, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_scorecard(
        &self,
        tenant: TenantId,
        id: ScorecardId,
        card: &Scorecard,
        now: Millis,
    ) -> Result<u32> {
        let mut tx = self.writer.begin().await?;
        let row: Option<(i64, bool)> = sqlx::query_as(
            "SELECT s.version, EXISTS (SELECT 1 FROM quality_reviews r WHERE r.tenant_id = s.tenant_id \
             AND r.scorecard_id = s.id AND r.scorecard_version = s.version) \
             FROM quality_scorecards s WHERE s.tenant_id = $1 AND s.id = $2",
        )
        .bind(tenant.0)
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?;
        let (current, in_use) = row.ok_or(StorageError::NotFound)?;
        let current = version_of(current)?;
        let version = if in_use { current + 1 } else { current };
        sqlx::query(
            "UPDATE quality_scorecards SET name = $3, version = $4, updated_at = $5 \
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(&card.name)
        .bind(i64::from(version))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if in_use {
            write_version(&mut tx, tenant, id, version, card, now).await?;
        } else {
            sqlx::query(
                "DELETE FROM quality_scorecard_items WHERE tenant_id = $1 AND scorecard_id = $2 AND version = $3",
            )
            .bind(tenant.0)
            .bind(id.0)
            .bind(i64::from(version))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE quality_scorecard_versions SET name = $4 \
                 WHERE tenant_id = $1 AND scorecard_id = $2 AND version = $3",
            )
            .bind(tenant.0)
            .bind(id.0)
            .bind(i64::from(version))
            .bind(&card.name)
            .execute(&mut *tx)
            .await?;
            write_items(&mut tx, tenant, id, version, card).await?;
        }
        tx.commit().await?;
        Ok(version)
    }

    async fn set_scorecard_active(
        &self,
        tenant: TenantId,
        id: ScorecardId,
        active: bool,
        now: Millis,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE quality_scorecards SET active = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(active)
        .bind(now)
        .execute(&self.writer)
        .await?;
        found(done.rows_affected())
    }

    async fn create_review(&self, tenant: TenantId, review: &Review) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO quality_reviews (tenant_id, id, contact_id, agent_id, queue_id, channel, \
             scorecard_id, scorecard_version, reviewer_id, status, score, failed_critical, comment, \
             contact_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(tenant.0)
        .bind(review.id.0)
        .bind(review.contact.0)
        .bind(review.agent.0)
        .bind(review.queue.0)
        .bind(review.channel.code())
        .bind(review.scorecard.0)
        .bind(i64::from(review.version))
        .bind(review.reviewer.0)
        .bind(review.status.code())
        .bind(review.score.map(|s| i64::from(s.centi)))
        .bind(review.score.is_some_and(|s| s.failed_critical))
        .bind(&review.comment)
        .bind(review.contact_at)
        .bind(review.created_at)
        .bind(review.updated_at)
        .execute(&mut *tx)
        .await?;
        write_answers(&mut tx, tenant, review).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn save_review(
        &self,
        tenant: TenantId,
        review: &Review,
        was: ReviewStatus,
    ) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        let end = review.dispute_end.as_ref();
        let done = sqlx::query(
            "UPDATE quality_reviews SET status = $4, score = $5, failed_critical = $6, comment = $7, \
             dispute_reason = $8, resolution = $9, resolution_note = $10, updated_at = $11, \
             submitted_at = $12, acknowledged_at = $13, disputed_at = $14, resolved_at = $15 \
             WHERE tenant_id = $1 AND id = $2 AND status = $3",
        )
        .bind(tenant.0)
        .bind(review.id.0)
        .bind(was.code())
        .bind(review.status.code())
        .bind(review.score.map(|s| i64::from(s.centi)))
        .bind(review.score.is_some_and(|s| s.failed_critical))
        .bind(&review.comment)
        .bind(&review.dispute_reason)
        .bind(end.map(|e| e.resolution.code()))
        .bind(end.map(|e| e.note.as_str()))
        .bind(review.updated_at)
        .bind(review.submitted_at)
        .bind(review.acknowledged_at)
        .bind(review.disputed_at)
        .bind(review.resolved_at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<(Uuid,)> =
                sqlx::query_as("SELECT id FROM quality_reviews WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant.0)
                    .bind(review.id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(exists.map_or(StorageError::NotFound, |_| StorageError::Stale));
        }
        write_answers(&mut tx, tenant, review).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn review(&self, tenant: TenantId, id: ReviewId) -> Result<Option<Review>> {
        let row = sqlx::query(&format!(
            "{REVIEW_COLUMNS} WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant.0)
        .bind(id.0)
        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(with_answers(self, tenant, vec![review_of(&row)?])
            .await?
            .pop())
    }

    async fn reviews(&self, tenant: TenantId, filter: &ReviewFilter) -> Result<Vec<Review>> {
        let mut b = sqlx::QueryBuilder::<Db>::new(format!("{REVIEW_COLUMNS} WHERE tenant_id = "));
        b.push_bind(tenant.0);
        if let Some(agent) = filter.agent {
            b.push(" AND agent_id = ").push_bind(agent.0);
        }
        if let Some(reviewer) = filter.reviewer {
            b.push(" AND reviewer_id = ").push_bind(reviewer.0);
        }
        if let Some(status) = filter.status {
            b.push(" AND status = ").push_bind(status.code());
        }
        if filter.no_drafts {
            b.push(" AND status <> 'draft'");
        }
        b.push(" ORDER BY contact_at DESC, id LIMIT ")
            .push_bind(i64::from(filter.limit));
        let rows = b.build().fetch_all(&self.reader).await?;
        let reviews = rows.iter().map(review_of).collect::<Result<Vec<_>>>()?;
        with_answers(self, tenant, reviews).await
    }

    async fn reviewable_contacts(
        &self,
        tenant: TenantId,
        filter: &ContactFilter,
    ) -> Result<Vec<ReviewableContact>> {
        reviewable(self, tenant, filter).await
    }

    async fn scored_reviews(
        &self,
        tenant: TenantId,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<ScoredReview>> {
        let rows: Vec<(Uuid, Uuid, Uuid, Uuid, Millis, i64, bool)> = sqlx::query_as(
            "SELECT id, agent_id, queue_id, scorecard_id, contact_at, score, failed_critical \
             FROM quality_reviews WHERE tenant_id = $1 AND status <> 'draft' AND score IS NOT NULL \
             AND contact_at >= $2 AND contact_at < $3 ORDER BY contact_at, id",
        )
        .bind(tenant.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(
                |(id, agent, queue, scorecard, contact_at, score, failed_critical)| {
                    Ok(ScoredReview {
                        id: ReviewId(id),
                        agent: UserId(agent),
                        queue: SkillQueueId(queue),
                        scorecard: ScorecardId(scorecard),
                        contact_at,
                        score: Score {
                            centi: u32::try_from(score).map_err(|_| corrupt("score"))?,
                            failed_critical,
                        },
                    })
                },
            )
            .collect()
    }

    async fn scored_items(
        &self,
        tenant: TenantId,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<ScoredItem>> {
        let rows: Vec<(Uuid, String, String, i64, i64, Millis)> = sqlx::query_as(
            "SELECT r.scorecard_id, i.section, i.label, a.points, i.points, r.contact_at \
             FROM quality_reviews r \
             JOIN quality_review_answers a ON a.tenant_id = r.tenant_id AND a.review_id = r.id \
             JOIN quality_scorecard_items i ON i.tenant_id = r.tenant_id AND i.scorecard_id = r.scorecard_id \
               AND i.version = r.scorecard_version AND i.position = a.position \
             WHERE r.tenant_id = $1 AND r.status <> 'draft' AND a.points IS NOT NULL \
             AND r.contact_at >= $2 AND r.contact_at < $3 ORDER BY r.contact_at, r.id, a.position",
        )
        .bind(tenant.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|(scorecard, section, label, points, scale, contact_at)| {
                Ok(ScoredItem {
                    scorecard: ScorecardId(scorecard),
                    section,
                    label,
                    points: small(points, "points")?,
                    max: small(scale, "scale")?.max(1),
                    contact_at,
                })
            })
            .collect()
    }

    async fn save_sample(&self, tenant: TenantId, sample: &Sample) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO quality_samples (tenant_id, id, drawn_by, seed, per_agent, from_at, to_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(tenant.0)
        .bind(sample.id.0)
        .bind(sample.drawn_by.0)
        .bind(seed_bits(sample.seed))
        .bind(i64::from(sample.per_agent))
        .bind(sample.from)
        .bind(sample.to)
        .bind(sample.created_at)
        .execute(&mut *tx)
        .await?;
        for (i, c) in sample.contacts.iter().enumerate() {
            sqlx::query(
                "INSERT INTO quality_sample_contacts (tenant_id, sample_id, position, contact_id) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(tenant.0)
            .bind(sample.id.0)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(c.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn samples(&self, tenant: TenantId, limit: u32) -> Result<Vec<Sample>> {
        samples(self, tenant, limit).await
    }
}

async fn reviewable(
    store: &Store,
    tenant: TenantId,
    f: &ContactFilter,
) -> Result<Vec<ReviewableContact>> {
    let mut b = sqlx::QueryBuilder::<Db>::new(
        "SELECT c.id, c.channel, c.queue_id, c.agent_id, c.customer, c.title, c.disposition, \
         c.created_at, c.closed_at, r.id AS review_id, r.status AS review_status \
         FROM contacts c LEFT JOIN quality_reviews r ON r.tenant_id = c.tenant_id AND r.contact_id = c.id \
         WHERE c.agent_id IS NOT NULL AND c.tenant_id = ",
    );
    b.push_bind(tenant.0);
    b.push(" AND c.closed_at >= ").push_bind(f.from);
    b.push(" AND c.closed_at < ").push_bind(f.to);
    if let Some(q) = f.queue {
        b.push(" AND c.queue_id = ").push_bind(q.0);
    }
    if let Some(a) = f.agent {
        b.push(" AND c.agent_id = ").push_bind(a.0);
    }
    if let Some(ch) = f.channel {
        b.push(" AND c.channel = ").push_bind(ch.code());
    }
    if let Some(ms) = f.min_duration_ms {
        b.push(" AND c.closed_at - c.created_at >= ").push_bind(ms);
    }
    if let Some(d) = &f.disposition {
        b.push(" AND c.disposition = ").push_bind(d.clone());
    }
    if f.unreviewed {
        b.push(" AND r.id IS NULL");
    }
    b.push(" ORDER BY c.closed_at DESC, c.id LIMIT ")
        .push_bind(i64::from(f.limit));
    let rows = b.build().fetch_all(&store.reader).await?;
    rows.iter()
        .map(|r| {
            let channel: String = r.try_get("channel")?;
            let review_id: Option<Uuid> = r.try_get("review_id")?;
            let review_status: Option<String> = r.try_get("review_status")?;
            let review = match (review_id, review_status) {
                (Some(id), Some(s)) => Some((
                    ReviewId(id),
                    ReviewStatus::parse(&s).map_err(|_| corrupt("status"))?,
                )),
                _ => None,
            };
            Ok(ReviewableContact {
                id: ContactId(r.try_get("id")?),
                channel: Channel::parse(&channel).map_err(|_| corrupt("channel"))?,
                queue: SkillQueueId(r.try_get("queue_id")?),
                agent: UserId(r.try_get("agent_id")?),
                customer: r.try_get("customer")?,
                title: r.try_get("title")?,
                disposition: r.try_get("disposition")?,
                created_at: r.try_get("created_at")?,
                closed_at: r.try_get("closed_at")?,
                review,
            })
        })
        .collect()
}

async fn samples(store: &Store, tenant: TenantId, limit: u32) -> Result<Vec<Sample>> {
    let rows: Vec<(Uuid, Uuid, i64, i64, Millis, Millis, Millis)> = sqlx::query_as(
        "SELECT id, drawn_by, seed, per_agent, from_at, to_at, created_at FROM quality_samples \
         WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2",
    )
    .bind(tenant.0)
    .bind(i64::from(limit))
    .fetch_all(&store.reader)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, drawn_by, seed, per_agent, from, to, created_at) in rows {
        let contacts: Vec<(Uuid,)> = sqlx::query_as(
            "SELECT contact_id FROM quality_sample_contacts WHERE tenant_id = $1 AND sample_id = $2 \
             ORDER BY position",
        )
        .bind(tenant.0)
        .bind(id)
        .fetch_all(&store.reader)
        .await?;
        out.push(Sample {
            id: SampleId(id),
            drawn_by: UserId(drawn_by),
            seed: u64::from_ne_bytes(seed.to_ne_bytes()),
            per_agent: u32::try_from(per_agent).map_err(|_| corrupt("sample"))?,
            from,
            to,
            created_at,
            contacts: contacts.into_iter().map(|(c,)| ContactId(c)).collect(),
        });
    }
    Ok(out)
}
