//! The SIP runtime: one actor task owns the `Switch` (the sans-IO call logic). SIP messages,
//! media events, the routing engine's decisions and directory changes come in on one
//! channel; after each it sends what the switch wants sent, hands media commands to the
//! media runner, call events to the engine bridge, and registration changes to the API's
//! shared state. Time is the server's clock, so tests move it instead of sleeping.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::json;
use switchboard_engine::{ContactId, TenantId, UserId};
use switchboard_sip::transaction::Peer;
use switchboard_sip::uri::Host;
use switchboard_storage::{CallDirection, LegQuality};
use switchboard_voice::call::CallRef;
use switchboard_voice::dialog::Local;
use switchboard_voice::directory::Directory;
use switchboard_voice::registrar::RegistrationChange;
use switchboard_voice::{
    CallEvent, Config, Control, LegId, MediaCommand, MediaEvent, Output, Party, ReleasedBy, Switch,
};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::bridge::{self, BridgeMsg};
use super::media::MediaRunner;
use super::recordings::{FileRecordings, RecordingStore};
use super::records::Records;
use super::{
    directory, transport, CallRequest, ControlRefusal, DialRefusal, DialRequest, LineRequest,
    LineState,
};
use crate::events::Audience;
use crate::state::AppState;

/// How the SIP side is set up (`--sip`, `--rtp-ports`, `--media-address`).
#[derive(Debug, Clone)]
pub struct SipConfig {
    pub listen: SocketAddr,
    pub rtp_ports: (u16, u16),
    /// The address written into SDP; the SIP address's when not given.
    pub media_address: Option<IpAddr>,
    /// Where recordings are written (`<data>/recordings`).
    pub recordings: PathBuf,
    /// Whether connected calls are recorded (`--recordings on|off`); the switch asks for
    /// every one, and the operator may say no.
    pub record_calls: bool,
}

pub enum Input {
    Sip {
        from: Peer,
        bytes: Vec<u8>,
        /// When the transport read it: how long it waited for the switch tells whether the
        /// switch is behind (a monotonic instant, like the media clock's, not the server's
        /// steerable clock).
        received: tokio::time::Instant,
    },
    Media(MediaEvent),
    Offer {
        call: CallRef,
        agent: UserId,
        auto_answer: bool,
    },
    Withdraw {
        call: CallRef,
    },
    Release {
        call: CallRef,
        by: ReleasedBy,
    },
    Directory(Directory),
    /// The bridge made a queued call this contact (for its record).
    CallContact {
        call: CallRef,
        contact: ContactId,
    },
    /// What a leg's media received, reported as it closed (`None`: it never opened).
    Quality {
        leg: LegId,
        quality: Option<LegQuality>,
    },
    /// An agent opens or closes their standing line (the API).
    Line(LineRequest),
    /// A due announcement's figures: the caller's place in line and the estimated wait.
    Announce {
        call: CallRef,
        place: Option<u32>,
        wait_ms: Option<u64>,
    },
    /// The routing engine gave up on the queued call (its maximum wait ran out).
    QueueTimedOut {
        call: CallRef,
    },
    /// A control on a call: from the bridge (a transfer the engine made), or from the API
    /// by the call's contact.
    Control {
        call: CallRef,
        control: Control,
    },
    /// A control by contact, or an outbound call, from the API.
    Request(CallRequest),
    /// The workbench answered an offered call: it goes onto the agent's line, if up.
    AnswerOnLine {
        call: CallRef,
        agent: UserId,
    },
}

/// What the server learned once the SIP side runs.
pub struct SipRuntime {
    pub local: SocketAddr,
}

