//! Outbound calls on simulated time: the agent's phone, then the customer through the
//! caller number's trunk, ringback or early media, the bridge and recording; busy, no
//! answer and either side hanging up at each step leave nothing behind; and the
//! destination rules, the caller number and the agent's phone are checked before anything
//! is sent.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_engine::ids::SipTrunkId;
use switchboard_sip::digest::{ha1, Algorithm, Credentials};
use switchboard_sip::message::Message;
use switchboard_sip::{Method, Request};
use switchboard_voice::call::CallRef;
use switchboard_voice::destinations::{OutboundPolicy, Refusal};
use switchboard_voice::directory::{HotlineNumber, Route, Trunk, TrunkCredentials, TrunkOutbound};
use switchboard_voice::outbound::{CUSTOMER_RING_MS, RINGBACK};
use switchboard_voice::{
    CallEvent, Control, Dial, DialError, LegId, MediaCommand, Party, ReleasedBy,
};

const CARRIER: &str = "127.0.0.1:5070";
const PHONE1: &str = "127.0.0.1:6001";
const CUSTOMER: &str = "+8613800138000";
const PRESENTED: &str = "95000";

fn world() -> World {
    world_with(None)
}

/// The world with a trunk that answers challenges with `credentials`.
fn world_with(credentials: Option<TrunkCredentials>) -> World {
    let carrier = SipTrunkId::new();
    let mut w = World::with(|dir, tenant| {
        dir.add_trunk(Trunk {
            id: carrier,
            tenant,
            name: "carrier".into(),
            peers: vec![],
            registration: None,
            outbound: Some(TrunkOutbound {
                proxy: addr(CARRIER),
                domain: "carrier.example".into(),
                credentials: credentials.clone(),
            }),
        });
        dir.add_number(HotlineNumber {
            tenant,
            number: PRESENTED.into(),
            inbound: false,
            survey: false,
            route: Route::Extension("1001".into()),
            outbound_trunk: Some(carrier),
        });
    });
    assert_eq!(w.register_phone(PHONE1, "1001", PASSWORD), 200);
    w.take_outputs();
    w
}

fn dial(w: &mut World, number: &str) -> Result<CallRef, DialError> {
    let d = Dial {
        tenant: w.tenant,
        agent: w.agents[0],
        number: number.into(),
        caller_number: PRESENTED.into(),
    };
    let placed = w.switch.dial(w.now, d);
    w.collect();
    placed
}

struct Dialled {
    call: CallRef,
    agent_leg: LegId,
    /// Our INVITE to the agent's phone, and to the customer.
    ring: Request,
    out: Request,
}

/// Dials the customer; the agent's phone answers; returns our INVITE to the carrier.
fn dial_and_pick_up(w: &mut World) -> Dialled {
    let call = dial(w, "138 0013 8000").unwrap();
    let ring = w.requests(PHONE1).pop().unwrap();
    // The phone picks up by itself and shows whom the agent calls.
    assert!(ring
        .headers
        .get("Call-Info")
        .unwrap()
        .contains("answer-after=0"));
    assert_eq!(
        ring.core.from.uri.as_sip().unwrap().user_decoded().unwrap(),
        CUSTOMER
    );
    let out = w.take_outputs();
    let agent_leg = opened(&out);
    let started = CallEvent::Started {
        call,
        tenant: w.tenant,
        caller: PRESENTED.into(),
        dialled: CUSTOMER.into(),
        placed_by: Some(w.agents[0]),
    };
    assert_eq!(calls(&out), [started]);
    assert!(
        w.requests(CARRIER).is_empty(),
        "the customer is called after the agent answers"
    );
    w.send_message(
        PHONE1,
        &answer(&ring, 200, "a1", &format!("1001@{PHONE1}"), Some(42_000)),
    );
    let out = w
        .requests(PHONE1)
        .into_iter()
        .chain(w.requests(CARRIER))
        .find(|r| r.method == Method::Invite)
        .unwrap();
    assert_eq!(
        out.uri.to_string(),
        format!("sip:{CUSTOMER}@carrier.example")
    );
    assert_eq!(
        out.core.from.uri.as_sip().unwrap().user_decoded().unwrap(),
        PRESENTED
    );
    Dialled {
        call,
        agent_leg,
        ring,
        out,
    }
}

