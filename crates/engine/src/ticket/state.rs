//! A ticket's standing as the ticket rules read and change it: where it is in its workflow and
//! who has it. Plain data, so the rules need nothing from storage.

use super::workflow::StatusCategory;
use crate::acd::Millis;
use crate::{SkillQueueId, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketState {
    pub status: String,
    pub category: StatusCategory,
    pub group: Option<SkillQueueId>,
    pub assignee: Option<UserId>,
    pub created_by: Option<UserId>,
    pub completed_by: Option<UserId>,
    pub closed_at: Option<Millis>,
    /// The due-time rules have run for the current due time.
    pub due_handled: bool,
}

impl TicketState {
    pub fn closed(&self) -> bool {
        self.category == StatusCategory::Closed
    }

    /// Handing a ticket to a group leaves it unassigned there, for a member to claim.
    pub fn hand_to_group(&mut self, group: SkillQueueId) {
        self.group = Some(group);
        self.assignee = None;
    }
}
