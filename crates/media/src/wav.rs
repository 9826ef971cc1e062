//! WAV (RIFF WAVE) headers for recordings, and a small reader for tests, playback and
//! analysis. Two formats: G.711 µ-law (format tag 7, 8 bits a sample — compact, what
//! recordings use) and 16-bit linear PCM.
//!
//! The reader repairs what a writer that died leaves behind: a data chunk whose size is
//! zero, or runs past the end of the file, is read to the end of the file (whole sample
//! frames only).

use std::fmt;

use crate::g711;

/// A recording's sample encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WavFormat {
    /// G.711 µ-law, WAVE format tag 7.
    MuLaw,
    /// Linear 16-bit little-endian PCM, format tag 1.
    Pcm16,
}

impl WavFormat {
    const fn tag(self) -> u16 {
        match self {
            WavFormat::MuLaw => 7,
            WavFormat::Pcm16 => 1,
        }
    }

    pub const fn bytes_per_sample(self) -> usize {
        match self {
            WavFormat::MuLaw => 1,
            WavFormat::Pcm16 => 2,
        }
    }

    /// The header's length: non-PCM formats carry an 18-byte fmt chunk and a fact chunk.
    pub const fn header_len(self) -> usize {
        match self {
            WavFormat::MuLaw => 58,
            WavFormat::Pcm16 => 44,
        }
    }
}

/// Writes a header for `data_len` bytes of audio into `out` (at least 58 bytes); returns
/// the header's length.
pub fn write_header(
    out: &mut [u8],
    format: WavFormat,
    channels: u16,
    rate: u32,
    data_len: u32,
) -> usize {
    let block = channels * format.bytes_per_sample() as u16;
    let len = format.header_len();
    let mut w = Cursor { out, at: 0 };
    w.put(b"RIFF");
    w.u32((len as u32 - 8).saturating_add(data_len));
    w.put(b"WAVE");
    w.put(b"fmt ");
    w.u32(if format == WavFormat::Pcm16 { 16 } else { 18 });
    w.u16(format.tag());
    w.u16(channels);
    w.u32(rate);
    w.u32(rate * u32::from(block));
    w.u16(block);
    w.u16(8 * format.bytes_per_sample() as u16);
    if format == WavFormat::MuLaw {
        w.u16(0); // cbSize: no extra format bytes
        w.put(b"fact");
        w.u32(4);
        w.u32(data_len / u32::from(block.max(1)));
    }
    w.put(b"data");
    w.u32(data_len);
    len
}

/// A whole 16-bit PCM WAV file of `samples` (interleaved when `channels` > 1).
pub fn pcm16(channels: u16, rate: u32, samples: &[i16]) -> Vec<u8> {
    let data = samples.len() * 2;
    let mut out = vec![0u8; WavFormat::Pcm16.header_len()];
    let len = write_header(
        &mut out,
        WavFormat::Pcm16,
        channels,
        rate,
        u32::try_from(data).unwrap_or(u32::MAX),
    );
    out.truncate(len);
    out.reserve(data);
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

struct Cursor<'a> {
    out: &'a mut [u8],
    at: usize,
}

impl Cursor<'_> {
    fn put(&mut self, b: &[u8]) {
        if let Some(dst) = self.out.get_mut(self.at..self.at + b.len()) {
            dst.copy_from_slice(b);
        }
        self.at += b.len();
    }
    fn u16(&mut self, v: u16) {
        self.put(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.put(&v.to_le_bytes());
    }
}

/// Why bytes are not a WAV file we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WavError {
    NotRiffWave,
    NoFormat,
    /// A format other than µ-law or 16-bit PCM, or zero channels.
    Unsupported,
    NoData,
}

impl fmt::Display for WavError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for WavError {}

