//! What the call logic asks of the media runner and hears back from it: one media leg per
//! SIP leg, addressed by [`LegId`], on an RTP port the call logic chose from its pool.

use std::collections::{HashSet, VecDeque};
use std::net::SocketAddr;

use switchboard_sip::sdp::Codec;

use crate::call::CallRef;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LegId(pub u64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaCommand {
    /// Bind the leg's RTP port (and the next one for RTCP) and expect media from `remote`
    /// once known; symmetric RTP latches onto where packets really come from.
    Open {
        call: CallRef,
        leg: LegId,
        port: u16,
        codec: Codec,
        telephone_event: Option<u8>,
        remote: Option<SocketAddr>,
    },
    /// The far end's address and format became known or changed (an answer, a re-INVITE).
    Remote {
        leg: LegId,
        remote: SocketAddr,
        codec: Codec,
        telephone_event: Option<u8>,
    },
    /// `leg` hears the sum of `from` (none: silence) — hold, three-way calls and
    /// supervisors' listening and whispering are all "who hears whom".
    Hear {
        leg: LegId,
        from: Vec<LegId>,
    },
    /// Send DTMF to the party on `leg` as RFC 4733 telephone events (the soft keypad).
    SendDigits {
        leg: LegId,
        digits: String,
    },
    /// Each leg hears the other.
    Bridge {
        a: LegId,
        b: LegId,
    },
    /// Record the call from now on, the caller on the left channel, the other on the right.
    Record {
        call: CallRef,
        caller: LegId,
        callee: LegId,
    },
    /// The recording of `call` (if it is being recorded) has `customer` on one side and the
    /// sum of `agents` on the other: everyone the customer talks with.
    RecordSides {
        call: CallRef,
        customer: LegId,
        agents: Vec<LegId>,
    },
    Close {
        leg: LegId,
    },
    /// Play prompts (by name) to the leg; `interruptible`: a key stops them.
    Play {
        leg: LegId,
        prompts: Vec<String>,
        interruptible: bool,
    },
    StopPrompts {
        leg: LegId,
    },
    /// Music on hold, looped, until the leg is bridged or closed.
    Music {
        leg: LegId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaEvent {
    /// A DTMF digit (RFC 4733 or SIP INFO) from the party on this leg.
    Digit { leg: LegId, digit: char },
    /// The port could not be bound: the leg cannot carry media.
    Failed { leg: LegId },
    /// The prompts asked for last have played (or were stopped by a key).
    PromptsDone { leg: LegId },
    /// The sockets of a closed leg's port are closed: the port may be handed out again.
    PortFreed { port: u16 },
}

/// RTP ports (even; RTCP on the odd one above), handed out least recently used first so a
/// late packet of an ended call does not land in a new one. A port comes back when the media
/// side says its sockets closed, not when the switch is done with the leg: a media task
/// behind its commands may hold it a while longer.
pub struct PortPool {
    free: VecDeque<u16>,
    lent: HashSet<u16>,
}

impl PortPool {
    pub fn new(low: u16, high: u16) -> PortPool {
        let first = low + (low % 2);
        PortPool {
            free: (first..high).step_by(2).collect(),
            lent: HashSet::new(),
        }
    }

    pub fn take(&mut self) -> Option<u16> {
        let port = self.free.pop_front()?;
        self.lent.insert(port);
        Some(port)
    }

    /// A lent port back; one never lent (or back already) is ignored.
    pub fn give_back(&mut self, port: u16) {
        if self.lent.remove(&port) {
            self.free.push_back(port);
        }
    }

    pub fn available(&self) -> usize {
        self.free.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_even_and_reused_last() {
        let mut pool = PortPool::new(10_001, 10_010);
        assert_eq!(pool.available(), 4);
        let a = pool.take();
        assert_eq!(a, Some(10_002));
        pool.give_back(10_002);
        assert_eq!(
            std::iter::from_fn(|| pool.take()).collect::<Vec<_>>(),
            [10_004, 10_006, 10_008, 10_002]
        );
        // Ports never lent, or back already, are not taken twice.
        pool.give_back(10_004);
        pool.give_back(10_004);
        pool.give_back(10_003);
        pool.give_back(20_000);
        assert_eq!(pool.available(), 1);
    }
}