/// Binds the SIP address and starts the switch, the media runner and the engine bridge.
pub async fn start(state: AppState, cfg: SipConfig) -> anyhow::Result<SipRuntime> {
    let (tx, rx) = mpsc::channel(8_192);
    let (local, outbound) = transport::start(cfg.listen, tx.clone()).await?;
    let media_address = match cfg.media_address {
        Some(a) => a,
        None if local.ip().is_unspecified() => {
            anyhow::bail!("--media-address is needed when SIP listens on all addresses")
        }
        None => local.ip(),
    };
    let switch_cfg = Config {
        local: Local {
            host: Host::Ip(if local.ip().is_unspecified() {
                media_address
            } else {
                local.ip()
            }),
            port: local.port(),
        },
        media_address,
        rtp_ports: super::open_files::rtp_ports_within_limit(cfg.rtp_ports),
        seed: seed(),
        ring_timeout_ms: 60_000,
        requests_per_second: 200,
        nonce_lifetime_ms: 300_000,
    };
    let dir = directory::load(state.store.as_ref()).await?;
    let switch = Switch::new(switch_cfg, dir);
    let bridge = bridge::start(state.clone(), tx.clone());
    let media = MediaRunner::new(
        if local.ip().is_unspecified() {
            local.ip()
        } else {
            media_address
        },
        tx.clone(),
        state.voice.prompts.clone(),
    );
    state.voice.set_recordings(cfg.recordings.clone());
    let recordings: Arc<dyn RecordingStore> = Arc::new(FileRecordings {
        root: cfg.recordings,
    });
    let records = Records::start(state.store.clone());
    tokio::spawn(watch_directory(state.clone(), tx.clone()));
    let (line_door, mut line_requests) = mpsc::channel(1_024);
    state.voice.serve_line_requests(line_door);
    let (control_door, mut controls) = mpsc::channel(1_024);
    state.voice.serve_calls(control_door);
    let control_tx = tx.clone();
    tokio::spawn(async move {
        while let Some(request) = controls.recv().await {
            if control_tx.send(Input::Request(request)).await.is_err() {
                return;
            }
        }
    });
    let line_tx = tx;
    tokio::spawn(async move {
        while let Some(request) = line_requests.recv().await {
            if line_tx.send(Input::Line(request)).await.is_err() {
                return;
            }
        }
    });
    let actor = Actor {
        state,
        switch,
        outbound,
        media,
        bridge,
        recordings,
        records,
        record_calls: cfg.record_calls,
        calls: HashMap::new(),
        recorded: HashMap::new(),
        by_contact: HashMap::new(),
    };
    tokio::spawn(actor.run(rx));
    tracing::info!(%local, %media_address, "SIP listening (UDP and TCP)");
    Ok(SipRuntime { local })
}

/// 32 secret bytes for tags, branches and nonces, drawn once.
fn seed() -> [u8; 32] {
    let mut s = [0u8; 32];
    s[..16].copy_from_slice(Uuid::new_v4().as_bytes());
    s[16..].copy_from_slice(Uuid::new_v4().as_bytes());
    s
}

/// Rebuilds the directory when the API says a tenant's voice configuration changed.
async fn watch_directory(state: AppState, actor: mpsc::Sender<Input>) {
    let mut changes = state.voice.directory_changes();
    loop {
        match changes.recv().await {
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        }
        match directory::load(state.store.as_ref()).await {
            Ok(dir) => {
                if actor.send(Input::Directory(dir)).await.is_err() {
                    return;
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "reloading the SIP directory failed; the old one stays")
            }
        }
    }
}

struct Actor {
    state: AppState,
    switch: Switch,
    outbound: transport::Outbound,
    media: MediaRunner,
    bridge: mpsc::UnboundedSender<BridgeMsg>,
    recordings: Arc<dyn RecordingStore>,
    records: Records,
    record_calls: bool,
    /// Each live call's tenant and the id its record and recording carry.
    calls: HashMap<CallRef, (TenantId, Uuid)>,
    /// Recorded calls: told when the media runner has finished the file. A voicemail's is
    /// handed to the bridge with `VoicemailLeft`; the rest are dropped as their calls end.
    recorded: HashMap<CallRef, oneshot::Receiver<()>>,
    /// The call carrying each queued call's contact (the API controls calls by contact).
    by_contact: HashMap<ContactId, CallRef>,
}

