//! Agents' standing lines on simulated time: the phone is called once and stays up, calls
//! are bridged onto it without ringing, and it outlives each call but not its own hang-up.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_sip::{Method, Request};
use switchboard_voice::{CallEvent, CallRef, LegId, MediaCommand, Output, Party, ReleasedBy};

const TRUNK: &str = "127.0.0.1:5090";
const PHONE: &str = "127.0.0.1:6001";

fn events(w: &mut World) -> (Vec<CallEvent>, Vec<MediaCommand>) {
    let mut calls = Vec::new();
    let mut media = Vec::new();
    for o in w.take_outputs() {
        match o {
            Output::Call(e) => calls.push(e),
            Output::Media(m) => media.push(m),
            Output::Registration(_) => {}
        }
    }
    (calls, media)
}

/// Agent 1's phone registers and takes the line; the line's INVITE is returned.
fn line_up(w: &mut World) -> Request {
    assert_eq!(w.register_phone(PHONE, "1001", PASSWORD), 200);
    let (tenant, agent) = (w.tenant, w.agents[0]);
    assert!(w.switch.open_line(w.now, tenant, agent));
    assert!(!w.switch.open_line(w.now, tenant, agent), "one line each");
    w.collect();
    let ring = w.requests(PHONE).pop().unwrap();
    assert!(ring
        .headers
        .get("Call-Info")
        .unwrap()
        .contains("answer-after=0"));
    w.send_message(
        PHONE,
        &answer(&ring, 200, "line", "1001@127.0.0.1:6001", Some(42_000)),
    );
    let (calls, _) = events(w);
    assert!(calls.contains(&CallEvent::Line {
        tenant,
        agent,
        up: true
    }));
    assert!(w.switch.line_is_free(agent));
    let acks = w.requests(PHONE);
    assert!(acks.iter().all(|r| r.method == Method::Ack), "{acks:?}");
    ring
}

/// A trunk call to the queue number; its call and caller leg.
fn queued_call(w: &mut World, id: &str) -> (CallRef, LegId) {
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
    assert_eq!(w.statuses(TRUNK), [100, 200]);
    let (calls, media) = events(w);
    let Some(CallEvent::Queued { call, .. }) = calls.get(1).cloned() else {
        panic!("{calls:?}")
    };
    let Some(MediaCommand::Open { leg, .. }) = media.first().cloned() else {
        panic!("{media:?}")
    };
    (call, leg)
}

/// The phone's BYE on the line dialog its answer made.
fn phone_bye(ring: &Request) -> String {
    let to = ring.core.from.to_string();
    format!(
        "BYE sip:x@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP {PHONE};branch=z9hG4bKb{};rport\nFrom: {};tag=line\nTo: {to}\nCall-ID: {}\nCSeq: 9 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n",
        fresh(),
        ring.core.to,
        ring.core.call_id
    )
}

#[test]
fn calls_are_bridged_onto_the_line_and_it_outlives_them() {
    let mut w = World::new();
    let agent = w.agents[0];
    line_up(&mut w);
    for (i, id) in ["l1", "l2"].into_iter().enumerate() {
        let (call, caller_leg) = queued_call(&mut w, id);
        w.switch.offer(w.now, call, agent, false);
        w.collect();
        assert!(w.requests(PHONE).is_empty(), "no ring on a line (call {i})");
        w.switch.answer_on_line(w.now, call, agent);
        w.collect();
        let (calls, media) = events(&mut w);
        assert!(calls.contains(&CallEvent::AgentAnswered { call, agent }));
        let Some(MediaCommand::Bridge { a, b }) = media.first().cloned() else {
            panic!("{media:?}")
        };
        assert_eq!(a, caller_leg);
        assert!(media.contains(&MediaCommand::Record {
            call,
            caller: caller_leg,
            callee: b
        }));
        assert!(!w.switch.line_is_free(agent));
        // The customer hangs up: their leg closes, the line stays.
        w.switch.release(w.now, call, ReleasedBy::Caller);
        w.collect();
        let (calls, media) = events(&mut w);
        assert!(calls
            .iter()
            .any(|e| matches!(e, CallEvent::Ended { call: c, .. } if *c == call)));
        assert!(!media.contains(&MediaCommand::Close { leg: b }));
        assert!(
            !w.requests(PHONE).iter().any(|r| r.method == Method::Bye),
            "the line is not hung up"
        );
        assert!(w.switch.line_is_free(agent));
    }
}

#[test]
fn an_auto_answered_offer_is_bridged_at_once() {
    let mut w = World::new();
    let agent = w.agents[0];
    line_up(&mut w);
    let (call, _) = queued_call(&mut w, "a1");
    w.switch.offer(w.now, call, agent, true);
    w.collect();
    let (calls, media) = events(&mut w);
    assert!(calls.contains(&CallEvent::AgentAnswered { call, agent }));
    assert!(matches!(media.first(), Some(MediaCommand::Bridge { .. })));
}

#[test]
fn hanging_up_the_line_ends_its_call_as_the_agents() {
    let mut w = World::new();
    let (tenant, agent) = (w.tenant, w.agents[0]);
    let ring = line_up(&mut w);
    let (call, _) = queued_call(&mut w, "h1");
    w.switch.offer(w.now, call, agent, true);
    w.collect();
    w.take_outputs();
    w.send(PHONE, &phone_bye(&ring));
    assert_eq!(w.statuses(PHONE), [200]);
    let (calls, _) = events(&mut w);
    assert!(calls.contains(&CallEvent::Ended {
        call,
        tenant,
        released_by: ReleasedBy::Callee(Party::Agent(agent)),
        status: 200
    }));
    assert!(calls.contains(&CallEvent::Line {
        tenant,
        agent,
        up: false
    }));
    assert!(!w.switch.line_is_free(agent));
    // A new offer rings the phone again.
    let (call, _) = queued_call(&mut w, "h2");
    w.switch.offer(w.now, call, agent, false);
    w.collect();
    assert_eq!(w.requests(PHONE).len(), 1);
}

#[test]
fn a_line_the_phone_never_takes_goes_down_and_closing_one_says_so() {
    let mut w = World::new();
    let (tenant, agent) = (w.tenant, w.agents[1]);
    assert!(
        !w.switch.open_line(w.now, tenant, agent),
        "no phone registered"
    );
    assert_eq!(w.register_phone("127.0.0.1:6002", "1002", PASSWORD), 200);
    assert!(w.switch.open_line(w.now, tenant, agent));
    w.collect();
    let ring = w.requests("127.0.0.1:6002").pop().unwrap();
    w.send_message(
        "127.0.0.1:6002",
        &answer(&ring, 486, "busy", "1002@127.0.0.1:6002", None),
    );
    let (calls, _) = events(&mut w);
    assert!(calls.contains(&CallEvent::Line {
        tenant,
        agent,
        up: false
    }));
    // Open again, answered, then closed from the workbench: the phone gets a BYE.
    assert!(w.switch.open_line(w.now, tenant, agent));
    w.collect();
    let ring = w.requests("127.0.0.1:6002").pop().unwrap();
    w.send_message(
        "127.0.0.1:6002",
        &answer(&ring, 200, "ok", "1002@127.0.0.1:6002", Some(42_002)),
    );
    w.switch.close_line(w.now, agent);
    w.collect();
    assert!(w
        .requests("127.0.0.1:6002")
        .iter()
        .any(|r| r.method == Method::Bye));
    let (calls, _) = events(&mut w);
    assert!(calls.contains(&CallEvent::Line {
        tenant,
        agent,
        up: false
    }));
}
