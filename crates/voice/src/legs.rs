//! Making and ending legs: an inbound leg from an INVITE, an outbound leg we place with our
//! offer, answering the caller, and tearing legs down (BYE, CANCEL) until nothing is left.

use switchboard_sip::message::reason_phrase;
use switchboard_sip::sdp::{AudioAnswer, AudioDescription, Codec, Direction};
use switchboard_sip::transaction::{Peer, TxKey};
use switchboard_sip::{Method, NameAddr, Request, Response, SipUri, Uri};

use crate::call::{CallEvent, CallRef, CallState, LegState, Party, ReleasedBy};
use crate::dialog::Dialog;
use crate::directory::TrunkOutbound;
use crate::media::{LegId, MediaCommand};
use crate::switch::{Output, Switch, Timer, ALLOW};

/// The codecs we offer, in our order of preference.
pub const CODECS: &[Codec] = &[Codec::Pcmu, Codec::Pcma];
pub const TELEPHONE_EVENT: u8 = 101;

impl Switch {
    /// Our SDP for a leg: an answer to their offer, or our offer.
    pub(crate) fn describe(&mut self, leg: LegId, answer: Option<&AudioAnswer>) -> Vec<u8> {
        let Some(l) = self.legs.get_mut(&leg) else {
            return Vec::new();
        };
        l.sdp_version += 1;
        let chosen_codec = answer.map(|a| [a.codec]);
        let d = AudioDescription {
            session_id: leg.0,
            version: l.sdp_version,
            address: self.cfg.media_address,
            port: l.port,
            codecs: chosen_codec.as_ref().map_or(CODECS, |c| &c[..]),
            telephone_event: answer.map_or(Some(TELEPHONE_EVENT), |a| a.telephone_event),
            direction: answer.map_or(Direction::SendRecv, |a| a.direction),
        };
        match (answer, &l.offer) {
            (Some(a), Some(offer)) => d.answer(offer, a),
            _ => d.offer(),
        }
    }

    /// Places a leg of `call` towards `target` at `peer`; `None` when no RTP port is free.
    pub(crate) fn place_leg(
        &mut self,
        now: u64,
        call: CallRef,
        party: Party,
        target: Uri,
        peer: Peer,
        extra: &[(&str, String)],
    ) -> Option<LegId> {
        let port = self.ports.take()?;
        let id = LegId(self.next_id());
        // An agent's phone shows whom they are calling out to; everyone else our caller.
        let caller = self
            .calls
            .get(&call)
            .map(|c| match (&party, &c.outbound) {
                (Party::Agent(_), Some(out)) => out.number.clone(),
                (Party::Customer | Party::Destination, _) => {
                    c.presenting.clone().unwrap_or_else(|| c.caller.clone())
                }
                _ => c.caller.clone(),
            })
            .unwrap_or_default();
        let host = self.cfg.local.host.clone();
        let from_uri = Uri::Sip(SipUri::new(
            Some(caller.as_str()).filter(|c| !c.is_empty()),
            host,
            None,
        ));
        let tag = self.ids.token();
        let dialog = Dialog {
            call_id: self.ids.call_id(),
            local: NameAddr::new(from_uri).with_tag(&tag),
            remote: NameAddr::new(target.clone()),
            remote_target: target,
            route_set: Vec::new(),
            local_cseq: 0,
            remote_cseq: None,
            peer,
        };
        self.by_dialog.insert((dialog.call_id.clone(), tag), id);
        self.legs.insert(id, new_leg(id, call, party, dialog, port));
        let body = self.describe(id, None);
        let branch = self.ids.branch();
        let local = self.cfg.local.clone();
        let leg = self.legs.get_mut(&id)?;
        let mut invite = leg.dialog.request(Method::Invite, &local, &branch);
        invite.headers.push("Contact", local.contact(None));
        invite.headers.push("Allow", ALLOW);
        for (name, value) in extra {
            invite.headers.push(name, value.clone());
        }
        invite.headers.push("Content-Type", "application/sdp");
        invite.body = body;
        let seq = invite.core.cseq.seq;
        leg.sent = Some(invite.clone());
        let key = self.tx.send_request(now, invite, peer);
        leg.outgoing = Some((key.clone(), seq));
        self.requests_out.insert(key, id);
        let open = MediaCommand::Open {
            call,
            leg: id,
            port,
            codec: Codec::Pcmu,
            telephone_event: Some(TELEPHONE_EVENT),
            remote: None,
        };
        self.outputs.push_back(Output::Media(open));
        self.set_timer(now + self.cfg.ring_timeout_ms, Timer::RingOut(id));
        if let Some(c) = self.calls.get_mut(&call) {
            c.trying.push(id);
        }
        Some(id)
    }

