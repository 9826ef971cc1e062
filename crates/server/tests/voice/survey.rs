//! The satisfaction survey with real phones: a customer (baresip, 440 Hz) calls 4003 (the
//! pre-sales queue, survey on); agent1's phone answers; agent1 releases on the web and is
//! free at once, while the customer hears the question and presses 4. Checked: the score
//! is on the contact and on the call record, the customer heard the question, and the call
//! ended as agent1's release.

use std::time::Duration;

use serde_json::json;

use crate::audio;
use crate::on_both;
use crate::peers::{self, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

async fn a_customer_rates_the_call_after_the_agent_releases(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    let _phone = Phone::start(voice.sip, "1001", 1_000.0).await;
    let (state, tenant, a1) = (app.state.clone(), voice.tenant, voice.agents[0]);
    assert!(peers::registered(&state, tenant, &[a1]).await);
    let customer = Phone::customer("13800138000", 440.0).await;
    customer
        .command("dial", &format!("sip:4003@{}", voice.sip))
        .await;
    let contact = peers::connected_contact(&app, &agent1).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (status, body) = app
        .post(
            &agent1,
            &format!("/api/v1/contacts/{contact}/release"),
            json!({}),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let (_, me) = app.get(&agent1, "/api/v1/agent").await;
    assert_eq!(
        me["state"], "wrap_up",
        "agent1 is free of the call at once: {me}"
    );
    // The question plays (17 s in Chinese, then English); the customer answers early.
    tokio::time::sleep(Duration::from_secs(4)).await;
    customer.command("sndcode", "4").await;
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let mut record = serde_json::Value::Null;
    for _ in 0..200 {
        let (_, page) = app.get(&sup, "/api/v1/calls?number=13800138000").await;
        record = page["items"][0].clone();
        if record["ended_at"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        (record["survey"].as_str(), record["survey_score"].as_u64()),
        (Some("rated"), Some(4)),
        "{record}"
    );
    assert_eq!(record["released_by"], "agent", "{record}");
    let (_, c) = app.get(&sup, &format!("/api/v1/contacts/{contact}")).await;
    assert_eq!(c["rating"], 4, "the score is on the contact: {c}");

    tokio::time::sleep(Duration::from_millis(500)).await;
    let heard = customer
        .heard()
        .expect("the customer's phone kept what it heard");
    let question = audio::prompt("zh-survey");
    let score = audio::best_match(
        &audio::envelope(&question[..8_000 * 3]),
        &audio::envelope(&heard),
        audio::envelope(&heard).len(),
    );
    assert!(score > 0.6, "the customer heard the question ({score:.2})");
}

on_both!(a_customer_rates_the_call_after_the_agent_releases);
