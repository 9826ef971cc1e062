//! Proof of the crate's promise that the hot path allocates nothing: after set-up, ten
//! seconds of a bridged, recorded call — RTP in (reordered, with a gap), frames out, DTMF
//! both ways, a prompt on a third leg, RTCP reports, the recorder writing — make no heap
//! allocation at all. `allocation-counter` (a dev-dependency) counts them on this thread.

use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use switchboard_media::dtmf::TelephoneEvent;
use switchboard_media::g711::Codec;
use switchboard_media::leg::LegConfig;
use switchboard_media::player::Prompt;
use switchboard_media::recorder::Recorder;
use switchboard_media::rtp::{self, RtpHeader};
use switchboard_media::session::{Event, Output, Session, Source};
use switchboard_media::wav::WavFormat;
use switchboard_media::{Instant, FRAME_SAMPLES};

fn packet(pt: u8, seq: u16, ts: u32, ssrc: u32, payload: &[u8]) -> Vec<u8> {
    let mut buf = [0u8; 256];
    let n = rtp::write_simple(&RtpHeader::new(pt, seq, ts, ssrc), payload, &mut buf).expect("fits");
    buf[..n].to_vec()
}

#[test]
fn ten_seconds_of_a_call_allocate_nothing() {
    let phones: [SocketAddr; 3] =
        ["192.0.2.1:4000", "192.0.2.2:4000", "192.0.2.3:4000"].map(|a| a.parse().expect("address"));
    let mut session = Session::new();
    let legs: Vec<_> = phones
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut c = LegConfig::new(Codec::Pcmu, 10 + i as u32);
            c.remote = Some(*a);
            session.add_leg(c)
        })
        .collect();
    session.bridge(legs[0], legs[1]);
    session.record(legs[0], legs[1]);
    session.set_source(legs[2], Source::Player);
    let hold: Arc<[i16]> = vec![1000i16; 8000].into();
    session
        .player(legs[2])
        .expect("leg")
        .play_loop(Prompt::new(1, hold));
    let mut file = vec![0u8; 1 << 20];
    let mut recorder = Recorder::new(Cursor::new(&mut file[..]), WavFormat::MuLaw).expect("memory");

    // 15 s of packets from each phone, built before measuring: pairs swapped (reordering),
    // a 100 ms gap, and a '5' pressed as telephone events at 6 s.
    let mut arrivals: Vec<(u64, usize, Vec<u8>)> = Vec::new();
    for (p, _) in phones.iter().enumerate() {
        for n in 0..750u32 {
            if (300..305).contains(&n) {
                continue;
            }
            let at = u64::from(n ^ 1) * 20_000 + 30_000;
            let codes = [0x55u8 + n as u8 % 7; FRAME_SAMPLES];
            arrivals.push((at, p, packet(0, n as u16, n * 160, 100 + p as u32, &codes)));
        }
        for (k, end) in [false, false, true, true, true].into_iter().enumerate() {
            let ev = TelephoneEvent {
                event: 5,
                end,
                volume: 10,
                duration: 160 * (k as u16 + 1),
            };
            arrivals.push((
                6_000_000 + k as u64 * 20_000,
                p,
                packet(
                    101,
                    60_000 + k as u16,
                    48_000,
                    100 + p as u32,
                    &ev.to_bytes(),
                ),
            ));
        }
    }
    arrivals.sort_by_key(|(at, p, _)| (*at, *p));

    let run = |session: &mut Session,
               recorder: &mut Recorder<_>,
               from: u64,
               to: u64,
               arrivals: &[(u64, usize, Vec<u8>)]| {
        let (mut sent, mut digits) = (0u32, 0u32);
        let mut next = arrivals
            .iter()
            .filter(|(at, _, _)| *at >= from && *at < to)
            .peekable();
        let mut now = Instant::from_micros(from);
        while now < Instant::from_micros(to) {
            let timeout = session.poll_timeout().unwrap_or(Instant::from_micros(to));
            match next.peek() {
                Some((at, p, bytes)) if Instant::from_micros(*at) <= timeout => {
                    now = Instant::from_micros(*at);
                    session.handle_receive(now, phones[*p], legs[*p], bytes);
                    next.next();
                }
                _ => {
                    now = timeout;
                    session.handle_timeout(now);
                }
            }
            while let Some(o) = session.poll_output() {
                match o {
                    Output::Transmit { .. } => sent += 1,
                    Output::Record(f) => {
                        recorder.write_frame(&f.customer, &f.agent).expect("memory")
                    }
                    Output::Event(Event::Digit { .. }) => digits += 1,
                    Output::Event(_) => {}
                }
            }
        }
        (sent, digits)
    };

    session.start(Instant::ZERO);
    run(&mut session, &mut recorder, 0, 2_000_000, &arrivals);
    session
        .send_digits(legs[1], "12#", Duration::from_millis(100))
        .expect("queued");
    let mut counts = (0, 0);
    let info = allocation_counter::measure(|| {
        counts = run(
            &mut session,
            &mut recorder,
            2_000_000,
            12_000_000,
            &arrivals,
        );
    });
    let (sent, digits) = counts;
    // Three legs' frames for 10 s, plus events and reports; the '5' on each phone.
    assert!(sent > 3 * 490, "{sent}");
    assert_eq!(digits, 3);
    assert_eq!(info.count_total, 0, "{info:?}");
    // The counter does count on this thread.
    let info = allocation_counter::measure(|| {
        std::hint::black_box(vec![1u8; 10]);
    });
    assert_eq!(info.count_total, 1);
}
