//! Timer requests: a min-heap of deadlines. Entries are never removed early; each carries
//! the stamp of what it guards and is ignored when that has moved on. Entries are small
//! (24 bytes) because a busy tenant pops hundreds of thousands of them.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::types::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum TimerKind {
    /// An offer rings out (R2).
    Offer,
    /// A contact's maximum wait in its queue (R4).
    MaxWait,
    /// A familiar-agent reservation lapses (R5).
    Familiar,
    /// A contact's wrap-up reaches the tenant's limit.
    WrapUp,
    /// An agent's post-sign-in wrap-up reaches the tenant's limit.
    AgentWrapUp,
}

/// A due timer: what kind, which contact or agent slot, and the stamp it was armed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Timer {
    pub kind: TimerKind,
    pub slot: u32,
    pub stamp: u64,
}

#[derive(Default)]
pub(super) struct Timers {
    /// (due, stamp, slot, kind); stamps are unique, so ties never compare further.
    heap: BinaryHeap<Reverse<(Millis, u64, u32, TimerKind)>>,
}

impl Timers {
    pub fn at(&mut self, due: Millis, timer: Timer) {
        self.heap
            .push(Reverse((due, timer.stamp, timer.slot, timer.kind)));
    }

    pub fn next_due(&self) -> Option<Millis> {
        self.heap.peek().map(|Reverse((due, ..))| *due)
    }

    /// The earliest timer due at or before `now`.
    pub fn pop_due(&mut self, now: Millis) -> Option<Timer> {
        match self.heap.peek() {
            Some(Reverse((due, ..))) if *due <= now => self
                .heap
                .pop()
                .map(|Reverse((_, stamp, slot, kind))| Timer { kind, slot, stamp }),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }
}
