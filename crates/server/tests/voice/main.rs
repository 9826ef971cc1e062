//! Voice against real SIP peers: the server's SIP side started on port 0 with its own
//! database (SQLite and PostgreSQL), driven by Debian's sipp (sip-tester) and baresip.
//! Every peer runs on loopback, bounded in count and time.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

// The API tests' support, shared; not every helper of it is used here.
#[path = "../api/support.rs"]
#[allow(dead_code)]
mod support;

pub mod abandon;
mod abandoned;
mod audio;
mod bad_input;
mod control;
mod ivr;
pub mod journey;
mod line;
mod monitoring;
mod outbound;
mod peers;
mod prompts;
mod recordings_off;
pub mod registration;
mod ringout;
mod survey;
mod three_way;
mod trunk_registration;
mod voicemail_ticket;
mod waiting;
