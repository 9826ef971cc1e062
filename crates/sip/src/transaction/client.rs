//! Client transactions: INVITE (Calling → Proceeding → Completed, or Accepted after a 2xx,
//! RFC 6026) and non-INVITE (Trying → Proceeding → Completed).

use super::timers::{ClientTimer, TimerKind};
use super::{is_invite, Peer, Transactions, Transmit, TxEvent, TxKey, T1, T2, T4};
use crate::message::{Headers, Method, Request, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Calling,
    Proceeding,
    Completed,
    Accepted,
}

pub struct ClientTx {
    invite: bool,
    state: State,
    peer: Peer,
    request: Request,
    bytes: Vec<u8>,
    interval: u64,
    ack: Option<Vec<u8>>,
}

fn timer(t: ClientTimer) -> TimerKind {
    TimerKind::Client(t)
}

impl Transactions {
    /// Sends a request in a new client transaction. Its top Via must carry a fresh branch
    /// with the RFC 3261 cookie; the key returned names the transaction in later events.
    pub fn send_request(&mut self, now: u64, req: Request, to: Peer) -> TxKey {
        let branch = req.core.via[0].branch().unwrap_or_default().to_owned();
        let key = TxKey::client(&branch, &req.method);
        let bytes = req.to_bytes();
        self.transmits.push_back(Transmit {
            to,
            bytes: bytes.clone(),
        });
        let invite = is_invite(&req.method);
        if !to.reliable() {
            self.timers
                .set(&key, timer(ClientTimer::Retransmit), now + T1);
        }
        self.timers
            .set(&key, timer(ClientTimer::GiveUp), now + 64 * T1);
        let tx = ClientTx {
            invite,
            state: State::Calling,
            peer: to,
            request: req,
            bytes,
            interval: T1,
            ack: None,
        };
        self.clients.insert(key.clone(), tx);
        key
    }

    pub(super) fn receive_response(&mut self, now: u64, resp: Response) {
        let Some(key) = TxKey::for_response(&resp) else {
            return;
        };
        let Some(tx) = self.clients.get_mut(&key) else {
            return;
        };
        let reliable = tx.peer.reliable();
        match (tx.state, resp.status) {
            (State::Calling | State::Proceeding, 100..=199) => {
                tx.state = State::Proceeding;
                if !tx.invite {
                    tx.interval = T2;
                } else {
                    // Timer B runs in Calling only (RFC 3261 17.1.1.2): a phone may ring for
                    // as long as the one who called lets it.
                    self.timers.clear(&key, timer(ClientTimer::Retransmit));
                    self.timers.clear(&key, timer(ClientTimer::GiveUp));
                }
                self.events.push_back(TxEvent::Response {
                    key,
                    response: resp,
                });
            }
            (State::Calling | State::Proceeding, 200..=299) if tx.invite => {
                tx.state = State::Accepted;
                self.timers.clear(&key, timer(ClientTimer::Retransmit));
                self.timers.clear(&key, timer(ClientTimer::GiveUp));
                self.timers
                    .set(&key, timer(ClientTimer::Linger), now + 64 * T1);
                self.events.push_back(TxEvent::Response {
                    key,
                    response: resp,
                });
            }
            (State::Accepted, 200..=299) => self.events.push_back(TxEvent::Response {
                key,
                response: resp,
            }),
            (State::Calling | State::Proceeding, _) => {
                tx.state = State::Completed;
                self.timers.clear(&key, timer(ClientTimer::Retransmit));
                self.timers.clear(&key, timer(ClientTimer::GiveUp));
                if tx.invite {
                    let ack = ack_for(&tx.request, &resp).to_bytes();
                    self.transmits.push_back(Transmit {
                        to: tx.peer,
                        bytes: ack.clone(),
                    });
                    tx.ack = Some(ack);
                }
                let linger = match (reliable, tx.invite) {
                    (true, _) => 0,
                    (false, true) => 32_000,
                    (false, false) => T4,
                };
                self.timers
                    .set(&key, timer(ClientTimer::Linger), now + linger);
                self.events.push_back(TxEvent::Response {
                    key,
                    response: resp,
                });
            }
            (State::Completed, 300..) => {
                if let Some(ack) = &tx.ack {
                    self.transmits.push_back(Transmit {
                        to: tx.peer,
                        bytes: ack.clone(),
                    });
                }
            }
            _ => {}
        }
    }

    pub(super) fn client_timer(&mut self, now: u64, key: &TxKey, t: ClientTimer) {
        let Some(tx) = self.clients.get_mut(key) else {
            return;
        };
        match t {
            ClientTimer::Retransmit => {
                self.transmits.push_back(Transmit {
                    to: tx.peer,
                    bytes: tx.bytes.clone(),
                });
                tx.interval = if tx.invite {
                    tx.interval * 2
                } else {
                    (tx.interval * 2).min(T2)
                };
                self.timers
                    .set(key, timer(ClientTimer::Retransmit), now + tx.interval);
            }
            ClientTimer::GiveUp => {
                self.timers.clear(key, timer(ClientTimer::Retransmit));
                self.clients.remove(key);
                self.events.push_back(TxEvent::Timeout { key: key.clone() });
            }
            ClientTimer::Linger => {
                self.clients.remove(key);
            }
        }
    }

    /// The CANCEL of a pending INVITE of ours (RFC 3261 §9.1): same Request-URI, Call-ID,
    /// From, To, CSeq number and top Via; sent in its own transaction.
    pub fn cancel_invite(&mut self, now: u64, key: &TxKey) -> Option<TxKey> {
        let tx = self.clients.get(key)?;
        if !tx.invite || !matches!(tx.state, State::Calling | State::Proceeding) {
            return None;
        }
        let mut cancel = tx.request.clone();
        cancel.method = Method::Cancel;
        cancel.core.cseq.method = Method::Cancel;
        cancel.core.via.truncate(1);
        cancel.headers = routes_of(&tx.request);
        cancel.body.clear();
        let peer = tx.peer;
        Some(self.send_request(now, cancel, peer))
    }
}

fn routes_of(req: &Request) -> Headers {
    let mut h = Headers::default();
    for r in req.headers.get_all("Route") {
        h.push("Route", r);
    }
    h
}

/// The ACK of a non-2xx final response: in the INVITE's transaction, with the response's
/// To (its tag) and the INVITE's top Via (RFC 3261 §17.1.1.3).
fn ack_for(invite: &Request, resp: &Response) -> Request {
    let mut ack = invite.clone();
    ack.method = Method::Ack;
    ack.core.cseq.method = Method::Ack;
    ack.core.to = resp.core.to.clone();
    ack.core.via.truncate(1);
    ack.headers = routes_of(invite);
    ack.body.clear();
    ack
}
