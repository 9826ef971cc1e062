//! The customer directory's background work: chat customers stored before the directory
//! existed (or whose indexing failed) get their keys and search terms, a batch a tick.

use crate::api::customers::record::index_chat_customer;
use crate::state::AppState;

/// Time between ticks, on the server's clock.
const TICK_MS: i64 = 1000;
const BATCH: u32 = 200;

/// Starts the job for the life of the process.
pub fn start(state: AppState) {
    tokio::spawn(async move {
        loop {
            let started = state.clock.now_ms();
            if let Err(e) = index_batch(&state).await {
                tracing::warn!(error = %e, "indexing chat customers failed this tick");
            }
            state.clock.sleep_until(started + TICK_MS).await;
        }
    });
}

async fn index_batch(state: &AppState) -> anyhow::Result<()> {
    for (tenant, id) in state.store.unindexed_customers(BATCH).await? {
        // One customer's failure (a key taken meanwhile) must not hold up the rest.
        if let Err(e) = index_chat_customer(state, tenant, id).await {
            tracing::warn!(error = %e, customer = %id, "could not index a chat customer");
        }
    }
    Ok(())
}
