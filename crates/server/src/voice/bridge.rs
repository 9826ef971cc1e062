//! Calls and the routing engine: a queued call becomes a voice contact of its tenant's
//! engine; the engine's offer rings the agent's phone, its ring-out stops the ringing, and
//! a release on the web ends the call; a phone answering or anyone hanging up is told to
//! the engine. So wrap-up, live counts, the wallboard and recovery work for calls as they
//! do for chats.

mod voicemail_ticket;
mod waiting;

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};
use switchboard_engine::acd::{
    Command, CustomerPriority, Direction, MediaEvent as MediaFact, NewContact,
    ReleasedBy as EngineReleasedBy, TransferTarget,
};
use switchboard_engine::{Channel, ContactId, SkillQueueId, TenantId, UserId};
use switchboard_voice::announce::VoicemailTo;
use switchboard_voice::call::CallRef;
use switchboard_voice::handout::HandOut;
use switchboard_voice::monitor::MonitorMode;
use switchboard_voice::third::{ThirdMode, ThirdParty};
use switchboard_voice::{CallEvent, Control, Party, ReleasedBy};
use tokio::sync::{broadcast, mpsc, oneshot};
use uuid::Uuid;

use super::runtime::Input;
use crate::engines::ContactMeta;
use crate::events::Event;
use crate::state::AppState;

/// A message a caller left, to become a callback task or a ticket.
struct Message {
    caller: String,
    /// The call record holding the message's recording.
    record: Uuid,
    duration_ms: u64,
}

/// What the caller did in the IVR, kept with the contact (the screen pop shows it).
struct Ivr {
    path: String,
    variables: Vec<(String, String)>,
}

pub enum BridgeMsg {
    Call {
        event: CallEvent,
        /// The id of the call's record and recording.
        record: Uuid,
        /// With `VoicemailLeft`, when the call was recorded: told once the recording's file
        /// is finished (which may be after the call ended).
        recording: Option<oneshot::Receiver<()>>,
    },
    /// The switch placed an outbound call for this contact (told before its events).
    Dialled(Dialled),
}

/// An agent's outbound call and its contact, connected to them in the engine already.
pub struct Dialled {
    pub call: CallRef,
    pub tenant: TenantId,
    pub contact: ContactId,
    pub queue: SkillQueueId,
    pub agent: UserId,
}

/// A queued call and its contact.
struct Queued {
    tenant: TenantId,
    contact: ContactId,
    queue: SkillQueueId,
    /// Set when the engine connected it by itself (an auto-answering agent).
    connected_to: Option<UserId>,
    /// An agent's outbound call: connected in the engine from the start.
    outbound: bool,
}

enum Msg {
    Call(BridgeMsg),
    Engine(TenantId, Event),
}

pub fn start(state: AppState, actor: mpsc::Sender<Input>) -> mpsc::UnboundedSender<BridgeMsg> {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(run(state, actor, rx));
    tx
}

async fn run(
    state: AppState,
    actor: mpsc::Sender<Input>,
    mut calls: mpsc::UnboundedReceiver<BridgeMsg>,
) {
    let (engine_tx, mut engine_rx) = mpsc::unbounded_channel();
    let mut b = Bridge {
        state,
        actor,
        queued: HashMap::new(),
        by_contact: HashMap::new(),
        callbacks: HashMap::new(),
        listening: HashSet::new(),
        consulted: HashMap::new(),
        engine_tx,
    };
    loop {
        let msg = tokio::select! {
            m = calls.recv() => match m { Some(m) => Msg::Call(m), None => return },
            Some((tenant, e)) = engine_rx.recv() => Msg::Engine(tenant, e),
        };
        match msg {
            Msg::Call(m) => b.call_event(m).await,
            Msg::Engine(tenant, e) => b.engine_event(tenant, &e).await,
        }
    }
}

