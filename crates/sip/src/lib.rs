//! SIP as Switchboard speaks it: messages and their strict parser (RFC 3261 §25, proven on
//! the RFC 4475 torture messages), SDP offer/answer (RFC 3264), digest authentication and
//! the transaction state machines. Sans-IO: bytes and the time in, bytes, events and timer
//! requests out; the server owns the sockets.

pub mod check;
pub mod digest;
pub mod message;
pub mod name_addr;
pub mod parse;
pub mod sdp;
mod syntax;
pub mod transaction;
pub mod uri;
pub mod via;

pub use message::{HeaderName, Headers, Message, Method, Request, Response};
pub use name_addr::NameAddr;
pub use parse::{parse_datagram, stream_frame_len, ParseError};
pub use uri::{Host, SipUri, Uri};
pub use via::Via;
