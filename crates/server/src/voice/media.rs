//! The media runner: one task per call owning a `switchboard_media::Session` and the UDP
//! sockets of its legs (RTP on the even port, RTCP on the next). It takes the switch's
//! media commands, sends what the session gives, writes the recording, and reports digits
//! and failures back. It never touches the database; packets are read into one buffer per
//! call, so the hot loop allocates nothing.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::task::Poll;

use switchboard_media::leg::LegConfig;
use switchboard_media::player::{PlayerEvent, Prompt};
use switchboard_media::recorder::Recorder;
use switchboard_media::rtp::looks_like_rtcp;
use switchboard_media::session::{Event, Output, Session, Source};
use switchboard_media::wav::WavFormat;
use switchboard_media::{g711, session};
use switchboard_sip::sdp::Codec;
use switchboard_voice::call::CallRef;
use switchboard_voice::{LegId, MediaCommand, MediaEvent};
use tokio::io::ReadBuf;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::prompts;
use super::recordings::RecordingFile;
use super::runtime::Input;
use super::uploads::UploadedPrompts;
use crate::clock::MediaClock;

/// What a call's media task is told.
enum CallMedia {
    Command(MediaCommand),
    Record {
        caller: LegId,
        callee: LegId,
        file: RecordingFile,
    },
}

pub struct MediaRunner {
    calls: HashMap<CallRef, mpsc::UnboundedSender<CallMedia>>,
    legs: HashMap<LegId, CallRef>,
    bind: IpAddr,
    clock: MediaClock,
    events: mpsc::Sender<Input>,
    /// Built-in and uploaded prompts, all in memory.
    prompts: Arc<UploadedPrompts>,
}

impl MediaRunner {
    pub fn new(bind: IpAddr, events: mpsc::Sender<Input>, prompts: Arc<UploadedPrompts>) -> Self {
        Self {
            calls: HashMap::new(),
            legs: HashMap::new(),
            bind,
            clock: MediaClock::start(),
            events,
            prompts,
        }
    }

    pub fn command(&mut self, cmd: MediaCommand) {
        let call = match &cmd {
            MediaCommand::Open { call, leg, .. } => {
                self.legs.insert(*leg, *call);
                Some(*call)
            }
            MediaCommand::Remote { leg, .. }
            | MediaCommand::Close { leg }
            | MediaCommand::Play { leg, .. }
            | MediaCommand::StopPrompts { leg }
            | MediaCommand::Music { leg } => self.legs.get(leg).copied(),
            MediaCommand::Bridge { a, .. } => self.legs.get(a).copied(),
            MediaCommand::Record { call, .. } => Some(*call),
        };
        let Some(call) = call else { return };
        if let MediaCommand::Close { leg } = &cmd {
            self.legs.remove(leg);
        }
        let task = self.calls.entry(call).or_insert_with(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(run_call(
                rx,
                self.bind,
                self.clock,
                self.events.clone(),
                self.prompts.clone(),
            ));
            tx
        });
        let _ = task.send(CallMedia::Command(cmd));
        // A call whose legs are all closed has nothing more to do.
        if !self.legs.values().any(|c| *c == call) {
            self.calls.remove(&call);
        }
    }

    /// Starts recording `call` into `file` (the runtime opened it where recordings live).
    pub fn record(&mut self, call: CallRef, caller: LegId, callee: LegId, file: RecordingFile) {
        if let Some(task) = self.calls.get(&call) {
            let _ = task.send(CallMedia::Record {
                caller,
                callee,
                file,
            });
        }
    }
}

struct MediaLeg {
    id: LegId,
    media: session::LegId,
    rtp: UdpSocket,
    rtcp: UdpSocket,
    /// Prompts asked for by the switch are playing; their end is reported once.
    awaiting_prompts: bool,
}

fn codec(c: Codec) -> g711::Codec {
    match c {
        Codec::Pcmu => g711::Codec::Pcmu,
        Codec::Pcma => g711::Codec::Pcma,
    }
}

