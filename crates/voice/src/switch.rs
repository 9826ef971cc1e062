//! The switch: one sans-IO state machine for all SIP traffic of the server. Datagrams,
//! media events, commands and the time go in; datagrams, media commands, registration and
//! call events and the next deadline come out.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::IpAddr;

use switchboard_sip::check::check_request;
use switchboard_sip::digest::Nonces;
use switchboard_sip::message::reason_phrase;
use switchboard_sip::parse::{parse, Framing, ParseError};
use switchboard_sip::transaction::{Peer, Transactions, Transmit, TxEvent, TxKey};
use switchboard_sip::{Message, Method, Request, Response};

use crate::call::{Call, CallEvent, CallRef, Leg};
use crate::dialog::Local;
use crate::directory::Directory;
use crate::guard::{AuthGuard, RequestRate};
use crate::ids::Ids;
use crate::media::{LegId, MediaCommand, MediaEvent, PortPool};
use crate::registrar::{authenticate, Auth, Registrar, RegistrationChange};

/// A message that waited this long in the queue to the switch says the switch is behind:
/// two T1s, by when a caller has retransmitted its INVITE at least once. Lower, a single
/// stall (a big directory rebuild, a loaded test machine) would turn calls away.
pub const SHED_AFTER_MS: u64 = 1_000;

pub const ALLOW: &str = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER";

pub struct Config {
    /// How we name ourselves in Via and Contact (the SIP listening address).
    pub local: Local,
    /// The address written into SDP.
    pub media_address: IpAddr,
    pub rtp_ports: (u16, u16),
    /// Secret randomness drawn once by the server: tags, branches, nonces.
    pub seed: [u8; 32],
    /// How long a placed call may ring before it is given up (ms).
    pub ring_timeout_ms: u64,
    /// New requests per source address per second (a trunk's excepted); beyond, they are
    /// dropped.
    pub requests_per_second: u32,
    /// How long a digest nonce is good for (ms).
    pub nonce_lifetime_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Media(MediaCommand),
    Registration(RegistrationChange),
    Call(CallEvent),
    /// A trunk's registration with its provider came up or went down.
    Trunk(crate::upstream::TrunkStatus),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Timer {
    /// A placed leg rang too long.
    RingOut(LegId),
    /// An IVR walk's key timeout.
    Ivr(CallRef),
    /// A queued caller's next place-in-line announcement.
    Announce(CallRef),
    /// A voicemail message reached its time limit.
    VoicemailEnd(CallRef),
    /// A surveyed customer's time to press a key ran out.
    Survey(CallRef),
    /// A trunk's registration is due (first, refresh, retry).
    Upstream(u64),
}

pub struct Switch {
    pub(crate) cfg: Config,
    pub(crate) directory: Directory,
    pub(crate) tx: Transactions,
    pub(crate) registrar: Registrar,
    pub(crate) guard: AuthGuard,
    rate: RequestRate,
    pub(crate) nonces: Nonces,
    pub(crate) ids: Ids,
    pub(crate) ports: PortPool,
    pub(crate) legs: HashMap<LegId, Leg>,
    pub(crate) calls: HashMap<CallRef, Call>,
    /// Each agent's standing line (a call of its own, `CallState::Line`).
    pub(crate) lines: HashMap<switchboard_engine::ids::UserId, CallRef>,
    /// In-dialog requests find their leg by (Call-ID, our tag).
    pub(crate) by_dialog: HashMap<(String, String), LegId>,
    /// Our requests' transactions and the leg each belongs to.
    pub(crate) requests_out: HashMap<TxKey, LegId>,
    /// Inbound INVITE transactions and their leg.
    pub(crate) invites_in: HashMap<TxKey, LegId>,
    timers: BTreeMap<(u64, u64), Timer>,
    timer_seq: u64,
    pub(crate) outputs: VecDeque<Output>,
    pub(crate) upstreams: crate::upstream::Upstreams,
    next_id: u64,
}

impl Switch {
    pub fn new(cfg: Config, directory: Directory) -> Switch {
        let mut nonce_key = cfg.seed.to_vec();
        nonce_key.extend_from_slice(b"nonce");
        let mut switch = Switch {
            nonces: Nonces::new(&nonce_key, cfg.nonce_lifetime_ms),
            ids: Ids::new(cfg.seed),
            ports: PortPool::new(cfg.rtp_ports.0, cfg.rtp_ports.1),
            rate: RequestRate::new(cfg.requests_per_second),
            cfg,
            directory,
            tx: Transactions::default(),
            registrar: Registrar::default(),
            guard: AuthGuard::default(),
            legs: HashMap::new(),
            calls: HashMap::new(),
            lines: HashMap::new(),
            by_dialog: HashMap::new(),
            requests_out: HashMap::new(),
            invites_in: HashMap::new(),
            timers: BTreeMap::new(),
            timer_seq: 0,
            outputs: VecDeque::new(),
            upstreams: Default::default(),
            next_id: 0,
        };
        switch.sync_upstreams(0);
        switch
    }

