//! Call records (V13): the actor tells `Records` what happened to each call and leg as its
//! outputs go by (a call started, queued, answered, recorded, ended; a leg opened, was
//! bridged, closed, and what its media received); `Records` keeps the live calls' records
//! and hands each changed row to a writer task, which stores them in order, batching what
//! piled up. Nothing here waits on the database, so the SIP actor never does.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use switchboard_engine::{ContactId, SkillQueueId, TenantId, UserId};
use switchboard_media::leg::Leg as MediaLeg;
use switchboard_media::stats::StatsMark;
use switchboard_sip::sdp::Codec;
use switchboard_storage::{
    CallDirection, CallHandoff, CallLeg, CallParty, CallRecord, CallReleasedBy, CallSurvey,
    HandoffKind, LegQuality, Millis, Storage,
};
use switchboard_voice::call::CallRef;
use switchboard_voice::handout::HandOut;
use switchboard_voice::{LegId, Party, ReleasedBy};
use tokio::sync::mpsc;
use uuid::Uuid;

/// How long an ended call waits for its legs' quality before it is forgotten.
const STALE_MS: Millis = 10 * 60 * 1000;

/// A row to store.
enum Write {
    Record(TenantId, CallRecord),
    Leg(TenantId, CallLeg),
}

/// What the media runner measured on a leg since `mark`: the whole leg as it closed
/// (`StatsMark::default()`), or the stretch of an agent's standing line that one call had.
/// Jitter is the running estimate as it stands.
pub fn quality_since(leg: &MediaLeg, mark: StatsMark) -> LegQuality {
    let stats = leg.stats();
    let packets = i64::try_from(stats.packets_since(mark)).unwrap_or(i64::MAX);
    LegQuality {
        packets,
        lost: stats.lost_since(mark),
        jitter_ms: stats.jitter_duration().as_secs_f64() * 1_000.0,
        mos_x100: (packets > 0).then(|| (leg.mos_since(mark) * 100.0).round() as i64),
    }
}

struct LiveCall {
    tenant: TenantId,
    record: CallRecord,
    legs: HashMap<LegId, CallLeg>,
    /// When the recording began.
    recording_from: Option<Millis>,
    callee: Option<LegId>,
}

/// A leg opened before its call's `Started` (the switch opens the caller's media first).
struct EarlyLeg {
    leg: LegId,
    party: Option<Party>,
    codec: Codec,
    at: Millis,
}

pub struct Records {
    writes: mpsc::UnboundedSender<Write>,
    calls: HashMap<CallRef, LiveCall>,
    by_leg: HashMap<LegId, CallRef>,
    /// Legs whose media failed to open: done once their SIP side closes.
    no_media: HashSet<LegId>,
    early: HashMap<CallRef, Vec<EarlyLeg>>,
    /// Agents' standing lines serving a call: their leg is done once the media reports the
    /// quality of the call's stretch of the line.
    lines: HashSet<LegId>,
}

fn party_of(p: &Party) -> (CallParty, Option<UserId>) {
    match p {
        Party::Caller => (CallParty::Caller, None),
        // The customer an agent called out to is the call's destination.
        Party::Destination | Party::Customer => (CallParty::Destination, None),
        Party::Agent(a) => (CallParty::Agent, Some(*a)),
    }
}

fn codec_name(c: Codec) -> &'static str {
    match c {
        Codec::Pcmu => "PCMU",
        Codec::Pcma => "PCMA",
    }
}

impl Records {
    /// Starts the writer task on `store`.
    pub fn start(store: Arc<dyn Storage>) -> Records {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(write(store, rx));
        Records {
            writes: tx,
            calls: HashMap::new(),
            by_leg: HashMap::new(),
            no_media: HashSet::new(),
            early: HashMap::new(),
            lines: HashSet::new(),
        }
    }

    fn save_record(&self, call: CallRef) {
        if let Some(c) = self.calls.get(&call) {
            let _ = self.writes.send(Write::Record(c.tenant, c.record.clone()));
        }
    }

