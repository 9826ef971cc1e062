//! Quality inspection stories, run against both SQLite and PostgreSQL: scorecards keep the
//! version a review was scored with, reviews move step by step and refuse a step taken from
//! a status that moved on, the reviewer's contact picker and the report's rows, random draws
//! — each staying in its tenant.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::acd::{ContactOutcome, ContactStatus, CustomerPriority, Direction};
use switchboard_engine::quality::{
    Answer, Item, Resolution, ReviewStatus, Scale, Score, Scorecard, Section,
};
use switchboard_engine::*;
use switchboard_storage::*;

const NOW: Millis = 1_790_000_000_000;
const MINUTE: Millis = 60_000;

struct Setup {
    tenant: TenantId,
    agent: UserId,
    reviewer: UserId,
    queue: SkillQueueId,
}

fn new_user(login: &str) -> NewUser {
    NewUser {
        login: LoginName::parse(login).unwrap(),
        real_name: PersonName::parse("张三").unwrap(),
        display_name: PersonName::parse("小张").unwrap(),
        chat_limit: ChatLimit::new(5).unwrap(),
        role_ids: vec![],
        password_hash: "$argon2id$fake".into(),
        must_change_password: false,
        agent_params: AgentParams::default(),
    }
}

async fn setup(s: &dyn Storage, name: &str) -> Setup {
    let t = s
        .create_tenant(&TenantName::parse(name).unwrap(), name, NOW)
        .await
        .unwrap();
    let users = s
        .create_users(t.id, &[new_user("agent1"), new_user("boss")], NOW)
        .await
        .unwrap();
    let spec = SkillQueueSpec {
        name: SkillQueueName::parse("售后").unwrap(),
        channel: Channel::Chat,
        strategy: RoutingStrategy::LongestIdle,
        priority: QueuePriority::new(50).unwrap(),
        max_queue_len: None,
        max_wait_s: Some(60),
        overflow_queue: None,
        tags: vec![],
    };
    let queue = s.create_skill_queue(t.id, &spec, &[]).await.unwrap().id;
    Setup {
        tenant: t.id,
        agent: users[0].id,
        reviewer: users[1].id,
        queue,
    }
}

/// A contact served by the setup's agent, created at `at` and closed `minutes` later
/// (`None`: still open).
async fn contact(s: &dyn Storage, at: &Setup, created: Millis, minutes: Option<i64>) -> ContactId {
    let closed_at = minutes.map(|m| created + m * MINUTE);
    let c = StoredContact {
        id: ContactId::new(),
        channel: Channel::Chat,
        direction: Direction::Inbound,
        queue: at.queue,
        priority: CustomerPriority::new(3).unwrap(),
        customer: Some("visitor-1".into()),
        title: None,
        link: None,
        data: "{}".into(),
        state: if closed_at.is_some() {
            ContactStatus::Closed
        } else {
            ContactStatus::Connected
        },
        agent: Some(at.agent),
        offer_expires_at: None,
        created_at: created,
        enqueued_at: created,
        closed_at,
        outcome: closed_at.map(|_| ContactOutcome::Completed),
        summary: None,
        solution: None,
        disposition: None,
        summary_saved: false,
        rating: None,
    };
    let batch = EngineBatch {
        new_contacts: vec![c.clone()],
        ..EngineBatch::default()
    };
    s.apply_engine_batch(at.tenant, &batch).await.unwrap();
    c.id
}

fn card(name: &str, weights: (u32, u32)) -> Scorecard {
    let item = |label: &str, weight, scale, critical| Item {
        label: label.into(),
        description: "看是否做到".into(),
        weight,
        scale,
        critical,
        comment_on_low: !critical,
    };
    Scorecard {
        name: name.into(),
        sections: vec![
            Section {
                name: "服务态度".into(),
                items: vec![item("礼貌用语", weights.0, Scale::Points(5), false)],
            },
            Section {
                name: "合规".into(),
                items: vec![item("身份核实", weights.1, Scale::YesNo, true)],
            },
        ],
    }
}

fn review(at: &Setup, contact: ContactId, card: ScorecardId, version: u32, when: Millis) -> Review {
    Review {
        id: ReviewId::new(),
        contact,
        agent: at.agent,
        queue: at.queue,
        channel: Channel::Chat,
        scorecard: card,
        version,
        reviewer: at.reviewer,
        status: ReviewStatus::Draft,
        answers: vec![
            Answer {
                points: Some(4),
                comment: "好".into(),
            },
            Answer::default(),
        ],
        comment: String::new(),
        score: None,
        dispute_reason: None,
        dispute_end: None,
        contact_at: when,
        created_at: NOW,
        updated_at: NOW,
        submitted_at: None,
        acknowledged_at: None,
        disputed_at: None,
        resolved_at: None,
    }
}

