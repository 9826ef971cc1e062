//! The interval aggregates on both databases: increments written with an engine turn land in
//! their bucket and in their day of the tenant's zone, sums add and maxima stay maxima, a
//! change of zone regroups every day from the buckets, totals over long ranges use month rows,
//! queues' targets (and their changes) are the tenant's own,
//! and the events a replay needs are read back in order.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::collections::BTreeMap;

use switchboard_engine::acd::{AgentState, ReasonCode};
use switchboard_engine::stats::*;
use switchboard_engine::*;
use switchboard_storage::*;

/// 2026-12-04T15:50:00Z: ten minutes before midnight in Shanghai.
const NOW: Millis = 1_796_399_400_000;

async fn tenant(s: &dyn Storage, name: &str) -> Tenant {
    s.create_tenant(&TenantName::parse(name).unwrap(), name, NOW)
        .await
        .unwrap()
}

async fn queue(s: &dyn Storage, t: TenantId, name: &str) -> SkillQueueId {
    let spec = SkillQueueSpec {
        name: SkillQueueName::parse(name).unwrap(),
        channel: Channel::Voice,
        strategy: RoutingStrategy::LongestIdle,
        priority: QueuePriority::new(50).unwrap(),
        max_queue_len: None,
        max_wait_s: None,
        overflow_queue: None,
        tags: vec![],
    };
    s.create_skill_queue(t, &spec, &[]).await.unwrap().id
}

fn offered(queue: SkillQueueId, at: Millis, n: i64, wait: i64) -> Increment {
    Increment {
        at,
        what: Tallied::Queue {
            queue,
            figures: Figures::of(&[(QueueMeasure::Offered, n), (QueueMeasure::MaxWaitMs, wait)]),
        },
    }
}

fn state(agent: UserId, at: Millis, ms: i64, reason: Option<&str>) -> Increment {
    Increment {
        at,
        what: Tallied::State {
            agent,
            state: if reason.is_some() {
                AgentState::Busy
            } else {
                AgentState::Idle
            },
            reason: reason.map(|r| ReasonCode::parse(r).unwrap()),
            ms,
        },
    }
}

async fn write(s: &dyn Storage, t: TenantId, tallies: Vec<Increment>, flushed: Option<Millis>) {
    let batch = EngineBatch {
        tallies,
        stat_flushed_to: flushed,
        ..EngineBatch::default()
    };
    s.apply_engine_batch(t, &batch).await.unwrap();
}

/// Offered per day, summed from the bucket rows in `zone`.
async fn days_from_buckets(s: &dyn Storage, t: TenantId, zone: &TenantZone) -> BTreeMap<i64, i64> {
    let mut days = BTreeMap::new();
    for r in s
        .queue_figures(t, Grain::Bucket, Span::EachPeriod, 0, i64::MAX, &[])
        .await
        .unwrap()
    {
        *days.entry(day_of(r.at, zone)).or_default() += r.figures.get(QueueMeasure::Offered);
    }
    days
}

async fn stored_days(s: &dyn Storage, t: TenantId) -> BTreeMap<i64, i64> {
    let mut days = BTreeMap::new();
    for r in s
        .queue_figures(t, Grain::Day, Span::EachPeriod, 0, i64::MAX, &[])
        .await
        .unwrap()
    {
        *days.entry(r.at).or_default() += r.figures.get(QueueMeasure::Offered);
    }
    days
}

