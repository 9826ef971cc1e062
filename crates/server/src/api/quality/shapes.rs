//! Quality inspection's JSON: scorecards as admins write them, reviews as reviewers and
//! agents read them, and the conversions to and from the engine's types.

use serde::{Deserialize, Serialize};
use switchboard_engine::quality::{Answer, Item, Scale, Score, Scorecard, Section};
use switchboard_storage::{Review, StoredScorecard};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::wire::{channel_schema, rfc3339};

/// How an item is scored.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ScaleWire {
    /// 是/否: met (1) or not (0).
    YesNo,
    /// 0 to `max_points`.
    Points,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemWire {
    pub label: String,
    #[serde(default)]
    pub description: String,
    /// Its share of the score, 1-100; the items' weights add up to 100.
    pub weight: u32,
    pub scale: ScaleWire,
    /// Full marks on a points scale, 1-10 (ignored for yes/no, which is 1).
    #[serde(default)]
    pub max_points: Option<u8>,
    /// Scoring it 0 fails the whole review (score 0).
    #[serde(default)]
    pub critical: bool,
    /// A low score (at most half the full marks; yes/no: no) needs a comment.
    #[serde(default)]
    pub comment_on_low: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionWire {
    pub name: String,
    pub items: Vec<ItemWire>,
}

/// A scorecard's definition as an admin writes it.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardIn {
    /// 1-60 characters, unique in the tenant.
    pub name: String,
    pub sections: Vec<SectionWire>,
}

/// A scorecard's current version.
#[derive(Serialize, ToSchema)]
pub struct ScorecardOut {
    pub id: Uuid,
    pub name: String,
    /// Its current version; reviews keep the version they were scored with.
    pub version: u32,
    /// Offered for new reviews.
    pub active: bool,
    /// Whether a review was scored with the current version (an edit then makes a new one).
    pub in_use: bool,
    pub sections: Vec<SectionWire>,
    pub updated_at: String,
}

impl ScorecardIn {
    /// The engine's scorecard, not yet checked.
    pub fn into_card(self) -> Scorecard {
        let sections = self
            .sections
            .into_iter()
            .map(|s| Section {
                name: s.name,
                items: s.items.into_iter().map(item_of).collect(),
            })
            .collect();
        Scorecard {
            name: self.name,
            sections,
        }
    }
}

fn item_of(i: ItemWire) -> Item {
    let scale = match i.scale {
        ScaleWire::YesNo => Scale::YesNo,
        // 0 is refused by the engine's check, naming the field.
        ScaleWire::Points => Scale::Points(i.max_points.unwrap_or(0)),
    };
    Item {
        label: i.label,
        description: i.description,
        weight: i.weight,
        scale,
        critical: i.critical,
        comment_on_low: i.comment_on_low,
    }
}

pub fn sections_out(card: &Scorecard) -> Vec<SectionWire> {
    card.sections
        .iter()
        .map(|s| SectionWire {
            name: s.name.clone(),
            items: s
                .items
                .iter()
                .map(|i| ItemWire {
                    label: i.label.clone(),
                    description: i.description.clone(),
                    weight: i.weight,
                    scale: match i.scale {
                        Scale::YesNo => ScaleWire::YesNo,
                        Scale::Points(_) => ScaleWire::Points,
                    },
                    max_points: Some(i.scale.max()),
                    critical: i.critical,
                    comment_on_low: i.comment_on_low,
                })
                .collect(),
        })
        .collect()
}

pub fn scorecard_out(s: StoredScorecard) -> ScorecardOut {
    ScorecardOut {
        id: s.id.0,
        name: s.card.name.clone(),
        version: s.version,
        active: s.active,
        in_use: s.in_use,
        sections: sections_out(&s.card),
        updated_at: rfc3339(s.updated_at),
    }
}