async fn run_call(
    mut rx: mpsc::UnboundedReceiver<CallMedia>,
    bind: IpAddr,
    clock: MediaClock,
    events: mpsc::Sender<Input>,
    library: Arc<UploadedPrompts>,
) {
    let mut session = Session::new();
    let mut legs: Vec<MediaLeg> = Vec::new();
    let mut recorder: Option<Recorder<RecordingFile>> = None;
    let mut buf = vec![0u8; 2_048];
    session.start(clock.now());
    loop {
        drain(&mut session, &mut legs, &mut recorder, &events);
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(CallMedia::Command(cmd)) => {
                    if !apply(cmd, &mut session, &mut legs, (bind, &clock, &events, &library)).await {
                        // The last leg closed: send its BYE report, then stop.
                        drain(&mut session, &mut legs, &mut recorder, &events);
                        break;
                    }
                }
                Some(CallMedia::Record { caller, callee, file }) => {
                    let (a, b) = (find(&legs, caller), find(&legs, callee));
                    if let (Some(a), Some(b)) = (a, b) {
                        match Recorder::new(file, WavFormat::MuLaw) {
                            Ok(r) => {
                                recorder = Some(r);
                                session.record(a, b);
                            }
                            Err(e) => tracing::warn!(error = %e, "cannot start a recording"),
                        }
                    }
                }
                None => break,
            },
            (i, from, n) = receive(&legs, &mut buf) => {
                session.handle_receive(clock.now(), from, legs[i].media, &buf[..n]);
            }
            _ = clock.sleep_until(session.poll_timeout()) => session.handle_timeout(clock.now()),
        }
    }
    if let Some(r) = recorder {
        if let Err(e) = r.finish() {
            tracing::warn!(error = %e, "finishing a recording");
        }
    }
}

fn find(legs: &[MediaLeg], id: LegId) -> Option<session::LegId> {
    legs.iter().find(|l| l.id == id).map(|l| l.media)
}

/// Applies one command; `false` when the call has no open leg left.
async fn apply(
    cmd: MediaCommand,
    session: &mut Session,
    legs: &mut Vec<MediaLeg>,
    (bind, clock, events, library): (IpAddr, &MediaClock, &mpsc::Sender<Input>, &UploadedPrompts),
) -> bool {
    match cmd {
        MediaCommand::Open {
            leg,
            port,
            codec: c,
            telephone_event,
            remote,
            ..
        } => {
            let sockets = (
                UdpSocket::bind((bind, port)).await,
                UdpSocket::bind((bind, port + 1)).await,
            );
            let (Ok(rtp), Ok(rtcp)) = sockets else {
                tracing::warn!(port, "cannot bind an RTP port");
                let _ = events.send(Input::Media(MediaEvent::Failed { leg })).await;
                return true;
            };
            let mut config = LegConfig::new(codec(c), rand_u32(leg.0));
            config.event_payload_type = telephone_event;
            config.remote = remote;
            config.initial_sequence = rand_u32(leg.0 ^ 0x5eed) as u16;
            config.initial_timestamp = rand_u32(leg.0 ^ 0x7157);
            let media = session.add_leg(config);
            legs.push(MediaLeg {
                id: leg,
                media,
                rtp,
                rtcp,
                awaiting_prompts: false,
            });
        }
        MediaCommand::Remote {
            leg,
            remote,
            codec: c,
            telephone_event,
        } => {
            if let Some(m) = find(legs, leg) {
                session.set_remote(
                    m,
                    remote,
                    codec(c),
                    codec(c).payload_type(),
                    telephone_event,
                );
            }
        }
        MediaCommand::Bridge { a, b } => {
            if let (Some(a), Some(b)) = (find(legs, a), find(legs, b)) {
                for m in [a, b] {
                    if let Some(p) = session.player(m) {
                        p.stop();
                    }
                }
                for l in legs.iter_mut() {
                    l.awaiting_prompts = false;
                }
                session.bridge(a, b);
            }
        }
        MediaCommand::Close { leg } => {
            if let Some(m) = find(legs, leg) {
                let quality = session.leg(m).map(super::records::quality_of);
                session.close(clock.now(), m);
                let _ = events.send(Input::Quality { leg, quality }).await;
            }
            return legs.iter().any(|l| !session.is_closed(l.media));
        }
        MediaCommand::Play {
            leg,
            prompts,
            interruptible,
        } => {
            if let Some(l) = legs.iter_mut().find(|l| l.id == leg) {
                play(session, l, &prompts, interruptible, library);
            }
        }
        MediaCommand::StopPrompts { leg } => {
            if let Some(l) = legs.iter_mut().find(|l| l.id == leg) {
                l.awaiting_prompts = false;
                if let Some(p) = session.player(l.media) {
                    p.stop();
                }
            }
        }
        MediaCommand::Music { leg } => {
            if let Some(l) = legs.iter_mut().find(|l| l.id == leg) {
                l.awaiting_prompts = false;
                if let (Some(audio), Some(p)) =
                    (prompts::audio(prompts::MUSIC), session.player(l.media))
                {
                    p.play_loop(Prompt::new(0, audio));
                    session.set_source(l.media, Source::Player);
                }
            }
        }
        MediaCommand::Record { .. } => {}
    }
    true
}

