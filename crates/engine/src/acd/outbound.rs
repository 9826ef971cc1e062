//! Outbound contacts (外呼, V9): an agent calls a customer. The contact is theirs from the
//! moment they dial — connected at once, never queued or offered — so nothing inbound is
//! offered to them meanwhile, and it ends in wrap-up like any other. Allowed when idle or
//! busy (示忙: inbound blocked, outbound allowed), not at rest (S3).

use super::command::NewContact;
use super::engine::Engine;
use super::error::EngineError;
use super::types::{CapacityClass, Direction, Presence};
use crate::{Channel, UserId};

impl Engine {
    pub(super) fn dial(&mut self, new: NewContact, agent: UserId) -> Result<(), EngineError> {
        let a = self.agent(agent)?;
        let q = self.queue(new.queue)?;
        if new.channel != Channel::Voice || new.direction != Direction::Outbound {
            return Err(EngineError::NotOutbound);
        }
        let who = &self.agents[a as usize];
        match who.presence {
            Presence::SignedOut => return Err(EngineError::NotSignedIn),
            Presence::Rest => return Err(EngineError::Resting),
            Presence::Available | Presence::Busy | Presence::WrapUp => {}
        }
        if who.load[CapacityClass::Call as usize] > 0 {
            return Err(EngineError::OnACall);
        }
        if who.level_in(q).is_none() {
            return Err(EngineError::NotBound(new.queue));
        }
        let now = self.now;
        let c = self.admit(&new, now, now)?;
        let agent = &mut self.agents[a as usize];
        agent.contacts.push(c);
        agent.load[CapacityClass::Call as usize] += 1;
        self.connect(c, a, false);
        self.touch(q);
        self.refresh_agent(a);
        Ok(())
    }
}
