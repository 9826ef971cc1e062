//! The SIP parser: framing (datagram or stream), the start line, header unfolding and the
//! checks that make a message usable. A request that breaks a rule but can still be
//! answered yields the headers to answer it with; anything else is dropped.

use crate::message::{CSeq, Core, HeaderName, Headers, Message, Method, Request, Response};
use crate::name_addr::{parse_contacts, NameAddr};
use crate::syntax::{is_token, trim_ws};
use crate::uri::Uri;
use crate::via::Via;

/// The largest message read from a stream; a datagram cannot exceed 65,535 bytes anyway.
pub const MAX_MESSAGE: usize = 65_535;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not a message that can be answered: dropped (a malformed response, a broken start
    /// line without the headers to reply with, bytes that are not SIP).
    #[error("dropped: {0}")]
    Drop(&'static str),
    /// A request that is answered with `status` built from `reply`.
    #[error("{status} {why}")]
    Reject {
        status: u16,
        why: String,
        reply: ReplyBasis,
    },
}

/// The raw headers a response to a malformed request copies (RFC 3261 §8.2.6.2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplyBasis(Vec<(String, String)>);

impl ReplyBasis {
    fn from_headers(headers: &[(HeaderName, String)]) -> Option<ReplyBasis> {
        let wanted = ["Via", "From", "To", "Call-ID", "CSeq"];
        let copied: Vec<_> = headers
            .iter()
            .filter(|(n, _)| wanted.iter().any(|w| n.is(w)))
            .map(|(n, v)| (n.as_str().to_owned(), v.clone()))
            .collect();
        // Without a Via there is nowhere to send the answer; the other headers are copied
        // when present (a request missing its From still deserves its 400).
        copied
            .iter()
            .any(|(n, _)| n == "Via")
            .then_some(ReplyBasis(copied))
    }

    /// The response, written; `reason` becomes the reason phrase (RFC 4475 suggests naming
    /// what was wrong there).
    pub fn response(&self, status: u16, reason: &str) -> Vec<u8> {
        let reason: String = reason.chars().filter(|c| !c.is_control()).collect();
        let mut out = format!("SIP/2.0 {status} {reason}\r\n");
        for (name, value) in &self.0 {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("Content-Length: 0\r\n\r\n");
        out.into_bytes()
    }
}

/// How the bytes arrived: a datagram may carry its body without Content-Length; a stream
/// message must say its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    Datagram,
    Stream,
}

pub fn parse_datagram(bytes: &[u8]) -> Result<Message, ParseError> {
    parse(bytes, Framing::Datagram)
}

/// On a stream: how many leading bytes are CRLF keep-alives to skip, and the length of the
/// first whole message, if it has arrived. `Err` when the stream cannot be framed any more.
pub fn stream_frame_len(buf: &[u8]) -> Result<(usize, Option<usize>), &'static str> {
    let skip = buf
        .iter()
        .take_while(|&&c| c == b'\r' || c == b'\n')
        .count();
    let rest = &buf[skip..];
    let Some((head_end, body_start)) = find_head_end(rest) else {
        return if rest.len() > MAX_MESSAGE {
            Err("headers too long")
        } else {
            Ok((skip, None))
        };
    };
    let head = std::str::from_utf8(&rest[..head_end]).map_err(|_| "headers are not UTF-8")?;
    let mut length = None;
    for line in unfold(head).into_iter().skip(1) {
        if let Some((name, value)) = line.split_once(':') {
            if HeaderName::new(trim_ws(name)).is("Content-Length") {
                if length.is_some() {
                    return Err("two Content-Length headers");
                }
                length = Some(parse_length(value).ok_or("bad Content-Length")?);
            }
        }
    }
    let total = body_start + length.ok_or("no Content-Length on a stream")?;
    if total > MAX_MESSAGE {
        return Err("message too large");
    }
    Ok((skip, (rest.len() >= total).then_some(total)))
}

pub fn parse(bytes: &[u8], framing: Framing) -> Result<Message, ParseError> {
    let start = bytes
        .iter()
        .take_while(|&&c| c == b'\r' || c == b'\n')
        .count();
    let bytes = &bytes[start..];
    let (head_end, body_start) =
        find_head_end(bytes).ok_or(ParseError::Drop("no end of headers"))?;
    let head = std::str::from_utf8(&bytes[..head_end])
        .map_err(|_| ParseError::Drop("headers are not UTF-8"))?;
    let mut lines = unfold(head).into_iter();
    let start_line = lines.next().ok_or(ParseError::Drop("empty message"))?;
    let mut headers = Vec::new();
    let mut bad_header = None;
    for line in lines {
        match split_header(&line) {
            Some(h) => headers.push(h),
            None => bad_header = Some(line),
        }
    }
    let is_request = !start_line.starts_with("SIP/");
    let basis = if is_request {
        ReplyBasis::from_headers(&headers)
    } else {
        None
    };
    let reject = |status: u16, why: String| match &basis {
        Some(reply) => ParseError::Reject {
            status,
            why,
            reply: reply.clone(),
        },
        None => ParseError::Drop("malformed and cannot be answered"),
    };
    if bad_header.is_some() {
        return Err(reject(400, "a header line without a name and colon".into()));
    }
    let body = read_body(&headers, &bytes[body_start..], framing)
        .map_err(|why| reject(400, why.into()))?;
    if is_request {
        parse_request(&start_line, headers, body, reject)
    } else {
        parse_response(&start_line, headers, body)
    }
}

