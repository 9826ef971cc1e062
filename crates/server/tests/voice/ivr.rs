//! The IVR with real phones: a customer (baresip, playing a 440 Hz tone) calls hotline 4000
//! through the trunk, hears the menu, presses 1 (RFC 4733), waits in the pre-sales queue and
//! is answered by agent1's phone (baresip, 1 kHz). Checked: the customer heard the menu
//! prompt and then the agent, the agent heard the customer, and the contact carries the
//! IVR path.

use std::time::Duration;

use serde_json::json;

use crate::audio;
use crate::on_both;
use crate::peers::{self, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

async fn a_caller_walks_the_menu_to_an_agent(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let phone = Phone::start(voice.sip, "1001", 1_000.0).await;
    let (state, tenant, agent_id) = (app.state.clone(), voice.tenant, voice.agents[0]);
    assert!(peers::registered(&state, tenant, &[agent_id]).await);

    let customer = Phone::customer("13800138000", 440.0).await;
    customer
        .command("dial", &format!("sip:4000@{}", voice.sip))
        .await;
    // The menu plays; the customer listens for three seconds, then presses 1.
    tokio::time::sleep(Duration::from_secs(3)).await;
    customer.command("sndcode", "1").await;
    let mut contact = None;
    for _ in 0..100 {
        let (_, me) = app.get(&agent, "/api/v1/agent").await;
        if me["state"] == "talking" || me["contacts"][0]["state"] == "connected" {
            contact = me["contacts"][0]["id"].as_str().map(str::to_owned);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let contact = contact.expect("the call reached agent1");
    tokio::time::sleep(Duration::from_secs(3)).await;
    customer.command("hangup", "").await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let id = switchboard_engine::ContactId::parse(&contact).unwrap();
    let stored = app.store.stored_contact(tenant, id).await.unwrap().unwrap();
    let data: serde_json::Value = serde_json::from_str(&stored.data).unwrap();
    assert_eq!(
        data["ivr_path"], "营业时间 Hours → 主菜单 Main menu → 1 售前 Presales",
        "{data}"
    );
    // The call record keeps the path too (written as the call ends).
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let mut record = serde_json::Value::Null;
    for _ in 0..100 {
        let (_, page) = app.get(&sup, "/api/v1/calls?number=13800138000").await;
        record = page["items"][0].clone();
        if record["ended_at"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        record["ivr_path"], data["ivr_path"],
        "the call record's IVR path: {record}"
    );
    assert_eq!(record["dialled"], "4000");
    let id = record["id"].as_str().unwrap();
    let (_, detail) = app.get(&sup, &format!("/api/v1/calls/{id}")).await;
    assert!(
        detail["legs"][0]["answered_at"].is_string(),
        "the IVR answered the caller: {detail}"
    );
    assert_eq!(record["agent_id"], agent_id.0.to_string());

    let heard = customer
        .heard()
        .expect("the customer's phone kept what it heard");
    let prompt = audio::prompt("zh-welcome");
    let first = &heard[..heard.len().min(8_000 * 3)];
    let score = audio::best_match(
        &audio::envelope(&prompt[..8_000 * 2]),
        &audio::envelope(first),
        50,
    );
    assert!(
        score > 0.7,
        "the customer heard the menu prompt ({score:.2})"
    );
    let seconds = audio::tone_seconds(&heard, 1_000.0);
    assert!(
        seconds >= 1.5,
        "then the agent's 1 kHz tone ({seconds} s of it)"
    );
    let agent_heard = phone.heard().expect("the agent's phone kept what it heard");
    let seconds = audio::tone_seconds(&agent_heard, 440.0);
    assert!(
        seconds >= 1.5,
        "the agent heard the customer's 440 Hz ({seconds} s of it)"
    );
}

on_both!(a_caller_walks_the_menu_to_an_agent);
