//! What the changes people make do to a ticket (T2, T4, T6): opening, claiming, transferring,
//! workflow actions and reopening, what an edit sets off, and what notes and reminders may
//! be. Each gives the ticket's next standing, or why not; checking ids against the database
//! and saving are the caller's.

use super::access::Caller;
use super::field::FieldCode;
use super::state::TicketState;
use super::workflow::{ActionRefused, StatusCategory, Workflow, WorkflowAction};
use crate::acd::Millis;
use crate::{SkillQueueId, UserId};

/// The ticket's standing does not allow this change by this caller now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotNow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRefused {
    /// Someone has it already (of two claims at once, the loser hears this too).
    Taken,
    NotNow,
}

/// Where a transfer sends a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handover {
    /// Unassigned, for the group to claim.
    Group(SkillQueueId),
    /// To this agent, in the group it is in.
    Agent(UserId),
}

impl Handover {
    /// A transfer names exactly one of a group and an agent.
    pub fn of(group: Option<SkillQueueId>, agent: Option<UserId>) -> Option<Self> {
        match (group, agent) {
            (Some(g), None) => Some(Handover::Group(g)),
            (None, Some(a)) => Some(Handover::Agent(a)),
            _ => None,
        }
    }
}

/// A new ticket: in the workflow's first status, with the group and assignee given, or
/// assigned to its creator when neither is (nobody else would see it to claim it). The
/// system (`creator` `None`, a caller's voicemail) creates tickets nobody is assigned.
pub fn opened(
    workflow: &Workflow,
    group: Option<SkillQueueId>,
    assignee: Option<UserId>,
    creator: Option<UserId>,
) -> TicketState {
    let initial = workflow.initial.as_str();
    TicketState {
        status: initial.to_owned(),
        category: workflow.category(initial),
        group,
        assignee: assignee.or(creator.filter(|_| group.is_none())),
        created_by: creator,
        completed_by: None,
        closed_at: None,
        due_handled: false,
    }
}

pub fn claim(caller: &Caller, t: &TicketState) -> Result<TicketState, ClaimRefused> {
    if t.assignee.is_some() {
        return Err(ClaimRefused::Taken);
    }
    if !caller.may_claim(t) {
        return Err(ClaimRefused::NotNow);
    }
    Ok(TicketState {
        assignee: Some(caller.id),
        ..t.clone()
    })
}

/// The ticket handed over; whether the caller may transfer it is `Caller::works`.
pub fn transferred(t: &TicketState, to: Handover) -> TicketState {
    let mut next = t.clone();
    match to {
        Handover::Group(g) => next.hand_to_group(g),
        Handover::Agent(a) => next.assignee = Some(a),
    }
    next
}

/// Takes a workflow action the current status offers, given which fields will have a value
/// once the action's own field input is applied; `me` completes the ticket if it closes.
/// Whether the caller works the ticket is `Caller::works`.
pub fn act<'w>(
    workflow: &'w Workflow,
    t: &TicketState,
    code: &str,
    note: Option<&str>,
    has_value: impl Fn(&FieldCode) -> bool,
    me: UserId,
    now: Millis,
) -> Result<(TicketState, &'w WorkflowAction), ActionRefused> {
    let action = workflow.check(code, &t.status, note, has_value)?;
    let mut next = moved(workflow, t, action.to.as_str(), me, now);
    if let Some(g) = action.assign_group {
        next.hand_to_group(g);
    }
    Ok((next, action))
}

/// Back to the workflow's first status; its due time counts again.
pub fn reopen(
    workflow: &Workflow,
    caller: &Caller,
    t: &TicketState,
    now: Millis,
) -> Result<TicketState, NotNow> {
    if !caller.may_reopen(t) {
        return Err(NotNow);
    }
    let mut next = moved(workflow, t, workflow.initial.as_str(), caller.id, now);
    next.due_handled = false;
    Ok(next)
}

/// Into `status`: closing records when and by whom, leaving closed forgets both.
fn moved(
    workflow: &Workflow,
    t: &TicketState,
    status: &str,
    me: UserId,
    now: Millis,
) -> TicketState {
    let category = workflow.category(status);
    let mut next = TicketState {
        status: status.to_owned(),
        category,
        ..t.clone()
    };
    match (t.closed(), category == StatusCategory::Closed) {
        (false, true) => {
            next.closed_at = Some(now);
            next.completed_by = Some(me);
        }
        (true, false) => {
            next.closed_at = None;
            next.completed_by = None;
        }
        _ => {}
    }
    next
}