fn submitted(mut r: Review, centi: u32) -> Review {
    r.status = ReviewStatus::Submitted;
    r.answers[1].points = Some(1);
    r.score = Some(Score {
        centi,
        failed_critical: false,
    });
    r.submitted_at = Some(NOW + 1);
    r
}

async fn scorecards_keep_the_version_a_review_used(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let id = ScorecardId::new();
    s.create_scorecard(at.tenant, id, &card("通话质检", (60, 40)), NOW)
        .await
        .unwrap();
    let stored = s.scorecard(at.tenant, id).await.unwrap().unwrap();
    assert_eq!(
        (stored.version, stored.active, stored.in_use),
        (1, true, false)
    );
    assert_eq!(stored.card, card("通话质检", (60, 40)));
    // Unused: an edit replaces version 1.
    let v = s
        .update_scorecard(at.tenant, id, &card("通话质检", (50, 50)), NOW + 1)
        .await
        .unwrap();
    assert_eq!(v, 1);
    let c = contact(s, &at, NOW, Some(5)).await;
    s.create_review(at.tenant, &review(&at, c, id, 1, NOW + 5 * MINUTE))
        .await
        .unwrap();
    assert!(s.scorecard(at.tenant, id).await.unwrap().unwrap().in_use);
    // Used: the edit is version 2; version 1 stays as the review scored it.
    let v = s
        .update_scorecard(at.tenant, id, &card("通话质检 v2", (70, 30)), NOW + 2)
        .await
        .unwrap();
    assert_eq!(v, 2);
    let now = s.scorecard(at.tenant, id).await.unwrap().unwrap();
    assert_eq!((now.version, now.in_use), (2, false));
    assert_eq!(now.card, card("通话质检 v2", (70, 30)));
    let old = s
        .scorecard_version(at.tenant, id, 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old, card("通话质检", (50, 50)));
    s.set_scorecard_active(at.tenant, id, false, NOW + 3)
        .await
        .unwrap();
    assert!(!s.scorecards(at.tenant).await.unwrap()[0].active);
    // Names are unique per tenant.
    let taken = s
        .create_scorecard(
            at.tenant,
            ScorecardId::new(),
            &card("通话质检 v2", (60, 40)),
            NOW,
        )
        .await;
    assert!(matches!(taken, Err(StorageError::Conflict(_))), "{taken:?}");
}

async fn scorecards_stay_in_their_tenant(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    let id = ScorecardId::new();
    s.create_scorecard(at.tenant, id, &card("通话质检", (60, 40)), NOW)
        .await
        .unwrap();
    // The same name is free in another tenant.
    s.create_scorecard(
        other.tenant,
        ScorecardId::new(),
        &card("通话质检", (60, 40)),
        NOW,
    )
    .await
    .unwrap();
    assert!(s.scorecard(other.tenant, id).await.unwrap().is_none());
    assert!(s
        .scorecard_version(other.tenant, id, 1)
        .await
        .unwrap()
        .is_none());
    let update = s
        .update_scorecard(other.tenant, id, &card("x", (50, 50)), NOW)
        .await;
    assert!(matches!(update, Err(StorageError::NotFound)), "{update:?}");
    let retire = s.set_scorecard_active(other.tenant, id, false, NOW).await;
    assert!(matches!(retire, Err(StorageError::NotFound)), "{retire:?}");
    assert_eq!(s.scorecards(other.tenant).await.unwrap().len(), 1);
    assert_eq!(
        s.scorecard(at.tenant, id).await.unwrap().unwrap().card.name,
        "通话质检"
    );
}

