//! An uploaded prompt on a real call: the admin uploads a 2 kHz tone (44.1 kHz stereo WAV),
//! plays it in a flow (then the pre-sales queue) that a second flow goes into as a sub-flow,
//! and routes a hotline number to the second; a customer (baresip) calls it and hears the
//! tone, and the call record's IVR path reads through the sub-flow.

use std::time::Duration;

use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

use crate::audio;
use crate::on_both;
use crate::peers::{self, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

/// A 16-bit WAV of a sine at 44.1 kHz, stereo.
fn cd_tone(hz: f64, seconds: f64) -> Vec<u8> {
    let rate = 44_100u32;
    let frames = (f64::from(rate) * seconds) as usize;
    let data = (frames * 4) as u32;
    let mut wav = b"RIFF".to_vec();
    wav.extend((36 + data).to_le_bytes());
    wav.extend(b"WAVEfmt ");
    wav.extend(16u32.to_le_bytes());
    wav.extend(1u16.to_le_bytes());
    wav.extend(2u16.to_le_bytes());
    wav.extend(rate.to_le_bytes());
    wav.extend((rate * 4).to_le_bytes());
    wav.extend(4u16.to_le_bytes());
    wav.extend(16u16.to_le_bytes());
    wav.extend(b"data");
    wav.extend(data.to_le_bytes());
    for i in 0..frames {
        let s = (12_000.0 * (std::f64::consts::TAU * hz * i as f64 / f64::from(rate)).sin()) as i16;
        wav.extend(s.to_le_bytes());
        wav.extend(s.to_le_bytes());
    }
    wav
}

async fn created(app: &TestApp, admin: &str, path: &str, body: Value) -> Value {
    let (status, body) = app.post(admin, path, body).await;
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

async fn a_caller_hears_an_uploaded_prompt_through_a_sub_flow(app: TestApp) {
    let admin = app.token("demo", "admin", DEMO_PASSWORD).await;
    let form = Form::new()
        .part(
            "file",
            Part::bytes(cd_tone(2_000.0, 3.0)).file_name("tone.wav"),
        )
        .text("name", "两千赫");
    let res = app
        .client
        .post(app.url("/api/v1/voice/prompts"))
        .bearer_auth(&admin)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::CREATED);
    let prompt: Value = res.json().await.unwrap();
    let (_, queues) = app.get(&admin, "/api/v1/queues").await;
    let presales = queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["channel"] == "voice")
        .unwrap()["id"]
        .clone();
    let inner = created(&app, &admin, "/api/v1/voice/flows", json!({ "name": "放音", "definition": {
        "start": "tone",
        "nodes": {
            "tone": { "type": "play", "label": "提示", "prompts": [prompt["prompt"]], "next": "queue" },
            "queue": { "type": "queue", "label": "售前", "queue_id": presales } } } }))
    .await;
    let outer = created(
        &app,
        &admin,
        "/api/v1/voice/flows",
        json!({ "name": "入口", "definition": {
        "start": "go",
        "nodes": { "go": { "type": "sub_flow", "label": "转入", "flow_id": inner["id"] } } } }),
    )
    .await;
    created(
        &app,
        &admin,
        "/api/v1/voice/numbers",
        json!({ "number": "4900", "route": { "kind": "flow", "flow_id": outer["id"] } }),
    )
    .await;

    let voice = peers::start(&app).await;
    let customer = Phone::customer("13800138009", 440.0).await;
    customer
        .command("dial", &format!("sip:4900@{}", voice.sip))
        .await;
    // The prompt lasts 3 s; then the caller waits in the queue (the record keeps the path).
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let mut record = Value::Null;
    for _ in 0..200 {
        let (_, page) = app.get(&sup, "/api/v1/calls?number=13800138009").await;
        record = page["items"][0].clone();
        if record["queued_at"].is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(record["ivr_path"], "转入 → 提示 → 售前", "{record}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    customer.command("hangup", "").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let heard = customer
        .heard()
        .expect("the customer's phone kept what it heard");
    let seconds = audio::tone_seconds(&heard, 2_000.0);
    assert!(
        seconds >= 2.0,
        "the customer heard the uploaded 2 kHz prompt ({seconds} s of it)"
    );
}

on_both!(a_caller_hears_an_uploaded_prompt_through_a_sub_flow);
