//! Uploaded prompts over the API: a 44.1 kHz stereo WAV and an MP3 (encoded at test time by
//! Debian's lame, which `scripts/setup.sh --test` installs) come back as 8 kHz mono of the
//! same length and pitch; garbage, empty, oversize and too long uploads are refused; a prompt
//! a flow plays cannot be deleted; another tenant can neither play nor name it.

use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::isolation::second_tenant;
use crate::on_both;
use crate::support::{assert_error, TestApp};
use crate::voice_flows::{small_flow, voice_queues};

/// A 16-bit PCM WAV of a sine, the same in every channel.
pub fn tone_wav(rate: u32, channels: u16, hz: f64, seconds: f64) -> Vec<u8> {
    let frames = (f64::from(rate) * seconds) as usize;
    let samples: Vec<i16> = (0..frames)
        .flat_map(|i| {
            let t = i as f64 / f64::from(rate);
            let s = ((t * hz * std::f64::consts::TAU).sin() * 12_000.0) as i16;
            std::iter::repeat_n(s, usize::from(channels))
        })
        .collect();
    switchboard_media::wav::pcm16(channels, rate, &samples)
}

/// An MP3 of a tone, made by lame from a WAV.
fn tone_mp3(rate: u32, hz: f64, seconds: f64) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let (wav, mp3) = (dir.path().join("in.wav"), dir.path().join("out.mp3"));
    std::fs::write(&wav, tone_wav(rate, 2, hz, seconds)).unwrap();
    let status = std::process::Command::new("lame")
        .args(["--quiet", "-b", "128"])
        .arg(&wav)
        .arg(&mp3)
        .status()
        .expect("lame is needed for this test: run scripts/setup.sh --test (Debian's lame)");
    assert!(status.success());
    std::fs::read(mp3).unwrap()
}

/// Rising zero crossings per second: a sine's frequency.
pub fn frequency(samples: &[i16], rate: u32) -> f64 {
    let ups = samples.windows(2).filter(|w| w[0] < 0 && w[1] >= 0).count();
    ups as f64 * f64::from(rate) / samples.len() as f64
}

