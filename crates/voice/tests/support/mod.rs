//! A switch on simulated time with the demo's shape (one tenant, extensions 1001-1003, a
//! trunk at 127.0.0.1, hotline 4000 to a queue, 4100 to a queue with place-in-line
//! announcements and voicemail to a callback task, 4200 to one whose voicemail becomes a
//! ticket, 5000 forwarded to a destination), and SIP
//! peers written as text: what they send, what they receive.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::net::SocketAddr;

use switchboard_engine::ids::{SkillQueueId, TenantId, TicketTypeId, UserId};
use switchboard_sip::digest::{ha1, Algorithm};
use switchboard_sip::transaction::Peer;
use switchboard_sip::uri::Host;
use switchboard_sip::{parse_datagram, Message, Request, Response, SipUri};
use switchboard_voice::announce::{Language, QueueVoice, Voicemail, VoicemailTo};
use switchboard_voice::dialog::Local;
use switchboard_voice::directory::{Directory, Extension, HotlineNumber, Route, TenantSip, Trunk};
use switchboard_voice::{CallEvent, Config, LegId, MediaCommand, MediaEvent, Output, Switch};

pub const PASSWORD: &str = "switchboard";
pub const DOMAIN: &str = "demo";

pub struct World {
    pub switch: Switch,
    pub now: u64,
    pub tenant: TenantId,
    pub queue: SkillQueueId,
    /// 4100's queue: announcements every 30 s, voicemail (60 s) to `callbacks`.
    pub announced: SkillQueueId,
    pub callbacks: SkillQueueId,
    /// 4200's queue: no announcements, voicemail (30 s, in English) to a ticket of `complaints`.
    pub ticketed: SkillQueueId,
    pub complaints: TicketTypeId,
    pub agents: Vec<UserId>,
    pub sent: Vec<(Peer, Message)>,
    pub outputs: Vec<Output>,
    /// The port of each leg the media side holds open; as the server's media tasks do, a
    /// closed leg's port is handed back at once — unless `media_holds_ports` (a media side
    /// behind its commands), and then `ports_held` keeps them.
    media_ports: HashMap<LegId, u16>,
    pub media_holds_ports: bool,
    pub ports_held: Vec<u16>,
}

pub fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

pub fn peer(s: &str) -> Peer {
    Peer::udp(addr(s))
}

impl World {
    pub fn new() -> World {
        World::with(|_, _| {})
    }

