//! A stereo call recorder: customer on the left, agent on the right, time-aligned — one
//! frame per side for every 20 ms tick, silence where a side sent nothing — written as a
//! WAV stream to any `Write + Seek` the caller owns (a file, a buffer, a channel to a
//! writer task). The recorder opens nothing itself.
//!
//! A recording stays readable if the process dies before [`Recorder::finish`]: the header
//! is written first with a data size of zero, the sizes are rewritten every
//! `refresh_every` frames (a second by default), and [`crate::wav::read`] reads a data
//! chunk with a missing or short size to the end of the file. Writing a frame encodes
//! into a fixed buffer; only the periodic size refresh seeks.

use std::io::{self, Seek, SeekFrom, Write};

use crate::wav::{write_header, WavFormat};
use crate::{g711, Frame, FRAME_SAMPLES, SAMPLE_RATE};

/// Frames between rewrites of the header's sizes: one second.
pub const DEFAULT_REFRESH: u32 = 50;

/// Records two sides of a call into a stereo WAV.
#[derive(Debug)]
pub struct Recorder<W: Write + Seek> {
    out: W,
    /// Where the header starts in the writer.
    start: u64,
    format: WavFormat,
    data_len: u32,
    refresh_every: u32,
    since_refresh: u32,
    buf: [u8; 4 * FRAME_SAMPLES],
}

impl<W: Write + Seek> Recorder<W> {
    /// Starts a recording at the writer's current position (normally its start).
    pub fn new(mut out: W, format: WavFormat) -> io::Result<Recorder<W>> {
        let start = out.stream_position()?;
        let mut header = [0u8; 64];
        let n = write_header(&mut header, format, 2, SAMPLE_RATE, 0);
        out.write_all(&header[..n])?;
        Ok(Recorder {
            out,
            start,
            format,
            data_len: 0,
            refresh_every: DEFAULT_REFRESH,
            since_refresh: 0,
            buf: [0; 4 * FRAME_SAMPLES],
        })
    }

    /// Rewrites the sizes every `frames` frames instead (0: only at the end).
    pub fn refresh_every(mut self, frames: u32) -> Recorder<W> {
        self.refresh_every = frames;
        self
    }

    /// Writes one 20 ms tick: what the customer and the agent said.
    pub fn write_frame(&mut self, customer: &Frame, agent: &Frame) -> io::Result<()> {
        let n = match self.format {
            WavFormat::MuLaw => {
                for (i, (l, r)) in customer.iter().zip(agent).enumerate() {
                    self.buf[2 * i] = g711::ulaw_encode(*l);
                    self.buf[2 * i + 1] = g711::ulaw_encode(*r);
                }
                2 * FRAME_SAMPLES
            }
            WavFormat::Pcm16 => {
                for (i, (l, r)) in customer.iter().zip(agent).enumerate() {
                    self.buf[4 * i..4 * i + 2].copy_from_slice(&l.to_le_bytes());
                    self.buf[4 * i + 2..4 * i + 4].copy_from_slice(&r.to_le_bytes());
                }
                4 * FRAME_SAMPLES
            }
        };
        self.out.write_all(&self.buf[..n])?;
        self.data_len = self.data_len.saturating_add(n as u32);
        self.since_refresh += 1;
        if self.refresh_every > 0 && self.since_refresh >= self.refresh_every {
            self.since_refresh = 0;
            self.write_sizes()?;
        }
        Ok(())
    }

    /// Rewrites the header in place, then returns to the end.
    fn write_sizes(&mut self) -> io::Result<()> {
        let mut header = [0u8; 64];
        let n = write_header(&mut header, self.format, 2, SAMPLE_RATE, self.data_len);
        let end = self.out.stream_position()?;
        self.out.seek(SeekFrom::Start(self.start))?;
        self.out.write_all(&header[..n])?;
        self.out.seek(SeekFrom::Start(end))?;
        Ok(())
    }

    /// Frames (20 ms ticks) recorded so far.
    pub fn frames_written(&self) -> u64 {
        u64::from(self.data_len) / (2 * FRAME_SAMPLES * self.format.bytes_per_sample()) as u64
    }

    /// Writes the final sizes, flushes, and hands the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        self.write_sizes()?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav;
    use std::io::Cursor;

    fn tone(freq: f64, frame: usize) -> Frame {
        let mut f = [0i16; FRAME_SAMPLES];
        for (i, s) in f.iter_mut().enumerate() {
            let t = (frame * FRAME_SAMPLES + i) as f64 / 8000.0;
            *s = (8000.0 * (2.0 * std::f64::consts::PI * freq * t).sin()) as i16;
        }
        f
    }

    #[test]
    fn each_side_lands_on_its_own_channel_in_both_formats() {
        for format in [WavFormat::MuLaw, WavFormat::Pcm16] {
            let mut rec = Recorder::new(Cursor::new(Vec::new()), format).expect("memory");
            for n in 0..60 {
                rec.write_frame(&tone(440.0, n), &crate::SILENCE)
                    .expect("memory");
            }
            assert_eq!(rec.frames_written(), 60);
            let bytes = rec.finish().expect("memory").into_inner();
            let w = wav::read(&bytes).expect("valid");
            assert!(!w.repaired);
            assert_eq!(
                (w.channels[0].len(), w.channels[1].len()),
                (60 * 160, 60 * 160)
            );
            assert!(w.channels[1].iter().all(|s| *s == 0));
            let tol = if format == WavFormat::MuLaw { 300 } else { 0 };
            let want: Vec<i16> = (0..60).flat_map(|n| tone(440.0, n)).collect();
            assert!(w.channels[0]
                .iter()
                .zip(&want)
                .all(|(a, b)| (a - b).abs() <= tol));
        }
    }

    #[test]
    fn a_recording_cut_short_is_still_readable() {
        let mut rec = Recorder::new(Cursor::new(Vec::new()), WavFormat::MuLaw)
            .expect("memory")
            .refresh_every(50);
        for n in 0..120 {
            rec.write_frame(&tone(1000.0, n), &tone(440.0, n))
                .expect("memory");
        }
        // The process dies: nobody calls finish. The header says 100 frames were written
        // (the last refresh), a consistent file any reader takes.
        let bytes = rec.out.into_inner();
        let size = u32::from_le_bytes([bytes[54], bytes[55], bytes[56], bytes[57]]);
        assert_eq!(size, 100 * 320);
        let w = wav::read(&bytes).expect("readable");
        assert_eq!(w.channels[0].len(), 100 * 160);
        assert!(!w.repaired);
        // A writer that died before its first refresh leaves a zero size: ours reads to
        // the end of the file.
        let mut early = bytes.clone();
        early[54..58].fill(0);
        let w = wav::read(&early).expect("readable");
        assert!(w.repaired);
        assert_eq!(w.channels[1].len(), 120 * 160);
    }
}
