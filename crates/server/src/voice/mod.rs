//! Voice in the server: what the API and the SIP runtime share. The API tells the runtime
//! when a tenant's voice configuration changed (it rebuilds the switch's directory) and
//! when an agent opens or closes their standing line, and reads how many devices each agent
//! has registered and whether their line is up (the runtime keeps both).

mod bridge;
mod directory;
pub mod flows;
mod media;
mod media_call;
mod open_files;
pub mod prompts;
pub mod recordings;
mod records;
pub mod runtime;
pub mod subflows;
pub mod transcode;
mod transport;
pub mod uploads;

pub use directory::destination_rule;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use switchboard_engine::{TenantId, UserId};
use tokio::sync::{broadcast, mpsc, oneshot};

/// Where an agent's standing line (persistent connection) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineState {
    Off,
    /// The phone is being called.
    Calling,
    /// The phone answered: calls are bridged onto it.
    Up,
}

/// How a line state is written on the wire (API and events).
pub fn line_name(line: LineState) -> &'static str {
    match line {
        LineState::Off => "off",
        LineState::Calling => "calling",
        LineState::Up => "up",
    }
}

/// What the API asks of the SIP runtime for an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRequest {
    Open { tenant: TenantId, agent: UserId },
    Close { tenant: TenantId, agent: UserId },
}

/// A workbench control on a call, by its contact (the API), with where the answer goes.
pub struct ControlRequest {
    pub tenant: TenantId,
    pub contact: switchboard_engine::ContactId,
    pub control: switchboard_voice::Control,
    pub reply: oneshot::Sender<Result<(), ControlRefusal>>,
}

/// An agent's outbound call (V9): its contact is connected to them in the engine already;
/// the switch places the legs.
pub struct DialRequest {
    pub dial: switchboard_voice::Dial,
    /// The contact and its queue: place the call. `None`: only check it could be placed.
    pub place: Option<(
        switchboard_engine::ContactId,
        switchboard_engine::SkillQueueId,
    )>,
    pub reply: oneshot::Sender<Result<(), DialRefusal>>,
}

/// Why an outbound call was not placed; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialRefusal {
    /// The server runs without SIP, or it did not answer.
    NoVoice,
    Refused(switchboard_voice::DialError),
}

/// What the API asks of a live call or of the switch, with where the answer goes.
pub enum CallRequest {
    Control(ControlRequest),
    Dial(DialRequest),
}

/// Why a call control did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlRefusal {
    /// The server runs without SIP, or it did not answer.
    NoVoice,
    /// No live call carries this contact.
    NoCall,
    Refused(switchboard_voice::ControlError),
}

pub struct VoiceState {
    changes: broadcast::Sender<TenantId>,
    devices: Mutex<HashMap<(TenantId, UserId), usize>>,
    /// Where recordings are kept (`<data>/recordings`): the API plays them from there.
    recordings: RwLock<Option<PathBuf>>,
    /// The prompts admins uploaded, in memory for the media runner.
    pub prompts: Arc<uploads::UploadedPrompts>,
    lines: Mutex<HashMap<(TenantId, UserId), LineState>>,
    /// Trunks registered with their provider just now, by name.
    trunks: Mutex<HashMap<(TenantId, String), bool>>,
    /// The running SIP runtime's door for line requests; unset with `--sip off`.
    line_requests: OnceLock<mpsc::Sender<LineRequest>>,
    calls: OnceLock<mpsc::Sender<CallRequest>>,
    /// RTP ports the switch may hand out now (those of ended calls count once the media
    /// side closed them).
    rtp_ports_free: AtomicUsize,
}

