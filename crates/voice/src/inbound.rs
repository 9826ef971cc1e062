//! A call arriving: who may place it (a trunk's address, or an agent's phone proving its
//! extension with digest), which number it dials, and where that number routes.

use switchboard_engine::ids::{TenantId, UserId};
use switchboard_sip::sdp::{choose_audio, Sdp};
use switchboard_sip::transaction::{Peer, TxKey};
use switchboard_sip::uri::Host;
use switchboard_sip::{Request, Uri};

use crate::call::{Call, CallEvent, CallRef, CallState, Party};
use crate::dialog::Dialog;
use crate::directory::{normalize_number, Route, COUNTRY_CODE};
use crate::legs::{new_leg, CODECS, TELEPHONE_EVENT};
use crate::media::{LegId, MediaCommand};
use crate::registrar::{authenticate, Auth};
use crate::switch::{Output, Switch};

impl Switch {
    pub(crate) fn on_invite(&mut self, now: u64, key: TxKey, req: Request, from: Peer) {
        let Some((tenant, caller, placed_by)) = self.caller_of(now, &key, &req, from) else {
            return;
        };
        let dialled_raw = dialled(&req).unwrap_or_default();
        let Some(dialled) = normalize_number(&dialled_raw, COUNTRY_CODE) else {
            return self.refuse(now, &key, &req, 404);
        };
        let Some(route) = self.route_of(tenant, &dialled) else {
            return self.refuse(now, &key, &req, 404);
        };
        // An INVITE without a body is a delayed offer: ours goes in the 200, their answer
        // comes in the ACK (`on_ack`).
        let (offer, chosen) = if req.body.is_empty() {
            (None, None)
        } else {
            let offer = Sdp::parse(&req.body).ok();
            match offer.as_ref().and_then(|o| choose_audio(o, CODECS)) {
                Some(chosen) => (offer, Some(chosen)),
                None => return self.refuse(now, &key, &req, 488),
            }
        };
        let Some(port) = self.ports.take() else {
            return self.refuse(now, &key, &req, 503);
        };
        let call = CallRef(self.next_id());
        let leg = LegId(self.next_id());
        let tag = self.ids.token();
        let dialog = Dialog::from_invite(&req, &tag, from);
        self.by_dialog.insert((dialog.call_id.clone(), tag), leg);
        let mut l = new_leg(leg, call, Party::Caller, dialog, port);
        l.invite = Some((key.clone(), req));
        l.offer = offer;
        l.chosen = chosen;
        self.legs.insert(leg, l);
        self.invites_in.insert(key, leg);
        let open = MediaCommand::Open {
            call,
            leg,
            port,
            codec: chosen.map_or(CODECS[0], |c| c.codec),
            telephone_event: chosen
                .and_then(|c| c.telephone_event)
                .or(Some(TELEPHONE_EVENT)),
            remote: chosen.map(|c| c.remote),
        };
        self.outputs.push_back(Output::Media(open));
        let state = CallState::Connecting;
        let c = Call {
            id: call,
            tenant,
            caller_leg: leg,
            trying: Vec::new(),
            callee_leg: None,
            state,
            caller: caller.clone(),
            dialled: dialled.clone(),
            walk: None,
            on_line: false,
            announcing: false,
            held: false,
            third: None,
            monitor: None,
            survey: self
                .directory
                .number(tenant, &dialled)
                .is_some_and(|n| n.survey),
            released_by: None,
            outbound: None,
            presenting: None,
            recorded_with: None,
        };
        self.calls.insert(call, c);
        self.outputs.push_back(Output::Call(CallEvent::Started {
            call,
            tenant,
            caller,
            dialled,
            placed_by,
        }));
        self.route(now, call, route);
    }

