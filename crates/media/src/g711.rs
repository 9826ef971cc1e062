//! G.711 (ITU-T, 1988): PCMU (µ-law) and PCMA (A-law) between 8-bit codes and 16-bit samples.
//!
//! Decoding is a lookup in a 256-entry table built at compile time; encoding is a few shifts
//! and a leading-zeros count (no table, no branch per segment). The arithmetic is the
//! classic Sun reference (`g711.c`) scaled to 16-bit samples: decoded values are the
//! standard's segment midpoints, e.g. µ-law `0x80` is +32124 and A-law `0xD5` is +8.

/// The two G.711 laws, by their RTP names (RFC 3551 static payload types 0 and 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Codec {
    /// µ-law, payload type 0.
    Pcmu,
    /// A-law, payload type 8.
    Pcma,
}

impl Codec {
    /// The static RTP payload type (RFC 3551).
    pub const fn payload_type(self) -> u8 {
        match self {
            Codec::Pcmu => 0,
            Codec::Pcma => 8,
        }
    }

    /// The codec of a static payload type, if it is one of ours.
    pub const fn from_payload_type(pt: u8) -> Option<Codec> {
        match pt {
            0 => Some(Codec::Pcmu),
            8 => Some(Codec::Pcma),
            _ => None,
        }
    }

    pub fn encode(self, sample: i16) -> u8 {
        match self {
            Codec::Pcmu => ulaw_encode(sample),
            Codec::Pcma => alaw_encode(sample),
        }
    }

    pub fn decode(self, code: u8) -> i16 {
        match self {
            Codec::Pcmu => ulaw_decode(code),
            Codec::Pcma => alaw_decode(code),
        }
    }

    /// Encodes `pcm` into the front of `out`; returns how many codes were written (the
    /// shorter of the two lengths).
    pub fn encode_into(self, pcm: &[i16], out: &mut [u8]) -> usize {
        let n = pcm.len().min(out.len());
        for (o, s) in out.iter_mut().zip(pcm) {
            *o = self.encode(*s);
        }
        n
    }

    /// Decodes `codes` into the front of `out`; returns how many samples were written.
    pub fn decode_into(self, codes: &[u8], out: &mut [i16]) -> usize {
        let table = match self {
            Codec::Pcmu => &ULAW_TABLE,
            Codec::Pcma => &ALAW_TABLE,
        };
        let n = codes.len().min(out.len());
        for (o, c) in out.iter_mut().zip(codes) {
            *o = table[usize::from(*c)];
        }
        n
    }
}

/// µ-law's bias: added before the segment search so every segment has the same shape.
const ULAW_BIAS: i32 = 0x84;
/// The largest magnitude µ-law represents once biased (32635 + 0x84 = 0x7FFF).
const ULAW_CLIP: i32 = 32635;

const fn ulaw_decode_slow(code: u8) -> i16 {
    let u = !code;
    let t = ((((u & 0x0F) as i32) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
    (if u & 0x80 != 0 {
        ULAW_BIAS - t
    } else {
        t - ULAW_BIAS
    }) as i16
}

const fn alaw_decode_slow(code: u8) -> i16 {
    let a = code ^ 0x55;
    let mut t = ((a & 0x0F) as i32) << 4;
    let seg = ((a & 0x70) >> 4) as i32;
    match seg {
        0 => t += 8,
        1 => t += 0x108,
        _ => t = (t + 0x108) << (seg - 1),
    }
    (if a & 0x80 != 0 { t } else { -t }) as i16
}

// The tables are built at compile time from the reference arithmetic above.
static ULAW_TABLE: [i16; 256] = {
    let mut t = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = ulaw_decode_slow(i as u8);
        i += 1;
    }
    t
};

static ALAW_TABLE: [i16; 256] = {
    let mut t = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = alaw_decode_slow(i as u8);
        i += 1;
    }
    t
};

/// Decodes one µ-law code.
pub fn ulaw_decode(code: u8) -> i16 {
    ULAW_TABLE[usize::from(code)]
}

/// Decodes one A-law code.
pub fn alaw_decode(code: u8) -> i16 {
    ALAW_TABLE[usize::from(code)]
}

/// Encodes one sample as µ-law.
pub fn ulaw_encode(sample: i16) -> u8 {
    let s = i32::from(sample);
    // Codes are stored inverted; the sign bit is set for positive samples.
    let mask: u8 = if s < 0 { 0x7F } else { 0xFF };
    let mag = s.unsigned_abs().min(ULAW_CLIP as u32) + ULAW_BIAS as u32;
    // `mag` is at least 0x84, so its top bit is bit 7..=14: the segment is that minus 7.
    let seg = (31 - mag.leading_zeros()).saturating_sub(7).min(7);
    let mantissa = (mag >> (seg + 3)) & 0x0F;
    ((seg << 4) as u8 | mantissa as u8) ^ mask
}

