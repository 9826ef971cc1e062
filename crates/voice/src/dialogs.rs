//! What happens inside calls: responses to our INVITEs, BYE and re-INVITE from either
//! side, CANCEL, DTMF by INFO, and the timers that give up on a leg.

use switchboard_sip::digest::Challenge;
use switchboard_sip::message::reason_phrase;
use switchboard_sip::sdp::{choose_audio, Sdp};
use switchboard_sip::transaction::{Peer, TxKey};
use switchboard_sip::{Method, Request, Response};

use crate::call::{CallState, LegState, Party, ReleasedBy};
use crate::legs::CODECS;
use crate::media::{LegId, MediaCommand};
use crate::switch::{Output, Switch, Timer, ALLOW};

impl Switch {
    pub(crate) fn in_dialog(&mut self, now: u64, key: TxKey, req: Request, _from: Peer) {
        let Some(leg) = self.leg_of_request(&req) else {
            return self.refuse(now, &key, &req, 481);
        };
        match req.method {
            Method::Bye => {
                self.ok(now, &key, &req, None);
                self.leg_hung_up(now, leg);
            }
            Method::Invite => self.reinvite(now, key, req, leg),
            Method::Info => {
                self.ok(now, &key, &req, None);
                if let Some(digit) = info_digit(&req) {
                    self.digit(now, leg, digit);
                }
            }
            Method::Options | Method::Update => self.ok(now, &key, &req, None),
            _ => self.refuse(now, &key, &req, 501),
        }
    }

    fn ok(&mut self, now: u64, key: &TxKey, req: &Request, body: Option<Vec<u8>>) {
        let mut resp = Response::to(req, 200, reason_phrase(200), None);
        if let Some(body) = body {
            resp.headers.push("Contact", self.cfg.local.contact(None));
            resp.headers.push("Allow", ALLOW);
            resp.headers.push("Content-Type", "application/sdp");
            resp.body = body;
        }
        self.respond(now, key, resp);
    }

    /// The party on `leg` hung up (their BYE was answered): end the rest of the call —
    /// unless we were ending that leg already (its BYE crossed ours, e.g. after a transfer
    /// took the agent off the call).
    fn leg_hung_up(&mut self, now: u64, leg: LegId) {
        let by = self.released_by(leg);
        let call = self.legs.get(&leg).map(|l| l.call);
        let ending = self
            .legs
            .get(&leg)
            .is_some_and(|l| l.state == LegState::Ending);
        let was_agent = match (&by, call.and_then(|c| self.calls.get(&c))) {
            (ReleasedBy::Callee(Party::Agent(a)), Some(c)) if c.callee_leg == Some(leg) => Some(*a),
            _ => None,
        };
        self.drop_leg(leg);
        if let Some(call) = call.filter(|_| !ending) {
            if self.monitor_left(call, leg) {
                return;
            }
            if !self.party_left(now, call, leg, was_agent) && !self.start_survey(now, call, &by) {
                self.hang_up(now, call, by, 200);
            }
        }
    }

    /// A re-INVITE (hold, a new address): answer with our side unchanged, follow theirs.
    /// Without SDP (a session refresh) our 200 offers again and their ACK answers.
    fn reinvite(&mut self, now: u64, key: TxKey, req: Request, leg: LegId) {
        let offer = Sdp::parse(&req.body).ok();
        if offer.is_none() && req.body.is_empty() {
            if let Some(l) = self.legs.get_mut(&leg) {
                l.answer_in_ack = true;
            }
            let body = self.describe(leg, None);
            return self.ok(now, &key, &req, Some(body));
        }
        let chosen = offer.as_ref().and_then(|o| choose_audio(o, CODECS));
        if chosen.is_none() {
            return self.refuse(now, &key, &req, 488);
        }
        if let (Some(l), Some(chosen)) = (self.legs.get_mut(&leg), chosen) {
            l.offer = offer;
            l.chosen = Some(chosen);
            let cmd = MediaCommand::Remote {
                leg,
                remote: chosen.remote,
                codec: chosen.codec,
                telephone_event: chosen.telephone_event,
            };
            self.outputs.push_back(Output::Media(cmd));
        }
        let chosen = self.legs.get(&leg).and_then(|l| l.chosen);
        let body = self.describe(leg, chosen.as_ref());
        self.ok(now, &key, &req, Some(body));
    }

