//! What storage keeps of the center's figures (issue #16): the interval aggregates the tally
//! counts (15-minute buckets, and days of the tenant's zone), queues' targets and wallboard
//! thresholds, and the engine's stored events read back by time, agent or contact.

use switchboard_engine::acd::{AgentState, ReasonCode};
use switchboard_engine::stats::{AgentMeasure, Figures, QueueMeasure};
use switchboard_engine::{Channel, SkillQueueId, TenantId, UserId};

use crate::{EventRecord, Millis, Result};

/// Whether a read returns each bucket or day, or one sum over the range per subject (its
/// `at` then the earliest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    EachPeriod,
    Total,
}

/// Which aggregates a read asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// 15-minute buckets; `at` is the bucket's start in UTC milliseconds.
    Bucket,
    /// Days of the tenant's zone; `at` counts days since 1970-01-01.
    Day,
    /// Months of the tenant's zone; `at` is the number of the month's first day. Kept so a
    /// total over a long range sums a few rows per subject (a total over days uses them).
    /// A read of months takes `from` and `to` in days and returns a row per month: a whole
    /// month from its month row, a month the range cuts summed from its days in the range.
    Month,
}

impl Grain {
    pub(crate) fn code(self) -> i16 {
        match self {
            Grain::Bucket => 0,
            Grain::Day => 1,
            Grain::Month => 2,
        }
    }
}

/// A queue's figures in one bucket or day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFigureRow {
    pub at: i64,
    pub queue: SkillQueueId,
    pub figures: Figures<QueueMeasure>,
}

/// An agent's figures on one channel in one bucket or day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentFigureRow {
    pub at: i64,
    pub agent: UserId,
    pub channel: Channel,
    pub figures: Figures<AgentMeasure>,
}

/// An agent's time in a state (busy and rest by reason) in one bucket or day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateTimeRow {
    pub at: i64,
    pub agent: UserId,
    pub state: AgentState,
    pub reason: Option<ReasonCode>,
    pub ms: i64,
}

/// Optional warning and alarm levels of one wallboard figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Levels {
    pub warn: Option<u32>,
    pub alarm: Option<u32>,
}

/// A queue's targets and the wallboard's colour thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueTargetsRecord {
    pub queue: SkillQueueId,
    /// The service-level time: answered within this many seconds counts as in target.
    pub answer_within_s: u32,
    /// The service-level goal, percent (80 of "80/20").
    pub service_level_goal: u32,
    /// Abandons before this many seconds are short: counted apart, not against the SL.
    pub short_abandon_s: u32,
    /// Contacts waiting at or above which the figure shows in colour.
    pub waiting: Levels,
    /// Seconds of the longest wait.
    pub longest_wait_s: Levels,
    /// Service level percent at or below which it shows.
    pub service_level: Levels,
    /// Abandon rate percent at or above which it shows.
    pub abandon_rate: Levels,
}

impl QueueTargetsRecord {
    /// A queue's targets until its admins set some: 80 % in 20 s, abandons under 5 s short.
    pub fn default_for(queue: SkillQueueId) -> Self {
        Self {
            queue,
            answer_within_s: 20,
            service_level_goal: 80,
            short_abandon_s: 5,
            waiting: Levels::default(),
            longest_wait_s: Levels::default(),
            service_level: Levels::default(),
            abandon_rate: Levels::default(),
        }
    }
}

/// A stored engine event with its place in the tenant's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub record: EventRecord,
}

/// Reading the figures and the events behind them.
#[async_trait::async_trait]
pub trait StatsStore: Send + Sync {
    /// Queues' figures with `from <= at < to`; all queues when `queues` is empty.
    async fn queue_figures(
        &self,
        tenant: TenantId,
        grain: Grain,
        span: Span,
        from: i64,
        to: i64,
        queues: &[SkillQueueId],
    ) -> Result<Vec<QueueFigureRow>>;
    /// Agents' figures with `from <= at < to`; all agents when `agents` is empty.
    async fn agent_figures(
        &self,
        tenant: TenantId,
        grain: Grain,
        span: Span,
        from: i64,
        to: i64,
        agents: &[UserId],
    ) -> Result<Vec<AgentFigureRow>>;
    /// Agents' time per state with `from <= at < to`; all agents when `agents` is empty.
    async fn state_times(
        &self,
        tenant: TenantId,
        grain: Grain,
        span: Span,
        from: i64,
        to: i64,
        agents: &[UserId],
    ) -> Result<Vec<StateTimeRow>>;
    /// Where agents' time has been counted to, if anywhere.
    async fn stat_flushed_to(&self, tenant: TenantId) -> Result<Option<Millis>>;

    /// The targets every queue of the tenant has saved.
    async fn queue_targets(&self, tenant: TenantId) -> Result<Vec<QueueTargetsRecord>>;
    /// Every change of any queue's targets saved at or before `to`, oldest first, with its
    /// time (the targets in force at a moment are each queue's latest change before it).
    async fn queue_target_changes(
        &self,
        tenant: TenantId,
        to: Millis,
    ) -> Result<Vec<(Millis, QueueTargetsRecord)>>;
    /// Saves a queue's targets (and the change); `NotFound` when the queue is not the
    /// tenant's.
    async fn set_queue_targets(
        &self,
        tenant: TenantId,
        targets: &QueueTargetsRecord,
        now: Millis,
    ) -> Result<()>;

    /// What a tally needs to stand as it stood at `from` and then to follow the center to
    /// `to`, in the order stored: each agent's latest sign-in (or queue reset) and latest
    /// state before `from`, every event before `from` of the contacts open at `from`, and
    /// every event with `from <= at <= to`.
    async fn events_for_replay(
        &self,
        tenant: TenantId,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<StoredEvent>>;
    /// One agent's events with `from <= at < to`, in the order stored.
    async fn agent_events(
        &self,
        tenant: TenantId,
        agent: UserId,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<StoredEvent>>;
    /// The agent's latest state event before `at` (their state at the start of a timeline).
    async fn agent_state_before(
        &self,
        tenant: TenantId,
        agent: UserId,
        at: Millis,
    ) -> Result<Option<StoredEvent>>;
}