pub async fn upload(
    app: &TestApp,
    token: &str,
    file: (&str, Vec<u8>),
    name: Option<&str>,
) -> (StatusCode, Value) {
    let mut form = Form::new().part("file", Part::bytes(file.1).file_name(file.0.to_owned()));
    if let Some(n) = name {
        form = form.text("name", n.to_owned());
    }
    let res = app
        .client
        .post(app.url("/api/v1/voice/prompts"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The converted audio, as the admin's browser gets it.
async fn listen(
    app: &TestApp,
    token: &str,
    id: &str,
) -> (StatusCode, Option<switchboard_media::wav::Wav>) {
    let res = app
        .client
        .get(app.url(&format!("/api/v1/voice/prompts/{id}/audio")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status();
    if status != StatusCode::OK {
        return (status, None);
    }
    assert_eq!(res.headers()["content-type"], "audio/wav");
    let bytes = res.bytes().await.unwrap();
    (status, Some(switchboard_media::wav::read(&bytes).unwrap()))
}

fn assert_tone(wav: &switchboard_media::wav::Wav, hz: f64, ms: u64) {
    assert_eq!(wav.sample_rate, 8_000);
    assert_eq!(wav.channels.len(), 1, "mono");
    let samples = &wav.channels[0];
    let got_ms = samples.len() as u64 / 8;
    assert!(got_ms.abs_diff(ms) <= 60, "{got_ms} ms, not {ms}");
    // The middle, away from any encoder's fade at the edges.
    let middle = &samples[samples.len() / 10..samples.len() * 9 / 10];
    let f = frequency(middle, 8_000);
    assert!((f - hz).abs() < 5.0, "{f} Hz, not {hz}");
}

async fn wav_and_mp3_become_telephone_audio(app: TestApp) {
    let admin = app.admin().await;
    let (status, wav) = upload(
        &app,
        &admin,
        ("welcome.wav", tone_wav(44_100, 2, 440.0, 2.0)),
        Some("欢迎语"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{wav}");
    assert_eq!(wav["name"], "欢迎语");
    assert_eq!(wav["duration_ms"], 2000);
    let id = wav["id"].as_str().unwrap().to_owned();
    assert_eq!(wav["prompt"], format!("up-{id}"));
    let (status, heard) = listen(&app, &admin, &id).await;
    assert_eq!(status, StatusCode::OK);
    assert_tone(&heard.unwrap(), 440.0, 2_000);
    // Kept on disk under the tenant, and in memory for the media runner.
    let tenant = app
        .store
        .tenant_by_name(&switchboard_engine::TenantName::parse("demo").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let file = app
        .data
        .path()
        .join("prompts")
        .join(tenant.0.to_string())
        .join(format!("{id}.wav"));
    assert!(file.exists(), "{}", file.display());
    assert_eq!(
        app.state
            .voice
            .prompts
            .audio(&format!("up-{id}"))
            .unwrap()
            .len(),
        16_000
    );

    // An MP3 at 48 kHz; its name defaults to the file's.
    let (status, mp3) = upload(
        &app,
        &admin,
        ("after-sales.mp3", tone_mp3(48_000, 1_000.0, 3.0)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{mp3}");
    assert_eq!(mp3["name"], "after-sales");
    let ms = mp3["duration_ms"].as_i64().unwrap();
    assert!((2_940..=3_100).contains(&ms), "{ms} ms");
    let (_, heard) = listen(&app, &admin, mp3["id"].as_str().unwrap()).await;
    assert_tone(&heard.unwrap(), 1_000.0, ms as u64);

    let (_, list) = app.get(&admin, "/api/v1/voice/prompts").await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["after-sales", "欢迎语"]);
    let (_, builtin) = app.get(&admin, "/api/v1/voice/builtin-prompts").await;
    assert!(
        builtin
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["prompt"] == "zh-welcome"),
        "{builtin}"
    );
    let res = app
        .client
        .get(app.url("/api/v1/voice/builtin-prompts/zh-welcome"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(switchboard_media::wav::read(&res.bytes().await.unwrap()).is_ok());

    // Renamed; a name taken is a 409.
    let path = format!("/api/v1/voice/prompts/{id}");
    let (status, body) = app.put(&admin, &path, json!({ "name": "新欢迎语" })).await;
    assert_eq!(
        (status, &body["name"]),
        (StatusCode::OK, &json!("新欢迎语"))
    );
    let got = app
        .put(&admin, &path, json!({ "name": "after-sales" }))
        .await;
    assert_error(&got, StatusCode::CONFLICT, "conflict");
    let got = upload(
        &app,
        &admin,
        ("x.wav", tone_wav(8_000, 1, 300.0, 1.0)),
        Some("after-sales"),
    )
    .await;
    assert_error(&got, StatusCode::CONFLICT, "conflict");
}

async fn bad_audio_is_refused_and_changes_nothing(app: TestApp) {
    let admin = app.admin().await;
    let got = upload(
        &app,
        &admin,
        ("notes.wav", b"RIFF but not really audio".repeat(50)),
        None,
    )
    .await;
    assert_error(&got, StatusCode::UNPROCESSABLE_ENTITY, "invalid_audio");
    assert_eq!(got.1["field"], "file");
    let got = upload(
        &app,
        &admin,
        ("x.mp3", b"plain text pretending".repeat(50)),
        None,
    )
    .await;
    assert_error(&got, StatusCode::UNPROCESSABLE_ENTITY, "invalid_audio");
    let got = upload(&app, &admin, ("empty.wav", Vec::new()), None).await;
    assert_error(&got, StatusCode::BAD_REQUEST, "invalid_field");
    // 601 s of 8 kHz mono: under 10 MB, over 10 minutes.
    let got = upload(
        &app,
        &admin,
        ("long.wav", tone_wav(8_000, 1, 300.0, 601.0)),
        None,
    )
    .await;
    assert_error(&got, StatusCode::UNPROCESSABLE_ENTITY, "invalid_audio");
    assert!(
        got.1["message"].as_str().unwrap().contains("10 minutes"),
        "{}",
        got.1
    );
    let got = upload(
        &app,
        &admin,
        ("huge.wav", vec![0u8; 11 * 1024 * 1024]),
        None,
    )
    .await;
    assert_eq!(got.0, StatusCode::PAYLOAD_TOO_LARGE, "{}", got.1);
    let (_, list) = app.get(&admin, "/api/v1/voice/prompts").await;
    assert_eq!(list, json!([]));
}

async fn prompts_in_use_stay_and_other_tenants_cannot_use_them(app: TestApp) {
    let admin = app.admin().await;
    let (_, prompt) = upload(
        &app,
        &admin,
        ("hi.wav", tone_wav(16_000, 1, 500.0, 1.0)),
        Some("hi"),
    )
    .await;
    let (id, name) = (
        prompt["id"].as_str().unwrap().to_owned(),
        prompt["prompt"].as_str().unwrap().to_owned(),
    );
    let queues = voice_queues(&app, &admin).await;
    let mut def = small_flow(&queues[1]);
    def["nodes"]["menu"]["prompts"] = json!([name, "en-welcome"]);
    let (status, flow) = app
        .post(
            &admin,
            "/api/v1/voice/flows",
            json!({ "name": "plays", "definition": def }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{flow}");
    let path = format!("/api/v1/voice/prompts/{id}");
    let got = app.delete(&admin, &path).await;
    assert_error(&got, StatusCode::CONFLICT, "in_use");
    assert!(
        got.1["message"].as_str().unwrap().contains("plays"),
        "{}",
        got.1
    );

    let beta = second_tenant(&app).await;
    assert_eq!(listen(&app, &beta, &id).await.0, StatusCode::NOT_FOUND);
    assert_error(
        &app.delete(&beta, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_error(
        &app.put(&beta, &path, json!({ "name": "mine" })).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let beta_def = json!({ "start": "p", "nodes": {
        "p": { "type": "play", "label": "放音", "prompts": [name], "next": "bye" },
        "bye": { "type": "hangup", "label": "再见" } } });
    let got = app
        .post(
            &beta,
            "/api/v1/voice/flows",
            json!({ "name": "steal", "definition": beta_def }),
        )
        .await;
    assert_error(&got, StatusCode::UNPROCESSABLE_ENTITY, "invalid_flow");
    assert_eq!(got.1["field"], "definition.nodes.p.prompts");
    let (_, list) = app.get(&beta, "/api/v1/voice/prompts").await;
    assert_eq!(list, json!([]));

    let flow_path = format!("/api/v1/voice/flows/{}", flow["id"].as_str().unwrap());
    assert_eq!(
        app.delete(&admin, &flow_path).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.delete(&admin, &path).await.0, StatusCode::NO_CONTENT);
    assert_eq!(listen(&app, &admin, &id).await.0, StatusCode::NOT_FOUND);
    assert!(
        app.state.voice.prompts.audio(&name).is_none(),
        "gone from memory too"
    );
}

on_both!(
    wav_and_mp3_become_telephone_audio,
    bad_audio_is_refused_and_changes_nothing,
    prompts_in_use_stay_and_other_tenants_cannot_use_them,
);