    /// A key sent by SIP INFO; on a bridged call keys travel in the media instead.
    pub(crate) fn digit(&mut self, now: u64, leg: LegId, digit: char) {
        self.ivr_digit(now, leg, digit);
    }

    /// The ACK of our 2xx to the caller. After a delayed offer (their INVITE had no SDP, our
    /// 200 made the offer) it carries their answer; without a usable one the call cannot
    /// carry audio and ends — unless the offer answered a session refresh: then the media
    /// goes on as it was.
    pub(crate) fn on_ack(&mut self, now: u64, req: &Request) {
        let Some(leg_id) = self.leg_of_request(req) else {
            return;
        };
        let Some(leg) = self.legs.get_mut(&leg_id) else {
            return;
        };
        let refresh = std::mem::take(&mut leg.answer_in_ack);
        if (leg.chosen.is_some() && !refresh) || leg.state != LegState::Up {
            return;
        }
        let call = leg.call;
        let answer = Sdp::parse(&req.body).ok();
        let Some(chosen) = answer.as_ref().and_then(|a| choose_audio(a, CODECS)) else {
            if refresh {
                return;
            }
            return self.hang_up(now, call, ReleasedBy::System, 488);
        };
        leg.offer = answer;
        leg.chosen = Some(chosen);
        let cmd = MediaCommand::Remote {
            leg: leg_id,
            remote: chosen.remote,
            codec: chosen.codec,
            telephone_event: chosen.telephone_event,
        };
        self.outputs.push_back(Output::Media(cmd));
    }

    pub(crate) fn on_response(&mut self, now: u64, key: TxKey, resp: Response) {
        if self.upstreams.owns(&key) {
            return self.upstream_response(now, key, resp);
        }
        let Some(&leg) = self.requests_out.get(&key) else {
            return;
        };
        match resp.core.cseq.method {
            Method::Invite => self.invite_response(now, key, leg, resp),
            Method::Bye if resp.status >= 200 => self.drop_leg(leg),
            _ => {}
        }
    }

    fn invite_response(&mut self, now: u64, key: TxKey, leg_id: LegId, resp: Response) {
        if matches!(resp.status, 401 | 407) && self.answer_challenge(now, &key, leg_id, &resp) {
            return;
        }
        let Some(leg) = self.legs.get_mut(&leg_id) else {
            return;
        };
        let call = leg.call;
        match resp.status {
            100 => {}
            101..=199 => {
                if let LegState::Calling { ringing: false } = leg.state {
                    leg.state = LegState::Calling { ringing: true };
                    self.caller_hears_ringing(now, call);
                }
                if self.is_dialled_customer(call, leg_id) {
                    self.customer_progress(call, leg_id, &resp);
                }
            }
            200..=299 => self.invite_accepted(now, leg_id, resp),
            _ => {
                self.requests_out.remove(&key);
                let was_trying = matches!(leg.state, LegState::Calling { .. });
                self.drop_leg(leg_id);
                if was_trying {
                    self.leg_failed(now, call, leg_id, resp.status);
                }
            }
        }
    }

