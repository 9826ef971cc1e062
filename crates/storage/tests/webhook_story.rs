//! Outgoing webhook stories, run against both SQLite and PostgreSQL: webhooks round-trip in
//! their tenant, the outbox reader starts at the newest engine event and moves with the
//! deliveries it adds (each event once per webhook), attempts are recorded, due deliveries
//! come in order, and a delivery can be sent again.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::*;
use switchboard_storage::*;
use uuid::Uuid;

const NOW: Millis = 1_790_000_000_000;

async fn tenant(s: &dyn Storage, name: &str) -> TenantId {
    s.create_tenant(&TenantName::parse(name).unwrap(), name, NOW)
        .await
        .unwrap()
        .id
}

fn hook(url: &str) -> Webhook {
    Webhook {
        id: Uuid::now_v7(),
        url: url.into(),
        description: "工单系统".into(),
        events: vec!["contact.created".into(), "ticket.created".into()],
        enabled: true,
        secret: "s3cret".into(),
        created_at: NOW,
        updated_at: NOW,
    }
}

async fn engine_event(s: &dyn Storage, t: TenantId, kind: &'static str, at: Millis) {
    let batch = EngineBatch {
        events: vec![EventRecord {
            at,
            kind,
            agent: None,
            contact: None,
            queue: None,
            detail: r#"{"n":1}"#.into(),
        }],
        ..EngineBatch::default()
    };
    s.apply_engine_batch(t, &batch).await.unwrap();
}

fn delivery(webhook: Uuid, event_id: &str, at: Millis) -> NewDelivery {
    NewDelivery {
        id: Uuid::now_v7(),
        webhook,
        event_id: event_id.into(),
        event_type: "contact.created".into(),
        body: format!(r#"{{"id":"{event_id}"}}"#),
        created_at: at,
    }
}

async fn webhooks_round_trip_in_their_tenant(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let other = tenant(s, "other").await;
    let mut w = hook("https://hooks.example.com/in");
    s.create_webhook(t, &w).await.unwrap();
    assert_eq!(s.webhooks(t).await.unwrap(), vec![w.clone()]);
    assert!(s.webhooks(other).await.unwrap().is_empty());
    assert_eq!(s.webhook(other, w.id).await.unwrap(), None);
    w.enabled = false;
    w.events = vec!["agent.state".into()];
    w.secret = "rotated".into();
    w.updated_at = NOW + 1;
    s.update_webhook(t, &w).await.unwrap();
    assert_eq!(s.webhook(t, w.id).await.unwrap(), Some(w.clone()));
    assert!(matches!(
        s.update_webhook(other, &w).await,
        Err(StorageError::NotFound)
    ));
    assert!(s.webhook_tenants().await.unwrap().is_empty(), "disabled");
    assert!(matches!(
        s.delete_webhook(other, w.id).await,
        Err(StorageError::NotFound)
    ));
    s.delete_webhook(t, w.id).await.unwrap();
    assert!(s.webhooks(t).await.unwrap().is_empty());
}

async fn the_outbox_reader_starts_now_and_adds_each_event_once(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    engine_event(s, t, "contact.created", NOW - 10).await;
    let w = hook("https://hooks.example.com/in");
    s.create_webhook(t, &w).await.unwrap();
    assert_eq!(s.webhook_tenants().await.unwrap(), vec![t]);
    let cursor = s.webhook_cursor(t).await.unwrap().unwrap();
    assert_eq!(cursor.trail_horizon, NOW);
    let none = s.webhook_sources(t, &cursor, 10).await.unwrap();
    assert!(none.events.is_empty(), "history is not replayed: {none:?}");

    engine_event(s, t, "contact.created", NOW + 1).await;
    engine_event(s, t, "contact.queued", NOW + 2).await;
    let found = s.webhook_sources(t, &cursor, 10).await.unwrap();
    let kinds: Vec<_> = found.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["contact.created", "contact.queued"]);
    assert_eq!(found.events[0].detail, r#"{"n":1}"#);
    let first = found.events[0].id;
    let moved = WebhookCursor {
        engine_event: found.events[1].id,
        trail_horizon: NOW,
    };
    let d = delivery(w.id, &format!("e-{first}"), NOW + 3);
    s.enqueue_webhook_deliveries(t, std::slice::from_ref(&d), &[], &moved)
        .await
        .unwrap();
    // Read again after a crash between sending and recording: the event is not added twice.
    let again = delivery(w.id, &format!("e-{first}"), NOW + 4);
    s.enqueue_webhook_deliveries(t, &[again], &[], &moved)
        .await
        .unwrap();
    assert_eq!(s.webhook_cursor(t).await.unwrap(), Some(moved));
    assert!(s
        .webhook_sources(t, &moved, 10)
        .await
        .unwrap()
        .events
        .is_empty());
    let log = s.webhook_deliveries(t, w.id, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].id, log[0].state, log[0].attempts),
        (d.id, DeliveryState::Pending, 0)
    );
    assert_eq!(log[0].next_attempt_at, Some(NOW + 3));
}