/// Queues prompts on a leg's player; their end is reported as `PromptsDone`.
/// Names resolve in memory (`uploads.rs`): nothing here waits on the disk or the database.
fn play(
    session: &mut Session,
    l: &mut MediaLeg,
    names: &[String],
    interruptible: bool,
    library: &UploadedPrompts,
) {
    let Some(player) = session.player(l.media) else {
        return;
    };
    player.stop();
    for (i, name) in names.iter().enumerate() {
        match library.audio(name) {
            Some(audio) => {
                let prompt = Prompt {
                    interruptible,
                    ..Prompt::new(i as u32 + 1, audio)
                };
                if player.enqueue(prompt).is_err() {
                    tracing::warn!(prompt = %name, "too many prompts queued; the rest are skipped");
                }
            }
            None => tracing::warn!(prompt = %name, "no such prompt; skipped"),
        }
    }
    l.awaiting_prompts = true;
    session.set_barge_in(l.media, interruptible);
    session.set_source(l.media, Source::Player);
}

/// Waits for a datagram on any leg's sockets: (leg index, source, length).
async fn receive(legs: &[MediaLeg], buf: &mut [u8]) -> (usize, SocketAddr, usize) {
    std::future::poll_fn(|cx| {
        for (i, leg) in legs.iter().enumerate() {
            for socket in [&leg.rtp, &leg.rtcp] {
                let mut rb = ReadBuf::new(buf);
                // Errors (ICMP unreachable of an earlier send) are skipped like silence.
                if let Poll::Ready(Ok(from)) = socket.poll_recv_from(cx, &mut rb) {
                    return Poll::Ready((i, from, rb.filled().len()));
                }
            }
        }
        Poll::Pending
    })
    .await
}

fn drain(
    session: &mut Session,
    legs: &mut [MediaLeg],
    recorder: &mut Option<Recorder<RecordingFile>>,
    events: &mpsc::Sender<Input>,
) {
    while let Some(out) = session.poll_output() {
        match out {
            Output::Transmit { leg, transmit } => {
                let Some(l) = legs.iter().find(|l| l.media == leg) else {
                    continue;
                };
                let bytes = transmit.contents();
                let socket = if looks_like_rtcp(bytes) {
                    &l.rtcp
                } else {
                    &l.rtp
                };
                let _ = socket.try_send_to(bytes, transmit.destination);
            }
            Output::Record(frame) => {
                if let Some(r) = recorder.as_mut() {
                    if let Err(e) = r.write_frame(&frame.customer, &frame.agent) {
                        tracing::warn!(error = %e, "recording write failed; recording stops");
                        *recorder = None;
                    }
                }
            }
            Output::Event(Event::Digit { leg, digit }) => {
                if let Some(l) = legs.iter().find(|l| l.media == leg) {
                    let _ = events.try_send(Input::Media(MediaEvent::Digit {
                        leg: l.id,
                        digit: digit.digit,
                    }));
                }
            }
            Output::Event(Event::Player {
                leg,
                event: PlayerEvent::QueueFinished,
            }) => {
                if let Some(l) = legs
                    .iter_mut()
                    .find(|l| l.media == leg && l.awaiting_prompts)
                {
                    l.awaiting_prompts = false;
                    let _ = events.try_send(Input::Media(MediaEvent::PromptsDone { leg: l.id }));
                }
            }
            Output::Event(_) => {}
        }
    }
}

/// SSRCs and initial sequence numbers and timestamps are to be random (RFC 3550 §5.1); a
/// fresh UUID's bits mixed with the leg number.
fn rand_u32(salt: u64) -> u32 {
    let r = uuid::Uuid::new_v4().as_u128();
    (r as u32) ^ (salt as u32)
}
