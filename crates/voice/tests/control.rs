//! Call control on simulated time: hold and resume (who hears what), the soft keypad, a
//! blind transfer back to a queue and on to another agent, refusals in the wrong state,
//! and either side hanging up on hold or mid-transfer leaving nothing behind.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_sip::{Method, Request};
use switchboard_voice::call::CallRef;
use switchboard_voice::third::ThirdParty;
use switchboard_voice::{CallEvent, Control, ControlError, LegId, MediaCommand, Party, ReleasedBy};

const TRUNK: &str = "127.0.0.1:5090";
const PHONE1: &str = "127.0.0.1:6001";
const PHONE2: &str = "127.0.0.1:6002";

struct Connected {
    call: CallRef,
    /// Our 200 to the caller: their dialog.
    ok: switchboard_sip::Response,
    caller: LegId,
    agent_leg: LegId,
    ring: Request,
}

/// A trunk call to the queue (4000), offered to agent `i` whose phone at `phone` answers.
fn connect(w: &mut World, id: &str) -> Connected {
    w.send(
        TRUNK,
        &invite(
            TRUNK,
            "13800138000",
            "4000",
            id,
            &format!("z9hG4bK{id}"),
            "",
        ),
    );
    let ok = w.responses(TRUNK).pop().unwrap();
    assert_eq!(ok.status, 200);
    let out = w.take_outputs();
    let Some(CallEvent::Queued { call, .. }) = calls(&out).get(1).cloned() else {
        panic!("{out:?}")
    };
    let caller = opened(&out);
    let (ring, agent_leg) = ring_and_answer(w, call, 0, PHONE1, "a1");
    Connected {
        call,
        ok,
        caller,
        agent_leg,
        ring,
    }
}

/// Offers `call` to agent `i`; their phone at `phone` answers. Its INVITE and leg.
fn ring_and_answer(
    w: &mut World,
    call: CallRef,
    i: usize,
    phone: &str,
    tag: &str,
) -> (Request, LegId) {
    w.switch.offer(w.now, call, w.agents[i], false);
    w.collect();
    let ring = w.requests(phone).pop().unwrap();
    let leg = opened(&w.take_outputs());
    let contact = format!("100{}@{phone}", i + 1);
    w.send_message(
        phone,
        &answer(&ring, 200, tag, &contact, Some(42_000 + i as u16)),
    );
    let out = w.take_outputs();
    assert!(
        calls(&out).contains(&CallEvent::AgentAnswered {
            call,
            agent: w.agents[i]
        }),
        "{out:?}"
    );
    (ring, leg)
}

fn world() -> World {
    let mut w = World::new();
    assert_eq!(w.register_phone(PHONE1, "1001", PASSWORD), 200);
    assert_eq!(w.register_phone(PHONE2, "1002", PASSWORD), 200);
    w.take_outputs();
    w
}

#[test]
fn hold_plays_music_to_the_caller_and_silence_to_the_agent_and_resume_bridges_again() {
    let mut w = world();
    let c = connect(&mut w, "h1");
    assert_eq!(w.switch.control(w.now, c.call, Control::Hold), Ok(()));
    w.collect();
    let held = media(&w.take_outputs());
    assert!(
        held.contains(&MediaCommand::Music { leg: c.caller }),
        "{held:?}"
    );
    assert!(held.contains(&MediaCommand::Hear {
        leg: c.agent_leg,
        from: vec![]
    }));
    assert_eq!(
        w.switch.control(w.now, c.call, Control::Hold),
        Err(ControlError::AlreadyHeld)
    );
    assert_eq!(w.switch.control(w.now, c.call, Control::Resume), Ok(()));
    w.collect();
    assert_eq!(
        media(&w.take_outputs()),
        [MediaCommand::Bridge {
            a: c.caller,
            b: c.agent_leg
        }]
    );
    assert_eq!(
        w.switch.control(w.now, c.call, Control::Resume),
        Err(ControlError::NotHeld)
    );
    assert!(
        w.requests(PHONE1).iter().all(|r| r.method == Method::Ack),
        "no SIP but the answer's ACK: the media does it"
    );
}

