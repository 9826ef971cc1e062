//! Routing decisions (R1-R5). The invariant kept after every input: no queue has both a
//! contact any agent may take and an agent available for it. So a new contact needs only
//! its own queue's best available agent, and a newly available agent needs only the most
//! important contact among its own queues.

use super::engine::Engine;
use super::event::Event;
use super::state::{Phase, A, C};
use super::timers::{Timer, TimerKind};

/// How many of a queue's best agents are looked at to skip those who let this contact ring
/// out before; beyond that we accept a repeat rather than scan the whole set.
const DECLINED_SCAN: usize = 8;

type HeadRank = (std::cmp::Reverse<u32>, i64, u64);

impl Engine {
    /// Offers a newly routable contact to its queue's best available agent, if any.
    pub(super) fn route_contact(&mut self, c: C) {
        let Some(contact) = self.contacts.get(c) else {
            return;
        };
        if contact.phase != Phase::Queued {
            return;
        }
        let queue = &self.queues[contact.queue as usize];
        let mut best = None;
        for (_, _, a) in queue.available.iter().take(DECLINED_SCAN) {
            if !contact.declined.contains(a) {
                best = Some(*a);
                break;
            }
            best = best.or(Some(*a));
        }
        if let Some(a) = best {
            self.offer(c, a);
        }
    }

    /// Gives a newly available agent work until it has no capacity or nothing fits: first
    /// contacts held for it as a familiar agent, then the most important contact among its
    /// queues (queue priority, then longest wait).
    pub(super) fn serve_agent(&mut self, a: A) {
        while let Some(c) = self.best_contact_for(a) {
            self.offer(c, a);
        }
    }

    fn best_contact_for(&self, a: A) -> Option<C> {
        let agent = &self.agents[a as usize];
        for key in &agent.familiar {
            let class = self.contacts.get(key.3)?.class;
            if self.can_take(a, class) {
                return Some(key.3);
            }
        }
        // Rank: queue priority (high first), then the head contact's arrival and order.
        let mut best: Option<(HeadRank, C)> = None;
        for &q in &agent.signed_in {
            let queue = &self.queues[q as usize];
            let Some(head) = queue.waiting.first() else {
                continue;
            };
            if !self.can_take(a, queue.class) {
                continue;
            }
            let rank = (std::cmp::Reverse(queue.priority), head.1, head.2);
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                best = Some((rank, head.3));
            }
        }
        best.map(|(_, c)| c)
    }

    /// Offers contact `c` to agent `a`: one routing decision. Auto-answer connects at once.
    pub(super) fn offer(&mut self, c: C, a: A) {
        let now = self.now;
        let until = now + i64::from(self.params.offer_timeout.get()) * 1000;
        self.take_out_of_waiting(c);
        let stamp = self.next_seq();
        let Some(contact) = self.contacts.get_mut(c) else {
            return;
        };
        contact.phase = Phase::Offered { agent: a, until };
        contact.gen = stamp;
        let (class, id, q) = (contact.class, contact.id, contact.queue);
        let agent = &mut self.agents[a as usize];
        agent.contacts.push(c);
        agent.load[class as usize] += 1;
        agent.last_offer = stamp;
        let (agent_id, auto) = (agent.id, agent.auto_answer || self.params.auto_answer);
        // An auto-answered offer never rings, so it needs no ring-out timer.
        if !auto {
            self.timers.at(
                until,
                Timer {
                    kind: TimerKind::Offer,
                    slot: c,
                    stamp,
                },
            );
        }
        self.decisions += 1;
        self.touch(q);
        self.emit(Event::ContactOffered {
            contact: id,
            agent: agent_id,
            expires_at: until,
            at: now,
        });
        if auto {
            self.connect(c, a, true);
        }
        self.refresh_agent(a);
    }

    /// Removes a waiting or reserved contact from its queue's sets (not from the agent).
    pub(super) fn take_out_of_waiting(&mut self, c: C) {
        let Some(contact) = self.contacts.get(c) else {
            return;
        };
        let key = contact.wait_key(c);
        let queue = &mut self.queues[contact.queue as usize];
        match contact.phase {
            Phase::Queued => {
                queue.waiting.remove(&key);
            }
            Phase::Reserved { agent, .. } => {
                queue
                    .reserved
                    .remove(&(contact.enqueued_at, contact.seq, c));
                self.agents[agent as usize].familiar.remove(&key);
            }
            _ => {}
        }
    }

    /// Puts a contact (back) in its queue as waiting, keeping its place by arrival time.
    pub(super) fn enqueue(&mut self, c: C) {
        let now = self.now;
        let stamp = self.next_seq();
        let Some(contact) = self.contacts.get_mut(c) else {
            return;
        };
        contact.phase = Phase::Queued;
        contact.gen = stamp;
        let key = contact.wait_key(c);
        let (q, id) = (contact.queue, contact.id);
        let queue = &mut self.queues[q as usize];
        queue.waiting.insert(key);
        let queue_id = queue.id;
        self.touch(q);
        self.emit(Event::ContactQueued {
            contact: id,
            queue: queue_id,
            at: now,
        });
    }
}