struct Bridge {
    state: AppState,
    actor: mpsc::Sender<Input>,
    queued: HashMap<CallRef, Queued>,
    by_contact: HashMap<ContactId, CallRef>,
    /// Callback tasks made of voicemail, and the call record each message is in.
    callbacks: HashMap<ContactId, Uuid>,
    listening: HashSet<TenantId>,
    /// Each call's consulted agent (and its tenant), on it until they leave or the call
    /// ends — which may be after the customer's contact ended (they left a three-way call).
    consulted: HashMap<CallRef, (TenantId, UserId)>,
    engine_tx: mpsc::UnboundedSender<(TenantId, Event)>,
}

impl Bridge {
    async fn call_event(&mut self, m: BridgeMsg) {
        let (event, record, recording) = match m {
            BridgeMsg::Call {
                event,
                record,
                recording,
            } => (event, record, recording),
            BridgeMsg::Dialled(d) => return self.dialled(d).await,
        };
        match event {
            CallEvent::Queued {
                call,
                tenant,
                queue,
                caller,
                path,
                variables,
            } => {
                let ivr = Ivr { path, variables };
                self.enqueue(call, tenant, queue, caller, record, ivr).await
            }
            CallEvent::AgentAnswered { call, agent } => self.answered(call, agent).await,
            CallEvent::OfferFailed { call, agent } => self.offer_failed(call, agent).await,
            CallEvent::Ended {
                call, released_by, ..
            } => self.ended(call, released_by).await,
            CallEvent::AnnouncementDue { call, .. } => self.announcement(call).await,
            CallEvent::VoicemailLeft {
                call,
                tenant,
                to,
                caller,
                duration_ms,
            } => {
                let message = Message {
                    caller,
                    record,
                    duration_ms,
                };
                match to {
                    VoicemailTo::Task(queue) => self.callback_task(tenant, queue, message).await,
                    VoicemailTo::Ticket(ticket_type) => {
                        self.voicemail_ticket(call, tenant, ticket_type, message, recording)
                    }
                }
            }
            CallEvent::Third { call, mode, party } => {
                // A consulted agent is on a call meanwhile; an outside number is nobody's.
                if let (ThirdMode::Ringing, ThirdParty::Agent(agent)) = (mode, party) {
                    self.consult(call, Some(agent)).await;
                }
                let fact = match mode {
                    ThirdMode::Ringing => MediaFact::ConsultStarted,
                    ThirdMode::Consulting => MediaFact::ConsultAnswered,
                    ThirdMode::Conference => MediaFact::ConferenceStarted,
                };
                self.media_fact(call, fact, None).await
            }
            CallEvent::ThirdLeft { call, .. } => {
                self.consult(call, None).await;
                self.media_fact(call, MediaFact::ConsultEnded, None).await
            }
            CallEvent::Monitor {
                call,
                supervisor,
                mode,
            } => {
                let fact = match mode {
                    Some(MonitorMode::Listen) => MediaFact::ListenStarted,
                    Some(MonitorMode::Whisper) => MediaFact::WhisperStarted,
                    Some(MonitorMode::Barge) => MediaFact::BargeStarted,
                    None => MediaFact::MonitorEnded,
                };
                self.media_fact(call, fact, Some(supervisor)).await
            }
            CallEvent::HandedOver { call, from, to } => self.handed_over(call, from, to).await,
            // The agent is free at once; the customer rates without them.
            CallEvent::SurveyStarted { call, released_by } => {
                if let Some(q) = self.queued.get(&call) {
                    let (tenant, contact) = (q.tenant, q.contact);
                    self.release_contact(tenant, contact, released_by).await;
                }
            }
            CallEvent::Rated { call, score } => self.rated(call, score).await,
            // The call goes on without an agent: the contact ends now (the agent wraps up),
            // and an IVR that queues the customer again makes a new contact.
            // The customer left a three-way call: their contact ends, the agents talk on.
            CallEvent::CustomerLeft { call } => self.forget_contact(call, ReleasedBy::Caller).await,
            // (To the survey, SurveyStarted released it already, and the score is the contact's.)
            CallEvent::HandedOut { call, from, to } => {
                self.consult(call, None).await;
                if to == HandOut::Survey {
                    return;
                }
                let by = from.map_or(ReleasedBy::System, |a| ReleasedBy::Callee(Party::Agent(a)));
                self.forget_contact(call, by).await;
            }
            // An outbound call's customer answered: talk time starts.
            CallEvent::Connected { call } => {
                self.media_fact(call, MediaFact::CustomerAnswered, None)
                    .await
            }
            CallEvent::Started { .. } | CallEvent::Line { .. } | CallEvent::Requeued { .. } => {}
        }
    }

