//! The contact-center engine (ACD): agent states, sign-in to skill queues, and skill-based
//! routing of channel-agnostic contacts (FEATURES S1-S6, R1-R6).
//!
//! Sans-IO, after str0m: [`Engine::handle`] takes a [`Command`] and the current time,
//! [`Engine::poll_event`] yields [`Event`]s, [`Engine::next_timeout`] says when to call
//! [`Engine::handle_timeout`]. No sockets, clocks, locks or async inside; one writer owns
//! an engine per tenant.

mod agents;
mod command;
mod config;
mod contacts;
mod engine;
mod error;
mod event;
mod outbound;
mod routing;
mod state;
mod timers;
mod types;
mod views;

pub use command::{
    AgentConfig, Command, NewContact, QueueConfig, RestoredPhase, RestoredPresence, TransferTarget,
};
pub use engine::Engine;
pub use error::EngineError;
pub use event::Event;
pub use types::{
    AgentState, CapacityClass, ContactOutcome, ContactStatus, CustomerPriority, Direction,
    MediaEvent, Millis, ReasonCode, ReleasedBy, RequestedPresence,
};
pub use views::{AgentView, ContactPhase, ContactView, QueueStats};
