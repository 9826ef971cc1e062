//! Server transactions: INVITE (Proceeding → Completed → Confirmed, or Accepted while a
//! 2xx waits for its ACK) and non-INVITE (Trying → Proceeding → Completed).

use super::timers::{ServerTimer, TimerKind};
use super::{
    is_invite, response_peer, stamp_source, Peer, Transactions, Transmit, TxError, TxEvent, TxKey,
    T1, T2, T4,
};
use crate::message::{reason_phrase, Method, Request, Response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Trying,
    Proceeding,
    Completed,
    Confirmed,
    Accepted,
}

pub struct ServerTx {
    invite: bool,
    state: State,
    /// Where responses go.
    peer: Peer,
    last_response: Option<Vec<u8>>,
    interval: u64,
    dialog_id: (String, u32),
}

fn timer(t: ServerTimer) -> TimerKind {
    TimerKind::Server(t)
}

impl Transactions {
    pub(super) fn receive_request(&mut self, now: u64, mut req: Request, from: Peer) {
        stamp_source(&mut req, from);
        let key = TxKey::for_request(&req);
        if self.servers.contains_key(&key) {
            return self.retransmitted(now, key, req.method == Method::Ack, from);
        }
        match req.method {
            Method::Ack => self.stray_ack(req, from),
            Method::Cancel => self.cancel(now, key, req, from),
            _ if self.full() => self.busy(&req, from, "5"),
            Method::Invite if self.shed_new && req.core.to.tag().is_none() => {
                self.busy(&req, from, "1")
            }
            _ => self.open_server(now, key, req, from),
        }
    }

    /// 503 without state, asking the client to come back in `retry_after` seconds.
    fn busy(&mut self, req: &Request, from: Peer, retry_after: &str) {
        let mut busy = Response::to(req, 503, reason_phrase(503), None);
        busy.headers.push("Retry-After", retry_after);
        self.send_stateless(response_peer(req, from), busy.to_bytes());
    }

    fn open_server(&mut self, now: u64, key: TxKey, req: Request, from: Peer) {
        let invite = is_invite(&req.method);
        let peer = response_peer(&req, from);
        let dialog_id = (req.core.call_id.clone(), req.core.cseq.seq);
        let state = if invite {
            State::Proceeding
        } else {
            State::Trying
        };
        let mut tx = ServerTx {
            invite,
            state,
            peer,
            last_response: None,
            interval: T1,
            dialog_id,
        };
        if invite {
            // Answer at once so the caller stops retransmitting while the call is routed.
            let trying = Response::to(&req, 100, reason_phrase(100), None).to_bytes();
            self.transmits.push_back(Transmit {
                to: peer,
                bytes: trying.clone(),
            });
            tx.last_response = Some(trying);
        }
        self.servers.insert(key.clone(), tx);
        self.events.push_back(TxEvent::Request {
            key,
            request: req,
            from,
        });
        let _ = now;
    }

    fn retransmitted(&mut self, now: u64, key: TxKey, is_ack: bool, _from: Peer) {
        let Some(tx) = self.servers.get_mut(&key) else {
            return;
        };
        if is_ack {
            if tx.invite && tx.state == State::Completed {
                tx.state = State::Confirmed;
                self.timers.clear(&key, timer(ServerTimer::Retransmit));
                self.timers.clear(&key, timer(ServerTimer::GiveUp));
                let linger = if tx.peer.reliable() { 0 } else { T4 };
                self.timers
                    .set(&key, timer(ServerTimer::Linger), now + linger);
            }
            return;
        }
        let resend = matches!(
            tx.state,
            State::Proceeding | State::Completed | State::Accepted
        );
        if let (true, Some(bytes)) = (resend, &tx.last_response) {
            self.transmits.push_back(Transmit {
                to: tx.peer,
                bytes: bytes.clone(),
            });
        }
    }

    fn stray_ack(&mut self, req: Request, from: Peer) {
        let id = (req.core.call_id.clone(), req.core.cseq.seq);
        if let Some(key) = self.accepted.remove(&id) {
            self.timers.clear(&key, timer(ServerTimer::Retransmit));
            self.timers.clear(&key, timer(ServerTimer::GiveUp));
            self.servers.remove(&key);
        }
        self.events.push_back(TxEvent::Ack { request: req, from });
    }

    fn cancel(&mut self, now: u64, key: TxKey, req: Request, from: Peer) {
        let invite_key = TxKey::invite_of(&req);
        let pending = self
            .servers
            .get(&invite_key)
            .is_some_and(|tx| tx.state == State::Proceeding);
        let exists = self.servers.contains_key(&invite_key);
        self.open_server(now, key.clone(), req.clone(), from);
        // The CANCEL itself is answered here; the Request event just queued is withdrawn.
        self.events.pop_back();
        let status = if exists { 200 } else { 481 };
        let _ = self.respond(
            now,
            &key,
            Response::to(&req, status, reason_phrase(status), None),
        );
        if pending {
            self.events
                .push_back(TxEvent::Cancelled { key: invite_key });
        }
    }

    /// Sends the upper layer's response in this transaction.
    pub fn respond(&mut self, now: u64, key: &TxKey, resp: Response) -> Result<(), TxError> {
        let tx = self.servers.get_mut(key).ok_or(TxError::Unknown)?;
        if !matches!(tx.state, State::Trying | State::Proceeding) {
            return Err(TxError::Finished);
        }
        let bytes = resp.to_bytes();
        self.transmits.push_back(Transmit {
            to: tx.peer,
            bytes: bytes.clone(),
        });
        tx.last_response = Some(bytes);
        let reliable = tx.peer.reliable();
        if resp.is_provisional() {
            tx.state = State::Proceeding;
            return Ok(());
        }
        match (tx.invite, resp.status < 300) {
            (true, true) => {
                tx.state = State::Accepted;
                self.accepted.insert(tx.dialog_id.clone(), key.clone());
                if !reliable {
                    self.timers
                        .set(key, timer(ServerTimer::Retransmit), now + T1);
                }
                self.timers
                    .set(key, timer(ServerTimer::GiveUp), now + 64 * T1);
            }
            (true, false) => {
                tx.state = State::Completed;
                if !reliable {
                    self.timers
                        .set(key, timer(ServerTimer::Retransmit), now + T1);
                }
                self.timers
                    .set(key, timer(ServerTimer::GiveUp), now + 64 * T1);
            }
            (false, _) => {
                tx.state = State::Completed;
                let linger = if reliable { 0 } else { 64 * T1 };
                self.timers
                    .set(key, timer(ServerTimer::Linger), now + linger);
            }
        }
        Ok(())
    }

    pub(super) fn server_timer(&mut self, now: u64, key: &TxKey, t: ServerTimer) {
        let Some(tx) = self.servers.get_mut(key) else {
            return;
        };
        match t {
            ServerTimer::Retransmit => {
                if let Some(bytes) = &tx.last_response {
                    self.transmits.push_back(Transmit {
                        to: tx.peer,
                        bytes: bytes.clone(),
                    });
                }
                tx.interval = (tx.interval * 2).min(T2);
                self.timers
                    .set(key, timer(ServerTimer::Retransmit), now + tx.interval);
            }
            ServerTimer::GiveUp => {
                self.timers.clear(key, timer(ServerTimer::Retransmit));
                if tx.state == State::Accepted {
                    self.accepted.remove(&tx.dialog_id);
                    self.events.push_back(TxEvent::NoAck { key: key.clone() });
                }
                self.servers.remove(key);
            }
            ServerTimer::Linger => {
                self.servers.remove(key);
            }
        }
    }
}
