//! What the channels store beside the engine's turns, for the demo history's contacts: a call
//! record for each call (history calls were not recorded), the chat visitors and each chat's
//! transcript, and every caller in the customer directory — so the call records page, the
//! customer profiles and the quality reviewer's transcript have the history too.

use std::collections::{BTreeMap, HashMap};

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use switchboard_engine::acd::{Event, ReleasedBy};
use switchboard_engine::chat::{MessageKind, Sender};
use switchboard_engine::{Channel, ContactId, MessageId, SkillQueueId, TenantId, UserId};
use switchboard_storage::{
    CallDirection, CallRecord, CallReleasedBy, CustomerDetails, NewChatMessage, NumberRoute,
    Storage,
};
use uuid::Uuid;

use crate::api::customers::record::phone_terms;
use crate::demo::traffic::{self, SECOND};

/// Chat visitors the history's chats come from (some chat more than once).
const VISITORS: usize = 40;
/// The first few visitors gave the number of a caller: a person known twice, to merge.
const VISITORS_WHO_CALLED: usize = 3;
const NAMES: [&str; 10] = [
    "王女士",
    "李先生",
    "张女士",
    "刘先生",
    "陈女士",
    "杨先生",
    "黄女士",
    "赵先生",
    "周女士",
    "吴先生",
];

/// A contact followed from its creation to its close.
struct Life {
    channel: Channel,
    queue: SkillQueueId,
    customer: Option<String>,
    created: i64,
    answered: Option<i64>,
    agent: Option<UserId>,
    released: Option<(i64, ReleasedBy)>,
}

/// The records of the contacts played so far, stored with each of the history's turns.
pub(super) struct Records {
    /// The visitors' customer ids, as chat contacts name their customer.
    pub visitors: Vec<String>,
    /// The number dialled to reach each queue (a number routed to it, else the IVR's).
    dialled: HashMap<SkillQueueId, String>,
    ivr_number: String,
    lives: HashMap<ContactId, Life>,
    /// The conversation each chat follows (an index of `traffic::CHATS`).
    scripts: HashMap<ContactId, usize>,
    /// Each caller and their first call.
    callers: BTreeMap<String, i64>,
    calls: Vec<CallRecord>,
    messages: Vec<NewChatMessage>,
}

impl Records {
    /// The chat visitors, stored as the chat would store them at `start`, and the hotline.
    pub async fn new(store: &dyn Storage, tenant: TenantId, start: i64) -> anyhow::Result<Self> {
        let mut visitors = Vec::with_capacity(VISITORS);
        for i in 0..VISITORS {
            let phone = (i < VISITORS_WHO_CALLED)
                .then(|| traffic::caller(i * 7))
                .or_else(|| (i % 3 == 0).then(|| format!("+86139{:08}", 5_000 + i)));
            let details = CustomerDetails {
                name: Some(NAMES[i % NAMES.len()].to_owned()),
                phone,
                email: (i % 4 == 1).then(|| format!("visitor{i}@example.com")),
            };
            let identity = format!("visitor:demo-history-visitor-{i:04}");
            let stored = store
                .upsert_customer(tenant, &identity, false, &details, start)
                .await?;
            visitors.push(stored.id.to_string());
        }
        let numbers = store.hotline_numbers(tenant).await?;
        let dialled = numbers
            .iter()
            .filter_map(|n| match n.route {
                NumberRoute::Queue(q) => Some((q, n.number.clone())),
                _ => None,
            })
            .collect();
        let ivr_number = numbers
            .iter()
            .find(|n| matches!(n.route, NumberRoute::Flow(_)))
            .or(numbers.first())
            .map_or_else(|| "4000".to_owned(), |n| n.number.clone());
        Ok(Records {
            visitors,
            dialled,
            ivr_number,
            lives: HashMap::new(),
            scripts: HashMap::new(),
            callers: BTreeMap::new(),
            calls: Vec::new(),
            messages: Vec::new(),
        })
    }

    /// The chat about to be created follows conversation `script`.
    pub fn asked(&mut self, contact: ContactId, script: usize) {
        self.scripts.insert(contact, script);
    }

    /// Follows a contact through the engine's events; a closed one leaves its records.
    pub fn see(&mut self, event: &Event, rng: &mut ChaCha8Rng) {
        match *event {
            Event::ContactCreated {
                contact,
                channel,
                queue,
                ref customer,
                at,
                ..
            } => {
                let life = Life {
                    channel,
                    queue,
                    customer: customer.clone(),
                    created: at,
                    answered: None,
                    agent: None,
                    released: None,
                };
                self.lives.insert(contact, life);
            }
            Event::ContactConnected {
                contact, agent, at, ..
            } => {
                if let Some(l) = self.lives.get_mut(&contact) {
                    l.answered.get_or_insert(at);
                    l.agent = Some(agent);
                }
            }
            Event::ContactOverflowed { contact, to, .. } => {
                if let Some(l) = self.lives.get_mut(&contact) {
                    l.queue = to;
                }
            }
            Event::ContactWrapUp {
                contact,
                released_by,
                at,
                ..
            } => {
                if let Some(l) = self.lives.get_mut(&contact) {
                    l.released = Some((at, released_by));
                }
            }
            Event::ContactClosed { contact, at, .. } => {
                if let Some(l) = self.lives.remove(&contact) {
                    self.closed(contact, l, at, rng);
                }
            }
            _ => {}
        }
    }