async fn attempts_are_recorded_and_deliveries_sent_again(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let other = tenant(s, "other").await;
    let w = hook("https://hooks.example.com/in");
    s.create_webhook(t, &w).await.unwrap();
    let (a, b) = (delivery(w.id, "e-1", NOW), delivery(w.id, "e-2", NOW + 5));
    let cursor = s.webhook_cursor(t).await.unwrap().unwrap();
    s.enqueue_webhook_deliveries(t, &[a.clone(), b.clone()], &[], &cursor)
        .await
        .unwrap();
    let due = s.due_webhook_deliveries(NOW + 1, 10).await.unwrap();
    assert_eq!(due.len(), 1, "only the first is due");
    assert_eq!(
        (due[0].tenant, due[0].delivery.id, due[0].secret.as_str()),
        (t, a.id, "s3cret")
    );
    assert_eq!(due[0].url, w.url);
    assert_eq!(s.next_webhook_attempt().await.unwrap(), Some(NOW));
    let retry = Attempt {
        at: NOW + 1,
        state: DeliveryState::Pending,
        next_attempt_at: Some(NOW + 10_001),
        status: Some(500),
        error: None,
        response: Some("oops".into()),
        duration_ms: 12,
    };
    assert!(matches!(
        s.record_webhook_attempt(other, a.id, &retry).await,
        Err(StorageError::NotFound)
    ));
    s.record_webhook_attempt(t, a.id, &retry).await.unwrap();
    let ids: Vec<_> = s
        .due_webhook_deliveries(NOW + 20_000, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.delivery.id)
        .collect();
    assert_eq!(ids, [b.id, a.id], "soonest first");
    let failed = Attempt {
        at: NOW + 10_001,
        state: DeliveryState::Failed,
        next_attempt_at: None,
        status: None,
        error: Some("connection refused".into()),
        response: None,
        duration_ms: 3,
    };
    s.record_webhook_attempt(t, a.id, &failed).await.unwrap();
    let log = s.webhook_deliveries(t, w.id, 10).await.unwrap();
    assert_eq!(log[1].id, a.id, "newest first");
    let gone = &log[1];
    assert_eq!(
        (
            gone.state,
            gone.attempts,
            gone.last_status,
            gone.next_attempt_at
        ),
        (DeliveryState::Failed, 2, None, None)
    );
    assert_eq!(gone.last_error.as_deref(), Some("connection refused"));
    assert_eq!(gone.duration_ms, Some(3));

    assert!(matches!(
        s.redeliver_webhook_delivery(other, w.id, a.id, NOW).await,
        Err(StorageError::NotFound)
    ));
    let again = s
        .redeliver_webhook_delivery(t, w.id, a.id, NOW + 20_000)
        .await
        .unwrap();
    assert_eq!(
        (again.state, again.attempts, again.next_attempt_at),
        (DeliveryState::Pending, 0, Some(NOW + 20_000))
    );
    assert!(s
        .webhook_deliveries(other, w.id, 10)
        .await
        .unwrap()
        .is_empty());
    let ping = delivery(w.id, "ping-1", NOW);
    assert!(matches!(
        s.add_webhook_delivery(other, &ping).await,
        Err(StorageError::NotFound)
    ));
    s.add_webhook_delivery(t, &ping).await.unwrap();
    // A disabled webhook's deliveries wait.
    let mut off = w.clone();
    off.enabled = false;
    s.update_webhook(t, &off).await.unwrap();
    assert!(s
        .due_webhook_deliveries(NOW + 99_999, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(s.next_webhook_attempt().await.unwrap(), None);
}

switchboard_storage::story_tests!(
    webhooks_round_trip_in_their_tenant,
    the_outbox_reader_starts_now_and_adds_each_event_once,
    attempts_are_recorded_and_deliveries_sent_again,
);
