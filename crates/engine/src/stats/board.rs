//! The wallboard (P1): per skill queue and for the tenant, what is happening now (contacts
//! waiting, the longest wait, agents per state) from the tally's state, and the figures of
//! today (in the tenant's day) and of a sliding window (e.g. the last 30 minutes) from the
//! tally's increments. The live wallboard and the wallboard "as of" a past moment are the
//! same computation over the same events.

use std::collections::VecDeque;

use rustc_hash::FxHashMap as HashMap;

use super::figures::{Figures, QueueMeasure};
use super::tally::{Increment, Tallied, Tally};
use crate::acd::{AgentState, Millis, ReasonCode};
use crate::SkillQueueId;

/// The agents of each state, indexed by [`AgentState::index`].
pub type StateCounts = [u32; 6];

/// One queue on the wallboard.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueBoard {
    pub queue: SkillQueueId,
    /// Contacts not yet answered: waiting, held for a familiar agent, or ringing.
    pub waiting: u32,
    /// When the longest-waiting of them started its wait in this queue.
    pub oldest_since: Option<Millis>,
    /// Signed-in agents of the queue per state.
    pub agents: StateCounts,
    pub today: Figures<QueueMeasure>,
    pub window: Figures<QueueMeasure>,
}

/// Agents in a state for a reason (busy and rest by reason code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonCount {
    pub state: AgentState,
    pub reason: Option<ReasonCode>,
    pub agents: u32,
}

/// The whole wallboard at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardView {
    pub at: Millis,
    pub day_start: Millis,
    pub window_ms: Millis,
    pub queues: Vec<QueueBoard>,
    /// Every signed-in agent once, per state.
    pub agents: StateCounts,
    pub reasons: Vec<ReasonCount>,
    pub today: Figures<QueueMeasure>,
    pub window: Figures<QueueMeasure>,
}

/// Today's and the window's sums per queue, kept as increments arrive.
#[derive(Debug, Clone)]
pub struct Board {
    day_start: Millis,
    day_end: Millis,
    window_ms: Millis,
    today: HashMap<SkillQueueId, Figures<QueueMeasure>>,
    recent: VecDeque<(Millis, SkillQueueId, Figures<QueueMeasure>)>,
}

impl Board {
    /// A board for the day `[day_start, day_end)` with a window of `window_ms`.
    pub fn new(day_start: Millis, day_end: Millis, window_ms: Millis) -> Self {
        Self {
            day_start,
            day_end,
            window_ms,
            today: HashMap::default(),
            recent: VecDeque::new(),
        }
    }

    pub fn day_end(&self) -> Millis {
        self.day_end
    }

    /// A new day begins: today's sums start from nothing; the window goes on.
    pub fn roll(&mut self, day_start: Millis, day_end: Millis) {
        self.day_start = day_start;
        self.day_end = day_end;
        self.today.clear();
    }

    /// Counts a queue increment (others are not on the wallboard).
    pub fn add(&mut self, inc: &Increment) {
        let Tallied::Queue { queue, figures } = &inc.what else {
            return;
        };
        if (self.day_start..self.day_end).contains(&inc.at) {
            self.today.entry(*queue).or_default().merge(figures);
        }
        if let Some((last, _, _)) = self.recent.back() {
            if inc.at < *last {
                // Out of order (a late event): keep the deque sorted by time.
                let at = self.recent.partition_point(|(t, _, _)| *t <= inc.at);
                self.recent.insert(at, (inc.at, *queue, *figures));
                return;
            }
        }
        self.recent.push_back((inc.at, *queue, *figures));
    }

    /// The wallboard at `now` for `queues` (every queue of the tenant, active or not).
    pub fn view(&mut self, now: Millis, tally: &Tally, queues: &[SkillQueueId]) -> BoardView {
        let from = now - self.window_ms;
        while self.recent.front().is_some_and(|(t, _, _)| *t <= from) {
            self.recent.pop_front();
        }
        let mut rows: Vec<QueueBoard> = queues
            .iter()
            .map(|q| QueueBoard {
                queue: *q,
                waiting: 0,
                oldest_since: None,
                agents: [0; 6],
                today: self.today.get(q).copied().unwrap_or_default(),
                window: Figures::default(),
            })
            .collect();
        let index: HashMap<SkillQueueId, usize> =
            queues.iter().enumerate().map(|(i, q)| (*q, i)).collect();
        for (t, q, f) in &self.recent {
            if let Some(row) = index.get(q).filter(|_| *t <= now) {
                rows[*row].window.merge(f);
            }
        }
        for c in tally.contacts.values() {
            if let (Some(since), Some(row)) = (c.waiting_since, index.get(&c.queue)) {
                let row = &mut rows[*row];
                row.waiting += 1;
                row.oldest_since = Some(row.oldest_since.map_or(since, |o| o.min(since)));
            }
        }
        let mut agents = [0; 6];
        let mut reasons: Vec<ReasonCount> = Vec::new();
        for a in tally
            .agents
            .values()
            .filter(|a| a.state != AgentState::SignedOut)
        {
            agents[a.state.index()] += 1;
            for q in &a.queues {
                if let Some(row) = index.get(q) {
                    rows[*row].agents[a.state.index()] += 1;
                }
            }
            if matches!(a.state, AgentState::Busy | AgentState::Rest) {
                match reasons
                    .iter_mut()
                    .find(|r| r.state == a.state && r.reason == a.reason)
                {
                    Some(r) => r.agents += 1,
                    None => reasons.push(ReasonCount {
                        state: a.state,
                        reason: a.reason.clone(),
                        agents: 1,
                    }),
                }
            }
        }
        reasons.sort_by_key(|r| {
            (
                r.state.index(),
                r.reason.as_ref().map(|c| c.as_str().to_owned()),
            )
        });
        let (mut today, mut window) = (Figures::default(), Figures::default());
        for row in &rows {
            today.merge(&row.today);
            window.merge(&row.window);
        }
        BoardView {
            at: now,
            day_start: self.day_start,
            window_ms: self.window_ms,
            queues: rows,
            agents,
            reasons,
            today,
            window,
        }
    }
}
