//! Call control against real phones: a customer (baresip, 440 Hz) calls the pre-sales
//! queue; agent1's phone (baresip, 1 kHz) answers. Agent1 holds and resumes, sends keys,
//! then transfers the customer to agent2 (baresip, 2 kHz). Checked in the audio: the held
//! customer heard the music and agent1 heard silence meanwhile; after the transfer the
//! customer heard agent2 and agent2 heard the customer; the one recording holds both
//! agents; the contact counted the hold.

use std::time::Duration;

use serde_json::json;

use crate::audio;
use crate::journey::walk;
use crate::on_both;
use crate::peers::{self, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

/// The longest run of quiet 20 ms frames, in seconds.
fn longest_quiet(samples: &[i16]) -> f64 {
    let mut best = 0usize;
    let mut run = 0usize;
    for level in audio::envelope(samples) {
        run = if level < 200.0 { run + 1 } else { 0 };
        best = best.max(run);
    }
    best as f64 * 0.02
}

async fn a_held_customer_hears_music_and_a_transfer_reaches_the_next_agent(app: TestApp) {
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

    // Nothing to hold before there is a call.
    let customer = Phone::customer("13800138000", 440.0).await;
    customer
        .command("dial", &format!("sip:4002@{}", voice.sip))
        .await;
    let contact = peers::connected_contact(&app, &agent1).await;
    let path = |what: &str| format!("/api/v1/contacts/{contact}/{what}");
    let (status, body) = app.post(&agent2, &path("hold"), json!({})).await;
    assert_eq!(status.as_u16(), 404, "not agent2's call: {body}");
    let (status, body) = app.post(&agent1, &path("resume"), json!({})).await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (409, Some("not_held")),
        "{body}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;

    let (status, held) = app.post(&agent1, &path("hold"), json!({})).await;
    assert_eq!(status.as_u16(), 200, "{held}");
    assert!(held["held_since"].is_string(), "{held}");
    let (status, body) = app.post(&agent1, &path("hold"), json!({})).await;
    assert_eq!(body["code"], "already_held", "{status} {body}");
    tokio::time::sleep(Duration::from_secs(4)).await;
    let (status, resumed) = app.post(&agent1, &path("resume"), json!({})).await;
    assert_eq!(status.as_u16(), 200, "{resumed}");
    assert!(resumed["held_since"].is_null());
    let hold_ms = resumed["hold_ms"].as_i64().unwrap();
    assert!(
        (3_500..6_000).contains(&hold_ms),
        "held about 4 s: {hold_ms}"
    );
    let (status, body) = app
        .post(&agent1, &path("digits"), json!({ "digits": "12#" }))
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let (status, body) = app
        .post(&agent1, &path("digits"), json!({ "digits": "9x" }))
        .await;
    assert_eq!(
        (status.as_u16(), body["field"].as_str()),
        (400, Some("digits"))
    );
    tokio::time::sleep(Duration::from_secs(2)).await;

    app.post(&agent2, "/api/v1/agent/sign-in", json!({})).await;
    let (status, body) = app
        .post(
            &agent1,
            &format!("/api/v1/contacts/{contact}/transfer"),
            json!({ "agent_id": a2.0, "note": "客户要改订单 wants to change the order" }),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    assert_eq!(
        peers::connected_contact(&app, &agent2).await,
        contact,
        "the same contact"
    );
    let (_, me1) = app.get(&agent1, "/api/v1/agent").await;
    assert_ne!(me1["state"], "talking", "agent1 is off the call: {me1}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    customer.command("hangup", "").await;
    tokio::time::sleep(Duration::from_millis(800)).await;

    let heard = customer
        .heard()
        .expect("the customer's phone kept what it heard");
    let music = audio::prompt("music");
    let score = audio::best_match(
        &audio::envelope(&music[..8_000 * 3]),
        &audio::envelope(&heard),
        audio::envelope(&heard).len(),
    );
    assert!(
        score > 0.6,
        "the held customer heard the music ({score:.2})"
    );
    let with1 = audio::tone_seconds(&heard, 1_000.0);
    let with2 = audio::tone_seconds(&heard, 2_000.0);
    assert!(with1 >= 3.0, "the customer heard agent1 ({with1} s)");
    assert!(with2 >= 2.0, "then agent2 ({with2} s)");
    let heard1 = phone1.heard().expect("agent1's phone kept what it heard");
    let quiet = longest_quiet(&heard1);
    assert!(
        (3.0..6.0).contains(&quiet),
        "agent1 heard silence while the customer was held ({quiet:.1} s)"
    );
    assert!(audio::tone_seconds(&heard1, 440.0) >= 3.0);
    let heard2 = phone2.heard().expect("agent2's phone kept what it heard");
    let from_customer = audio::tone_seconds(&heard2, 440.0);
    assert!(
        from_customer >= 2.0,
        "agent2 heard the customer ({from_customer} s)"
    );

    let recordings = walk(voice.recordings.path());
    assert_eq!(
        recordings.len(),
        1,
        "one recording for the call: {recordings:?}"
    );
    let wav = switchboard_media::wav::read(&std::fs::read(&recordings[0]).unwrap()).unwrap();
    let agents = &wav.channels[1];
    assert!(
        audio::tone_seconds(agents, 1_000.0) >= 3.0,
        "agent1 recorded"
    );
    assert!(
        audio::tone_seconds(agents, 2_000.0) >= 2.0,
        "agent2 recorded"
    );

    let record = crate::journey::ended_call(&app, "13800138000").await;
    let handoffs = record["handoffs"].as_array().unwrap();
    assert_eq!(handoffs.len(), 1, "{record}");
    assert_eq!(handoffs[0]["kind"], "blind");
    assert_eq!(handoffs[0]["from_agent_id"], a1.0.to_string());
    assert_eq!(handoffs[0]["to_agent_id"], a2.0.to_string());
    assert_eq!(
        record["agent_id"],
        a2.0.to_string(),
        "the call's agent is the last one"
    );
    assert!(record["survey"].is_null(), "4002 has no survey");
}

on_both!(a_held_customer_hears_music_and_a_transfer_reaches_the_next_agent);