#[test]
fn the_keypad_sends_digits_to_the_caller_and_refuses_anything_else() {
    let mut w = world();
    let c = connect(&mut w, "k1");
    for bad in ["", "12x", "1 2", &"1".repeat(33)] {
        assert_eq!(
            w.switch.control(w.now, c.call, Control::Digits(bad.into())),
            Err(ControlError::BadDigits),
            "{bad:?}"
        );
    }
    assert!(
        media(&w.take_outputs()).is_empty(),
        "a refusal changes nothing"
    );
    let ok = w
        .switch
        .control(w.now, c.call, Control::Digits("12#*A".into()));
    assert_eq!(ok, Ok(()));
    w.collect();
    assert_eq!(
        media(&w.take_outputs()),
        [MediaCommand::SendDigits {
            leg: c.caller,
            digits: "12#*A".into()
        }]
    );
}

#[test]
fn controls_need_a_connected_call() {
    let mut w = world();
    assert_eq!(
        w.switch.control(w.now, CallRef(999), Control::Hold),
        Err(ControlError::NoSuchCall)
    );
    w.send(
        TRUNK,
        &invite(TRUNK, "13800138000", "4000", "r1", "z9hG4bKr1", ""),
    );
    let out = w.take_outputs();
    let Some(CallEvent::Queued { call, .. }) = calls(&out).get(1).cloned() else {
        panic!("{out:?}")
    };
    // Waiting, then ringing: nothing to hold or key yet.
    for control in [Control::Hold, Control::Digits("1".into())] {
        assert_eq!(
            w.switch.control(w.now, call, control.clone()),
            Err(ControlError::NotConnected)
        );
    }
    w.switch.offer(w.now, call, w.agents[0], false);
    w.collect();
    assert_eq!(
        w.switch.control(w.now, call, Control::Hold),
        Err(ControlError::NotConnected),
        "hold while ringing"
    );
}

#[test]
fn a_transfer_releases_the_agent_queues_the_caller_with_music_and_the_next_agent_takes_it() {
    let mut w = world();
    let c = connect(&mut w, "t1");
    w.switch.control(w.now, c.call, Control::Hold).unwrap();
    w.collect();
    w.take_outputs();
    assert_eq!(
        w.switch.control(
            w.now,
            c.call,
            Control::HandOn {
                queue: w.queue,
                agent: None,
            }
        ),
        Ok(())
    );
    w.collect();
    let out = w.take_outputs();
    assert!(media(&out).contains(&MediaCommand::Music { leg: c.caller }));
    let to_agent1: Vec<_> = w
        .requests(PHONE1)
        .into_iter()
        .map(|r| r.method)
        .filter(|m| *m != Method::Ack)
        .collect();
    assert_eq!(to_agent1, [Method::Bye]);
    // Agent 1's phone hangs up too, crossing our BYE: the caller stays.
    w.send(PHONE1, &phone_bye(PHONE1, &c.ring, "a1"));
    let out = w.take_outputs();
    assert!(
        !calls(&out)
            .iter()
            .any(|e| matches!(e, CallEvent::Ended { .. })),
        "{out:?}"
    );
    assert_eq!(
        w.switch.control(w.now, c.call, Control::Hold),
        Err(ControlError::NotConnected),
        "waiting again"
    );

    let (_, leg2) = ring_and_answer(&mut w, c.call, 1, PHONE2, "a2");
    // Agent 2 is bridged to the caller (the answer output it in `ring_and_answer`); the
    // call carries on and ends as theirs.
    let _ = leg2;
    w.switch
        .release(w.now, c.call, ReleasedBy::Callee(Party::Agent(w.agents[1])));
    w.collect();
    let out = w.take_outputs();
    assert!(calls(&out).contains(&CallEvent::Ended {
        call: c.call,
        tenant: w.tenant,
        released_by: ReleasedBy::Callee(Party::Agent(w.agents[1])),
        status: 200,
    }));
    assert!(w.requests(TRUNK).iter().any(|r| r.method == Method::Bye));
    assert!(w.requests(PHONE2).iter().any(|r| r.method == Method::Bye));
}