/// The carrier answers our INVITE `out` (with SDP when `sdp_port` is given).
fn carrier_answers(w: &mut World, out: &Request, status: u16, tag: &str, sdp_port: Option<u16>) {
    w.send_message(
        CARRIER,
        &answer(out, status, tag, "c@127.0.0.1:5070", sdp_port),
    );
}

/// The customer's BYE in the dialog their answer to `out` made.
fn customer_bye(out: &Request) -> String {
    phone_bye(CARRIER, out, "cust")
}

fn ended(w: &mut World) -> Option<(ReleasedBy, u16)> {
    calls(&w.take_outputs()).into_iter().find_map(|e| match e {
        CallEvent::Ended {
            released_by,
            status,
            ..
        } => Some((released_by, status)),
        _ => None,
    })
}

#[test]
fn the_agent_hears_ringback_then_talks_with_the_customer_on_a_recorded_call() {
    let mut w = world();
    let d = dial_and_pick_up(&mut w);
    let customer_leg = opened(&w.take_outputs());
    carrier_answers(&mut w, &d.out, 180, "cust", None);
    let ringback = media(&w.take_outputs());
    assert!(
        ringback.iter().any(|m| matches!(m, MediaCommand::Play { leg, prompts, .. } if *leg == d.agent_leg && prompts[0] == RINGBACK)),
        "{ringback:?}"
    );
    carrier_answers(&mut w, &d.out, 200, "cust", Some(43_000));
    let out = w.take_outputs();
    let m = media(&out);
    assert!(m.contains(&MediaCommand::StopPrompts { leg: d.agent_leg }));
    assert!(m.contains(&MediaCommand::Bridge {
        a: customer_leg,
        b: d.agent_leg
    }));
    assert!(m.contains(&MediaCommand::Record {
        call: d.call,
        caller: customer_leg,
        callee: d.agent_leg
    }));
    assert!(calls(&out).contains(&CallEvent::Connected { call: d.call }));
    assert_eq!(w.requests(CARRIER).pop().unwrap().method, Method::Ack);
    // The call is like any other now: hold plays music to the customer.
    w.switch.control(w.now, d.call, Control::Hold).unwrap();
    w.collect();
    assert!(media(&w.take_outputs()).contains(&MediaCommand::Music { leg: customer_leg }));
    w.send(CARRIER, &customer_bye(&d.out));
    assert_eq!(w.requests(PHONE1).pop().unwrap().method, Method::Bye);
    assert_eq!(
        ended(&mut w),
        Some((ReleasedBy::Callee(Party::Customer), 200))
    );
    let _ = d.ring;
}

/// The carrier's 407 to our INVITE `out`, asking for the account of realm carrier.example.
fn carrier_challenges(w: &mut World, out: &Request) {
    let Message::Response(mut resp) = answer(out, 407, "auth", "c@127.0.0.1:5070", None) else {
        unreachable!()
    };
    resp.headers.push(
        "Proxy-Authenticate",
        r#"Digest realm="carrier.example", nonce="4e6f6e6365", qop="auth""#,
    );
    w.send_message(CARRIER, &Message::Response(resp));
}

fn account() -> TrunkCredentials {
    TrunkCredentials {
        username: "8610".into(),
        password: "s3cret 密".into(),
    }
}

#[test]
fn a_carrier_that_challenges_the_invite_gets_the_trunks_account_and_the_call_goes_on() {
    let mut w = world_with(Some(account()));
    let d = dial_and_pick_up(&mut w);
    w.take_outputs();
    carrier_challenges(&mut w, &d.out);
    let sent = w.requests(CARRIER);
    assert_eq!(sent[0].method, Method::Ack, "the 407 is acknowledged");
    let again = sent.iter().find(|r| r.method == Method::Invite).unwrap();
    assert_eq!(again.core.call_id, d.out.core.call_id);
    assert_eq!(again.core.from.tag(), d.out.core.from.tag());
    assert_eq!(again.core.cseq.seq, d.out.core.cseq.seq + 1);
    assert_ne!(again.core.via[0].branch(), d.out.core.via[0].branch());
    assert_eq!(again.body, d.out.body, "the same offer");
    let answer = again.headers.get("Proxy-Authorization").unwrap();
    let creds = Credentials::parse(answer).unwrap();
    assert_eq!(
        (creds.username.as_str(), creds.realm.as_str()),
        ("8610", "carrier.example")
    );
    let key = ha1(Algorithm::Md5, "8610", "carrier.example", "s3cret 密");
    assert!(creds.verify("INVITE", &key), "{answer}");
    assert!(!answer.contains("s3cret"), "never the password itself");

    carrier_answers(&mut w, again, 200, "cust", Some(43_000));
    let out = w.take_outputs();
    assert!(calls(&out).contains(&CallEvent::Connected { call: d.call }));
    assert_eq!(w.requests(CARRIER).pop().unwrap().method, Method::Ack);
}

