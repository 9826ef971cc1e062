//! Routing rules in simulated time: strategies and priorities (R1), offers and no-answers
//! (R2, R6), auto-answer, queue limits and overflow (R4), familiar agents (R5), live counts
//! (S6), abandonment and recovery.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_engine::acd::*;
use switchboard_engine::*;

/// Three voice agents in one queue with the given strategy; agent n has skill level n.
fn three_agents(strategy: RoutingStrategy) -> World {
    let mut w = World::with_defaults();
    for n in 1..=3 {
        w.add_agent(n, 1);
    }
    w.add_queue(1, Channel::Voice, strategy, &[(1, 1), (2, 2), (3, 3)]);
    w
}

/// Serves one call through agent `a`: answer, release, continue.
fn serve(w: &mut World, a: u128, c: u128) {
    w.answer(a, c);
    w.release(a, c);
    w.continue_working(a);
}

#[test]
fn longest_idle_agent_gets_the_next_contact() {
    let mut w = three_agents(RoutingStrategy::LongestIdle);
    for n in [2, 3, 1] {
        w.sign_in(n);
        w.advance(1_000);
    }
    w.create(1, 1, Channel::Voice);
    assert_eq!(w.holder(1), Some(agent(2)), "agent 2 signed in first");
    serve(&mut w, 2, 1);
    w.create(2, 1, Channel::Voice);
    assert_eq!(
        w.holder(2),
        Some(agent(3)),
        "agent 2 just finished: now the longest idle is 3"
    );
}

#[test]
fn round_robin_takes_turns() {
    let mut w = three_agents(RoutingStrategy::RoundRobin);
    for n in 1..=3 {
        w.sign_in(n);
    }
    let mut got = Vec::new();
    for c in 1..=6 {
        w.create(c, 1, Channel::Voice);
        let a = w.holder(c).unwrap();
        got.push(a);
        let n = (1..=3).find(|n| agent(*n) == a).unwrap();
        serve(&mut w, n, c);
    }
    assert_eq!(&got[0..3], &got[3..6], "the same order repeats");
    let mut first = got[0..3].to_vec();
    first.sort();
    first.dedup();
    assert_eq!(first.len(), 3, "everyone had a turn");
}

#[test]
fn skill_level_first_prefers_the_most_skilled() {
    let mut w = three_agents(RoutingStrategy::SkillLevel);
    for n in 1..=3 {
        w.sign_in(n);
    }
    w.create(1, 1, Channel::Voice);
    w.create(2, 1, Channel::Voice);
    assert_eq!((w.holder(1), w.holder(2)), (Some(agent(3)), Some(agent(2))));
}

#[test]
fn least_occupied_spreads_chats() {
    let mut w = World::with_defaults();
    w.add_agent(1, 3);
    w.add_agent(2, 3);
    w.add_queue(
        1,
        Channel::Chat,
        RoutingStrategy::LeastOccupied,
        &[(1, 5), (2, 5)],
    );
    w.sign_in(1);
    w.create(1, 1, Channel::Chat);
    w.create(2, 1, Channel::Chat);
    w.sign_in(2);
    assert_eq!(
        w.engine.agent_view(agent(2)).unwrap().contacts.len(),
        0,
        "both chats went to the only agent"
    );
    w.create(3, 1, Channel::Chat);
    w.create(4, 1, Channel::Chat);
    w.create(5, 1, Channel::Chat);
    let loads: Vec<_> = [1, 2]
        .iter()
        .map(|n| w.engine.agent_view(agent(*n)).unwrap().contacts.len())
        .collect();
    assert_eq!(
        loads,
        vec![3, 2],
        "new chats go to the less occupied agent first"
    );
}

