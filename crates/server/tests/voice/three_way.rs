//! Consult, three-way and attended transfer against real phones: a customer (baresip,
//! 440 Hz) reaches agent1 (1 kHz); agent1 consults agent2 (2 kHz), joins all three, then
//! completes the transfer. Checked in the audio: in the three-way call each party heard
//! the other two at once; after the transfer the customer heard agent2 alone. Checked in
//! the engine: the contact went to agent2, connected, and agent1 is free.

use std::time::Duration;

use serde_json::json;

use crate::audio;
use crate::on_both;
use crate::peers::{self, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

async fn contact_state(app: &TestApp, agent: &str) -> (String, String) {
    let (_, me) = app.get(agent, "/api/v1/agent").await;
    (
        me["state"].as_str().unwrap_or_default().to_owned(),
        me["contacts"][0]["state"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

async fn a_consultation_becomes_a_three_way_call_then_an_attended_transfer(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    let phone1 = Phone::start(voice.sip, "1001", 1_000.0).await;
    let phone2 = Phone::start(voice.sip, "1002", 2_000.0).await;
    let (state, tenant) = (app.state.clone(), voice.tenant);
    let (a1, a2) = (voice.agents[0], voice.agents[1]);
    assert!(
        peers::registered(&state, tenant, &[a1, a2]).await,
        "both phones registered"
    );
    let customer = Phone::customer("13800138000", 440.0).await;
    customer
        .command("dial", &format!("sip:4002@{}", voice.sip))
        .await;
    let contact = peers::connected_contact(&app, &agent1).await;
    let path = |what: &str| format!("/api/v1/contacts/{contact}/{what}");

    // agent2 is signed out: not free to consult.
    let (status, body) = app
        .post(&agent1, &path("consult"), json!({ "agent_id": a2.0 }))
        .await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (409, Some("target_unavailable")),
        "{body}"
    );
    let (status, body) = app.post(&agent1, &path("consult/join"), json!({})).await;
    assert_eq!(body["code"], "not_consulting", "{status} {body}");
    app.post(&agent2, "/api/v1/agent/sign-in", json!({})).await;
    tokio::time::sleep(Duration::from_secs(1)).await;

    let (status, body) = app
        .post(&agent1, &path("consult"), json!({ "agent_id": a2.0 }))
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    // agent2 is on agent1's call now: not free for another; and a call consults one at a time.
    let (status, body) = app
        .post(&agent1, &path("consult"), json!({ "agent_id": a2.0 }))
        .await;
    assert_eq!(body["code"], "target_unavailable", "{status} {body}");
    let agent3 = app.token("demo", "agent3", DEMO_PASSWORD).await;
    app.post(&agent3, "/api/v1/agent/sign-in", json!({})).await;
    let (status, body) = app
        .post(
            &agent1,
            &path("consult"),
            json!({ "agent_id": voice.agents[2].0 }),
        )
        .await;
    assert_eq!(body["code"], "consulting", "{status} {body}");
    let (_, me2) = app.get(&agent2, "/api/v1/agent").await;
    assert_eq!(
        me2["state"], "talking",
        "consulted, agent2 is on a call: {me2}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (status, body) = app.post(&agent1, &path("consult/join"), json!({})).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    tokio::time::sleep(Duration::from_secs(4)).await;
    let (status, body) = app
        .post(&agent1, &path("consult/complete"), json!({}))
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let mut handed = false;
    for _ in 0..100 {
        if contact_state(&app, &agent2).await.1 == "connected" {
            handed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(handed, "the contact went to agent2, connected");
    assert_eq!(
        contact_state(&app, &agent1).await,
        ("idle".into(), String::new()),
        "agent1 is off the call, as after any transfer"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    customer.command("hangup", "").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        contact_state(&app, &agent2).await.0,
        "wrap_up",
        "the call ended as the customer's"
    );

    let heard = customer
        .heard()
        .expect("the customer's phone kept what it heard");
    let both = audio::mixed_seconds(&heard, &[1_000.0, 2_000.0]);
    assert!(
        both >= 2.0,
        "in the three-way call the customer heard both agents ({both} s)"
    );
    let alone = audio::tone_seconds(&heard, 2_000.0);
    assert!(alone >= 1.5, "then agent2 alone ({alone} s)");
    let heard1 = phone1.heard().expect("agent1's phone kept what it heard");
    let both1 = audio::mixed_seconds(&heard1, &[440.0, 2_000.0]);
    assert!(
        both1 >= 2.0,
        "agent1 heard the customer and agent2 ({both1} s)"
    );
    let heard2 = phone2.heard().expect("agent2's phone kept what it heard");
    let both2 = audio::mixed_seconds(&heard2, &[440.0, 1_000.0]);
    assert!(
        both2 >= 2.0,
        "agent2 heard the customer and agent1 ({both2} s)"
    );
    let consult = audio::tone_seconds(&heard2, 1_000.0);
    assert!(
        consult >= 1.0,
        "consulting, agent2 heard agent1 alone ({consult} s)"
    );

    let record = crate::journey::ended_call(&app, "13800138000").await;
    // The one recording: the customer on the left; on the right both agents while all
    // three talked, as the customer heard them.
    let recordings = crate::journey::walk(voice.recordings.path());
    assert_eq!(recordings.len(), 1, "{recordings:?}");
    let wav = switchboard_media::wav::read(&std::fs::read(&recordings[0]).unwrap()).unwrap();
    let joined = audio::mixed_seconds(&wav.channels[1], &[1_000.0, 2_000.0]);
    assert!(
        joined >= 2.0,
        "the three-way call recorded both agents ({joined} s)"
    );
    let handoffs = record["handoffs"].as_array().unwrap();
    assert_eq!(handoffs.len(), 1, "{record}");
    assert_eq!(handoffs[0]["kind"], "attended");
    assert_eq!(handoffs[0]["from_agent_id"], a1.0.to_string());
    assert_eq!(handoffs[0]["to_agent_id"], a2.0.to_string());
    assert_eq!(record["agent_id"], a2.0.to_string());
    let agent_legs: Vec<&str> = record["legs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["agent_id"].as_str())
        .collect();
    assert!(
        agent_legs.contains(&a2.0.to_string().as_str()),
        "agent2's leg is on the record: {record}"
    );
}

/// In a three-way call the customer hangs up: agent1 and agent2 go on talking (each hears
/// the other alone), the customer's contact goes to wrap-up, and agent2 stays on a call in
/// the engine until they hang up.
async fn the_customer_leaving_a_three_way_call_leaves_the_agents_talking(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    app.post(&agent2, "/api/v1/agent/sign-in", json!({})).await;
    let phone1 = Phone::start(voice.sip, "1001", 1_000.0).await;
    let phone2 = Phone::start(voice.sip, "1002", 2_000.0).await;
    let (state, tenant) = (app.state.clone(), voice.tenant);
    let (a1, a2) = (voice.agents[0], voice.agents[1]);
    assert!(
        peers::registered(&state, tenant, &[a1, a2]).await,
        "both phones registered"
    );
    let customer = Phone::customer("13800138000", 440.0).await;
    customer
        .command("dial", &format!("sip:4002@{}", voice.sip))
        .await;
    let contact = peers::connected_contact(&app, &agent1).await;
    let path = |what: &str| format!("/api/v1/contacts/{contact}/{what}");
    let (status, body) = app
        .post(&agent1, &path("consult"), json!({ "agent_id": a2.0 }))
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (status, body) = app.post(&agent1, &path("consult/join"), json!({})).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    customer.command("hangup", "").await;
    let mut wrapped = false;
    for _ in 0..100 {
        if contact_state(&app, &agent1).await.1 == "wrap_up" {
            wrapped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(wrapped, "the customer's contact ended");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        contact_state(&app, &agent2).await.0,
        "talking",
        "agent2 is still on the call"
    );
    phone2.command("hangup", "").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        contact_state(&app, &agent2).await.0,
        "idle",
        "agent2 is free once they hang up"
    );

    // The last seconds of each phone's call: after the customer left, before the end.
    let tail = |s: Vec<i16>| s[s.len().saturating_sub(3 * 8_000)..].to_vec();
    let heard1 = tail(phone1.heard().expect("agent1's phone kept what it heard"));
    let alone = audio::tone_seconds(&heard1, 2_000.0);
    assert!(
        alone >= 2.0,
        "after the customer left agent1 heard agent2 alone ({alone} s)"
    );
    let heard2 = tail(phone2.heard().expect("agent2's phone kept what it heard"));
    let alone = audio::tone_seconds(&heard2, 1_000.0);
    assert!(alone >= 2.0, "and agent2 heard agent1 alone ({alone} s)");
}

on_both!(
    a_consultation_becomes_a_three_way_call_then_an_attended_transfer,
    the_customer_leaving_a_three_way_call_leaves_the_agents_talking
);