#[test]
fn the_caller_hanging_up_on_hold_ends_the_call_and_the_agent_leg() {
    let mut w = world();
    let c = connect(&mut w, "hu1");
    w.switch.control(w.now, c.call, Control::Hold).unwrap();
    w.collect();
    w.take_outputs();
    w.send(TRUNK, &in_dialog("BYE", TRUNK, &c.ok, 2, None));
    assert_eq!(w.statuses(TRUNK), [200]);
    let out = w.take_outputs();
    assert!(
        calls(&out).contains(&CallEvent::Ended {
            call: c.call,
            tenant: w.tenant,
            released_by: ReleasedBy::Caller,
            status: 200,
        }),
        "{out:?}"
    );
    assert!(media(&out).contains(&MediaCommand::Close { leg: c.caller }));
    assert!(w.requests(PHONE1).iter().any(|r| r.method == Method::Bye));
}

#[test]
fn the_agent_hanging_up_on_hold_ends_the_call_as_theirs() {
    let mut w = world();
    let c = connect(&mut w, "hu2");
    w.switch.control(w.now, c.call, Control::Hold).unwrap();
    w.collect();
    w.take_outputs();
    w.send(PHONE1, &phone_bye(PHONE1, &c.ring, "a1"));
    let out = w.take_outputs();
    assert!(
        calls(&out).contains(&CallEvent::Ended {
            call: c.call,
            tenant: w.tenant,
            released_by: ReleasedBy::Callee(Party::Agent(w.agents[0])),
            status: 200,
        }),
        "{out:?}"
    );
    let bye = w.requests(TRUNK).pop().unwrap();
    assert_eq!(bye.method, Method::Bye);
    assert_eq!(
        w.switch.control(w.now, c.call, Control::Resume),
        Err(ControlError::NotConnected),
        "ending"
    );
    w.send_message(TRUNK, &answer(&bye, 200, "c-hu2", "x@127.0.0.1:5090", None));
    assert_eq!(
        w.switch.control(w.now, c.call, Control::Resume),
        Err(ControlError::NoSuchCall),
        "nothing is left of it once the caller's side is done"
    );
}

/// Agent 1 (on `c`) consults agent 2, whose phone answers; agent 2's INVITE and leg.
fn consult_answered(w: &mut World, c: &Connected) -> (Request, LegId) {
    assert_eq!(
        w.switch
            .control(w.now, c.call, Control::Consult(w.agents[1])),
        Ok(())
    );
    w.collect();
    let ring = w.requests(PHONE2).pop().unwrap();
    let out = w.take_outputs();
    let leg = opened(&out);
    assert!(
        media(&out).contains(&MediaCommand::Music { leg: c.caller }),
        "{out:?}"
    );
    w.send_message(
        PHONE2,
        &answer(&ring, 200, "a2", "1002@127.0.0.1:6002", Some(42_002)),
    );
    let out = w.take_outputs();
    let talk = media(&out);
    assert!(
        talk.contains(&MediaCommand::Hear {
            leg: c.agent_leg,
            from: vec![leg]
        }) && talk.contains(&MediaCommand::Hear {
            leg,
            from: vec![c.agent_leg]
        }) && talk.contains(&MediaCommand::Music { leg: c.caller }),
        "agent 1 and agent 2 talk, the customer holds: {out:?}"
    );
    (ring, leg)
}

fn non_ack(w: &mut World, to: &str) -> Vec<Method> {
    w.requests(to)
        .into_iter()
        .map(|r| r.method)
        .filter(|m| *m != Method::Ack)
        .collect()
}