    /// The tenant and calling number of a new call, and the agent whose phone placed it (an
    /// extension that proved itself; a trunk's caller is nobody's), or `None` once it has
    /// been answered (challenged, refused).
    fn caller_of(
        &mut self,
        now: u64,
        key: &TxKey,
        req: &Request,
        from: Peer,
    ) -> Option<(TenantId, String, Option<UserId>)> {
        if let Some(trunk) = self.directory.trunk_for(from.addr.ip()) {
            let tenant = trunk.tenant;
            let user = req
                .core
                .from
                .uri
                .as_sip()
                .and_then(|u| u.user_decoded())
                .unwrap_or_default();
            let caller = normalize_number(&user, COUNTRY_CODE).unwrap_or(user);
            return Some((tenant, caller, None));
        }
        let host = match &req.core.from.uri {
            Uri::Sip(u) => u.host.to_string(),
            _ => String::new(),
        };
        let Some(tenant) = self.directory.tenant_for_domain(&host).cloned() else {
            self.refuse(now, key, req, 403);
            return None;
        };
        let number = req
            .core
            .from
            .uri
            .as_sip()
            .and_then(|u| u.user_decoded())
            .unwrap_or_default();
        let ext = self.directory.extension(tenant.tenant, &number).cloned();
        let auth = authenticate(
            req,
            from,
            now,
            &tenant.domain,
            ext.as_ref(),
            &self.nonces,
            &mut self.guard,
            "Proxy-Authorization",
        );
        match auth {
            Auth::Ok(ext) => Some((ext.tenant, ext.number.clone(), Some(ext.agent))),
            Auth::Refuse(resp) => {
                self.respond(now, key, *resp);
                None
            }
        }
    }

    fn route_of(&self, tenant: TenantId, dialled: &str) -> Option<Route> {
        if let Some(n) = self.directory.number(tenant, dialled) {
            return n.inbound.then(|| n.route.clone());
        }
        self.directory
            .extension(tenant, dialled)
            .map(|e| Route::Extension(e.number.clone()))
    }

    fn route(&mut self, now: u64, call: CallRef, route: Route) {
        match route {
            Route::Direct(target) => {
                let peer = match &target.host {
                    Host::Ip(ip) => {
                        Peer::udp(std::net::SocketAddr::new(*ip, target.port.unwrap_or(5060)))
                    }
                    // Destinations are stored as addresses; a name here cannot be reached.
                    Host::Name(_) => {
                        return self.hang_up(now, call, crate::call::ReleasedBy::System, 503)
                    }
                };
                if self
                    .place_leg(now, call, Party::Destination, Uri::Sip(target), peer, &[])
                    .is_none()
                {
                    self.hang_up(now, call, crate::call::ReleasedBy::System, 503);
                }
            }
            Route::Extension(number) => self.ring_extension(now, call, &number),
            Route::Queue(queue) => {
                self.answer_caller(now, call);
                self.enqueue(now, call, queue);
            }
            Route::Flow(flow) => self.start_walk(now, call, &flow),
        }
    }

    /// Rings every registered device of an extension; 480 when none is registered.
    pub(crate) fn ring_extension(&mut self, now: u64, call: CallRef, number: &str) {
        let Some(tenant) = self.calls.get(&call).map(|c| c.tenant) else {
            return;
        };
        let Some(agent) = self.directory.extension(tenant, number).map(|e| e.agent) else {
            return self.hang_up(now, call, crate::call::ReleasedBy::System, 404);
        };
        let placed = self.ring_devices(now, call, tenant, number, agent, &[]);
        if placed == 0 {
            self.hang_up(now, call, crate::call::ReleasedBy::System, 480);
        }
    }
}

/// The number dialled: the Request-URI's user part (a `tel:` URI's number).
fn dialled(req: &Request) -> Option<String> {
    match &req.uri {
        Uri::Sip(u) => u
            .user_decoded()
            .map(|u| u.split(';').next().unwrap_or("").to_owned()),
        Uri::Tel(t) => Some(t.split(';').next().unwrap_or("").to_owned()),
        Uri::Other { .. } => None,
    }
}
