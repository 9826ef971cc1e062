//! The transaction layer of RFC 3261 §17 with RFC 6026's Accepted states, sans-IO: messages
//! and the time in, datagrams to send, events for the layer above and the next deadline
//! out. Retransmissions and their timers run here only on unreliable transports.

mod client;
mod key;
mod server;
mod timers;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;

use crate::message::{Message, Method, Request, Response};

pub use key::TxKey;
use timers::{TimerKind, Timers};

/// RFC 3261 timer values, in milliseconds.
pub const T1: u64 = 500;
pub const T2: u64 = 4_000;
pub const T4: u64 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    Udp,
    Tcp,
}

impl Transport {
    pub fn name(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
        }
    }
}

/// The far end of a message: the transport and the address it came from or goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Peer {
    pub transport: Transport,
    pub addr: SocketAddr,
}

impl Peer {
    pub fn udp(addr: SocketAddr) -> Peer {
        Peer {
            transport: Transport::Udp,
            addr,
        }
    }

    fn reliable(&self) -> bool {
        self.transport != Transport::Udp
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    pub to: Peer,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxEvent {
    /// A new request (not a retransmission) for the layer above, which answers it with
    /// [`Transactions::respond`].
    Request {
        key: TxKey,
        request: Request,
        from: Peer,
    },
    /// An ACK that belongs to no transaction: the ACK of a 2xx (its retransmissions stop).
    Ack { request: Request, from: Peer },
    /// A response to one of our requests; 2xx retransmissions to an INVITE come again.
    Response { key: TxKey, response: Response },
    /// A request of ours got no final response in time (Timer B or F).
    Timeout { key: TxKey },
    /// The 2xx we sent to an INVITE was never acknowledged: the session should end.
    NoAck { key: TxKey },
    /// A CANCEL matched an INVITE we have not answered finally; the CANCEL was answered
    /// 200 already, the INVITE is the upper layer's to answer 487.
    Cancelled { key: TxKey },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TxError {
    #[error("no such transaction")]
    Unknown,
    #[error("the transaction has its final response already")]
    Finished,
}

/// All transactions of one SIP endpoint.
pub struct Transactions {
    servers: HashMap<TxKey, server::ServerTx>,
    clients: HashMap<TxKey, client::ClientTx>,
    /// 2xx responses to INVITEs awaiting their ACK, by (Call-ID, CSeq number).
    accepted: HashMap<(String, u32), TxKey>,
    timers: Timers,
    transmits: VecDeque<Transmit>,
    events: VecDeque<TxEvent>,
    /// Beyond this many live transactions new requests are answered 503 without state.
    pub max_transactions: usize,
    /// While set (the owner is behind), INVITEs that begin a call — no To tag — are
    /// answered 503 without state; everything else (registrations, in-dialog requests,
    /// ACKs, CANCELs, retransmissions of transactions under way) goes on, so calls already
    /// taken end cleanly and phones stay registered.
    pub shed_new: bool,
}

impl Default for Transactions {
    fn default() -> Self {
        Transactions {
            servers: HashMap::new(),
            clients: HashMap::new(),
            accepted: HashMap::new(),
            timers: Timers::default(),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            max_transactions: 100_000,
            shed_new: false,
        }
    }
}

impl Transactions {
    pub fn receive(&mut self, now: u64, msg: Message, from: Peer) {
        match msg {
            Message::Request(req) => self.receive_request(now, req, from),
            Message::Response(resp) => self.receive_response(now, resp),
        }
    }

    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<TxEvent> {
        self.events.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<u64> {
        self.timers.next_due()
    }

    pub fn handle_timeout(&mut self, now: u64) {
        while let Some((key, kind)) = self.timers.pop_due(now) {
            match kind {
                TimerKind::Server(t) => self.server_timer(now, &key, t),
                TimerKind::Client(t) => self.client_timer(now, &key, t),
            }
        }
    }

    /// Sends bytes outside any transaction: the ACK of a 2xx, or an answer to a request
    /// that could not be parsed.
    pub fn send_stateless(&mut self, to: Peer, bytes: Vec<u8>) {
        self.transmits.push_back(Transmit { to, bytes });
    }

    pub fn len(&self) -> usize {
        self.servers.len() + self.clients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn full(&self) -> bool {
        self.len() >= self.max_transactions
    }
}

/// Where a response to this request goes (RFC 3261 §18.2.2 with RFC 3581): back to the
/// source address; to the source port too when the client asked with `rport` or the
/// transport is a connection, else to the port in Via.
pub fn response_peer(req: &Request, from: Peer) -> Peer {
    let via = &req.core.via[0];
    if from.reliable() || via.rport().is_some() {
        return from;
    }
    let port = via.port.unwrap_or(5060);
    Peer {
        transport: from.transport,
        addr: SocketAddr::new(from.addr.ip(), port),
    }
}

fn stamp_source(req: &mut Request, from: Peer) {
    req.core.via[0].stamp_source(from.addr.ip(), from.addr.port());
}

fn is_invite(method: &Method) -> bool {
    *method == Method::Invite
}

#[cfg(test)]
mod tests;