    /// Marks a placed leg as going through a trunk: a challenge to its INVITE is answered
    /// with the trunk's account.
    pub(crate) fn through_trunk(&mut self, leg: LegId, via: &TrunkOutbound) {
        if let Some(l) = self.legs.get_mut(&leg) {
            l.credentials.clone_from(&via.credentials);
        }
    }

    /// Answers the caller's INVITE with 200 and our SDP — the answer to their offer, or our
    /// offer when their INVITE had none; their media flows from now on.
    pub(crate) fn answer_caller(&mut self, now: u64, call: CallRef) {
        let Some(leg_id) = self.calls.get(&call).map(|c| c.caller_leg) else {
            return;
        };
        let Some(leg) = self.legs.get(&leg_id) else {
            return;
        };
        let (Some((key, req)), LegState::Offered) = (leg.invite.clone(), leg.state) else {
            return;
        };
        let chosen = leg.chosen;
        let tag = leg.dialog.local.tag().unwrap_or_default().to_owned();
        let body = self.describe(leg_id, chosen.as_ref());
        let mut ok = Response::to(&req, 200, reason_phrase(200), Some(&tag));
        ok.headers.push("Contact", self.cfg.local.contact(None));
        ok.headers.push("Allow", ALLOW);
        ok.headers.push("Content-Type", "application/sdp");
        ok.body = body;
        self.respond(now, &key, ok);
        if let Some(leg) = self.legs.get_mut(&leg_id) {
            leg.state = LegState::Up;
        }
    }

