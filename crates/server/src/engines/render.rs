//! Engine events in the words of the outside world: the stored event record, the WebSocket
//! message (names after Twilio TaskRouter / Amazon Connect, see docs/api-v1.md), and who may
//! see it.

use serde_json::{json, Value};
use switchboard_engine::acd::{Event, QueueStats};
use switchboard_engine::{Permission, SkillQueueId, UserId};
use switchboard_storage::EventRecord;

use crate::api::wire::rfc3339;
use crate::events::Audience;

/// The WebSocket type (also the stored kind) of an engine event.
pub fn kind(event: &Event) -> &'static str {
    match event {
        Event::AgentSignedIn { .. } => "agent.signed_in",
        Event::AgentSignedOut { .. } => "agent.signed_out",
        Event::AgentQueuesReset { .. } => "agent.queues",
        Event::AgentStateChanged { .. } => "agent.state",
        Event::ContactCreated { .. } => "contact.created",
        Event::ContactQueued { .. } => "contact.queued",
        Event::ContactReserved { .. } => "contact.reserved",
        Event::ContactOffered { .. } => "contact.offered",
        Event::ContactOfferTimedOut { .. } => "contact.offer_timeout",
        Event::ContactConnected { .. } => "contact.connected",
        Event::ContactMedia { .. } => "contact.media",
        Event::ContactWrapUp { .. } => "contact.wrap_up",
        Event::ContactOverflowed { .. } => "contact.overflowed",
        Event::ContactTransferred { .. } => "contact.transferred",
        Event::ContactClosed { .. } => "contact.closed",
    }
}

/// The event's fields as JSON (without `type`).
fn fields(event: &Event) -> Value {
    let at = rfc3339(event.at());
    let queues = |qs: &[SkillQueueId]| qs.iter().map(|q| q.0).collect::<Vec<_>>();
    match event {
        Event::AgentSignedIn {
            agent, queues: qs, ..
        }
        | Event::AgentQueuesReset {
            agent, queues: qs, ..
        } => {
            json!({ "agent_id": agent.0, "queues": queues(qs), "at": at })
        }
        Event::AgentSignedOut { agent, .. } => json!({ "agent_id": agent.0, "at": at }),
        Event::AgentStateChanged {
            agent,
            state,
            reason,
            ..
        } => {
            json!({ "agent_id": agent.0, "state": state.code(), "reason": reason.as_ref().map(|r| r.as_str()), "at": at })
        }
        Event::ContactCreated {
            contact,
            channel,
            direction,
            queue,
            priority,
            customer,
            ..
        } => json!({
            "contact_id": contact.0, "channel": channel.code(), "direction": direction.code(), "queue_id": queue.0,
            "priority": priority.get(), "customer": customer, "at": at,
        }),
        Event::ContactQueued { contact, queue, .. } => {
            json!({ "contact_id": contact.0, "queue_id": queue.0, "at": at })
        }
        Event::ContactReserved {
            contact,
            agent,
            until,
            ..
        } => {
            json!({ "contact_id": contact.0, "agent_id": agent.0, "until": rfc3339(*until), "at": at })
        }
        Event::ContactOffered {
            contact,
            agent,
            expires_at,
            ..
        } => {
            json!({ "contact_id": contact.0, "agent_id": agent.0, "offer_expires_at": rfc3339(*expires_at), "at": at })
        }
        Event::ContactOfferTimedOut {
            contact,
            agent,
            no_answers,
            ..
        } => {
            json!({ "contact_id": contact.0, "agent_id": agent.0, "no_answers": no_answers, "at": at })
        }
        Event::ContactConnected {
            contact,
            agent,
            auto_answered,
            ..
        } => {
            json!({ "contact_id": contact.0, "agent_id": agent.0, "auto_answered": auto_answered, "at": at })
        }
        Event::ContactMedia {
            contact,
            agent,
            event,
            by,
            ..
        } => {
            json!({ "contact_id": contact.0, "agent_id": agent.0, "event": event.code(), "by_id": by.map(|b| b.0), "at": at })
        }
        Event::ContactWrapUp {
            contact,
            agent,
            released_by,
            ..
        } => {
            json!({ "contact_id": contact.0, "agent_id": agent.0, "released_by": released_by.code(), "at": at })
        }
        Event::ContactOverflowed {
            contact, from, to, ..
        } => {
            json!({ "contact_id": contact.0, "from_queue_id": from.0, "to_queue_id": to.0, "at": at })
        }
        Event::ContactTransferred {
            contact,
            from,
            queue,
            to_agent,
            ..
        } => json!({
            "contact_id": contact.0, "from_agent_id": from.0, "queue_id": queue.0,
            "to_agent_id": to_agent.map(|a| a.0), "at": at,
        }),
        Event::ContactClosed {
            contact,
            outcome,
            agent,
            ..
        } => {
            json!({ "contact_id": contact.0, "agent_id": agent.map(|a| a.0), "outcome": outcome.code(), "at": at })
        }
    }
}

