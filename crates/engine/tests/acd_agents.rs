//! Agent rules in simulated time: sign-in modes (S1), states (S2, S3), queue reset (S4),
//! wrap-up and "continue working", capacity (R3).
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_engine::acd::*;
use switchboard_engine::*;

fn voice_and_chat() -> World {
    let mut w = World::with_defaults();
    w.add_agent(1, 3);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.add_queue(2, Channel::Chat, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w
}

#[test]
fn automatic_mode_signs_in_to_every_bound_queue_and_refuses_a_choice() {
    let mut w = voice_and_chat();
    let chosen = w.try_cmd(Command::SignIn {
        agent: agent(1),
        queues: Some(vec![queue(1)]),
    });
    assert_eq!(chosen, Err(EngineError::QueuesNotChoosable));
    w.sign_in(1);
    let view = w.engine.agent_view(agent(1)).unwrap();
    assert_eq!(view.signed_in, vec![queue(1), queue(2)]);
    assert_eq!(view.state, AgentState::Idle);
    assert_eq!(
        w.try_cmd(Command::SignIn {
            agent: agent(1),
            queues: None
        }),
        Err(EngineError::AlreadySignedIn)
    );
}

#[test]
fn specified_mode_needs_a_subset_of_bound_queues() {
    let mut w = voice_and_chat();
    w.add_queue(3, Channel::Voice, RoutingStrategy::LongestIdle, &[]);
    w.cmd(Command::UpsertAgent(AgentConfig {
        id: agent(1),
        chat_limit: ChatLimit::new(3).unwrap(),
        params: AgentParams {
            sign_in_mode: AgentSignInMode::Specified,
            auto_answer: false,
        },
    }));
    assert_eq!(
        w.try_cmd(Command::SignIn {
            agent: agent(1),
            queues: None
        }),
        Err(EngineError::QueuesRequired)
    );
    assert_eq!(
        w.try_cmd(Command::SignIn {
            agent: agent(1),
            queues: Some(vec![])
        }),
        Err(EngineError::NoQueuesChosen)
    );
    assert_eq!(
        w.try_cmd(Command::SignIn {
            agent: agent(1),
            queues: Some(vec![queue(3)])
        }),
        Err(EngineError::NotBound(queue(3)))
    );
    assert_eq!(
        w.state(1),
        AgentState::SignedOut,
        "refused sign-ins change nothing"
    );
    w.cmd(Command::SignIn {
        agent: agent(1),
        queues: Some(vec![queue(2)]),
    });
    assert_eq!(
        w.engine.agent_view(agent(1)).unwrap().signed_in,
        vec![queue(2)]
    );
}

#[test]
fn the_tenant_mode_overrides_the_agents_unless_agent_configured() {
    let params = TenantParams {
        sign_in_mode: TenantSignInMode::UnifiedSpecified,
        ..TenantParams::default()
    };
    let mut w = World::new(params);
    w.add_agent(1, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    assert_eq!(
        w.try_cmd(Command::SignIn {
            agent: agent(1),
            queues: None
        }),
        Err(EngineError::QueuesRequired)
    );
    w.cmd(Command::Configure(TenantParams {
        sign_in_mode: TenantSignInMode::UnifiedAutomatic,
        ..TenantParams::default()
    }));
    w.sign_in(1);
    assert_eq!(
        w.engine.agent_view(agent(1)).unwrap().signed_in,
        vec![queue(1)]
    );
}

#[test]
fn post_sign_in_state_follows_the_tenant_parameter() {
    for (post, expected) in [
        (PostSignInState::Idle, AgentState::Idle),
        (PostSignInState::Busy, AgentState::Busy),
        (PostSignInState::WrapUp, AgentState::WrapUp),
    ] {
        let mut w = World::new(TenantParams {
            post_sign_in_state: post,
            ..TenantParams::default()
        });
        w.add_agent(1, 1);
        w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
        w.create(1, 1, Channel::Voice);
        w.sign_in(1);
        assert_eq!(w.state(1), expected);
        let offered = w.holder(1).is_some();
        assert_eq!(
            offered,
            expected == AgentState::Idle,
            "only an idle agent gets the waiting call"
        );
    }
}

#[test]
fn busy_rest_and_signed_out_agents_get_no_inbound_offers() {
    let mut w = voice_and_chat();
    w.sign_in(1);
    let lunch = ReasonCode::parse("午餐 lunch").unwrap();
    w.cmd(Command::SetPresence {
        agent: agent(1),
        presence: RequestedPresence::Busy,
        reason: Some(lunch.clone()),
    });
    let view = w.engine.agent_view(agent(1)).unwrap();
    assert_eq!((view.state, view.reason), (AgentState::Busy, Some(lunch)));
    w.create(1, 1, Channel::Voice);
    assert_eq!(w.holder(1), None);
    w.set(1, RequestedPresence::Rest);
    assert_eq!(w.holder(1), None);
    w.set(1, RequestedPresence::Idle);
    assert_eq!(
        w.holder(1),
        Some(agent(1)),
        "back to idle, the waiting call is offered at once"
    );
}

#[test]
fn each_state_has_its_own_timer() {
    let mut w = voice_and_chat();
    w.sign_in(1);
    let signed_in_at = w.now;
    w.advance(5_000);
    assert_eq!(
        w.engine.agent_view(agent(1)).unwrap().state_since,
        signed_in_at
    );
    w.set(1, RequestedPresence::Busy);
    assert_eq!(
        w.engine.agent_view(agent(1)).unwrap().state_since,
        signed_in_at + 5_000
    );
    let changes: Vec<_> = w
        .events
        .iter()
        .filter_map(|e| match e {
            Event::AgentStateChanged { state, at, .. } => Some((*state, *at)),
            _ => None,
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            (AgentState::Idle, signed_in_at),
            (AgentState::Busy, signed_in_at + 5_000)
        ]
    );
}

#[test]
fn release_leads_to_wrap_up_and_continue_working_returns_to_idle() {
    let mut w = voice_and_chat();
    w.sign_in(1);
    w.create(1, 1, Channel::Voice);
    w.answer(1, 1);
    assert_eq!(w.state(1), AgentState::Talking);
    w.release(1, 1);
    assert_eq!(w.state(1), AgentState::WrapUp);
    w.create(2, 1, Channel::Voice);
    assert_eq!(w.holder(2), None, "no calls during wrap-up");
    w.continue_working(1);
    assert_eq!(w.phase(1), None, "the contact closed");
    assert_eq!(w.holder(2), Some(agent(1)));
    assert!(w.events.iter().any(|e| matches!(
        e,
        Event::ContactClosed {
            outcome: ContactOutcome::Completed,
            ..
        }
    )));
    assert_eq!(
        w.try_cmd(Command::ContinueWorking {
            agent: agent(1),
            contact: None
        }),
        Err(EngineError::NotInWrapUp)
    );
}

#[test]
fn a_required_summary_gates_continue_working() {
    let mut w = World::new(TenantParams {
        summary_required: true,
        ..TenantParams::default()
    });
    w.add_agent(1, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.sign_in(1);
    w.create(1, 1, Channel::Voice);
    w.answer(1, 1);
    w.release(1, 1);
    assert_eq!(
        w.try_cmd(Command::ContinueWorking {
            agent: agent(1),
            contact: None
        }),
        Err(EngineError::SummaryRequired)
    );
    assert_eq!(w.state(1), AgentState::WrapUp);
    w.cmd(Command::SummarySaved {
        contact: contact(1),
    });
    w.continue_working(1);
    assert_eq!(w.state(1), AgentState::Idle);
}

#[test]
fn wrap_up_ends_by_itself_at_the_tenant_limit() {
    let mut w = World::new(TenantParams {
        wrap_up_limit: WrapUpLimit::new(30).unwrap(),
        ..TenantParams::default()
    });
    w.add_agent(1, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.sign_in(1);
    w.create(1, 1, Channel::Voice);
    w.answer(1, 1);
    w.release(1, 1);
    assert_eq!(
        w.engine.next_timeout(),
        Some(w.now + 20_000),
        "the earlier timer is the stale offer timeout"
    );
    w.advance(29_999);
    assert_eq!(w.state(1), AgentState::WrapUp);
    w.advance(1);
    assert_eq!(w.state(1), AgentState::Idle);
}

#[test]
fn post_sign_in_wrap_up_ends_with_continue_or_the_limit() {
    let params = TenantParams {
        post_sign_in_state: PostSignInState::WrapUp,
        wrap_up_limit: WrapUpLimit::new(10).unwrap(),
        ..TenantParams::default()
    };
    let mut w = World::new(params);
    w.add_agent(1, 1);
    w.add_queue(1, Channel::Voice, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.sign_in(1);
    w.continue_working(1);
    assert_eq!(w.state(1), AgentState::Idle);
    w.cmd(Command::SignOut { agent: agent(1) });
    w.sign_in(1);
    w.advance(10_000);
    assert_eq!(w.state(1), AgentState::Idle);
}

#[test]
fn resetting_queues_changes_capabilities_at_once() {
    let mut w = voice_and_chat();
    w.sign_in(1);
    w.cmd(Command::ResetQueues {
        agent: agent(1),
        queues: vec![queue(1)],
    });
    w.create(1, 2, Channel::Chat);
    assert_eq!(
        w.holder(1),
        None,
        "an all-round agent reset to voice gets no chats"
    );
    assert_eq!(
        w.try_cmd(Command::ResetQueues {
            agent: agent(1),
            queues: vec![]
        }),
        Err(EngineError::NoQueuesChosen)
    );
    w.cmd(Command::ResetQueues {
        agent: agent(1),
        queues: vec![queue(1), queue(2)],
    });
    assert_eq!(
        w.holder(1),
        Some(agent(1)),
        "chat capability returns with the chat queue"
    );
    w.cmd(Command::ResetQueues {
        agent: agent(1),
        queues: vec![queue(2)],
    });
    w.create(2, 1, Channel::Voice);
    assert_eq!(w.holder(2), None, "reset to chat only: no calls");
}

#[test]
fn capacity_is_one_call_and_up_to_the_chat_limit() {
    let mut w = voice_and_chat();
    w.sign_in(1);
    w.create(1, 1, Channel::Voice);
    w.create(2, 1, Channel::Voice);
    assert_eq!((w.holder(1), w.holder(2)), (Some(agent(1)), None));
    w.answer(1, 1);
    for n in 10..14 {
        w.create(n, 2, Channel::Chat);
    }
    assert!(
        (10..14).all(|n| w.holder(n).is_none()),
        "no chats during a call by default"
    );
    w.release(1, 1);
    w.continue_working(1);
    // The freed call slot takes call 2; chats fill up to the limit of 3.
    assert_eq!(w.holder(2), Some(agent(1)));
    w.cmd(Command::Configure(TenantParams {
        chat_during_call: true,
        ..TenantParams::default()
    }));
    let chats = (10..14).filter(|n| w.holder(*n).is_some()).count();
    assert_eq!(chats, 3);
}

#[test]
fn tasks_go_up_to_the_task_limit() {
    let mut w = World::new(TenantParams {
        task_limit: TaskLimit::new(2).unwrap(),
        ..TenantParams::default()
    });
    w.add_agent(1, 0);
    w.add_queue(1, Channel::Task, RoutingStrategy::LongestIdle, &[(1, 5)]);
    w.sign_in(1);
    for n in 1..=3 {
        w.create(n, 1, Channel::Task);
    }
    assert_eq!((1..=3).filter(|n| w.holder(*n).is_some()).count(), 2);
}

#[test]
fn sign_out_needs_finished_contacts_and_returns_ringing_offers() {
    let mut w = World::with_defaults();
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
    w.answer(1, 1);
    assert_eq!(
        w.try_cmd(Command::SignOut { agent: agent(1) }),
        Err(EngineError::ContactsInProgress)
    );
    w.create(2, 1, Channel::Voice);
    w.set(1, RequestedPresence::Busy);
    w.release(1, 1);
    w.continue_working(1);
    w.set(1, RequestedPresence::Idle);
    assert_eq!(w.holder(2), Some(agent(1)));
    w.cmd(Command::SignOut { agent: agent(1) });
    assert_eq!(
        w.phase(2),
        Some(ContactPhase::Queued),
        "the ringing offer went back"
    );
    w.sign_in(2);
    assert_eq!(w.holder(2), Some(agent(2)));
}

#[test]
fn supervisors_force_states() {
    let mut w = voice_and_chat();
    w.sign_in(1);
    w.cmd(Command::ForcePresence {
        agent: agent(1),
        presence: Some(RequestedPresence::Rest),
        reason: None,
    });
    assert_eq!(w.state(1), AgentState::Rest);
    w.cmd(Command::ForcePresence {
        agent: agent(1),
        presence: None,
        reason: None,
    });
    assert_eq!(w.state(1), AgentState::SignedOut);
}

#[test]
fn a_new_reason_for_the_same_state_is_told() {
    let mut w = voice_and_chat();
    w.sign_in(1);
    let busy = |reason: &str| Command::SetPresence {
        agent: agent(1),
        presence: RequestedPresence::Busy,
        reason: Some(ReasonCode::parse(reason).unwrap()),
    };
    w.cmd(busy("午餐"));
    w.take_events();
    w.advance(60_000);
    w.cmd(busy("培训"));
    let told: Vec<_> = w
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::AgentStateChanged { state, reason, .. } => Some((state, reason)),
            _ => None,
        })
        .collect();
    assert_eq!(
        told,
        [(AgentState::Busy, Some(ReasonCode::parse("培训").unwrap()))],
        "a change of reason is a change of what the wallboard and reports show"
    );
    let view = w.engine.agent_view(agent(1)).unwrap();
    assert_eq!(view.state_since, w.now);
    // The same reason again tells nothing.
    w.cmd(busy("培训"));
    assert!(w.take_events().is_empty());
}
