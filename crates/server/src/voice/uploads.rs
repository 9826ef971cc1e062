//! Prompts admins upload: their audio is a 16-bit 8 kHz mono WAV under the data directory
//! (`prompts/<tenant>/<id>.wav`; ids are UUIDs we make, so a path never carries anything a
//! caller wrote), and every one's samples are kept in memory, loaded at start and on upload,
//! so the media runner resolves a name without waiting on the database or the disk. A flow
//! names one as `up-<id>`, which no built-in prompt's name can be.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use switchboard_engine::TenantId;
use switchboard_media::wav;
use switchboard_storage::Storage;
use uuid::Uuid;

use super::prompts;

/// What starts the name a flow uses for an uploaded prompt.
const PREFIX: &str = "up-";

/// The name flows use for an uploaded prompt.
pub fn prompt_name(id: Uuid) -> String {
    format!("{PREFIX}{id}")
}

/// The uploaded prompt a flow's prompt name means, if it names one.
pub fn id_of(name: &str) -> Option<Uuid> {
    name.strip_prefix(PREFIX)
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// Whether a name is meant as an uploaded prompt's (even a malformed one).
pub fn looks_uploaded(name: &str) -> bool {
    name.starts_with(PREFIX)
}

#[derive(Default)]
pub struct UploadedPrompts {
    root: RwLock<Option<PathBuf>>,
    audio: RwLock<HashMap<Uuid, Arc<[i16]>>>,
}

impl UploadedPrompts {
    /// Where the files live (`<data>/prompts`).
    pub fn set_root(&self, root: PathBuf) {
        *self.root.write().unwrap_or_else(|p| p.into_inner()) = Some(root);
    }

    /// A prompt's file; `None` before the server said where files live.
    pub fn path(&self, tenant: TenantId, id: Uuid) -> Option<PathBuf> {
        let root = self.root.read().unwrap_or_else(|p| p.into_inner());
        root.as_ref()
            .map(|r| r.join(tenant.0.to_string()).join(format!("{id}.wav")))
    }

    /// A prompt's audio by the name a flow uses: built-in or uploaded.
    pub fn audio(&self, name: &str) -> Option<Arc<[i16]>> {
        match id_of(name) {
            Some(id) => self
                .audio
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .get(&id)
                .cloned(),
            None => prompts::audio(name),
        }
    }

    pub fn insert(&self, id: Uuid, samples: Arc<[i16]>) {
        let mut map = self.audio.write().unwrap_or_else(|p| p.into_inner());
        map.insert(id, samples);
    }

    pub fn remove(&self, id: Uuid) {
        let mut map = self.audio.write().unwrap_or_else(|p| p.into_inner());
        map.remove(&id);
    }

    /// Writes a prompt's file (whole, then renamed into place: a crash leaves no half file
    /// under the prompt's name). Blocking: call it off the runtime's threads.
    pub fn write(&self, tenant: TenantId, id: Uuid, samples: &[i16]) -> io::Result<()> {
        let path = self
            .path(tenant, id)
            .ok_or_else(|| io::Error::other("the prompts folder is not set"))?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let partial = path.with_extension("partial");
        let mut file = fs::File::create(&partial)?;
        file.write_all(&wav_bytes(samples))?;
        file.sync_all()?;
        fs::rename(partial, path)
    }

    /// Removes a prompt's file and audio; a file already gone is fine.
    pub fn delete(&self, tenant: TenantId, id: Uuid) -> io::Result<()> {
        self.remove(id);
        match self.path(tenant, id).map(fs::remove_file) {
            Some(Err(e)) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Loads every tenant's uploaded prompts into memory (at start); returns how many. A
    /// file that is missing or unreadable is logged and left out: its prompt stays silent.
    pub async fn load(&self, store: &dyn Storage) -> anyhow::Result<usize> {
        let mut loaded = 0;
        for t in store.tenants().await? {
            for p in store.voice_prompts(t.id).await? {
                let Some(path) = self.path(t.id, p.id) else {
                    return Ok(loaded);
                };
                let read = tokio::fs::read(&path).await.map_err(|e| e.to_string());
                match read.and_then(|b| samples_of(&b)) {
                    Ok(samples) => {
                        self.insert(p.id, samples);
                        loaded += 1;
                    }
                    Err(why) => {
                        tracing::error!(prompt = %p.id, path = %path.display(), %why, "an uploaded prompt cannot be read")
                    }
                }
            }
        }
        Ok(loaded)
    }
}

/// A 16-bit 8 kHz mono WAV file of these samples.
pub fn wav_bytes(samples: &[i16]) -> Vec<u8> {
    wav::pcm16(1, 8_000, samples)
}

/// The samples of a stored prompt file.
fn samples_of(bytes: &[u8]) -> Result<Arc<[i16]>, String> {
    let wav = wav::read(bytes).map_err(|e| e.to_string())?;
    if wav.sample_rate != 8_000 {
        return Err(format!("{} Hz, not 8000", wav.sample_rate));
    }
    wav.channels
        .into_iter()
        .next()
        .map(Arc::from)
        .ok_or_else(|| "no audio".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_told_apart_from_built_in_ones() {
        let id = Uuid::new_v4();
        assert_eq!(id_of(&prompt_name(id)), Some(id));
        assert_eq!(id_of("zh-welcome"), None);
        assert_eq!(id_of("up-nonsense"), None);
        assert!(looks_uploaded("up-nonsense"));
        // Every built-in name is plain and none starts like an uploaded one.
        assert!(prompts::names().all(|n| !looks_uploaded(n)));
    }

    #[test]
    fn files_round_trip_and_feed_the_cache() {
        let dir = std::env::temp_dir().join(format!("sb-prompts-{}", Uuid::new_v4()));
        let store = UploadedPrompts::default();
        store.set_root(dir.clone());
        let (tenant, id) = (TenantId::new(), Uuid::new_v4());
        let samples: Vec<i16> = (0..8_000).map(|i| (i % 100) as i16 * 100).collect();
        store.write(tenant, id, &samples).unwrap();
        let bytes = fs::read(store.path(tenant, id).unwrap()).unwrap();
        assert_eq!(&*samples_of(&bytes).unwrap(), samples.as_slice());
        store.insert(id, samples.clone().into());
        assert_eq!(store.audio(&prompt_name(id)).unwrap().len(), 8_000);
        assert!(
            store.audio("zh-welcome").is_some(),
            "built-in names resolve too"
        );
        store.delete(tenant, id).unwrap();
        assert!(store.audio(&prompt_name(id)).is_none());
        assert!(!store.path(tenant, id).unwrap().exists());
        let _ = fs::remove_dir_all(dir);
    }
}
