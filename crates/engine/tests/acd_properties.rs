//! Property tests: random command sequences never break the engine's invariants.
//! After every step: no agent over capacity on any channel; each contact held by at most
//! one agent and in exactly one place; busy, resting and signed-out agents are never in an
//! available set (so never offered); live counts equal a recount from scratch; no queue has
//! a routable contact beside an available agent; no contact is lost or duplicated.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;

use proptest::prelude::*;
use support::*;
use switchboard_engine::acd::*;
use switchboard_engine::*;

const AGENTS: u128 = 5;
const QUEUES: [(u128, Channel); 4] = [
    (1, Channel::Voice),
    (2, Channel::Chat),
    (3, Channel::Task),
    (4, Channel::Voice),
];

#[derive(Debug, Clone)]
enum Step {
    SignIn(u128),
    SignOut(u128),
    Presence(u128, u8),
    Reset(u128, Vec<bool>),
    Continue(u128),
    Create(u8, u8),
    AnswerFirst(u128),
    ReleaseFirst(u128),
    CustomerLeaves(u8),
    Summary(u8),
    Advance(u32),
    ToggleChatDuringCall,
    Strategy(u8, u8),
    Transfer(u128, u8),
}

fn step() -> impl Strategy<Value = Step> {
    let agent = 1..=AGENTS;
    prop_oneof![
        1 => agent.clone().prop_map(Step::SignIn),
        1 => agent.clone().prop_map(Step::SignOut),
        1 => (agent.clone(), 0..3u8).prop_map(|(a, p)| Step::Presence(a, p)),
        1 => (agent.clone(), proptest::collection::vec(any::<bool>(), 4)).prop_map(|(a, q)| Step::Reset(a, q)),
        1 => agent.clone().prop_map(Step::Continue),
        4 => (0..4u8, 0..10u8).prop_map(|(q, p)| Step::Create(q, p)),
        3 => agent.clone().prop_map(Step::AnswerFirst),
        2 => agent.clone().prop_map(Step::ReleaseFirst),
        1 => any::<u8>().prop_map(Step::CustomerLeaves),
        1 => any::<u8>().prop_map(Step::Summary),
        3 => (0..45_000u32).prop_map(Step::Advance),
        1 => Just(Step::ToggleChatDuringCall),
        1 => (0..4u8, 0..4u8).prop_map(|(q, s)| Step::Strategy(q, s)),
        2 => (agent.clone(), 0..9u8).prop_map(|(a, t)| Step::Transfer(a, t)),
    ]
}

fn world(auto_answer: bool, familiar: bool, bindings: &[Vec<bool>]) -> World {
    let params = TenantParams {
        auto_answer,
        no_answer_limit: NoAnswerLimit::new(2).unwrap(),
        wrap_up_limit: WrapUpLimit::new(30).unwrap(),
        familiar_wait: FamiliarWait::new(if familiar { 10 } else { 0 }).unwrap(),
        task_limit: TaskLimit::new(2).unwrap(),
        ..TenantParams::default()
    };
    let mut w = World::new(params);
    for a in 1..=AGENTS {
        w.add_agent(a, (a % 3) as i64 + 1);
    }
    for (i, (q, channel)) in QUEUES.iter().enumerate() {
        let agents: Vec<(u128, i64)> = (1..=AGENTS)
            .filter(|a| bindings[(*a - 1) as usize][i])
            .map(|a| (a, (a as i64 % 10) + 1))
            .collect();
        w.add_queue_with(
            *q,
            *channel,
            RoutingStrategy::LongestIdle,
            10 * i as i64,
            &agents,
            |c| {
                c.max_queue_len = Some(6);
                c.max_wait_s = Some(90);
                if *q == 1 {
                    c.overflow = Some(queue(4));
                }
            },
        );
    }
    w
}

fn first_contact(w: &World, a: u128, want: fn(&ContactPhase) -> bool) -> Option<ContactId> {
    w.engine
        .agent_view(agent(a))?
        .contacts
        .iter()
        .find(|c| want(&c.phase))
        .map(|c| c.id)
}

