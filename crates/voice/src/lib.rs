//! Switchboard's call logic, sans-IO after str0m: the switch takes SIP messages, media
//! events, the routing engine's decisions and the time, and gives back SIP messages to
//! send, media commands, call and registration events and when to call it next. It is a
//! back-to-back user agent: it owns every leg and every RTP stream, so the workbench
//! controls each call whatever phone the agent has.

mod agents;
pub mod announce;
pub mod call;
mod control;
pub mod destinations;
pub mod dialog;
mod dialogs;
pub mod directory;
pub mod guard;
pub mod handout;
pub mod ids;
mod inbound;
pub mod ivr;
mod ivr_calls;
mod legs;
mod lines;
pub mod media;
pub mod monitor;
pub mod outbound;
mod queueing;
pub mod registrar;
pub mod survey;
mod switch;
pub mod third;
pub mod upstream;

pub use call::{CallEvent, CallRef, Party, ReleasedBy};
pub use control::{Control, ControlError};
pub use media::{LegId, MediaCommand, MediaEvent};
pub use outbound::{Dial, DialError};
pub use switch::{Config, Output, Switch, SHED_AFTER_MS};