#[test]
fn a_second_challenge_or_a_trunk_without_an_account_ends_the_call() {
    let mut w = world_with(Some(account()));
    let d = dial_and_pick_up(&mut w);
    w.take_outputs();
    carrier_challenges(&mut w, &d.out);
    let again = w
        .requests(CARRIER)
        .into_iter()
        .find(|r| r.method == Method::Invite)
        .unwrap();
    carrier_challenges(&mut w, &again);
    assert!(
        w.requests(CARRIER).iter().all(|r| r.method == Method::Ack),
        "a refused account is not tried again"
    );
    assert_eq!(w.requests(PHONE1).pop().unwrap().method, Method::Bye);
    assert_eq!(
        ended(&mut w),
        Some((ReleasedBy::Callee(Party::Customer), 407))
    );

    let mut w = world();
    let d = dial_and_pick_up(&mut w);
    w.take_outputs();
    carrier_challenges(&mut w, &d.out);
    assert!(w.requests(CARRIER).iter().all(|r| r.method == Method::Ack));
    assert_eq!(w.requests(PHONE1).pop().unwrap().method, Method::Bye);
    assert_eq!(
        ended(&mut w),
        Some((ReleasedBy::Callee(Party::Customer), 407))
    );
}

#[test]
fn a_busy_customer_ends_the_call_and_the_agents_phone() {
    let mut w = world();
    let d = dial_and_pick_up(&mut w);
    w.take_outputs();
    carrier_answers(&mut w, &d.out, 486, "cust", None);
    assert_eq!(w.requests(PHONE1).pop().unwrap().method, Method::Bye);
    assert_eq!(
        ended(&mut w),
        Some((ReleasedBy::Callee(Party::Customer), 486))
    );
}

#[test]
fn a_customer_who_does_not_answer_is_given_up_after_a_minute() {
    let mut w = world();
    let d = dial_and_pick_up(&mut w);
    carrier_answers(&mut w, &d.out, 180, "cust", None);
    w.take_outputs();
    w.advance(CUSTOMER_RING_MS - 1_000);
    assert!(ended(&mut w).is_none(), "the carrier lets it ring");
    w.advance(2_000);
    let to_carrier: Vec<_> = w
        .requests(CARRIER)
        .iter()
        .map(|r| r.method.clone())
        .collect();
    assert!(to_carrier.contains(&Method::Cancel), "{to_carrier:?}");
    assert_eq!(w.requests(PHONE1).pop().unwrap().method, Method::Bye);
    assert_eq!(
        ended(&mut w),
        Some((ReleasedBy::Callee(Party::Customer), 480))
    );
}

#[test]
fn the_agent_hanging_up_while_the_customer_rings_cancels_the_customer() {
    let mut w = world();
    let d = dial_and_pick_up(&mut w);
    carrier_answers(&mut w, &d.out, 180, "cust", None);
    w.take_outputs();
    w.send(PHONE1, &phone_bye(PHONE1, &d.ring, "a1"));
    let to_carrier: Vec<_> = w
        .requests(CARRIER)
        .iter()
        .map(|r| r.method.clone())
        .collect();
    assert_eq!(to_carrier, [Method::Cancel]);
    assert_eq!(
        ended(&mut w),
        Some((ReleasedBy::Callee(Party::Agent(w.agents[0])), 200))
    );
}

#[test]
fn the_carriers_early_media_reaches_the_agent_instead_of_our_ringback() {
    let mut w = world();
    let d = dial_and_pick_up(&mut w);
    let customer_leg = opened(&w.take_outputs());
    carrier_answers(&mut w, &d.out, 183, "cust", Some(43_000));
    let m = media(&w.take_outputs());
    assert!(m.contains(&MediaCommand::Hear {
        leg: d.agent_leg,
        from: vec![customer_leg]
    }));
    assert!(!m.iter().any(|c| matches!(c, MediaCommand::Play { .. })));
}

