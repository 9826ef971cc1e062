//! One call's media task: a `switchboard_media::Session` and the UDP sockets of its legs
//! (RTP on the even port, RTCP on the next). It applies the switch's media commands, sends
//! what the session gives, writes the recording, reports digits and failures back, and
//! hands a leg over to another call's task (or takes one in) without a break in its
//! stream. Packets are read into one buffer per call, so the hot loop allocates nothing.

use std::collections::VecDeque;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::task::Poll;

use switchboard_media::leg::{Leg, LegConfig};
use switchboard_media::player::{PlayerEvent, Prompt};
use switchboard_media::recorder::Recorder;
use switchboard_media::rtp::looks_like_rtcp;
use switchboard_media::session::{Event, Output, Session, Source};
use switchboard_media::stats::StatsMark;
use switchboard_media::wav::WavFormat;
use switchboard_media::{g711, session};
use switchboard_sip::sdp::Codec;
use switchboard_voice::{LegId, MediaCommand, MediaEvent};
use tokio::io::ReadBuf;
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

use super::prompts;
use super::recordings::RecordingFile;
use super::runtime::Input;
use super::uploads::UploadedPrompts;
use crate::clock::MediaClock;

/// What a call's media task is told.
pub enum CallMedia {
    Command(MediaCommand),
    Record {
        caller: LegId,
        callee: LegId,
        file: RecordingFile,
        /// Told once the file is finished (the recording stopped or was replaced, or the
        /// call's media ended); dropped untold when it never started.
        done: oneshot::Sender<()>,
    },
    /// The recording goes on in the same file with these legs (a transferred call's new
    /// agent; a three-way call's agent and third party summed on one side); nothing when
    /// the call is not being recorded.
    RecordLegs {
        caller: LegId,
        agents: Vec<LegId>,
    },
    /// A leg is on its way from another task: hold back what follows until it arrives.
    Expect {
        leg: LegId,
    },
    /// Give this leg to another task.
    Hand {
        leg: LegId,
        to: mpsc::UnboundedSender<CallMedia>,
    },
    /// The leg expected, or `None` when its task no longer had it.
    Adopt {
        leg: LegId,
        moved: Option<Box<Moved>>,
    },
}

/// A leg between tasks: its stream's state and its sockets.
pub struct Moved {
    stream: Leg,
    rtp: UdpSocket,
    rtcp: UdpSocket,
    // After the sockets: fields drop in order, so they are closed when the port goes back.
    port: PortReturn,
}

/// A leg's RTP port, handed back to the switch's pool when dropped — after its sockets, by
/// field order — so the switch never hands out a port a lagging task still holds.
pub struct PortReturn {
    port: u16,
    freed: mpsc::UnboundedSender<u16>,
}

impl Drop for PortReturn {
    fn drop(&mut self) {
        let _ = self.freed.send(self.port);
    }
}

struct MediaLeg {
    id: LegId,
    media: session::LegId,
    rtp: UdpSocket,
    rtcp: UdpSocket,
    /// After the sockets (see `Moved`).
    port: PortReturn,
    /// Prompts asked for by the switch are playing; their end is reported once.
    awaiting_prompts: bool,
    /// A leg moved in from another call's task (an agent's standing line): its counts when
    /// it joined, so that this call gets the quality of its own stretch of the line.
    joined: Option<StatsMark>,
}

fn codec(c: Codec) -> g711::Codec {
    match c {
        Codec::Pcmu => g711::Codec::Pcmu,
        Codec::Pcma => g711::Codec::Pcma,
    }
}

struct CallTask {
    session: Session,
    legs: Vec<MediaLeg>,
    recorder: Option<Recorder<RecordingFile>>,
    /// Who waits for the recording to be finished.
    recorded: Option<oneshot::Sender<()>>,
    /// Legs being moved here, and what came meanwhile (applied once they are in).
    expecting: Vec<LegId>,
    held: VecDeque<CallMedia>,
    bind: IpAddr,
    clock: MediaClock,
    events: mpsc::Sender<Input>,
    /// Where closed legs' ports go (back to the switch).
    freed: mpsc::UnboundedSender<u16>,
    /// Built-in and uploaded prompts, all in memory.
    library: Arc<UploadedPrompts>,
}

/// What a call's media task is given: where it binds, its clock, where its events and freed
/// ports go, the prompts.
pub struct Setup {
    pub bind: IpAddr,
    pub clock: MediaClock,
    pub events: mpsc::Sender<Input>,
    pub freed: mpsc::UnboundedSender<u16>,
    pub library: Arc<UploadedPrompts>,
}

