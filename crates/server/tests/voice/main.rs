//! Voice against real SIP peers: the server's SIP side started on port 0 with its own
//! database (SQLite and PostgreSQL), driven by Debian's sipp (sip-tester) and baresip.
//! Every peer runs on loopback, bounded in count and time.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

// Shared with the API tests, of which these use a part.
#[allow(dead_code)]
#[path = "../api/support.rs"]
mod support;

mod abandoned;
mod audio;
mod journey;
mod peers;
mod registration;