impl Default for VoiceState {
    fn default() -> Self {
        Self {
            changes: broadcast::channel(256).0,
            devices: Mutex::default(),
            recordings: RwLock::default(),
            prompts: Arc::default(),
            lines: Mutex::default(),
            trunks: Mutex::default(),
            line_requests: OnceLock::new(),
            calls: OnceLock::new(),
            rtp_ports_free: AtomicUsize::new(0),
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

    /// RTP ports free to hand out (0 without a SIP runtime).
    pub fn rtp_ports_free(&self) -> usize {
        self.rtp_ports_free.load(Ordering::Relaxed)
    }

    pub(crate) fn set_rtp_ports_free(&self, ports: usize) {
        self.rtp_ports_free.store(ports, Ordering::Relaxed);
        crate::metrics::global().set_rtp_ports_free(ports);
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

    pub fn line(&self, tenant: TenantId, agent: UserId) -> LineState {
        let map = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&(tenant, agent)).copied().unwrap_or(LineState::Off)
    }

    pub fn set_line(&self, tenant: TenantId, agent: UserId, line: LineState) {
        let mut map = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        if line == LineState::Off {
            map.remove(&(tenant, agent));
        } else {
            map.insert((tenant, agent), line);
        }
    }

    pub fn serve_line_requests(&self, door: mpsc::Sender<LineRequest>) {
        let _ = self.line_requests.set(door);
    }

    /// Passes a line request to the SIP runtime; `false` when none runs (`--sip off`).
    pub fn request_line(&self, request: LineRequest) -> bool {
        self.line_requests
            .get()
            .is_some_and(|door| door.try_send(request).is_ok())
    }

    pub fn serve_calls(&self, door: mpsc::Sender<CallRequest>) {
        let _ = self.calls.set(door);
    }

    /// Applies a control to the call carrying `contact` and waits for the switch's answer.
    pub async fn control(
        &self,
        tenant: TenantId,
        contact: switchboard_engine::ContactId,
        control: switchboard_voice::Control,
    ) -> Result<(), ControlRefusal> {
        let door = self.calls.get().ok_or(ControlRefusal::NoVoice)?;
        let (reply, answer) = oneshot::channel();
        let request = ControlRequest {
            tenant,
            contact,
            control,
            reply,
        };
        door.send(CallRequest::Control(request))
            .await
            .map_err(|_| ControlRefusal::NoVoice)?;
        answer.await.map_err(|_| ControlRefusal::NoVoice)?
    }

    /// Has the switch place an outbound call (for the contact, in its queue) or, with
    /// `place` `None`, only check that it could; waits for its answer.
    pub async fn dial(
        &self,
        dial: switchboard_voice::Dial,
        place: Option<(
            switchboard_engine::ContactId,
            switchboard_engine::SkillQueueId,
        )>,
    ) -> Result<(), DialRefusal> {
        let door = self.calls.get().ok_or(DialRefusal::NoVoice)?;
        let (reply, answer) = oneshot::channel();
        let request = DialRequest { dial, place, reply };
        door.send(CallRequest::Dial(request))
            .await
            .map_err(|_| DialRefusal::NoVoice)?;
        answer.await.map_err(|_| DialRefusal::NoVoice)?
    }

    /// Registered devices and trunks registered with their provider, for metrics.
    pub fn live_counts(&self) -> (usize, usize) {
        let devices = self.devices.lock().unwrap_or_else(|p| p.into_inner());
        let trunks = self.trunks.lock().unwrap_or_else(|p| p.into_inner());
        (
            devices.values().sum(),
            trunks.values().filter(|up| **up).count(),
        )
    }

    pub fn set_trunk_registered(&self, tenant: TenantId, trunk: &str, registered: bool) {
        let mut map = self.trunks.lock().unwrap_or_else(|p| p.into_inner());
        map.insert((tenant, trunk.to_owned()), registered);
    }

    /// Whether the trunk is registered with its provider; `None` before the first answer.
    pub fn trunk_registered(&self, tenant: TenantId, trunk: &str) -> Option<bool> {
        let map = self.trunks.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&(tenant, trunk.to_owned())).copied()
    }
}