async fn reviews_take_one_step_at_a_time(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let id = ScorecardId::new();
    s.create_scorecard(at.tenant, id, &card("通话质检", (60, 40)), NOW)
        .await
        .unwrap();
    let c = contact(s, &at, NOW, Some(5)).await;
    let draft = review(&at, c, id, 1, NOW + 5 * MINUTE);
    s.create_review(at.tenant, &draft).await.unwrap();
    assert_eq!(s.review(at.tenant, draft.id).await.unwrap().unwrap(), draft);
    // One review per contact.
    let again = s
        .create_review(at.tenant, &review(&at, c, id, 1, NOW))
        .await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");

    let sent = submitted(draft.clone(), 8_800);
    s.save_review(at.tenant, &sent, ReviewStatus::Draft)
        .await
        .unwrap();
    assert_eq!(s.review(at.tenant, draft.id).await.unwrap().unwrap(), sent);
    // A second submit from the draft it no longer is: nothing written.
    let late = s.save_review(at.tenant, &sent, ReviewStatus::Draft).await;
    assert!(matches!(late, Err(StorageError::Stale)), "{late:?}");

    let mut disputed = sent.clone();
    disputed.status = ReviewStatus::Disputed;
    disputed.dispute_reason = Some("客户先挂断".into());
    disputed.disputed_at = Some(NOW + 2);
    s.save_review(at.tenant, &disputed, ReviewStatus::Submitted)
        .await
        .unwrap();
    let mut resolved = disputed.clone();
    resolved.status = ReviewStatus::Resolved;
    resolved.answers[0].points = Some(5);
    resolved.score = Some(Score {
        centi: 10_000,
        failed_critical: false,
    });
    resolved.dispute_end = Some(DisputeEnd {
        resolution: Resolution::Rescored,
        note: "重新评分".into(),
    });
    resolved.resolved_at = Some(NOW + 3);
    s.save_review(at.tenant, &resolved, ReviewStatus::Disputed)
        .await
        .unwrap();
    assert_eq!(
        s.review(at.tenant, draft.id).await.unwrap().unwrap(),
        resolved
    );

    // Lists: by agent, drafts left out when asked.
    let c2 = contact(s, &at, NOW + MINUTE, Some(1)).await;
    s.create_review(at.tenant, &review(&at, c2, id, 1, NOW + 2 * MINUTE))
        .await
        .unwrap();
    let all = ReviewFilter {
        agent: Some(at.agent),
        limit: 10,
        ..ReviewFilter::default()
    };
    assert_eq!(s.reviews(at.tenant, &all).await.unwrap().len(), 2);
    let shown = ReviewFilter {
        no_drafts: true,
        ..all.clone()
    };
    let shown = s.reviews(at.tenant, &shown).await.unwrap();
    assert_eq!(shown, vec![resolved]);
    let by_status = ReviewFilter {
        status: Some(ReviewStatus::Draft),
        limit: 10,
        ..ReviewFilter::default()
    };
    assert_eq!(
        s.reviews(at.tenant, &by_status).await.unwrap()[0].contact,
        c2
    );
}

async fn reviews_stay_in_their_tenant(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    let id = ScorecardId::new();
    s.create_scorecard(at.tenant, id, &card("通话质检", (60, 40)), NOW)
        .await
        .unwrap();
    let c = contact(s, &at, NOW, Some(5)).await;
    let mine = review(&at, c, id, 1, NOW);
    s.create_review(at.tenant, &mine).await.unwrap();
    assert!(s.review(other.tenant, mine.id).await.unwrap().is_none());
    let saved = s
        .save_review(other.tenant, &mine, ReviewStatus::Draft)
        .await;
    assert!(matches!(saved, Err(StorageError::NotFound)), "{saved:?}");
    let filter = ReviewFilter {
        limit: 10,
        ..ReviewFilter::default()
    };
    assert!(s.reviews(other.tenant, &filter).await.unwrap().is_empty());
    // Another tenant's contact (or scorecard) cannot be reviewed from here.
    let their_contact = contact(s, &other, NOW, Some(5)).await;
    let foreign = review(&other, their_contact, id, 1, NOW);
    let refused = s.create_review(other.tenant, &foreign).await;
    assert!(
        matches!(refused, Err(StorageError::Reference(_))),
        "{refused:?}"
    );
    let crossed = Review {
        id: ReviewId::new(),
        ..review(&at, their_contact, id, 1, NOW)
    };
    let refused = s.create_review(at.tenant, &crossed).await;
    assert!(
        matches!(refused, Err(StorageError::Reference(_))),
        "{refused:?}"
    );
}