/// A reviewer's answer to one item.
#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct AnswerWire {
    /// Points given, 0 to the item's full marks (yes/no: 1 yes, 0 no); null: not scored yet.
    #[schema(required)]
    pub points: Option<u8>,
    #[serde(default)]
    pub comment: String,
}

pub fn answers_in(answers: Vec<AnswerWire>) -> Vec<Answer> {
    answers
        .into_iter()
        .map(|a| Answer {
            points: a.points,
            comment: a.comment,
        })
        .collect()
}

/// A score as a percent with two decimals.
pub fn percent(score: Score) -> f64 {
    f64::from(score.centi) / 100.0
}

/// A review as reviewers and its agent see it: the scorecard version's items beside the answers.
#[derive(Serialize, ToSchema)]
pub struct ReviewOut {
    pub id: Uuid,
    pub contact_id: Uuid,
    pub agent_id: Uuid,
    pub agent_name: String,
    pub queue_id: Uuid,
    pub queue_name: String,
    #[schema(schema_with = channel_schema)]
    pub channel: String,
    pub scorecard_id: Uuid,
    pub scorecard_version: u32,
    pub scorecard_name: String,
    pub reviewer_id: Uuid,
    pub reviewer_name: String,
    /// draft, submitted, acknowledged, disputed or resolved.
    pub status: String,
    /// The weighted score in percent (0-100); null while an item is unscored.
    #[schema(required)]
    pub score: Option<f64>,
    /// A critical item scored 0, so the score is 0.
    pub failed_critical: bool,
    /// The version's sections and items, in the answers' order.
    pub sections: Vec<SectionWire>,
    /// One per item, section after section.
    pub answers: Vec<AnswerWire>,
    /// The reviewer's overall comment.
    pub comment: String,
    #[schema(required)]
    pub dispute_reason: Option<String>,
    /// upheld or rescored, once a dispute is resolved.
    #[schema(required)]
    pub resolution: Option<String>,
    #[schema(required)]
    pub resolution_note: Option<String>,
    /// When the contact closed.
    pub contact_at: String,
    pub created_at: String,
    pub updated_at: String,
    #[schema(required)]
    pub submitted_at: Option<String>,
    #[schema(required)]
    pub acknowledged_at: Option<String>,
    #[schema(required)]
    pub disputed_at: Option<String>,
    #[schema(required)]
    pub resolved_at: Option<String>,
}

/// Names shown beside a review's ids.
pub struct Names {
    pub agent: String,
    pub queue: String,
    pub reviewer: String,
}

pub fn review_out(r: Review, card: &Scorecard, names: Names) -> ReviewOut {
    let time = |t: Option<i64>| t.map(rfc3339);
    let end = r.dispute_end;
    ReviewOut {
        id: r.id.0,
        contact_id: r.contact.0,
        agent_id: r.agent.0,
        agent_name: names.agent,
        queue_id: r.queue.0,
        queue_name: names.queue,
        channel: r.channel.code().to_owned(),
        scorecard_id: r.scorecard.0,
        scorecard_version: r.version,
        scorecard_name: card.name.clone(),
        reviewer_id: r.reviewer.0,
        reviewer_name: names.reviewer,
        status: r.status.code().to_owned(),
        score: r.score.map(percent),
        failed_critical: r.score.is_some_and(|s| s.failed_critical),
        sections: sections_out(card),
        answers: r
            .answers
            .into_iter()
            .map(|a| AnswerWire {
                points: a.points,
                comment: a.comment,
            })
            .collect(),
        comment: r.comment,
        dispute_reason: r.dispute_reason,
        resolution: end.as_ref().map(|e| e.resolution.code().to_owned()),
        resolution_note: end.map(|e| e.note),
        contact_at: rfc3339(r.contact_at),
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
        submitted_at: time(r.submitted_at),
        acknowledged_at: time(r.acknowledged_at),
        disputed_at: time(r.disputed_at),
        resolved_at: time(r.resolved_at),
    }
}
