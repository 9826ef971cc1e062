//! Web chat (M1, M2, M4, M7, M9, M11): conversations are contacts on chat queues. Per tenant,
//! one writer task stores messages (group commit, one numbering per conversation) and a
//! bridge turns the engine's contact events into what the customer sees ("agent joined").

mod bridge;
pub mod customer;
pub mod limits;
pub mod presence;
pub mod writer;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use switchboard_engine::{ContactId, TenantId, UserId};
use switchboard_storage::{ChatMessage, NewChatMessage, Storage};
use tokio::sync::{broadcast, mpsc, oneshot};

use crate::events::EventHub;

/// Messages for the customer side of one conversation.
const CONVERSATION_BUFFER: usize = 256;

/// Per-tenant chat state shared by the writer, the bridge and the sockets.
pub struct TenantChat {
    writer: mpsc::Sender<writer::Write>,
    /// Customer sockets listening to a conversation.
    conversations: Mutex<HashMap<ContactId, broadcast::Sender<Arc<Value>>>>,
    /// The agent currently connected with each conversation.
    holders: Mutex<HashMap<ContactId, UserId>>,
    /// Each conversation's customer sockets, and its grace period once they are gone.
    presence: presence::Presences,
}

impl TenantChat {
    /// Stores messages durably (in one transaction with whatever else is waiting) and then
    /// delivers them to both sides.
    pub async fn append(&self, messages: Vec<NewChatMessage>) -> anyhow::Result<Vec<ChatMessage>> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(writer::Write { messages, reply })
            .await
            .map_err(|_| anyhow::anyhow!("chat writer stopped"))?;
        answer.await?
    }

    /// Listens to what the customer side of a conversation should see.
    pub fn listen(&self, contact: ContactId) -> broadcast::Receiver<Arc<Value>> {
        let mut map = self.conversations.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(contact)
            .or_insert_with(|| broadcast::channel(CONVERSATION_BUFFER).0)
            .subscribe()
    }

    /// Sends to the customer side of a conversation, if anyone listens.
    pub fn tell_customer(&self, contact: ContactId, payload: Value) {
        let mut map = self.conversations.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = map.get(&contact) {
            if tx.send(Arc::new(payload)).is_err() {
                map.remove(&contact);
            }
        }
    }

    pub fn holder(&self, contact: ContactId) -> Option<UserId> {
        self.holders
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&contact)
            .copied()
    }

    fn set_holder(&self, contact: ContactId, agent: Option<UserId>) {
        let mut map = self.holders.lock().unwrap_or_else(|p| p.into_inner());
        match agent {
            Some(a) => map.insert(contact, a),
            None => map.remove(&contact),
        };
    }
}

/// Every tenant's chat state, started on first use.
pub struct Chats {
    store: Arc<dyn Storage>,
    events: Arc<EventHub>,
    tenants: Mutex<HashMap<TenantId, Arc<TenantChat>>>,
    /// What customer sockets may do, server-wide.
    pub limits: limits::Limits,
}

impl Chats {
    pub fn new(store: Arc<dyn Storage>, events: Arc<EventHub>, limits: limits::ChatLimits) -> Self {
        Self {
            store,
            events,
            tenants: Mutex::new(HashMap::new()),
            limits: limits::Limits::new(limits),
        }
    }

    pub fn tenant(&self, tenant: TenantId) -> Arc<TenantChat> {
        let mut map = self.tenants.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(tenant)
            .or_insert_with(|| {
                let (tx, rx) = mpsc::channel(4096);
                let chat = Arc::new(TenantChat {
                    writer: tx,
                    conversations: Mutex::default(),
                    holders: Mutex::default(),
                    presence: presence::Presences::default(),
                });
                tokio::spawn(writer::run(
                    tenant,
                    self.store.clone(),
                    self.events.clone(),
                    Arc::downgrade(&chat),
                    rx,
                ));
                tokio::spawn(bridge::run(
                    self.events.subscribe(tenant),
                    Arc::downgrade(&chat),
                ));
                chat
            })
            .clone()
    }
}
