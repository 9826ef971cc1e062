//! Transaction deadlines: a heap of stamped entries; an entry whose stamp is no longer its
//! transaction's is stale and skipped, so timers are never searched for and removed.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::TxKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimerKind {
    Server(ServerTimer),
    Client(ClientTimer),
}

/// G (and the 2xx retransmission), H (and the 2xx's wait for ACK), I/J (linger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServerTimer {
    Retransmit,
    GiveUp,
    Linger,
}

/// A/E, B/F, D/K and the end of Accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClientTimer {
    Retransmit,
    GiveUp,
    Linger,
}

#[derive(Default)]
pub struct Timers {
    heap: BinaryHeap<Reverse<(u64, u64)>>,
    entries: HashMap<u64, (TxKey, TimerKind)>,
    current: HashMap<(TxKey, TimerKind), u64>,
    next_stamp: u64,
}

impl Timers {
    /// Sets (or moves) the timer of this kind for this transaction.
    pub fn set(&mut self, key: &TxKey, kind: TimerKind, due: u64) {
        self.next_stamp += 1;
        let stamp = self.next_stamp;
        if let Some(old) = self.current.insert((key.clone(), kind), stamp) {
            self.entries.remove(&old);
        }
        self.entries.insert(stamp, (key.clone(), kind));
        self.heap.push(Reverse((due, stamp)));
    }

    pub fn clear(&mut self, key: &TxKey, kind: TimerKind) {
        if let Some(stamp) = self.current.remove(&(key.clone(), kind)) {
            self.entries.remove(&stamp);
        }
    }

    pub fn next_due(&self) -> Option<u64> {
        // Stale heads are dropped by pop_due; a stale head only makes us wake early.
        self.heap.peek().map(|Reverse((due, _))| *due)
    }

    pub fn pop_due(&mut self, now: u64) -> Option<(TxKey, TimerKind)> {
        while let Some(Reverse((due, stamp))) = self.heap.peek().copied() {
            if due > now {
                return None;
            }
            self.heap.pop();
            if let Some((key, kind)) = self.entries.remove(&stamp) {
                self.current.remove(&(key.clone(), kind));
                return Some((key, kind));
            }
        }
        None
    }
}