pub async fn run(mut rx: mpsc::UnboundedReceiver<CallMedia>, setup: Setup) {
    let Setup {
        bind,
        clock,
        events,
        freed,
        library,
    } = setup;
    let mut t = CallTask {
        session: Session::new(),
        legs: Vec::new(),
        recorder: None,
        recorded: None,
        expecting: Vec::new(),
        held: VecDeque::new(),
        bind,
        clock,
        events,
        freed,
        library,
    };
    let mut buf = vec![0u8; 2_048];
    t.session.start(clock.now());
    loop {
        drain(&mut t.session, &mut t.legs, &mut t.recorder, &t.events);
        tokio::select! {
            msg = rx.recv() => match msg {
                Some(msg) => {
                    if !t.take(msg).await {
                        break;
                    }
                }
                None => break,
            },
            (i, from, n) = receive(&t.legs, &mut buf) => {
                t.session.handle_receive(clock.now(), from, t.legs[i].media, &buf[..n]);
            }
            _ = clock.sleep_until(t.session.poll_timeout()) => t.session.handle_timeout(clock.now()),
        }
    }
    t.finish_recording();
}

impl CallTask {
    /// Takes one message; `false` when the task has nothing left to carry.
    async fn take(&mut self, msg: CallMedia) -> bool {
        match msg {
            CallMedia::Adopt { leg, moved } => {
                self.expecting.retain(|l| *l != leg);
                if let Some(m) = moved {
                    let joined = m.stream.stats().mark();
                    let media = self.session.attach(m.stream);
                    self.legs.push(MediaLeg {
                        id: leg,
                        media,
                        rtp: m.rtp,
                        rtcp: m.rtcp,
                        port: m.port,
                        awaiting_prompts: false,
                        joined: Some(joined),
                    });
                }
                while self.expecting.is_empty() {
                    let Some(next) = self.held.pop_front() else {
                        break;
                    };
                    Box::pin(self.apply(next)).await;
                }
            }
            msg if !self.expecting.is_empty() => self.held.push_back(msg),
            msg => self.apply(msg).await,
        }
        if self.recorder.is_some() && !self.session.is_recording() {
            self.finish_recording();
        }
        self.let_go_of_closed();
        !self.expecting.is_empty() || !self.legs.is_empty()
    }

    /// Sends what closed legs still have to say (their RTCP BYE), then frees their ports:
    /// a task may outlive a leg by long (an agent's line), and the port will be reused.
    fn let_go_of_closed(&mut self) {
        if self.legs.iter().all(|l| !self.session.is_closed(l.media)) {
            return;
        }
        drain(
            &mut self.session,
            &mut self.legs,
            &mut self.recorder,
            &self.events,
        );
        let session = &self.session;
        self.legs.retain(|l| !session.is_closed(l.media));
    }

    async fn apply(&mut self, msg: CallMedia) {
        match msg {
            CallMedia::Command(cmd) => {
                apply(
                    cmd,
                    &mut self.session,
                    &mut self.legs,
                    Context {
                        bind: self.bind,
                        clock: &self.clock,
                        events: &self.events,
                        freed: &self.freed,
                        library: &self.library,
                    },
                )
                .await
            }
            CallMedia::Record {
                caller,
                callee,
                file,
                done,
            } => self.record(caller, callee, file, done),
            CallMedia::RecordLegs { caller, agents } => {
                let agents: Vec<_> = agents.iter().filter_map(|l| find(&self.legs, *l)).collect();
                // Only a recording under way changes sides; a finished one stays finished.
                let recording = self.recorder.is_some() && self.session.is_recording();
                if let (Some(a), true) = (find(&self.legs, caller), recording) {
                    self.session.record_sides(a, &agents);
                }
            }
            CallMedia::Expect { leg } => self.expecting.push(leg),
            CallMedia::Hand { leg, to } => {
                let moved = self.hand_over(leg).map(Box::new);
                let _ = to.send(CallMedia::Adopt { leg, moved });
            }
            CallMedia::Adopt { .. } => {}
        }
    }

    fn record(
        &mut self,
        caller: LegId,
        callee: LegId,
        file: RecordingFile,
        done: oneshot::Sender<()>,
    ) {
        let (Some(a), Some(b)) = (find(&self.legs, caller), find(&self.legs, callee)) else {
            return;
        };
        self.finish_recording();
        match Recorder::new(file, WavFormat::MuLaw) {
            Ok(r) => {
                self.recorder = Some(r);
                self.recorded = Some(done);
                self.session.record(a, b);
            }
            Err(e) => tracing::warn!(error = %e, "cannot start a recording"),
        }
    }

