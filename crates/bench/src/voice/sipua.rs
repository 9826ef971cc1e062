//! A minimal SIP user agent for the voice benchmarks, so the bench knows every leg's RTP
//! address: a caller placing calls one after another through the trunk (INVITE with SDP,
//! 200, ACK, and BYE at the end), a called party answering every INVITE with the next of its
//! RTP sockets, and agents' phones that register with digest (MD5) and pick up every call.
//! UDP on loopback only; plain text, no transactions beyond retrying.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use md5::Digest;
use tokio::net::UdpSocket;

use super::rtp::End;

/// A SIP message as text: its first line and headers by lower-case name, and its body.
struct Message {
    first: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Message {
    fn parse(bytes: &[u8]) -> Option<Message> {
        let text = std::str::from_utf8(bytes).ok()?;
        let (head, body) = text.split_once("\r\n\r\n")?;
        let mut lines = head.split("\r\n");
        let first = lines.next()?.to_owned();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| {
                (
                    full_name(&k.trim().to_ascii_lowercase()),
                    v.trim().to_owned(),
                )
            })
            .collect();
        Some(Message {
            first,
            headers,
            body: body.to_owned(),
        })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.headers
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn status(&self) -> Option<u16> {
        let rest = self.first.strip_prefix("SIP/2.0 ")?;
        rest.get(..3)?.parse().ok()
    }

    fn method(&self) -> Option<&str> {
        (!self.first.starts_with("SIP/")).then(|| self.first.split(' ').next().unwrap_or(""))
    }

    /// The audio address of the SDP body (`c=` and `m=audio`).
    fn audio(&self) -> Option<SocketAddr> {
        let ip = self
            .body
            .lines()
            .find_map(|l| l.strip_prefix("c=IN IP4 "))?;
        let port = self
            .body
            .lines()
            .find_map(|l| l.strip_prefix("m=audio "))?
            .split(' ')
            .next()?;
        format!("{}:{}", ip.trim(), port).parse().ok()
    }
}

/// Compact header forms (RFC 3261 §7.3.3) under their full names.
fn full_name(name: &str) -> String {
    match name {
        "v" => "via",
        "f" => "from",
        "t" => "to",
        "i" => "call-id",
        "m" => "contact",
        "l" => "content-length",
        "c" => "content-type",
        other => other,
    }
    .to_owned()
}

/// An SDP offering PCMU at `port` on loopback.
pub fn sdp(port: u16) -> String {
    format!(
        "v=0\r\no=bench 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
    )
}

/// The audio address of an SDP body.
pub fn sdp_audio(body: &str) -> Option<SocketAddr> {
    Message {
        first: String::new(),
        headers: Vec::new(),
        body: body.to_owned(),
    }
    .audio()
}

fn with_body(head: String, body: &str) -> String {
    let kind = if body.is_empty() {
        ""
    } else {
        "Content-Type: application/sdp\r\n"
    };
    format!("{head}{kind}Content-Length: {}\r\n\r\n{body}", body.len())
}

/// A call the caller placed: what it needs to hang up, and its RTP end.
pub struct Placed {
    call_id: String,
    to: String,
    cseq: u32,
    pub end: End,
}

/// The caller: one SIP socket, calls placed one at a time.
pub struct Caller {
    socket: UdpSocket,
    server: SocketAddr,
    local: SocketAddr,
}

impl Caller {
    pub async fn new(server: SocketAddr) -> anyhow::Result<Caller> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        let local = socket.local_addr()?;
        Ok(Caller {
            socket,
            server,
            local,
        })
    }