    /// A provider's challenge to our INVITE through a trunk: the INVITE goes again, next
    /// CSeq, with the answer from the trunk's account (RFC 3261 22.2, 8.1.3.5). False when
    /// there is nothing to answer with or it was answered already: the leg then fails.
    fn answer_challenge(&mut self, now: u64, key: &TxKey, leg_id: LegId, resp: &Response) -> bool {
        let (header, answer) = if resp.status == 407 {
            ("Proxy-Authenticate", "Proxy-Authorization")
        } else {
            ("WWW-Authenticate", "Authorization")
        };
        let challenge = resp.headers.get_all(header).find_map(Challenge::parse);
        let local = self.cfg.local.clone();
        let (branch, cnonce) = (self.ids.branch(), self.ids.token());
        let Some(leg) = self.legs.get_mut(&leg_id) else {
            return false;
        };
        let calling = matches!(leg.state, LegState::Calling { .. });
        let (Some(challenge), Some(account), Some(mut invite), true, false) = (
            challenge,
            leg.credentials.as_ref(),
            leg.sent.clone(),
            calling,
            leg.challenged,
        ) else {
            return false;
        };
        leg.challenged = true;
        leg.dialog.local_cseq += 1;
        invite.core.cseq.seq = leg.dialog.local_cseq;
        invite.core.via = vec![local.via(leg.dialog.peer, &branch)];
        let uri = invite.uri.to_string();
        let value = challenge.answer(
            &account.username,
            &account.password,
            "INVITE",
            &uri,
            &cnonce,
            1,
        );
        invite.headers.push(answer, value);
        let seq = invite.core.cseq.seq;
        let again = self.tx.send_request(now, invite, leg.dialog.peer);
        leg.outgoing = Some((again.clone(), seq));
        self.requests_out.remove(key);
        self.requests_out.insert(again, leg_id);
        true
    }

    fn caller_hears_ringing(&mut self, now: u64, call: crate::call::CallRef) {
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        if c.state != CallState::Connecting {
            return;
        }
        let Some(caller) = self.legs.get(&c.caller_leg) else {
            return;
        };
        let (Some((key, req)), LegState::Offered) = (caller.invite.clone(), caller.state) else {
            return;
        };
        let tag = caller.dialog.local.tag().map(str::to_owned);
        self.respond(
            now,
            &key,
            Response::to(&req, 180, reason_phrase(180), tag.as_deref()),
        );
    }

    fn invite_accepted(&mut self, now: u64, leg_id: LegId, resp: Response) {
        let local = self.cfg.local.clone();
        let branch = self.ids.branch();
        let Some(leg) = self.legs.get_mut(&leg_id) else {
            return;
        };
        let first = matches!(leg.state, LegState::Calling { .. });
        if first {
            leg.dialog.confirm(&resp);
        }
        let seq = leg.outgoing.as_ref().map_or(1, |(_, s)| *s);
        let ack = leg.dialog.ack(seq, &local, &branch);
        let peer = leg.dialog.peer;
        self.tx.send_stateless(peer, ack.to_bytes());
        if !first {
            // A retransmitted 2xx (our ACK was lost), or a late one after we gave up.
            if leg.state == LegState::Ending {
                self.end_leg(now, leg_id, 200);
            }
            return;
        }
        let call = leg.call;
        self.clear_timer(Timer::RingOut(leg_id));
        let third = self.is_third(call, leg_id)
            || self.is_monitor(call, leg_id)
            || self.is_dialled_customer(call, leg_id);
        let Some(leg) = self.legs.get_mut(&leg_id) else {
            return;
        };
        let answer = Sdp::parse(&resp.body).ok();
        let chosen = answer.as_ref().and_then(|a| choose_audio(a, CODECS));
        let live = self
            .calls
            .get(&call)
            .is_some_and(|c| (c.callee_leg.is_none() || third) && c.state != CallState::Ended);
        let Some(chosen) = chosen.filter(|_| live) else {
            leg.state = LegState::Up;
            self.end_leg(now, leg_id, 200);
            if live {
                self.leg_failed(now, call, leg_id, 488);
            }
            return;
        };
        leg.chosen = Some(chosen);
        leg.offer = answer;
        let cmd = MediaCommand::Remote {
            leg: leg_id,
            remote: chosen.remote,
            codec: chosen.codec,
            telephone_event: chosen.telephone_event,
        };
        self.outputs.push_back(Output::Media(cmd));
        self.leg_answered(now, call, leg_id);
    }

