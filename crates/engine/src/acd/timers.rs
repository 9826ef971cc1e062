//! Timer requests: a min-heap of deadlines. Entries are never removed early; each carries
//! the generation of what it guards and is ignored when that has moved on.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::state::{A, C};
use super::types::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Timer {
    /// An offer rings out (R2).
    Offer { c: C, seq: u64, gen: u64 },
    /// A contact's maximum wait in its queue (R4); checked against the contact's current
    /// deadline, which offers do not change.
    MaxWait { c: C, seq: u64 },
    /// A familiar-agent reservation lapses (R5).
    Familiar { c: C, seq: u64, gen: u64 },
    /// A contact's wrap-up reaches the tenant's limit.
    WrapUp { c: C, seq: u64, gen: u64 },
    /// An agent's post-sign-in wrap-up reaches the tenant's limit.
    AgentWrapUp { a: A, gen: u64 },
}

#[derive(Default)]
pub(super) struct Timers {
    heap: BinaryHeap<Reverse<(Millis, u64, Timer)>>,
    order: u64,
}

impl Timers {
    pub fn at(&mut self, due: Millis, timer: Timer) {
        self.order += 1;
        self.heap.push(Reverse((due, self.order, timer)));
    }

    pub fn next_due(&self) -> Option<Millis> {
        self.heap.peek().map(|Reverse((due, _, _))| *due)
    }

    /// The earliest timer due at or before `now`.
    pub fn pop_due(&mut self, now: Millis) -> Option<Timer> {
        match self.heap.peek() {
            Some(Reverse((due, _, _))) if *due <= now => {
                self.heap.pop().map(|Reverse((_, _, t))| t)
            }
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }
}
