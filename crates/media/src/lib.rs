//! Switchboard's media core: the voice path of a call, sans-IO after str0m.
//!
//! Nothing here opens a socket, reads a clock, spawns a thread, takes a lock or awaits. The
//! caller (a tokio/UDP runner, or a test) feeds inputs — received datagrams and the current
//! [`Instant`] — and drains outputs: datagrams to send, events, and the next time it wants
//! to be called ([`session::Session`] is the entry point).
//!
//! Audio is 8 kHz mono `i16`, handled in 20 ms frames of [`FRAME_SAMPLES`] samples. The per
//! packet and per frame paths allocate nothing: buffers are fixed arrays or preallocated at
//! set-up, and queues have a fixed capacity (`tests/no_alloc.rs` counts allocations to
//! prove it).
//!
//! # Driving it
//!
//! A runner (tokio and UDP, later) owns one socket per leg and a [`session::Session`] per
//! call, and loops:
//!
//! ```text
//! session.start(now)
//! loop {
//!     while let Some(out) = session.poll_output() {
//!         Transmit { leg, transmit } => socket[leg].send_to(transmit.contents(), transmit.destination)
//!         Event(e)                   => tell the call's owner (digit, prompt finished, timeout…)
//!         Record(frame)              => recorder.write_frame(&frame.customer, &frame.agent)
//!     }
//!     select {
//!         datagram (leg, from, bytes) on a socket => session.handle_receive(now(), from, leg, bytes)
//!         sleep until session.poll_timeout()      => session.handle_timeout(now())
//!         a command (play, bridge, send digits)   => call the session's set-up methods
//!     }
//! }
//! ```
//!
//! `now()` is the runner's `std::time::Instant` turned into this crate's [`Instant`]
//! (microseconds since the runner started). The recorder does blocking writes, so a
//! runner gives it a file on a blocking thread or a writer that queues.

pub mod dtmf;
pub mod g711;
pub mod jitter;
pub mod leg;
pub mod mixer;
pub mod player;
pub mod recorder;
pub mod rtcp;
pub mod rtp;
pub mod session;
pub mod stats;
pub mod time;
pub mod wav;

pub use time::Instant;

/// Samples per second of every stream here (G.711's narrowband rate).
pub const SAMPLE_RATE: u32 = 8000;
/// Samples in one 20 ms frame: the packetisation and mixing unit.
pub const FRAME_SAMPLES: usize = 160;
/// The length of one frame.
pub const FRAME: std::time::Duration = std::time::Duration::from_millis(20);

/// One 20 ms frame of 8 kHz linear audio.
pub type Frame = [i16; FRAME_SAMPLES];

/// A frame of silence.
pub const SILENCE: Frame = [0; FRAME_SAMPLES];