#[test]
fn customer_priority_goes_ahead_of_arrival_order() {
    let mut w = three_agents(RoutingStrategy::LongestIdle);
    w.create_prio(1, 1, Channel::Voice, 0);
    w.advance(1_000);
    w.create_prio(2, 1, Channel::Voice, 9);
    w.advance(1_000);
    w.create_prio(3, 1, Channel::Voice, 0);
    w.sign_in(1);
    assert_eq!(w.holder(2), Some(agent(1)), "the VIP first");
    serve(&mut w, 1, 2);
    assert_eq!(w.holder(1), Some(agent(1)), "then arrival order");
}

#[test]
fn an_agent_in_several_queues_gets_the_most_important_contact_first() {
    let mut w = World::with_defaults();
    w.add_agent(1, 1);
    w.add_queue_with(
        1,
        Channel::Voice,
        RoutingStrategy::LongestIdle,
        30,
        &[(1, 5)],
        |_| {},
    );
    w.add_queue_with(
        2,
        Channel::Voice,
        RoutingStrategy::LongestIdle,
        80,
        &[(1, 5)],
        |_| {},
    );
    w.add_queue_with(
        3,
        Channel::Voice,
        RoutingStrategy::LongestIdle,
        30,
        &[(1, 5)],
        |_| {},
    );
    w.create(1, 1, Channel::Voice);
    w.advance(1_000);
    w.create(3, 3, Channel::Voice);
    w.advance(1_000);
    w.create(2, 2, Channel::Voice);
    w.sign_in(1);
    assert_eq!(w.holder(2), Some(agent(1)), "the high-priority queue first");
    serve(&mut w, 1, 2);
    assert_eq!(
        w.holder(1),
        Some(agent(1)),
        "then the longest wait among equal queues"
    );
    serve(&mut w, 1, 1);
    assert_eq!(w.holder(3), Some(agent(1)));
}

#[test]
fn an_unanswered_offer_returns_to_the_head_and_the_limit_sets_busy() {
    let params = TenantParams {
        no_answer_limit: NoAnswerLimit::new(2).unwrap(),
        ..TenantParams::default()
    };
    let mut w = World::new(params);
    w.add_agent(1, 1);
    w.add_agent(2, 1);
    w.add_queue(
        1,
        Channel::Voice,
        RoutingStrategy::LongestIdle,
        &[(1, 5), (2, 5)],
    );
    w.sign_in(1);
    w.create(1, 1, Channel::Voice);
    w.create(2, 1, Channel::Voice);
    assert_eq!(w.holder(1), Some(agent(1)));
    assert_eq!(
        w.try_cmd(Command::Release {
            contact: contact(1),
            agent: Some(agent(1)),
            by: ReleasedBy::Agent
        }),
        Err(EngineError::CannotReject),
        "R6: no rejecting an inbound offer"
    );
    w.advance(20_000);
    assert!(w
        .events
        .iter()
        .any(|e| matches!(e, Event::ContactOfferTimedOut { no_answers: 1, .. })));
    assert_eq!(
        w.holder(1),
        Some(agent(1)),
        "back at the head, and re-offered to the only agent"
    );
    assert_eq!(
        w.phase(2),
        Some(ContactPhase::Queued),
        "contact 2 keeps waiting behind it"
    );
    w.advance(20_000);
    let view = w.engine.agent_view(agent(1)).unwrap();
    assert_eq!(view.state, AgentState::Busy);
    assert_eq!(
        view.reason.as_ref().map(ReasonCode::as_str),
        Some(ReasonCode::NO_ANSWER)
    );
    w.sign_in(2);
    assert_eq!(
        w.holder(1),
        Some(agent(2)),
        "the head of the queue goes to the next agent"
    );
}

#[test]
fn a_timed_out_offer_prefers_another_agent() {
    let mut w = three_agents(RoutingStrategy::LongestIdle);
    w.sign_in(1);
    w.advance(1);
    w.sign_in(2);
    w.create(1, 1, Channel::Voice);
    assert_eq!(w.holder(1), Some(agent(1)));
    w.advance(20_000);
    assert_eq!(
        w.holder(1),
        Some(agent(2)),
        "agent 1 stays longest idle but let it ring out"
    );
}