fn apply(w: &mut World, step: Step, next_contact: &mut u128) {
    let strategies = [
        RoutingStrategy::LongestIdle,
        RoutingStrategy::RoundRobin,
        RoutingStrategy::LeastOccupied,
        RoutingStrategy::SkillLevel,
    ];
    // Refusals are part of the game; the world checks invariants either way.
    let _ = match step {
        Step::SignIn(a) => w.try_cmd(Command::SignIn {
            agent: agent(a),
            queues: None,
        }),
        Step::SignOut(a) => w.try_cmd(Command::SignOut { agent: agent(a) }),
        Step::Presence(a, p) => {
            let presence = [
                RequestedPresence::Idle,
                RequestedPresence::Busy,
                RequestedPresence::Rest,
            ][p as usize];
            w.try_cmd(Command::SetPresence {
                agent: agent(a),
                presence,
                reason: None,
            })
        }
        Step::Reset(a, pick) => {
            let queues = QUEUES
                .iter()
                .zip(pick)
                .filter(|(_, p)| *p)
                .map(|((q, _), _)| queue(*q))
                .collect();
            w.try_cmd(Command::ResetQueues {
                agent: agent(a),
                queues,
            })
        }
        Step::Continue(a) => w.try_cmd(Command::ContinueWorking {
            agent: agent(a),
            contact: None,
        }),
        Step::Create(q, p) => {
            *next_contact += 1;
            let (qn, channel) = QUEUES[q as usize];
            let mut new = World::new_contact(*next_contact, qn, channel, i64::from(p % 10));
            new.familiar_agent = (p % 3 == 0).then(|| agent(u128::from(p) % AGENTS + 1));
            w.try_cmd(Command::CreateContact(new))
        }
        Step::AnswerFirst(a) => {
            match first_contact(w, a, |p| matches!(p, ContactPhase::Offered { .. })) {
                Some(c) => w.try_cmd(Command::Answer {
                    agent: agent(a),
                    contact: c,
                }),
                None => Ok(()),
            }
        }
        Step::ReleaseFirst(a) => {
            match first_contact(w, a, |p| matches!(p, ContactPhase::Connected { .. })) {
                Some(c) => w.try_cmd(Command::Release {
                    contact: c,
                    agent: Some(agent(a)),
                    by: ReleasedBy::Agent,
                }),
                None => Ok(()),
            }
        }
        Step::CustomerLeaves(n) | Step::Summary(n) => {
            let ids = w.engine.contact_ids();
            if ids.is_empty() {
                return;
            }
            let c = ids[n as usize % ids.len()];
            if matches!(step, Step::Summary(_)) {
                w.try_cmd(Command::SummarySaved { contact: c })
            } else {
                w.try_cmd(Command::Release {
                    contact: c,
                    agent: None,
                    by: ReleasedBy::Customer,
                })
            }
        }
        Step::Advance(ms) => {
            w.advance(i64::from(ms));
            Ok(())
        }
        Step::Transfer(a, t) => {
            match first_contact(w, a, |p| matches!(p, ContactPhase::Connected { .. })) {
                Some(c) => {
                    let to = if t < 4 {
                        TransferTarget::Queue(queue(QUEUES[t as usize].0))
                    } else {
                        TransferTarget::Agent(agent(u128::from(t - 4) % AGENTS + 1))
                    };
                    w.try_cmd(Command::Transfer {
                        contact: c,
                        agent: agent(a),
                        to,
                    })
                }
                None => Ok(()),
            }
        }
        Step::ToggleChatDuringCall => {
            let mut params = w.engine.params().clone();
            params.chat_during_call = !params.chat_during_call;
            w.try_cmd(Command::Configure(params))
        }
        Step::Strategy(q, s) => {
            let (qn, channel) = QUEUES[q as usize];
            let view_agents: Vec<(UserId, SkillLevel)> = (1..=AGENTS)
                .filter_map(|a| {
                    w.engine.agent_view(agent(a)).and_then(|v| {
                        v.bound
                            .iter()
                            .find(|(bq, _)| *bq == queue(qn))
                            .map(|(_, l)| (agent(a), *l))
                    })
                })
                .collect();
            w.try_cmd(Command::UpsertQueue(QueueConfig {
                id: queue(qn),
                channel,
                strategy: strategies[s as usize],
                priority: QueuePriority::new(10 * i64::from(q)).unwrap(),
                max_queue_len: Some(6),
                max_wait_s: Some(90),
                overflow: (qn == 1).then(|| queue(4)),
                agents: view_agents,
            }))
        }
    };
}

/// Contacts created and not yet closed, according to the events.
fn live_from_events(events: &[Event]) -> BTreeSet<ContactId> {
    let mut created = BTreeSet::new();
    let mut closed = BTreeSet::new();
    for e in events {
        match e {
            Event::ContactCreated { contact, .. } => {
                assert!(created.insert(*contact), "created twice: {contact}")
            }
            Event::ContactClosed { contact, .. } => {
                assert!(closed.insert(*contact), "closed twice: {contact}")
            }
            _ => {}
        }
    }
    assert!(closed.is_subset(&created), "closed a contact never created");
    created.difference(&closed).copied().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_traffic_keeps_every_invariant(
        auto_answer in any::<bool>(),
        familiar in any::<bool>(),
        bindings in proptest::collection::vec(proptest::collection::vec(any::<bool>(), 4), AGENTS as usize),
        steps in proptest::collection::vec(step(), 1..80),
    ) {
        let mut w = world(auto_answer, familiar, &bindings);
        let mut next_contact = 0;
        for s in steps {
            apply(&mut w, s, &mut next_contact);
            let live = live_from_events(&w.events);
            let engine_live: BTreeSet<ContactId> = w.engine.contact_ids().into_iter().collect();
            prop_assert_eq!(&live, &engine_live, "no contact lost or duplicated");
            for a in 1..=AGENTS {
                let view = w.engine.agent_view(agent(a)).unwrap();
                let offered_to_unready = view.contacts.iter().any(|c| matches!(c.phase, ContactPhase::Offered { .. }))
                    && view.state == AgentState::SignedOut;
                prop_assert!(!offered_to_unready, "a signed-out agent holds an offer");
            }
        }
    }
}
