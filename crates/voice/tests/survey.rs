//! The satisfaction survey on simulated time: on a number with the survey on, the agent's
//! release leaves the customer on the line to rate 1-5; a bad key or silence asks again,
//! then the call ends unrated; a customer hanging up first is unrated too.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_sip::{Method, Response};
use switchboard_voice::call::CallRef;
use switchboard_voice::media::MediaEvent;
use switchboard_voice::{CallEvent, LegId, MediaCommand, Output, Party, ReleasedBy};

const TRUNK: &str = "127.0.0.1:5090";
const PHONE: &str = "127.0.0.1:6001";

struct Talking {
    call: CallRef,
    ok: Response,
    caller: LegId,
}

fn events(out: &[Output]) -> Vec<CallEvent> {
    out.iter()
        .filter_map(|o| match o {
            Output::Call(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

fn played(out: &[Output]) -> Vec<Vec<String>> {
    out.iter()
        .filter_map(|o| match o {
            Output::Media(MediaCommand::Play { prompts, .. }) => Some(prompts.clone()),
            _ => None,
        })
        .collect()
}

/// A call to `number` answered by agent 1's phone.
fn talking(w: &mut World, number: &str, id: &str) -> Talking {
    assert_eq!(w.register_phone(PHONE, "1001", PASSWORD), 200);
    w.take_outputs();
    w.send(
        TRUNK,
        &invite(
            TRUNK,
            "13800138000",
            number,
            id,
            &format!("z9hG4bK{id}"),
            "",
        ),
    );
    let ok = w.responses(TRUNK).pop().unwrap();
    let out = w.take_outputs();
    let Some(CallEvent::Queued { call, .. }) = events(&out).get(1).cloned() else {
        panic!("{out:?}")
    };
    let caller = out
        .iter()
        .find_map(|o| match o {
            Output::Media(MediaCommand::Open { leg, .. }) => Some(*leg),
            _ => None,
        })
        .unwrap();
    w.switch.offer(w.now, call, w.agents[0], false);
    w.collect();
    let ring = w.requests(PHONE).pop().unwrap();
    w.send_message(
        PHONE,
        &answer(&ring, 200, "a1", "1001@127.0.0.1:6001", Some(42_000)),
    );
    w.take_outputs();
    Talking { call, ok, caller }
}

fn agent1(w: &World) -> ReleasedBy {
    ReleasedBy::Callee(Party::Agent(w.agents[0]))
}

#[test]
fn the_customer_rates_after_the_agent_releases() {
    let mut w = World::new();
    let t = talking(&mut w, "4300", "s1");
    w.switch.release(w.now, t.call, agent1(&w));
    w.collect();
    let out = w.take_outputs();
    assert!(events(&out).contains(&CallEvent::SurveyStarted {
        call: t.call,
        released_by: agent1(&w)
    }));
    assert_eq!(played(&out), [["zh-survey", "en-survey"]]);
    assert!(
        w.requests(PHONE).iter().any(|r| r.method == Method::Bye),
        "the agent is released at once"
    );
    assert!(
        !w.requests(TRUNK).iter().any(|r| r.method == Method::Bye),
        "the customer stays"
    );
    // The contact's wrap-up or close does not cut the survey short.
    w.switch.release(w.now, t.call, ReleasedBy::System);
    w.collect();
    assert!(w.take_outputs().is_empty());

    w.switch.handle_media(
        w.now,
        MediaEvent::Digit {
            leg: t.caller,
            digit: '4',
        },
    );
    w.collect();
    let out = w.take_outputs();
    assert!(events(&out).contains(&CallEvent::Rated {
        call: t.call,
        score: Some(4)
    }));
    assert_eq!(played(&out), [["zh-survey-thanks", "en-survey-thanks"]]);
    w.switch
        .handle_media(w.now, MediaEvent::PromptsDone { leg: t.caller });
    w.collect();
    let out = w.take_outputs();
    assert!(
        events(&out).iter().any(|e| matches!(
            e,
            CallEvent::Ended { released_by, .. } if *released_by == agent1(&w)
        )),
        "the call ends as the agent's release: {out:?}"
    );
    assert!(w.requests(TRUNK).iter().any(|r| r.method == Method::Bye));
}

#[test]
fn a_bad_key_asks_again_and_silence_then_ends_unrated() {
    let mut w = World::new();
    let t = talking(&mut w, "4300", "s2");
    w.switch.release(w.now, t.call, agent1(&w));
    w.collect();
    w.take_outputs();
    w.switch.handle_media(
        w.now,
        MediaEvent::Digit {
            leg: t.caller,
            digit: '9',
        },
    );
    w.collect();
    assert_eq!(
        played(&w.take_outputs()),
        [["zh-survey", "en-survey"]],
        "asked again"
    );
    w.switch
        .handle_media(w.now, MediaEvent::PromptsDone { leg: t.caller });
    w.collect();
    w.advance(switchboard_voice::survey::ANSWER_MS + 10);
    let out = w.take_outputs();
    assert!(events(&out).contains(&CallEvent::Rated {
        call: t.call,
        score: None
    }));
    assert_eq!(played(&out), [["zh-goodbye", "en-goodbye"]]);
}

#[test]
fn hanging_up_before_or_during_the_survey_is_not_rated() {
    for during in [false, true] {
        let mut w = World::new();
        let t = talking(&mut w, "4300", if during { "s3" } else { "s4" });
        if during {
            w.switch.release(w.now, t.call, agent1(&w));
            w.collect();
            w.take_outputs();
        }
        w.send(TRUNK, &in_dialog("BYE", TRUNK, &t.ok, 2, None));
        let out = w.take_outputs();
        assert!(
            events(&out).contains(&CallEvent::Rated {
                call: t.call,
                score: None
            }),
            "during {during}: {out:?}"
        );
    }
}

#[test]
fn without_the_survey_the_release_ends_the_call() {
    let mut w = World::new();
    let t = talking(&mut w, "4000", "s5");
    w.switch.release(w.now, t.call, agent1(&w));
    w.collect();
    let out = w.take_outputs();
    assert!(events(&out)
        .iter()
        .any(|e| matches!(e, CallEvent::Ended { .. })));
    assert!(!events(&out)
        .iter()
        .any(|e| matches!(e, CallEvent::Rated { .. } | CallEvent::SurveyStarted { .. })));
}
