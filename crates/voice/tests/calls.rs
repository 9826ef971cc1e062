//! Calls through the switch on simulated time: a number forwarded to a destination, a
//! queued call offered to an agent's devices, and every way a call can end early.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_sip::{Message, Method, Request, Response};
use switchboard_voice::{CallEvent, MediaCommand, Output, Party, ReleasedBy};

const TRUNK: &str = "127.0.0.1:5090";
const DEST: &str = "127.0.0.1:5070";

fn calls(w: &mut World) -> Vec<CallEvent> {
    w.take_outputs()
        .into_iter()
        .filter_map(|o| match o {
            Output::Call(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn media(outputs: &[Output]) -> Vec<&MediaCommand> {
    outputs
        .iter()
        .filter_map(|o| {
            if let Output::Media(m) = o {
                Some(m)
            } else {
                None
            }
        })
        .collect()
}

/// The trunk calls 5000; the destination's INVITE is returned.
fn call_destination(w: &mut World, call_id: &str) -> Request {
    w.send(
        TRUNK,
        &invite(
            TRUNK,
            "+8613800138000",
            "5000",
            call_id,
            &format!("z9hG4bK{call_id}"),
            "",
        ),
    );
    assert_eq!(w.statuses(TRUNK), [100]);
    let mut reqs = w.requests(DEST);
    assert_eq!(reqs.len(), 1);
    reqs.pop().unwrap()
}

#[test]
fn a_forwarded_call_rings_connects_and_ends_from_the_caller() {
    let mut w = World::new();
    let out = call_destination(&mut w, "fw1");
    assert_eq!(out.method, Method::Invite);
    assert_eq!(
        out.core.from.uri.to_string(),
        "sip:+8613800138000@127.0.0.1"
    );
    assert!(
        String::from_utf8_lossy(&out.body).contains("m=audio 200"),
        "our offer names our RTP port"
    );

    w.send_message(DEST, &answer(&out, 180, "d1", DEST, None));
    assert_eq!(w.statuses(TRUNK), [180]);
    w.send_message(DEST, &answer(&out, 200, "d1", DEST, Some(40_000)));
    let acks = w.requests(DEST);
    assert_eq!(
        acks.iter().map(|r| r.method.clone()).collect::<Vec<_>>(),
        [Method::Ack]
    );
    let ok = w.responses(TRUNK).pop().unwrap();
    assert_eq!(ok.status, 200);
    let sdp = String::from_utf8_lossy(&ok.body).into_owned();
    assert!(
        sdp.contains("a=rtpmap:8 PCMA/8000"),
        "the caller's first codec is answered: {sdp}"
    );

    let outputs = w.take_outputs();
    let m = media(&outputs);
    assert!(matches!(m[0], MediaCommand::Open { remote: Some(r), .. } if r.port() == 30_000));
    assert!(matches!(m[1], MediaCommand::Open { remote: None, .. }));
    assert!(matches!(m[2], MediaCommand::Remote { remote, .. } if remote.port() == 40_000));
    assert!(matches!(m[3], MediaCommand::Bridge { .. }));
    assert!(
        matches!(m[4], MediaCommand::Record { .. }),
        "every connected call is recorded"
    );

    w.send(TRUNK, &in_dialog("ACK", TRUNK, &ok, 1, None));
    w.send(TRUNK, &in_dialog("BYE", TRUNK, &ok, 2, None));
    assert_eq!(w.statuses(TRUNK), [200]);
    let bye = w.requests(DEST).pop().unwrap();
    assert_eq!(bye.method, Method::Bye);
    w.send_message(
        DEST,
        &Message::Response(Response::to(&bye, 200, "OK", None)),
    );
    let outputs = w.take_outputs();
    assert_eq!(
        media(&outputs)
            .iter()
            .filter(|m| matches!(m, MediaCommand::Close { .. }))
            .count(),
        2
    );
    assert!(outputs.iter().any(|o| matches!(
        o,
        Output::Call(CallEvent::Ended {
            released_by: ReleasedBy::Caller,
            ..
        })
    )));
    w.advance(60_000);
    assert_eq!(w.switch.registrar().devices(w.tenant, "1001"), 0);
}

#[test]
fn the_destination_hanging_up_ends_the_caller_leg() {
    let mut w = World::new();
    let out = call_destination(&mut w, "fw2");
    w.send_message(DEST, &answer(&out, 200, "d2", DEST, Some(40_002)));
    w.requests(DEST);
    w.responses(TRUNK);
    let bye = format!(
        "BYE sip:127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP {DEST};branch=z9hG4bKdb2\nFrom: <sip:partner@127.0.0.1:5070>;tag=d2\nTo: {}\nCall-ID: {}\nCSeq: 5 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n",
        out.core.from, out.core.call_id
    );
    w.send(DEST, &bye);
    assert_eq!(w.statuses(DEST), [200]);
    let to_caller = w.requests(TRUNK);
    assert_eq!(
        to_caller
            .iter()
            .map(|r| r.method.clone())
            .collect::<Vec<_>>(),
        [Method::Bye]
    );
    let ended = calls(&mut w)
        .into_iter()
        .find(|e| matches!(e, CallEvent::Ended { .. }))
        .unwrap();
    assert!(matches!(
        ended,
        CallEvent::Ended {
            released_by: ReleasedBy::Callee(Party::Destination),
            ..
        }
    ));
}

#[test]
fn the_caller_cancelling_while_it_rings_cancels_the_destination() {
    let mut w = World::new();
    let out = call_destination(&mut w, "fw3");
    w.send_message(DEST, &answer(&out, 180, "d3", DEST, None));
    w.statuses(TRUNK);
    let cancel = invite(TRUNK, "+8613800138000", "5000", "fw3", "z9hG4bKfw3", "")
        .replacen("INVITE sip", "CANCEL sip", 1)
        .replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL");
    let cancel = cancel.split("Content-Type").next().unwrap().to_owned() + "Content-Length: 0\n\n";
    w.send(TRUNK, &cancel);
    assert_eq!(w.statuses(TRUNK), [200, 487]);
    let to_dest = w.requests(DEST);
    assert_eq!(
        to_dest.iter().map(|r| r.method.clone()).collect::<Vec<_>>(),
        [Method::Cancel]
    );
    let ended = calls(&mut w)
        .into_iter()
        .find(|e| matches!(e, CallEvent::Ended { .. }))
        .unwrap();
    assert!(matches!(
        ended,
        CallEvent::Ended {
            released_by: ReleasedBy::Caller,
            status: 487,
            ..
        }
    ));
}

#[test]
fn a_busy_destination_is_passed_back_and_silence_rings_out() {
    let mut w = World::new();
    let out = call_destination(&mut w, "fw4");
    w.send_message(DEST, &answer(&out, 486, "d4", DEST, None));
    assert_eq!(
        w.requests(DEST)
            .iter()
            .map(|r| r.method.clone())
            .collect::<Vec<_>>(),
        [Method::Ack]
    );
    let busy = w.responses(TRUNK).pop().unwrap();
    assert_eq!(busy.status, 486);
    // The caller's ACK (same branch as its INVITE) stops our retransmissions.
    w.send(
        TRUNK,
        &in_dialog("ACK", TRUNK, &busy, 1, Some("z9hG4bKfw4")),
    );

    let out = call_destination(&mut w, "fw5");
    let _ = out;
    w.advance(30_000);
    let cancels: Vec<_> = w
        .requests(DEST)
        .into_iter()
        .filter(|r| r.method == Method::Cancel)
        .collect();
    assert_eq!(cancels.len(), 1, "the ring timeout cancels the destination");
    assert_eq!(w.statuses(TRUNK), [480]);
}

#[test]
fn a_switch_behind_turns_new_calls_away_and_ends_those_under_way() {
    let mut w = World::new();
    let out = call_destination(&mut w, "sh1");
    w.send_message(DEST, &answer(&out, 200, "d1", DEST, Some(40_000)));
    let ok = w.responses(TRUNK).pop().unwrap();
    w.send(TRUNK, &in_dialog("ACK", TRUNK, &ok, 1, None));
    let _ = w.requests(DEST);

    let late = switchboard_voice::SHED_AFTER_MS;
    let second = invite(TRUNK, "1", "5000", "sh2", "z9hG4bKsh2", "");
    w.send_late(TRUNK, &second, late);
    let busy = w.responses(TRUNK);
    assert_eq!(busy.iter().map(|r| r.status).collect::<Vec<_>>(), [503]);
    assert_eq!(busy[0].headers.get("Retry-After"), Some("1"));
    assert!(w.requests(DEST).is_empty(), "the new call went nowhere");

    // The call under way ends as ever, however late its BYE.
    w.send_late(TRUNK, &in_dialog("BYE", TRUNK, &ok, 2, None), late);
    assert_eq!(w.statuses(TRUNK), [200]);
    assert_eq!(w.requests(DEST).pop().unwrap().method, Method::Bye);
    // Caught up, the switch takes new calls again.
    w.send_late(TRUNK, &second.replace("z9hG4bKsh2", "z9hG4bKsh3"), late - 1);
    assert_eq!(w.statuses(TRUNK), [100]);
}

#[test]
fn refusals_unknown_number_stranger_and_no_common_codec() {
    let mut w = World::new();
    w.send(TRUNK, &invite(TRUNK, "1", "7777", "r1", "z9hG4bKr1", ""));
    assert_eq!(w.statuses(TRUNK), [100, 404]);
    let stranger = "127.0.0.9:5090";
    w.send(
        stranger,
        &invite(stranger, "1001", "4000", "r2", "z9hG4bKr2", ""),
    );
    assert_eq!(
        w.statuses(stranger),
        [100, 407],
        "not a trunk: prove the extension"
    );
    let g729 = invite(TRUNK, "1", "5000", "r3", "z9hG4bKr3", "")
        .replace("RTP/AVP 8 0 101", "RTP/AVP 18 9 96");
    w.send(TRUNK, &g729);
    assert_eq!(w.statuses(TRUNK), [100, 488]);
    assert!(
        w.requests(DEST).is_empty(),
        "nothing reached the destination"
    );
}

#[test]
fn a_queued_call_rings_every_device_and_the_first_answer_wins() {
    let mut w = World::new();
    assert_eq!(w.register_phone("127.0.0.1:6001", "1001", PASSWORD), 200);
    assert_eq!(w.register_phone("127.0.0.1:6011", "1001", PASSWORD), 200);
    w.send(
        TRUNK,
        &invite(TRUNK, "13800138000", "4000", "q1", "z9hG4bKq1", ""),
    );
    assert_eq!(
        w.statuses(TRUNK),
        [100, 200],
        "the caller is answered to hear the queue"
    );
    let events = calls(&mut w);
    let CallEvent::Queued {
        call,
        queue,
        caller,
        ..
    } = events[1].clone()
    else {
        panic!("{events:?}")
    };
    assert_eq!((queue, caller.as_str()), (w.queue, "+8613800138000"));

    let agent = w.agents[0];
    w.switch.offer(w.now, call, agent, true);
    w.collect();
    let ring1 = w.requests("127.0.0.1:6001").pop().unwrap();
    let ring2 = w.requests("127.0.0.1:6011").pop().unwrap();
    assert!(ring1
        .headers
        .get("Call-Info")
        .unwrap()
        .contains("answer-after=0"));
    w.send_message(
        "127.0.0.1:6011",
        &answer(&ring2, 200, "p2", "1001@127.0.0.1:6011", Some(42_000)),
    );
    let to_first = w.requests("127.0.0.1:6001");
    assert_eq!(
        to_first
            .iter()
            .map(|r| r.method.clone())
            .collect::<Vec<_>>(),
        [Method::Cancel]
    );
    assert!(calls(&mut w).contains(&CallEvent::AgentAnswered { call, agent }));
    let _ = ring1;
}

#[test]
fn an_offer_nobody_answers_fails_and_the_caller_keeps_waiting() {
    let mut w = World::new();
    assert_eq!(w.register_phone("127.0.0.1:6002", "1002", PASSWORD), 200);
    w.send(
        TRUNK,
        &invite(TRUNK, "13800138000", "4000", "q2", "z9hG4bKq2", ""),
    );
    let events = calls(&mut w);
    let CallEvent::Queued { call, .. } = events[1].clone() else {
        panic!()
    };
    let agent = w.agents[1];
    w.switch.offer(w.now, call, agent, false);
    w.collect();
    let ring = w.requests("127.0.0.1:6002").pop().unwrap();
    w.send_message(
        "127.0.0.1:6002",
        &answer(&ring, 180, "p", "1002@127.0.0.1:6002", None),
    );
    w.switch.withdraw_offer(w.now, call);
    w.collect();
    assert_eq!(
        w.requests("127.0.0.1:6002")
            .iter()
            .map(|r| r.method.clone())
            .collect::<Vec<_>>(),
        [Method::Cancel]
    );
    assert!(
        !calls(&mut w)
            .iter()
            .any(|e| matches!(e, CallEvent::Ended { .. })),
        "the caller still waits"
    );
    // An agent without a registered phone fails at once.
    w.switch.offer(w.now, call, w.agents[2], false);
    w.collect();
    assert!(calls(&mut w).contains(&CallEvent::OfferFailed {
        call,
        agent: w.agents[2]
    }));
}

fn info(from: &str, ok: &Response, cseq: u32, digit: char) -> String {
    let body = format!("Signal={digit}\r\nDuration=160\r\n");
    in_dialog("INFO", from, ok, cseq, None).replace(
        "Content-Length: 0\n\n",
        &format!(
            "Content-Type: application/dtmf-relay\nContent-Length: {}\n\n{body}",
            body.len()
        ),
    )
}

#[test]
fn the_ivr_answers_plays_its_menu_and_a_key_queues_the_call_with_its_path() {
    let mut w = World::new();
    w.send(
        TRUNK,
        &invite(TRUNK, "13800138000", "4001", "ivr1", "z9hG4bKivr1", ""),
    );
    let ok = w.responses(TRUNK).pop().unwrap();
    assert_eq!(ok.status, 200, "the IVR answers");
    let outputs = w.take_outputs();
    assert!(media(&outputs).iter().any(|m| matches!(m, MediaCommand::Play { prompts, interruptible: true, .. } if prompts == &["zh-welcome"])));
    let leg = match media(&outputs)[0] {
        MediaCommand::Open { leg, .. } => *leg,
        other => panic!("{other:?}"),
    };
    w.switch.handle_media(
        w.now,
        switchboard_voice::MediaEvent::Digit { leg, digit: '1' },
    );
    w.collect();
    let outputs = w.take_outputs();
    assert!(media(&outputs)
        .iter()
        .any(|m| matches!(m, MediaCommand::StopPrompts { .. })));
    assert!(
        media(&outputs)
            .iter()
            .any(|m| matches!(m, MediaCommand::Music { .. })),
        "music while queued"
    );
    let queued = outputs.iter().find_map(|o| match o {
        Output::Call(CallEvent::Queued { path, .. }) => Some(path.clone()),
        _ => None,
    });
    assert_eq!(queued.as_deref(), Some("主菜单 → 1 售前"));
    let _ = ok;
}

#[test]
fn a_key_by_sip_info_works_and_silence_hangs_up_after_the_retries() {
    let mut w = World::new();
    w.send(
        TRUNK,
        &invite(TRUNK, "13800138000", "4001", "ivr2", "z9hG4bKivr2", ""),
    );
    let ok = w.responses(TRUNK).pop().unwrap();
    w.take_outputs();
    w.send(TRUNK, &info(TRUNK, &ok, 2, '1'));
    assert_eq!(w.statuses(TRUNK), [200]);
    assert!(
        calls(&mut w)
            .iter()
            .any(|e| matches!(e, CallEvent::Queued { .. })),
        "INFO keys steer the menu"
    );

    w.send(
        TRUNK,
        &invite(TRUNK, "13800138000", "4001", "ivr3", "z9hG4bKivr3", ""),
    );
    w.responses(TRUNK);
    let leg = w
        .take_outputs()
        .iter()
        .find_map(|o| match o {
            Output::Media(MediaCommand::Open { leg, .. }) => Some(*leg),
            _ => None,
        })
        .unwrap();
    for _ in 0..2 {
        w.switch
            .handle_media(w.now, switchboard_voice::MediaEvent::PromptsDone { leg });
        w.collect();
        w.advance(5_000);
    }
    assert_eq!(
        w.requests(TRUNK)
            .iter()
            .map(|r| r.method.clone())
            .collect::<Vec<_>>(),
        [Method::Bye],
        "no key: goodbye"
    );
}

#[test]
fn a_caller_hanging_up_in_the_ivr_ends_the_call_as_theirs() {
    let mut w = World::new();
    w.send(
        TRUNK,
        &invite(TRUNK, "13800138000", "4001", "ivr4", "z9hG4bKivr4", ""),
    );
    let ok = w.responses(TRUNK).pop().unwrap();
    w.take_outputs();
    w.send(TRUNK, &in_dialog("BYE", TRUNK, &ok, 2, None));
    assert_eq!(w.statuses(TRUNK), [200]);
    assert!(calls(&mut w).iter().any(|e| matches!(
        e,
        CallEvent::Ended {
            released_by: ReleasedBy::Caller,
            ..
        }
    )));
    w.advance(10_000);
    assert!(
        w.requests(TRUNK).is_empty(),
        "the walk's timer does nothing after the call ended"
    );
}

#[test]
fn a_trunk_caller_claiming_an_extension_is_nobodys_call() {
    let mut w = World::new();
    w.send(
        TRUNK,
        &invite(TRUNK, "1001", "4000", "sp1", "z9hG4bKsp1", ""),
    );
    let events = calls(&mut w);
    let CallEvent::Started { placed_by, .. } = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(
        *placed_by, None,
        "only a phone proving its extension places a call as its agent"
    );
}

/// The same request without its SDP (a delayed offer).
fn without_offer(request: &str) -> String {
    let head = request.split("\n\n").next().unwrap();
    let head: Vec<&str> = head
        .lines()
        .filter(|l| !l.starts_with("Content-"))
        .collect();
    format!("{}\nContent-Length: 0\n\n", head.join("\n"))
}

/// The same bodiless request carrying `sdp` (line ends written as \n).
fn with_sdp(request: &str, sdp: &str) -> String {
    let body = sdp.replace('\n', "\r\n");
    request.replace(
        "Content-Length: 0\n\n",
        &format!(
            "Content-Type: application/sdp\nContent-Length: {}\n\n{body}",
            body.len()
        ),
    )
}

/// A forwarded call whose INVITE had no offer, answered by the destination; our 200 to the
/// caller.
fn delayed_offer_call(w: &mut World, call_id: &str) -> Response {
    let offer = invite(
        TRUNK,
        "+8613800138000",
        "5000",
        call_id,
        &format!("z9hG4bK{call_id}"),
        "",
    );
    w.send(TRUNK, &without_offer(&offer));
    assert_eq!(w.statuses(TRUNK), [100], "a delayed offer is taken");
    let out = w.requests(DEST).pop().unwrap();
    w.send_message(DEST, &answer(&out, 200, "d1", DEST, Some(40_000)));
    let ok = w.responses(TRUNK).pop().unwrap();
    assert_eq!(ok.status, 200);
    ok
}

#[test]
fn a_delayed_offer_gets_our_offer_in_the_200_and_its_answer_from_the_ack() {
    let mut w = World::new();
    let ok = delayed_offer_call(&mut w, "lo1");
    let sdp = String::from_utf8_lossy(&ok.body).into_owned();
    assert!(
        sdp.contains("RTP/AVP 0 8 101") && sdp.contains("telephone-event"),
        "our offer names every codec we take: {sdp}"
    );
    let outputs = w.take_outputs();
    assert!(
        matches!(media(&outputs)[0], MediaCommand::Open { remote: None, .. }),
        "the caller's media waits for their answer"
    );

    let answer_sdp = OFFER.replace("8 0 101", "8 101");
    w.send(
        TRUNK,
        &with_sdp(&in_dialog("ACK", TRUNK, &ok, 1, None), &answer_sdp),
    );
    let outputs = w.take_outputs();
    assert!(
        media(&outputs).iter().any(|m| matches!(
            m,
            MediaCommand::Remote { remote, codec: switchboard_sip::sdp::Codec::Pcma, .. }
                if remote.port() == 30_000
        )),
        "the ACK's answer sets the caller's address and codec: {outputs:?}"
    );
    // The call goes on as any other.
    w.send(TRUNK, &in_dialog("BYE", TRUNK, &ok, 2, None));
    assert_eq!(w.statuses(TRUNK), [200]);
    assert_eq!(w.requests(DEST).pop().unwrap().method, Method::Bye);
}

#[test]
fn a_delayed_offer_whose_ack_brings_no_answer_ends() {
    let mut w = World::new();
    let ok = delayed_offer_call(&mut w, "lo2");
    w.send(TRUNK, &in_dialog("ACK", TRUNK, &ok, 1, None));
    let to_caller = w.requests(TRUNK);
    assert_eq!(
        to_caller
            .iter()
            .map(|r| r.method.clone())
            .collect::<Vec<_>>(),
        [Method::Bye],
        "no audio is possible: the caller is hung up"
    );
    assert_eq!(w.requests(DEST).pop().unwrap().method, Method::Bye);
}

#[test]
fn a_reinvite_without_an_offer_gets_our_offer_and_its_answer_from_the_ack() {
    let mut w = World::new();
    let out = call_destination(&mut w, "ri1");
    w.send_message(DEST, &answer(&out, 200, "d1", DEST, Some(40_000)));
    let ok = w.responses(TRUNK).pop().unwrap();
    w.send(TRUNK, &in_dialog("ACK", TRUNK, &ok, 1, None));
    w.take_outputs();
    assert_eq!(w.requests(DEST).pop().unwrap().method, Method::Ack);

    // A session refresh without SDP: our 200 offers every codec, the ACK answers.
    w.send(TRUNK, &in_dialog("INVITE", TRUNK, &ok, 2, None));
    let refreshed = w.responses(TRUNK).pop().unwrap();
    assert_eq!(refreshed.status, 200);
    let sdp = String::from_utf8_lossy(&refreshed.body).into_owned();
    assert!(sdp.contains("RTP/AVP 0 8 101"), "an offer: {sdp}");
    let moved = OFFER.replace("30000", "30002").replace("8 0 101", "8 101");
    w.send(
        TRUNK,
        &with_sdp(&in_dialog("ACK", TRUNK, &refreshed, 2, None), &moved),
    );
    let outputs = w.take_outputs();
    assert!(
        media(&outputs).iter().any(|m| matches!(
            m,
            MediaCommand::Remote { remote, codec: switchboard_sip::sdp::Codec::Pcma, .. }
                if remote.port() == 30_002
        )),
        "the ACK's answer moves the caller's media: {outputs:?}"
    );

    // Another whose ACK brings no answer: the media goes on as it was, nobody is hung up.
    w.send(TRUNK, &in_dialog("INVITE", TRUNK, &ok, 3, None));
    let again = w.responses(TRUNK).pop().unwrap();
    assert_eq!(again.status, 200);
    w.send(TRUNK, &in_dialog("ACK", TRUNK, &again, 3, None));
    let outputs = w.take_outputs();
    assert!(media(&outputs).is_empty(), "{outputs:?}");
    let (t, d) = (w.requests(TRUNK), w.requests(DEST));
    assert!(t.is_empty() && d.is_empty(), "{t:?} {d:?}");

    // A body that is no SDP is not acceptable, and changes nothing.
    w.send(
        TRUNK,
        &with_sdp(&in_dialog("INVITE", TRUNK, &ok, 4, None), "not sdp"),
    );
    assert_eq!(w.statuses(TRUNK).last(), Some(&488));
    assert!(media(&w.take_outputs()).is_empty());
}

#[test]
fn a_port_is_lent_again_only_once_the_media_side_closed_it() {
    let mut w = World::new();
    w.media_holds_ports = true;
    // 50 ports: 25 forwarded calls of two legs each, every one turned away busy.
    for i in 0..25 {
        let out = call_destination(&mut w, &format!("pp{i}"));
        w.send_message(DEST, &answer(&out, 486, "d", DEST, None));
        let busy = w.responses(TRUNK).pop().unwrap();
        assert_eq!(busy.status, 486);
        let branch = format!("z9hG4bKpp{i}");
        w.send(TRUNK, &in_dialog("ACK", TRUNK, &busy, 1, Some(&branch)));
        w.requests(DEST);
        w.advance(1_000);
    }
    assert_eq!(
        w.ports_held.len(),
        50,
        "every leg closed, no socket closed yet"
    );
    let late = invite(
        TRUNK,
        "+8613800138000",
        "5000",
        "pp-late",
        "z9hG4bKpplate",
        "",
    );
    w.send(TRUNK, &late);
    let refused = w.responses(TRUNK).pop().unwrap();
    assert_eq!(
        refused.status, 503,
        "no port is free while the media side still holds them"
    );
    let ack = in_dialog("ACK", TRUNK, &refused, 1, Some("z9hG4bKpplate"));
    w.send(TRUNK, &ack);
    // The media side closes one call's sockets: one call more fits.
    let held = std::mem::take(&mut w.ports_held);
    w.free_port(held[0]);
    w.free_port(held[1]);
    w.free_port(held[1]);
    w.advance(1_000);
    let out = call_destination(&mut w, "pp-freed");
    assert_eq!(out.method, Method::Invite);
}
