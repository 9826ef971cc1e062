//! Standby and failover on one database: the server holding the database's lease runs the
//! engines and jobs; another waits as a standby, answering only `/healthz`, and takes over
//! when the lease comes free. Until scale-out across nodes exists, this keeps two servers on
//! one database from routing the same contacts twice.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use switchboard_storage::{Lease, StorageError};

use crate::error::ApiError;
use crate::state::AppState;

/// How often a standby asks for the lease and its holder checks it still has it, on the
/// server's clock.
const POLL_MS: i64 = 1000;
/// How long one ask or check may take before the database counts as unreachable.
const TIMEOUT_MS: i64 = 5000;

/// Whether this server is a standby. A state starts active: only `serve`, finding the lease
/// taken, makes it a standby (a state built for a test runs its engines).
#[derive(Debug, Default)]
pub struct Standing {
    standby: AtomicBool,
}

impl Standing {
    pub fn is_standby(&self) -> bool {
        self.standby.load(Ordering::Acquire)
    }

    pub fn set_standby(&self, standby: bool) {
        self.standby.store(standby, Ordering::Release);
    }
}

/// The lease if it is free now. Otherwise marks the server a standby and says so, once.
pub async fn try_take(state: &AppState) -> anyhow::Result<Option<Box<dyn Lease>>> {
    let lease = bounded(state, state.store.try_lease()).await?;
    if lease.is_none() {
        state.standing.set_standby(true);
        tracing::warn!("standby: another server holds the database lease; waiting");
    }
    Ok(lease)
}

/// Asks for the lease every `POLL_MS` until it is granted. A standby outlives the database
/// being unreachable: it says so once per outage and keeps asking.
pub async fn wait(state: &AppState) -> Box<dyn Lease> {
    let mut failing = false;
    loop {
        state
            .clock
            .sleep_until(state.clock.now_ms() + POLL_MS)
            .await;
        match bounded(state, state.store.try_lease()).await {
            Ok(Some(lease)) => return lease,
            Ok(None) => failing = false,
            Err(err) if !failing => {
                failing = true;
                tracing::warn!(
                    error = format!("{err:#}"),
                    "standby: cannot ask for the database lease; retrying"
                );
            }
            Err(_) => {}
        }
    }
}

/// Checks the lease every `POLL_MS` for as long as it is held, and returns why it no longer
/// is. The caller must stop all engine work at once: another server may take the lease now.
pub async fn keep(state: &AppState, mut lease: Box<dyn Lease>) -> anyhow::Error {
    loop {
        state
            .clock
            .sleep_until(state.clock.now_ms() + POLL_MS)
            .await;
        if let Err(err) = bounded(state, lease.check()).await {
            tracing::error!(
                error = format!("{err:#}"),
                "lost the database lease: stopping, so that two servers never run the same engines"
            );
            return err
                .context("lost the database lease; restart this server to wait as a standby");
        }
    }
}

/// `work`'s answer, or an error once it has taken `TIMEOUT_MS` on the server's clock (a
/// database behind a broken network may never answer).
async fn bounded<T>(
    state: &AppState,
    work: impl Future<Output = Result<T, StorageError>>,
) -> anyhow::Result<T> {
    let deadline = state.clock.now_ms() + TIMEOUT_MS;
    tokio::select! {
        done = work => Ok(done?),
        () = state.clock.sleep_until(deadline) => {
            anyhow::bail!("the database did not answer within {} s", TIMEOUT_MS / 1000)
        }
    }
}

/// Refuses every request but `/healthz` while this server is a standby: its engines are not
/// running, and the active server's are the truth.
pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.standing.is_standby() && request.uri().path() != "/healthz" {
        return ApiError::Standby.into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

    use std::time::Duration;

    use switchboard_storage::Result;

    use super::*;
    use crate::clock::Clock;

    /// A lease whose checks answer as told.
    enum Fake {
        Held,
        Lost,
        Hung,
    }

    #[async_trait::async_trait]
    impl Lease for Fake {
        async fn check(&mut self) -> Result<()> {
            match self {
                Fake::Held => Ok(()),
                Fake::Lost => Err(StorageError::LeaseLost),
                Fake::Hung => std::future::pending().await,
            }
        }

        async fn release(self: Box<Self>) -> Result<()> {
            Ok(())
        }
    }

    /// Keeps `lease` on a server whose clock moves on a second at a time, up to `seconds`
    /// times; returns why it stopped, or `None` while it still holds the lease.
    async fn keep_through(lease: Fake, seconds: usize) -> Option<String> {
        let store = switchboard_storage::testing::sqlite_store().await;
        let state = AppState::with_clock(store.store.clone(), Clock::steerable());
        let keeping = tokio::spawn({
            let state = state.clone();
            async move { format!("{:#}", keep(&state, Box::new(lease)).await) }
        });
        for _ in 0..seconds {
            if keeping.is_finished() {
                return Some(keeping.await.unwrap());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
            state.clock.advance(Duration::from_secs(1));
        }
        keeping.abort();
        None
    }

    #[tokio::test]
    async fn a_held_lease_is_kept() {
        assert_eq!(keep_through(Fake::Held, 10).await, None);
    }

    #[tokio::test]
    async fn the_holder_stops_at_the_first_check_that_fails() {
        let why = keep_through(Fake::Lost, 100).await.unwrap();
        assert!(why.contains("lost the database lease"), "{why}");
    }

    #[tokio::test]
    async fn a_check_the_database_never_answers_counts_as_lost() {
        let why = keep_through(Fake::Hung, 100).await.unwrap();
        assert!(why.contains("did not answer within 5 s"), "{why}");
    }
}
