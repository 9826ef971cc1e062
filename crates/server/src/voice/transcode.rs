//! Uploaded audio to telephone audio: WAV or MP3 decoded with symphonia, mixed down to
//! mono and resampled to 8 kHz with rubato, as 16-bit samples. Streamed chunk by chunk, so
//! a long upload never holds more than its 8 kHz result; bounded in length.

use std::io::Cursor;

use rubato::{FftFixedIn, Resampler};
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as AudioError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

/// The telephone's rate.
pub const RATE: u32 = 8_000;

/// The longest prompt accepted.
pub const MAX_SECONDS: u64 = 600;

/// Input frames the resampler takes at a time.
const CHUNK: usize = 1_024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranscodeError {
    /// Not WAV or MP3 we can read; says why.
    Undecodable(String),
    TooLong,
    /// Decoded, but no sound in it.
    Empty,
}

/// Decodes WAV or MP3 bytes into 8 kHz mono 16-bit samples.
pub fn to_telephone(bytes: Vec<u8>) -> Result<Vec<i16>, TranscodeError> {
    let bad = |e: AudioError| TranscodeError::Undecodable(e.to_string());
    let source = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let probed = symphonia::default::get_probe()
        .format(
            &Hint::new(),
            source,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(bad)?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| TranscodeError::Undecodable("no audio track".into()))?;
    let track_id = track.id;
    let rate = track
        .codec_params
        .sample_rate
        .filter(|r| (RATE..=192_000).contains(r))
        .ok_or_else(|| TranscodeError::Undecodable("the sample rate is not 8-192 kHz".into()))?;
    let mut decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(bad)?;
    let mut out = Mono::new(rate)?;
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(AudioError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(bad(e)),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            // A damaged frame (common at an MP3's edges) is skipped, as players do.
            Err(AudioError::DecodeError(_)) => continue,
            Err(e) => return Err(bad(e)),
        };
        let spec = *decoded.spec();
        let channels = spec.channels.count().max(1);
        let mut buf = SampleBuffer::<f32>::new(decoded.capacity() as u64, spec);
        buf.copy_interleaved_ref(decoded);
        for frame in buf.samples().chunks(channels) {
            out.push(frame.iter().sum::<f32>() / channels as f32)?;
        }
    }
    out.finish()
}

/// Mono samples at the source's rate in, 8 kHz out.
struct Mono {
    rate: u32,
    resampler: Option<FftFixedIn<f32>>,
    pending: Vec<f32>,
    frames_in: u64,
    out: Vec<f32>,
}

impl Mono {
    fn new(rate: u32) -> Result<Self, TranscodeError> {
        let resampler = if rate == RATE {
            None
        } else {
            let r = FftFixedIn::new(rate as usize, RATE as usize, CHUNK, 2, 1)
                .map_err(|e| TranscodeError::Undecodable(e.to_string()))?;
            Some(r)
        };
        Ok(Self {
            rate,
            resampler,
            pending: Vec::with_capacity(CHUNK),
            frames_in: 0,
            out: Vec::new(),
        })
    }

    fn push(&mut self, sample: f32) -> Result<(), TranscodeError> {
        self.frames_in += 1;
        if self.frames_in > MAX_SECONDS * u64::from(self.rate) {
            return Err(TranscodeError::TooLong);
        }
        self.pending.push(sample);
        if self.pending.len() == CHUNK {
            self.flush_chunk()?;
        }
        Ok(())
    }

    fn flush_chunk(&mut self) -> Result<(), TranscodeError> {
        match &mut self.resampler {
            None => self.out.append(&mut self.pending),
            Some(r) => {
                self.pending.resize(CHUNK, 0.0);
                let mut res = r
                    .process(&[&self.pending[..]], None)
                    .map_err(|e| TranscodeError::Undecodable(e.to_string()))?;
                self.out.append(&mut res[0]);
                self.pending.clear();
            }
        }
        Ok(())
    }

    /// Runs the resampler past its delay, then trims the result to the input's length.
    fn finish(mut self) -> Result<Vec<i16>, TranscodeError> {
        let wanted = (self.frames_in * u64::from(RATE) / u64::from(self.rate)) as usize;
        let delay = self.resampler.as_ref().map_or(0, |r| r.output_delay());
        if !self.pending.is_empty() || self.resampler.is_some() {
            self.flush_chunk()?;
        }
        while self.resampler.is_some() && self.out.len() < delay + wanted {
            self.flush_chunk()?;
        }
        let audio: Vec<i16> = self
            .out
            .iter()
            .skip(delay)
            .take(wanted)
            .map(|s| (s * 32_767.0).round().clamp(-32_768.0, 32_767.0) as i16)
            .collect();
        if audio.is_empty() {
            return Err(TranscodeError::Empty);
        }
        Ok(audio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 16-bit PCM WAV of a tone: `channels` copies of the same sine.
    fn tone_wav(rate: u32, channels: u16, hz: f64, seconds: f64) -> Vec<u8> {
        let frames = (f64::from(rate) * seconds) as usize;
        let samples: Vec<i16> = (0..frames)
            .flat_map(|i| {
                let t = i as f64 / f64::from(rate);
                let s = ((t * hz * std::f64::consts::TAU).sin() * 12_000.0) as i16;
                std::iter::repeat_n(s, usize::from(channels))
            })
            .collect();
        switchboard_media::wav::pcm16(channels, rate, &samples)
    }

    /// Sign changes from negative to positive per second: a sine's frequency.
    fn frequency(samples: &[i16]) -> f64 {
        let ups = samples.windows(2).filter(|w| w[0] < 0 && w[1] >= 0).count();
        ups as f64 * f64::from(RATE) / samples.len() as f64
    }

    #[test]
    fn a_cd_rate_stereo_tone_keeps_its_pitch_and_length() {
        let audio = to_telephone(tone_wav(44_100, 2, 440.0, 2.0)).unwrap();
        assert_eq!(audio.len(), 16_000);
        let f = frequency(&audio[800..15_200]);
        assert!((f - 440.0).abs() < 5.0, "{f} Hz");
        let peak = audio.iter().map(|s| s.unsigned_abs()).max().unwrap();
        assert!((10_000..14_000).contains(&peak), "peak {peak}");
    }

    #[test]
    fn telephone_rate_audio_passes_unchanged_in_length() {
        let audio = to_telephone(tone_wav(8_000, 1, 300.0, 1.5)).unwrap();
        assert_eq!(audio.len(), 12_000);
        assert!((frequency(&audio) - 300.0).abs() < 5.0);
    }

    #[test]
    fn garbage_empty_and_long_audio_are_refused() {
        assert!(matches!(
            to_telephone(b"this is not audio at all".repeat(100)),
            Err(TranscodeError::Undecodable(_))
        ));
        assert!(matches!(
            to_telephone(tone_wav(8_000, 1, 300.0, 0.0)),
            Err(TranscodeError::Empty | TranscodeError::Undecodable(_))
        ));
        // 601 s at 8 kHz: past the limit (a small file, so the check is on length).
        assert_eq!(
            to_telephone(tone_wav(8_000, 1, 300.0, 601.0)),
            Err(TranscodeError::TooLong)
        );
    }
}