impl Actor {
    async fn run(mut self, mut rx: mpsc::Receiver<Input>) {
        let clock = self.state.clock.clone();
        let ports = self.switch.rtp_ports_free();
        self.state.voice.set_rtp_ports_free(ports);
        loop {
            let due = self
                .switch
                .poll_timeout()
                .map(|d| i64::try_from(d).unwrap_or(i64::MAX));
            tokio::select! {
                input = rx.recv() => match input {
                    Some(input) => self.handle(input),
                    None => return,
                },
                _ = clock.sleep_until_maybe(due) => {
                    let now = self.now();
                    self.switch.handle_timeout(now);
                }
            }
            self.flush();
            self.state
                .voice
                .set_rtp_ports_free(self.switch.rtp_ports_free());
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.state.clock.now_ms()).unwrap_or(0)
    }

    fn handle(&mut self, input: Input) {
        let now = self.now();
        match input {
            Input::Sip {
                from,
                bytes,
                received,
            } => {
                let waited = u64::try_from(received.elapsed().as_millis()).unwrap_or(u64::MAX);
                self.switch.handle_queued_message(now, waited, from, &bytes)
            }
            Input::Media(event) => {
                if let MediaEvent::Failed { leg } = &event {
                    self.records.media_failed(*leg);
                }
                self.switch.handle_media(now, event)
            }
            Input::Offer {
                call,
                agent,
                auto_answer,
            } => self.switch.offer(now, call, agent, auto_answer),
            Input::Withdraw { call } => self.switch.withdraw_offer(now, call),
            Input::Release { call, by } => self.switch.release(now, call, by),
            Input::Directory(dir) => self.switch.set_directory(now, dir),
            Input::CallContact { call, contact } => {
                self.by_contact.insert(contact, call);
                self.records.contact(call, contact)
            }
            Input::Quality { leg, quality } => {
                self.records
                    .quality(leg, quality, self.state.clock.now_ms())
            }
            Input::Line(LineRequest::Open { tenant, agent }) => {
                self.line_changed(tenant, agent, LineState::Calling);
                if !self.switch.open_line(now, tenant, agent) {
                    self.line_changed(tenant, agent, LineState::Off);
                }
            }
            Input::Line(LineRequest::Close { tenant, agent }) => {
                self.switch.close_line(now, agent);
                self.line_changed(tenant, agent, LineState::Off);
            }
            Input::Control { call, control } => {
                if let Err(e) = self.switch.control(now, call, control) {
                    tracing::debug!(error = %e, "a call control from the engine did not apply");
                }
            }
            Input::Request(CallRequest::Dial(r)) => self.dial(now, r),
            Input::Request(CallRequest::Control(r)) => {
                let call = self.by_contact.get(&r.contact).copied().filter(|c| {
                    self.calls
                        .get(c)
                        .is_some_and(|(tenant, _)| *tenant == r.tenant)
                });
                let result = match call {
                    Some(call) => self
                        .switch
                        .control(now, call, r.control)
                        .map_err(ControlRefusal::Refused),
                    None => Err(ControlRefusal::NoCall),
                };
                let _ = r.reply.send(result);
            }
            Input::AnswerOnLine { call, agent } => self.switch.answer_on_line(now, call, agent),
            Input::Announce {
                call,
                place,
                wait_ms,
            } => self.switch.announce(now, call, place, wait_ms),
            Input::QueueTimedOut { call } => self.switch.queue_timed_out(now, call),
        }
    }

    /// Places an outbound call; the bridge learns its contact before any of its events.
    fn dial(&mut self, now: u64, r: DialRequest) {
        let (tenant, agent) = (r.dial.tenant, r.dial.agent);
        let Some((contact, queue)) = r.place else {
            let checked = self.switch.check_dial(&r.dial);
            let _ = r.reply.send(checked.map_err(DialRefusal::Refused));
            return;
        };
        let result = self.switch.dial(now, r.dial).map(|call| {
            self.by_contact.insert(contact, call);
            let _ = self.bridge.send(BridgeMsg::Dialled(bridge::Dialled {
                call,
                tenant,
                contact,
                queue,
                agent,
            }));
        });
        let _ = r.reply.send(result.map_err(DialRefusal::Refused));
    }

