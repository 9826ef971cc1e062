//! Handing the customer to something other than an agent (V5): an outside number through
//! a trunk (the tenant's destination rules apply, as to any outbound call), an IVR flow (or
//! one of its nodes, e.g. "enter your card number"), or the satisfaction survey. The
//! agent's leg is released and their contact ends; the call goes on without them.

use switchboard_engine::ids::{IvrFlowId, TenantId, UserId};

use crate::call::{CallEvent, CallRef, CallState, Party, ReleasedBy};
use crate::control::ControlError;
use crate::directory::TrunkOutbound;
use crate::media::MediaCommand;
use crate::outbound::DialError;
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
        let (number, via) = self.outside(tenant, number, caller_number)?;
        let (target, peer) = via.target(&number);
        let from = self.hand_out(now, call, CallState::Connecting);
        if let Some(c) = self.calls.get_mut(&call) {
            c.presenting = Some(caller_number.to_owned());
            let caller = c.caller_leg;
            self.outputs
                .push_back(Output::Media(MediaCommand::Music { leg: caller }));
        }
        match self.place_leg(now, call, Party::Destination, target, peer, &[]) {
            Some(leg) => self.through_trunk(leg, &via),
            None => self.hang_up(now, call, ReleasedBy::System, 503),
        }
        self.handed_out(call, from, HandOut::Number(number));
        Ok(())
    }

    /// An outside number the tenant's rules allow, through the trunk of `caller_number`:
    /// the number normalized, the Request-URI and where to send the INVITE.
    pub(crate) fn outside(
        &self,
        tenant: TenantId,
        number: &str,
        caller_number: &str,
    ) -> Result<(String, TrunkOutbound), ControlError> {
        let (number, via) =
            self.outside_route(tenant, number, caller_number)
                .map_err(|e| match e {
                    DialError::BadNumber => ControlError::BadNumber,
                    DialError::NoTrunk => ControlError::NoTrunk,
                    DialError::Refused(_) => ControlError::DestinationRefused,
                    _ => ControlError::NotOutboundNumber,
                })?;
        Ok((number, via))
    }

    /// The customer walks an IVR flow again, from `node` or its start.
    pub(crate) fn send_to_flow(
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
    pub(crate) fn send_to_survey(&mut self, now: u64, call: CallRef) -> Result<(), ControlError> {
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