/// A new due time fires the due-time rules again.
pub fn rearms_due(changed: &[FieldCode]) -> bool {
    changed.iter().any(|c| c.as_str() == "due_at")
}

/// The longest note on a transfer, action, reopening or reminder.
pub const MAX_NOTE: usize = 1000;
/// The longest follow-up note.
pub const MAX_FOLLOW_UP: usize = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteRefused {
    Missing,
    TooLong,
}

/// A note as kept: trimmed, and none when blank.
pub fn note(raw: Option<&str>, required: bool) -> Result<Option<&str>, NoteRefused> {
    match raw.map(str::trim).filter(|n| !n.is_empty()) {
        None if required => Err(NoteRefused::Missing),
        Some(n) if n.chars().count() > MAX_NOTE => Err(NoteRefused::TooLong),
        other => Ok(other),
    }
}

/// A follow-up note as kept (trimmed), if it has 1 to `MAX_FOLLOW_UP` characters.
pub fn follow_up(raw: &str) -> Option<&str> {
    let text = raw.trim();
    (1..=MAX_FOLLOW_UP)
        .contains(&text.chars().count())
        .then_some(text)
}

/// A reminder is for a time to come, within a year.
pub fn reminder_time_ok(at: Millis, now: Millis) -> bool {
    at > now && at < now + 366 * 86_400_000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::access::tests::{agent, closed, code, ticket};
    use crate::Permission;

    #[test]
    fn a_new_ticket_starts_in_the_first_status_with_someone_to_see_it() {
        let w = Workflow::default_workflow();
        let (me, g, u) = (UserId::new(), SkillQueueId::new(), UserId::new());
        let mine = opened(&w, None, None, Some(me));
        assert_eq!(
            (mine.status.as_str(), mine.category),
            ("new", StatusCategory::Open)
        );
        assert_eq!((mine.assignee, mine.created_by), (Some(me), Some(me)));
        assert_eq!(
            opened(&w, Some(g), None, Some(me)).assignee,
            None,
            "the group claims it"
        );
        assert_eq!(opened(&w, None, Some(u), Some(me)).assignee, Some(u));
        assert_eq!(opened(&w, Some(g), Some(u), Some(me)).assignee, Some(u));
        // The system (a voicemail) is nobody to assign: its group claims the ticket.
        let system = opened(&w, Some(g), None, None);
        assert_eq!(
            (system.group, system.assignee, system.created_by),
            (Some(g), None, None)
        );
    }

    #[test]
    fn a_claim_takes_an_unassigned_ticket_of_my_group() {
        let g = SkillQueueId::new();
        let member = agent(&[g], &[]);
        let t = ticket(Some(g), None);
        assert_eq!(claim(&member, &t).unwrap().assignee, Some(member.id));
        let taken = ticket(Some(g), Some(UserId::new()));
        assert_eq!(claim(&member, &taken), Err(ClaimRefused::Taken));
        assert_eq!(claim(&member, &closed(t)), Err(ClaimRefused::NotNow));
        let outsider = agent(&[], &[]);
        assert_eq!(
            claim(&outsider, &ticket(Some(g), None)),
            Err(ClaimRefused::NotNow)
        );
    }

    #[test]
    fn a_transfer_names_a_group_or_an_agent() {
        let (g, u) = (SkillQueueId::new(), UserId::new());
        assert_eq!(Handover::of(Some(g), None), Some(Handover::Group(g)));
        assert_eq!(Handover::of(None, Some(u)), Some(Handover::Agent(u)));
        assert_eq!(Handover::of(Some(g), Some(u)), None);
        assert_eq!(Handover::of(None, None), None);
        let t = ticket(Some(SkillQueueId::new()), Some(UserId::new()));
        let to_group = transferred(&t, Handover::Group(g));
        assert_eq!((to_group.group, to_group.assignee), (Some(g), None));
        let to_agent = transferred(&t, Handover::Agent(u));
        assert_eq!((to_agent.group, to_agent.assignee), (t.group, Some(u)));
    }

    #[test]
    fn actions_move_the_status_and_closing_records_who_and_when() {
        let w = Workflow::default_workflow();
        let me = UserId::new();
        let t = ticket(None, Some(me));
        let (started, a) = act(&w, &t, "start", None, |_| true, me, 5).unwrap();
        assert_eq!(
            (a.code.as_str(), started.status.as_str()),
            ("start", "processing")
        );
        assert_eq!(started.closed_at, None);
        let (done, _) = act(&w, &started, "complete", None, |_| true, me, 9).unwrap();
        assert_eq!(done.category, StatusCategory::Closed);
        assert_eq!((done.closed_at, done.completed_by), (Some(9), Some(me)));
        assert_eq!(
            act(&w, &done, "start", None, |_| true, me, 10).unwrap_err(),
            ActionRefused::NotFromHere
        );
        assert_eq!(
            act(&w, &t, "nope", None, |_| true, me, 10).unwrap_err(),
            ActionRefused::UnknownAction
        );
    }

    #[test]
    fn an_action_may_hand_the_ticket_to_a_group_and_passes_on_refusals() {
        let mut w = Workflow::default_workflow();
        let tier2 = SkillQueueId::new();
        let mut escalate = w.actions[0].clone();
        escalate.code = code("escalate");
        escalate.requires_note = true;
        escalate.assign_group = Some(tier2);
        w.actions.push(escalate);
        let me = UserId::new();
        let t = ticket(None, Some(me));
        let refused = act(&w, &t, "escalate", None, |_| true, me, 1).unwrap_err();
        assert_eq!(refused, ActionRefused::NoteRequired);
        let (next, _) = act(&w, &t, "escalate", Some("二线"), |_| true, me, 1).unwrap();
        assert_eq!((next.group, next.assignee), (Some(tier2), None));
        assert_eq!(next.status, "processing");
    }

    #[test]
    fn reopening_needs_the_permission_and_a_closed_ticket() {
        let w = Workflow::default_workflow();
        let reopener = agent(&[], &[Permission::TicketReopen]);
        let mut done = closed(ticket(None, Some(UserId::new())));
        done.closed_at = Some(3);
        done.completed_by = done.assignee;
        done.due_handled = true;
        let back = reopen(&w, &reopener, &done, 7).unwrap();
        assert_eq!(
            (back.status.as_str(), back.category),
            ("new", StatusCategory::Open)
        );
        assert_eq!(
            (back.closed_at, back.completed_by, back.due_handled),
            (None, None, false)
        );
        assert_eq!(back.assignee, done.assignee);
        assert_eq!(reopen(&w, &agent(&[], &[]), &done, 7), Err(NotNow));
        assert_eq!(reopen(&w, &reopener, &back, 8), Err(NotNow), "open already");
    }

    #[test]
    fn a_new_due_time_rearms_the_due_rules() {
        assert!(rearms_due(&[code("title"), code("due_at")]));
        assert!(!rearms_due(&[code("title")]));
    }

    #[test]
    fn notes_are_trimmed_required_when_asked_and_bounded() {
        assert_eq!(note(Some("  好的 "), true), Ok(Some("好的")));
        assert_eq!(note(Some("   "), false), Ok(None));
        assert_eq!(note(None, false), Ok(None));
        assert_eq!(note(Some(" "), true), Err(NoteRefused::Missing));
        assert_eq!(note(None, true), Err(NoteRefused::Missing));
        let long = "字".repeat(MAX_NOTE + 1);
        assert_eq!(note(Some(&long), false), Err(NoteRefused::TooLong));
        assert!(note(Some(&long[..MAX_NOTE * 3]), false).is_ok());
        assert_eq!(follow_up(" 已回电 "), Some("已回电"));
        assert_eq!(follow_up("  "), None);
        assert_eq!(follow_up(&"x".repeat(MAX_FOLLOW_UP + 1)), None);
        assert!(follow_up(&"x".repeat(MAX_FOLLOW_UP)).is_some());
    }

    #[test]
    fn reminders_are_for_the_coming_year() {
        let day = 86_400_000;
        assert!(reminder_time_ok(1, 0));
        assert!(reminder_time_ok(365 * day, 0));
        assert!(!reminder_time_ok(0, 0), "now is not to come");
        assert!(!reminder_time_ok(-5, 0));
        assert!(!reminder_time_ok(366 * day, 0));
    }
}
