use std::collections::BTreeMap;
use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Arc;

use super::*;
use crate::g711::Codec;
use crate::player::Prompt;
use crate::recorder::Recorder;
use crate::rtp::{self, RtpHeader, RtpPacket};
use crate::wav::{self, WavFormat};
use crate::{FRAME_SAMPLES, SILENCE};

fn addr(s: &str) -> SocketAddr {
    s.parse().expect("address")
}

/// Frame `n` of a tone whose loudness wobbles at 5.3 Hz, so that no two frames near each
/// other are alike and a frame played out of place shows.
fn tone(freq: f64, n: usize) -> Frame {
    let mut f = SILENCE;
    for (i, s) in f.iter_mut().enumerate() {
        let t = (n * FRAME_SAMPLES + i) as f64 / 8000.0;
        let level = 7000.0 + 5000.0 * (2.0 * std::f64::consts::PI * 5.3 * t).sin();
        *s = (level * (2.0 * std::f64::consts::PI * freq * t).sin()) as i16;
    }
    f
}

fn snr_db(got: &[i16], want: &[i16]) -> f64 {
    let signal: f64 = want.iter().map(|s| f64::from(*s).powi(2)).sum();
    let noise: f64 = got
        .iter()
        .zip(want)
        .map(|(g, w)| (f64::from(*g) - f64::from(*w)).powi(2))
        .sum();
    10.0 * (signal / noise.max(1.0)).log10()
}