    async fn dialled(&mut self, d: Dialled) {
        self.listen(d.tenant);
        let _ = self
            .actor
            .send(Input::CallContact {
                call: d.call,
                contact: d.contact,
            })
            .await;
        self.by_contact.insert(d.contact, d.call);
        self.queued.insert(
            d.call,
            Queued {
                tenant: d.tenant,
                contact: d.contact,
                queue: d.queue,
                connected_to: Some(d.agent),
                outbound: true,
            },
        );
    }

    /// The agent the call consults (`Some`), or none any more: the engine counts them as
    /// on a call meanwhile, so that nothing else is offered to them.
    async fn consult(&mut self, call: CallRef, agent: Option<UserId>) {
        let tenant = self.queued.get(&call).map(|q| q.tenant);
        let Some(tenant) = tenant.or_else(|| self.consulted.get(&call).map(|c| c.0)) else {
            return;
        };
        let before = match agent {
            Some(a) => self.consulted.insert(call, (tenant, a)),
            None => self.consulted.remove(&call),
        }
        .map(|(_, a)| a);
        if let Some(agent) = before.filter(|b| Some(*b) != agent) {
            self.apply(tenant, Command::Consulted { agent, on: false })
                .await;
        }
        if let Some(agent) = agent.filter(|a| before != Some(*a)) {
            self.apply(tenant, Command::Consulted { agent, on: true })
                .await;
        }
    }

    /// The call goes on without its contact, which ends now: its wrap-up must not end the
    /// call, nor may a later event of the call touch it.
    async fn forget_contact(&mut self, call: CallRef, by: ReleasedBy) {
        if let Some(q) = self.queued.remove(&call) {
            self.by_contact.remove(&q.contact);
            self.release_contact(q.tenant, q.contact, by).await;
        }
    }

    /// Tells the engine what changed on the call (every workbench and wallboard hears it).
    async fn media_fact(&self, call: CallRef, event: MediaFact, by: Option<UserId>) {
        if let Some(q) = self.queued.get(&call) {
            let command = Command::Media {
                contact: q.contact,
                event,
                by,
            };
            self.apply(q.tenant, command).await;
        }
    }

    /// The customer talks with the consulted agent now: the contact goes to them,
    /// connected. Refused harmlessly when the API's transfer did it first.
    async fn handed_over(&mut self, call: CallRef, from: Option<UserId>, to: UserId) {
        // Free of the colleague's call first, so that the contact can be theirs.
        self.consult(call, None).await;
        let Some(q) = self.queued.get_mut(&call) else {
            return;
        };
        q.connected_to = Some(to);
        let (tenant, contact) = (q.tenant, q.contact);
        if let Some(from) = from {
            let transfer = Command::Transfer {
                contact,
                agent: from,
                to: TransferTarget::Agent(to),
            };
            self.apply(tenant, transfer).await;
        }
        self.apply(tenant, Command::Answer { agent: to, contact })
            .await;
    }

