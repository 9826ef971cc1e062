//! What storage keeps for quality inspection (issue #16, P4): scorecards in numbered
//! versions, reviews of contacts scored against one version, and reviewers' random draws.
//! The rules (what a well-made scorecard is, what a score is, which step a review may take)
//! are the engine's; storage keeps what it is given and refuses a step from a status that
//! moved on meanwhile.

use switchboard_engine::quality::{Answer, Resolution, ReviewStatus, Score, Scorecard};
use switchboard_engine::{
    Channel, ContactId, ReviewId, SampleId, ScorecardId, SkillQueueId, TenantId, UserId,
};

use crate::{Millis, Result};

/// A scorecard's current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScorecard {
    pub id: ScorecardId,
    pub version: u32,
    pub card: Scorecard,
    /// Offered for new reviews; a retired one only shows in the reviews scored with it.
    pub active: bool,
    /// Whether a review was scored with the current version (an edit makes a new one).
    pub in_use: bool,
    pub updated_at: Millis,
}

/// A dispute's end: how, and the reviewer's note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeEnd {
    pub resolution: Resolution,
    pub note: String,
}

/// A contact scored (or being scored) against one scorecard version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: ReviewId,
    pub contact: ContactId,
    /// Who served the contact, its queue and channel.
    pub agent: UserId,
    pub queue: SkillQueueId,
    pub channel: Channel,
    pub scorecard: ScorecardId,
    pub version: u32,
    pub reviewer: UserId,
    pub status: ReviewStatus,
    /// One per item of the version, in its order.
    pub answers: Vec<Answer>,
    /// The reviewer's overall comment; may be empty.
    pub comment: String,
    /// `None` while an item is unscored.
    pub score: Option<Score>,
    pub dispute_reason: Option<String>,
    pub dispute_end: Option<DisputeEnd>,
    /// When the contact closed: the report's time axis.
    pub contact_at: Millis,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub submitted_at: Option<Millis>,
    pub acknowledged_at: Option<Millis>,
    pub disputed_at: Option<Millis>,
    pub resolved_at: Option<Millis>,
}

/// Which reviews a list asks for; `None`: any. Newest contact first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    pub agent: Option<UserId>,
    pub reviewer: Option<UserId>,
    pub status: Option<ReviewStatus>,
    /// Leave out drafts (what an agent may see).
    pub no_drafts: bool,
    pub limit: u32,
}

/// Which closed contacts a reviewer looks for: closed in `[from, to)` and served by an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactFilter {
    pub from: Millis,
    pub to: Millis,
    pub queue: Option<SkillQueueId>,
    pub agent: Option<UserId>,
    pub channel: Option<Channel>,
    /// From its creation to its close, at least this long.
    pub min_duration_ms: Option<Millis>,
    pub disposition: Option<String>,
    /// Only contacts without a review.
    pub unreviewed: bool,
    pub limit: u32,
}

/// A closed contact a reviewer may pick, with its review if it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewableContact {
    pub id: ContactId,
    pub channel: Channel,
    pub queue: SkillQueueId,
    pub agent: UserId,
    pub customer: Option<String>,
    pub title: Option<String>,
    pub disposition: Option<String>,
    pub created_at: Millis,
    pub closed_at: Millis,
    pub review: Option<(ReviewId, ReviewStatus)>,
}

/// A scored review as the report reads it (drafts are left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredReview {
    pub id: ReviewId,
    pub agent: UserId,
    pub queue: SkillQueueId,
    pub scorecard: ScorecardId,
    pub contact_at: Millis,
    pub score: Score,
}

/// One item's answer in a scored review, with the item's section, label and full marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoredItem {
    pub scorecard: ScorecardId,
    pub section: String,
    pub label: String,
    pub points: u8,
    pub max: u8,
    pub contact_at: Millis,
}

/// A random draw a reviewer made, and the contacts it drew in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub id: SampleId,
    pub drawn_by: UserId,
    pub seed: u64,
    pub per_agent: u32,
    pub from: Millis,
    pub to: Millis,
    pub created_at: Millis,
    pub contacts: Vec<ContactId>,
}

/// Quality inspection's records.
#[async_trait::async_trait]
pub trait QualityStore: Send + Sync {
    /// The current versions, by name.
    async fn scorecards(&self, tenant: TenantId) -> Result<Vec<StoredScorecard>>;
    async fn scorecard(&self, tenant: TenantId, id: ScorecardId)
        -> Result<Option<StoredScorecard>>;
    /// One version's definition, as the reviews scored with it read it.
    async fn scorecard_version(
        &self,
        tenant: TenantId,
        id: ScorecardId,
        version: u32,
    ) -> Result<Option<Scorecard>>;
    /// Version 1 of a new, active scorecard; `Conflict` on a name taken.
    async fn create_scorecard(
        &self,
        tenant: TenantId,
        id: ScorecardId,
        card: &Scorecard,
        now: Millis,
    ) -> Result<()>;
    /// Replaces the current version, or writes the next one when a review was scored with
    /// it (reviews keep their version); returns the version now current. `NotFound`,
    /// `Conflict` on a name taken.
    async fn update_scorecard(
        &self,
        tenant: TenantId,
        id: ScorecardId,
        card: &Scorecard,
        now: Millis,
    ) -> Result<u32>;
    /// Retires or activates a scorecard.
    async fn set_scorecard_active(
        &self,
        tenant: TenantId,
        id: ScorecardId,
        active: bool,
        now: Millis,
    ) -> Result<()>;

    /// `Conflict` when the contact has a review, `Reference` when the contact, a user or the
    /// scorecard version is not the tenant's.
    async fn create_review(&self, tenant: TenantId, review: &Review) -> Result<()>;
    /// Writes the review whole if its stored status is still `was`; `Stale` otherwise
    /// (someone else took a step meanwhile), `NotFound` when there is no such review.
    async fn save_review(&self, tenant: TenantId, review: &Review, was: ReviewStatus)
        -> Result<()>;
    async fn review(&self, tenant: TenantId, id: ReviewId) -> Result<Option<Review>>;
    async fn reviews(&self, tenant: TenantId, filter: &ReviewFilter) -> Result<Vec<Review>>;
    /// Closed contacts served by an agent, newest close first.
    async fn reviewable_contacts(
        &self,
        tenant: TenantId,
        filter: &ContactFilter,
    ) -> Result<Vec<ReviewableContact>>;
    /// Reviews past draft whose contact closed in `[from, to)`, oldest first.
    async fn scored_reviews(
        &self,
        tenant: TenantId,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<ScoredReview>>;
    /// Their scored items.
    async fn scored_items(
        &self,
        tenant: TenantId,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<ScoredItem>>;

    /// Keeps a draw; `Reference` when a contact is not the tenant's.
    async fn save_sample(&self, tenant: TenantId, sample: &Sample) -> Result<()>;
    /// The latest draws, newest first.
    async fn samples(&self, tenant: TenantId, limit: u32) -> Result<Vec<Sample>>;
}
