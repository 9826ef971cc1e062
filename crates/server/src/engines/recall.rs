//! Stored engine events read back as the engine's events (the inverse of
//! `render::record`), for rebuilding a tally: after a restart, for the wallboard as of a
//! past moment, for timelines. A record that does not read back (written by a build that
//! knew other kinds) is skipped, never guessed at.

use serde_json::Value;
use switchboard_engine::acd::{
    AgentState, ContactOutcome, CustomerPriority, Direction, Event, MediaEvent, ReasonCode,
    ReleasedBy,
};
use switchboard_engine::{Channel, ContactId, SkillQueueId, UserId};
use switchboard_storage::EventRecord;
use uuid::Uuid;

fn uuid(detail: &Value, field: &str) -> Option<Uuid> {
    detail.get(field)?.as_str()?.parse().ok()
}

fn text<'a>(detail: &'a Value, field: &str) -> Option<&'a str> {
    detail.get(field)?.as_str()
}

fn instant(detail: &Value, field: &str) -> Option<i64> {
    let raw = text(detail, field)?;
    let t =
        time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

fn queues(detail: &Value) -> Vec<SkillQueueId> {
    detail
        .get("queues")
        .and_then(Value::as_array)
        .map(|qs| {
            qs.iter()
                .filter_map(|q| q.as_str()?.parse().ok().map(SkillQueueId))
                .collect()
        })
        .unwrap_or_default()
}

/// The engine event a stored record holds.
pub fn event_of(r: &EventRecord) -> Option<Event> {
    let d: Value = serde_json::from_str(&r.detail).ok()?;
    let at = r.at;
    let agent = || r.agent.or_else(|| uuid(&d, "agent_id").map(UserId));
    let contact = || r.contact.or_else(|| uuid(&d, "contact_id").map(ContactId));
    Some(match r.kind {
        "agent.signed_in" => Event::AgentSignedIn {
            agent: agent()?,
            queues: queues(&d),
            at,
        },
        "agent.queues" => Event::AgentQueuesReset {
            agent: agent()?,
            queues: queues(&d),
            at,
        },
        "agent.signed_out" => Event::AgentSignedOut {
            agent: agent()?,
            at,
        },
        "agent.state" => Event::AgentStateChanged {
            agent: agent()?,
            state: AgentState::parse(text(&d, "state")?).ok()?,
            reason: text(&d, "reason").and_then(|r| ReasonCode::parse(r).ok()),
            at,
        },
        "contact.created" => Event::ContactCreated {
            contact: contact()?,
            channel: Channel::parse(text(&d, "channel")?).ok()?,
            direction: Direction::parse(text(&d, "direction")?).ok()?,
            queue: SkillQueueId(uuid(&d, "queue_id")?),
            priority: CustomerPriority::new(d.get("priority")?.as_i64()?).ok()?,
            customer: text(&d, "customer").map(str::to_owned),
            at,
        },
        "contact.queued" => Event::ContactQueued {
            contact: contact()?,
            queue: SkillQueueId(uuid(&d, "queue_id")?),
            at,
        },
        "contact.reserved" => Event::ContactReserved {
            contact: contact()?,
            agent: UserId(uuid(&d, "agent_id")?),
            until: instant(&d, "until").unwrap_or(at),
            at,
        },
        "contact.offered" => Event::ContactOffered {
            contact: contact()?,
            agent: UserId(uuid(&d, "agent_id")?),
            expires_at: instant(&d, "offer_expires_at").unwrap_or(at),
            at,
        },
        "contact.offer_timeout" => Event::ContactOfferTimedOut {
            contact: contact()?,
            agent: UserId(uuid(&d, "agent_id")?),
            no_answers: u32::try_from(d.get("no_answers")?.as_u64()?).ok()?,
            at,
        },
        "contact.connected" => Event::ContactConnected {
            contact: contact()?,
            agent: UserId(uuid(&d, "agent_id")?),
            auto_answered: d.get("auto_answered")?.as_bool()?,
            at,
        },
        "contact.media" => Event::ContactMedia {
            contact: contact()?,
            agent: UserId(uuid(&d, "agent_id")?),
            event: MediaEvent::parse(text(&d, "event")?).ok()?,
            by: uuid(&d, "by_id").map(UserId),
            at,
        },
        "contact.wrap_up" => Event::ContactWrapUp {
            contact: contact()?,
            agent: UserId(uuid(&d, "agent_id")?),
            released_by: ReleasedBy::parse(text(&d, "released_by")?).ok()?,
            at,
        },
        "contact.overflowed" => Event::ContactOverflowed {
            contact: contact()?,
            from: SkillQueueId(uuid(&d, "from_queue_id")?),
            to: SkillQueueId(uuid(&d, "to_queue_id")?),
            at,
        },
        "contact.transferred" => Event::ContactTransferred {
            contact: contact()?,
            from: UserId(uuid(&d, "from_agent_id")?),
            queue: SkillQueueId(uuid(&d, "queue_id")?),
            to_agent: uuid(&d, "to_agent_id").map(UserId),
            at,
        },
        "contact.closed" => Event::ContactClosed {
            contact: contact()?,
            outcome: ContactOutcome::parse(text(&d, "outcome")?).ok()?,
            agent: uuid(&d, "agent_id").map(UserId),
            at,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engines::render;

    /// Every kind of event survives being stored and read back.
    #[test]
    fn records_read_back_as_the_events_they_were() {
        let (a, b) = (UserId::new(), UserId::new());
        let (c, q, q2) = (ContactId::new(), SkillQueueId::new(), SkillQueueId::new());
        let at = 1_796_399_400_123;
        let events = vec![
            Event::AgentSignedIn {
                agent: a,
                queues: vec![q, q2],
                at,
            },
            Event::AgentQueuesReset {
                agent: a,
                queues: vec![q],
                at,
            },
            Event::AgentSignedOut { agent: a, at },
            Event::AgentStateChanged {
                agent: a,
                state: AgentState::Busy,
                reason: Some(ReasonCode::parse("午餐").unwrap()),
                at,
            },
            Event::ContactCreated {
                contact: c,
                channel: Channel::Voice,
                direction: Direction::Outbound,
                queue: q,
                priority: CustomerPriority::new(3).unwrap(),
                customer: Some("+8613800138000".into()),
                at,
            },
            Event::ContactQueued {
                contact: c,
                queue: q,
                at,
            },
            Event::ContactReserved {
                contact: c,
                agent: a,
                until: at + 10_000,
                at,
            },
            Event::ContactOffered {
                contact: c,
                agent: a,
                expires_at: at + 20_000,
                at,
            },
            Event::ContactOfferTimedOut {
                contact: c,
                agent: a,
                no_answers: 2,
                at,
            },
            Event::ContactConnected {
                contact: c,
                agent: a,
                auto_answered: true,
                at,
            },
            Event::ContactMedia {
                contact: c,
                agent: a,
                event: MediaEvent::Held,
                by: Some(b),
                at,
            },
            Event::ContactWrapUp {
                contact: c,
                agent: a,
                released_by: ReleasedBy::Customer,
                at,
            },
            Event::ContactOverflowed {
                contact: c,
                from: q,
                to: q2,
                at,
            },
            Event::ContactTransferred {
                contact: c,
                from: a,
                queue: q2,
                to_agent: Some(b),
                at,
            },
            Event::ContactClosed {
                contact: c,
                outcome: ContactOutcome::Completed,
                agent: Some(a),
                at,
            },
        ];
        for e in events {
            let stored = render::record(&e);
            let back = event_of(&stored);
            // Times in the details are whole milliseconds, as rendered.
            assert_eq!(back.as_ref(), Some(&e), "{}", stored.kind);
        }
        let unknown = EventRecord {
            at,
            kind: "unknown",
            agent: None,
            contact: None,
            queue: None,
            detail: "{}".into(),
        };
        assert_eq!(event_of(&unknown), None);
    }
}