    fn save_leg(&self, call: CallRef, leg: LegId) {
        if let Some(c) = self.calls.get(&call) {
            if let Some(l) = c.legs.get(&leg) {
                let _ = self.writes.send(Write::Leg(c.tenant, l.clone()));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn started(
        &mut self,
        call: CallRef,
        tenant: TenantId,
        id: Uuid,
        caller: &str,
        dialled: &str,
        direction: CallDirection,
        placed_by: Option<UserId>,
        now: Millis,
    ) {
        let record = CallRecord {
            id,
            caller: caller.to_owned(),
            dialled: dialled.to_owned(),
            direction,
            started_at: now,
            answered_at: None,
            ended_at: None,
            queue: None,
            queued_at: None,
            wait_ms: None,
            // A call an agent's phone placed is that agent's.
            agent: placed_by,
            released_by: None,
            end_status: None,
            contact: None,
            recording: false,
            recording_ms: None,
            ivr_path: String::new(),
            variables: Vec::new(),
            survey: None,
            survey_score: None,
            handoffs: Vec::new(),
        };
        self.calls.insert(
            call,
            LiveCall {
                tenant,
                record,
                legs: HashMap::new(),
                recording_from: None,
                callee: None,
            },
        );
        self.save_record(call);
        for e in self.early.remove(&call).unwrap_or_default() {
            self.leg_opened(call, e.leg, e.party, e.codec, e.at);
        }
    }

    /// A leg's media opened: the caller's as their INVITE arrived, ours as we placed it.
    pub fn leg_opened(
        &mut self,
        call: CallRef,
        leg: LegId,
        party: Option<Party>,
        codec: Codec,
        now: Millis,
    ) {
        let Some(c) = self.calls.get_mut(&call) else {
            // Bounded: a call that never starts leaves at most a few legs behind here.
            if self.early.len() < 10_000 {
                self.early.entry(call).or_default().push(EarlyLeg {
                    leg,
                    party,
                    codec,
                    at: now,
                });
            }
            return;
        };
        let (party, agent) = match &party {
            // The caller of an outbound call is the agent who placed it.
            Some(Party::Caller) if c.record.direction == CallDirection::Outbound => {
                (CallParty::Agent, c.record.agent)
            }
            Some(p) => party_of(p),
            None if c.legs.is_empty() => (CallParty::Caller, None),
            None => (CallParty::Destination, None),
        };
        c.legs.insert(
            leg,
            CallLeg {
                id: Uuid::now_v7(),
                call: c.record.id,
                party,
                agent,
                codec: codec_name(codec).to_owned(),
                ring_at: now,
                answered_at: None,
                ended_at: None,
                quality: None,
            },
        );
        self.by_leg.insert(leg, call);
        self.save_leg(call, leg);
    }

    /// The leg's format as negotiated (ours is offered as PCMU until the answer says).
    pub fn leg_codec(&mut self, leg: LegId, codec: Codec) {
        let Some(&call) = self.by_leg.get(&leg) else {
            return;
        };
        let name = codec_name(codec);
        let changed = self
            .calls
            .get_mut(&call)
            .and_then(|c| c.legs.get_mut(&leg))
            .filter(|l| l.codec != name)
            .map(|l| l.codec = name.to_owned())
            .is_some();
        if changed {
            self.save_leg(call, leg);
        }
    }

    /// Prompts play on the leg: it was answered (the IVR answers the caller first).
    pub fn prompted(&mut self, leg: LegId, now: Millis) {
        self.leg_answered(leg, now);
    }

    fn leg_answered(&mut self, leg: LegId, now: Millis) {
        let Some(&call) = self.by_leg.get(&leg) else {
            return;
        };
        let changed = self
            .calls
            .get_mut(&call)
            .and_then(|c| c.legs.get_mut(&leg))
            .filter(|l| l.answered_at.is_none())
            .map(|l| l.answered_at = Some(now))
            .is_some();
        if changed {
            self.save_leg(call, leg);
        }
    }

    /// The call waits in `queue`, after the IVR `path` and what was keyed in its `variables`.
    pub fn queued(
        &mut self,
        call: CallRef,
        queue: SkillQueueId,
        path: &str,
        variables: &[(String, String)],
        now: Millis,
    ) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        c.record.queue = Some(queue);
        c.record.queued_at = Some(now);
        c.record.ivr_path = path.to_owned();
        c.record.variables = variables.to_vec();
        let caller = c
            .legs
            .iter()
            .find(|(_, l)| l.party == CallParty::Caller)
            .map(|(id, _)| *id);
        self.save_record(call);
        // The queue answered the caller.
        if let Some(leg) = caller {
            self.leg_answered(leg, now);
        }
    }

    /// The bridge made the queued call this contact of the routing engine.
    pub fn contact(&mut self, call: CallRef, contact: ContactId) {
        if let Some(c) = self.calls.get_mut(&call) {
            c.record.contact = Some(contact);
            self.save_record(call);
        }
    }

    /// An agent's standing line is bridged to `caller`: for this call it is the agent's
    /// leg, from now until the call ends, and its quality is that of this stretch of the
    /// line (the media reports it when the call's own leg closes).
    pub fn line_joined(
        &mut self,
        caller: LegId,
        line: LegId,
        agent: UserId,
        codec: Codec,
        now: Millis,
    ) {
        let Some(&call) = self.by_leg.get(&caller) else {
            return;
        };
        if let Some(&previous) = self.by_leg.get(&line) {
            if previous == call {
                return;
            }
            // The line's last call never had its stretch reported: it goes without.
            self.lines.remove(&line);
            self.finish(line);
        }
        self.leg_opened(call, line, Some(Party::Agent(agent)), codec, now);
        self.lines.insert(line);
    }

    /// Two legs hear each other: both are answered, `b` is the callee.
    pub fn bridged(&mut self, a: LegId, b: LegId, now: Millis) {
        if let Some(c) = self
            .by_leg
            .get(&b)
            .and_then(|call| self.calls.get_mut(call))
        {
            c.callee = Some(b);
        }
        self.leg_answered(a, now);
        self.leg_answered(b, now);
    }

    /// An agent (or, with `None`, a destination or extension) answered.
    pub fn answered(&mut self, call: CallRef, agent: Option<UserId>, now: Millis) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        let callee_agent = c.callee.and_then(|l| c.legs.get(&l)).and_then(|l| l.agent);
        c.record.answered_at.get_or_insert(now);
        // An outbound call stays with the agent who placed it.
        if c.record.direction == CallDirection::Inbound || c.record.agent.is_none() {
            c.record.agent = agent.or(callee_agent).or(c.record.agent);
        }
        if let Some(q) = c.record.queued_at {
            c.record.wait_ms.get_or_insert(now - q);
        }
        self.save_record(call);
    }

    /// The customer went on with another agent (an attended transfer): they are the call's
    /// agent from now on.
    pub fn handed_over(&mut self, call: CallRef, from: Option<UserId>, to: UserId, now: Millis) {
        if let Some(c) = self.calls.get_mut(&call) {
            c.record.agent = Some(to);
            c.record.handoffs.push(CallHandoff {
                at: now,
                kind: HandoffKind::Attended,
                from,
                to_agent: Some(to),
                to_queue: None,
                to_target: None,
            });
            self.save_record(call);
        }
    }

    /// The agent handed the call on blind: to `queue`, or to the agent `to`.
    pub fn requeued(
        &mut self,
        call: CallRef,
        from: Option<UserId>,
        queue: SkillQueueId,
        to: Option<UserId>,
        now: Millis,
    ) {
        if let Some(c) = self.calls.get_mut(&call) {
            c.record.handoffs.push(CallHandoff {
                at: now,
                kind: HandoffKind::Blind,
                from,
                to_agent: to,
                to_queue: Some(queue),
                to_target: None,
            });
            self.save_record(call);
        }
    }

    /// The agent handed the call out of the center: an outside number, an IVR flow, the
    /// survey. The record keeps its agent (the last one who served it).
    pub fn handed_out(&mut self, call: CallRef, from: Option<UserId>, to: &HandOut, now: Millis) {
        let (kind, target) = match to {
            HandOut::Number(n) => (HandoffKind::External, n.clone()),
            HandOut::Flow(name) => (HandoffKind::Ivr, name.clone()),
            HandOut::Survey => (HandoffKind::Ivr, "survey".to_owned()),
        };
        if let Some(c) = self.calls.get_mut(&call) {
            c.record.handoffs.push(CallHandoff {
                at: now,
                kind,
                from,
                to_agent: None,
                to_queue: None,
                to_target: Some(target),
            });
            self.save_record(call);
        }
    }

    /// The survey's outcome.
    pub fn rated(&mut self, call: CallRef, score: Option<u8>) {
        if let Some(c) = self.calls.get_mut(&call) {
            c.record.survey = Some(match score {
                Some(_) => CallSurvey::Rated,
                None => CallSurvey::NotRated,
            });
            c.record.survey_score = score;
            self.save_record(call);
        }
    }

    pub fn recording(&mut self, call: CallRef, now: Millis) {
        if let Some(c) = self.calls.get_mut(&call) {
            c.record.recording = true;
            c.recording_from.get_or_insert(now);
            self.save_record(call);
        }
    }

    pub fn ended(&mut self, call: CallRef, by: &ReleasedBy, status: u16, now: Millis) {
        let Some(c) = self.calls.get_mut(&call) else {
            return;
        };
        let r = &mut c.record;
        r.ended_at = Some(now);
        r.released_by = Some(match by {
            ReleasedBy::Caller | ReleasedBy::Callee(Party::Caller) => CallReleasedBy::Caller,
            ReleasedBy::Callee(Party::Agent(_)) => CallReleasedBy::Agent,
            ReleasedBy::Callee(Party::Destination | Party::Customer) => CallReleasedBy::Destination,
            ReleasedBy::System => CallReleasedBy::System,
        });
        r.end_status = Some(status);
        if let (None, Some(q)) = (r.wait_ms, r.queued_at) {
            r.wait_ms = Some(now - q);
        }
        r.recording_ms = c.recording_from.map(|from| now - from);
        let lines: Vec<LegId> = c
            .legs
            .keys()
            .filter(|l| self.lines.contains(l))
            .copied()
            .collect();
        self.save_record(call);
        // A line leaves the call, not the phone: its leg ends here, and the quality of
        // its stretch follows from the media.
        for line in lines {
            if let Some(l) = self
                .calls
                .get_mut(&call)
                .and_then(|c| c.legs.get_mut(&line))
            {
                l.ended_at.get_or_insert(now);
            }
            self.save_leg(call, line);
        }
        self.forget_if_done(call);
        self.forget_stale(now);
    }

    /// Ended calls whose media never reported (a media task gone) are not kept for ever.
    fn forget_stale(&mut self, now: Millis) {
        let before = self.calls.len();
        self.calls
            .retain(|_, c| c.record.ended_at.is_none_or(|e| now - e < STALE_MS));
        if self.calls.len() != before {
            let calls = &self.calls;
            self.by_leg.retain(|_, call| calls.contains_key(call));
            let by_leg = &self.by_leg;
            self.no_media.retain(|leg| by_leg.contains_key(leg));
        }
    }

    /// A leg's SIP side is over; its media reports its quality next.
    pub fn leg_closed(&mut self, leg: LegId, now: Millis) {
        let Some(&call) = self.by_leg.get(&leg) else {
            return;
        };
        if let Some(l) = self.calls.get_mut(&call).and_then(|c| c.legs.get_mut(&leg)) {
            l.ended_at.get_or_insert(now);
        }
        self.save_leg(call, leg);
        // A leg without media reports nothing more.
        if self.no_media.remove(&leg) {
            self.finish(leg);
        }
    }

    /// The leg's media could not open: its SIP side goes on, but no quality will come.
    pub fn media_failed(&mut self, leg: LegId) {
        if self.by_leg.contains_key(&leg) {
            self.no_media.insert(leg);
        }
    }

    /// What the leg's media received, reported as it closed (or, for a standing line, as
    /// its call's own leg closed, which ends the line's part in the call). The leg is done.
    pub fn quality(&mut self, leg: LegId, quality: Option<LegQuality>, now: Millis) {
        let Some(&call) = self.by_leg.get(&leg) else {
            return;
        };
        let line = self.lines.remove(&leg);
        if let Some(l) = self.calls.get_mut(&call).and_then(|c| c.legs.get_mut(&leg)) {
            if line {
                l.ended_at.get_or_insert(now);
            }
            if quality.is_some() {
                l.quality = quality;
            }
        }
        if quality.is_some() || line {
            self.save_leg(call, leg);
        }
        self.finish(leg);
    }

    /// A leg all of whose record is written.
    fn finish(&mut self, leg: LegId) {
        self.no_media.remove(&leg);
        let Some(call) = self.by_leg.remove(&leg) else {
            return;
        };
        if let Some(c) = self.calls.get_mut(&call) {
            c.legs.remove(&leg);
        }
        self.forget_if_done(call);
    }

    /// An ended call whose legs all reported is written completely.
    fn forget_if_done(&mut self, call: CallRef) {
        let done = self
            .calls
            .get(&call)
            .is_some_and(|c| c.record.ended_at.is_some() && c.legs.is_empty());
        if done {
            self.calls.remove(&call);
            self.early.remove(&call);
        }
    }
}

/// Stores what piled up in one transaction: the last version of each row of the batch,
/// calls' rows before legs' (a leg needs its call).
async fn write(store: Arc<dyn Storage>, mut rx: mpsc::UnboundedReceiver<Write>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
            if batch.len() >= 512 {
                break;
            }
        }
        let mut records: Vec<(TenantId, CallRecord)> = Vec::new();
        let mut legs: Vec<(TenantId, CallLeg)> = Vec::new();
        for w in batch {
            match w {
                Write::Record(t, r) => match records.iter_mut().find(|(_, x)| x.id == r.id) {
                    Some(slot) => slot.1 = r,
                    None => records.push((t, r)),
                },
                Write::Leg(t, l) => match legs.iter_mut().find(|(_, x)| x.id == l.id) {
                    Some(slot) => slot.1 = l,
                    None => legs.push((t, l)),
                },
            }
        }
        // One transaction for the batch; should it fail, row by row, so one bad row costs
        // only itself.
        if store.save_call_rows(&records, &legs).await.is_ok() {
            continue;
        }
        for (tenant, r) in &records {
            if let Err(e) = store.save_call_record(*tenant, r).await {
                tracing::warn!(error = %e, call = %r.id, "a call record could not be stored");
            }
        }
        for (tenant, l) in &legs {
            if let Err(e) = store.save_call_leg(*tenant, l).await {
                tracing::warn!(error = %e, call = %l.call, "a call leg could not be stored");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

    use std::time::Duration;

    use switchboard_engine::TenantName;

    use super::*;

    /// What the actor tells `Records` for a queued call an agent answers and the caller ends,
    /// in the switch's order (the caller's media opens before the call starts), ends up
    /// stored whole, and the call is forgotten once its legs reported.
    #[tokio::test]
    async fn a_call_is_stored_as_it_goes_and_forgotten_when_done() {
        let s = switchboard_storage::testing::sqlite_store().await;
        let tenant = s
            .create_tenant(&TenantName::parse("acme").unwrap(), "Acme", 0)
            .await
            .unwrap()
            .id;
        let mut r = Records::start(s.store.clone());
        let (call, id) = (CallRef(1), Uuid::now_v7());
        let (caller, agent_leg) = (LegId(2), LegId(3));
        let (agent, queue, contact) = (UserId::new(), SkillQueueId::new(), ContactId::new());
        r.leg_opened(call, caller, Some(Party::Caller), Codec::Pcma, 1_000);
        r.started(
            call,
            tenant,
            id,
            "13800138000",
            "4000",
            CallDirection::Inbound,
            None,
            1_000,
        );
        let keyed = vec![("order".to_owned(), "12345".to_owned())];
        r.queued(call, queue, "主菜单 → 1 售前", &keyed, 1_010);
        r.contact(call, contact);
        r.leg_opened(
            call,
            agent_leg,
            Some(Party::Agent(agent)),
            Codec::Pcmu,
            1_500,
        );
        r.leg_codec(agent_leg, Codec::Pcma);
        r.bridged(caller, agent_leg, 4_010);
        r.answered(call, Some(agent), 4_010);
        r.recording(call, 4_010);
        r.ended(call, &ReleasedBy::Caller, 200, 64_010);
        r.leg_closed(caller, 64_020);
        r.leg_closed(agent_leg, 64_030);
        let q = LegQuality {
            packets: 3_000,
            lost: 2,
            jitter_ms: 1.5,
            mos_x100: Some(437),
        };
        r.quality(caller, Some(q), 9_000);
        assert!(
            r.calls.contains_key(&call),
            "waits for the agent leg's quality"
        );
        r.quality(agent_leg, None, 9_000);
        assert!(r.calls.is_empty() && r.by_leg.is_empty() && r.early.is_empty());

        let mut stored = None;
        for _ in 0..200 {
            let legs = s.call_legs(tenant, id).await.unwrap();
            if legs.len() == 2 && legs[0].quality.is_some() {
                stored = Some((s.call_record(tenant, id).await.unwrap().unwrap(), legs));
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let (record, legs) = stored.expect("the writer stored the call");
        assert_eq!(
            record,
            CallRecord {
                id,
                caller: "13800138000".into(),
                dialled: "4000".into(),
                direction: CallDirection::Inbound,
                started_at: 1_000,
                answered_at: Some(4_010),
                ended_at: Some(64_010),
                queue: Some(queue),
                queued_at: Some(1_010),
                wait_ms: Some(3_000),
                agent: Some(agent),
                released_by: Some(CallReleasedBy::Caller),
                end_status: Some(200),
                contact: Some(contact),
                recording: true,
                recording_ms: Some(60_000),
                ivr_path: "主菜单 → 1 售前".into(),
                variables: keyed,
                survey: None,
                survey_score: None,
                handoffs: Vec::new(),
            }
        );
        assert_eq!(
            (legs[0].party, legs[0].answered_at, legs[0].ended_at),
            (CallParty::Caller, Some(1_010), Some(64_020)),
            "the queue answered the caller"
        );
        assert_eq!(legs[0].quality, Some(q));
        assert_eq!(
            (legs[1].party, legs[1].agent, legs[1].codec.as_str()),
            (CallParty::Agent, Some(agent), "PCMA")
        );
        assert_eq!(
            (legs[1].ring_at, legs[1].answered_at, legs[1].quality),
            (1_500, Some(4_010), None)
        );
    }
}

#[cfg(test)]
mod outbound {
    #![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

    use switchboard_engine::TenantName;

    use super::*;

    /// A call an agent's phone placed is that agent's call, its caller leg theirs, even when
    /// another agent answers it.
    #[tokio::test]
    async fn an_agents_own_call_is_theirs() {
        let s = switchboard_storage::testing::sqlite_store().await;
        let tenant = s
            .create_tenant(&TenantName::parse("acme").unwrap(), "Acme", 0)
            .await
            .unwrap()
            .id;
        let mut r = Records::start(s.store.clone());
        let (me, colleague) = (UserId::new(), UserId::new());
        let call = CallRef(7);
        r.leg_opened(call, LegId(8), Some(Party::Caller), Codec::Pcmu, 0);
        r.started(
            call,
            tenant,
            Uuid::now_v7(),
            "1001",
            "1002",
            CallDirection::Outbound,
            Some(me),
            0,
        );
        r.leg_opened(
            call,
            LegId(9),
            Some(Party::Agent(colleague)),
            Codec::Pcmu,
            5,
        );
        r.bridged(LegId(8), LegId(9), 900);
        r.answered(call, None, 900);
        let c = &r.calls[&call];
        assert_eq!(c.record.agent, Some(me));
        assert_eq!(c.record.direction, CallDirection::Outbound);
        assert_eq!(
            (c.legs[&LegId(8)].party, c.legs[&LegId(8)].agent),
            (CallParty::Agent, Some(me))
        );
        assert_eq!(c.legs[&LegId(9)].agent, Some(colleague));
    }
}

#[cfg(test)]
mod no_media {
    #![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

    use switchboard_engine::TenantName;

    use super::*;

    /// A leg whose media failed to open keeps its times and is done when its SIP side ends.
    #[tokio::test]
    async fn a_leg_without_media_ends_without_quality() {
        let s = switchboard_storage::testing::sqlite_store().await;
        let tenant = s
            .create_tenant(&TenantName::parse("acme").unwrap(), "Acme", 0)
            .await
            .unwrap()
            .id;
        let mut r = Records::start(s.store.clone());
        let call = CallRef(1);
        r.leg_opened(call, LegId(2), Some(Party::Caller), Codec::Pcma, 0);
        r.started(
            call,
            tenant,
            Uuid::now_v7(),
            "+86138",
            "4000",
            CallDirection::Inbound,
            None,
            0,
        );
        r.media_failed(LegId(2));
        r.ended(call, &ReleasedBy::System, 500, 100);
        assert!(r.calls.contains_key(&call), "the leg has not closed yet");
        r.leg_closed(LegId(2), 120);
        assert!(r.calls.is_empty() && r.by_leg.is_empty() && r.no_media.is_empty());
    }
}