fn find_head_end(bytes: &[u8]) -> Option<(usize, usize)> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4));
    let lf = bytes
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Lines with continuation lines (starting with a space or tab) folded into one, the fold
/// replaced by a single space.
fn unfold(head: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in head.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.starts_with([' ', '\t']) && lines.len() > 1 {
            if let Some(last) = lines.last_mut() {
                last.push(' ');
                last.push_str(trim_ws(line));
                continue;
            }
        }
        lines.push(line.to_owned());
    }
    lines
}

fn split_header(line: &str) -> Option<(HeaderName, String)> {
    let (name, value) = line.split_once(':')?;
    // HCOLON allows whitespace before the colon, never before the name.
    let name = name.trim_end_matches([' ', '\t']);
    is_token(name).then(|| (HeaderName::new(name), trim_ws(value).to_owned()))
}

fn parse_length(value: &str) -> Option<usize> {
    let v = trim_ws(value);
    if v.is_empty() || v.len() > 9 || !v.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

fn read_body(
    headers: &[(HeaderName, String)],
    rest: &[u8],
    framing: Framing,
) -> Result<Vec<u8>, &'static str> {
    let mut lengths = headers.iter().filter(|(n, _)| n.is("Content-Length"));
    let length = match (lengths.next(), lengths.next()) {
        (Some(_), Some(_)) => return Err("more than one Content-Length"),
        (Some((_, v)), None) => Some(parse_length(v).ok_or("Content-Length is not a length")?),
        (None, _) => None,
    };
    match (length, framing) {
        (Some(n), _) if n > rest.len() => Err("Content-Length is larger than the body"),
        // Bytes after the body in a datagram are not part of this message (RFC 3261 §18.3).
        (Some(n), _) => Ok(rest[..n].to_vec()),
        (None, Framing::Datagram) => Ok(rest.to_vec()),
        (None, Framing::Stream) => Err("no Content-Length on a stream"),
    }
}

fn parse_request(
    start_line: &str,
    headers: Vec<(HeaderName, String)>,
    body: Vec<u8>,
    reject: impl Fn(u16, String) -> ParseError,
) -> Result<Message, ParseError> {
    let parts: Vec<&str> = start_line.split(' ').collect();
    let [method, uri, version] = parts[..] else {
        return Err(reject(
            400,
            "the request line is not METHOD SP URI SP SIP/2.0".into(),
        ));
    };
    if !is_token(method) {
        return Err(reject(400, "the method is not a token".into()));
    }
    if version != "SIP/2.0" {
        return Err(
            if version.starts_with("SIP/") && !version.contains([' ', '\t']) {
                reject(505, format!("version {version} is not supported"))
            } else {
                reject(400, "bad SIP version".into())
            },
        );
    }
    let uri = Uri::parse(uri).map_err(|e| reject(400, format!("Request-URI: {e}")))?;
    let method = Method::from_token(method);
    let (core, mut rest) = read_core(headers).map_err(|e| reject(400, e))?;
    if core.cseq.method != method {
        return Err(reject(
            400,
            "the CSeq method is not the request's method".into(),
        ));
    }
    let max_forwards = take_single(&mut rest, "Max-Forwards")
        .map_err(|e| reject(400, e))?
        .map(|v| parse_small(&v, 255).ok_or("Max-Forwards is not 0-255"))
        .transpose()
        .map_err(|e| reject(400, e.into()))?
        .map(|v| v as u8);
    check_other(&rest).map_err(|e| reject(400, e))?;
    Ok(Message::Request(Request {
        method,
        uri,
        core,
        max_forwards,
        headers: rest,
        body,
    }))
}

fn parse_response(
    start_line: &str,
    headers: Vec<(HeaderName, String)>,
    body: Vec<u8>,
) -> Result<Message, ParseError> {
    let rest = start_line
        .strip_prefix("SIP/2.0 ")
        .ok_or(ParseError::Drop("not SIP/2.0"))?;
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    let status = (code.len() == 3 && code.bytes().all(|c| c.is_ascii_digit()))
        .then(|| code.parse::<u16>().ok())
        .flatten()
        .filter(|s| (100..=699).contains(s))
        .ok_or(ParseError::Drop("bad status code"))?;
    let (core, rest) =
        read_core(headers).map_err(|_| ParseError::Drop("malformed response headers"))?;
    check_other(&rest).map_err(|_| ParseError::Drop("malformed response headers"))?;
    Ok(Message::Response(Response {
        status,
        reason: reason.to_owned(),
        core,
        headers: rest,
        body,
    }))
}

