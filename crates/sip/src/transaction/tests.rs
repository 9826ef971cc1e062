//! The transaction state machines on simulated time.

use super::*;
use crate::parse_datagram;

const PHONE: &str = "127.0.0.1:5062";

fn request(method: &str, branch: &str) -> Request {
    let text = format!(
        "{method} sip:4000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch={branch};rport\r\nFrom: <sip:1001@127.0.0.1>;tag=a\r\nTo: <sip:4000@127.0.0.1>\r\nCall-ID: call-1\r\nCSeq: 1 {method}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
    );
    match parse_datagram(text.as_bytes()) {
        Ok(Message::Request(r)) => r,
        other => panic!("{other:?}"),
    }
}

fn phone() -> Peer {
    Peer::udp(PHONE.parse().unwrap())
}

fn sent(t: &mut Transactions) -> Vec<String> {
    std::iter::from_fn(|| t.poll_transmit())
        .map(|m| {
            String::from_utf8_lossy(&m.bytes)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

fn new_request(t: &mut Transactions) -> TxKey {
    match t.poll_event() {
        Some(TxEvent::Request { key, .. }) => key,
        other => panic!("{other:?}"),
    }
}

/// Runs the timers up to `until`, one millisecond step at a time where something is due,
/// and says at which times something was sent.
fn run(t: &mut Transactions, from: u64, until: u64) -> Vec<u64> {
    let mut at = Vec::new();
    let mut now = from;
    while let Some(due) = t.poll_timeout() {
        if due > until {
            break;
        }
        now = now.max(due);
        t.handle_timeout(now);
        if !sent(t).is_empty() {
            at.push(now);
        }
    }
    at
}

#[test]
fn an_invite_is_answered_trying_and_its_retransmission_absorbed() {
    let mut t = Transactions::default();
    t.receive(0, Message::Request(request("INVITE", "z9hG4bK1")), phone());
    assert_eq!(sent(&mut t), ["SIP/2.0 100 Trying"]);
    let _ = new_request(&mut t);
    t.receive(
        400,
        Message::Request(request("INVITE", "z9hG4bK1")),
        phone(),
    );
    assert_eq!(sent(&mut t), ["SIP/2.0 100 Trying"]);
    assert_eq!(
        t.poll_event(),
        None,
        "a retransmission is not a new request"
    );
}

#[test]
fn a_failure_is_retransmitted_until_the_ack() {
    let mut t = Transactions::default();
    let invite = request("INVITE", "z9hG4bK2");
    t.receive(0, Message::Request(invite.clone()), phone());
    let key = new_request(&mut t);
    sent(&mut t);
    t.respond(0, &key, Response::to(&invite, 486, "Busy Here", Some("b")))
        .unwrap();
    assert_eq!(sent(&mut t), ["SIP/2.0 486 Busy Here"]);
    assert_eq!(
        run(&mut t, 0, 3_600),
        [500, 1_500, 3_500],
        "Timer G doubles"
    );
    t.receive(3_600, Message::Request(request("ACK", "z9hG4bK2")), phone());
    assert_eq!(
        t.poll_event(),
        None,
        "the ACK of a failure stays in the transaction"
    );
    assert_eq!(run(&mut t, 3_600, 60_000), Vec::<u64>::new());
    assert!(t.is_empty(), "Timer I ended the transaction");
}

#[test]
fn a_2xx_is_retransmitted_until_its_ack_and_reported_when_none_comes() {
    let mut t = Transactions::default();
    let invite = request("INVITE", "z9hG4bK3");
    t.receive(0, Message::Request(invite.clone()), phone());
    let key = new_request(&mut t);
    sent(&mut t);
    t.respond(0, &key, Response::to(&invite, 200, "OK", Some("b")))
        .unwrap();
    sent(&mut t);
    assert_eq!(run(&mut t, 0, 7_600), [500, 1_500, 3_500, 7_500]);
    t.receive(
        7_600,
        Message::Request(request("ACK", "z9hG4bKother")),
        phone(),
    );
    assert!(matches!(t.poll_event(), Some(TxEvent::Ack { .. })));
    assert_eq!(run(&mut t, 7_600, 40_000), Vec::<u64>::new());
    assert!(t.is_empty());

    let invite = request("INVITE", "z9hG4bK4");
    t.receive(0, Message::Request(invite.clone()), phone());
    let key = new_request(&mut t);
    t.respond(0, &key, Response::to(&invite, 200, "OK", Some("b")))
        .unwrap();
    run(&mut t, 0, 40_000);
    assert_eq!(t.poll_event(), Some(TxEvent::NoAck { key }));
}

#[test]
fn a_cancel_is_answered_and_reported_once() {
    let mut t = Transactions::default();
    t.receive(0, Message::Request(request("INVITE", "z9hG4bK5")), phone());
    let key = new_request(&mut t);
    sent(&mut t);
    t.receive(10, Message::Request(request("CANCEL", "z9hG4bK5")), phone());
    assert_eq!(sent(&mut t), ["SIP/2.0 200 OK"]);
    assert_eq!(t.poll_event(), Some(TxEvent::Cancelled { key }));
    t.receive(
        20,
        Message::Request(request("CANCEL", "z9hG4bKnothing")),
        phone(),
    );
    assert_eq!(
        sent(&mut t),
        ["SIP/2.0 481 Call/Transaction Does Not Exist"]
    );
    assert_eq!(t.poll_event(), None);
}

fn respond_from_phone(t: &mut Transactions, req: &Request, now: u64, status: u16) {
    let resp = Response::to(req, status, "X", Some("p"));
    t.receive(now, Message::Response(resp), phone());
}

#[test]
fn our_options_retransmit_then_time_out() {
    let mut t = Transactions::default();
    let key = t.send_request(0, request("OPTIONS", "z9hG4bKo1"), phone());
    assert_eq!(sent(&mut t).len(), 1);
    let at = run(&mut t, 0, 40_000);
    assert_eq!(
        &at[..5],
        [500, 1_500, 3_500, 7_500, 11_500],
        "Timer E caps at T2"
    );
    assert_eq!(t.poll_event(), Some(TxEvent::Timeout { key }));
}

#[test]
fn our_invite_acks_a_failure_and_re_acks_its_retransmission() {
    let mut t = Transactions::default();
    let invite = request("INVITE", "z9hG4bKc1");
    let key = t.send_request(0, invite.clone(), phone());
    sent(&mut t);
    respond_from_phone(&mut t, &invite, 100, 180);
    assert!(
        matches!(t.poll_event(), Some(TxEvent::Response { response, .. }) if response.status == 180)
    );
    assert_eq!(
        run(&mut t, 100, 5_000),
        Vec::<u64>::new(),
        "no retransmission after a provisional"
    );
    run(&mut t, 5_000, 60_000);
    assert_eq!(
        t.poll_event(),
        None,
        "no Timer B once it rings: the phone rings as long as the caller lets it"
    );
    respond_from_phone(&mut t, &invite, 60_000, 486);
    assert_eq!(sent(&mut t), ["ACK sip:4000@127.0.0.1 SIP/2.0"]);
    respond_from_phone(&mut t, &invite, 60_100, 486);
    assert_eq!(sent(&mut t), ["ACK sip:4000@127.0.0.1 SIP/2.0"]);
    assert!(matches!(t.poll_event(), Some(TxEvent::Response { key: k, .. }) if k == key));
    assert_eq!(
        t.poll_event(),
        None,
        "the retransmitted failure is not reported twice"
    );
}

#[test]
fn reliable_transports_do_not_retransmit() {
    let mut t = Transactions::default();
    let tcp = Peer {
        transport: Transport::Tcp,
        addr: PHONE.parse().unwrap(),
    };
    t.send_request(0, request("OPTIONS", "z9hG4bKt1"), tcp);
    sent(&mut t);
    assert_eq!(run(&mut t, 0, 31_000), Vec::<u64>::new());
}

#[test]
fn beyond_the_bound_requests_get_503_without_state() {
    let mut t = Transactions {
        max_transactions: 1,
        ..Transactions::default()
    };
    t.receive(
        0,
        Message::Request(request("OPTIONS", "z9hG4bKf1")),
        phone(),
    );
    let _ = new_request(&mut t);
    t.receive(
        0,
        Message::Request(request("OPTIONS", "z9hG4bKf2")),
        phone(),
    );
    assert_eq!(sent(&mut t), ["SIP/2.0 503 Service Unavailable"]);
    assert_eq!(t.poll_event(), None);
    assert_eq!(t.len(), 1);
}

#[test]
fn while_shedding_new_calls_get_503_and_the_rest_goes_on() {
    let mut t = Transactions::default();
    let invite = request("INVITE", "z9hG4bKs1");
    t.receive(0, Message::Request(invite.clone()), phone());
    let _ = new_request(&mut t);
    assert_eq!(sent(&mut t), ["SIP/2.0 100 Trying"]);

    t.shed_new = true;
    // A new call is turned away, without state.
    t.receive(0, Message::Request(request("INVITE", "z9hG4bKs2")), phone());
    assert_eq!(sent(&mut t), ["SIP/2.0 503 Service Unavailable"]);
    assert_eq!((t.poll_event(), t.len()), (None, 1));
    // The call under way: its retransmission is absorbed as ever, its BYE is taken.
    t.receive(0, Message::Request(invite), phone());
    assert_eq!(sent(&mut t), ["SIP/2.0 100 Trying"]);
    let mut bye = request("BYE", "z9hG4bKs3");
    bye.core.to = bye.core.to.clone().with_tag("b");
    t.receive(0, Message::Request(bye), phone());
    let _ = new_request(&mut t);
    // A phone's registration is cheap and keeps it reachable: taken.
    t.receive(
        0,
        Message::Request(request("REGISTER", "z9hG4bKs4")),
        phone(),
    );
    let _ = new_request(&mut t);
}