    async fn enqueue(
        &mut self,
        call: CallRef,
        tenant: TenantId,
        queue: SkillQueueId,
        caller: String,
        record: Uuid,
        ivr: Ivr,
    ) {
        self.listen(tenant);
        let contact = ContactId::new();
        let Ok(priority) = CustomerPriority::new(0) else {
            return;
        };
        let new = NewContact {
            id: contact,
            channel: Channel::Voice,
            direction: Direction::Inbound,
            queue,
            priority,
            customer: Some(caller.clone()),
            familiar_agent: None,
        };
        let meta = ContactMeta {
            title: Some(caller.clone()),
            link: None,
            data: json!({
                "caller": caller,
                "call_record": record.to_string(),
                "ivr_path": ivr.path,
                "ivr_variables": ivr.variables.into_iter().map(|(k, v)| (k, Value::String(v))).collect::<serde_json::Map<String, Value>>(),
            })
            .to_string(),
        };
        let created = match self.state.engines.get(tenant).await {
            Ok(engine) => engine
                .create_contact(new, meta)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match created {
            Ok(()) => {
                // Every caller is in the customer directory; the bridge does not wait for it.
                let state = self.state.clone();
                tokio::spawn(async move {
                    crate::api::customers::record::note_number(&state, tenant, &caller).await;
                });
                let _ = self.actor.send(Input::CallContact { call, contact }).await;
                self.queued.insert(
                    call,
                    Queued {
                        tenant,
                        contact,
                        queue,
                        connected_to: None,
                        outbound: false,
                    },
                );
                self.by_contact.insert(contact, call);
            }
            Err(why) => {
                tracing::warn!(%why, "a call could not join its queue; it is ended");
                let _ = self
                    .actor
                    .send(Input::Release {
                        call,
                        by: ReleasedBy::System,
                    })
                    .await;
            }
        }
    }

    /// Forwards this tenant's engine events to the bridge (once per tenant).
    fn listen(&mut self, tenant: TenantId) {
        if !self.listening.insert(tenant) {
            return;
        }
        let mut rx = self.state.events.subscribe(tenant);
        let tx = self.engine_tx.clone();
        tokio::spawn(async move {
            loop {
                match rx.recv().await {
                    Ok(e) if e.json.contains("\"contact.") => {
                        if tx.send((tenant, e)).is_err() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "voice bridge fell behind the engine events")
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        });
    }

    async fn engine_event(&mut self, tenant: TenantId, e: &Event) {
        let Ok(v) = serde_json::from_str::<Value>(&e.json) else {
            return;
        };
        let id = |field: &str| v[field].as_str().and_then(|s| Uuid::parse_str(s).ok());
        let Some(contact) = id("contact_id").map(ContactId) else {
            return;
        };
        let agent = id("agent_id").map(UserId);
        if self.callbacks.contains_key(&contact) {
            return self
                .callback_event(tenant, contact, v["type"].as_str(), agent)
                .await;
        }
        let Some(&call) = self.by_contact.get(&contact) else {
            return;
        };
        let input = match (v["type"].as_str(), agent) {
            (Some("contact.offered"), Some(agent)) => Input::Offer {
                call,
                agent,
                auto_answer: false,
            },
            // An outbound contact is connected from the start: the switch is dialling.
            (Some("contact.connected"), _)
                if self.queued.get(&call).is_some_and(|q| q.outbound) =>
            {
                return
            }
            (Some("contact.connected"), Some(agent)) if v["auto_answered"] == true => {
                if let Some(q) = self.queued.get_mut(&call) {
                    q.connected_to = Some(agent);
                }
                Input::Offer {
                    call,
                    agent,
                    auto_answer: true,
                }
            }
            // Answered on the web while the phone rings: the engine has connected the call;
            // the phone's answer then bridges it without telling the engine again.
            // With a standing line, the switch bridges the call onto it now.
            (Some("contact.connected"), Some(agent)) => {
                if let Some(q) = self.queued.get_mut(&call) {
                    q.connected_to = Some(agent);
                }
                Input::AnswerOnLine { call, agent }
            }
            (Some("contact.offer_timeout"), _) => Input::Withdraw { call },
            // The agent handed the caller on (a blind transfer to a queue or an agent): their
            // leg goes, the caller waits with music and is offered again like any call.
            (Some("contact.transferred"), _) => {
                let Some(queue) = id("queue_id").map(SkillQueueId) else {
                    return;
                };
                let to = id("to_agent_id").map(UserId);
                if let Some(q) = self.queued.get_mut(&call) {
                    q.queue = queue;
                    if q.connected_to != to || to.is_none() {
                        q.connected_to = None;
                    }
                }
                Input::Control {
                    call,
                    control: Control::HandOn { queue, agent: to },
                }
            }
            // The wait ran out: voicemail, when the queue has it, else the call ends.
            (Some("contact.closed"), _) if v["outcome"] == "timed_out" => {
                Input::QueueTimedOut { call }
            }
            (Some("contact.wrap_up") | Some("contact.closed"), _) => {
                let by = match (v["released_by"].as_str(), agent) {
                    (Some("agent"), Some(a)) => ReleasedBy::Callee(Party::Agent(a)),
                    _ => ReleasedBy::System,
                };
                Input::Release { call, by }
            }
            _ => return,
        };
        let _ = self.actor.send(input).await;
    }

    async fn answered(&mut self, call: CallRef, agent: UserId) {
        let Some(q) = self.queued.get(&call) else {
            return;
        };
        if q.connected_to.is_some() {
            return;
        }
        let (tenant, contact) = (q.tenant, q.contact);
        let done = self.apply(tenant, Command::Answer { agent, contact }).await;
        if !done {
            // The offer ended as the phone answered: the engine will not connect it.
            let _ = self
                .actor
                .send(Input::Release {
                    call,
                    by: ReleasedBy::System,
                })
                .await;
        }
    }

    async fn offer_failed(&mut self, call: CallRef, agent: UserId) {
        let Some(q) = self.queued.get_mut(&call) else {
            return;
        };
        // An auto-answered contact the phone did not take goes back to its queue; a ringing
        // one waits for the engine's ring-out, as an unanswered offer does (R2).
        if q.connected_to.take().is_some() {
            let (tenant, contact, queue) = (q.tenant, q.contact, q.queue);
            self.apply(
                tenant,
                Command::Transfer {
                    contact,
                    agent,
                    to: TransferTarget::Queue(queue),
                },
            )
            .await;
        }
    }

    async fn ended(&mut self, call: CallRef, released_by: ReleasedBy) {
        self.consult(call, None).await;
        let Some(q) = self.queued.remove(&call) else {
            return;
        };
        self.by_contact.remove(&q.contact);
        self.release_contact(q.tenant, q.contact, released_by).await;
    }

    /// The survey's score goes on the contact (the call record keeps it too).
    async fn rated(&self, call: CallRef, score: Option<u8>) {
        let (Some(q), Some(score)) = (self.queued.get(&call), score) else {
            return;
        };
        if let Err(e) = self
            .state
            .store
            .rate_contact(q.tenant, q.contact, score, None)
            .await
        {
            tracing::error!(error = %e, "the survey's score could not be kept on the contact");
        }
    }

    /// Tells the engine the call's contact was released, and by whom.
    async fn release_contact(&self, tenant: TenantId, contact: ContactId, released_by: ReleasedBy) {
        let (agent, by) = match released_by {
            ReleasedBy::Caller | ReleasedBy::Callee(Party::Customer) => {
                (None, EngineReleasedBy::Customer)
            }
            ReleasedBy::Callee(Party::Agent(a)) => (Some(a), EngineReleasedBy::Agent),
            _ => (None, EngineReleasedBy::System),
        };
        // Refused when the contact ended already (released on the web first): nothing to do.
        self.apply(tenant, Command::Release { contact, agent, by })
            .await;
    }

    async fn apply(&self, tenant: TenantId, command: Command) -> bool {
        match self.state.engines.get(tenant).await {
            Ok(engine) => engine.apply(command).await.is_ok(),
            Err(e) => {
                tracing::error!(error = %e, "the tenant's engine is unavailable");
                false
            }
        }
    }
}
