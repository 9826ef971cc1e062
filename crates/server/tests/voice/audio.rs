//! Comparing audio: what a party sent against what the other heard or the recording holds,
//! by the shape of its loudness over time (robust to the codec, jitter-buffer delay and
//! concealment), and which of two tones a signal carries.

use switchboard_media::g711::Codec;

/// The RTP audio payloads of a pcap (Ethernet, IPv4, UDP) decoded with `codec`.
pub fn pcap_audio(path: &str, codec: Codec) -> Vec<i16> {
    let d = std::fs::read(path).unwrap();
    let mut off = 24;
    let mut out = Vec::new();
    while off + 16 <= d.len() {
        let cap = u32::from_le_bytes(d[off + 8..off + 12].try_into().unwrap()) as usize;
        let pkt = &d[off + 16..off + 16 + cap];
        off += 16 + cap;
        let ihl = usize::from(pkt[14] & 0x0f) * 4;
        let rtp = &pkt[14 + ihl + 8..];
        out.extend(rtp[12..].iter().map(|&b| codec.decode(b)));
    }
    out
}

/// Loudness per 20 ms.
pub fn envelope(samples: &[i16]) -> Vec<f64> {
    samples
        .chunks(160)
        .map(|c| {
            (c.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / c.len() as f64).sqrt()
        })
        .collect()
}

/// The best normalized correlation of `reference`'s envelope within `heard`'s, over every
/// lag up to `max_lag` frames (the delay through the server and the jitter buffers).
pub fn best_match(reference: &[f64], heard: &[f64], max_lag: usize) -> f64 {
    let mut best = f64::MIN;
    for lag in 0..=max_lag.min(heard.len()) {
        let n = reference.len().min(heard.len() - lag);
        if n < 50 {
            break;
        }
        let (a, b) = (&reference[..n], &heard[lag..lag + n]);
        let (ma, mb) = (
            a.iter().sum::<f64>() / n as f64,
            b.iter().sum::<f64>() / n as f64,
        );
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        if va > 0.0 && vb > 0.0 {
            best = best.max(cov / (va * vb).sqrt());
        }
    }
    best
}

/// The power of `hz` in `samples` (Goertzel), relative to the signal's total power.
pub fn tone_share(samples: &[i16], hz: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * hz / 8_000.0;
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0, 0.0);
    let mut total = 0.0;
    for &x in samples {
        let x = f64::from(x);
        let s0 = x + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
        total += x * x;
    }
    let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    if total == 0.0 {
        0.0
    } else {
        2.0 * power / (samples.len() as f64 * total)
    }
}

/// A mono 16-bit 8 kHz WAV of a sine.
pub fn tone_wav(hz: f64, seconds: u32) -> Vec<u8> {
    let n = 8_000 * seconds as usize;
    let samples: Vec<i16> = (0..n)
        .map(|i| (8_000.0 * (2.0 * std::f64::consts::PI * hz * i as f64 / 8_000.0).sin()) as i16)
        .collect();
    switchboard_media::wav::pcm16(1, 8_000, &samples)
}

/// How many seconds of `samples` carry mostly `hz` (half-second windows where it is more
/// than 60 % of the power): robust to where a recording starts and stops.
pub fn tone_seconds(samples: &[i16], hz: f64) -> f64 {
    samples
        .chunks(4_000)
        .filter(|w| w.len() == 4_000 && tone_share(w, hz) > 0.6)
        .count() as f64
        * 0.5
}

/// A built-in prompt's samples, read from the same file the server compiles in.
pub fn prompt(name: &str) -> Vec<i16> {
    let path = format!("{}/assets/prompts/{name}.wav", env!("CARGO_MANIFEST_DIR"));
    let wav = switchboard_media::wav::read(&std::fs::read(path).unwrap()).unwrap();
    wav.channels.into_iter().next().unwrap()
}

/// Seconds of half-second windows where every one of `tones` carries a clear share (a
/// fifth) of the power: the parties of a mix heard at once.
pub fn mixed_seconds(samples: &[i16], tones: &[f64]) -> f64 {
    samples
        .chunks(4_000)
        .filter(|w| w.len() == 4_000 && tones.iter().all(|hz| tone_share(w, *hz) > 0.2))
        .count() as f64
        * 0.5
}