    /// The demo's shape with `edit` applied to the directory first.
    pub fn with(edit: impl FnOnce(&mut Directory, TenantId)) -> World {
        let tenant = TenantId::new();
        let queue = SkillQueueId::new();
        let agents: Vec<UserId> = (0..3).map(|_| UserId::new()).collect();
        let mut dir = Directory::default();
        dir.add_tenant(TenantSip {
            tenant,
            domain: DOMAIN.into(),
        });
        dir.default_tenant = Some(tenant);
        for (i, agent) in agents.iter().enumerate() {
            let number = format!("100{}", i + 1);
            dir.add_extension(Extension {
                tenant,
                number: number.clone(),
                agent: *agent,
                ha1_md5: ha1(Algorithm::Md5, &number, DOMAIN, PASSWORD),
                ha1_sha256: ha1(Algorithm::Sha256, &number, DOMAIN, PASSWORD),
            });
        }
        dir.add_trunk(Trunk {
            id: switchboard_engine::SipTrunkId::new(),
            tenant,
            name: "local".into(),
            peers: vec!["127.0.0.1".parse().unwrap()],
            registration: None,
            outbound: None,
        });
        dir.add_number(HotlineNumber {
            tenant,
            number: "4000".into(),
            inbound: true,
            survey: false,
            route: Route::Queue(queue),
            outbound_trunk: None,
        });
        // 4300: the same queue, with the satisfaction survey after the agent releases.
        dir.add_number(HotlineNumber {
            tenant,
            number: "4300".into(),
            inbound: true,
            survey: true,
            route: Route::Queue(queue),
            outbound_trunk: None,
        });
        let (announced, callbacks) = (SkillQueueId::new(), SkillQueueId::new());
        dir.add_number(HotlineNumber {
            tenant,
            number: "4100".into(),
            inbound: true,
            survey: false,
            route: Route::Queue(announced),
            outbound_trunk: None,
        });
        dir.add_queue_voice(
            tenant,
            QueueVoice {
                queue: announced,
                announce_every_ms: Some(30_000),
                languages: vec![Language::Chinese, Language::English],
                voicemail: Some(Voicemail {
                    to: VoicemailTo::Task(callbacks),
                    max_ms: 60_000,
                }),
            },
        );
        let (ticketed, complaints) = (SkillQueueId::new(), TicketTypeId::new());
        dir.add_number(HotlineNumber {
            tenant,
            number: "4200".into(),
            inbound: true,
            survey: false,
            route: Route::Queue(ticketed),
            outbound_trunk: None,
        });
        dir.add_queue_voice(
            tenant,
            QueueVoice {
                queue: ticketed,
                announce_every_ms: None,
                languages: vec![Language::English],
                voicemail: Some(Voicemail {
                    to: VoicemailTo::Ticket(complaints),
                    max_ms: 30_000,
                }),
            },
        );
        let dest = match switchboard_sip::Uri::parse("sip:partner@127.0.0.1:5070").unwrap() {
            switchboard_sip::Uri::Sip(u) => u,
            _ => unreachable!(),
        };
        dir.add_number(HotlineNumber {
            tenant,
            number: "5000".into(),
            inbound: true,
            survey: false,
            route: Route::Direct(dest),
            outbound_trunk: None,
        });
        dir.add_number(HotlineNumber {
            tenant,
            number: "4001".into(),
            inbound: true,
            survey: false,
            route: Route::Flow(std::sync::Arc::new(menu(queue))),
            outbound_trunk: None,
        });
        edit(&mut dir, tenant);
        let cfg = Config {
            local: Local {
                host: Host::Ip("127.0.0.1".parse().unwrap()),
                port: 5060,
            },
            media_address: "127.0.0.1".parse().unwrap(),
            rtp_ports: (20_000, 20_100),
            seed: [7; 32],
            ring_timeout_ms: 30_000,
            requests_per_second: 20,
            nonce_lifetime_ms: 300_000,
        };
        World {
            switch: Switch::new(cfg, dir),
            now: 1_000_000,
            tenant,
            queue,
            announced,
            callbacks,
            ticketed,
            complaints,
            agents,
            sent: Vec::new(),
            outputs: Vec::new(),
            media_ports: HashMap::new(),
            media_holds_ports: false,
            ports_held: Vec::new(),
        }
    }

    /// A peer sends raw SIP text (line ends written as \n, turned into CRLF).
    pub fn send(&mut self, from: &str, text: &str) {
        self.send_late(from, text, 0);
    }

    /// As `send`, the message having waited `waited_ms` in the runner's queue.
    pub fn send_late(&mut self, from: &str, text: &str, waited_ms: u64) {
        let bytes = text.replace("\r\n", "\n").replace('\n', "\r\n");
        self.switch
            .handle_queued_message(self.now, waited_ms, peer(from), bytes.as_bytes());
        self.collect();
    }

    pub fn send_message(&mut self, from: &str, msg: &Message) {
        self.switch
            .handle_message(self.now, peer(from), &msg.to_bytes());
        self.collect();
    }

    pub fn collect(&mut self) {
        loop {
            while let Some(t) = self.switch.poll_transmit() {
                let msg = parse_datagram(&t.bytes)
                    .unwrap_or_else(|e| panic!("we sent something unparsable: {e}"));
                self.sent.push((t.to, msg));
            }
            let mut closed = Vec::new();
            while let Some(o) = self.switch.poll_output() {
                match &o {
                    Output::Media(MediaCommand::Open { leg, port, .. }) => {
                        self.media_ports.insert(*leg, *port);
                    }
                    Output::Media(MediaCommand::Close { leg }) => {
                        closed.extend(self.media_ports.remove(leg));
                    }
                    _ => {}
                }
                self.outputs.push(o);
            }
            if self.media_holds_ports {
                self.ports_held.append(&mut closed);
            }
            if closed.is_empty() {
                return;
            }
            for port in closed {
                self.free_port(port);
            }
        }
    }

    /// The media side closed `port`'s sockets.
    pub fn free_port(&mut self, port: u16) {
        self.switch
            .handle_media(self.now, MediaEvent::PortFreed { port });
    }