    /// A placed leg ended without answering; when it was the last one trying, the call
    /// fails (a destination) or the offer fails (an agent).
    fn leg_failed(&mut self, now: u64, call: crate::call::CallRef, leg: LegId, status: u16) {
        if self.monitor_left(call, leg) {
            return;
        }
        if self.is_dialling(call) {
            if let Some(c) = self.calls.get_mut(&call) {
                c.trying.retain(|l| *l != leg);
            }
            return self.dial_failed(now, call, leg, status);
        }
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.trying.retain(|l| *l != leg);
        let third_rang = c
            .third
            .as_ref()
            .is_some_and(|t| t.mode == crate::third::ThirdMode::Ringing);
        if c.trying.is_empty() && third_rang {
            return self.third_unreached(call);
        }
        if !c.trying.is_empty() || c.callee_leg.is_some() {
            return;
        }
        match c.state.clone() {
            CallState::Offering { agent, .. } => self.offer_failed(call, agent),
            // The agent's phone did not take the line.
            CallState::Line { .. } => self.hang_up(now, call, ReleasedBy::System, status),
            CallState::Connecting => {
                let code = match status {
                    486 | 600 | 603 => 486,
                    404 | 484 | 604 => 404,
                    488 | 606 => 488,
                    _ => 480,
                };
                self.hang_up(now, call, ReleasedBy::System, code);
            }
            _ => {}
        }
    }

    pub(crate) fn on_request_timeout(&mut self, now: u64, key: TxKey) {
        if self.upstream_timed_out(now, &key) {
            return;
        }
        let Some(leg) = self.requests_out.remove(&key) else {
            return;
        };
        let Some(l) = self.legs.get(&leg) else { return };
        let (call, trying) = (l.call, matches!(l.state, LegState::Calling { .. }));
        self.drop_leg(leg);
        if trying {
            self.leg_failed(now, call, leg, 408);
        }
    }

    pub(crate) fn on_no_ack(&mut self, now: u64, key: TxKey) {
        let Some(leg) = self.leg_of_invite(&key) else {
            return;
        };
        if let Some(call) = self.legs.get(&leg).map(|l| l.call) {
            self.hang_up(now, call, ReleasedBy::System, 408);
        }
    }

    pub(crate) fn on_cancelled(&mut self, now: u64, key: TxKey) {
        let Some(leg) = self.leg_of_invite(&key) else {
            return;
        };
        let Some(l) = self.legs.get(&leg) else { return };
        if l.state != LegState::Offered {
            return;
        }
        let call = l.call;
        self.hang_up(now, call, ReleasedBy::Caller, 487);
    }

    pub(crate) fn ring_out(&mut self, now: u64, leg: LegId) {
        let Some(l) = self.legs.get(&leg) else { return };
        if !matches!(l.state, LegState::Calling { .. }) {
            return;
        }
        let call = l.call;
        self.end_leg(now, leg, 487);
        self.leg_failed(now, call, leg, 480);
    }

    pub(crate) fn media_failed(&mut self, now: u64, leg: LegId) {
        if let Some(call) = self.legs.get(&leg).map(|l| l.call) {
            self.hang_up(now, call, ReleasedBy::System, 500);
        }
    }
}

/// The digit of an INFO with `application/dtmf-relay` (`Signal=5`) or `application/dtmf`.
fn info_digit(req: &Request) -> Option<char> {
    let text = std::str::from_utf8(&req.body).ok()?;
    let value = text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Signal=")
                .or_else(|| l.trim().strip_prefix("Signal ="))
        })
        .unwrap_or(text)
        .trim();
    let mut chars = value.chars();
    let digit = chars.next()?;
    (chars.next().is_none() && "0123456789*#ABCD".contains(digit.to_ascii_uppercase()))
        .then(|| digit.to_ascii_uppercase())
}
