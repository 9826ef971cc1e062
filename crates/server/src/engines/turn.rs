//! One turn of a tenant's engine as it is stored: the events it produced (counted by the
//! tally), the contacts and agents they touched as they stand at its end, and what is said
//! on the WebSockets once it is stored. The actor builds its turns here, and so does the
//! demo's history, so both write exactly the same rows.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use switchboard_engine::acd::{ContactOutcome, ContactPhase, ContactStatus, Engine, Event};
use switchboard_engine::{ContactId, UserId};
use switchboard_storage::{AgentSession, ContactUpdate, EngineBatch, StoredContact};

use super::stats::CenterStats;
use super::{render, ContactMeta, Reply};
use crate::events::Audience;

/// How a contact closed in this turn: outcome, when, and who served it.
type Closed = (ContactOutcome, i64, Option<UserId>);

/// What one turn changed, waiting to be stored.
#[derive(Default)]
pub(crate) struct Turn {
    pub waiters: Vec<Reply>,
    /// What the contacts created in this turn are about (a restored one has none).
    pub metas: HashMap<ContactId, ContactMeta>,
    pub batch: EngineBatch,
    contacts: BTreeSet<ContactId>,
    closed: HashMap<ContactId, Closed>,
    agents: BTreeSet<UserId>,
    pub messages: Vec<(Value, Audience)>,
}

impl Turn {
    /// Moves the engine's events into the turn.
    pub fn collect(&mut self, engine: &mut Engine, stats: &mut CenterStats) {
        while let Some(event) = engine.poll_event() {
            self.take(&event, stats);
        }
    }

    /// Takes one event the engine yielded: its record, what it touched, its tally.
    pub fn take(&mut self, event: &Event, stats: &mut CenterStats) {
        match event {
            Event::ContactCreated { contact, .. } => {
                // A restored contact is re-created in the engine but already stored.
                let Some(meta) = self.metas.remove(contact) else {
                    return;
                };
                self.batch.new_contacts.extend(new_contact(event, meta));
            }
            Event::ContactClosed {
                contact,
                outcome,
                agent,
                at,
            } => {
                self.closed.insert(*contact, (*outcome, *at, *agent));
            }
            _ => {}
        }
        self.record(event, stats);
    }

    fn record(&mut self, event: &Event, stats: &mut CenterStats) {
        let flushed = stats.tally.flushed_to();
        stats.tally.handle(event);
        self.take_increments(stats, flushed);
        let record = render::record(event);
        self.contacts.extend(record.contact);
        self.agents.extend(record.agent);
        self.batch.events.push(record);
        self.messages.push(render::message(event));
    }

    /// Counts agents' time up to the last bucket boundary, and starts a new day on the board.
    pub fn count_time(&mut self, stats: &mut CenterStats, now: i64) {
        let flushed = stats.tally.flushed_to();
        stats.tally.handle_timeout(now);
        self.take_increments(stats, flushed);
        stats.roll_day(now);
    }

    fn take_increments(&mut self, stats: &mut CenterStats, flushed_before: Option<i64>) {
        for inc in stats.tally.drain() {
            stats.board.add(&inc);
            self.batch.tallies.push(inc);
            stats.dirty = true;
        }
        let flushed = stats.tally.flushed_to();
        if flushed != flushed_before {
            self.batch.stat_flushed_to = flushed;
        }
    }

    /// Writes the contacts and agents the turn touched into its batch as they stand now in
    /// the engine: the batch is then ready to store.
    pub fn seal(&mut self, engine: &Engine, now: i64) {
        for id in std::mem::take(&mut self.contacts) {
            if let Some(update) = self.contact_update(engine, id, now) {
                self.batch.contact_updates.push(update);
            }
        }
        for agent in std::mem::take(&mut self.agents) {
            match engine
                .agent_view(agent)
                .and_then(|v| v.presence.map(|p| (v, p)))
            {
                Some((view, presence)) => self.batch.sessions.push(AgentSession {
                    agent,
                    queues: view.signed_in,
                    presence,
                    reason: view.reason,
                    since: view.state_since,
                }),
                None => self.batch.ended_sessions.push(agent),
            }
        }
    }

    fn contact_update(&self, engine: &Engine, id: ContactId, now: i64) -> Option<ContactUpdate> {
        if let Some((outcome, at, agent)) = self.closed.get(&id) {
            // The agent who served it, for a contact answered and closed in one turn.
            return Some(ContactUpdate {
                id,
                state: ContactStatus::Closed,
                queue: None,
                agent: *agent,
                offer_expires_at: None,
                closed_at: Some(*at),
                outcome: Some(*outcome),
                summary_saved: None,
                updated_at: now,
            });
        }
        let view = engine.contact_view(id)?;
        let (served_by, offer_expires_at) = match view.phase {
            ContactPhase::Connected { agent, .. } | ContactPhase::WrapUp { agent, .. } => {
                (Some(agent), None)
            }
            ContactPhase::Offered { until, .. } => (None, Some(until)),
            _ => (None, None),
        };
        Some(ContactUpdate {
            id,
            state: view.phase.status(),
            queue: Some(view.queue),
            agent: served_by,
            offer_expires_at,
            closed_at: None,
            outcome: None,
            summary_saved: Some(view.summary_saved),
            updated_at: now,
        })
    }
}

/// The stored row of a contact the engine just created (`event` is its `ContactCreated`).
fn new_contact(event: &Event, meta: ContactMeta) -> Option<StoredContact> {
    let Event::ContactCreated {
        contact,
        channel,
        direction,
        queue,
        priority,
        customer,
        at,
    } = event
    else {
        return None;
    };
    Some(StoredContact {
        id: *contact,
        channel: *channel,
        direction: *direction,
        queue: *queue,
        priority: *priority,
        customer: customer.clone(),
        title: meta.title,
        link: meta.link,
        data: meta.data,
        state: ContactStatus::Queued,
        agent: None,
        offer_expires_at: None,
        created_at: *at,
        enqueued_at: *at,
        closed_at: None,
        outcome: None,
        summary: None,
        solution: None,
        disposition: None,
        summary_saved: false,
        rating: None,
    })
}