/// Power of `freq` in `x` (Goertzel).
fn power(x: &[i16], freq: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * freq / 8000.0;
    let (mut s1, mut s2) = (0.0, 0.0);
    for v in x {
        let s = f64::from(*v) + 2.0 * w.cos() * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    s1 * s1 + s2 * s2 - 2.0 * w.cos() * s1 * s2
}

/// A deterministic pseudo-random sequence (a 64-bit LCG), for network weather.
struct Weather(u64);

impl Weather {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A simulated phone: sends a tone as RTP, collects what it is sent by RTP timestamp.
struct Phone {
    addr: SocketAddr,
    leg: LegId,
    freq: f64,
    ssrc: u32,
    heard: BTreeMap<u32, Frame>,
    first_ts: Option<u32>,
}

impl Phone {
    fn packet(&self, n: usize) -> Vec<u8> {
        let mut codes = [0u8; FRAME_SAMPLES];
        Codec::Pcmu.encode_into(&tone(self.freq, n), &mut codes);
        let mut h = RtpHeader::new(
            0,
            40_000u16.wrapping_add(n as u16),
            9_000 + n as u32 * 160,
            self.ssrc,
        );
        h.marker = n == 0;
        let mut buf = [0u8; 200];
        let len = rtp::write_simple(&h, &codes, &mut buf).expect("fits");
        buf[..len].to_vec()
    }

    fn receive(&mut self, bytes: &[u8]) {
        let Ok(p) = RtpPacket::parse(bytes) else {
            return;
        };
        if p.header.payload_type != 0 {
            return;
        }
        let first = *self.first_ts.get_or_insert(p.header.timestamp);
        let mut f = SILENCE;
        Codec::Pcmu.decode_into(p.payload, &mut f);
        self.heard
            .insert(p.header.timestamp.wrapping_sub(first) / 160, f);
    }

    /// What it heard, frame by frame from the first packet (silence where none came).
    fn heard(&self) -> Vec<Frame> {
        let last = self.heard.keys().last().copied().unwrap_or(0);
        (0..=last)
            .map(|k| self.heard.get(&k).copied().unwrap_or(SILENCE))
            .collect()
    }
}

struct Run {
    session: Session,
    phones: Vec<Phone>,
    events: Vec<Event>,
    recorder: Option<Recorder<Cursor<Vec<u8>>>>,
}

impl Run {
    fn drain(&mut self) {
        while let Some(o) = self.session.poll_output() {
            match o {
                Output::Transmit { leg, transmit } => {
                    let phone = self
                        .phones
                        .iter_mut()
                        .find(|p| p.leg == leg && p.addr == transmit.destination);
                    if let Some(p) = phone {
                        p.receive(transmit.contents());
                    }
                }
                Output::Event(e) => self.events.push(e),
                Output::Record(f) => {
                    if let Some(r) = self.recorder.as_mut() {
                        r.write_frame(&f.customer, &f.agent).expect("memory");
                    }
                }
            }
        }
    }

    /// Runs for `frames` 20 ms frames of the phones talking, with `loss` and up to
    /// `jitter_ms` of extra delay (which reorders packets), in simulated time.
    fn talk(&mut self, frames: usize, loss: f64, jitter_ms: f64) {
        let mut weather = Weather(7);
        let mut arrivals = Vec::new();
        for (i, phone) in self.phones.iter().enumerate() {
            for n in 0..frames {
                if weather.next() < loss {
                    continue;
                }
                let sent = n as u64 * 20_000 + 7_000;
                let delay = 30_000 + (weather.next() * jitter_ms * 1000.0) as u64;
                arrivals.push((Instant::from_micros(sent + delay), i, phone.packet(n)));
            }
        }
        arrivals.sort_by_key(|(at, i, _)| (*at, *i));
        self.session.start(Instant::ZERO);
        let end = Instant::from_micros(frames as u64 * 20_000 + 500_000);
        let mut next = arrivals.iter().peekable();
        loop {
            let timeout = self.session.poll_timeout().unwrap_or(end);
            match next.peek() {
                Some((at, i, bytes)) if *at <= timeout => {
                    let phone = &self.phones[*i];
                    self.session
                        .handle_receive(*at, phone.addr, phone.leg, bytes);
                    next.next();
                }
                _ if timeout > end => break,
                _ => self.session.handle_timeout(timeout),
            }
            self.drain();
        }
    }
}

fn two_legs() -> Run {
    let mut session = Session::new();
    let mut phones = Vec::new();
    for (i, (a, freq)) in [("192.0.2.10:7000", 440.0), ("198.51.100.20:7002", 1000.0)]
        .into_iter()
        .enumerate()
    {
        let mut c = LegConfig::new(Codec::Pcmu, 0x5000 + i as u32);
        c.remote = Some(addr(a));
        let leg = session.add_leg(c);
        phones.push(Phone {
            addr: addr(a),
            leg,
            freq,
            ssrc: 0x9000 + i as u32,
            heard: BTreeMap::new(),
            first_ts: None,
        });
    }
    Run {
        session,
        phones,
        events: Vec::new(),
        recorder: None,
    }
}

/// For each frame `k` heard, the best SNR against the frames `n` the other side sent
/// shortly before (`k - 25 ..= k`), with the lag `k - n` of the best match.
fn matches(heard: &[Frame], from: usize, to: usize, freq: f64) -> Vec<(f64, usize)> {
    (from..to)
        .map(|k| {
            let f = &heard[k];
            (k.saturating_sub(25)..=k)
                .map(|n| (snr_db(f, &tone(freq, n)), k - n))
                .fold((f64::MIN, 0), |best, x| if x.0 > best.0 { x } else { best })
        })
        .collect()
}

#[test]
fn a_bridge_carries_each_tone_to_the_other_side_and_records_both() {
    let mut run = two_legs();
    let (a, b) = (run.phones[0].leg, run.phones[1].leg);
    run.session.bridge(a, b);
    run.session.record(a, b);
    run.recorder = Some(Recorder::new(Cursor::new(Vec::new()), WavFormat::MuLaw).expect("memory"));
    run.talk(500, 0.02, 45.0);

    for (listener, talker) in [(0, 1), (1, 0)] {
        let heard = run.phones[listener].heard();
        assert!(heard.len() >= 500, "{}", heard.len());
        let m = matches(&heard, 25, 500, run.phones[talker].freq);
        // Nearly every frame matches the other side's frame of a fixed delay earlier: in
        // order, none repeated, after G.711 twice. The rest: 2 % lost and concealed.
        let mut lags = [0usize; 26];
        m.iter().for_each(|(_, lag)| lags[*lag] += 1);
        let delay = (0..26).max_by_key(|l| lags[*l]).unwrap_or(0);
        let in_place = m
            .iter()
            .filter(|(snr, lag)| *snr > 30.0 && *lag == delay)
            .count();
        assert!(
            in_place * 100 >= m.len() * 95,
            "{in_place} of {} frames in place",
            m.len()
        );
        assert!((3..=12).contains(&delay), "{delay}");
        // And it is the other side's tone, not an echo of its own.
        let all: Vec<i16> = heard[25..500].iter().flatten().copied().collect();
        let (own, other) = (
            power(&all, run.phones[listener].freq),
            power(&all, run.phones[talker].freq),
        );
        assert!(other > 1000.0 * own, "{other} vs {own}");
    }
    let latched = run
        .events
        .iter()
        .filter(|e| matches!(e, Event::Latched { .. }))
        .count();
    assert_eq!(latched, 2);

    let bytes = run
        .recorder
        .take()
        .expect("recorder")
        .finish()
        .expect("memory")
        .into_inner();
    let w = wav::read(&bytes).expect("a valid WAV");
    assert_eq!(
        (w.format, w.sample_rate, w.channels.len()),
        (WavFormat::MuLaw, 8000, 2)
    );
    let (left, right) = (&w.channels[0], &w.channels[1]);
    assert!(left.len() >= 500 * FRAME_SAMPLES);
    assert!(
        power(left, 440.0) > 1000.0 * power(left, 1000.0),
        "customer on the left"
    );
    assert!(
        power(right, 1000.0) > 1000.0 * power(right, 440.0),
        "agent on the right"
    );
}

#[test]
fn a_prompt_plays_to_its_end_and_a_digit_barges_in() {
    let mut run = two_legs();
    let a = run.phones[0].leg;
    run.session.set_source(a, Source::Player);
    let beep: Arc<[i16]> = (0..40)
        .flat_map(|n| tone(1000.0, n))
        .collect::<Vec<_>>()
        .into();
    let player = run.session.player(a).expect("leg");
    player.enqueue(Prompt::new(1, beep.clone())).expect("room");
    player.enqueue(Prompt::new(2, beep)).expect("room");
    run.talk(50, 0.0, 0.0);
    let heard = run.phones[0].heard();
    // The first prompt went out whole: frame k of what the phone heard is frame k.
    let good = (0..40)
        .filter(|k| snr_db(&heard[*k], &tone(1000.0, *k)) > 25.0)
        .count();
    assert_eq!(good, 40);
    assert!(run.events.contains(&Event::Player {
        leg: a,
        event: PlayerEvent::PromptFinished { id: 1 }
    }));

    // A '#' from the phone stops the second prompt.
    let ev = crate::dtmf::TelephoneEvent {
        event: 11,
        end: true,
        volume: 10,
        duration: 800,
    };
    let mut buf = [0u8; 64];
    let n = rtp::write_simple(
        &RtpHeader::new(101, 1, 77_000, 0x9000),
        &ev.to_bytes(),
        &mut buf,
    )
    .expect("fits");
    run.session
        .handle_receive(Instant::from_millis(1600), run.phones[0].addr, a, &buf[..n]);
    run.drain();
    assert!(run
        .events
        .iter()
        .any(|e| matches!(e, Event::Digit { digit, .. } if digit.digit == '#')));
    assert!(run.events.contains(&Event::Player {
        leg: a,
        event: PlayerEvent::PromptStopped { id: 2 }
    }));
    assert!(!run.session.player(a).expect("leg").is_playing());
}

/// Three legs saying constants 1000, 2000 and 4000, arranged by `arrange`; what each
/// hears in the end (its last sample).
fn three_constants(arrange: impl Fn(&mut Session, &[LegId])) -> Vec<i16> {
    run_three(arrange).0
}

/// [`three_constants`], and the last recorded frame's last samples (customer, agent).
fn run_three(arrange: impl Fn(&mut Session, &[LegId])) -> (Vec<i16>, Option<(i16, i16)>) {
    let mut session = Session::new();
    let mut legs = Vec::new();
    for i in 0..3u16 {
        let mut c = LegConfig::new(Codec::Pcma, u32::from(i) + 1);
        c.remote = Some(SocketAddr::from(([192, 0, 2, 1], 6000 + i)));
        legs.push(session.add_leg(c));
    }
    arrange(&mut session, &legs);
    session.start(Instant::ZERO);
    let mut heard: Vec<Vec<i16>> = vec![Vec::new(); 3];
    let mut recorded = None;
    for n in 0..40u64 {
        let now = Instant::from_millis(n * 20);
        for (i, id) in legs.iter().enumerate() {
            let mut codes = [0u8; FRAME_SAMPLES];
            Codec::Pcma.encode_into(&[1000 << i; FRAME_SAMPLES], &mut codes);
            let h = RtpHeader::new(8, n as u16, n as u32 * 160, 100 + i as u32);
            let mut buf = [0u8; 200];
            let len = rtp::write_simple(&h, &codes, &mut buf).expect("fits");
            session.handle_receive(
                now,
                SocketAddr::from(([192, 0, 2, 1], 6000 + i as u16)),
                *id,
                &buf[..len],
            );
        }
        session.handle_timeout(now);
        while let Some(o) = session.poll_output() {
            match o {
                Output::Transmit { leg, transmit } => {
                    if let Ok(p) = RtpPacket::parse(transmit.contents()) {
                        heard[leg.index()].push(Codec::Pcma.decode(p.payload[0]));
                    }
                }
                Output::Record(f) => recorded = Some((f.customer[159], f.agent[159])),
                Output::Event(_) => {}
            }
        }
    }
    let last = heard.iter().map(|h| *h.last().expect("heard")).collect();
    (last, recorded)
}

fn near(got: &[i16], want: &[i16]) -> bool {
    got.iter()
        .zip(want)
        .all(|(g, w)| (i32::from(*g) - i32::from(*w)).abs() <= i32::from(*w) / 16)
}

#[test]
fn three_parties_each_hear_the_other_two() {
    let mixed = three_constants(|s, legs| {
        for id in legs {
            s.set_source(*id, Source::Mix);
        }
    });
    assert!(near(&mixed, &[6000, 5000, 3000]), "{mixed:?}");
    // The same by naming who hears whom.
    let summed = three_constants(|s, legs| {
        for (i, id) in legs.iter().enumerate() {
            let others: Vec<LegId> = legs.iter().copied().filter(|l| l.index() != i).collect();
            s.hear(*id, &others);
        }
    });
    assert!(near(&summed, &[6000, 5000, 3000]), "{summed:?}");
}

#[test]
fn a_three_way_recording_holds_the_agent_and_the_third_party_on_one_side() {
    let (_, recorded) = run_three(|s, legs| {
        for (i, id) in legs.iter().enumerate() {
            let others: Vec<LegId> = legs.iter().copied().filter(|l| l.index() != i).collect();
            s.hear(*id, &others);
        }
        s.record_sides(legs[0], &[legs[1], legs[2]]);
    });
    let (customer, agents) = recorded.expect("recorded");
    assert!(
        near(&[customer, agents], &[1000, 6000]),
        "{customer} {agents}"
    );
    // Back to two: the third party is off the agent's side.
    let (_, recorded) = run_three(|s, legs| {
        s.record_sides(legs[0], &[legs[1], legs[2]]);
        s.record(legs[0], legs[1]);
    });
    let (_, agent) = recorded.expect("recorded");
    assert!(near(&[agent], &[2000]), "{agent}");
}

#[test]
fn a_whisper_reaches_the_agent_and_not_the_customer() {
    // Customer 1000, agent 2000, supervisor 4000.
    let heard = three_constants(|s, legs| {
        let (customer, agent, supervisor) = (legs[0], legs[1], legs[2]);
        s.hear(customer, &[agent]);
        s.hear(agent, &[customer, supervisor]);
        s.hear(supervisor, &[customer, agent]);
    });
    assert!(near(&heard, &[2000, 5000, 3000]), "{heard:?}");
    // Listening only: the supervisor hears both and nobody hears them.
    let heard = three_constants(|s, legs| {
        s.bridge(legs[0], legs[1]);
        s.hear(legs[2], &[legs[0], legs[1]]);
    });
    assert!(near(&heard, &[2000, 1000, 3000]), "{heard:?}");
    // Nobody to hear (a held agent) is silence, and a leg never hears itself.
    let heard = three_constants(|s, legs| {
        s.hear(legs[0], &[]);
        s.hear(legs[1], &[legs[1], legs[2]]);
    });
    assert!(heard[0].abs() <= 8, "A-law's nearest to silence: {heard:?}");
    assert!(near(&heard[1..2], &[4000]), "{heard:?}");
}

#[test]
fn silence_from_a_leg_is_reported_and_ticks_catch_up() {
    let mut run = two_legs();
    run.session.start(Instant::ZERO);
    assert_eq!(run.session.poll_timeout(), Some(Instant::ZERO));
    // Called 10 s late: at most a few ticks are made up, not 500.
    run.session.handle_timeout(Instant::from_millis(10_000));
    let mut sent = 0;
    while let Some(o) = run.session.poll_output() {
        if matches!(o, Output::Transmit { .. }) {
            sent += 1;
        }
    }
    assert!(sent <= 2 * (MAX_CATCH_UP as usize + 1) + 4, "{sent}");
    run.session.handle_timeout(Instant::from_millis(31_000));
    run.drain();
    let timeouts: Vec<&Event> = run
        .events
        .iter()
        .filter(|e| matches!(e, Event::RtpTimeout { .. }))
        .collect();
    assert_eq!(timeouts.len(), 2);
}

#[test]
fn closing_sends_a_bye_and_then_nothing() {
    let mut run = two_legs();
    let (a, b) = (run.phones[0].leg, run.phones[1].leg);
    run.session.bridge(a, b);
    run.session.close(Instant::from_millis(5), a);
    assert!(run.session.is_closed(a) && !run.session.is_closed(b));
    let mut byes = 0;
    while let Some(o) = run.session.poll_output() {
        if let Output::Transmit { leg, transmit } = o {
            assert_eq!((leg, transmit.destination), (a, addr("192.0.2.10:7001")));
            let c = crate::rtcp::parse_compound(transmit.contents()).expect("RTCP");
            byes += c
                .packets()
                .filter(|p| matches!(p, crate::rtcp::RtcpPacket::Bye(_)))
                .count();
        }
    }
    assert_eq!(byes, 1);
    // Ticks go on for the other leg only, which hears silence.
    run.session.start(Instant::from_millis(10));
    run.session.handle_timeout(Instant::from_millis(100));
    run.session.close(Instant::from_millis(100), a);
    run.drain();
    assert!(run.phones[0].heard.is_empty());
    assert!(run.phones[1].heard().iter().all(|f| *f == SILENCE));
    assert_eq!(run.phones[1].heard().len(), 5);
    // Unknown legs are ignored rather than panicking.
    run.session.close(Instant::from_millis(6), LegId(9));
    run.session.set_source(LegId(9), Source::Mix);
    run.session.handle_receive(
        Instant::from_millis(7),
        addr("192.0.2.10:7000"),
        LegId(9),
        &[0x80],
    );
    assert!(run.session.player(LegId(9)).is_none());
}

#[test]
fn a_re_invite_moves_the_remote_and_it_latches_again() {
    let mut run = two_legs();
    let a = run.phones[0].leg;
    run.talk(10, 0.0, 0.0);
    assert_eq!(
        run.session.leg(a).and_then(|l| l.remote()),
        Some(addr("192.0.2.10:7000"))
    );
    let moved = addr("192.0.2.77:9000");
    run.session.set_remote(a, moved, Codec::Pcma, 8, None);
    let leg = run.session.leg(a).expect("leg");
    assert_eq!(
        (leg.remote(), leg.is_latched(), leg.config().codec),
        (Some(moved), false, Codec::Pcma)
    );
    run.session.handle_timeout(Instant::from_millis(2000));
    let mut to = Vec::new();
    while let Some(o) = run.session.poll_output() {
        if let Output::Transmit { leg, transmit } = o {
            if leg == a {
                to.push(transmit.destination);
            }
        }
    }
    assert!(
        !to.is_empty() && to.iter().all(|d| d.ip() == moved.ip()),
        "{to:?}"
    );
}

#[test]
fn a_detached_leg_goes_on_in_another_session_without_a_bye() {
    let mut run = two_legs();
    let (a, b) = (run.phones[0].leg, run.phones[1].leg);
    run.session.bridge(a, b);
    run.session.record(a, b);
    run.session.start(Instant::ZERO);
    run.session.handle_timeout(Instant::from_millis(100));
    let mut sent = Vec::new();
    while let Some(o) = run.session.poll_output() {
        if let Output::Transmit { leg, transmit } = o {
            if leg == b {
                sent.push(RtpPacket::parse(transmit.contents()).expect("RTP").header);
            }
        }
    }
    let last = *sent.last().expect("b was sent audio");
    let moved = run.session.detach(b).expect("open leg");
    assert!(run.session.is_closed(b));
    assert!(
        run.session.is_recording(),
        "the customer's side is still recorded (the agent's is silent until another comes)"
    );
    assert!(run.session.detach(b).is_none(), "gone already");
    assert!(
        run.session.poll_output().is_none(),
        "no BYE: the stream goes on elsewhere"
    );
    let mut other = Session::new();
    let b2 = other.attach(moved);
    other.start(Instant::from_millis(100));
    other.handle_timeout(Instant::from_millis(140));
    let mut next = Vec::new();
    while let Some(o) = other.poll_output() {
        if let Output::Transmit { leg, transmit } = o {
            assert_eq!(leg, b2);
            if let Ok(p) = RtpPacket::parse(transmit.contents()) {
                next.push(p.header);
            }
        }
    }
    run.session.close(Instant::from_millis(120), a);
    assert!(
        !run.session.is_recording(),
        "the customer gone, the recording ends"
    );
    let first = next.first().expect("it goes on sending");
    assert_eq!(first.ssrc, last.ssrc);
    assert_eq!(first.sequence, last.sequence.wrapping_add(1));
}
