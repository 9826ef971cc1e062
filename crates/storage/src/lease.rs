//! The database's lease: one server at a time runs a database's engines, so no contact is
//! routed twice; another server on the same database waits for the lease as a standby.

use crate::Result;

/// The lease while held. It ends when dropped, or when the process holding it ends however it
/// ends (the database or the operating system lets go of a dead holder).
#[async_trait::async_trait]
pub trait Lease: Send + Sync {
    /// `Ok` while the lease is certainly still held. An error means it may have been lost
    /// (the connection holding it died): its holder must stop running engines at once,
    /// because another server may take the lease now.
    async fn check(&mut self) -> Result<()>;

    /// Gives the lease up now, so a standby need not wait for the database to notice.
    async fn release(self: Box<Self>) -> Result<()>;
}

/// Taking the database's lease. Each backend implements it beside its connection set-up
/// (`sqlite.rs`, `postgres.rs`): the lease is no shared SQL.
#[async_trait::async_trait]
pub trait LeaseStore {
    /// The lease if nobody holds it, `None` while someone does (this process included: a
    /// second try on the same database is refused like any other).
    async fn try_lease(&self) -> Result<Option<Box<dyn Lease>>>;
}
