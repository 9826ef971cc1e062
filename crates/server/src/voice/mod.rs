//! Voice in the server: what the API and the SIP runtime share. The API tells the runtime
//! when a tenant's voice configuration changed (it rebuilds the switch's directory), and
//! reads how many devices each agent has registered (the runtime keeps the count).

mod bridge;
mod directory;
pub mod flows;
mod media;
pub mod prompts;
pub mod recordings;
mod records;
pub mod runtime;
pub mod subflows;
pub mod transcode;
mod transport;
pub mod uploads;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use switchboard_engine::{TenantId, UserId};
use tokio::sync::broadcast;

pub struct VoiceState {
    changes: broadcast::Sender<TenantId>,
    devices: Mutex<HashMap<(TenantId, UserId), usize>>,
    /// Where recordings are kept (`<data>/recordings`): the API plays them from there.
    recordings: RwLock<Option<PathBuf>>,
    /// The prompts admins uploaded, in memory for the media runner.
    pub prompts: Arc<uploads::UploadedPrompts>,
}

impl Default for VoiceState {
    fn default() -> Self {
        Self {
            changes: broadcast::channel(256).0,
            devices: Mutex::default(),
            recordings: RwLock::default(),
            prompts: Arc::default(),
        }
    }
}

impl VoiceState {
    /// A tenant's extensions, trunks, numbers or flows changed.
    pub fn directory_changed(&self, tenant: TenantId) {
        // No runtime listening (no --sip) is fine: nothing to rebuild.
        let _ = self.changes.send(tenant);
    }

    pub fn directory_changes(&self) -> broadcast::Receiver<TenantId> {
        self.changes.subscribe()
    }

    /// How many devices the agent has registered (0 when none, or no SIP runtime).
    pub fn devices(&self, tenant: TenantId, agent: UserId) -> usize {
        let map = self.devices.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&(tenant, agent)).copied().unwrap_or(0)
    }

    /// The folder recordings are kept in; `None` before the server said.
    pub fn recordings(&self) -> Option<PathBuf> {
        self.recordings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn set_recordings(&self, root: PathBuf) {
        *self.recordings.write().unwrap_or_else(|p| p.into_inner()) = Some(root);
    }

    pub fn set_devices(&self, tenant: TenantId, agent: UserId, devices: usize) {
        let mut map = self.devices.lock().unwrap_or_else(|p| p.into_inner());
        if devices == 0 {
            map.remove(&(tenant, agent));
        } else {
            map.insert((tenant, agent), devices);
        }
    }
}
