//! The routing engine's vocabulary: time, agent states, presence, reasons, contact outcomes.

use crate::queue::{bounded_number, code_enum};
use crate::{Channel, ValidationError};

/// Milliseconds since the Unix epoch. The engine never reads a clock: every input carries
/// the current time.
pub type Millis = i64;

code_enum!(
    /// What an agent is doing, as the connection bar and the wallboard show it (S2).
    AgentState, "state" {
        SignedOut => "signed_out",
        Idle => "idle",
        Talking => "talking",
        WrapUp => "wrap_up",
        Busy => "busy",
        Rest => "rest",
    }
);

impl AgentState {
    pub fn index(self) -> usize {
        self as usize
    }
}

code_enum!(
    /// The presence an agent (or a supervisor for them) can ask for.
    RequestedPresence, "state" {
        Idle => "idle",
        Busy => "busy",
        Rest => "rest",
    }
);

/// The agent's chosen availability, under whatever contacts they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    SignedOut,
    /// Ready for offers (空闲).
    Available,
    /// Inbound blocked, outbound allowed (示忙).
    Busy,
    /// On a break: no contacts at all (休息).
    Rest,
    /// Wrap-up not tied to a contact: the post-sign-in state "wrap-up".
    WrapUp,
}

/// Why an agent is busy or resting: a reason code chosen by the agent, or a system reason.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReasonCode(String);

impl ReasonCode {
    /// Set by the engine when an agent reaches the no-answer limit (R2).
    pub const NO_ANSWER: &'static str = "no_answer";

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let text = raw.trim();
        if text.is_empty() || text.chars().count() > 32 || text.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "reason",
                "must be 1-32 characters without control characters",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn no_answer() -> Self {
        Self(Self::NO_ANSWER.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

code_enum!(
    /// Which way a contact goes.
    Direction, "direction" {
        Inbound => "inbound",
        Outbound => "outbound",
    }
);

bounded_number!(
    /// Customer priority within a queue: higher is served first (VIP), then arrival order.
    CustomerPriority, "priority", 0..=9
);

/// The capacity an agent spends on a contact (R3): voice and video share one call slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CapacityClass {
    Call = 0,
    Chat = 1,
    Task = 2,
}

impl From<Channel> for CapacityClass {
    fn from(c: Channel) -> Self {
        match c {
            Channel::Voice | Channel::Video => CapacityClass::Call,
            Channel::Chat => CapacityClass::Chat,
            Channel::Task => CapacityClass::Task,
        }
    }
}

code_enum!(
    /// Who ended a connected contact (V8).
    ReleasedBy, "released_by" {
        Agent => "agent",
        Customer => "customer",
        System => "system",
    }
);

code_enum!(
    /// How a contact ended.
    ContactOutcome, "outcome" {
        /// Served, and the agent finished wrap-up.
        Completed => "completed",
        /// The customer left before an agent connected.
        Abandoned => "abandoned",
        /// Waited past the queue's maximum wait with nowhere to overflow.
        TimedOut => "timed_out",
        /// Its queue was removed while it waited.
        Cancelled => "cancelled",
    }
);

code_enum!(
    /// Where a contact stands, as stored and shown.
    ContactStatus, "state" {
        Queued => "queued",
        Reserved => "reserved",
        Offered => "offered",
        Connected => "connected",
        WrapUp => "wrap_up",
        Closed => "closed",
    }
);

code_enum!(
    /// Media events a channel reports on a connected contact (hold, consult, conference).
    MediaEvent, "event" {
        Held => "held",
        Resumed => "resumed",
        ConsultStarted => "consult_started",
        ConsultAnswered => "consult_answered",
        ConsultEnded => "consult_ended",
        ConferenceStarted => "conference_started",
        ConferenceEnded => "conference_ended",
        ListenStarted => "listen_started",
        WhisperStarted => "whisper_started",
        BargeStarted => "barge_started",
        MonitorEnded => "monitor_ended",
        /// The customer of an outbound call answered (talk time starts).
        CustomerAnswered => "customer_answered",
    }
);