    fn closed(&mut self, contact: ContactId, life: Life, at: i64, rng: &mut ChaCha8Rng) {
        let script = self.scripts.remove(&contact);
        match (life.channel, life.customer.clone(), script) {
            (Channel::Voice, Some(caller), _) => {
                self.callers.entry(caller.clone()).or_insert(life.created);
                let record = self.call_record(contact, &life, caller, at);
                self.calls.push(record);
            }
            (Channel::Chat, _, Some(script)) => self.transcript(contact, &life, script, at, rng),
            _ => {}
        }
    }

    fn call_record(&self, contact: ContactId, life: &Life, caller: String, at: i64) -> CallRecord {
        let ended = life.released.map_or(at, |(t, _)| t);
        let released_by = match life.released {
            Some((_, ReleasedBy::Agent)) => CallReleasedBy::Agent,
            Some((_, ReleasedBy::System)) => CallReleasedBy::System,
            _ => CallReleasedBy::Caller,
        };
        let dialled = self.dialled.get(&life.queue).unwrap_or(&self.ivr_number);
        CallRecord {
            // Time-ordered ids, as a live call's: the list pages by id, newest first.
            id: id_at(life.created),
            caller,
            dialled: dialled.clone(),
            direction: CallDirection::Inbound,
            started_at: life.created,
            answered_at: life.answered,
            ended_at: Some(ended),
            queue: Some(life.queue),
            queued_at: Some(life.created),
            wait_ms: Some(life.answered.unwrap_or(ended) - life.created),
            agent: life.agent,
            released_by: Some(released_by),
            // A caller who hangs up before an answer cancels the INVITE.
            end_status: Some(if life.answered.is_some() { 200 } else { 487 }),
            contact: Some(contact),
            recording: false,
            recording_ms: None,
            ivr_path: String::new(),
            variables: Vec::new(),
            survey: None,
            survey_score: None,
            handoffs: Vec::new(),
        }
    }

    /// The customer's question, then (when an agent answered) the conversation's lines spread
    /// over the talk, the agent's first a few seconds after answering.
    fn transcript(
        &mut self,
        contact: ContactId,
        life: &Life,
        script: usize,
        at: i64,
        rng: &mut ChaCha8Rng,
    ) {
        let (question, lines) = traffic::CHATS[script % traffic::CHATS.len()];
        let customer_line = |body: &str, created_at: i64| NewChatMessage {
            id: MessageId::new(),
            contact,
            sender: Sender::Customer,
            agent: None,
            client_id: None,
            kind: MessageKind::Text,
            body: text_body(body),
            created_at,
        };
        self.messages.push(customer_line(question, life.created));
        let (Some(answered), Some(agent)) = (life.answered, life.agent) else {
            return;
        };
        let end = life.released.map_or(at, |(t, _)| t).max(answered + SECOND);
        let step = (end - answered) / (lines.len() as i64 + 1);
        for (i, line) in lines.iter().enumerate() {
            let created_at = answered + step * i as i64 + rng.gen_range(1..=(step / 4).max(1));
            // Agent and customer take turns, the agent first.
            let message = if i % 2 == 0 {
                NewChatMessage {
                    sender: Sender::Agent,
                    agent: Some(agent),
                    ..customer_line(line, created_at)
                }
            } else {
                customer_line(line, created_at)
            };
            self.messages.push(message);
        }
    }

    /// Stores what the contacts closed so far left (their contacts are stored already).
    pub async fn store(&mut self, store: &dyn Storage, tenant: TenantId) -> anyhow::Result<()> {
        for record in std::mem::take(&mut self.calls) {
            store.save_call_record(tenant, &record).await?;
        }
        let messages = std::mem::take(&mut self.messages);
        if !messages.is_empty() {
            store.append_chat_messages(tenant, &messages).await?;
        }
        Ok(())
    }

    /// Enters every caller in the customer directory as of their first call, as a call
    /// does; the visitors are the chat's own customers, indexed by the server afterwards.
    pub async fn enter_callers(&self, store: &dyn Storage, tenant: TenantId) -> anyhow::Result<()> {
        for (caller, first) in &self.callers {
            store
                .customer_for_phone(tenant, caller, &phone_terms(caller), *first)
                .await?;
        }
        Ok(())
    }
}

/// A time-ordered (v7) id of the moment `at`.
fn id_at(at: i64) -> Uuid {
    let at = u64::try_from(at).unwrap_or_default();
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, at / 1000, (at % 1000) as u32 * 1_000_000);
    Uuid::new_v7(ts)
}

/// A text message's stored body: the text as a JSON string, as chat stores it.
fn text_body(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