    /// Replaces who may call and where calls go (after an admin change); trunks'
    /// registrations follow (`now`: when new ones start).
    pub fn set_directory(&mut self, now: u64, directory: Directory) {
        self.directory = directory;
        self.sync_upstreams(now);
    }

    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// A live leg: who is on it (call records name each leg's party).
    pub fn leg(&self, id: LegId) -> Option<&Leg> {
        self.legs.get(&id)
    }

    pub fn registrar(&self) -> &Registrar {
        &self.registrar
    }

    /// A message that waited `waited_ms` in the runner's queue before reaching us. Past
    /// [`SHED_AFTER_MS`] we are behind: new calls get 503 at once (cheap, and the caller
    /// knows) while what is under way goes on, instead of every call slowing until all of
    /// them time out.
    pub fn handle_queued_message(&mut self, now: u64, waited_ms: u64, from: Peer, bytes: &[u8]) {
        self.tx.shed_new = waited_ms >= SHED_AFTER_MS;
        self.handle_message(now, from, bytes);
        self.tx.shed_new = false;
    }

    /// A datagram from a UDP socket, or one framed message from a TCP connection.
    pub fn handle_message(&mut self, now: u64, from: Peer, bytes: &[u8]) {
        let framing = match from.transport {
            switchboard_sip::transaction::Transport::Udp => Framing::Datagram,
            _ => Framing::Stream,
        };
        match parse(bytes, framing) {
            Ok(Message::Request(req)) => {
                let new = req.core.to.tag().is_none()
                    && req.method != Method::Ack
                    && req.method != Method::Cancel;
                // A trunk is a peer the tenant named, carrying all its carrier's calls from one
                // address: the per-source bound is for strangers.
                let stranger = self.directory.trunk_for(from.addr.ip()).is_none();
                if new && stranger && !self.rate.allow(from.addr.ip(), now) {
                    return;
                }
                self.tx.receive(now, Message::Request(req), from);
            }
            Ok(msg) => self.tx.receive(now, msg, from),
            Err(ParseError::Reject { status, why, reply }) => {
                if self.rate.allow(from.addr.ip(), now) {
                    self.tx.send_stateless(from, reply.response(status, &why));
                }
            }
            Err(ParseError::Drop(_)) => {}
        }
        self.drain(now);
    }

    /// RTP ports free to hand out.
    pub fn rtp_ports_free(&self) -> usize {
        self.ports.available()
    }

    pub fn handle_media(&mut self, now: u64, event: MediaEvent) {
        match event {
            MediaEvent::Digit { leg, digit } => self.ivr_digit(now, leg, digit),
            MediaEvent::PromptsDone { leg } => self.prompts_done(now, leg),
            MediaEvent::Failed { leg } => self.media_failed(now, leg),
            MediaEvent::PortFreed { port } => self.ports.give_back(port),
        }
        self.drain(now);
    }