    fn hand_over(&mut self, leg: LegId) -> Option<Moved> {
        let i = self.legs.iter().position(|l| l.id == leg)?;
        let stream = self.session.detach(self.legs[i].media)?;
        let l = self.legs.remove(i);
        Some(Moved {
            stream,
            rtp: l.rtp,
            rtcp: l.rtcp,
            port: l.port,
        })
    }

    /// Writes the recording's final sizes and closes it; then tells whoever waits for it
    /// (also when a failed write had already stopped it).
    fn finish_recording(&mut self) {
        if let Some(r) = self.recorder.take() {
            if let Err(e) = r.finish() {
                tracing::warn!(error = %e, "finishing a recording");
            }
        }
        if let Some(done) = self.recorded.take() {
            let _ = done.send(());
        }
    }
}

/// Closes a leg and reports its quality. When it is the call's own leg, the standing lines
/// that joined the call have had their part in it: their stretch is reported too.
async fn close(
    leg: LegId,
    session: &mut Session,
    legs: &mut [MediaLeg],
    clock: &MediaClock,
    events: &mpsc::Sender<Input>,
) {
    let Some(closing) = legs.iter().position(|l| l.id == leg) else {
        return;
    };
    let quality = |session: &Session, l: &MediaLeg| {
        let mark = l.joined.unwrap_or_default();
        session
            .leg(l.media)
            .map(|m| super::records::quality_since(m, mark))
    };
    let mut reports = vec![(leg, quality(session, &legs[closing]))];
    if legs[closing].joined.is_none() {
        for l in legs.iter_mut().filter(|l| l.joined.is_some()) {
            reports.push((l.id, quality(session, l)));
            l.joined = None;
        }
    }
    session.close(clock.now(), legs[closing].media);
    for (leg, quality) in reports {
        let _ = events.send(Input::Quality { leg, quality }).await;
    }
}

/// How long each key of the soft keypad is held.
const KEY_LENGTH: std::time::Duration = std::time::Duration::from_millis(100);

fn find(legs: &[MediaLeg], id: LegId) -> Option<session::LegId> {
    legs.iter().find(|l| l.id == id).map(|l| l.media)
}

/// What applying a command needs of its task.
struct Context<'a> {
    bind: IpAddr,
    clock: &'a MediaClock,
    events: &'a mpsc::Sender<Input>,
    freed: &'a mpsc::UnboundedSender<u16>,
    library: &'a UploadedPrompts,
}

/// Applies one of the switch's commands.
async fn apply(
    cmd: MediaCommand,
    session: &mut Session,
    legs: &mut Vec<MediaLeg>,
    ctx: Context<'_>,
) {
    let Context {
        bind,
        clock,
        events,
        freed,
        library,
    } = ctx;
    match cmd {
        MediaCommand::Open {
            leg,
            port,
            codec: c,
            telephone_event,
            remote,
            ..
        } => {
            // Declared first, dropped last: also a port that cannot be bound goes back (to
            // the end of the pool) once whatever half of it was bound is closed.
            let port = PortReturn {
                port,
                freed: freed.clone(),
            };
            let sockets = (
                UdpSocket::bind((bind, port.port)).await,
                UdpSocket::bind((bind, port.port + 1)).await,
            );
            let (rtp, rtcp) = match sockets {
                (Ok(rtp), Ok(rtcp)) => (rtp, rtcp),
                (Err(e), _) | (_, Err(e)) => {
                    // Taken by another program, or out of file descriptors under overload.
                    tracing::warn!(port = port.port, error = %e, "cannot bind an RTP port");
                    let _ = events.send(Input::Media(MediaEvent::Failed { leg })).await;
                    return;
                }
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
                port,
                awaiting_prompts: false,
                joined: None,
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
        MediaCommand::Hear { leg, from } => {
            if let Some(l) = legs.iter_mut().find(|l| l.id == leg) {
                l.awaiting_prompts = false;
            }
            if let Some(m) = find(legs, leg) {
                let from: Vec<_> = from.iter().filter_map(|f| find(legs, *f)).collect();
                session.hear(m, &from);
            }
        }
        MediaCommand::SendDigits { leg, digits } => {
            if let Some(m) = find(legs, leg) {
                // 100 ms per key, as phones send them; a queue already full skips the rest.
                if let Err(e) = session.send_digits(m, &digits, KEY_LENGTH) {
                    tracing::warn!(error = ?e, "digits not all sent");
                }
            }
        }
        MediaCommand::Close { leg } => close(leg, session, legs, clock, events).await,
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
        MediaCommand::Record { .. } | MediaCommand::RecordSides { .. } => {}
    }
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