    /// Ends every leg of the call and says so once.
    pub(crate) fn hang_up(&mut self, now: u64, call: CallRef, by: ReleasedBy, status: u16) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        if c.state == CallState::Ended {
            return;
        }
        let was = std::mem::replace(&mut c.state, CallState::Ended);
        let tenant = c.tenant;
        // The agent who released before the survey is who released the call.
        let by = c.released_by.take().unwrap_or(by);
        let survey_on = c.survey;
        let mut legs = vec![c.caller_leg];
        legs.append(&mut c.trying);
        // An agent's standing line outlives the call it carried.
        legs.extend(c.callee_leg.filter(|_| !c.on_line));
        legs.extend(c.third.take().and_then(|t| t.leg));
        if let Some(m) = c.monitor.take() {
            legs.extend(m.ringing.into_iter().chain(m.leg));
        }
        let on_line = c.on_line;
        for leg in legs {
            self.end_leg(now, leg, status);
        }
        if on_line {
            self.line_freed(call);
        }
        // A caller hanging up while leaving a message leaves it all the same.
        self.message_left(now, call, &was);
        self.survey_abandoned(call, &was, survey_on && by == ReleasedBy::Caller);
        match was {
            CallState::Line { agent, serving } => self.line_ended(now, tenant, agent, serving),
            _ => self.outputs.push_back(Output::Call(CallEvent::Ended {
                call,
                tenant,
                released_by: by,
                status,
            })),
        }
        self.forget_if_done(call);
    }

    /// Ends one leg the way its state needs: a final answer, a CANCEL or a BYE.
    pub(crate) fn end_leg(&mut self, now: u64, leg_id: LegId, status: u16) {
        let Some(leg) = self.legs.get_mut(&leg_id) else {
            return;
        };
        match leg.state {
            LegState::Offered => {
                let (key, req) = leg.invite.clone().unzip();
                let tag = leg.dialog.local.tag().map(str::to_owned);
                if let (Some(key), Some(req)) = (key, req) {
                    let code = if status >= 300 { status } else { 480 };
                    let resp = Response::to(&req, code, reason_phrase(code), tag.as_deref());
                    self.respond(now, &key, resp);
                }
                self.drop_leg(leg_id);
            }
            LegState::Calling { .. } => {
                leg.state = LegState::Ending;
                let invite = leg.outgoing.clone().map(|(k, _)| k);
                // Nothing to cancel when the INVITE is finished; a late 2xx then gets a BYE.
                if let Some(cancel) = invite.and_then(|k| self.tx.cancel_invite(now, &k)) {
                    self.requests_out.insert(cancel, leg_id);
                }
            }
            LegState::Up => {
                leg.state = LegState::Ending;
                let local = self.cfg.local.clone();
                let branch = self.ids.branch();
                let Some(leg) = self.legs.get_mut(&leg_id) else {
                    return;
                };
                let bye = leg.dialog.request(Method::Bye, &local, &branch);
                let peer = leg.dialog.peer;
                let key = self.tx.send_request(now, bye, peer);
                self.requests_out.insert(key, leg_id);
            }
            LegState::Ending => {}
        }
    }

    /// Forgets a leg whose SIP side is finished and frees its media.
    pub(crate) fn drop_leg(&mut self, leg_id: LegId) {
        let Some(leg) = self.legs.remove(&leg_id) else {
            return;
        };
        let tag = leg.dialog.local.tag().unwrap_or_default().to_owned();
        self.by_dialog.remove(&(leg.dialog.call_id.clone(), tag));
        self.requests_out.retain(|_, l| *l != leg_id);
        self.invites_in.retain(|_, l| *l != leg_id);
        self.clear_timer(Timer::RingOut(leg_id));
        // Its port comes back once the media side closed it (`MediaEvent::PortFreed`).
        self.outputs
            .push_back(Output::Media(MediaCommand::Close { leg: leg_id }));
        if let Some(call) = self.calls.get_mut(&leg.call) {
            call.trying.retain(|l| *l != leg_id);
            if call.callee_leg == Some(leg_id) {
                call.callee_leg = None;
            }
        }
        self.forget_if_done(leg.call);
    }

    fn forget_if_done(&mut self, call: CallRef) {
        let done = self
            .calls
            .get(&call)
            .is_some_and(|c| c.state == CallState::Ended)
            && !self.legs.values().any(|l| l.call == call);
        if done {
            self.calls.remove(&call);
        }
    }

    /// The party of a leg, for "who released".
    pub(crate) fn released_by(&self, leg_id: LegId) -> ReleasedBy {
        match self.legs.get(&leg_id).map(|l| &l.party) {
            Some(Party::Caller) => ReleasedBy::Caller,
            Some(p) => ReleasedBy::Callee(p.clone()),
            None => ReleasedBy::System,
        }
    }

    pub(crate) fn leg_of_request(&self, req: &Request) -> Option<LegId> {
        let tag = req.core.to.tag()?;
        self.by_dialog
            .get(&(req.core.call_id.clone(), tag.to_owned()))
            .copied()
    }

    pub(crate) fn leg_of_invite(&self, key: &TxKey) -> Option<LegId> {
        self.invites_in.get(key).copied()
    }
}

pub(crate) fn new_leg(
    id: LegId,
    call: CallRef,
    party: Party,
    dialog: Dialog,
    port: u16,
) -> crate::call::Leg {
    let state = if party == Party::Caller {
        LegState::Offered
    } else {
        LegState::Calling { ringing: false }
    };
    crate::call::Leg {
        id,
        call,
        party,
        dialog,
        state,
        port,
        invite: None,
        outgoing: None,
        sent: None,
        credentials: None,
        challenged: false,
        answer_in_ack: false,
        offer: None,
        chosen: None,
        sdp_version: 0,
    }
}
