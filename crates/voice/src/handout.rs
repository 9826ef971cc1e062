//! Handing the customer to something other than an agent (V5): an outside number through
//! a trunk (the tenant's destination rules apply, as to any outbound call), an IVR flow (or
//! one of its nodes, e.g. "enter your card number"), or the satisfaction survey. The
//! agent's leg is released and their contact ends; the call goes on without them.

use switchboard_engine::ids::{IvrFlowId, UserId};
use switchboard_sip::transaction::Peer;
use switchboard_sip::uri::Host;
use switchboard_sip::{SipUri, Uri};

use crate::call::{CallEvent, CallRef, CallState, Party, ReleasedBy};
use crate::control::ControlError;
use crate::directory::{normalize_number, COUNTRY_CODE};
use crate::media::MediaCommand;
use crate::outbound::Outbound;
use crate::switch::{Output, Switch};

/// Where the customer was handed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandOut {
    /// An outside number (normalized), through the trunk of the presented caller number.
    Number(String),
    /// An IVR flow, by name.
    Flow(String),
    Survey,
}

impl Switch {
    /// Blind transfer to an outside number: the customer hears music until it answers.
    pub(crate) fn transfer_out(
        &mut self,
        now: u64,
        call: CallRef,
        number: &str,
        caller_number: &str,
    ) -> Result<(), ControlError> {
        let tenant = self
            .calls
            .get(&call)
            .ok_or(ControlError::NoSuchCall)?
            .tenant;
        let number = normalize_number(number, COUNTRY_CODE).ok_or(ControlError::BadNumber)?;
        let via = self.outbound_trunk_of(tenant, caller_number)?;
        if self
            .directory
            .outbound_policy(tenant)
            .check(&number)
            .is_err()
        {
            return Err(ControlError::DestinationRefused);
        }
        let host = match via.domain.parse() {
            Ok(ip) => Host::Ip(ip),
            Err(_) => Host::Name(via.domain.clone()),
        };
        let target = Uri::Sip(SipUri::new(Some(number.as_str()), host, None));
        let peer = Peer::udp(via.proxy);
        let from = self.hand_out(now, call, CallState::Connecting);
        if let Some(c) = self.calls.get_mut(&call) {
            c.outbound = Some(Outbound {
                number: number.clone(),
                via,
                presented: caller_number.to_owned(),
            });
            let caller = c.caller_leg;
            self.outputs
                .push_back(Output::Media(MediaCommand::Music { leg: caller }));
        }
        if self
            .place_leg(now, call, Party::Destination, target, peer, &[])
            .is_none()
        {
            self.hang_up(now, call, ReleasedBy::System, 503);
        }
        self.handed_out(call, from, HandOut::Number(number));
        Ok(())
    }

    /// The customer walks an IVR flow again, from `node` or its start.
    pub(crate) fn to_flow(
        &mut self,
        now: u64,
        call: CallRef,
        flow: IvrFlowId,
        node: Option<&str>,
    ) -> Result<(), ControlError> {
        let tenant = self
            .calls
            .get(&call)
            .ok_or(ControlError::NoSuchCall)?
            .tenant;
        let mut flow = self
            .directory
            .flow(tenant, flow)
            .map(|f| (**f).clone())
            .ok_or(ControlError::NoSuchFlow)?;
        if let Some(node) = node {
            if !flow.nodes.contains_key(node) {
                return Err(ControlError::NoSuchFlow);
            }
            flow.start = node.to_owned();
        }
        let name = flow.name.clone();
        let from = self.hand_out(now, call, CallState::Ivr);
        self.start_walk(now, call, &flow);
        self.handed_out(call, from, HandOut::Flow(name));
        Ok(())
    }

    /// The customer is asked to rate the service now, whether or not the number asks.
    pub(crate) fn to_survey(&mut self, now: u64, call: CallRef) -> Result<(), ControlError> {
        let agent = self.agent_on(call).ok_or(ControlError::NotConnected)?;
        if let Some(c) = self.calls.get_mut(&call) {
            c.survey = true;
        }
        let by = ReleasedBy::Callee(Party::Agent(agent));
        if !self.start_survey(now, call, &by) {
            return Err(ControlError::NotConnected);
        }
        self.handed_out(call, Some(agent), HandOut::Survey);
        Ok(())
    }

    /// Takes the agent (and anyone consulted or monitoring) off the call, now in `state`;
    /// who the agent was.
    fn hand_out(&mut self, now: u64, call: CallRef, state: CallState) -> Option<UserId> {
        let from = self.agent_on(call);
        self.leave_caller_alone(now, call);
        if let Some(c) = self.calls.get_mut(&call) {
            c.state = state;
        }
        from
    }

    fn handed_out(&mut self, call: CallRef, from: Option<UserId>, to: HandOut) {
        self.outputs
            .push_back(Output::Call(CallEvent::HandedOut { call, from, to }));
    }
}
