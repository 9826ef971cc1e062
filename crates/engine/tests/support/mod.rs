//! A simulated world for driving the engine: deterministic ids, a clock we move by hand.
#![allow(dead_code)]

use switchboard_engine::acd::*;
use switchboard_engine::*;
use uuid::Uuid;

pub struct World {
    pub engine: Engine,
    pub now: Millis,
    pub events: Vec<Event>,
}

pub fn agent(n: u128) -> UserId {
    UserId(Uuid::from_u128(0xA000 + n))
}
pub fn queue(n: u128) -> SkillQueueId {
    SkillQueueId(Uuid::from_u128(0xB000 + n))
}
pub fn contact(n: u128) -> ContactId {
    ContactId(Uuid::from_u128(0xC000 + n))
}

pub fn level(n: i64) -> SkillLevel {
    SkillLevel::new(n).unwrap()
}

impl World {
    pub fn new(params: TenantParams) -> Self {
        World {
            engine: Engine::new(params, 1_000_000),
            now: 1_000_000,
            events: Vec::new(),
        }
    }

    pub fn with_defaults() -> Self {
        Self::new(TenantParams::default())
    }

    pub fn try_cmd(&mut self, cmd: Command) -> Result<(), EngineError> {
        let result = self.engine.handle(self.now, cmd);
        self.drain();
        self.engine.check_invariants().unwrap();
        result
    }

    pub fn cmd(&mut self, cmd: Command) {
        self.try_cmd(cmd.clone())
            .unwrap_or_else(|e| panic!("{cmd:?} failed: {e}"));
    }

    pub fn drain(&mut self) {
        while let Some(e) = self.engine.poll_event() {
            self.events.push(e);
        }
    }

    /// Moves the clock forward, firing due timers.
    pub fn advance(&mut self, ms: Millis) {
        self.now += ms;
        self.engine.handle_timeout(self.now);
        self.drain();
        self.engine.check_invariants().unwrap();
    }

    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    pub fn add_agent(&mut self, n: u128, chat_limit: i64) {
        self.cmd(Command::UpsertAgent(AgentConfig {
            id: agent(n),
            chat_limit: ChatLimit::new(chat_limit).unwrap(),
            params: AgentParams::default(),
        }));
    }

    pub fn add_queue(
        &mut self,
        n: u128,
        channel: Channel,
        strategy: RoutingStrategy,
        agents: &[(u128, i64)],
    ) {
        self.add_queue_with(n, channel, strategy, 50, agents, |_| {});
    }

    pub fn add_queue_with(
        &mut self,
        n: u128,
        channel: Channel,
        strategy: RoutingStrategy,
        priority: i64,
        agents: &[(u128, i64)],
        tweak: impl FnOnce(&mut QueueConfig),
    ) {
        let mut config = QueueConfig {
            id: queue(n),
            channel,
            strategy,
            priority: QueuePriority::new(priority).unwrap(),
            max_queue_len: None,
            max_wait_s: None,
            overflow: None,
            agents: agents.iter().map(|(a, l)| (agent(*a), level(*l))).collect(),
        };
        tweak(&mut config);
        self.cmd(Command::UpsertQueue(config));
    }

    pub fn sign_in(&mut self, n: u128) {
        self.cmd(Command::SignIn {
            agent: agent(n),
            queues: None,
        });
    }

    pub fn new_contact(n: u128, q: u128, channel: Channel, priority: i64) -> NewContact {
        NewContact {
            id: contact(n),
            channel,
            direction: Direction::Inbound,
            queue: queue(q),
            priority: CustomerPriority::new(priority).unwrap(),
            customer: None,
            familiar_agent: None,
        }
    }

    pub fn create(&mut self, n: u128, q: u128, channel: Channel) {
        self.cmd(Command::CreateContact(Self::new_contact(n, q, channel, 0)));
    }

    pub fn create_prio(&mut self, n: u128, q: u128, channel: Channel, priority: i64) {
        self.cmd(Command::CreateContact(Self::new_contact(
            n, q, channel, priority,
        )));
    }

    /// The agent a contact is currently offered to or connected with.
    pub fn holder(&self, n: u128) -> Option<UserId> {
        match self.engine.contact_view(contact(n))?.phase {
            ContactPhase::Offered { agent, .. }
            | ContactPhase::Connected { agent, .. }
            | ContactPhase::WrapUp { agent, .. } => Some(agent),
            _ => None,
        }
    }

    pub fn phase(&self, n: u128) -> Option<ContactPhase> {
        self.engine.contact_view(contact(n)).map(|v| v.phase)
    }

    pub fn state(&self, n: u128) -> AgentState {
        self.engine.agent_view(agent(n)).unwrap().state
    }

    pub fn answer(&mut self, a: u128, c: u128) {
        self.cmd(Command::Answer {
            agent: agent(a),
            contact: contact(c),
        });
    }

    pub fn release(&mut self, a: u128, c: u128) {
        self.cmd(Command::Release {
            contact: contact(c),
            agent: Some(agent(a)),
            by: ReleasedBy::Agent,
        });
    }

    pub fn continue_working(&mut self, a: u128) {
        self.cmd(Command::ContinueWorking {
            agent: agent(a),
            contact: None,
        });
    }

    pub fn set(&mut self, a: u128, presence: RequestedPresence) {
        self.cmd(Command::SetPresence {
            agent: agent(a),
            presence,
            reason: None,
        });
    }

    pub fn offers(&self) -> Vec<(ContactId, UserId)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::ContactOffered { contact, agent, .. } => Some((*contact, *agent)),
                _ => None,
            })
            .collect()
    }
}
