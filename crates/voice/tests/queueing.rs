//! A caller waiting in a queue with announcements and voicemail, on simulated time: the
//! place-in-line announcement every 30 s over the music, and when the engine gives up on
//! the wait, a greeting, the tone, the message recorded until `#`, the limit or a hang-up,
//! which becomes a callback task or a ticket as the queue says.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;
use switchboard_engine::ids::SkillQueueId;
use switchboard_voice::announce::VoicemailTo;
use switchboard_voice::{CallEvent, CallRef, LegId, MediaCommand, MediaEvent, Output, ReleasedBy};

const TRUNK: &str = "127.0.0.1:5090";

fn split(w: &mut World) -> (Vec<CallEvent>, Vec<MediaCommand>) {
    let mut calls = Vec::new();
    let mut media = Vec::new();
    for o in w.take_outputs() {
        match o {
            Output::Call(e) => calls.push(e),
            Output::Media(m) => media.push(m),
            Output::Registration(_) | Output::Trunk(_) => {}
        }
    }
    (calls, media)
}

/// A trunk call to 4100, waiting with music; its call and caller leg.
fn waiting(w: &mut World, id: &str) -> (CallRef, LegId) {
    let queue = w.announced;
    waiting_at(w, "4100", queue, id)
}

/// A trunk call to `number`, waiting with music in `queue`; its call and caller leg.
fn waiting_at(w: &mut World, number: &str, queue: SkillQueueId, id: &str) -> (CallRef, LegId) {
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
    assert_eq!(ok.status, 200);
    w.send(TRUNK, &in_dialog("ACK", TRUNK, &ok, 1, None));
    let (calls, media) = split(w);
    let Some(CallEvent::Queued { call, queue: q, .. }) = calls.get(1).cloned() else {
        panic!("{calls:?}")
    };
    assert_eq!(q, queue);
    let Some(MediaCommand::Open { leg, .. }) = media.first().cloned() else {
        panic!("{media:?}")
    };
    assert!(media.contains(&MediaCommand::Music { leg }));
    (call, leg)
}

fn played(media: &[MediaCommand]) -> Vec<String> {
    media
        .iter()
        .flat_map(|m| match m {
            MediaCommand::Play { prompts, .. } => prompts.clone(),
            _ => Vec::new(),
        })
        .collect()
}

#[test]
fn the_place_in_line_is_announced_every_thirty_seconds_over_the_music() {
    let mut w = World::new();
    let (call, leg) = waiting(&mut w, "an1");
    w.advance(29_999);
    assert!(split(&mut w).0.is_empty(), "nothing before 30 s");
    w.advance(1);
    let (calls, _) = split(&mut w);
    let tenant = w.tenant;
    assert_eq!(
        calls,
        [CallEvent::AnnouncementDue {
            call,
            tenant,
            queue: w.announced
        }]
    );
    w.switch.announce(w.now, call, Some(3), Some(150_000));
    w.collect();
    let (_, media) = split(&mut w);
    assert_eq!(
        played(&media).join(" "),
        "zh-position-1 zh-3 zh-position-2 zh-wait-1 zh-3 zh-wait-2 \
         en-position-1 en-3 en-position-2 en-wait-1 en-3 en-wait-2"
    );
    // No second announcement is asked for while one plays.
    w.advance(40_000);
    assert!(split(&mut w).0.is_empty());
    w.switch
        .handle_media(w.now, MediaEvent::PromptsDone { leg });
    w.collect();
    let (_, media) = split(&mut w);
    assert_eq!(media, [MediaCommand::Music { leg }], "the music comes back");
    w.advance(30_000);
    assert!(matches!(
        split(&mut w).0.as_slice(),
        [CallEvent::AnnouncementDue { .. }]
    ));
    // Not in line just now (being offered): no announcement, the next one is set.
    w.switch.announce(w.now, call, None, None);
    w.collect();
    assert!(played(&split(&mut w).1).is_empty());
    w.advance(30_000);
    assert_eq!(split(&mut w).0.len(), 1);
}

#[test]
fn a_queue_without_settings_announces_nothing_and_ends_at_its_timeout() {
    let mut w = World::new();
    w.send(
        TRUNK,
        &invite(TRUNK, "13800138000", "4000", "pl1", "z9hG4bKpl1", ""),
    );
    let ok = w.responses(TRUNK).pop().unwrap();
    w.send(TRUNK, &in_dialog("ACK", TRUNK, &ok, 1, None));
    let call = match split(&mut w).0.get(1) {
        Some(CallEvent::Queued { call, .. }) => *call,
        other => panic!("{other:?}"),
    };
    w.advance(300_000);
    assert!(split(&mut w).0.is_empty());
    w.switch.queue_timed_out(w.now, call);
    w.collect();
    let (calls, _) = split(&mut w);
    assert!(matches!(
        calls.as_slice(),
        [CallEvent::Ended {
            released_by: ReleasedBy::System,
            ..
        }]
    ));
}

