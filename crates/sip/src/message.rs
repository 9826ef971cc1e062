//! SIP requests and responses. The headers every transaction and dialog needs (Via, From,
//! To, Call-ID, CSeq) are held parsed in [`Core`]; the rest are kept as written, in order,
//! and Content-Length is computed when the message is written.

use std::fmt::{self, Write as _};

use crate::name_addr::NameAddr;
use crate::uri::Uri;
use crate::via::Via;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Method {
    Invite,
    Ack,
    Bye,
    Cancel,
    Register,
    Options,
    Info,
    Update,
    Prack,
    Subscribe,
    Notify,
    Refer,
    Message,
    Publish,
    /// Any other token, as written (methods are case-sensitive).
    Other(String),
}

impl Method {
    pub fn from_token(s: &str) -> Method {
        match s {
            "INVITE" => Method::Invite,
            "ACK" => Method::Ack,
            "BYE" => Method::Bye,
            "CANCEL" => Method::Cancel,
            "REGISTER" => Method::Register,
            "OPTIONS" => Method::Options,
            "INFO" => Method::Info,
            "UPDATE" => Method::Update,
            "PRACK" => Method::Prack,
            "SUBSCRIBE" => Method::Subscribe,
            "NOTIFY" => Method::Notify,
            "REFER" => Method::Refer,
            "MESSAGE" => Method::Message,
            "PUBLISH" => Method::Publish,
            other => Method::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Method::Invite => "INVITE",
            Method::Ack => "ACK",
            Method::Bye => "BYE",
            Method::Cancel => "CANCEL",
            Method::Register => "REGISTER",
            Method::Options => "OPTIONS",
            Method::Info => "INFO",
            Method::Update => "UPDATE",
            Method::Prack => "PRACK",
            Method::Subscribe => "SUBSCRIBE",
            Method::Notify => "NOTIFY",
            Method::Refer => "REFER",
            Method::Message => "MESSAGE",
            Method::Publish => "PUBLISH",
            Method::Other(s) => s,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Header names compare case-insensitively; compact forms are expanded when read.
#[derive(Debug, Clone, Eq)]
pub struct HeaderName(String);

impl HeaderName {
    pub fn new(name: &str) -> HeaderName {
        let full = match name.to_ascii_lowercase().as_str() {
            "i" => "Call-ID",
            "m" => "Contact",
            "e" => "Content-Encoding",
            "l" => "Content-Length",
            "c" => "Content-Type",
            "f" => "From",
            "s" => "Subject",
            "k" => "Supported",
            "t" => "To",
            "v" => "Via",
            "o" => "Event",
            "r" => "Refer-To",
            "b" => "Referred-By",
            "u" => "Allow-Events",
            "x" => "Session-Expires",
            _ => name,
        };
        HeaderName(full.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is(&self, name: &str) -> bool {
        self.0.eq_ignore_ascii_case(name)
    }
}

impl PartialEq for HeaderName {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

/// The headers outside [`Core`], in the order they came or were added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(HeaderName, String)>);

impl Headers {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.is(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.is(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn count(&self, name: &str) -> usize {
        self.0.iter().filter(|(n, _)| n.is(name)).count()
    }

    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((HeaderName::new(name), value.into()));
    }

    /// Replaces every header of this name with one value.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.remove(name);
        self.push(name, value);
    }

    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| !n.is(name));
    }

    pub fn iter(&self) -> impl Iterator<Item = (&HeaderName, &str)> {
        self.0.iter().map(|(n, v)| (n, v.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CSeq {
    /// Below 2**31 (RFC 3261 §8.1.1.5).
    pub seq: u32,
    pub method: Method,
}

impl fmt::Display for CSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.seq, self.method)
    }
}

/// The headers that identify a transaction and a dialog, held parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Core {
    pub via: Vec<Via>,
    pub from: NameAddr,
    pub to: NameAddr,
    pub call_id: String,
    pub cseq: CSeq,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub uri: Uri,
    pub core: Core,
    /// Absent in RFC 2543 requests, which are still served.
    pub max_forwards: Option<u8>,
    pub headers: Headers,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: String,
    pub core: Core,
    pub headers: Headers,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Request(Request),
    Response(Response),
}

impl Request {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("{} {} SIP/2.0\r\n", self.method, self.uri);
        write_core(&mut head, &self.core);
        if let Some(mf) = self.max_forwards {
            let _ = write!(head, "Max-Forwards: {mf}\r\n");
        }
        finish(head, &self.headers, &self.body)
    }
}

impl Response {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("SIP/2.0 {} {}\r\n", self.status, self.reason);
        write_core(&mut head, &self.core);
        finish(head, &self.headers, &self.body)
    }

    /// A response to `req` (RFC 3261 §8.2.6.2): Via, From, To, Call-ID and CSeq copied, the
    /// To tag added when the request had none and one is given.
    pub fn to(req: &Request, status: u16, reason: &str, to_tag: Option<&str>) -> Response {
        let mut core = req.core.clone();
        if let (None, Some(tag)) = (core.to.tag(), to_tag) {
            core.to = core.to.with_tag(tag);
        }
        Response {
            status,
            reason: reason.to_owned(),
            core,
            headers: Headers::default(),
            body: Vec::new(),
        }
    }

    pub fn is_provisional(&self) -> bool {
        self.status < 200
    }
}

fn write_core(head: &mut String, core: &Core) {
    for via in &core.via {
        let _ = write!(head, "Via: {via}\r\n");
    }
    let _ = write!(
        head,
        "From: {}\r\nTo: {}\r\nCall-ID: {}\r\nCSeq: {}\r\n",
        core.from, core.to, core.call_id, core.cseq
    );
}

fn finish(mut head: String, headers: &Headers, body: &[u8]) -> Vec<u8> {
    for (name, value) in headers.iter() {
        if !name.is("Content-Length") {
            let _ = write!(head, "{}: {value}\r\n", name.as_str());
        }
    }
    let _ = write!(head, "Content-Length: {}\r\n\r\n", body.len());
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}

impl Message {
    pub fn core(&self) -> &Core {
        match self {
            Message::Request(r) => &r.core,
            Message::Response(r) => &r.core,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Message::Request(r) => r.to_bytes(),
            Message::Response(r) => r.to_bytes(),
        }
    }
}

/// The reason phrase RFC 3261 gives a status code.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Trying",
        180 => "Ringing",
        181 => "Call Is Being Forwarded",
        182 => "Queued",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        423 => "Interval Too Brief",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        483 => "Too Many Hops",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        504 => "Server Time-out",
        505 => "Version Not Supported",
        513 => "Message Too Large",
        603 => "Decline",
        _ => "Unknown",
    }
}