#[test]
fn a_consultation_joins_all_three_and_the_third_leaving_leaves_two() {
    let mut w = world();
    let c = connect(&mut w, "c1");
    let (ring2, leg2) = consult_answered(&mut w, &c);
    assert_eq!(
        w.switch
            .control(w.now, c.call, Control::Consult(w.agents[2])),
        Err(ControlError::Consulting),
        "consult while consulting"
    );
    assert_eq!(
        w.switch.control(w.now, c.call, Control::Hold),
        Err(ControlError::Consulting)
    );
    assert_eq!(w.switch.control(w.now, c.call, Control::JoinAll), Ok(()));
    w.collect();
    let mut mix = media(&w.take_outputs());
    mix.sort_by_key(|m| format!("{m:?}"));
    let hear = |leg, from: &[LegId]| MediaCommand::Hear {
        leg,
        from: from.to_vec(),
    };
    let mut want = vec![
        hear(c.caller, &[c.agent_leg, leg2]),
        hear(c.agent_leg, &[c.caller, leg2]),
        hear(leg2, &[c.caller, c.agent_leg]),
        // The recording's other side: both agents, as the customer hears them.
        MediaCommand::RecordSides {
            call: c.call,
            customer: c.caller,
            agents: vec![c.agent_leg, leg2],
        },
    ];
    want.sort_by_key(|m| format!("{m:?}"));
    assert_eq!(mix, want, "each hears the other two");
    // Agent 2 hangs up: the customer and agent 1 go on.
    w.send(PHONE2, &phone_bye(PHONE2, &ring2, "a2"));
    let out = w.take_outputs();
    assert!(calls(&out).contains(&CallEvent::ThirdLeft {
        call: c.call,
        party: ThirdParty::Agent(w.agents[1])
    }));
    assert!(!calls(&out)
        .iter()
        .any(|e| matches!(e, CallEvent::Ended { .. })));
    assert!(media(&out).contains(&MediaCommand::Bridge {
        a: c.caller,
        b: c.agent_leg
    }));
    assert!(
        media(&out).contains(&MediaCommand::RecordSides {
            call: c.call,
            customer: c.caller,
            agents: vec![c.agent_leg]
        }),
        "the recording is back to agent 1 alone"
    );
    assert_eq!(
        w.switch.control(w.now, c.call, Control::EndThird),
        Err(ControlError::NotConsulting)
    );
}

#[test]
fn going_back_to_the_customer_hangs_up_the_consulted_agent() {
    let mut w = world();
    let c = connect(&mut w, "c2");
    consult_answered(&mut w, &c);
    w.requests(PHONE2);
    assert_eq!(w.switch.control(w.now, c.call, Control::EndThird), Ok(()));
    w.collect();
    assert_eq!(non_ack(&mut w, PHONE2), [Method::Bye]);
    assert!(media(&w.take_outputs()).contains(&MediaCommand::Bridge {
        a: c.caller,
        b: c.agent_leg
    }));
}

#[test]
fn an_attended_transfer_leaves_the_customer_with_the_consulted_agent() {
    let mut w = world();
    let c = connect(&mut w, "c3");
    let (_, leg2) = consult_answered(&mut w, &c);
    w.requests(PHONE1);
    assert_eq!(
        w.switch.control(w.now, c.call, Control::CompleteTransfer),
        Ok(())
    );
    w.collect();
    assert_eq!(non_ack(&mut w, PHONE1), [Method::Bye], "agent 1 leaves");
    let out = w.take_outputs();
    assert!(media(&out).contains(&MediaCommand::Bridge {
        a: c.caller,
        b: leg2
    }));
    assert!(calls(&out).contains(&CallEvent::HandedOver {
        call: c.call,
        from: Some(w.agents[0]),
        to: w.agents[1]
    }));
    // The engine's transfer to agent 2 that follows changes nothing more.
    let again = Control::HandOn {
        queue: w.queue,
        agent: Some(w.agents[1]),
    };
    assert_eq!(w.switch.control(w.now, c.call, again), Ok(()));
    w.collect();
    assert!(media(&w.take_outputs()).is_empty());
    assert!(non_ack(&mut w, PHONE2).is_empty());
}

#[test]
fn the_agent_hanging_up_while_consulting_hands_the_customer_over() {
    let mut w = world();
    let c = connect(&mut w, "c4");
    let (_, leg2) = consult_answered(&mut w, &c);
    w.send(PHONE1, &phone_bye(PHONE1, &c.ring, "a1"));
    let out = w.take_outputs();
    assert!(
        calls(&out).contains(&CallEvent::HandedOver {
            call: c.call,
            from: Some(w.agents[0]),
            to: w.agents[1]
        }),
        "{out:?}"
    );
    assert!(!calls(&out)
        .iter()
        .any(|e| matches!(e, CallEvent::Ended { .. })));
    assert!(media(&out).contains(&MediaCommand::Bridge {
        a: c.caller,
        b: leg2
    }));
}