/// Takes Via, From, To, Call-ID and CSeq out of the header list, parsed; the others stay.
fn read_core(headers: Vec<(HeaderName, String)>) -> Result<(Core, Headers), String> {
    let mut via = Vec::new();
    let mut rest = Headers::default();
    for (name, value) in headers {
        if name.is("Via") {
            via.extend(Via::parse_list(&value).map_err(|e| e.to_string())?);
        } else {
            rest.push(name.as_str(), value);
        }
    }
    if via.is_empty() {
        return Err("no Via".into());
    }
    rest.remove("Content-Length");
    let from = take_single(&mut rest, "From")?.ok_or("no From")?;
    let to = take_single(&mut rest, "To")?.ok_or("no To")?;
    let call_id = take_single(&mut rest, "Call-ID")?.ok_or("no Call-ID")?;
    let cseq = take_single(&mut rest, "CSeq")?.ok_or("no CSeq")?;
    let from = NameAddr::parse(&from).map_err(|e| format!("From: {e}"))?;
    let to = NameAddr::parse(&to).map_err(|e| format!("To: {e}"))?;
    if call_id.is_empty() || call_id.contains([' ', '\t']) {
        return Err("bad Call-ID".into());
    }
    let cseq = parse_cseq(&cseq).ok_or("bad CSeq")?;
    Ok((
        Core {
            via,
            from,
            to,
            call_id,
            cseq,
        },
        rest,
    ))
}

fn take_single(headers: &mut Headers, name: &str) -> Result<Option<String>, String> {
    match headers.count(name) {
        0 => Ok(None),
        1 => {
            let value = headers.get(name).map(str::to_owned);
            headers.remove(name);
            Ok(value)
        }
        _ => Err(format!("more than one {name}")),
    }
}

fn parse_cseq(value: &str) -> Option<CSeq> {
    let value = trim_ws(value);
    let split = value.find([' ', '\t'])?;
    let seq = parse_small(&value[..split], (1 << 31) - 1)? as u32;
    let method = trim_ws(&value[split..]);
    is_token(method).then(|| CSeq {
        seq,
        method: Method::from_token(method),
    })
}

fn parse_small(value: &str, max: u64) -> Option<u64> {
    let v = trim_ws(value);
    if v.is_empty() || v.len() > 12 || !v.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    v.parse::<u64>().ok().filter(|n| *n <= max)
}

/// The other headers whose syntax the server relies on: Contact and Expires.
fn check_other(headers: &Headers) -> Result<(), String> {
    let contacts: Vec<&str> = headers.get_all("Contact").collect();
    if !contacts.is_empty() {
        parse_contacts(&contacts).map_err(|e| format!("Contact: {e}"))?;
    }
    if headers.count("Expires") > 1 {
        return Err("more than one Expires".into());
    }
    if let Some(v) = headers.get("Expires") {
        let v = trim_ws(v);
        if v.is_empty() || !v.bytes().all(|c| c.is_ascii_digit()) {
            return Err("Expires is not a number of seconds".into());
        }
    }
    Ok(())
}

/// Delta-seconds beyond 2**32-1 count as 2**32-1 (RFC 3261 §20.19).
pub fn delta_seconds(value: &str) -> Option<u32> {
    let v = trim_ws(value);
    if v.is_empty() || !v.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(v.parse::<u32>().unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: &str = "OPTIONS sip:user@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example;branch=z9hG4bKa\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:user@example.com>\r\nCall-ID: x@y\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    #[test]
    fn a_request_writes_back_to_what_parses_the_same() {
        let Message::Request(req) = parse_datagram(OPTIONS.as_bytes()).unwrap() else {
            panic!()
        };
        assert_eq!(req.method, Method::Options);
        assert_eq!(req.max_forwards, Some(70));
        let again = parse_datagram(&req.to_bytes()).unwrap();
        assert_eq!(again, Message::Request(req));
    }

    #[test]
    fn streams_frame_by_content_length() {
        let mut buf = b"\r\n\r\n".to_vec();
        buf.extend_from_slice(OPTIONS.as_bytes());
        assert_eq!(stream_frame_len(&buf), Ok((4, Some(OPTIONS.len()))));
        assert_eq!(stream_frame_len(&buf[..20]), Ok((4, None)));
        let no_length = OPTIONS.replace("Content-Length: 0\r\n", "");
        assert!(stream_frame_len(no_length.as_bytes()).is_err());
        assert!(parse(no_length.as_bytes(), Framing::Stream).is_err());
    }

    #[test]
    fn a_bad_request_is_answered_with_its_own_headers() {
        let bad = OPTIONS.replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE");
        let Err(ParseError::Reject { status, reply, .. }) = parse_datagram(bad.as_bytes()) else {
            panic!()
        };
        assert_eq!(status, 400);
        let text = String::from_utf8(reply.response(400, "CSeq mismatch")).unwrap();
        assert!(text.starts_with("SIP/2.0 400 CSeq mismatch\r\n"));
        assert!(text.contains("Call-ID: x@y\r\n") && text.contains("CSeq: 1 INVITE\r\n"));
    }
}