async fn buckets_and_days_add_up_in_the_tenant_zone(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let q = queue(s, t.id, "售后").await;
    let agent = UserId::new();
    let shanghai = TenantZone::parse("Asia/Shanghai").unwrap();
    // Before and after Shanghai's midnight, twice into the same bucket.
    write(
        s,
        t.id,
        vec![
            offered(q, NOW, 2, 9_000),
            state(agent, NOW, 60_000, Some("午餐")),
        ],
        Some(bucket_of(NOW)),
    )
    .await;
    write(
        s,
        t.id,
        vec![
            offered(q, NOW + 60_000, 1, 4_000),
            offered(q, NOW + 20 * 60_000, 5, 1_000),
            state(agent, NOW + 60_000, 30_000, Some("午餐")),
            state(agent, NOW + 20 * 60_000, 5_000, None),
        ],
        Some(bucket_of(NOW + 20 * 60_000)),
    )
    .await;
    assert_eq!(
        s.stat_flushed_to(t.id).await.unwrap(),
        Some(bucket_of(NOW + 20 * 60_000))
    );

    let buckets = s
        .queue_figures(t.id, Grain::Bucket, Span::EachPeriod, 0, i64::MAX, &[q])
        .await
        .unwrap();
    assert_eq!(buckets.len(), 2);
    assert_eq!(buckets[0].at, bucket_of(NOW));
    assert_eq!(buckets[0].figures.get(QueueMeasure::Offered), 3, "sums add");
    assert_eq!(
        buckets[0].figures.get(QueueMeasure::MaxWaitMs),
        9_000,
        "maxima stay"
    );
    assert_eq!(buckets[1].figures.get(QueueMeasure::Offered), 5);

    let total = s
        .queue_figures(t.id, Grain::Bucket, Span::Total, 0, i64::MAX, &[])
        .await
        .unwrap();
    assert_eq!(total.len(), 1);
    assert_eq!(
        total[0].at,
        bucket_of(NOW),
        "a total's time is its first period's"
    );
    assert_eq!(total[0].figures.get(QueueMeasure::Offered), 8);
    assert_eq!(total[0].figures.get(QueueMeasure::MaxWaitMs), 9_000);
    let states = s
        .state_times(t.id, Grain::Day, Span::Total, 0, i64::MAX, &[])
        .await
        .unwrap();
    assert_eq!(states.iter().map(|r| r.ms).sum::<i64>(), 95_000);

    let days = stored_days(s, t.id).await;
    assert_eq!(days, days_from_buckets(s, t.id, &shanghai).await);
    assert_eq!(days.len(), 2, "midnight in Shanghai splits them: {days:?}");

    let states = s
        .state_times(t.id, Grain::Day, Span::EachPeriod, 0, i64::MAX, &[agent])
        .await
        .unwrap();
    let lunch: i64 = states
        .iter()
        .filter(|r| r.reason.as_ref().map(|r| r.as_str()) == Some("午餐"))
        .map(|r| r.ms)
        .sum();
    assert_eq!(lunch, 90_000);
    assert!(states
        .iter()
        .any(|r| r.state == AgentState::Idle && r.reason.is_none()));
    assert!(s
        .state_times(
            t.id,
            Grain::Day,
            Span::EachPeriod,
            0,
            i64::MAX,
            &[UserId::new()]
        )
        .await
        .unwrap()
        .is_empty());

    // A new zone regroups every day from the buckets: in New York both fall on one day.
    let new_york = TenantZone::parse("America/New_York").unwrap();
    let params = s.tenant_params(t.id).await.unwrap();
    s.set_tenant_params(t.id, &params, &new_york).await.unwrap();
    let days = stored_days(s, t.id).await;
    assert_eq!(days, days_from_buckets(s, t.id, &new_york).await);
    assert_eq!(days.len(), 1, "{days:?}");
    let day = s
        .queue_figures(t.id, Grain::Day, Span::EachPeriod, 0, i64::MAX, &[])
        .await
        .unwrap();
    assert_eq!(day[0].figures.get(QueueMeasure::MaxWaitMs), 9_000);
    let lunch: i64 = s
        .state_times(t.id, Grain::Day, Span::EachPeriod, 0, i64::MAX, &[])
        .await
        .unwrap()
        .iter()
        .filter(|r| r.state == AgentState::Busy)
        .map(|r| r.ms)
        .sum();
    assert_eq!(lunch, 90_000);
    // Later increments land in New York's days.
    write(s, t.id, vec![offered(q, NOW + 9 * 3_600_000, 1, 0)], None).await;
    assert_eq!(
        stored_days(s, t.id).await,
        days_from_buckets(s, t.id, &new_york).await
    );

    // Another tenant sees none of it.
    let other = tenant(s, "other").await;
    assert!(s
        .queue_figures(other.id, Grain::Bucket, Span::EachPeriod, 0, i64::MAX, &[])
        .await
        .unwrap()
        .is_empty());
    assert_eq!(s.stat_flushed_to(other.id).await.unwrap(), None);
}

/// What a total over days `[from, to)` must be: offered summed, the longest wait the
/// maximum, agents' time summed, all from the day rows.
async fn summed_from_days(s: &dyn Storage, t: TenantId, from: i64, to: i64) -> (i64, i64, i64) {
    let days = s
        .queue_figures(t, Grain::Day, Span::EachPeriod, from, to, &[])
        .await
        .unwrap();
    let states = s
        .state_times(t, Grain::Day, Span::EachPeriod, from, to, &[])
        .await
        .unwrap();
    (
        days.iter()
            .map(|r| r.figures.get(QueueMeasure::Offered))
            .sum(),
        days.iter()
            .map(|r| r.figures.get(QueueMeasure::MaxWaitMs))
            .max()
            .unwrap_or(0),
        states.iter().map(|r| r.ms).sum(),
    )
}

