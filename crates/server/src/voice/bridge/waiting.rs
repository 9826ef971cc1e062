//! Callers waiting, beyond the engine's routing: their place-in-line announcements (the
//! figures read from the engine when the switch says one is due), and the messages they
//! leave when the wait runs out, each of which becomes a callback task; the agent who takes
//! the task may then hear the message (the call record becomes theirs).

use serde_json::json;
use switchboard_engine::acd::{CustomerPriority, Direction, NewContact};
use switchboard_engine::{Channel, ContactId, SkillQueueId, TenantId, UserId};
use switchboard_voice::call::CallRef;

use super::{Bridge, Message};
use crate::engines::ContactMeta;
use crate::voice::runtime::Input;

impl Bridge {
    /// Asks the engine where the caller stands and hands the figures to the switch.
    pub(super) async fn announcement(&mut self, call: CallRef) {
        let Some(q) = self.queued.get(&call) else {
            return;
        };
        let (tenant, contact) = (q.tenant, q.contact);
        let figures = match self.state.engines.get(tenant).await {
            Ok(engine) => engine
                .read(move |e| e.waiting_position(contact))
                .await
                .ok()
                .flatten(),
            Err(_) => None,
        };
        let place = figures.map(|(place, _)| place);
        let wait_ms = figures
            .and_then(|(_, wait)| wait)
            .and_then(|w| u64::try_from(w).ok());
        let announce = Input::Announce {
            call,
            place,
            wait_ms,
        };
        let _ = self.actor.send(announce).await;
    }

    /// A message was left: it becomes a task in the queue's callback queue, titled with
    /// the caller's number, its data naming the call record that holds the message.
    pub(super) async fn callback_task(
        &mut self,
        tenant: TenantId,
        queue: SkillQueueId,
        m: Message,
    ) {
        self.listen(tenant);
        let Ok(priority) = CustomerPriority::new(0) else {
            return;
        };
        let contact = ContactId::new();
        let new = NewContact {
            id: contact,
            channel: Channel::Task,
            direction: Direction::Inbound,
            queue,
            priority,
            customer: Some(m.caller.clone()),
            familiar_agent: None,
        };
        let meta = ContactMeta {
            title: Some(m.caller.clone()),
            link: None,
            data: json!({
                "caller": m.caller,
                "call_record": m.record.to_string(),
                "voicemail_ms": m.duration_ms,
                "callback": true,
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
                self.callbacks.insert(contact, m.record);
            }
            Err(why) => tracing::error!(%why, "a voicemail could not become a callback task"),
        }
    }

    /// A callback task's life: the agent it connects to may hear the message.
    pub(super) async fn callback_event(
        &mut self,
        tenant: TenantId,
        contact: ContactId,
        kind: Option<&str>,
        agent: Option<UserId>,
    ) {
        match (kind, agent, self.callbacks.get(&contact)) {
            (Some("contact.connected"), Some(agent), Some(&record)) => {
                if let Err(e) = self
                    .state
                    .store
                    .assign_call_agent(tenant, record, agent)
                    .await
                {
                    tracing::error!(error = %e, "a voicemail's record could not be given to its agent");
                }
            }
            (Some("contact.closed"), _, _) => {
                self.callbacks.remove(&contact);
            }
            _ => {}
        }
    }
}
