//! Property test of the interval aggregates (issue #16): random traffic through the real
//! routing engine — arrivals, answers, holds, transfers, overflows, abandons, outbound
//! calls, busy and rest with reasons, sign-outs — across bucket and day boundaries, with
//! restarts (the engine restored as the server restores it, the tally rebuilt by replaying
//! only what the server reads back: the events of contacts still open and of signed-in
//! agents since they signed in). What the tally counted, bucket by bucket, always equals a
//! recount from the whole event log, and the day sums equal it in any time zone.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use support::*;
use switchboard_engine::acd::*;
use switchboard_engine::stats::*;
use switchboard_engine::*;

const AGENTS: u128 = 4;
const QUEUES: [(u128, Channel); 3] = [(1, Channel::Voice), (2, Channel::Chat), (3, Channel::Voice)];
const REASONS: [&str; 3] = ["午餐", "meeting", "培训"];

#[derive(Debug, Clone)]
enum Step {
    SignIn(u128),
    SignOut(u128),
    Presence(u128, u8, u8),
    Create(u8),
    AnswerFirst(u128),
    ReleaseFirst(u128),
    Continue(u128),
    CustomerLeaves(u8),
    Hold(u128, bool),
    Dial(u128),
    Transfer(u128, u8),
    Advance(u32),
    Restart(u32),
}

fn step() -> impl Strategy<Value = Step> {
    let agent = 1..=AGENTS;
    prop_oneof![
        2 => agent.clone().prop_map(Step::SignIn),
        1 => agent.clone().prop_map(Step::SignOut),
        2 => (agent.clone(), 0..3u8, 0..4u8).prop_map(|(a, p, r)| Step::Presence(a, p, r)),
        5 => (0..3u8).prop_map(Step::Create),
        4 => agent.clone().prop_map(Step::AnswerFirst),
        3 => agent.clone().prop_map(Step::ReleaseFirst),
        2 => agent.clone().prop_map(Step::Continue),
        2 => any::<u8>().prop_map(Step::CustomerLeaves),
        2 => (agent.clone(), any::<bool>()).prop_map(|(a, h)| Step::Hold(a, h)),
        1 => agent.clone().prop_map(Step::Dial),
        1 => (agent.clone(), 0..6u8).prop_map(|(a, t)| Step::Transfer(a, t)),
        5 => prop_oneof![0..20_000u32, 0..400_000u32, 0..3_000_000u32].prop_map(Step::Advance),
        1 => (0..2_000_000u32).prop_map(Step::Restart),
    ]
}

fn params() -> TenantParams {
    TenantParams {
        no_answer_limit: NoAnswerLimit::new(2).unwrap(),
        wrap_up_limit: WrapUpLimit::new(60).unwrap(),
        task_limit: TaskLimit::new(2).unwrap(),
        ..TenantParams::default()
    }
}

/// Agents and queues, as a server configures an engine before restoring it.
fn configure(w: &mut World) {
    for a in 1..=AGENTS {
        w.add_agent(a, 2);
    }
    for (q, channel) in QUEUES {
        let agents: Vec<(u128, i64)> = (1..=AGENTS).map(|a| (a, 5)).collect();
        w.add_queue_with(q, channel, RoutingStrategy::LongestIdle, 10, &agents, |c| {
            c.max_queue_len = Some(5);
            c.max_wait_s = Some(120);
            if q == 1 {
                c.overflow = Some(queue(3));
            }
        });
    }
}

fn connected_of(w: &World, a: u128) -> Option<ContactView> {
    let view = w.engine.agent_view(agent(a))?;
    view.contacts
        .into_iter()
        .find(|c| matches!(c.phase, ContactPhase::Connected { .. }))
}