#[test]
fn an_agent_phone_that_does_not_pick_up_never_reaches_the_trunk() {
    let mut w = world();
    dial(&mut w, CUSTOMER).unwrap();
    w.take_outputs();
    w.advance(31_000);
    assert!(w.requests(CARRIER).is_empty());
    assert_eq!(ended(&mut w), Some((ReleasedBy::System, 480)));
}

#[test]
fn refused_numbers_and_callers_send_nothing() {
    let mut w = world();
    let cases: [(&str, DialError); 4] = [
        ("+16505550100", DialError::Refused(Refusal::NoRule)),
        (
            "16812345678",
            DialError::Refused(Refusal::Denied("声讯台".into())),
        ),
        ("95588", DialError::Refused(Refusal::NoRule)),
        ("call me", DialError::BadNumber),
    ];
    for (number, why) in cases {
        assert_eq!(dial(&mut w, number), Err(why), "{number}");
    }
    let mut d = Dial {
        tenant: w.tenant,
        agent: w.agents[0],
        number: CUSTOMER.into(),
        caller_number: "4000".into(),
    };
    assert_eq!(
        w.switch.dial(w.now, d.clone()),
        Err(DialError::NotOutboundNumber)
    );
    d.caller_number = PRESENTED.into();
    d.agent = w.agents[1];
    assert_eq!(w.switch.dial(w.now, d), Err(DialError::NoPhone));
    w.collect();
    assert!(w.sent.is_empty(), "{:?}", w.sent);
    assert!(w.take_outputs().is_empty());
}

#[test]
fn a_tenants_own_rules_replace_the_default_ones() {
    let mut w = world();
    let mut policy = OutboundPolicy::default();
    policy.rules.retain(|r| !r.allow);
    let mut dir = w.switch.directory().clone();
    dir.set_outbound_policy(w.tenant, policy);
    w.switch.set_directory(w.now, dir);
    assert_eq!(
        dial(&mut w, CUSTOMER),
        Err(DialError::Refused(Refusal::NoRule))
    );
    assert!(w.requests(PHONE1).is_empty());
}

#[test]
fn one_outbound_call_at_a_time() {
    let mut w = world();
    dial(&mut w, CUSTOMER).unwrap();
    assert_eq!(dial(&mut w, "13900139000"), Err(DialError::OnACall));
}

mod toll_fraud {
    //! Whatever the agent asks and whatever the tenant's rules, an INVITE reaches the trunk
    //! only for a number the rules allow, through the caller number's own trunk.

    use super::*;
    use proptest::prelude::*;
    use switchboard_voice::destinations::DestinationRule;
    use switchboard_voice::directory::normalize_number;

    fn rule() -> impl Strategy<Value = DestinationRule> {
        (
            prop::sample::select(vec!["+86", "+861", "+86168", "+1", "+44", "9", "95", "+"]),
            1u8..16,
            0u8..8,
            any::<bool>(),
        )
            .prop_map(|(prefix, min, extra, allow)| DestinationRule {
                prefix: prefix.into(),
                min_digits: min,
                max_digits: min.saturating_add(extra),
                allow,
                label: "r".into(),
            })
    }

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            "1[3-9][0-9]{9}",
            "0[1-9][0-9]{9,10}",
            "\\+[1-9][0-9]{6,14}",
            "00[1-9][0-9]{6,12}",
            "168[0-9]{5,8}",
            "9[0-9]{2,6}",
            "[0-9+ ()-]{0,20}",
            ".{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn only_allowed_numbers_reach_the_trunk(
            rules in prop::collection::vec(rule(), 0..5),
            dials in prop::collection::vec((number(), prop::sample::select(vec![PRESENTED, "4000", "1001", ""])), 1..6),
        ) {
            let mut w = world();
            let policy = OutboundPolicy { rules, daily_limit: None };
            let mut dir = w.switch.directory().clone();
            dir.set_outbound_policy(w.tenant, policy.clone());
            w.switch.set_directory(w.now, dir);
            for (raw, caller) in dials {
                let d = Dial {
                    tenant: w.tenant,
                    agent: w.agents[0],
                    number: raw.clone(),
                    caller_number: caller.into(),
                };
                let placed = w.switch.dial(w.now, d);
                w.collect();
                if let Ok(call) = placed {
                    // The agent's phone answers: only now may the trunk hear of it.
                    let ring = w.requests(PHONE1).into_iter().find(|r| r.method == Method::Invite).unwrap();
                    w.send_message(PHONE1, &answer(&ring, 200, "a", &format!("1001@{PHONE1}"), Some(42_000)));
                    w.switch.release(w.now, call, ReleasedBy::System);
                    w.collect();
                    w.advance(40_000);
                }
                for r in w.requests(CARRIER) {
                    if r.method != Method::Invite {
                        continue;
                    }
                    let user = r.uri.as_sip().and_then(|u| u.user_decoded()).unwrap();
                    prop_assert_eq!(policy.check(&user), Ok(()), "{} reached the trunk", user);
                    prop_assert_eq!(Some(user), normalize_number(&raw, "86"));
                    prop_assert_eq!(caller, PRESENTED);
                }
                w.sent.clear();
            }
        }
    }
}

