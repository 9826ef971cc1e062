//! The rules a UAS applies to a well-formed request before acting on it (RFC 3261 §8.2):
//! URI schemes it can serve (416), extensions it must support (420) and body types it can
//! read (415). A refusal says the status and the headers that explain it.

use crate::message::{Method, Request};
use crate::syntax::{split_top_level, trim_ws};
use crate::uri::Uri;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: &'static str,
    /// Headers the response must carry (`Unsupported`, `Accept`).
    pub headers: Vec<(&'static str, String)>,
}

/// The extensions this server supports (`Require`/`Supported` option tags).
pub const SUPPORTED: &[&str] = &[];

pub fn check_request(req: &Request) -> Result<(), Refusal> {
    check_schemes(req)?;
    if !matches!(req.method, Method::Ack | Method::Cancel) {
        check_require(req)?;
    }
    check_body(req)
}

fn refuse(status: u16, reason: &'static str) -> Refusal {
    Refusal {
        status,
        reason,
        headers: Vec::new(),
    }
}

fn check_schemes(req: &Request) -> Result<(), Refusal> {
    let served = |u: &Uri| matches!(u, Uri::Sip(_) | Uri::Tel(_));
    if !served(&req.uri) {
        return Err(refuse(416, "Unsupported URI Scheme"));
    }
    if req.method == Method::Register && !served(&req.core.to.uri) {
        return Err(refuse(416, "Unsupported URI Scheme"));
    }
    Ok(())
}

fn check_require(req: &Request) -> Result<(), Refusal> {
    let mut unsupported = Vec::new();
    for value in req.headers.get_all("Require") {
        for tag in value.split(',').map(trim_ws).filter(|t| !t.is_empty()) {
            if !SUPPORTED.iter().any(|s| s.eq_ignore_ascii_case(tag)) {
                unsupported.push(tag.to_owned());
            }
        }
    }
    if unsupported.is_empty() {
        return Ok(());
    }
    Err(Refusal {
        status: 420,
        reason: "Bad Extension",
        headers: vec![("Unsupported", unsupported.join(", "))],
    })
}

/// The body types each method may carry here: SDP for the session methods, DTMF relay for
/// INFO. Other methods carry no body we read, so any type passes.
fn accepted_types(method: &Method) -> Option<&'static [&'static str]> {
    match method {
        Method::Invite | Method::Ack | Method::Update | Method::Prack => {
            Some(&["application/sdp", "multipart/mixed"])
        }
        Method::Info => Some(&["application/dtmf-relay", "application/dtmf"]),
        _ => None,
    }
}

fn check_body(req: &Request) -> Result<(), Refusal> {
    let Some(accepted) = accepted_types(&req.method) else {
        return Ok(());
    };
    if req.body.is_empty() {
        return Ok(());
    }
    let media_type = req
        .headers
        .get("Content-Type")
        .map(media_type)
        .unwrap_or_default();
    if accepted.iter().any(|a| a.eq_ignore_ascii_case(&media_type)) {
        return Ok(());
    }
    Err(Refusal {
        status: 415,
        reason: "Unsupported Media Type",
        headers: vec![("Accept", accepted.join(", "))],
    })
}

/// `type/subtype` of a Content-Type value, lower case, without parameters.
pub fn media_type(value: &str) -> String {
    let first = split_top_level(value, b';')
        .ok()
        .and_then(|p| p.first().copied())
        .unwrap_or(value);
    trim_ws(first).replace([' ', '\t'], "").to_ascii_lowercase()
}
