//! Who may see and do what with a ticket (T3, T4, T6), from plain facts: the ticket's standing
//! and the caller's id, skill groups and permissions. Whether someone is cc'd on a ticket or
//! transferred it is kept in the database, so seeing a ticket can come down to "if involved",
//! which the caller looks up only then.

use super::state::TicketState;
use super::workflow::{Workflow, WorkflowAction};
use crate::{Permission, SkillQueueId, UserId};

/// Who is asking: the ticket rules' view of a signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub id: UserId,
    /// The skill groups the user is bound to.
    pub groups: Vec<SkillQueueId>,
    /// Sees and works every ticket (supervisors).
    pub view_all: bool,
    pub may_reopen: bool,
}

/// Whether the caller sees a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    Sees,
    /// Only if cc'd on it or having transferred it.
    IfInvolved,
}

impl Sight {
    fn direct(sees: bool) -> Self {
        if sees {
            Sight::Sees
        } else {
            Sight::IfInvolved
        }
    }

    /// The answer, once the caller's involvement is known.
    pub fn sees(self, involved: bool) -> bool {
        self == Sight::Sees || involved
    }
}

/// What the caller may do with a ticket now. Anyone who sees a ticket may also cc people on
/// it and keep their own flag and reminders on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Can {
    pub claim: bool,
    pub transfer: bool,
    pub edit: bool,
    pub cc: bool,
    pub reopen: bool,
}

impl Caller {
    pub fn new(id: UserId, groups: Vec<SkillQueueId>, permissions: &[Permission]) -> Self {
        Self {
            id,
            groups,
            view_all: permissions.contains(&Permission::TicketViewAll),
            may_reopen: permissions.contains(&Permission::TicketReopen),
        }
    }

    /// The ticket belongs to one of my skill groups (assigned or not).
    pub fn in_groups(&self, t: &TicketState) -> bool {
        t.group.is_some_and(|g| self.groups.contains(&g))
    }

    /// Supervisors, the assignee, the creator and whoever may claim it see a ticket; so do
    /// the people involved.
    pub fn sight(&self, t: &TicketState) -> Sight {
        Sight::direct(
            self.view_all
                || t.assignee == Some(self.id)
                || t.created_by == Some(self.id)
                || self.may_claim(t),
        )
    }

    /// Once a colleague has claimed a ticket of my group I no longer see it, yet my claim
    /// should hear that it was taken, not that it is gone.
    pub fn claim_sight(&self, t: &TicketState) -> Sight {
        Sight::direct(self.in_groups(t) || self.sight(t) == Sight::Sees)
    }

    /// Unassigned, not closed, and in one of my groups (or I see everything).
    pub fn may_claim(&self, t: &TicketState) -> bool {
        t.assignee.is_none() && !t.closed() && (self.view_all || self.in_groups(t))
    }

    /// The assignee works an open ticket (edits, transfers, takes workflow actions);
    /// supervisors may too.
    pub fn works(&self, t: &TicketState) -> bool {
        !t.closed() && (t.assignee == Some(self.id) || self.view_all)
    }

    pub fn may_reopen(&self, t: &TicketState) -> bool {
        t.closed() && self.may_reopen
    }

    pub fn can(&self, t: &TicketState) -> Can {
        Can {
            claim: self.may_claim(t),
            transfer: self.works(t),
            edit: self.works(t),
            cc: true,
            reopen: self.may_reopen(t),
        }
    }

