//! One SIP dialog seen from our side (RFC 3261 §12): its identifiers, the remote target
//! and route set, our CSeq, and the in-dialog requests built from them.

use switchboard_sip::message::{CSeq, Core, Headers};
use switchboard_sip::transaction::Peer;
use switchboard_sip::uri::Host;
use switchboard_sip::{Method, NameAddr, Request, Response, Uri, Via};

#[derive(Debug, Clone)]
pub struct Dialog {
    pub call_id: String,
    /// Our From (as UAC) or To (as UAS), with our tag.
    pub local: NameAddr,
    /// Theirs, with their tag once known.
    pub remote: NameAddr,
    pub remote_target: Uri,
    pub route_set: Vec<String>,
    pub local_cseq: u32,
    pub remote_cseq: Option<u32>,
    /// Where in-dialog requests go (the address the peer's messages come from).
    pub peer: Peer,
}

/// How we name ourselves in Via and Contact.
#[derive(Debug, Clone)]
pub struct Local {
    pub host: Host,
    pub port: u16,
}

impl Local {
    pub fn contact(&self, user: Option<&str>) -> String {
        format!(
            "<{}>",
            switchboard_sip::SipUri::new(user, self.host.clone(), Some(self.port))
        )
    }

    pub fn via(&self, peer: Peer, branch: &str) -> Via {
        Via::new(
            peer.transport.name(),
            self.host.clone(),
            Some(self.port),
            branch,
        )
    }
}

impl Dialog {
    /// The dialog an incoming INVITE creates on our side.
    pub fn from_invite(req: &Request, local_tag: &str, peer: Peer) -> Dialog {
        let remote_target = contact_uri(req).unwrap_or_else(|| req.core.from.uri.clone());
        Dialog {
            call_id: req.core.call_id.clone(),
            local: req.core.to.clone().with_tag(local_tag),
            remote: req.core.from.clone(),
            remote_target,
            route_set: req
                .headers
                .get_all("Record-Route")
                .map(str::to_owned)
                .collect(),
            local_cseq: 0,
            remote_cseq: Some(req.core.cseq.seq),
            peer,
        }
    }

    /// Learns the remote tag, target and route set from a response to our INVITE.
    pub fn confirm(&mut self, resp: &Response) {
        if let Some(tag) = resp.core.to.tag() {
            self.remote = self.remote.clone().with_tag(tag);
        }
        if let Some(uri) = response_contact(resp) {
            self.remote_target = uri;
        }
        // A UAC's route set is the Record-Route of the response, reversed.
        let mut routes: Vec<String> = resp
            .headers
            .get_all("Record-Route")
            .map(str::to_owned)
            .collect();
        routes.reverse();
        self.route_set = routes;
    }

    /// A new request inside the dialog (BYE, re-INVITE, INFO…), CSeq advanced.
    pub fn request(&mut self, method: Method, local: &Local, branch: &str) -> Request {
        self.local_cseq += 1;
        self.build(method, self.local_cseq, local, branch)
    }

    /// The ACK of a 2xx: same CSeq number as the INVITE, a branch of its own.
    pub fn ack(&self, invite_cseq: u32, local: &Local, branch: &str) -> Request {
        self.build(Method::Ack, invite_cseq, local, branch)
    }

    fn build(&self, method: Method, seq: u32, local: &Local, branch: &str) -> Request {
        let mut headers = Headers::default();
        for r in &self.route_set {
            headers.push("Route", r.clone());
        }
        Request {
            method: method.clone(),
            uri: self.remote_target.clone(),
            core: Core {
                via: vec![local.via(self.peer, branch)],
                from: self.local.clone(),
                to: self.remote.clone(),
                call_id: self.call_id.clone(),
                cseq: CSeq { seq, method },
            },
            max_forwards: Some(70),
            headers,
            body: Vec::new(),
        }
    }

    /// Whether a request belongs to this dialog (Call-ID and both tags).
    pub fn matches(&self, req: &Request) -> bool {
        req.core.call_id == self.call_id
            && req.core.to.tag() == self.local.tag()
            && req.core.from.tag() == self.remote.tag()
    }
}

fn contact_uri(req: &Request) -> Option<Uri> {
    first_contact(req.headers.get_all("Contact").collect())
}

fn response_contact(resp: &Response) -> Option<Uri> {
    first_contact(resp.headers.get_all("Contact").collect())
}

fn first_contact(values: Vec<&str>) -> Option<Uri> {
    match switchboard_sip::name_addr::parse_contacts(&values).ok()? {
        switchboard_sip::name_addr::Contacts::List(list) => list.into_iter().next().map(|a| a.uri),
        switchboard_sip::name_addr::Contacts::Star => None,
    }
}