async fn totals(s: &dyn Storage, t: TenantId, from: i64, to: i64) -> (i64, i64, i64) {
    let queues = s
        .queue_figures(t, Grain::Day, Span::Total, from, to, &[])
        .await
        .unwrap();
    let states = s
        .state_times(t, Grain::Day, Span::Total, from, to, &[])
        .await
        .unwrap();
    (
        queues
            .iter()
            .map(|r| r.figures.get(QueueMeasure::Offered))
            .sum(),
        queues
            .iter()
            .map(|r| r.figures.get(QueueMeasure::MaxWaitMs))
            .max()
            .unwrap_or(0),
        states.iter().map(|r| r.ms).sum(),
    )
}

/// Month rows (kept for long totals) add up to their days, in the tenant's zone and after
/// it changes, and a total over any range of days, whole months inside or not, is the sum
/// of its days.
async fn long_totals_sum_months_and_the_days_around_them(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let q = queue(s, t.id, "售后").await;
    let agent = UserId::new();
    // 2026-01-20 to 2026-04-12, every day at 23:50 UTC (the next day in Shanghai, still
    // the same day in New York), the wait growing so the longest is the last.
    let jan20 = 20_473;
    for i in 0..83 {
        let at = (jan20 + i) * DAY_MS + 23 * 3_600_000 + 50 * 60_000;
        write(
            s,
            t.id,
            vec![
                offered(q, at, i + 1, 1_000 * (i + 1)),
                state(agent, at, 60_000 * (i + 1), Some("培训")),
            ],
            None,
        )
        .await;
    }
    let tid = t.id;
    let check = |zone: &'static str| async move {
        let months = s
            .queue_figures(tid, Grain::Month, Span::EachPeriod, 0, i64::MAX, &[])
            .await
            .unwrap();
        assert_eq!(months.len(), 4, "{zone}: January to April");
        for m in &months {
            let days = summed_from_days(s, tid, m.at, month_after(m.at)).await;
            assert_eq!(m.figures.get(QueueMeasure::Offered), days.0, "{zone}");
            assert_eq!(m.figures.get(QueueMeasure::MaxWaitMs), days.1, "{zone}");
        }
        let feb1 = month_of(jan20 + 15);
        let (mar1, apr1) = (month_after(feb1), month_after(month_after(feb1)));
        for (from, to) in [
            (jan20 + 5, apr1 + 5),
            (feb1, mar1),
            (feb1, mar1 + 14),
            (jan20, jan20 + 10),
            (mar1, apr1 + 20),
            (feb1 - 1, apr1),
            (0, i64::MAX),
        ] {
            assert_eq!(
                totals(s, tid, from, to).await,
                summed_from_days(s, tid, from, to).await,
                "{zone}: days {from}..{to}"
            );
        }
        // Month by month over ranges that cut months: each month its days' sum in the range.
        for (from, to, count) in [
            (jan20 + 5, apr1 + 5, 4),
            (feb1 + 3, feb1 + 10, 1),
            (mar1 - 5, mar1 + 5, 2),
            (feb1, apr1, 2),
        ] {
            let rows = s
                .queue_figures(tid, Grain::Month, Span::EachPeriod, from, to, &[])
                .await
                .unwrap();
            assert_eq!(rows.len(), count, "{zone}: months of {from}..{to}");
            for r in &rows {
                assert_eq!(
                    r.at,
                    month_of(r.at),
                    "{zone}: a month's row is at its start"
                );
                let days = summed_from_days(s, tid, r.at.max(from), month_after(r.at).min(to));
                let days = days.await;
                assert_eq!(
                    (
                        r.figures.get(QueueMeasure::Offered),
                        r.figures.get(QueueMeasure::MaxWaitMs)
                    ),
                    (days.0, days.1),
                    "{zone}: month {} of {from}..{to}",
                    r.at
                );
            }
        }
    };
    check("Asia/Shanghai").await;
    let new_york = TenantZone::parse("America/New_York").unwrap();
    let params = s.tenant_params(t.id).await.unwrap();
    s.set_tenant_params(t.id, &params, &new_york).await.unwrap();
    check("America/New_York").await;
}

async fn queue_targets_belong_to_the_tenant(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let other = tenant(s, "other").await;
    let q = queue(s, t.id, "售前").await;
    assert!(s.queue_targets(t.id).await.unwrap().is_empty());
    let mut targets = QueueTargetsRecord::default_for(q);
    targets.answer_within_s = 30;
    targets.service_level = Levels {
        warn: Some(80),
        alarm: Some(60),
    };
    s.set_queue_targets(t.id, &targets, NOW).await.unwrap();
    assert_eq!(s.queue_targets(t.id).await.unwrap(), [targets]);
    let first = targets;
    targets.waiting.alarm = Some(10);
    s.set_queue_targets(t.id, &targets, NOW + 1).await.unwrap();
    assert_eq!(s.queue_targets(t.id).await.unwrap(), [targets]);
    // Every change is kept with its time; a read stops at its moment.
    assert_eq!(
        s.queue_target_changes(t.id, NOW + 1).await.unwrap(),
        [(NOW, first), (NOW + 1, targets)]
    );
    assert_eq!(
        s.queue_target_changes(t.id, NOW).await.unwrap(),
        [(NOW, first)]
    );
    assert!(matches!(
        s.set_queue_targets(other.id, &targets, NOW).await,
        Err(StorageError::NotFound)
    ));
    assert!(s.queue_targets(other.id).await.unwrap().is_empty());
    assert!(s
        .queue_target_changes(other.id, i64::MAX)
        .await
        .unwrap()
        .is_empty());
}