/// A decoded WAV file: linear samples per channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wav {
    pub format: WavFormat,
    pub sample_rate: u32,
    pub channels: Vec<Vec<i16>>,
    /// The data size in the header was wrong (the writer did not finish) and was repaired.
    pub repaired: bool,
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Reads a WAV file from memory.
pub fn read(bytes: &[u8]) -> Result<Wav, WavError> {
    if bytes.get(..4) != Some(b"RIFF") || bytes.get(8..12) != Some(b"WAVE") {
        return Err(WavError::NotRiffWave);
    }
    let mut at = 12;
    let mut fmt: Option<(WavFormat, usize, u32)> = None;
    while let (Some(id), Some(size)) = (bytes.get(at..at + 4), le32(bytes, at + 4)) {
        let body = at + 8;
        if id == b"fmt " {
            let tag = le16(bytes, body).ok_or(WavError::NoFormat)?;
            let channels = usize::from(le16(bytes, body + 2).ok_or(WavError::NoFormat)?);
            let rate = le32(bytes, body + 4).ok_or(WavError::NoFormat)?;
            let bits = le16(bytes, body + 14).ok_or(WavError::NoFormat)?;
            let format = match (tag, bits) {
                (7, 8) => WavFormat::MuLaw,
                (1, 16) => WavFormat::Pcm16,
                _ => return Err(WavError::Unsupported),
            };
            if channels == 0 {
                return Err(WavError::Unsupported);
            }
            fmt = Some((format, channels, rate));
        } else if id == b"data" {
            let (format, channels, sample_rate) = fmt.ok_or(WavError::NoFormat)?;
            let rest = &bytes[body.min(bytes.len())..];
            let size = size as usize;
            let repaired = size == 0 || size > rest.len();
            let data = if repaired { rest } else { &rest[..size] };
            let channels = decode(format, channels, data);
            return Ok(Wav {
                format,
                sample_rate,
                channels,
                repaired,
            });
        }
        // Chunks are padded to an even length.
        at = body + (size as usize).next_multiple_of(2);
    }
    Err(WavError::NoData)
}

fn decode(format: WavFormat, channels: usize, data: &[u8]) -> Vec<Vec<i16>> {
    let block = channels * format.bytes_per_sample();
    let frames = data.len() / block;
    let mut out = vec![Vec::with_capacity(frames); channels];
    for frame in data.chunks_exact(block) {
        for (c, ch) in out.iter_mut().enumerate() {
            ch.push(match format {
                WavFormat::MuLaw => g711::ulaw_decode(frame[c]),
                WavFormat::Pcm16 => i16::from_le_bytes([frame[2 * c], frame[2 * c + 1]]),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pcm_header_matches_the_canonical_layout() {
        let mut h = [0u8; 64];
        let n = write_header(&mut h, WavFormat::Pcm16, 2, 8000, 640);
        assert_eq!(n, 44);
        let want: [u8; 44] = [
            b'R', b'I', b'F', b'F', 0xA4, 2, 0, 0, b'W', b'A', b'V', b'E', b'f', b'm', b't', b' ',
            16, 0, 0, 0, 1, 0, 2, 0, 0x40, 0x1F, 0, 0, 0x00, 0x7D, 0, 0, 4, 0, 16, 0, b'd', b'a',
            b't', b'a', 0x80, 2, 0, 0,
        ];
        assert_eq!(h[..44], want);
    }

    #[test]
    fn both_formats_read_back() {
        for format in [WavFormat::MuLaw, WavFormat::Pcm16] {
            let mut file = vec![0u8; format.header_len()];
            let samples: Vec<(i16, i16)> = (0..100).map(|i| (i * 300, -i * 100)).collect();
            for (l, r) in &samples {
                match format {
                    WavFormat::MuLaw => file.extend([g711::ulaw_encode(*l), g711::ulaw_encode(*r)]),
                    WavFormat::Pcm16 => {
                        file.extend(l.to_le_bytes());
                        file.extend(r.to_le_bytes());
                    }
                }
            }
            let len = (file.len() - format.header_len()) as u32;
            write_header(&mut file, format, 2, 8000, len);
            let wav = read(&file).expect("valid");
            assert_eq!(
                (wav.format, wav.sample_rate, wav.repaired),
                (format, 8000, false)
            );
            assert_eq!(wav.channels.len(), 2);
            for (i, (l, r)) in samples.iter().enumerate() {
                let tol = if format == WavFormat::MuLaw { 600 } else { 0 };
                assert!(
                    (wav.channels[0][i] - l).abs() <= tol && (wav.channels[1][i] - r).abs() <= tol
                );
            }
        }
    }

    #[test]
    fn an_unfinished_file_is_repaired() {
        let mut file = vec![0u8; 58];
        write_header(&mut file, WavFormat::MuLaw, 2, 8000, 0);
        file.extend([0xFF; 21]); // ten whole stereo samples and a torn one
        let wav = read(&file).expect("readable");
        assert!(wav.repaired);
        assert_eq!(wav.channels[0].len(), 10);
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        assert_eq!(read(b"RIFX"), Err(WavError::NotRiffWave));
        let mut h = [0u8; 44];
        write_header(&mut h, WavFormat::Pcm16, 1, 8000, 0);
        h[34] = 24; // 24-bit
        assert_eq!(read(&h), Err(WavError::Unsupported));
        for len in 0..44 {
            let _ = read(&h[..len]);
        }
        assert_eq!(read(&h[..36]), Err(WavError::Unsupported));
    }
}