    fn flush(&mut self) {
        while let Some(t) = self.switch.poll_transmit() {
            self.outbound.send(t);
        }
        while let Some(out) = self.switch.poll_output() {
            if let Output::Media(cmd) = &out {
                self.note_media(cmd);
            }
            match out {
                Output::Media(MediaCommand::Record {
                    call,
                    caller,
                    callee,
                }) => {
                    if self.record_calls {
                        self.record(call, caller, callee)
                    }
                }
                // A three-way call's recording sums both agents on one side.
                Output::Media(MediaCommand::RecordSides {
                    call,
                    customer,
                    agents,
                }) => {
                    if self.recorded.contains_key(&call) {
                        self.media.record_legs(call, customer, agents)
                    }
                }
                Output::Media(cmd) => self.media.command(cmd),
                Output::Registration(change) => self.registration(change),
                Output::Trunk(status) => {
                    if !status.registered {
                        tracing::warn!(trunk = %status.trunk, status = status.status, "a trunk's registration is down");
                    }
                    self.state.voice.set_trunk_registered(
                        status.tenant,
                        &status.trunk,
                        status.registered,
                    );
                }
                Output::Call(event) => self.call_event(event),
            }
        }
    }

    /// What a media command tells the call's record: a leg began, two legs were answered
    /// and bridged, the recording started, a leg ended.
    fn note_media(&mut self, cmd: &MediaCommand) {
        let now = self.state.clock.now_ms();
        match cmd {
            MediaCommand::Open {
                call, leg, codec, ..
            } => {
                let party = self.switch.leg(*leg).map(|l| l.party.clone());
                self.records.leg_opened(*call, *leg, party, *codec, now);
            }
            MediaCommand::Bridge { a, b } => {
                if let Some((Party::Agent(agent), Some(chosen))) =
                    self.switch.leg(*b).map(|l| (l.party.clone(), l.chosen))
                {
                    self.records.line_joined(*a, *b, agent, chosen.codec, now);
                }
                self.records.bridged(*a, *b, now)
            }
            MediaCommand::Close { leg } => self.records.leg_closed(*leg, now),
            MediaCommand::Remote { leg, codec, .. } => self.records.leg_codec(*leg, *codec),
            MediaCommand::Play { leg, .. } => self.records.prompted(*leg, now),
            MediaCommand::Record { .. }
            | MediaCommand::RecordSides { .. }
            | MediaCommand::Hear { .. }
            | MediaCommand::SendDigits { .. }
            | MediaCommand::StopPrompts { .. }
            | MediaCommand::Music { .. } => {}
        }
    }

    fn record(
        &mut self,
        call: CallRef,
        caller: switchboard_voice::LegId,
        callee: switchboard_voice::LegId,
    ) {
        let Some(&(tenant, id)) = self.calls.get(&call) else {
            return;
        };
        // A transferred call answered again: its recording goes on in the same file.
        if self.recorded.contains_key(&call) {
            return self.media.record_legs(call, caller, vec![callee]);
        }
        match self.recordings.create(tenant, id) {
            Ok(file) => {
                self.records.recording(call, self.state.clock.now_ms());
                let (done, finished) = oneshot::channel();
                self.recorded.insert(call, finished);
                self.media.record(call, (caller, callee), file, done)
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot create a recording; the call goes on unrecorded")
            }
        }
    }

    fn registration(&self, c: RegistrationChange) {
        self.state.voice.set_devices(c.tenant, c.agent, c.devices);
        self.tell_phone(c.tenant, c.agent);
    }

    fn line_changed(&self, tenant: TenantId, agent: UserId, line: LineState) {
        if self.state.voice.line(tenant, agent) != line {
            self.state.voice.set_line(tenant, agent, line);
            self.tell_phone(tenant, agent);
        }
    }

    /// Tells the agent's workbench how their phone stands: devices and line.
    fn tell_phone(&self, tenant: TenantId, agent: UserId) {
        let voice = &self.state.voice;
        let payload = json!({
            "type": "agent.phone",
            "agent_id": agent.to_string(),
            "devices": voice.devices(tenant, agent),
            "line": super::line_name(voice.line(tenant, agent)),
        });
        self.state
            .events
            .publish(tenant, Audience::users(vec![agent]), &payload);
    }