    /// Dials `number` with audio on `rtp`; the answered call (or why not, within 10 s).
    pub async fn call(&self, number: &str, n: u32, rtp: Arc<UdpSocket>) -> anyhow::Result<Placed> {
        let call_id = format!("bench-{n}-{}@127.0.0.1", std::process::id());
        let (local, server) = (self.local, self.server);
        let head = format!(
            "INVITE sip:{number}@{server} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK-i{n}\r\nFrom: <sip:13800138000@{local}>;tag=c{n}\r\nTo: <sip:{number}@{server}>\r\nCall-ID: {call_id}\r\nCSeq: 1 INVITE\r\nContact: <sip:13800138000@{local}>\r\nMax-Forwards: 70\r\n"
        );
        let invite = with_body(head, &sdp(rtp.local_addr()?.port()));
        let answer = self
            .transact(&invite, &call_id, "INVITE")
            .await
            .with_context(|| format!("call {n}"))?;
        let to = answer.header("to").context("200 without To")?.to_owned();
        let relay = answer.audio().context("200 without SDP")?;
        let ack = format!(
            "ACK sip:{number}@{server} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK-a{n}\r\nFrom: <sip:13800138000@{local}>;tag=c{n}\r\nTo: {to}\r\nCall-ID: {call_id}\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
        );
        self.socket.send_to(ack.as_bytes(), server).await?;
        Ok(Placed {
            call_id,
            to,
            cseq: n,
            end: End { socket: rtp, relay },
        })
    }

    /// Sends BYE and waits for its 200.
    pub async fn hang_up(&self, call: &Placed) -> anyhow::Result<()> {
        let (local, server, n) = (self.local, self.server, call.cseq);
        let bye = format!(
            "BYE sip:bench@{server} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK-b{n}\r\nFrom: <sip:13800138000@{local}>;tag=c{n}\r\nTo: {}\r\nCall-ID: {}\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            call.to, call.call_id
        );
        self.transact(&bye, &call.call_id, "BYE").await.map(|_| ())
    }

    /// Sends a request (again every 500 ms) until its final answer; a 2xx, or an error.
    async fn transact(
        &self,
        request: &str,
        call_id: &str,
        method: &str,
    ) -> anyhow::Result<Message> {
        let mut buf = vec![0u8; 65_536];
        for _ in 0..20 {
            self.socket.send_to(request.as_bytes(), self.server).await?;
            let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
            while let Ok(got) = tokio::time::timeout_at(deadline, self.socket.recv(&mut buf)).await
            {
                let Some(msg) = Message::parse(&buf[..got?]) else {
                    continue;
                };
                let ours = msg.header("call-id") == Some(call_id)
                    && msg.header("cseq").is_some_and(|c| c.ends_with(method));
                match msg.status() {
                    Some(s) if ours && s >= 300 => anyhow::bail!("{method} answered {}", msg.first),
                    Some(s) if ours && s >= 200 => return Ok(msg),
                    _ => {}
                }
            }
        }
        anyhow::bail!("{method} got no final answer in 10 s")
    }
}

/// The called party: answers each new INVITE with the next RTP socket and keeps the
/// relay's address of each, until every socket is taken; BYEs get their 200.
pub struct Callee {
    pub addr: SocketAddr,
    answered: Arc<Mutex<Vec<End>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Callee {
    pub async fn start(sockets: Vec<Arc<UdpSocket>>) -> anyhow::Result<Callee> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        let addr = socket.local_addr()?;
        let answered: Arc<Mutex<Vec<End>>> = Arc::default();
        let task = tokio::spawn(answer_calls(socket, sockets, answered.clone()));
        Ok(Callee {
            addr,
            answered,
            task,
        })
    }