#[test]
fn a_consultation_nobody_answers_leaves_the_customer_holding() {
    let mut w = world();
    let c = connect(&mut w, "c5");
    assert_eq!(
        w.switch
            .control(w.now, c.call, Control::Consult(w.agents[2])),
        Err(ControlError::Unreachable),
        "agent 3 has no phone"
    );
    assert_eq!(
        w.switch
            .control(w.now, c.call, Control::Consult(w.agents[0])),
        Err(ControlError::ConsultSelf)
    );
    assert_eq!(
        w.switch
            .control(w.now, c.call, Control::Consult(w.agents[1])),
        Ok(())
    );
    w.collect();
    let ring = w.requests(PHONE2).pop().unwrap();
    w.send_message(
        PHONE2,
        &answer(&ring, 486, "a2", "1002@127.0.0.1:6002", None),
    );
    let out = w.take_outputs();
    assert!(
        calls(&out).contains(&CallEvent::ThirdLeft {
            call: c.call,
            party: ThirdParty::Agent(w.agents[1])
        }),
        "{out:?}"
    );
    assert_eq!(
        w.switch.control(w.now, c.call, Control::Hold),
        Err(ControlError::AlreadyHeld),
        "the customer still holds"
    );
    assert_eq!(w.switch.control(w.now, c.call, Control::Resume), Ok(()));
}

#[test]
fn the_customer_hanging_up_during_a_consultation_ends_every_leg() {
    let mut w = world();
    let c = connect(&mut w, "c6");
    consult_answered(&mut w, &c);
    w.requests(PHONE1);
    w.requests(PHONE2);
    w.send(TRUNK, &in_dialog("BYE", TRUNK, &c.ok, 2, None));
    let out = w.take_outputs();
    assert!(calls(&out).iter().any(|e| matches!(
        e,
        CallEvent::Ended {
            released_by: ReleasedBy::Caller,
            ..
        }
    )));
    assert_eq!(non_ack(&mut w, PHONE1), [Method::Bye]);
    assert_eq!(non_ack(&mut w, PHONE2), [Method::Bye], "no leg left behind");
}

const PHONE3: &str = "127.0.0.1:6003";

fn sorted(mut m: Vec<MediaCommand>) -> Vec<MediaCommand> {
    m.sort_by_key(|c| format!("{c:?}"));
    m
}

#[test]
fn a_supervisor_listens_whispers_and_barges_in_without_dropping_the_call() {
    use switchboard_voice::monitor::MonitorMode::{Barge, Listen, Whisper};
    let mut w = world();
    assert_eq!(w.register_phone(PHONE3, "1003", PASSWORD), 200);
    let c = connect(&mut w, "m1");
    let sup = w.agents[2];
    assert_eq!(
        w.switch.control(
            w.now,
            c.call,
            Control::Monitor {
                supervisor: sup,
                mode: Listen
            }
        ),
        Ok(())
    );
    w.collect();
    let ring = w.requests(PHONE3).pop().unwrap();
    assert!(
        ring.headers
            .get("Call-Info")
            .unwrap()
            .contains("answer-after=0"),
        "the supervisor's phone answers by itself"
    );
    let s = opened(&w.take_outputs());
    w.send_message(
        PHONE3,
        &answer(&ring, 200, "s1", "1003@127.0.0.1:6003", Some(42_003)),
    );
    let out = w.take_outputs();
    let hear = |leg, from: Vec<LegId>| MediaCommand::Hear { leg, from };
    assert_eq!(
        sorted(media(&out)[1..].to_vec()),
        sorted(vec![
            hear(c.caller, vec![c.agent_leg]),
            hear(c.agent_leg, vec![c.caller]),
            hear(s, vec![c.caller, c.agent_leg]),
        ]),
        "listening: hears both, heard by none"
    );
    assert!(calls(&out).contains(&CallEvent::Monitor {
        call: c.call,
        supervisor: sup,
        mode: Some(Listen)
    }));
    assert_eq!(
        w.switch.control(
            w.now,
            c.call,
            Control::Monitor {
                supervisor: w.agents[1],
                mode: Listen
            }
        ),
        Err(ControlError::Monitored)
    );
    assert_eq!(
        w.switch.control(
            w.now,
            c.call,
            Control::Monitor {
                supervisor: sup,
                mode: Whisper
            }
        ),
        Ok(())
    );
    w.collect();
    assert!(
        non_ack(&mut w, PHONE3).is_empty(),
        "the mode changes on the same leg"
    );
    assert!(media(&w.take_outputs()).contains(&hear(c.agent_leg, vec![c.caller, s])));
    assert_eq!(
        w.switch.control(
            w.now,
            c.call,
            Control::Monitor {
                supervisor: sup,
                mode: Barge
            }
        ),
        Ok(())
    );
    w.collect();
    let barged = media(&w.take_outputs());
    assert!(barged.contains(&hear(c.caller, vec![c.agent_leg, s])));
    assert!(barged.contains(&hear(c.agent_leg, vec![c.caller, s])));

    // The supervisor hangs up: the call goes on as before.
    let bye = format!(
        "BYE sip:x@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP {PHONE3};branch=z9hG4bKs{};rport\nFrom: {};tag=s1\nTo: {}\nCall-ID: {}\nCSeq: 9 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n",
        fresh(),
        ring.core.to,
        ring.core.from,
        ring.core.call_id
    );
    w.send(PHONE3, &bye);
    let out = w.take_outputs();
    assert!(calls(&out).contains(&CallEvent::Monitor {
        call: c.call,
        supervisor: sup,
        mode: None
    }));
    assert!(!calls(&out)
        .iter()
        .any(|e| matches!(e, CallEvent::Ended { .. })));
    assert!(media(&out).contains(&MediaCommand::Bridge {
        a: c.caller,
        b: c.agent_leg
    }));
    assert_eq!(
        w.switch
            .control(w.now, c.call, Control::EndMonitor { supervisor: sup }),
        Err(ControlError::NotMonitored)
    );
}

