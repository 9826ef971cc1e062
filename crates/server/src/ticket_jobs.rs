//! Ticket work that happens by the clock: reminders that fall due (T6) and due-time rules
//! (T9). Both are found in the database each tick, so whatever fell due while the server
//! was down happens right after it starts. A reminder waits until its user has the
//! workbench open (an event socket), so nobody misses one by being away. Tickets whose
//! search terms are stale (written before the terms covered every field that holds words,
//! or of a type whose options were relabelled) are indexed again, a batch a tick.

use serde_json::json;
use switchboard_engine::ticket::rules::TicketEvent;
use switchboard_storage::{NewTrail, TicketChanges};

use crate::api::tickets::automation::{run_rules, send_notices, with_rotation, RuleTenant};
use crate::api::tickets::shared::{load_type, ticket_number};
use crate::api::tickets::work::terms_now;
use crate::api::wire::rfc3339;
use crate::events::Audience;
use crate::state::AppState;

/// Time between ticks, on the server's clock.
const TICK_MS: i64 = 1000;
const BATCH: u32 = 200;

/// Starts the clock-driven ticket jobs for the life of the process.
pub fn start(state: AppState) {
    tokio::spawn(async move {
        loop {
            let started = state.clock.now_ms();
            if let Err(e) = fire_reminders(&state).await {
                tracing::warn!(error = %e, "ticket reminders failed this tick");
            }
            if let Err(e) = run_due_rules(&state).await {
                tracing::warn!(error = %e, "ticket due rules failed this tick");
            }
            if let Err(e) = reindex_terms(&state).await {
                tracing::warn!(error = %e, "indexing tickets' search terms failed this tick");
            }
            state.clock.sleep_until(started + TICK_MS).await;
        }
    });
}

async fn fire_reminders(state: &AppState) -> anyhow::Result<()> {
    let now = state.clock.now_ms();
    let online = state.events.online_users();
    if online.is_empty() {
        return Ok(());
    }
    for due in state.store.due_reminders(now, &online, BATCH).await? {
        let r = &due.reminder;
        let payload = json!({
            "type": "ticket.reminder", "reminder_id": r.id.0, "ticket_id": r.ticket.0,
            "number": ticket_number(due.number), "title": due.title, "note": r.note, "at": rfc3339(r.at),
        });
        state
            .events
            .publish(due.tenant, Audience::users(vec![r.user]), &payload);
        state
            .store
            .mark_reminder_fired(due.tenant, r.id, now)
            .await?;
    }
    Ok(())
}

/// Computes the terms of a batch of stale tickets again. A ticket changed meanwhile stays
/// marked and comes back in a later batch.
async fn reindex_terms(state: &AppState) -> anyhow::Result<()> {
    let api = |e: crate::error::ApiError| anyhow::anyhow!("{e}");
    let mut types = std::collections::HashMap::new();
    for (tenant, id) in state.store.stale_ticket_terms(BATCH).await? {
        let Some(t) = state.store.ticket(tenant, id).await? else {
            continue;
        };
        let schema = match types.entry((tenant, t.type_id)) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(load_type(state, tenant, t.type_id).await.map_err(api)?.1)
            }
        };
        let terms = terms_now(state, tenant, schema, &t).await.map_err(api)?;
        state
            .store
            .set_ticket_terms(tenant, id, t.version, &terms)
            .await?;
    }
    Ok(())
}

async fn run_due_rules(state: &AppState) -> anyhow::Result<()> {
    let now = state.clock.now_ms();
    for (tenant, id) in state.store.overdue_tickets(now, BATCH).await? {
        let Some(mut t) = state.store.ticket(tenant, id).await? else {
            continue;
        };
        let (_, schema) = load_type(state, tenant, t.type_id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        t.due_handled = true;
        t.updated_at = now;
        let zone = state.store.tenant_zone(tenant).await?;
        let rule_tenant = RuleTenant {
            id: tenant,
            zone: &zone,
        };
        let outcome = run_rules(
            state,
            rule_tenant,
            &schema,
            &mut t,
            &[TicketEvent::Due],
            now,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut trail: Vec<NewTrail> = vec![NewTrail {
            at: now,
            actor: None,
            action: "overdue".into(),
            detail: json!({}).to_string(),
        }];
        trail.extend(outcome.trail.iter().cloned());
        let changes = with_rotation(TicketChanges::default(), &outcome);
        // A concurrent save wins; the ticket is still overdue and is taken up next tick.
        match state.store.save_ticket(tenant, &t, &changes, &trail).await {
            Ok(saved) => send_notices(state, tenant, &saved, &outcome).await,
            Err(switchboard_storage::StorageError::Stale) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
