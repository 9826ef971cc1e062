//! Packets of any length (10, 30, 40, 60 ms…) cut into the 20 ms frames the jitter buffer
//! holds. Contiguous packets (by RTP timestamp) fill frames across packet borders; a gap or
//! reordering closes the frame begun with silence and starts again at the new packet. A
//! 20 ms packet on the grid passes straight through. Fixed buffer: no allocation.

use crate::FRAME_SAMPLES;

#[derive(Debug, Clone, Copy)]
pub struct Reframer {
    /// RTP timestamp of the frame being filled.
    ts: u32,
    buf: [u8; FRAME_SAMPLES],
    filled: usize,
}

impl Default for Reframer {
    fn default() -> Self {
        Reframer {
            ts: 0,
            buf: [0; FRAME_SAMPLES],
            filled: 0,
        }
    }
}

impl Reframer {
    /// Feeds one packet's payload; `emit` gets each whole frame with its timestamp.
    /// `silence` is the codec's code for zero (µ-law 0xFF, A-law 0xD5).
    pub fn feed(
        &mut self,
        ts: u32,
        payload: &[u8],
        silence: u8,
        mut emit: impl FnMut(u32, &[u8; FRAME_SAMPLES]),
    ) {
        if self.filled > 0 && ts != self.ts.wrapping_add(self.filled as u32) {
            self.buf[self.filled..].fill(silence);
            emit(self.ts, &self.buf);
            self.filled = 0;
        }
        if self.filled == 0 {
            if let Ok(frame) = <&[u8; FRAME_SAMPLES]>::try_from(payload) {
                return emit(ts, frame);
            }
            self.ts = ts;
        }
        let mut rest = payload;
        while !rest.is_empty() {
            let take = (FRAME_SAMPLES - self.filled).min(rest.len());
            self.buf[self.filled..self.filled + take].copy_from_slice(&rest[..take]);
            self.filled += take;
            rest = &rest[take..];
            if self.filled == FRAME_SAMPLES {
                emit(self.ts, &self.buf);
                self.ts = self.ts.wrapping_add(FRAME_SAMPLES as u32);
                self.filled = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(packets: &[(u32, usize)]) -> Vec<(u32, u8, u8)> {
        let mut r = Reframer::default();
        let mut out = Vec::new();
        for &(ts, len) in packets {
            let payload: Vec<u8> = (0..len).map(|i| (ts as usize + i) as u8).collect();
            r.feed(ts, &payload, 0xFF, |t, f| {
                out.push((t, f[0], f[FRAME_SAMPLES - 1]))
            });
        }
        out
    }

    #[test]
    fn thirty_ms_packets_become_twenty_ms_frames() {
        let out = frames(&[(0, 240), (240, 240), (480, 240)]);
        assert_eq!(
            out.iter().map(|f| f.0).collect::<Vec<_>>(),
            [0, 160, 320, 480]
        );
        assert_eq!(
            out[1],
            (160, 160, (319 % 256) as u8),
            "a frame spans two packets"
        );
    }

    #[test]
    fn a_gap_closes_the_frame_with_silence() {
        let out = frames(&[(0, 240), (720, 240)]);
        assert_eq!(out[1], (160, 160, 0xFF));
        assert_eq!(out[2].0, 720);
    }

    #[test]
    fn twenty_ms_packets_pass_through_and_ten_ms_ones_pair_up() {
        assert_eq!(frames(&[(0, 160), (160, 160)]).len(), 2);
        assert_eq!(frames(&[(0, 80), (80, 80), (160, 80)]), [(0, 0, 159)]);
    }
}