/// Encodes one sample as A-law.
pub fn alaw_encode(sample: i16) -> u8 {
    // A-law works on 13 bits; negative values use the ones' complement so -1 and 0 share
    // the smallest step on each side.
    let v = i32::from(sample) >> 3;
    let (mask, mag) = if v >= 0 {
        (0xD5u8, v as u32)
    } else {
        (0x55u8, (!v) as u32)
    };
    if mag > 0xFFF {
        return 0x7F ^ mask;
    }
    let top = 32 - (mag | 1).leading_zeros(); // bits needed, 1..=12
    let seg = top.saturating_sub(5); // segment 0 holds 5 bits, each next one more
    let mantissa = if seg < 2 {
        (mag >> 1) & 0x0F
    } else {
        (mag >> seg) & 0x0F
    };
    ((seg << 4) as u8 | mantissa as u8) ^ mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ulaw_values() {
        // G.711 Table 2 endpoints and zeros: 0xFF/0x7F are +0/-0, 0x80/0x00 the extremes.
        assert_eq!(ulaw_decode(0xFF), 0);
        assert_eq!(ulaw_decode(0x7F), 0);
        assert_eq!(ulaw_decode(0x80), 32124);
        assert_eq!(ulaw_decode(0x00), -32124);
        assert_eq!(ulaw_decode(0xFE), 8);
        assert_eq!(ulaw_decode(0xF0), 8 * 15);
        assert_eq!(ulaw_decode(0xEF), 132);
        assert_eq!(ulaw_encode(0), 0xFF);
        assert_eq!(ulaw_encode(i16::MAX), 0x80);
        assert_eq!(ulaw_encode(i16::MIN), 0x00);
        assert_eq!(ulaw_encode(1000), 0xCE);
        assert_eq!(ulaw_encode(-1000), 0x4E);
    }

    #[test]
    fn known_alaw_values() {
        // 0xD5/0x55 are the smallest positive/negative steps (even bits inverted).
        assert_eq!(alaw_decode(0xD5), 8);
        assert_eq!(alaw_decode(0x55), -8);
        assert_eq!(alaw_decode(0xAA), 32256);
        assert_eq!(alaw_decode(0x2A), -32256);
        assert_eq!(alaw_encode(0), 0xD5);
        assert_eq!(alaw_encode(-1), 0x55);
        assert_eq!(alaw_encode(i16::MAX), 0xAA);
        assert_eq!(alaw_encode(i16::MIN), 0x2A);
        assert_eq!(alaw_encode(1000), 0xFA);
        assert_eq!(alaw_encode(-1000), 0x7A);
    }

    #[test]
    fn every_code_round_trips() {
        for c in 0..=255u8 {
            assert_eq!(alaw_encode(alaw_decode(c)), c, "A-law {c:#04x}");
            // µ-law has two zeros; -0 (0x7F) comes back as +0.
            let want = if c == 0x7F { 0xFF } else { c };
            assert_eq!(ulaw_encode(ulaw_decode(c)), want, "µ-law {c:#04x}");
        }
    }

    #[test]
    fn encoding_picks_the_nearest_level() {
        // Every sample decodes back to within half a step of the level it was put in.
        for codec in [Codec::Pcmu, Codec::Pcma] {
            let mut levels: Vec<i16> = (0..=255u8).map(|c| codec.decode(c)).collect();
            levels.sort_unstable();
            levels.dedup();
            for s in (i16::MIN..=i16::MAX).step_by(7) {
                let got = codec.decode(codec.encode(s));
                let best = levels
                    .iter()
                    .map(|l| (i32::from(*l) - i32::from(s)).abs())
                    .min()
                    .unwrap_or(0);
                let err = (i32::from(got) - i32::from(s)).abs();
                assert!(err <= best + 1 || err <= best * 2, "{codec:?} {s}: {got}");
            }
        }
    }

    #[test]
    fn slices_use_the_tables() {
        let pcm = [0i16, 1000, -1000, 32000];
        let mut codes = [0u8; 4];
        let mut back = [0i16; 4];
        for codec in [Codec::Pcmu, Codec::Pcma] {
            assert_eq!(codec.encode_into(&pcm, &mut codes), 4);
            assert_eq!(codec.decode_into(&codes, &mut back), 4);
            for (a, b) in pcm.iter().zip(back) {
                assert!((i32::from(*a) - i32::from(b)).abs() < 1100);
            }
        }
        assert_eq!(Codec::from_payload_type(8), Some(Codec::Pcma));
        assert_eq!(Codec::Pcmu.payload_type(), 0);
    }
}
