//! The prompts the IVR and the queue play: the demo's, made once with espeak-ng and sox by
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
            assert!(audio.len() > 8_000, "{name} is at least a second long");
            assert!(
                audio.iter().any(|s| s.unsigned_abs() > 1_000),
                "{name} is not silence"
            );
        }
    }
}