    /// Moves time forward, firing what is due on the way.
    pub fn advance(&mut self, ms: u64) {
        let until = self.now + ms;
        while let Some(due) = self.switch.poll_timeout() {
            if due > until {
                break;
            }
            self.now = self.now.max(due);
            self.switch.handle_timeout(self.now);
            self.collect();
        }
        self.now = until;
    }

    /// Takes what was sent to `to`.
    pub fn received(&mut self, to: &str) -> Vec<Message> {
        let to = addr(to);
        let (mine, rest): (Vec<_>, Vec<_>) = self.sent.drain(..).partition(|(p, _)| p.addr == to);
        self.sent = rest;
        mine.into_iter().map(|(_, m)| m).collect()
    }

    pub fn responses(&mut self, to: &str) -> Vec<Response> {
        self.received(to)
            .into_iter()
            .filter_map(|m| match m {
                Message::Response(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    pub fn statuses(&mut self, to: &str) -> Vec<u16> {
        self.responses(to).iter().map(|r| r.status).collect()
    }

    pub fn requests(&mut self, to: &str) -> Vec<Request> {
        self.received(to)
            .into_iter()
            .filter_map(|m| match m {
                Message::Request(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    pub fn take_outputs(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.outputs)
    }
}

pub const OFFER: &str = "v=0\no=caller 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 30000 RTP/AVP 8 0 101\na=rtpmap:101 telephone-event/8000\n";

/// An INVITE from `from` (host:port) to `number`, with our G.711 offer.
pub fn invite(
    from: &str,
    user: &str,
    number: &str,
    call_id: &str,
    branch: &str,
    extra: &str,
) -> String {
    let body = OFFER.replace('\n', "\r\n");
    format!(
        "INVITE sip:{number}@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP {from};branch={branch};rport\nFrom: <sip:{user}@{DOMAIN}>;tag=c-{call_id}\nTo: <sip:{number}@127.0.0.1>\nCall-ID: {call_id}\nCSeq: 1 INVITE\nMax-Forwards: 70\nContact: <sip:{user}@{from}>\n{extra}Content-Type: application/sdp\nContent-Length: {}\n\n{body}",
        body.len()
    )
}

/// A response from a peer to a request it received, with its own tag and optional SDP.
pub fn answer(
    req: &Request,
    status: u16,
    tag: &str,
    contact: &str,
    sdp_port: Option<u16>,
) -> Message {
    let mut resp = Response::to(req, status, "X", Some(tag));
    resp.headers.push("Contact", format!("<sip:{contact}>"));
    if let Some(port) = sdp_port {
        resp.headers.push("Content-Type", "application/sdp");
        resp.body = OFFER
            .replace("30000", &port.to_string())
            .replace("8 0 101", "0 101")
            .replace('\n', "\r\n")
            .into_bytes();
    }
    Message::Response(resp)
}

/// A request from the caller inside the dialog our response `ok` made; an ACK of a failure
/// passes the INVITE's branch, anything else gets a fresh one.
pub fn in_dialog(
    method: &str,
    from: &str,
    ok: &Response,
    cseq: u32,
    branch: Option<&str>,
) -> String {
    let to = ok.core.to.to_string();
    let branch = branch.map_or_else(|| format!("z9hG4bKd{}", fresh()), str::to_owned);
    format!(
        "{method} sip:x@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP {from};branch={branch};rport\nFrom: {}\nTo: {to}\nCall-ID: {}\nCSeq: {cseq} {method}\nMax-Forwards: 70\nContent-Length: 0\n\n",
        ok.core.from, ok.core.call_id
    )
}

pub fn uri(s: &str) -> SipUri {
    match switchboard_sip::Uri::parse(s).unwrap() {
        switchboard_sip::Uri::Sip(u) => u,
        _ => unreachable!(),
    }
}

/// The nonce of a digest challenge.
pub fn nonce_of(resp: &Response, header: &str) -> String {
    let value = resp.headers.get(header).unwrap();
    let start = value.find("nonce=\"").unwrap() + 7;
    value[start..].split('"').next().unwrap().to_owned()
}

/// An Authorization value for `method uri` as `user` with `password` (MD5, qop=auth).
pub fn credentials(user: &str, password: &str, nonce: &str, method: &str, uri: &str) -> String {
    let alg = Algorithm::Md5;
    let ha1 = ha1(alg, user, DOMAIN, password);
    let ha2 = alg.hash(&format!("{method}:{uri}"));
    let response = alg.hash(&format!("{ha1}:{nonce}:00000001:abc:auth:{ha2}"));
    format!("Digest username=\"{user}\", realm=\"{DOMAIN}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm=MD5, cnonce=\"abc\", qop=auth, nc=00000001")
}

/// A fresh branch for every request a test peer sends, as real phones do.
pub fn fresh() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

pub fn register(from: &str, user: &str, cseq: u32, expires: u32, auth: Option<&str>) -> String {
    let n = fresh();
    let auth = auth
        .map(|a| format!("Authorization: {a}\n"))
        .unwrap_or_default();
    format!(
        "REGISTER sip:{DOMAIN} SIP/2.0\nVia: SIP/2.0/UDP {from};branch=z9hG4bKreg{n};rport\nFrom: <sip:{user}@{DOMAIN}>;tag=r{user}\nTo: <sip:{user}@{DOMAIN}>\nCall-ID: reg-{user}-{from}\nCSeq: {cseq} REGISTER\nMax-Forwards: 70\nContact: <sip:{user}@{from}>\nExpires: {expires}\n{auth}Content-Length: 0\n\n"
    )
}

impl World {
    /// Registers `user`'s phone at `from` through the challenge; returns the final status.
    pub fn register_phone(&mut self, from: &str, user: &str, password: &str) -> u16 {
        self.send(from, &register(from, user, 1, 3600, None));
        let challenge = self.responses(from).pop().unwrap();
        assert_eq!(challenge.status, 401);
        let nonce = nonce_of(&challenge, "WWW-Authenticate");
        let auth = credentials(user, password, &nonce, "REGISTER", &format!("sip:{DOMAIN}"));
        self.send(from, &register(from, user, 2, 3600, Some(&auth)));
        self.responses(from).pop().unwrap().status
    }
}

/// 主菜单: 1 → the queue, 0 → extension 1001, anything else twice → hang up.
pub fn menu(queue: SkillQueueId) -> switchboard_voice::ivr::Flow {
    use switchboard_voice::ivr::{Flow, Node, NodeKind};
    let node = |label: &str, kind| Node {
        label: label.into(),
        kind,
    };
    let choices =
        std::collections::BTreeMap::from([('1', "sales".to_owned()), ('0', "operator".to_owned())]);
    let nodes = std::collections::BTreeMap::from([
        (
            "main".to_owned(),
            node(
                "主菜单",
                NodeKind::Menu {
                    prompts: vec!["zh-welcome".into()],
                    choices,
                    timeout_ms: 5_000,
                    retries: 1,
                    invalid_prompts: vec![],
                    fallback: "bye".into(),
                },
            ),
        ),
        ("sales".to_owned(), node("售前", NodeKind::Queue(queue))),
        (
            "operator".to_owned(),
            node("人工", NodeKind::Extension("1001".into())),
        ),
        ("bye".to_owned(), node("再见", NodeKind::Hangup)),
    ]);
    Flow {
        name: "demo".into(),
        start: "main".into(),
        nodes,
    }
}

/// The media commands among `outputs`.
pub fn media(outputs: &[Output]) -> Vec<MediaCommand> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Media(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

pub fn calls(outputs: &[Output]) -> Vec<CallEvent> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Call(e) => Some(e.clone()),
            _ => None,
        })
        .collect()
}

/// The leg the last `Open` named among `outputs`.
pub fn opened(outputs: &[Output]) -> LegId {
    media(outputs)
        .iter()
        .rev()
        .find_map(|m| match m {
            MediaCommand::Open { leg, .. } => Some(*leg),
            _ => None,
        })
        .unwrap()
}

/// The phone's BYE in the dialog its answer to `ring` made.
pub fn phone_bye(phone: &str, ring: &Request, tag: &str) -> String {
    format!(
        "BYE sip:x@127.0.0.1:5060 SIP/2.0\nVia: SIP/2.0/UDP {phone};branch=z9hG4bKb{};rport\nFrom: {};tag={tag}\nTo: {}\nCall-ID: {}\nCSeq: 9 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n",
        fresh(),
        ring.core.to,
        ring.core.from,
        ring.core.call_id
    )
}