    pub fn handle_timeout(&mut self, now: u64) {
        self.tx.handle_timeout(now);
        while let Some((&(due, seq), &timer)) = self.timers.iter().next() {
            if due > now {
                break;
            }
            self.timers.remove(&(due, seq));
            match timer {
                Timer::RingOut(leg) => self.ring_out(now, leg),
                Timer::Ivr(call) => self.ivr_timeout(now, call),
                Timer::Announce(call) => self.announcement_due(call),
                Timer::VoicemailEnd(call) => self.end_voicemail(now, call),
                Timer::Upstream(id) => self.upstream_due(now, id),
                Timer::Survey(call) => self.survey_timeout(call),
            }
        }
        // Bindings expire on their own deadline, which `poll_timeout` already names.
        if self.registrar.next_expiry().is_some_and(|due| due <= now) {
            for change in self.registrar.expire(now, &self.directory) {
                self.outputs.push_back(Output::Registration(change));
            }
        }
        self.drain(now);
    }

    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.tx.poll_transmit()
    }

    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<u64> {
        let own = self.timers.keys().next().map(|(due, _)| *due);
        let expiry = self.registrar.next_expiry();
        [own, expiry, self.tx.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
    }

    pub(crate) fn set_timer(&mut self, due: u64, timer: Timer) {
        self.timer_seq += 1;
        self.timers.insert((due, self.timer_seq), timer);
    }

    pub(crate) fn clear_timer(&mut self, timer: Timer) {
        self.timers.retain(|_, t| *t != timer);
    }

    pub(crate) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn drain_now(&mut self, now: u64) {
        self.drain(now);
    }

    /// Hands the transaction layer's events to the call logic until none are left.
    fn drain(&mut self, now: u64) {
        while let Some(event) = self.tx.poll_event() {
            match event {
                TxEvent::Request { key, request, from } => self.on_request(now, key, request, from),
                TxEvent::Ack { request, .. } => self.on_ack(now, &request),
                TxEvent::Response { key, response } => self.on_response(now, key, response),
                TxEvent::Timeout { key } => self.on_request_timeout(now, key),
                TxEvent::NoAck { key } => self.on_no_ack(now, key),
                TxEvent::Cancelled { key } => self.on_cancelled(now, key),
            }
        }
    }

    pub(crate) fn respond(&mut self, now: u64, key: &TxKey, resp: Response) {
        // A transaction that is gone or answered already needs nothing more from us.
        let _ = self.tx.respond(now, key, resp);
    }

    pub(crate) fn refuse(&mut self, now: u64, key: &TxKey, req: &Request, status: u16) {
        let tag = self.ids.token();
        self.respond(
            now,
            key,
            Response::to(req, status, reason_phrase(status), Some(&tag)),
        );
    }

    fn on_request(&mut self, now: u64, key: TxKey, req: Request, from: Peer) {
        if let Err(refusal) = check_request(&req) {
            let tag = self.ids.token();
            let mut resp = Response::to(&req, refusal.status, refusal.reason, Some(&tag));
            for (name, value) in refusal.headers {
                resp.headers.push(name, value);
            }
            return self.respond(now, &key, resp);
        }
        if req.core.to.tag().is_some() {
            return self.in_dialog(now, key, req, from);
        }
        match req.method {
            Method::Register => self.on_register(now, key, req, from),
            Method::Options => self.on_options(now, key, req),
            Method::Invite => self.on_invite(now, key, req, from),
            Method::Bye | Method::Info | Method::Update | Method::Prack => {
                self.refuse(now, &key, &req, 481)
            }
            _ => {
                let mut resp = Response::to(&req, 405, reason_phrase(405), Some(&self.ids.token()));
                resp.headers.push("Allow", ALLOW);
                self.respond(now, &key, resp);
            }
        }
    }

    fn on_options(&mut self, now: u64, key: TxKey, req: Request) {
        let mut ok = Response::to(&req, 200, reason_phrase(200), Some(&self.ids.token()));
        ok.headers.push("Allow", ALLOW);
        ok.headers.push("Accept", "application/sdp");
        self.respond(now, &key, ok);
    }

    fn on_register(&mut self, now: u64, key: TxKey, req: Request, from: Peer) {
        let host = match &req.core.to.uri {
            switchboard_sip::Uri::Sip(u) => u.host.to_string(),
            _ => return self.refuse(now, &key, &req, 416),
        };
        let Some(tenant) = self.directory.tenant_for_domain(&host).cloned() else {
            return self.refuse(now, &key, &req, 404);
        };
        let number = req
            .core
            .to
            .uri
            .as_sip()
            .and_then(|u| u.user_decoded())
            .unwrap_or_default();
        let ext = self.directory.extension(tenant.tenant, &number).cloned();
        let realm = tenant.domain.clone();
        let auth = authenticate(
            &req,
            from,
            now,
            &realm,
            ext.as_ref(),
            &self.nonces,
            &mut self.guard,
            "Authorization",
        );
        match auth {
            Auth::Refuse(resp) => self.respond(now, &key, *resp),
            Auth::Ok(ext) => {
                let ext = ext.clone();
                let tag = self.ids.token();
                let (resp, change) = self.registrar.register(&req, from, now, &ext, &tag);
                self.respond(now, &key, resp);
                if let Some(change) = change {
                    self.outputs.push_back(Output::Registration(change));
                }
            }
        }
    }
}