fn apply(w: &mut World, step: &Step, next: &mut u128) {
    let _ = match step {
        Step::SignIn(a) => w.try_cmd(Command::SignIn {
            agent: agent(*a),
            queues: None,
        }),
        Step::SignOut(a) => w.try_cmd(Command::SignOut { agent: agent(*a) }),
        Step::Presence(a, p, r) => w.try_cmd(Command::SetPresence {
            agent: agent(*a),
            presence: [
                RequestedPresence::Idle,
                RequestedPresence::Busy,
                RequestedPresence::Rest,
            ][*p as usize],
            reason: REASONS
                .get(*r as usize)
                .map(|r| ReasonCode::parse(r).unwrap()),
        }),
        Step::Create(q) => {
            *next += 1;
            let (qn, channel) = QUEUES[*q as usize];
            w.try_cmd(Command::CreateContact(World::new_contact(
                *next, qn, channel, 0,
            )))
        }
        Step::AnswerFirst(a) => {
            let view = w.engine.agent_view(agent(*a));
            let offered = view.and_then(|v| {
                v.contacts
                    .into_iter()
                    .find(|c| matches!(c.phase, ContactPhase::Offered { .. }))
            });
            match offered {
                Some(c) => w.try_cmd(Command::Answer {
                    agent: agent(*a),
                    contact: c.id,
                }),
                None => Ok(()),
            }
        }
        Step::ReleaseFirst(a) => match connected_of(w, *a) {
            Some(c) => w.try_cmd(Command::Release {
                contact: c.id,
                agent: Some(agent(*a)),
                by: ReleasedBy::Agent,
            }),
            None => Ok(()),
        },
        Step::Continue(a) => w.try_cmd(Command::ContinueWorking {
            agent: agent(*a),
            contact: None,
        }),
        Step::CustomerLeaves(n) => {
            let ids = w.engine.contact_ids();
            if ids.is_empty() {
                return;
            }
            w.try_cmd(Command::Release {
                contact: ids[*n as usize % ids.len()],
                agent: None,
                by: ReleasedBy::Customer,
            })
        }
        Step::Hold(a, on) => match connected_of(w, *a) {
            Some(c) => w.try_cmd(Command::Media {
                contact: c.id,
                event: if *on {
                    MediaEvent::Held
                } else {
                    MediaEvent::Resumed
                },
                by: None,
            }),
            None => Ok(()),
        },
        Step::Dial(a) => {
            *next += 1;
            let mut new = World::new_contact(*next, 1, Channel::Voice, 0);
            new.direction = Direction::Outbound;
            w.try_cmd(Command::Dial {
                contact: new,
                agent: agent(*a),
            })
        }
        Step::Transfer(a, t) => match connected_of(w, *a) {
            Some(c) => {
                let to = if *t < 3 {
                    TransferTarget::Queue(queue(QUEUES[*t as usize].0))
                } else {
                    TransferTarget::Agent(agent(u128::from(*t - 3) % AGENTS + 1))
                };
                w.try_cmd(Command::Transfer {
                    contact: c.id,
                    agent: agent(*a),
                    to,
                })
            }
            None => Ok(()),
        },
        Step::Advance(ms) => {
            w.advance(i64::from(*ms));
            Ok(())
        }
        Step::Restart(_) => Ok(()),
    };
}

/// The engine after a restart `down_ms` later, restored from what the server stores.
fn restarted(old: &World, down_ms: Millis) -> World {
    let now = old.now + down_ms;
    let mut w = World {
        engine: Engine::new(params(), now),
        now,
        events: Vec::new(),
    };
    configure(&mut w);
    for a in 1..=AGENTS {
        let v = old.engine.agent_view(agent(a)).unwrap();
        if let Some(state) = v.presence {
            w.cmd(Command::RestoreAgent {
                agent: v.id,
                queues: v.signed_in.clone(),
                state,
                reason: v.reason.clone(),
                since: v.state_since,
            });
        }
    }
    // Held contacts first, as the server restores them.
    let mut open: Vec<ContactView> = old
        .engine
        .contact_ids()
        .into_iter()
        .filter_map(|id| old.engine.contact_view(id))
        .collect();
    open.sort_by_key(|c| {
        let held = matches!(
            c.phase,
            ContactPhase::Connected { .. } | ContactPhase::WrapUp { .. }
        );
        (!held, c.enqueued_at, c.created_at)
    });
    for c in open {
        let phase = match c.phase {
            ContactPhase::Connected { agent, .. } => RestoredPhase::Connected {
                agent,
                since: c.enqueued_at,
            },
            ContactPhase::WrapUp { agent, .. } => RestoredPhase::WrapUp {
                agent,
                since: c.enqueued_at,
                summary_saved: c.summary_saved,
            },
            _ => RestoredPhase::Queued,
        };
        let new = NewContact {
            id: c.id,
            channel: c.channel,
            direction: c.direction,
            queue: c.queue,
            priority: c.priority,
            customer: None,
            familiar_agent: None,
        };
        let _ = w.try_cmd(Command::RestoreContact {
            contact: new,
            created_at: c.created_at,
            enqueued_at: c.enqueued_at,
            phase,
        });
    }
    w
}