    /// The ends answered so far (taken: each is streamed once).
    pub fn take_answered(&self) -> Vec<End> {
        std::mem::take(&mut *self.answered.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Drop for Callee {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer_calls(
    socket: UdpSocket,
    mut free: Vec<Arc<UdpSocket>>,
    answered: Arc<Mutex<Vec<End>>>,
) {
    let local = socket
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    // Each call's 200, sent again when its INVITE is.
    let mut answers: HashMap<String, String> = HashMap::new();
    let mut buf = vec![0u8; 65_536];
    loop {
        let Ok((n, from)) = socket.recv_from(&mut buf).await else {
            // A receive error on loopback is a passing ICMP report; never spin on it.
            tokio::time::sleep(Duration::from_millis(1)).await;
            continue;
        };
        let Some(msg) = Message::parse(&buf[..n]) else {
            continue;
        };
        let call_id = msg.header("call-id").unwrap_or("").to_owned();
        let reply = match msg.method() {
            Some("INVITE") => match answers.get(&call_id) {
                Some(again) => Some(again.clone()),
                None => {
                    let (Some(relay), Some(rtp)) = (msg.audio(), free.pop()) else {
                        continue;
                    };
                    let port = rtp.local_addr().map(|a| a.port()).unwrap_or(0);
                    let tag = format!("u{}", answers.len());
                    let ok = with_body(response(&msg, 200, "OK", Some(&tag), &local), &sdp(port));
                    answers.insert(call_id, ok.clone());
                    answered
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(End { socket: rtp, relay });
                    Some(ok)
                }
            },
            Some("BYE") => Some(with_body(response(&msg, 200, "OK", None, &local), "")),
            _ => None,
        };
        if let Some(reply) = reply {
            let _ = socket.send_to(reply.as_bytes(), from).await;
        }
    }
}

/// An agent's phone: registered for its extension, answering every INVITE at once (as an
/// auto-answering phone does) until dropped. It notes when each new INVITE arrived and
/// where its media goes, for benchmarks that time the ring or stream on the call.
pub struct Phone {
    task: tokio::task::JoinHandle<()>,
    rang: Arc<Mutex<Vec<Rang>>>,
}

/// A call that reached a phone: when its INVITE arrived, and the phone's RTP end.
pub struct Rang {
    pub at: std::time::Instant,
    pub end: Option<End>,
}

impl Drop for Phone {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Phone {
    /// Registers `extension` of tenant (and digest realm) `realm` with `password`; once the
    /// registrar said 200, answers calls on its own task.
    pub async fn register(
        server: SocketAddr,
        realm: &str,
        extension: &str,
        password: &str,
    ) -> anyhow::Result<Phone> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        let rtp = UdpSocket::bind("127.0.0.1:0").await?;
        let local = socket.local_addr()?;
        let call_id = format!("reg-{extension}-{}@127.0.0.1", std::process::id());
        let register = |cseq: u32, auth: &str| {
            format!(
                "REGISTER sip:{realm} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK-r{cseq}\r\nFrom: <sip:{extension}@{realm}>;tag=r{extension}\r\nTo: <sip:{extension}@{realm}>\r\nCall-ID: {call_id}\r\nCSeq: {cseq} REGISTER\r\nContact: <sip:{extension}@{local}>\r\nExpires: 3600\r\n{auth}Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
            )
        };
        let mut buf = vec![0u8; 65_536];
        let mut auth = String::new();
        for cseq in 1..=3 {
            socket
                .send_to(register(cseq, &auth).as_bytes(), server)
                .await?;
            let n = tokio::time::timeout(Duration::from_secs(5), socket.recv(&mut buf))
                .await
                .context("the registrar did not answer")??;
            let msg = Message::parse(&buf[..n]).context("an unreadable answer to REGISTER")?;
            match msg.status() {
                Some(200) => {
                    let rang: Arc<Mutex<Vec<Rang>>> = Arc::default();
                    let task = tokio::spawn(answer_as_phone(socket, Arc::new(rtp), rang.clone()));
                    return Ok(Phone { task, rang });
                }
                Some(401) => {
                    let challenge = msg
                        .header("www-authenticate")
                        .context("401 without a challenge")?;
                    let nonce = param(challenge, "nonce").context("a challenge without a nonce")?;
                    let uri = format!("sip:{realm}");
                    let md5 = |s: String| format!("{:x}", md5::Md5::digest(s.as_bytes()));
                    let ha1 = md5(format!("{extension}:{realm}:{password}"));
                    let ha2 = md5(format!("REGISTER:{uri}"));
                    let response = md5(format!("{ha1}:{nonce}:{ha2}"));
                    auth = format!(
                        "Authorization: Digest username=\"{extension}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm=MD5\r\n"
                    );
                }
                _ => anyhow::bail!("REGISTER {extension} answered {}", msg.first),
            }
        }
        anyhow::bail!("REGISTER {extension} was never accepted")
    }
}

impl Phone {
    /// The calls that reached this phone since last asked.
    pub fn take_rang(&self) -> Vec<Rang> {
        std::mem::take(&mut *self.rang.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A quoted (or bare) parameter of a challenge.
fn param(header: &str, name: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (k, v) = part.trim().trim_start_matches("Digest ").split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches('"').to_owned())
    })
}

async fn answer_as_phone(socket: UdpSocket, rtp: Arc<UdpSocket>, rang: Arc<Mutex<Vec<Rang>>>) {
    let local = socket
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let port = rtp.local_addr().map(|a| a.port()).unwrap_or(0);
    let mut answers: HashMap<String, String> = HashMap::new();
    let mut buf = vec![0u8; 65_536];
    loop {
        let Ok((n, from)) = socket.recv_from(&mut buf).await else {
            tokio::time::sleep(Duration::from_millis(1)).await;
            continue;
        };
        let Some(msg) = Message::parse(&buf[..n]) else {
            continue;
        };
        let call_id = msg.header("call-id").unwrap_or("").to_owned();
        let reply = match msg.method() {
            Some("INVITE") => Some(
                answers
                    .entry(call_id)
                    .or_insert_with(|| {
                        let end = msg.audio().map(|relay| End {
                            socket: rtp.clone(),
                            relay,
                        });
                        let at = std::time::Instant::now();
                        rang.lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(Rang { at, end });
                        with_body(response(&msg, 200, "OK", Some("phone"), &local), &sdp(port))
                    })
                    .clone(),
            ),
            Some("BYE") | Some("CANCEL") | Some("OPTIONS") => {
                Some(with_body(response(&msg, 200, "OK", None, &local), ""))
            }
            _ => None,
        };
        if let Some(reply) = reply {
            let _ = socket.send_to(reply.as_bytes(), from).await;
        }
        // Calls of long ago cannot be retransmitted any more; forget them.
        if answers.len() > 10_000 {
            answers.clear();
        }
    }
}

/// A response's head to `req`, the To tagged with `tag` when given.
fn response(req: &Message, status: u16, reason: &str, tag: Option<&str>, local: &str) -> String {
    let mut head = format!("SIP/2.0 {status} {reason}\r\n");
    for via in req.all("via") {
        head.push_str(&format!("Via: {via}\r\n"));
    }
    let to = req.header("to").unwrap_or("");
    let to = match tag {
        Some(t) if !to.contains(";tag=") => format!("{to};tag={t}"),
        _ => to.to_owned(),
    };
    head.push_str(&format!(
        "From: {}\r\nTo: {to}\r\nCall-ID: {}\r\nCSeq: {}\r\nContact: <sip:bench@{local}>\r\n",
        req.header("from").unwrap_or(""),
        req.header("call-id").unwrap_or(""),
        req.header("cseq").unwrap_or("")
    ));
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_parse_with_compact_headers_and_sdp() {
        let text = "SIP/2.0 200 OK\r\nv: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx\r\ni: abc\r\nCSeq: 1 INVITE\r\nTo: <sip:a@b>;tag=1\r\n\r\nv=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 20000 RTP/AVP 0\r\n";
        let m = Message::parse(text.as_bytes()).expect("parses");
        assert_eq!(m.status(), Some(200));
        assert_eq!(m.header("call-id"), Some("abc"));
        assert_eq!(m.audio(), Some("127.0.0.1:20000".parse().unwrap()));
        let r = response(&m, 200, "OK", Some("t"), "127.0.0.1:1");
        assert!(
            r.contains("Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx\r\n"),
            "{r}"
        );
        assert!(
            r.contains("To: <sip:a@b>;tag=1\r\n"),
            "an existing tag stays: {r}"
        );
    }
}
