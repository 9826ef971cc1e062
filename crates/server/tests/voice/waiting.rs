//! A caller waiting in the after-sales queue with nobody to answer (the demo's settings,
//! made quicker: the place in line every 10 s in English, a 14 s maximum wait, voicemail
//! into the task queue). The customer (baresip, a 440 Hz tone) hears their place, then the
//! voicemail greeting, leaves a message and presses `#`. Checked: what the customer heard,
//! the callback task that agent2 then takes, and that agent2 — not agent3 — may hear the
//! message, which holds the customer's tone.

use std::time::Duration;

use serde_json::{json, Value};
use switchboard_engine::Channel;

use crate::audio;
use crate::on_both;
use crate::peers::{self, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

/// Waits for agent2's first contact to be offered; its id and data.
async fn offered_to(app: &TestApp, agent: &str) -> (String, Value) {
    for _ in 0..300 {
        let (_, me) = app.get(agent, "/api/v1/agent").await;
        let c = &me["contacts"][0];
        if c["state"] == "offered" {
            return (c["id"].as_str().unwrap().to_owned(), c.clone());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing was offered to the agent");
}

async fn a_caller_hears_their_place_and_leaves_a_message_for_a_callback(app: TestApp) {
    let voice = peers::start(&app).await;
    let queues = app.store.skill_queues(voice.tenant).await.unwrap();
    let find = |channel: Channel, start: &str| {
        queues
            .iter()
            .find(|q| q.spec.channel == channel && q.spec.name.as_str().starts_with(start))
            .unwrap()
            .id
            .0
    };
    let (aftersales, tasks) = (
        find(Channel::Voice, "售后服务"),
        find(Channel::Task, "工单任务"),
    );
    let admin = app.token("demo", "admin", DEMO_PASSWORD).await;
    let path = format!("/api/v1/voice/queues/{aftersales}");
    for (bad, field) in [
        (
            json!({"announce_every_s": 5, "languages": ["en"], "voicemail_queue_id": tasks, "voicemail_max_s": 10}),
            "announce_every_s",
        ),
        (
            json!({"announce_every_s": 10, "languages": [], "voicemail_queue_id": tasks, "voicemail_max_s": 10}),
            "languages",
        ),
        (
            json!({"announce_every_s": 10, "languages": ["en", "en"], "voicemail_queue_id": null, "voicemail_max_s": 10}),
            "languages",
        ),
        (
            json!({"announce_every_s": 10, "languages": ["en"], "voicemail_queue_id": aftersales, "voicemail_max_s": 10}),
            "voicemail_queue_id",
        ),
    ] {
        let (status, body) = app.put(&admin, &path, bad).await;
        assert_eq!(
            (status.as_u16(), body["field"].as_str()),
            (400, Some(field)),
            "{body}"
        );
    }
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (status, _) = app.get(&agent, "/api/v1/voice/queues").await;
    assert_eq!(status.as_u16(), 403, "an agent manages no queues");
    let settings = json!({"announce_every_s": 10, "languages": ["en"], "voicemail_queue_id": tasks, "voicemail_max_s": 10});
    let (status, body) = app.put(&admin, &path, settings).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let (status, body) = app
        .patch(
            &admin,
            &format!("/api/v1/queues/{aftersales}"),
            json!({"max_wait_s": 14}),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let (_, list) = app.get(&admin, "/api/v1/voice/queues").await;
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["queue_id"] == aftersales.to_string())
        .unwrap();
    assert_eq!(listed["announce_every_s"], 10);
    // The directory is rebuilt after the change; give the runtime a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let customer = Phone::customer("13900139000", 440.0).await;
    customer
        .command("dial", &format!("sip:4001@{}", voice.sip))
        .await;
    // 10 s: "You are next in line."; 14 s: the greeting (7 s) and the tone; then the message.
    tokio::time::sleep(Duration::from_secs(26)).await;
    customer.command("sndcode", "#").await;
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let (status, body) = app.post(&agent2, "/api/v1/agent/sign-in", json!({})).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let (id, contact) = offered_to(&app, &agent2).await;
    assert_eq!(contact["channel"], "task", "{contact}");
    let (status, body) = app
        .post(&agent2, &format!("/api/v1/contacts/{id}/answer"), json!({}))
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let stored = app
        .store
        .stored_contact(
            voice.tenant,
            switchboard_engine::ContactId::parse(&id).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    let data: Value = serde_json::from_str(&stored.data).unwrap();
    assert_eq!(data["callback"], true, "{data}");
    assert!(data["caller"].as_str().unwrap().contains("13900139000"));
    let seconds = data["voicemail_ms"].as_u64().unwrap() as f64 / 1000.0;
    assert!(
        (2.0..=10.5).contains(&seconds),
        "the message lasted {seconds} s"
    );

    // The customer is hung up after goodbye; what they heard: their place, the greeting.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let heard = customer
        .heard()
        .expect("the customer's phone kept what it heard");
    let heard = audio::envelope(&heard);
    let score =
        |name: &str| audio::best_match(&audio::envelope(&audio::prompt(name)), &heard, 30 * 50);
    for name in ["en-next", "en-voicemail"] {
        let s = score(name);
        assert!(s > 0.6, "the customer heard {name} ({s:.2})");
    }
    // The queue speaks English only: the Chinese greeting was not played.
    let s = score("zh-voicemail");
    assert!(s < 0.6, "zh-voicemail was not played ({s:.2})");

    // The message is agent2's to hear now, and nobody else's but supervisors'.
    let record = data["call_record"].as_str().unwrap();
    let url = |token: &str| app.url(&format!("/api/v1/calls/{record}/recording?token={token}"));
    let agent3 = app.token("demo", "agent3", DEMO_PASSWORD).await;
    let res = app.client.get(url(&agent3)).send().await.unwrap();
    assert_eq!(
        res.status().as_u16(),
        404,
        "agent3 did not take the callback"
    );
    let mut wav = None;
    for _ in 0..100 {
        let res = app.client.get(url(&agent2)).send().await.unwrap();
        if res.status().as_u16() == 200 {
            wav = Some(res.bytes().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let wav = switchboard_media::wav::read(&wav.expect("agent2 may hear the message")).unwrap();
    let tone = audio::tone_seconds(&wav.channels[0], 440.0);
    assert!(
        tone >= 2.0,
        "the message holds the customer's tone ({tone} s)"
    );
}

on_both!(a_caller_hears_their_place_and_leaves_a_message_for_a_callback);