mod hand_out {
    //! The agent hands the customer out of the center: an outside number through the
    //! trunk (the rules apply), an IVR node, the survey. The agent leaves; the call goes on.

    use super::*;
    use switchboard_engine::ids::IvrFlowId;
    use switchboard_voice::handout::HandOut;
    use switchboard_voice::ControlError;

    const TRUNK: &str = "127.0.0.1:5090";

    struct Talking {
        call: CallRef,
        caller: LegId,
        agent_ring: Request,
        ok: switchboard_sip::Response,
    }

    /// A trunk call to 4000, answered by agent1's phone.
    fn talking(w: &mut World, id: &str) -> Talking {
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
        let out = w.take_outputs();
        let caller = opened(&out);
        let call = calls(&out)
            .into_iter()
            .find_map(|e| match e {
                CallEvent::Queued { call, .. } => Some(call),
                _ => None,
            })
            .unwrap();
        w.switch.offer(w.now, call, w.agents[0], false);
        w.collect();
        let agent_ring = w.requests(PHONE1).pop().unwrap();
        w.send_message(
            PHONE1,
            &answer(
                &agent_ring,
                200,
                "a1",
                &format!("1001@{PHONE1}"),
                Some(42_000),
            ),
        );
        w.take_outputs();
        w.requests(PHONE1);
        Talking {
            call,
            caller,
            agent_ring,
            ok,
        }
    }

    fn handed_out(out: &[switchboard_voice::Output]) -> Option<HandOut> {
        calls(out).into_iter().find_map(|e| match e {
            CallEvent::HandedOut { to, .. } => Some(to),
            _ => None,
        })
    }

    #[test]
    fn an_outside_number_gets_the_customer_through_the_trunk_and_the_agent_leaves() {
        let mut w = world();
        let t = talking(&mut w, "x1");
        let refused = Control::TransferOut {
            number: "16812345678".into(),
            caller_number: PRESENTED.into(),
        };
        assert_eq!(
            w.switch.control(w.now, t.call, refused),
            Err(ControlError::DestinationRefused)
        );
        let not_ours = Control::TransferOut {
            number: "010-12345678".into(),
            caller_number: "4000".into(),
        };
        assert_eq!(
            w.switch.control(w.now, t.call, not_ours),
            Err(ControlError::NotOutboundNumber)
        );
        w.collect();
        assert!(
            w.sent.is_empty() && w.take_outputs().is_empty(),
            "refusals change nothing"
        );

        let out = Control::TransferOut {
            number: "010-12345678".into(),
            caller_number: PRESENTED.into(),
        };
        w.switch.control(w.now, t.call, out).unwrap();
        w.collect();
        assert_eq!(
            w.requests(PHONE1).pop().unwrap().method,
            Method::Bye,
            "the agent leaves"
        );
        let invite = w.requests(CARRIER).pop().unwrap();
        assert_eq!(invite.uri.to_string(), "sip:+861012345678@carrier.example");
        assert_eq!(
            invite
                .core
                .from
                .uri
                .as_sip()
                .unwrap()
                .user_decoded()
                .unwrap(),
            PRESENTED
        );
        let out = w.take_outputs();
        assert!(media(&out).contains(&MediaCommand::Music { leg: t.caller }));
        assert_eq!(
            handed_out(&out),
            Some(HandOut::Number("+861012345678".into()))
        );
        let outside = opened(&out);
        carrier_answers(&mut w, &invite, 200, "out", Some(43_000));
        let m = media(&w.take_outputs());
        assert!(
            m.contains(&MediaCommand::Bridge {
                a: t.caller,
                b: outside
            }),
            "{m:?}"
        );
        w.send(CARRIER, &phone_bye(CARRIER, &invite, "out"));
        assert_eq!(w.requests(TRUNK).pop().unwrap().method, Method::Bye);
        assert_eq!(
            ended(&mut w),
            Some((ReleasedBy::Callee(Party::Destination), 200))
        );
        let _ = (t.ok, t.agent_ring);
    }