/// The wait runs out on 4100's caller: greeting and tone; the recording starts.
fn leaving_a_message(w: &mut World, id: &str) -> (CallRef, LegId) {
    let (call, leg) = waiting(w, id);
    w.switch.queue_timed_out(w.now, call);
    w.collect();
    let (calls, media) = split(w);
    assert!(calls.is_empty(), "the call goes on: {calls:?}");
    assert_eq!(played(&media), ["zh-voicemail", "en-voicemail", "beep"]);
    w.advance(4_000);
    w.switch
        .handle_media(w.now, MediaEvent::PromptsDone { leg });
    w.collect();
    let (_, media) = split(w);
    assert_eq!(
        media,
        [MediaCommand::Record {
            call,
            caller: leg,
            callee: leg
        }]
    );
    (call, leg)
}

#[test]
fn a_message_ends_with_the_hash_key_and_becomes_a_callback() {
    let mut w = World::new();
    let (call, leg) = leaving_a_message(&mut w, "vm1");
    w.advance(12_000);
    w.switch
        .handle_media(w.now, MediaEvent::Digit { leg, digit: '5' });
    w.switch
        .handle_media(w.now, MediaEvent::Digit { leg, digit: '#' });
    w.collect();
    let (calls, media) = split(&mut w);
    assert_eq!(
        calls,
        [CallEvent::VoicemailLeft {
            call,
            tenant: w.tenant,
            to: VoicemailTo::Task(w.callbacks),
            caller: "+8613800138000".into(),
            duration_ms: 12_000,
        }]
    );
    assert_eq!(played(&media), ["zh-goodbye", "en-goodbye"]);
    w.switch
        .handle_media(w.now, MediaEvent::PromptsDone { leg });
    w.collect();
    let (calls, _) = split(&mut w);
    assert!(matches!(calls.as_slice(), [CallEvent::Ended { .. }]));
    assert_eq!(
        w.requests(TRUNK)
            .iter()
            .filter(|r| r.method == switchboard_sip::Method::Bye)
            .count(),
        1,
        "the caller is hung up after goodbye"
    );
}

#[test]
fn a_message_is_kept_when_the_caller_hangs_up_or_the_limit_comes() {
    let mut w = World::new();
    let (call, _) = leaving_a_message(&mut w, "vm2");
    w.advance(7_000);
    w.switch.release(w.now, call, ReleasedBy::Caller);
    w.collect();
    let (calls, _) = split(&mut w);
    assert!(matches!(
        calls.as_slice(),
        [
            CallEvent::VoicemailLeft {
                duration_ms: 7_000,
                ..
            },
            CallEvent::Ended { .. }
        ]
    ));

    let (call, _) = leaving_a_message(&mut w, "vm3");
    w.advance(60_000);
    let (calls, media) = split(&mut w);
    assert_eq!(
        calls,
        [CallEvent::VoicemailLeft {
            call,
            tenant: w.tenant,
            to: VoicemailTo::Task(w.callbacks),
            caller: "+8613800138000".into(),
            duration_ms: 60_000,
        }],
        "the limit ends it"
    );
    assert_eq!(played(&media), ["zh-goodbye", "en-goodbye"]);
}

#[test]
fn a_message_on_a_queue_set_to_tickets_names_the_ticket_type() {
    let mut w = World::new();
    let queue = w.ticketed;
    let (call, leg) = waiting_at(&mut w, "4200", queue, "tk1");
    w.switch.queue_timed_out(w.now, call);
    w.collect();
    let (calls, media) = split(&mut w);
    assert!(calls.is_empty(), "the call goes on: {calls:?}");
    assert_eq!(
        played(&media),
        ["en-voicemail", "beep"],
        "the queue speaks English"
    );
    w.switch
        .handle_media(w.now, MediaEvent::PromptsDone { leg });
    w.collect();
    assert!(split(&mut w).1.contains(&MediaCommand::Record {
        call,
        caller: leg,
        callee: leg
    }));
    w.advance(5_000);
    w.switch
        .handle_media(w.now, MediaEvent::Digit { leg, digit: '#' });
    w.collect();
    let (calls, _) = split(&mut w);
    assert_eq!(
        calls,
        [CallEvent::VoicemailLeft {
            call,
            tenant: w.tenant,
            to: VoicemailTo::Ticket(w.complaints),
            caller: "+8613800138000".into(),
            duration_ms: 5_000,
        }]
    );
    // Its limit is the queue's: 30 s.
    let (call, leg) = waiting_at(&mut w, "4200", queue, "tk2");
    w.switch.queue_timed_out(w.now, call);
    w.collect();
    split(&mut w);
    w.switch
        .handle_media(w.now, MediaEvent::PromptsDone { leg });
    w.collect();
    split(&mut w);
    w.advance(30_000);
    assert!(matches!(
        split(&mut w).0.as_slice(),
        [CallEvent::VoicemailLeft {
            duration_ms: 30_000,
            to: VoicemailTo::Ticket(_),
            ..
        }]
    ));
}

#[test]
fn a_caller_hanging_up_during_the_greeting_leaves_no_message() {
    let mut w = World::new();
    let (call, _) = waiting(&mut w, "vm4");
    w.switch.queue_timed_out(w.now, call);
    w.collect();
    split(&mut w);
    w.switch.release(w.now, call, ReleasedBy::Caller);
    w.collect();
    let (calls, _) = split(&mut w);
    assert!(matches!(calls.as_slice(), [CallEvent::Ended { .. }]));
}