async fn the_picker_finds_closed_served_contacts(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    let id = ScorecardId::new();
    s.create_scorecard(at.tenant, id, &card("通话质检", (60, 40)), NOW)
        .await
        .unwrap();
    let short = contact(s, &at, NOW, Some(1)).await;
    let long = contact(s, &at, NOW + MINUTE, Some(10)).await;
    let _open = contact(s, &at, NOW, None).await;
    let _before = contact(s, &at, NOW - 100 * MINUTE, Some(1)).await;
    let _theirs = contact(s, &other, NOW, Some(3)).await;
    let filter = ContactFilter {
        from: NOW,
        to: NOW + 60 * MINUTE,
        queue: None,
        agent: None,
        channel: None,
        min_duration_ms: None,
        disposition: None,
        unreviewed: false,
        limit: 50,
    };
    let ids = |v: Vec<ReviewableContact>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s.reviewable_contacts(at.tenant, &filter).await.unwrap()),
        vec![long, short]
    );
    let longer = ContactFilter {
        min_duration_ms: Some(5 * MINUTE),
        ..filter.clone()
    };
    assert_eq!(
        ids(s.reviewable_contacts(at.tenant, &longer).await.unwrap()),
        vec![long]
    );
    let tasks = ContactFilter {
        channel: Some(Channel::Task),
        ..filter.clone()
    };
    assert!(s
        .reviewable_contacts(at.tenant, &tasks)
        .await
        .unwrap()
        .is_empty());
    let others = ContactFilter {
        agent: Some(other.agent),
        ..filter.clone()
    };
    assert!(s
        .reviewable_contacts(at.tenant, &others)
        .await
        .unwrap()
        .is_empty());

    let r = review(&at, long, id, 1, NOW + 11 * MINUTE);
    s.create_review(at.tenant, &r).await.unwrap();
    let listed = s.reviewable_contacts(at.tenant, &filter).await.unwrap();
    assert_eq!(listed[0].review, Some((r.id, ReviewStatus::Draft)));
    let unreviewed = ContactFilter {
        unreviewed: true,
        ..filter.clone()
    };
    assert_eq!(
        ids(s.reviewable_contacts(at.tenant, &unreviewed).await.unwrap()),
        vec![short]
    );
}

async fn the_report_reads_scored_reviews_in_range(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    let id = ScorecardId::new();
    s.create_scorecard(at.tenant, id, &card("通话质检", (60, 40)), NOW)
        .await
        .unwrap();
    let c1 = contact(s, &at, NOW, Some(1)).await;
    let c2 = contact(s, &at, NOW, Some(2)).await;
    let c3 = contact(s, &at, NOW - 500 * MINUTE, Some(1)).await;
    let sent = submitted(review(&at, c1, id, 1, NOW + MINUTE), 8_800);
    s.create_review(at.tenant, &sent).await.unwrap();
    s.create_review(at.tenant, &review(&at, c2, id, 1, NOW + 2 * MINUTE))
        .await
        .unwrap();
    s.create_review(
        at.tenant,
        &submitted(review(&at, c3, id, 1, NOW - 499 * MINUTE), 5_000),
    )
    .await
    .unwrap();
    let rows = s
        .scored_reviews(at.tenant, NOW, NOW + 60 * MINUTE)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].id, rows[0].agent, rows[0].score.centi),
        (sent.id, at.agent, 8_800)
    );
    let items = s
        .scored_items(at.tenant, NOW, NOW + 60 * MINUTE)
        .await
        .unwrap();
    let seen: Vec<_> = items
        .iter()
        .map(|i| (i.label.as_str(), i.points, i.max))
        .collect();
    assert_eq!(seen, vec![("礼貌用语", 4, 5), ("身份核实", 1, 1)]);
    assert_eq!(items[0].section, "服务态度");
    assert!(s
        .scored_reviews(other.tenant, 0, NOW * 2)
        .await
        .unwrap()
        .is_empty());
    assert!(s
        .scored_items(other.tenant, 0, NOW * 2)
        .await
        .unwrap()
        .is_empty());
}

async fn samples_round_trip_per_tenant(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    let c1 = contact(s, &at, NOW, Some(1)).await;
    let c2 = contact(s, &at, NOW, Some(2)).await;
    let sample = Sample {
        id: SampleId::new(),
        drawn_by: at.reviewer,
        seed: u64::MAX - 7,
        per_agent: 2,
        from: NOW - MINUTE,
        to: NOW + MINUTE,
        created_at: NOW,
        contacts: vec![c2, c1],
    };
    s.save_sample(at.tenant, &sample).await.unwrap();
    assert_eq!(
        s.samples(at.tenant, 10).await.unwrap(),
        vec![sample.clone()]
    );
    assert!(s.samples(other.tenant, 10).await.unwrap().is_empty());
    let foreign = Sample {
        id: SampleId::new(),
        drawn_by: other.reviewer,
        ..sample
    };
    let refused = s.save_sample(other.tenant, &foreign).await;
    assert!(
        matches!(refused, Err(StorageError::Reference(_))),
        "{refused:?}"
    );
}

switchboard_storage::story_tests!(
    scorecards_keep_the_version_a_review_used,
    scorecards_stay_in_their_tenant,
    reviews_take_one_step_at_a_time,
    reviews_stay_in_their_tenant,
    the_picker_finds_closed_served_contacts,
    the_report_reads_scored_reviews_in_range,
    samples_round_trip_per_tenant,
);