    #[test]
    fn the_customer_can_be_sent_to_the_survey_or_an_ivr_node() {
        let flow_id = IvrFlowId::new();
        let mut w = world();
        let mut dir = w.switch.directory().clone();
        dir.add_flow(w.tenant, flow_id, std::sync::Arc::new(menu(w.queue)));
        w.switch.set_directory(w.now, dir);

        let t = talking(&mut w, "s1");
        w.switch.control(w.now, t.call, Control::ToSurvey).unwrap();
        w.collect();
        assert_eq!(w.requests(PHONE1).pop().unwrap().method, Method::Bye);
        let out = w.take_outputs();
        assert_eq!(handed_out(&out), Some(HandOut::Survey));
        assert!(calls(&out)
            .iter()
            .any(|e| matches!(e, CallEvent::SurveyStarted { .. })));
        assert!(media(&out).iter().any(|m| matches!(m, MediaCommand::Play { leg, prompts, .. } if *leg == t.caller && prompts[0].ends_with("survey"))));

        let t = talking(&mut w, "f1");
        let nowhere = Control::ToFlow {
            flow: flow_id,
            node: Some("nowhere".into()),
        };
        assert_eq!(
            w.switch.control(w.now, t.call, nowhere),
            Err(ControlError::NoSuchFlow)
        );
        let sales = Control::ToFlow {
            flow: flow_id,
            node: Some("sales".into()),
        };
        w.switch.control(w.now, t.call, sales).unwrap();
        w.collect();
        let out = w.take_outputs();
        assert_eq!(handed_out(&out), Some(HandOut::Flow("demo".into())));
        assert!(
            calls(&out)
                .iter()
                .any(|e| matches!(e, CallEvent::Queued { path, .. } if path.contains("售前"))),
            "the sales node queues the customer again: {out:?}"
        );
    }

    #[test]
    fn an_outside_number_is_consulted_joined_and_handed_the_customer() {
        let mut w = world();
        let t = talking(&mut w, "c1");
        let premium = Control::ConsultNumber {
            number: "16812345678".into(),
            caller_number: PRESENTED.into(),
        };
        assert_eq!(
            w.switch.control(w.now, t.call, premium),
            Err(ControlError::DestinationRefused)
        );
        let consult = Control::ConsultNumber {
            number: "010-12345678".into(),
            caller_number: PRESENTED.into(),
        };
        w.switch.control(w.now, t.call, consult).unwrap();
        w.collect();
        let out = w.take_outputs();
        assert!(
            media(&out).contains(&MediaCommand::Music { leg: t.caller }),
            "the customer holds"
        );
        let outside = opened(&out);
        let invite = w.requests(CARRIER).pop().unwrap();
        assert_eq!(invite.uri.to_string(), "sip:+861012345678@carrier.example");
        assert_eq!(
            invite
                .core
                .from
                .uri
                .as_sip()
                .unwrap()
                .user_decoded()
                .unwrap(),
            PRESENTED
        );
        carrier_answers(&mut w, &invite, 200, "out", Some(43_000));
        let out = w.take_outputs();
        assert!(calls(&out).iter().any(|e| matches!(
            e,
            CallEvent::Third {
                mode: switchboard_voice::third::ThirdMode::Consulting,
                ..
            }
        )));
        w.switch.control(w.now, t.call, Control::JoinAll).unwrap();
        w.collect();
        let m = media(&w.take_outputs());
        assert!(m.iter().any(|c| matches!(c, MediaCommand::Hear { leg, from } if *leg == outside && from.contains(&t.caller))), "{m:?}");
        w.switch
            .control(w.now, t.call, Control::CompleteTransfer)
            .unwrap();
        w.collect();
        assert_eq!(
            w.requests(PHONE1).pop().unwrap().method,
            Method::Bye,
            "the agent leaves"
        );
        assert_eq!(
            handed_out(&w.take_outputs()),
            Some(HandOut::Number("+861012345678".into()))
        );
        w.send(TRUNK, &in_dialog("BYE", TRUNK, &t.ok, 2, None));
        assert_eq!(w.requests(CARRIER).pop().unwrap().method, Method::Bye);
        assert_eq!(ended(&mut w), Some((ReleasedBy::Caller, 200)));
    }
}