#[test]
fn auto_answer_connects_at_once() {
    let mut w = World::new(TenantParams {
        auto_answer: true,
        ..TenantParams::default()
    });
    w.add_agent(1, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.sign_in(1);
    w.create(1, 1, Channel::Voice);
    assert!(matches!(w.phase(1), Some(ContactPhase::Connected { .. })));
    assert!(w.events.iter().any(|e| matches!(
        e,
        Event::ContactConnected {
            auto_answered: true,
            ..
        }
    )));

    let mut w = World::with_defaults();
    w.cmd(Command::UpsertAgent(AgentConfig {
        id: agent(1),
        chat_limit: ChatLimit::new(1).unwrap(),
        params: AgentParams {
            auto_answer: true,
            ..AgentParams::default()
        },
    }));
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.sign_in(1);
    w.create(1, 1, Channel::Voice);
    assert_eq!(
        w.state(1),
        AgentState::Talking,
        "the agent's own auto-answer"
    );
}

#[test]
fn a_full_queue_refuses_with_a_reason() {
    let mut w = World::with_defaults();
    w.add_queue_with(
        1,
        Channel::Voice,
        RoutingStrategy::LongestIdle,
        50,
        &[],
        |q| q.max_queue_len = Some(2),
    );
    w.create(1, 1, Channel::Voice);
    w.create(2, 1, Channel::Voice);
    let third = w.try_cmd(Command::CreateContact(World::new_contact(
        3,
        1,
        Channel::Voice,
        0,
    )));
    assert_eq!(third, Err(EngineError::QueueFull(queue(1))));
    assert_eq!(w.engine.contact_count(), 2);
}

#[test]
fn maximum_wait_overflows_or_times_out() {
    let mut w = World::with_defaults();
    w.add_agent(1, 1);
    w.add_queue_with(
        2,
        Channel::Voice,
        RoutingStrategy::LongestIdle,
        50,
        &[],
        |q| q.max_wait_s = Some(60),
    );
    w.add_queue_with(
        1,
        Channel::Voice,
        RoutingStrategy::LongestIdle,
        50,
        &[],
        |q| {
            q.max_wait_s = Some(30);
            q.overflow = Some(queue(2));
        },
    );
    w.create(1, 1, Channel::Voice);
    w.advance(29_999);
    assert_eq!(w.engine.contact_view(contact(1)).unwrap().queue, queue(1));
    w.advance(1);
    assert_eq!(w.engine.contact_view(contact(1)).unwrap().queue, queue(2));
    assert!(w
        .events
        .iter()
        .any(|e| matches!(e, Event::ContactOverflowed { .. })));
    w.advance(60_000);
    assert_eq!(w.phase(1), None);
    assert!(w.events.iter().any(|e| matches!(
        e,
        Event::ContactClosed {
            outcome: ContactOutcome::TimedOut,
            ..
        }
    )));
}

#[test]
fn a_returning_customer_waits_for_their_familiar_agent_for_a_bounded_time() {
    let params = TenantParams {
        familiar_wait: FamiliarWait::new(15).unwrap(),
        ..TenantParams::default()
    };
    let mut w = World::new(params);
    w.add_agent(1, 1);
    w.add_agent(2, 1);
    w.add_queue(
        1,
        Channel::Voice,
        RoutingStrategy::LongestIdle,
        &[(1, 5), (2, 5)],
    );
    w.sign_in(1);
    w.sign_in(2);
    w.create(9, 1, Channel::Voice);
    let busy_one = w.holder(9).unwrap();
    let (familiar, other) = if busy_one == agent(1) { (1, 2) } else { (2, 1) };
    w.answer(familiar, 9);
    let mut returning = World::new_contact(1, 1, Channel::Voice, 0);
    returning.familiar_agent = Some(agent(familiar));
    w.cmd(Command::CreateContact(returning));
    assert!(
        matches!(w.phase(1), Some(ContactPhase::Reserved { .. })),
        "held for the busy familiar agent"
    );
    assert_eq!(
        w.engine.agent_view(agent(other)).unwrap().contacts.len(),
        0,
        "not given to the free agent"
    );
    w.advance(15_000);
    assert_eq!(
        w.holder(1),
        Some(agent(other)),
        "after the bounded wait anyone may take it"
    );

    let mut again = World::new_contact(2, 1, Channel::Voice, 0);
    again.familiar_agent = Some(agent(familiar));
    w.release(familiar, 9);
    w.continue_working(familiar);
    w.cmd(Command::CreateContact(again));
    assert_eq!(
        w.holder(2),
        Some(agent(familiar)),
        "a free familiar agent gets it at once"
    );
}

#[test]
fn abandoned_contacts_free_their_agent() {
    let mut w = World::with_defaults();
    w.add_agent(1, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.create(1, 1, Channel::Voice);
    w.cmd(Command::Release {
        contact: contact(1),
        agent: None,
        by: ReleasedBy::Customer,
    });
    assert!(w.events.iter().any(|e| matches!(
        e,
        Event::ContactClosed {
            outcome: ContactOutcome::Abandoned,
            ..
        }
    )));
    w.sign_in(1);
    w.create(2, 1, Channel::Voice);
    w.create(3, 1, Channel::Voice);
    w.cmd(Command::Release {
        contact: contact(2),
        agent: None,
        by: ReleasedBy::Customer,
    });
    assert_eq!(
        w.holder(3),
        Some(agent(1)),
        "the ringing agent is free for the next at once"
    );
    assert_eq!(w.engine.agent_view(agent(1)).unwrap().no_answers, 0);
}

#[test]
fn live_counts_follow_every_change() {
    let mut w = World::with_defaults();
    for n in 1..=3 {
        w.add_agent(n, 1);
    }
    w.add_queue(
        1,
        Channel::Voice,
        RoutingStrategy::LongestIdle,
        &[(1, 5), (2, 5), (3, 5)],
    );
    w.sign_in(1);
    w.sign_in(2);
    w.set(2, RequestedPresence::Busy);
    w.create(1, 1, Channel::Voice);
    w.answer(1, 1);
    w.advance(5_000);
    w.create(2, 1, Channel::Voice);
    w.advance(2_000);
    w.create(3, 1, Channel::Voice);
    w.engine.take_changed_queues();
    let stats = w.engine.queue_stats(queue(1)).unwrap();
    assert_eq!(stats.waiting, 2);
    assert_eq!(stats.oldest_enqueued_at, Some(w.now - 2_000));
    assert_eq!(stats.agents[AgentState::Talking.index()], 1);
    assert_eq!(stats.agents[AgentState::Busy.index()], 1);
    w.release(1, 1);
    assert_eq!(w.engine.take_changed_queues(), vec![queue(1)]);
    assert_eq!(
        w.engine.queue_stats(queue(1)).unwrap().agents[AgentState::WrapUp.index()],
        1
    );
}

#[test]
fn media_events_and_summaries_need_a_connected_contact_and_holds_are_counted() {
    let mut w = World::with_defaults();
    w.add_agent(1, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.sign_in(1);
    w.create(1, 1, Channel::Voice);
    assert_eq!(
        w.try_cmd(Command::Media {
            contact: contact(1),
            event: MediaEvent::Held,
            by: None,
        }),
        Err(EngineError::NotConnected)
    );
    w.answer(1, 1);
    let media = |event| Command::Media {
        contact: contact(1),
        event,
        by: None,
    };
    w.cmd(media(MediaEvent::Held));
    w.advance(5_000);
    // A repeated fact changes nothing: the hold still counts from the first.
    w.cmd(media(MediaEvent::Held));
    let view = w.engine.contact_view(contact(1)).unwrap();
    assert_eq!((view.held_since.is_some(), view.hold_ms), (true, 0));
    w.cmd(media(MediaEvent::Resumed));
    let view = w.engine.contact_view(contact(1)).unwrap();
    assert_eq!((view.held_since, view.hold_ms), (None, 5_000));
    // A hold running when the call is released is counted too.
    w.cmd(media(MediaEvent::Held));
    w.advance(2_000);
    w.cmd(Command::Release {
        contact: contact(1),
        agent: Some(agent(1)),
        by: ReleasedBy::Agent,
    });
    let view = w.engine.contact_view(contact(1)).unwrap();
    assert_eq!((view.held_since, view.hold_ms), (None, 7_000));
    w.cmd(Command::SummarySaved {
        contact: contact(1),
    });
    assert!(w.engine.contact_view(contact(1)).unwrap().summary_saved);
}

#[test]
fn restore_rebuilds_agents_and_contacts_after_a_restart() {
    let mut w = World::new(TenantParams {
        wrap_up_limit: WrapUpLimit::new(0).unwrap(),
        ..TenantParams::default()
    });
    w.add_agent(1, 2);
    w.add_agent(2, 1);
    w.add_queue(
        1,
        Channel::Chat,
        RoutingStrategy::LongestIdle,
        &[(1, 5), (2, 5)],
    );
    let early = w.now - 60_000;
    w.cmd(Command::RestoreAgent {
        agent: agent(1),
        queues: vec![queue(1)],
        state: RestoredPresence::Busy,
        reason: None,
        since: early,
    });
    w.cmd(Command::RestoreContact {
        contact: World::new_contact(1, 1, Channel::Chat, 0),
        created_at: early,
        enqueued_at: early,
        phase: RestoredPhase::Connected {
            agent: agent(1),
            since: early,
        },
    });
    w.cmd(Command::RestoreContact {
        contact: World::new_contact(2, 1, Channel::Chat, 0),
        created_at: early,
        enqueued_at: early + 5,
        phase: RestoredPhase::Queued,
    });
    w.create(3, 1, Channel::Chat);
    assert_eq!(w.state(1), AgentState::Talking);
    assert_eq!(
        w.engine.queue_stats(queue(1)).unwrap().oldest_enqueued_at,
        Some(early + 5)
    );
    w.sign_in(2);
    assert_eq!(
        w.holder(2),
        Some(agent(2)),
        "the restored contact keeps its place ahead of newer ones"
    );
}

#[test]
fn transfers_go_to_a_queue_or_an_agent_with_capacity() {
    let mut w = World::with_defaults();
    for n in 1..=3 {
        w.add_agent(n, 1);
    }
    w.add_queue(
        1,
        Channel::Chat,
        RoutingStrategy::LongestIdle,
        &[(1, 5), (2, 5)],
    );
    w.add_queue(2, Channel::Chat, RoutingStrategy::LongestIdle, &[(3, 5)]);
    w.add_queue(3, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.sign_in(1);
    w.create(1, 1, Channel::Chat);
    w.answer(1, 1);
    let to = |to| Command::Transfer {
        contact: contact(1),
        agent: agent(1),
        to,
    };
    assert_eq!(
        w.try_cmd(to(TransferTarget::Agent(agent(1)))),
        Err(EngineError::TransferToSelf)
    );
    assert_eq!(
        w.try_cmd(to(TransferTarget::Agent(agent(2)))),
        Err(EngineError::TargetUnavailable),
        "agent 2 is signed out"
    );
    assert!(matches!(
        w.try_cmd(to(TransferTarget::Queue(queue(3)))),
        Err(EngineError::ChannelMismatch { .. })
    ));
    assert_eq!(
        w.state(1),
        AgentState::Talking,
        "refused transfers change nothing"
    );

    w.sign_in(2);
    w.cmd(to(TransferTarget::Agent(agent(2))));
    assert_eq!(
        w.holder(1),
        Some(agent(2)),
        "offered straight to the chosen agent"
    );
    assert_eq!(
        w.state(1),
        AgentState::Idle,
        "the transferring agent is free at once"
    );
    w.answer(2, 1);
    w.sign_in(3);
    w.cmd(Command::Transfer {
        contact: contact(1),
        agent: agent(2),
        to: TransferTarget::Queue(queue(2)),
    });
    assert_eq!(w.holder(1), Some(agent(3)), "routed in the new queue");
    assert_eq!(w.engine.contact_view(contact(1)).unwrap().queue, queue(2));
    assert!(w
        .events
        .iter()
        .any(|e| matches!(e, Event::ContactTransferred { to_agent: None, .. })));
}

fn dial(n: u128, a: u128, q: u128) -> Command {
    Command::Dial {
        contact: NewContact {
            direction: Direction::Outbound,
            ..World::new_contact(n, q, Channel::Voice, 0)
        },
        agent: agent(a),
    }
}

#[test]
fn outbound_calls_need_an_agent_idle_or_busy_and_not_on_a_call_and_end_in_wrap_up() {
    let mut w = World::with_defaults();
    w.add_agent(1, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.add_queue(2, Channel::Voice, RoutingStrategy::LongestIdle, &[]);
    assert_eq!(w.try_cmd(dial(1, 1, 1)), Err(EngineError::NotSignedIn));
    w.sign_in(1);
    w.set(1, RequestedPresence::Rest);
    assert_eq!(w.try_cmd(dial(1, 1, 1)), Err(EngineError::Resting));
    w.set(1, RequestedPresence::Busy);
    assert_eq!(
        w.try_cmd(dial(1, 1, 2)),
        Err(EngineError::NotBound(queue(2)))
    );
    let inbound = Command::Dial {
        contact: World::new_contact(1, 1, Channel::Voice, 0),
        agent: agent(1),
    };
    assert_eq!(w.try_cmd(inbound), Err(EngineError::NotOutbound));
    w.cmd(dial(1, 1, 1));
    assert_eq!(
        w.phase(1),
        Some(ContactPhase::Connected {
            agent: agent(1),
            since: w.now
        })
    );
    assert_eq!(w.state(1), AgentState::Talking);
    assert_eq!(w.try_cmd(dial(2, 1, 1)), Err(EngineError::OnACall));
    // Idle now, but on the outbound call: an inbound call waits for them.
    w.set(1, RequestedPresence::Idle);
    w.create(3, 1, Channel::Voice);
    assert_eq!(w.holder(3), None);
    assert_eq!(
        w.engine.waiting_position(contact(3)),
        Some((1, None)),
        "an outbound call waited for nobody: no wait to estimate from"
    );
    w.release(1, 1);
    assert_eq!(w.state(1), AgentState::WrapUp);
    w.continue_working(1);
    assert_eq!(w.holder(3), Some(agent(1)));
}

#[test]
fn a_busy_agent_goes_back_to_busy_after_an_outbound_call() {
    let mut w = World::with_defaults();
    w.add_agent(1, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.sign_in(1);
    w.set(1, RequestedPresence::Busy);
    w.cmd(dial(1, 1, 1));
    w.release(1, 1);
    w.continue_working(1);
    assert_eq!(w.state(1), AgentState::Busy);
}

#[test]
fn a_consulted_agent_is_talking_and_offered_no_call_until_they_leave_the_call() {
    let mut w = World::with_defaults();
    w.add_agent(1, 1);
    w.add_agent(2, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(2, 5)]);
    w.sign_in(2);
    w.cmd(Command::Consulted {
        agent: agent(2),
        on: true,
    });
    assert_eq!(w.state(2), AgentState::Talking);
    w.create(1, 1, Channel::Voice);
    assert_eq!(w.holder(1), None, "not offered while on a colleague's call");
    assert_eq!(
        w.try_cmd(Command::SignOut { agent: agent(2) }),
        Err(EngineError::ContactsInProgress)
    );
    w.cmd(Command::Consulted {
        agent: agent(2),
        on: false,
    });
    assert_eq!(
        w.holder(1),
        Some(agent(2)),
        "offered as soon as they are free"
    );
}
