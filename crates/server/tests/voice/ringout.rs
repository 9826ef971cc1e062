//! An offer nobody answers (R2): agent1's phone rings and is not picked up; after the
//! tenant's offer timeout the engine takes the offer back, the phone stops ringing, the
//! call returns to the queue, and the caller hanging up afterwards leaves nothing behind.

use std::time::Duration;

use serde_json::json;

use crate::on_both;
use crate::peers::{self, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

async fn an_unanswered_offer_rings_out_and_the_call_waits_again(app: TestApp) {
    let voice = peers::start(&app).await;
    let admin = app.token("demo", "admin", DEMO_PASSWORD).await;
    let (_, mut params) = app.get(&admin, "/api/v1/tenant/params").await;
    params["offer_timeout_s"] = json!(5);
    let (status, body) = app.put(&admin, "/api/v1/tenant/params", params).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let _phone = Phone::unanswered(voice.sip, "1001").await;
    let (state, tenant, agent_id) = (app.state.clone(), voice.tenant, voice.agents[0]);
    assert!(peers::registered(&state, tenant, &[agent_id]).await);

    let server = voice.sip;
    let call =
        tokio::spawn(async move { peers::sipp(server, &crate::abandon::caller(8_000), &[]).await });
    let mut contact = None;
    for _ in 0..100 {
        if let Some(c) = app.store.open_contacts(tenant).await.unwrap().first() {
            contact = Some(c.id);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let contact = contact.expect("the call became a contact");
    assert!(call.await.unwrap(), "the caller's call went as scripted");
    let events = app.store.contact_events(tenant, contact).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&"contact.offered"), "{kinds:?}");
    assert!(
        kinds.contains(&"contact.offer_timeout"),
        "the offer rang out: {kinds:?}"
    );
    let mut gone = false;
    for _ in 0..60 {
        if app.store.open_contacts(tenant).await.unwrap().is_empty() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let events = app.store.contact_events(tenant, contact).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind).collect();
    assert!(
        gone,
        "nothing left stuck after the caller hung up: {kinds:?}"
    );
}

on_both!(
    an_unanswered_offer_rings_out_and_the_call_waits_again,
    answering_on_the_web_then_the_phone_keeps_the_call
);

/// Answer pressed on the web while the phone rings: the engine connects the call at once,
/// and when the agent picks the phone up the call is bridged, not released.
async fn answering_on_the_web_then_the_phone_keeps_the_call(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let phone = Phone::unanswered(voice.sip, "1001").await;
    let (state, tenant, agent_id) = (app.state.clone(), voice.tenant, voice.agents[0]);
    assert!(peers::registered(&state, tenant, &[agent_id]).await);
    let server = voice.sip;
    let call =
        tokio::spawn(async move { peers::sipp(server, &crate::abandon::caller(6_000), &[]).await });
    let mut offered = None;
    for _ in 0..100 {
        let (_, me) = app.get(&agent, "/api/v1/agent").await;
        if me["contacts"][0]["state"] == "offered" {
            offered = me["contacts"][0]["id"].as_str().map(str::to_owned);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let id = offered.expect("the call was offered to agent1");
    let (status, body) = app
        .post(&agent, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    phone.command("accept", "").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, me) = app.get(&agent, "/api/v1/agent").await;
    assert_eq!(
        me["contacts"][0]["state"], "connected",
        "still connected after the phone answered: {me}"
    );
    assert!(call.await.unwrap(), "the caller's call went as scripted");
}