/// What the server reads back to rebuild a tally: every event of the contacts still open,
/// and each signed-in agent's events since their last sign-in, in the order stored.
fn read_back<'a>(log: &'a [Event], engine: &Engine) -> Vec<&'a Event> {
    let open: BTreeSet<ContactId> = engine.contact_ids().into_iter().collect();
    let mut since_sign_in = BTreeMap::new();
    for (i, e) in log.iter().enumerate() {
        if let Event::AgentSignedIn { agent, .. } = e {
            since_sign_in.insert(*agent, i);
        }
    }
    let signed_in: BTreeMap<UserId, usize> = since_sign_in
        .into_iter()
        .filter(|(a, _)| engine.agent_view(*a).is_some_and(|v| v.presence.is_some()))
        .collect();
    log.iter()
        .enumerate()
        .filter(|(i, e)| match e {
            Event::AgentSignedIn { agent, .. }
            | Event::AgentSignedOut { agent, .. }
            | Event::AgentQueuesReset { agent, .. }
            | Event::AgentStateChanged { agent, .. } => {
                signed_in.get(agent).is_some_and(|from| i >= from)
            }
            other => contact_of(other).is_some_and(|c| open.contains(&c)),
        })
        .map(|(_, e)| e)
        .collect()
}

fn contact_of(e: &Event) -> Option<ContactId> {
    match e {
        Event::ContactCreated { contact, .. }
        | Event::ContactQueued { contact, .. }
        | Event::ContactReserved { contact, .. }
        | Event::ContactOffered { contact, .. }
        | Event::ContactOfferTimedOut { contact, .. }
        | Event::ContactConnected { contact, .. }
        | Event::ContactMedia { contact, .. }
        | Event::ContactWrapUp { contact, .. }
        | Event::ContactOverflowed { contact, .. }
        | Event::ContactTransferred { contact, .. }
        | Event::ContactClosed { contact, .. } => Some(*contact),
        _ => None,
    }
}