/// The agent an event is about or addressed to.
fn agent_of(event: &Event) -> Option<UserId> {
    match event {
        Event::AgentSignedIn { agent, .. }
        | Event::AgentSignedOut { agent, .. }
        | Event::AgentQueuesReset { agent, .. }
        | Event::AgentStateChanged { agent, .. }
        | Event::ContactReserved { agent, .. }
        | Event::ContactOffered { agent, .. }
        | Event::ContactOfferTimedOut { agent, .. }
        | Event::ContactConnected { agent, .. }
        | Event::ContactMedia { agent, .. }
        | Event::ContactWrapUp { agent, .. } => Some(*agent),
        Event::ContactClosed { agent, .. } => *agent,
        Event::ContactTransferred { from, to_agent, .. } => Some(to_agent.unwrap_or(*from)),
        _ => None,
    }
}

/// The record to store for an event.
pub fn record(event: &Event) -> EventRecord {
    let (contact, queue) = match event {
        Event::ContactCreated { contact, queue, .. }
        | Event::ContactQueued { contact, queue, .. } => (Some(*contact), Some(*queue)),
        Event::ContactOverflowed { contact, to, .. } => (Some(*contact), Some(*to)),
        Event::ContactTransferred { contact, queue, .. } => (Some(*contact), Some(*queue)),
        Event::ContactReserved { contact, .. }
        | Event::ContactOffered { contact, .. }
        | Event::ContactOfferTimedOut { contact, .. }
        | Event::ContactConnected { contact, .. }
        | Event::ContactMedia { contact, .. }
        | Event::ContactWrapUp { contact, .. }
        | Event::ContactClosed { contact, .. } => (Some(*contact), None),
        _ => (None, None),
    };
    EventRecord {
        at: event.at(),
        kind: kind(event),
        agent: agent_of(event),
        contact,
        queue,
        detail: fields(event).to_string(),
    }
}

/// The WebSocket message and its audience: the agent concerned and supervisors.
pub fn message(event: &Event) -> (Value, Audience) {
    let mut payload = fields(event);
    payload["type"] = json!(kind(event));
    let audience = Audience::users_and(agent_of(event).into_iter().collect(), Permission::Monitor);
    (payload, audience)
}

/// A queue's live counts as sent to clients (S6, P1).
pub fn queue_stats(stats: &QueueStats) -> Value {
    use switchboard_engine::acd::AgentState;
    let agents: serde_json::Map<String, Value> = AgentState::ALL
        .iter()
        .map(|s| (s.code().to_owned(), json!(stats.agents[s.index()])))
        .collect();
    json!({
        "queue_id": stats.queue.0,
        "waiting": stats.waiting,
        "oldest_enqueued_at": stats.oldest_enqueued_at.map(rfc3339),
        "agents": agents,
    })
}
