//! The prompts the IVR and the queue play: the demo's, the place-in-line announcement's
//! numbers and words, voicemail's greeting and tone — made once with espeak-ng and sox by
//! `scripts/make-prompts.sh` and compiled in, decoded to 8 kHz samples on first use.
//! (Prompts that admins upload are `uploads.rs`'s.)

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../assets/prompts/", $name, ".wav")))),*]
    };
}

const BUILTIN: &[(&str, &[u8])] = builtin!(
    "zh-welcome",
    "en-welcome",
    "zh-invalid",
    "en-invalid",
    "zh-queue",
    "en-queue",
    "zh-goodbye",
    "en-goodbye",
    "music",
    // Outbound calls' ringback (`switchboard_voice::outbound`).
    "ringback",
    // The satisfaction survey (`switchboard_voice::survey`).
    "zh-survey",
    "en-survey",
    "zh-survey-thanks",
    "en-survey-thanks",
    // The place-in-line announcement's pieces (`switchboard_voice::announce`).
    "zh-0",
    "zh-1",
    "zh-2",
    "zh-3",
    "zh-4",
    "zh-5",
    "zh-6",
    "zh-7",
    "zh-8",
    "zh-9",
    "zh-10",
    "en-0",
    "en-1",
    "en-2",
    "en-3",
    "en-4",
    "en-5",
    "en-6",
    "en-7",
    "en-8",
    "en-9",
    "en-10",
    "en-11",
    "en-12",
    "en-13",
    "en-14",
    "en-15",
    "en-16",
    "en-17",
    "en-18",
    "en-19",
    "en-20",
    "en-30",
    "en-40",
    "en-50",
    "en-60",
    "en-70",
    "en-80",
    "en-90",
    "zh-next",
    "zh-position-1",
    "zh-position-2",
    "zh-wait-1",
    "zh-wait-2",
    "zh-wait-short",
    "en-next",
    "en-position-1",
    "en-position-2",
    "en-wait-1",
    "en-wait-2",
    "en-wait-short",
    // Voicemail's greeting and tone.
    "zh-voicemail",
    "en-voicemail",
    "beep",
);

/// Every built-in prompt's name, as flows use it.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}

/// The music on hold.
pub const MUSIC: &str = "music";

fn decoded() -> &'static HashMap<&'static str, Arc<[i16]>> {
    static TABLE: OnceLock<HashMap<&'static str, Arc<[i16]>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        BUILTIN
            .iter()
            .filter_map(|(name, bytes)| match switchboard_media::wav::read(bytes) {
                Ok(wav) => wav
                    .channels
                    .into_iter()
                    .next()
                    .map(|c| (*name, Arc::from(c))),
                Err(e) => {
                    tracing::error!(prompt = name, error = ?e, "a built-in prompt cannot be read");
                    None
                }
            })
            .collect()
    })
}

/// A prompt's audio by name, if there is one.
pub fn audio(name: &str) -> Option<Arc<[i16]>> {
    decoded().get(name).cloned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_prompt_decodes_to_audio() {
        for (name, _) in super::BUILTIN {
            let audio = super::audio(name).unwrap_or_else(|| panic!("{name} does not decode"));
            assert!(
                audio.len() > 2_000,
                "{name} is at least a quarter second long"
            );
            assert!(
                audio.iter().any(|s| s.unsigned_abs() > 1_000),
                "{name} is not silence"
            );
        }
    }

    #[test]
    fn every_piece_of_an_announcement_and_of_voicemail_is_shipped() {
        let voicemail = [
            "zh-voicemail",
            "en-voicemail",
            "beep",
            "zh-goodbye",
            "en-goodbye",
            switchboard_voice::outbound::RINGBACK,
        ];
        let names = switchboard_voice::announce::all_prompts();
        for name in names.iter().map(String::as_str).chain(voicemail) {
            assert!(
                super::audio(name).is_some(),
                "{name} is not a built-in prompt"
            );
        }
    }
}