    /// The workflow actions I may take now: those of the current status, if I work the ticket.
    pub fn actions<'w>(
        &self,
        workflow: &'w Workflow,
        t: &'w TicketState,
    ) -> Vec<&'w WorkflowAction> {
        if !self.works(t) {
            return vec![];
        }
        workflow.actions_from(&t.status).collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ticket::{FieldCode, StatusCategory};

    pub(crate) fn code(c: &str) -> FieldCode {
        FieldCode::parse(c).unwrap()
    }

    pub(crate) fn ticket(group: Option<SkillQueueId>, assignee: Option<UserId>) -> TicketState {
        TicketState {
            status: "new".into(),
            category: StatusCategory::Open,
            group,
            assignee,
            created_by: None,
            completed_by: None,
            closed_at: None,
            due_handled: false,
        }
    }

    pub(crate) fn closed(mut t: TicketState) -> TicketState {
        t.status = "done".into();
        t.category = StatusCategory::Closed;
        t
    }

    pub(crate) fn agent(groups: &[SkillQueueId], permissions: &[Permission]) -> Caller {
        Caller::new(UserId::new(), groups.to_vec(), permissions)
    }

    #[test]
    fn permissions_make_supervisors_and_reopeners() {
        let boss = agent(&[], &[Permission::TicketViewAll, Permission::TicketReopen]);
        assert!(boss.view_all && boss.may_reopen);
        let plain = agent(&[], &[Permission::TicketWork]);
        assert!(!plain.view_all && !plain.may_reopen);
    }

    #[test]
    fn the_group_sees_and_may_claim_an_unassigned_ticket() {
        let g = SkillQueueId::new();
        let member = agent(&[g], &[]);
        let outsider = agent(&[SkillQueueId::new()], &[]);
        let t = ticket(Some(g), None);
        assert!(member.in_groups(&t) && member.may_claim(&t));
        assert_eq!(member.sight(&t), Sight::Sees);
        assert!(!outsider.in_groups(&t) && !outsider.may_claim(&t));
        assert_eq!(outsider.sight(&t), Sight::IfInvolved);
        assert!(!member.may_claim(&closed(t.clone())), "closed");
        assert!(
            !member.may_claim(&ticket(Some(g), Some(outsider.id))),
            "taken"
        );
        assert!(!member.in_groups(&ticket(None, None)));
    }

    #[test]
    fn assignee_creator_supervisor_and_the_involved_see_a_ticket() {
        let someone = agent(&[], &[]);
        let mut t = ticket(Some(SkillQueueId::new()), Some(someone.id));
        assert_eq!(someone.sight(&t), Sight::Sees);
        let creator = agent(&[], &[]);
        t.created_by = Some(creator.id);
        assert_eq!(creator.sight(&t), Sight::Sees);
        let boss = agent(&[], &[Permission::TicketViewAll]);
        assert_eq!(boss.sight(&t), Sight::Sees);
        assert!(
            boss.may_claim(&ticket(None, None)),
            "supervisors claim anything"
        );
        let other = agent(&[], &[]);
        assert_eq!(other.sight(&t), Sight::IfInvolved);
        assert!(other.sight(&t).sees(true));
        assert!(!other.sight(&t).sees(false));
        assert!(Sight::Sees.sees(false));
    }

    #[test]
    fn a_claim_hears_of_a_taken_ticket_of_my_group() {
        let g = SkillQueueId::new();
        let member = agent(&[g], &[]);
        let taken = ticket(Some(g), Some(UserId::new()));
        assert_eq!(member.sight(&taken), Sight::IfInvolved);
        assert_eq!(member.claim_sight(&taken), Sight::Sees);
        let elsewhere = ticket(Some(SkillQueueId::new()), Some(UserId::new()));
        assert_eq!(member.claim_sight(&elsewhere), Sight::IfInvolved);
        let mine = ticket(None, Some(member.id));
        assert_eq!(member.claim_sight(&mine), Sight::Sees);
    }

    #[test]
    fn the_assignee_and_supervisors_work_an_open_ticket() {
        let me = agent(&[], &[]);
        let boss = agent(&[], &[Permission::TicketViewAll]);
        let t = ticket(None, Some(me.id));
        assert!(me.works(&t) && boss.works(&t));
        assert!(!agent(&[], &[]).works(&t), "not the assignee");
        assert!(!me.works(&closed(t.clone())) && !boss.works(&closed(t)));
    }

    #[test]
    fn only_closed_tickets_reopen_and_only_with_the_permission() {
        let reopener = agent(&[], &[Permission::TicketReopen]);
        let t = ticket(None, Some(reopener.id));
        assert!(!reopener.may_reopen(&t), "still open");
        assert!(reopener.may_reopen(&closed(t.clone())));
        assert!(!agent(&[], &[]).may_reopen(&closed(t)));
    }

    #[test]
    fn can_and_actions_follow_the_rules() {
        let me = agent(&[], &[]);
        let w = Workflow::default_workflow();
        let mine = ticket(None, Some(me.id));
        let can = me.can(&mine);
        assert_eq!(
            can,
            Can {
                claim: false,
                transfer: true,
                edit: true,
                cc: true,
                reopen: false
            }
        );
        let offered: Vec<&str> = me
            .actions(&w, &mine)
            .iter()
            .map(|a| a.code.as_str())
            .collect();
        let expected: Vec<&str> = w.actions_from("new").map(|a| a.code.as_str()).collect();
        assert!(!offered.is_empty());
        assert_eq!(offered, expected);
        let theirs = ticket(None, Some(UserId::new()));
        assert!(me.actions(&w, &theirs).is_empty());
        assert!(!me.can(&theirs).edit && me.can(&theirs).cc);
    }
}
