//! One routing engine per tenant, each owned by a single writer task (the actor). Handlers
//! talk to it by command and read it through closures run on that task; nothing else
//! touches an engine. Every turn's changes are stored in one transaction before anyone
//! hears of them, so an acknowledged command is durable.

mod actor;
pub(crate) mod load;
pub mod recall;
pub mod render;
pub mod stats;
pub(crate) mod turn;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use switchboard_engine::acd::{Command, Engine, EngineError, NewContact};
use switchboard_engine::{ContactId, TenantId};
use switchboard_storage::{ContactSummary, Storage};
use tokio::sync::{mpsc, oneshot};

pub use load::{agent_config, queue_config};

use crate::clock::Clock;
use crate::events::EventHub;

/// What a contact is about, beyond what routing needs (stored with it).
#[derive(Debug, Clone, Default)]
pub struct ContactMeta {
    pub title: Option<String>,
    pub link: Option<String>,
    /// A JSON object of custom data.
    pub data: String,
}

/// Why a command did not take effect.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The engine refused it; nothing changed.
    #[error(transparent)]
    Refused(#[from] EngineError),
    /// It could not be stored; nothing changed (the engine was reloaded from storage).
    #[error("engine unavailable: {0:#}")]
    Unavailable(anyhow::Error),
}

type Reply = oneshot::Sender<Result<(), ApplyError>>;

pub(crate) struct ApplyRequest {
    pub command: Command,
    pub meta: Option<ContactMeta>,
    pub summary: Option<(ContactId, ContactSummary)>,
    pub reply: Reply,
}

/// A closure run on a tenant's figures and engine, on its task.
pub(crate) type StatsJob = Box<dyn FnOnce(&mut stats::CenterStats, &Engine) + Send>;

pub(crate) enum Request {
    Apply(Box<ApplyRequest>),
    Read(Box<dyn FnOnce(&Engine) + Send>),
    /// Runs on the tenant's figures (the tally and the wallboard).
    Stats(StatsJob),
}

/// A handle to one tenant's engine.
#[derive(Clone)]
pub struct EngineHandle {
    tx: mpsc::Sender<Request>,
}

impl EngineHandle {
    async fn send(
        &self,
        command: Command,
        meta: Option<ContactMeta>,
        summary: Option<(ContactId, ContactSummary)>,
    ) -> Result<(), ApplyError> {
        let (reply, answer) = oneshot::channel();
        let request = Request::Apply(Box::new(ApplyRequest {
            command,
            meta,
            summary,
            reply,
        }));
        self.tx.send(request).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Applies a command; returns once its effects are stored.
    pub async fn apply(&self, command: Command) -> Result<(), ApplyError> {
        self.send(command, None, None).await
    }

    pub async fn create_contact(
        &self,
        contact: NewContact,
        meta: ContactMeta,
    ) -> Result<(), ApplyError> {
        self.send(Command::CreateContact(contact), Some(meta), None)
            .await
    }

    /// Connects an outbound contact to the agent who dials it (V9).
    pub async fn dial(
        &self,
        contact: NewContact,
        agent: switchboard_engine::UserId,
        meta: ContactMeta,
    ) -> Result<(), ApplyError> {
        self.send(Command::Dial { contact, agent }, Some(meta), None)
            .await
    }

    /// Saves a contact's service summary and tells the engine it is saved.
    pub async fn save_summary(
        &self,
        contact: ContactId,
        summary: ContactSummary,
    ) -> Result<(), ApplyError> {
        self.send(
            Command::SummarySaved { contact },
            None,
            Some((contact, summary)),
        )
        .await
    }

    /// Runs `f` on the engine's task and returns what it computed.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Engine) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn FnOnce(&Engine) + Send> = Box::new(move |engine| {
            let _ = reply.send(f(engine));
        });
        self.tx
            .send(Request::Read(job))
            .await
            .map_err(|_| anyhow::anyhow!("engine stopped"))?;
        Ok(answer.await?)
    }
}

impl EngineHandle {
    /// Runs `f` on the tenant's figures on the engine's task and returns what it computed.
    pub async fn with_stats<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut stats::CenterStats, &Engine) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (reply, answer) = oneshot::channel();
        let job: StatsJob = Box::new(move |stats, engine| {
            let _ = reply.send(f(stats, engine));
        });
        self.tx
            .send(Request::Stats(job))
            .await
            .map_err(|_| anyhow::anyhow!("engine stopped"))?;
        Ok(answer.await?)
    }
}

fn stopped() -> ApplyError {
    ApplyError::Unavailable(anyhow::anyhow!("the tenant's engine has stopped"))
}

/// Every tenant's engine, started on first use (and for all tenants at server start).
pub struct Engines {
    store: Arc<dyn Storage>,
    events: Arc<EventHub>,
    clock: Clock,
    handles: Mutex<HashMap<TenantId, EngineHandle>>,
}

impl Engines {
    pub fn new(store: Arc<dyn Storage>, events: Arc<EventHub>, clock: Clock) -> Self {
        Self {
            store,
            events,
            clock,
            handles: Mutex::new(HashMap::new()),
        }
    }

    /// Starts the engines of all tenants, so their timers run without waiting for a request.
    pub async fn start_all(&self) -> anyhow::Result<()> {
        for tenant in self.store.tenants().await? {
            self.get(tenant.id).await?;
        }
        Ok(())
    }

    /// The tenant's engine, loading it from storage if it is not running yet.
    pub async fn get(&self, tenant: TenantId) -> anyhow::Result<EngineHandle> {
        if let Some(handle) = self.running(tenant) {
            return Ok(handle);
        }
        let loaded = load::load(self.store.as_ref(), tenant, self.clock.now_ms()).await?;
        let mut handles = self.handles.lock().unwrap_or_else(|p| p.into_inner());
        // Another request may have started it while we were loading.
        if let Some(handle) = handles.get(&tenant).filter(|h| !h.tx.is_closed()) {
            return Ok(handle.clone());
        }
        let (tx, rx) = mpsc::channel(4096);
        tokio::spawn(actor::run(
            loaded,
            tenant,
            self.store.clone(),
            self.events.clone(),
            self.clock.clone(),
            rx,
        ));
        let handle = EngineHandle { tx };
        handles.insert(tenant, handle.clone());
        Ok(handle)
    }

    /// The engines running now (for metrics).
    pub fn running_all(&self) -> Vec<EngineHandle> {
        let handles = self.handles.lock().unwrap_or_else(|p| p.into_inner());
        handles
            .values()
            .filter(|h| !h.tx.is_closed())
            .cloned()
            .collect()
    }

    fn running(&self, tenant: TenantId) -> Option<EngineHandle> {
        let handles = self.handles.lock().unwrap_or_else(|p| p.into_inner());
        handles.get(&tenant).filter(|h| !h.tx.is_closed()).cloned()
    }
}