/// A figure's place: its bucket, whose it is, and which measure.
type Key = (Millis, String, &'static str);
type Sums = BTreeMap<Key, i64>;

fn put(sums: &mut Sums, key: Key, value: i64, merge: Merge) {
    if value == 0 {
        return;
    }
    let slot = sums.entry(key).or_insert(0);
    *slot = match merge {
        Merge::Sum => *slot + value,
        Merge::Max => (*slot).max(value),
    };
}

fn fold(sums: &mut Sums, inc: &Increment) {
    let b = inc.bucket();
    match &inc.what {
        Tallied::Queue { queue, figures } => {
            for m in QueueMeasure::ALL {
                put(
                    sums,
                    (b, format!("q{queue}"), m.column()),
                    figures.get(*m),
                    m.merge(),
                );
            }
        }
        Tallied::Agent {
            agent,
            channel,
            figures,
        } => {
            for m in AgentMeasure::ALL {
                let who = format!("a{agent}/{}", channel.code());
                put(sums, (b, who, m.column()), figures.get(*m), m.merge());
            }
        }
        Tallied::State {
            agent,
            state,
            reason,
            ms,
        } => {
            let who = format!("s{agent}/{}/{reason:?}", state.code());
            put(sums, (b, who, "ms"), *ms, Merge::Sum);
        }
    }
}

/// The recount: each contact's and each agent's whole history walked on its own, by the
/// rules of the figures (see `stats::figures`), with nothing carried between events of
/// different contacts or agents and no buckets flushed along the way.
fn recount(log: &[Event], targets: &BTreeMap<SkillQueueId, QueueTargets>, until: Millis) -> Sums {
    let mut sums = Sums::new();
    let mut q = |sums: &mut Sums, at: Millis, queue: SkillQueueId, m: QueueMeasure, v: i64| {
        put(
            sums,
            (bucket_of(at), format!("q{queue}"), m.column()),
            v,
            m.merge(),
        );
    };
    let a = |sums: &mut Sums, at: Millis, agent: UserId, ch: Channel, m: AgentMeasure, v: i64| {
        let who = format!("a{agent}/{}", ch.code());
        put(sums, (bucket_of(at), who, m.column()), v, m.merge());
    };
    let contacts: BTreeSet<ContactId> = log.iter().filter_map(contact_of).collect();
    for id in contacts {
        recount_contact(log, id, targets, &mut sums, &mut q, &a);
    }
    let agents: BTreeSet<UserId> = log
        .iter()
        .filter_map(|e| match e {
            Event::AgentStateChanged { agent, .. } => Some(*agent),
            _ => None,
        })
        .collect();
    for id in agents {
        recount_agent(log, id, until, &mut sums);
    }
    sums
}

/// A service in the recount: (agent, connected, hold ms, held since, wrap-up since).
type Serving = (UserId, Millis, Millis, Option<Millis>, Option<Millis>);

type QueueCount<'a> = dyn FnMut(&mut Sums, Millis, SkillQueueId, QueueMeasure, i64) + 'a;
type AgentCount<'a> = dyn Fn(&mut Sums, Millis, UserId, Channel, AgentMeasure, i64) + 'a;

fn recount_contact(
    log: &[Event],
    id: ContactId,
    targets: &BTreeMap<SkillQueueId, QueueTargets>,
    sums: &mut Sums,
    q: &mut QueueCount,
    a: &AgentCount,
) {
    use QueueMeasure as Q;
    let mine = log.iter().filter(|e| contact_of(e) == Some(id));
    let (mut known, mut channel, mut queue, mut direction) =
        (false, Channel::Voice, queue(0), Direction::Inbound);
    let mut visit: Option<Millis> = None;
    let mut service: Option<Serving> = None;
    let target = |queue: SkillQueueId| targets.get(&queue).copied().unwrap_or_default();
    let end_service = |sums: &mut Sums,
                       q: &mut QueueCount,
                       service: &mut Option<Serving>,
                       queue: SkillQueueId,
                       channel: Channel,
                       at: Millis,
                       moved: i64| {
        if let Some((agent, connected, mut hold, held, wrap)) = service.take() {
            let talk_end = wrap.unwrap_or(at);
            if let Some(h) = held {
                hold += (talk_end - h).max(0);
            }
            let talk = (talk_end - connected - hold).max(0);
            let wrap = wrap.map_or(0, |w| (at - w).max(0));
            for (m, v) in [
                (Q::Handled, 1),
                (Q::TalkMs, talk),
                (Q::HoldMs, hold),
                (Q::WrapMs, wrap),
                (Q::TransferredOut, moved),
            ] {
                q(sums, at, queue, m, v);
            }
            use AgentMeasure as A;
            for (m, v) in [
                (A::Handled, 1),
                (A::TalkMs, talk),
                (A::HoldMs, hold),
                (A::WrapMs, wrap),
                (A::TransferredOut, moved),
            ] {
                a(sums, at, agent, channel, m, v);
            }
        }
    };
    for e in mine {
        match e {
            Event::ContactCreated {
                channel: c,
                direction: d,
                queue: qu,
                at,
                ..
            } => {
                if known {
                    continue;
                }
                (known, channel, queue, direction) = (true, *c, *qu, *d);
                if *d == Direction::Inbound {
                    visit = Some(*at);
                    q(sums, *at, queue, Q::Offered, 1);
                } else {
                    q(sums, *at, queue, Q::Outbound, 1);
                }
            }
            Event::ContactQueued { at, .. } if visit.is_none() && service.is_none() => {
                visit = Some(*at)
            }
            Event::ContactOffered { agent, at, .. } => {
                a(sums, *at, *agent, channel, AgentMeasure::Offers, 1)
            }
            Event::ContactOfferTimedOut { agent, at, .. } => {
                a(sums, *at, *agent, channel, AgentMeasure::NoAnswers, 1);
                q(sums, *at, queue, Q::NoAnswers, 1);
            }
            Event::ContactConnected { agent, at, .. } => {
                service = Some((*agent, *at, 0, None, None));
                if let Some(since) = visit.take() {
                    let wait = (at - since).max(0);
                    q(sums, *at, queue, Q::Answered, 1);
                    q(sums, *at, queue, Q::AnswerWaitMs, wait);
                    q(sums, *at, queue, Q::MaxWaitMs, wait);
                    let within = wait <= target(queue).answer_within_ms;
                    q(sums, *at, queue, Q::AnsweredInTarget, i64::from(within));
                    a(sums, *at, *agent, channel, AgentMeasure::Answered, 1);
                } else if direction == Direction::Outbound {
                    a(sums, *at, *agent, channel, AgentMeasure::Outbound, 1);
                }
            }
            Event::ContactMedia { event, at, .. } => {
                if let Some(s) = service.as_mut() {
                    match event {
                        MediaEvent::Held if s.3.is_none() => s.3 = Some(*at),
                        MediaEvent::Resumed => {
                            if let Some(h) = s.3.take() {
                                s.2 += (at - h).max(0);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Event::ContactWrapUp { at, .. } => {
                if let Some(s) = service.as_mut() {
                    if let Some(h) = s.3.take() {
                        s.2 += (at - h).max(0);
                    }
                    s.4.get_or_insert(*at);
                }
            }
            Event::ContactTransferred { queue: to, at, .. } => {
                end_service(sums, q, &mut service, queue, channel, *at, 1);
                queue = *to;
                visit = Some(*at);
                q(sums, *at, queue, Q::Offered, 1);
                q(sums, *at, queue, Q::TransferredIn, 1);
            }
            Event::ContactOverflowed { from, to, at, .. } => {
                let waited = visit.replace(*at).map_or(0, |w| (at - w).max(0));
                q(sums, *at, *from, Q::OverflowedOut, 1);
                q(sums, *at, *from, Q::MaxWaitMs, waited);
                q(sums, *at, *to, Q::Offered, 1);
                q(sums, *at, *to, Q::OverflowedIn, 1);
                queue = *to;
            }
            Event::ContactClosed { outcome, at, .. } => {
                end_service(sums, q, &mut service, queue, channel, *at, 0);
                if let Some(since) = visit.take() {
                    let wait = (at - since).max(0);
                    match outcome {
                        ContactOutcome::Abandoned => {
                            q(sums, *at, queue, Q::Abandoned, 1);
                            let short = wait < target(queue).short_abandon_ms;
                            q(sums, *at, queue, Q::AbandonedShort, i64::from(short));
                            q(sums, *at, queue, Q::AbandonWaitMs, wait);
                            q(sums, *at, queue, Q::MaxWaitMs, wait);
                        }
                        ContactOutcome::TimedOut => {
                            q(sums, *at, queue, Q::TimedOut, 1);
                            q(sums, *at, queue, Q::MaxWaitMs, wait);
                        }
                        ContactOutcome::Cancelled => q(sums, *at, queue, Q::Cancelled, 1),
                        ContactOutcome::Completed => {}
                    }
                }
                known = false;
            }
            _ => {}
        }
    }
}

/// An agent's time per state from their state changes, split at bucket boundaries, the
/// stretch still running counted up to `until` (a bucket boundary).
fn recount_agent(log: &[Event], id: UserId, until: Millis, sums: &mut Sums) {
    let mut current: Option<(AgentState, Option<ReasonCode>, Millis)> = None;
    let close =
        |sums: &mut Sums, cur: &Option<(AgentState, Option<ReasonCode>, Millis)>, to: Millis| {
            if let Some((state, reason, from)) = cur {
                let mut b = bucket_of(*from);
                while b < to {
                    let piece = (b + BUCKET_MS).min(to) - (*from).max(b);
                    if piece > 0 {
                        let who = format!("s{id}/{}/{reason:?}", state.code());
                        put(sums, (b, who, "ms"), piece, Merge::Sum);
                    }
                    b += BUCKET_MS;
                }
            }
        };
    for e in log {
        if let Event::AgentStateChanged {
            agent,
            state,
            reason,
            at,
        } = e
        {
            if *agent != id {
                continue;
            }
            close(sums, &current, *at);
            let reason = reason
                .clone()
                .filter(|_| matches!(state, AgentState::Busy | AgentState::Rest));
            current = (*state != AgentState::SignedOut).then_some((*state, reason, *at));
        }
    }
    close(sums, &current, until);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn aggregates_equal_a_recount_from_the_raw_events(
        steps in proptest::collection::vec(step(), 1..120),
        targets in proptest::collection::vec((0..30_000i64, 0..10_000i64), 3),
        zone in prop_oneof![Just("Asia/Shanghai"), Just("America/New_York"), Just("Asia/Kathmandu"), Just("UTC")],
    ) {
        let targets: BTreeMap<SkillQueueId, QueueTargets> = QUEUES
            .iter()
            .zip(&targets)
            .map(|((q, _), (within, short))| (queue(*q), QueueTargets { answer_within_ms: *within, short_abandon_ms: *short }))
            .collect();
        // Start just before a local midnight in New York's spring change, so days and
        // summer time are crossed.
        let mut w = World { engine: Engine::new(params(), 1_772_945_000_000), now: 1_772_945_000_000, events: Vec::new() };
        configure(&mut w);
        let mut tally = Tally::replay(targets.clone(), [], None);
        let mut log: Vec<Event> = Vec::new();
        let mut stored = Sums::new();
        let mut next = 0;
        for s in &steps {
            if let Step::Restart(down) = s {
                // As the server does: the tally rebuilt from what storage says was open,
                // then the engine restored (its restore events go through the new tally).
                let flushed = tally.flushed_to();
                tally = Tally::replay(targets.clone(), read_back(&log, &w.engine), flushed);
                w = restarted(&w, i64::from(*down));
            } else {
                apply(&mut w, s, &mut next);
            }
            for e in w.take_events() {
                tally.handle(&e);
                log.push(e);
            }
            tally.handle_timeout(w.now);
            for inc in tally.drain() {
                prop_assert!(inc.at <= w.now, "counted ahead of time: {inc:?}");
                fold(&mut stored, &inc);
            }
        }
        let until = bucket_of(w.now);
        let expected = recount(&log, &targets, until);
        prop_assert_eq!(&stored, &expected);

        // Day sums in the tenant's zone: the same whichever way the buckets are grouped.
        let zone = TenantZone::parse(zone).unwrap();
        let mut days: BTreeMap<(i64, String, &str), i64> = BTreeMap::new();
        for ((b, who, m), v) in &stored {
            *days.entry((day_of(*b, &zone), who.clone(), m)).or_default() += v;
            prop_assert_eq!(day_of(*b, &zone), day_of(b + BUCKET_MS - 1, &zone), "a bucket across midnight");
        }
        let mut recounted: BTreeMap<(i64, String, &str), i64> = BTreeMap::new();
        for ((b, who, m), v) in &expected {
            *recounted.entry((day_of(*b, &zone), who.clone(), m)).or_default() += v;
        }
        // Maxima are not summed into days by the recount either; compare sums only.
        days.retain(|k, _| k.2 != "max_wait_ms");
        recounted.retain(|k, _| k.2 != "max_wait_ms");
        prop_assert_eq!(days, recounted);
    }
}
