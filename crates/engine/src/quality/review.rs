//! A review's lifecycle: draft → submitted → acknowledged | disputed → resolved.

use crate::queue::code_enum;

code_enum!(
    /// Where a review stands.
    ReviewStatus, "status" {
        /// The reviewer is still scoring; the agent does not see it.
        Draft => "draft",
        /// Scored; the agent sees it and may acknowledge or dispute it.
        Submitted => "submitted",
        /// The agent accepted it.
        Acknowledged => "acknowledged",
        /// The agent disputes it, with a reason; a reviewer resolves it.
        Disputed => "disputed",
        /// A reviewer upheld or re-scored it after a dispute.
        Resolved => "resolved",
    }
);

code_enum!(
    /// How a dispute ended.
    Resolution, "resolution" {
        /// The score stands.
        Upheld => "upheld",
        /// The reviewer scored it again.
        Rescored => "rescored",
    }
);

/// What someone does to a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    Save,
    Submit,
    Acknowledge,
    Dispute,
    Resolve,
}

impl ReviewStatus {
    /// The status after `action`, or `None` when the action is not open in this status.
    pub fn after(self, action: ReviewAction) -> Option<ReviewStatus> {
        use ReviewAction as A;
        use ReviewStatus as S;
        match (self, action) {
            (S::Draft, A::Save) => Some(S::Draft),
            (S::Draft, A::Submit) => Some(S::Submitted),
            (S::Submitted, A::Acknowledge) => Some(S::Acknowledged),
            (S::Submitted, A::Dispute) => Some(S::Disputed),
            (S::Disputed, A::Resolve) => Some(S::Resolved),
            _ => None,
        }
    }

    /// Whether the agent may see it (anything but a draft).
    pub fn shown_to_agent(self) -> bool {
        self != ReviewStatus::Draft
    }
}