#[test]
fn monitoring_needs_a_connected_call_and_a_phone_and_ends_with_it() {
    use switchboard_voice::monitor::MonitorMode::Listen;
    let mut w = world();
    let c = connect(&mut w, "m2");
    assert_eq!(
        w.switch.control(
            w.now,
            c.call,
            Control::Monitor {
                supervisor: w.agents[2],
                mode: Listen
            }
        ),
        Err(ControlError::Unreachable),
        "no phone registered"
    );
    assert_eq!(w.register_phone(PHONE3, "1003", PASSWORD), 200);
    w.switch
        .control(
            w.now,
            c.call,
            Control::Monitor {
                supervisor: w.agents[2],
                mode: Listen,
            },
        )
        .unwrap();
    w.collect();
    let ring = w.requests(PHONE3).pop().unwrap();
    w.send_message(
        PHONE3,
        &answer(&ring, 200, "s2", "1003@127.0.0.1:6003", Some(42_003)),
    );
    w.take_outputs();
    // The customer hangs up: the supervisor's leg goes too.
    w.send(TRUNK, &in_dialog("BYE", TRUNK, &c.ok, 2, None));
    assert!(calls(&w.take_outputs())
        .iter()
        .any(|e| matches!(e, CallEvent::Ended { .. })));
    assert_eq!(non_ack(&mut w, PHONE3), [Method::Bye]);
}

#[test]
fn the_customer_leaving_a_three_way_call_leaves_the_two_agents_talking() {
    let mut w = world();
    let c = connect(&mut w, "cl");
    let (ring2, leg2) = consult_answered(&mut w, &c);
    w.switch.control(w.now, c.call, Control::JoinAll).unwrap();
    w.collect();
    w.take_outputs();
    w.send(TRUNK, &in_dialog("BYE", TRUNK, &c.ok, 2, None));
    let out = w.take_outputs();
    assert!(calls(&out).contains(&CallEvent::CustomerLeft { call: c.call }));
    assert!(
        !calls(&out)
            .iter()
            .any(|e| matches!(e, CallEvent::Ended { .. })),
        "{out:?}"
    );
    assert!(media(&out).contains(&MediaCommand::Bridge {
        a: leg2,
        b: c.agent_leg
    }));
    assert!(non_ack(&mut w, PHONE1).is_empty() && non_ack(&mut w, PHONE2).is_empty());
    // Agent 2 hangs up: now the call ends, agent 1's phone too.
    w.send(PHONE2, &phone_bye(PHONE2, &ring2, "a2"));
    assert_eq!(non_ack(&mut w, PHONE1), [Method::Bye]);
    let out = w.take_outputs();
    assert!(calls(&out)
        .iter()
        .any(|e| matches!(e, CallEvent::Ended { .. })));
    let _ = c.ring;
}