fn event(
    at: Millis,
    kind: &'static str,
    agent: Option<UserId>,
    contact: Option<ContactId>,
) -> EventRecord {
    EventRecord {
        at,
        kind,
        agent,
        contact,
        queue: None,
        detail: "{}".into(),
    }
}

async fn replay_reads_back_what_was_open(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let q = queue(s, t.id, "售后").await;
    let users = s
        .create_users(
            t.id,
            &[NewUser {
                login: LoginName::parse("agent1").unwrap(),
                real_name: PersonName::parse("张三").unwrap(),
                display_name: PersonName::parse("小张").unwrap(),
                chat_limit: ChatLimit::new(5).unwrap(),
                role_ids: vec![],
                password_hash: "$argon2id$fake".into(),
                must_change_password: false,
                agent_params: AgentParams::default(),
            }],
            NOW,
        )
        .await
        .unwrap();
    let a = users[0].id;
    let (open, closed) = (ContactId::new(), ContactId::new());
    let contact = |id: ContactId, closed_at: Option<Millis>| StoredContact {
        id,
        channel: Channel::Voice,
        direction: acd::Direction::Inbound,
        queue: q,
        priority: acd::CustomerPriority::new(0).unwrap(),
        customer: None,
        title: None,
        link: None,
        data: "{}".into(),
        state: if closed_at.is_some() {
            acd::ContactStatus::Closed
        } else {
            acd::ContactStatus::Queued
        },
        agent: None,
        offer_expires_at: None,
        created_at: NOW - 50_000,
        enqueued_at: NOW - 50_000,
        closed_at,
        outcome: closed_at.map(|_| acd::ContactOutcome::Abandoned),
        summary: None,
        solution: None,
        disposition: None,
        summary_saved: false,
        rating: None,
    };
    let batch = EngineBatch {
        new_contacts: vec![contact(open, None), contact(closed, Some(NOW - 40_000))],
        events: vec![
            event(NOW - 90_000, "agent.signed_in", Some(a), None),
            event(NOW - 90_000, "agent.state", Some(a), None),
            event(NOW - 80_000, "agent.state", Some(a), None),
            event(NOW - 50_000, "contact.created", None, Some(open)),
            event(NOW - 50_000, "contact.created", None, Some(closed)),
            event(NOW - 40_000, "contact.closed", None, Some(closed)),
            event(NOW - 10_000, "contact.offered", Some(a), Some(open)),
            event(NOW + 10_000, "contact.connected", Some(a), Some(open)),
        ],
        ..EngineBatch::default()
    };
    s.apply_engine_batch(t.id, &batch).await.unwrap();
    let got = s
        .events_for_replay(t.id, NOW - 30_000, NOW + 5_000)
        .await
        .unwrap();
    let seen: Vec<(Millis, &str)> = got.iter().map(|e| (e.record.at, e.record.kind)).collect();
    assert_eq!(
        seen,
        [
            (NOW - 90_000, "agent.signed_in"),
            (NOW - 80_000, "agent.state"),
            (NOW - 50_000, "contact.created"),
            (NOW - 10_000, "contact.offered"),
        ],
        "the agent's latest sign-in and state, the open contact's story, then everything up to `to`"
    );
    assert!(got.windows(2).all(|w| w[0].id < w[1].id));
    let all = s
        .events_for_replay(t.id, NOW - 30_000, NOW + 10_000)
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    let mine = s.agent_events(t.id, a, NOW - 100_000, NOW).await.unwrap();
    assert_eq!(mine.len(), 4);
    let before = s.agent_state_before(t.id, a, NOW - 85_000).await.unwrap();
    assert_eq!(before.unwrap().record.at, NOW - 90_000);
    let other = tenant(s, "other").await;
    assert!(s
        .events_for_replay(other.id, 0, i64::MAX)
        .await
        .unwrap()
        .is_empty());
}

switchboard_storage::story_tests!(
    buckets_and_days_add_up_in_the_tenant_zone,
    long_totals_sum_months_and_the_days_around_them,
    queue_targets_belong_to_the_tenant,
    replay_reads_back_what_was_open,
);
