//! How a message finds its transaction: the top Via's branch, sent-by and the method
//! (RFC 3261 §17.2.3), or for RFC 2543 peers without the branch cookie, the request's
//! identifying headers.

use crate::message::{Method, Request, Response};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TxKey(String);

impl TxKey {
    /// ACK is matched to its INVITE; CANCEL is a transaction of its own.
    fn method_kind(method: &Method) -> &str {
        match method {
            Method::Ack => "INVITE",
            m => m.as_str(),
        }
    }

    pub fn for_request(req: &Request) -> TxKey {
        Self::with_method(req, Self::method_kind(&req.method))
    }

    /// The key of the INVITE a CANCEL names (same branch, method INVITE).
    pub fn invite_of(cancel: &Request) -> TxKey {
        Self::with_method(cancel, "INVITE")
    }

    fn with_method(req: &Request, method: &str) -> TxKey {
        let via = &req.core.via[0];
        let sent_by = format!("{}:{}", via.host, via.port.unwrap_or(5060));
        match via.branch() {
            Some(branch) if via.has_rfc3261_branch() => {
                TxKey(format!("{branch}|{sent_by}|{method}"))
            }
            _ => TxKey(format!(
                "2543|{}|{}|{}|{sent_by}|{method}",
                req.core.call_id,
                req.core.cseq.seq,
                req.core.from.tag().unwrap_or("")
            )),
        }
    }

    /// The client transaction a response belongs to: our branch and the CSeq method.
    pub fn for_response(resp: &Response) -> Option<TxKey> {
        let branch = resp.core.via.first()?.branch()?;
        Some(Self::client(branch, &resp.core.cseq.method))
    }

    pub fn client(branch: &str, method: &Method) -> TxKey {
        TxKey(format!("client|{branch}|{}", Self::method_kind(method)))
    }
}