    fn call_event(&mut self, event: CallEvent) {
        if let CallEvent::Line { tenant, agent, up } = event {
            let line = if up { LineState::Up } else { LineState::Off };
            return self.line_changed(tenant, agent, line);
        }
        self.note_call(&event);
        let record = match &event {
            CallEvent::Started { call, .. } => match self.calls.get(call) {
                Some((_, id)) => *id,
                None => return,
            },
            CallEvent::Ended { call, .. } => {
                self.recorded.remove(call);
                self.by_contact.retain(|_, c| c != call);
                let gone = self.calls.remove(call);
                crate::metrics::global().set_sip_calls(self.calls.len());
                match gone {
                    Some((_, id)) => id,
                    None => return,
                }
            }
            other => match call_of(other).and_then(|c| self.calls.get(&c)) {
                Some((_, id)) => *id,
                None => return,
            },
        };
        let recording = match &event {
            CallEvent::VoicemailLeft { call, .. } => self.recorded.remove(call),
            _ => None,
        };
        let _ = self.bridge.send(BridgeMsg::Call {
            event,
            record,
            recording,
        });
    }
}

impl Actor {
    /// What a call event tells the call's record.
    fn note_call(&mut self, event: &CallEvent) {
        let now = self.state.clock.now_ms();
        match event {
            CallEvent::Started {
                call,
                tenant,
                caller,
                dialled,
                placed_by,
            } => {
                let id = Uuid::now_v7();
                self.calls.insert(*call, (*tenant, id));
                crate::metrics::global().set_sip_calls(self.calls.len());
                // A call from an agent's own phone is outbound; one through a trunk inbound.
                let direction = match placed_by {
                    Some(_) => CallDirection::Outbound,
                    None => CallDirection::Inbound,
                };
                self.records.started(
                    *call, *tenant, id, caller, dialled, direction, *placed_by, now,
                );
            }
            CallEvent::Queued {
                call,
                queue,
                path,
                variables,
                ..
            } => self.records.queued(*call, *queue, path, variables, now),
            CallEvent::AgentAnswered { call, agent } => {
                self.records.answered(*call, Some(*agent), now)
            }
            CallEvent::Connected { call } => self.records.answered(*call, None, now),
            CallEvent::Ended {
                call,
                released_by,
                status,
                ..
            } => self.records.ended(*call, released_by, *status, now),
            CallEvent::HandedOver { call, from, to } => {
                self.records.handed_over(*call, *from, *to, now)
            }
            CallEvent::Rated { call, score } => self.records.rated(*call, *score),
            CallEvent::Requeued {
                call,
                from,
                queue,
                to,
            } => self.records.requeued(*call, *from, *queue, *to, now),
            CallEvent::HandedOut { call, from, to } => {
                self.records.handed_out(*call, *from, to, now)
            }
            CallEvent::OfferFailed { .. }
            | CallEvent::Third { .. }
            | CallEvent::ThirdLeft { .. }
            | CallEvent::CustomerLeft { .. }
            | CallEvent::Monitor { .. }
            | CallEvent::SurveyStarted { .. }
            | CallEvent::Line { .. }
            | CallEvent::AnnouncementDue { .. }
            | CallEvent::VoicemailLeft { .. } => {}
        }
    }
}

/// The customer call an event is about (a line is nobody's call).
fn call_of(event: &CallEvent) -> Option<CallRef> {
    Some(match event {
        CallEvent::Started { call, .. }
        | CallEvent::Queued { call, .. }
        | CallEvent::AgentAnswered { call, .. }
        | CallEvent::OfferFailed { call, .. }
        | CallEvent::Connected { call }
        | CallEvent::Ended { call, .. }
        | CallEvent::AnnouncementDue { call, .. }
        | CallEvent::VoicemailLeft { call, .. }
        | CallEvent::Third { call, .. }
        | CallEvent::ThirdLeft { call, .. }
        | CallEvent::CustomerLeft { call }
        | CallEvent::Monitor { call, .. }
        | CallEvent::SurveyStarted { call, .. }
        | CallEvent::Rated { call, .. }
        | CallEvent::Requeued { call, .. }
        | CallEvent::HandedOver { call, .. }
        | CallEvent::HandedOut { call, .. } => *call,
        CallEvent::Line { .. } => return None,
    })
}
