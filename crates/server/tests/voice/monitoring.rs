//! A supervisor monitors a live call with real phones: a customer (baresip, 440 Hz) talks
//! with agent1 (1 kHz); the supervisor's phone (extension 1009, 1.5 kHz) joins listening,
//! then whispers, then barges in, then leaves; the call goes on throughout. Checked in the
//! audio: the supervisor heard both sides; the agent heard the supervisor while they
//! whispered and barged, the customer only while they barged.

use std::time::Duration;

use serde_json::json;

use crate::audio;
use crate::on_both;
use crate::peers::{self, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

async fn a_supervisor_listens_whispers_and_barges_in(app: TestApp) {
    let voice = peers::start(&app).await;
    let admin = app.token("demo", "admin", DEMO_PASSWORD).await;
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (_, users) = app.get(&admin, "/api/v1/users").await;
    let sup_id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "supervisor")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = app
        .put(
            &admin,
            &format!("/api/v1/voice/extensions/{sup_id}"),
            json!({ "number": "1009", "password": peers::SIP_PASSWORD }),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    let phone1 = Phone::start(voice.sip, "1001", 1_000.0).await;
    let (state, tenant, a1) = (app.state.clone(), voice.tenant, voice.agents[0]);
    assert!(peers::registered(&state, tenant, &[a1]).await);
    let customer = Phone::customer("13800138000", 440.0).await;
    customer
        .command("dial", &format!("sip:4002@{}", voice.sip))
        .await;
    let contact = peers::connected_contact(&app, &agent1).await;
    let monitor = format!("/api/v1/supervisor/calls/{contact}/monitor");

    let (status, body) = app.put(&sup, &monitor, json!({ "mode": "listen" })).await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (409, Some("unreachable")),
        "no phone registered yet: {body}"
    );
    let (status, _) = app
        .put(&agent1, &monitor, json!({ "mode": "listen" }))
        .await;
    assert_eq!(status.as_u16(), 403, "agents may not monitor");
    let sup_phone = Phone::start(voice.sip, "1009", 1_500.0).await;
    let sup_user = switchboard_engine::UserId(uuid::Uuid::parse_str(&sup_id).unwrap());
    assert!(peers::registered(&state, tenant, &[sup_user]).await);
    let (status, body) = app.put(&sup, &monitor, json!({ "mode": "listen" })).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (status, body) = app.put(&sup, &monitor, json!({ "mode": "whisper" })).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (status, body) = app.put(&sup, &monitor, json!({ "mode": "barge" })).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (status, body) = app.delete(&sup, &monitor).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let (status, body) = app.delete(&sup, &monitor).await;
    assert_eq!(body["code"], "not_monitored", "{status} {body}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (_, me) = app.get(&agent1, "/api/v1/agent").await;
    assert_eq!(
        me["contacts"][0]["state"], "connected",
        "the call went on: {me}"
    );
    customer.command("hangup", "").await;
    tokio::time::sleep(Duration::from_millis(800)).await;

    let heard_sup = sup_phone
        .heard()
        .expect("the supervisor's phone kept what it heard");
    let both = (
        audio::mixed_seconds(&heard_sup, &[440.0]),
        audio::mixed_seconds(&heard_sup, &[1_000.0]),
    );
    assert!(
        both.0 >= 6.0 && both.1 >= 6.0,
        "the supervisor heard both sides: {both:?}"
    );
    let agent_heard = audio::mixed_seconds(&phone1.heard().unwrap(), &[1_500.0]);
    assert!(
        (4.5..=8.0).contains(&agent_heard),
        "agent1 heard the supervisor whisper and barge in, not while listening ({agent_heard} s)"
    );
    let customer_heard = audio::mixed_seconds(&customer.heard().unwrap(), &[1_500.0]);
    assert!(
        (1.5..=4.0).contains(&customer_heard),
        "the customer heard the supervisor only once barged in ({customer_heard} s)"
    );
}

on_both!(a_supervisor_listens_whispers_and_barges_in);
