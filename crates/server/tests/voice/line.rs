//! An agent's standing line (persistent connection): agent1 opens it, the server calls
//! their phone (baresip, answering by itself, playing a 1 kHz tone) once; two customers in
//! turn are answered with the workbench's Answer and bridged onto it. Checked: the phone
//! rang once and heard both customers, each call was recorded with the customer left and
//! the agent right, the line outlived both calls, and closing it hangs the phone up.

use std::time::Duration;

use serde_json::{json, Value};
use switchboard_media::g711::Codec;

use crate::audio;
use crate::journey::{customer, walk, PCAP};
use crate::on_both;
use crate::peers::{self, sipp, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

async fn line_state(app: &TestApp, agent: &str) -> String {
    let (_, phone) = app.get(agent, "/api/v1/agent/phone").await;
    phone["line"].as_str().unwrap_or_default().to_owned()
}

async fn line_becomes(app: &TestApp, agent: &str, want: &str) -> bool {
    for _ in 0..200 {
        if line_state(app, agent).await == want {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Waits for the offer of a call to the agent and answers it on the web.
async fn answer_on_the_web(app: &TestApp, agent: &str) {
    let mut offered = None;
    for _ in 0..200 {
        let (_, me) = app.get(agent, "/api/v1/agent").await;
        if me["contacts"][0]["state"] == "offered" {
            offered = me["contacts"][0]["id"].as_str().map(str::to_owned);
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let id = offered.expect("the call was offered to agent1");
    let (status, body) = app
        .post(agent, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
}

async fn calls_go_onto_the_agents_standing_line(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    let (status, body) = app.put(&agent, "/api/v1/agent/phone/line", json!({})).await;
    assert_eq!(status.as_u16(), 409, "no phone registered yet: {body}");

    let phone = Phone::start(voice.sip, "1001", 1_000.0).await;
    let (state, tenant, agent_id) = (app.state.clone(), voice.tenant, voice.agents[0]);
    assert!(
        peers::registered(&state, tenant, &[agent_id]).await,
        "baresip registered"
    );
    let (status, body) = app.put(&agent, "/api/v1/agent/phone/line", json!({})).await;
    assert_eq!(status.as_u16(), 202, "{body}");
    assert!(
        line_becomes(&app, &agent, "up").await,
        "the phone took the line"
    );

    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    for turn in 1..=2 {
        let server = voice.sip;
        let call = tokio::spawn(async move { sipp(server, &customer(), &[]).await });
        answer_on_the_web(&app, &agent).await;
        assert!(call.await.unwrap(), "customer {turn}'s call went through");
        let (_, me) = app.get(&agent, "/api/v1/agent").await;
        assert_eq!(me["state"], "wrap_up", "call {turn} was taken: {me}");
        assert_eq!(
            line_state(&app, &agent).await,
            "up",
            "the line outlives call {turn}"
        );
        let (status, body) = app.post(&agent, "/api/v1/agent/continue", json!({})).await;
        assert_eq!(status.as_u16(), 200, "wrap-up ends: {body}");
        let recordings = walk(voice.recordings.path());
        assert_eq!(
            recordings.len(),
            turn,
            "a recording per call: {recordings:?}"
        );
        let (_, page) = app.get(&sup, "/api/v1/calls").await;
        let id = page["items"][0]["id"].as_str().unwrap().to_owned();
        let detail = with_agent_quality(&app, &sup, &id).await;
        assert_eq!(detail["agent_name"], "小红 Xiaohong", "{detail}");
        // The agent leg's quality is this call's stretch of the line, not the line's life:
        // about 50 packets a second of talk.
        let talk_ms = detail["talk_ms"].as_i64().unwrap();
        let packets = detail["legs"][1]["quality"]["packets"].as_i64().unwrap();
        assert!(
            packets >= talk_ms / 40 && packets <= talk_ms / 20 + 50,
            "call {turn}: {packets} packets in {talk_ms} ms of talk"
        );
        let parties: Vec<&str> = detail["legs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["party"].as_str().unwrap())
            .collect();
        assert_eq!(
            parties,
            ["caller", "agent"],
            "the line is the call's agent leg"
        );
    }

    let sent = audio::envelope(&audio::pcap_audio(PCAP, Codec::Pcma));
    let heard = phone.heard().expect("the phone keeps what it heard");
    // One long call on the phone: the two customers one after the other.
    let half = heard.len() / 2;
    for (i, part) in [&heard[..half], &heard[half..]].into_iter().enumerate() {
        let score = audio::best_match(&sent, &audio::envelope(part), 400);
        assert!(
            score > 0.6,
            "the phone heard customer {} ({score:.2})",
            i + 1
        );
    }
    for file in walk(voice.recordings.path()) {
        let wav = switchboard_media::wav::read(&std::fs::read(&file).unwrap()).unwrap();
        let score = audio::best_match(&sent, &audio::envelope(&wav.channels[0]), 150);
        assert!(score > 0.6, "left is the customer ({score:.2}) in {file:?}");
        let seconds = audio::tone_seconds(&wav.channels[1], 1_000.0);
        assert!(
            seconds >= 5.0,
            "right is the agent's tone ({seconds} s) in {file:?}"
        );
    }

    let (status, _) = app.delete(&agent, "/api/v1/agent/phone/line").await;
    assert_eq!(status.as_u16(), 204);
    assert!(line_becomes(&app, &agent, "off").await, "the line closed");
}

on_both!(calls_go_onto_the_agents_standing_line);

/// The call's record once its agent leg (the line's stretch) has its quality.
async fn with_agent_quality(app: &TestApp, token: &str, id: &str) -> Value {
    let mut detail = Value::Null;
    for _ in 0..100 {
        detail = app.get(token, &format!("/api/v1/calls/{id}")).await.1;
        if !detail["legs"][1]["quality"].is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    detail
}
