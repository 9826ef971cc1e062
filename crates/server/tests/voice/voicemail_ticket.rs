//! A voice queue whose voicemail becomes a ticket: the after-sales queue (a 5 s maximum wait,
//! the greeting in English) set to tickets of a "voicemail" type that has an attachment
//! field. The customer (baresip, a 440 Hz tone) waits, hears the greeting, speaks and hangs
//! up — so the recording is finished only after the call ended. Checked: the ticket the
//! system opened (title and phone the caller's number, the number and the message's length
//! as the description, the after-sales group, the call linked, the message's facts and its
//! recording's URL in the trail's created entry), and that its recording — a WAV of
//! the caller's tone, not silence — plays for whoever sees the ticket (an agent of the
//! group), while an agent outside the group sees no ticket.

use std::time::Duration;

use serde_json::{json, Value};
use switchboard_engine::Channel;

use crate::audio;
use crate::on_both;
use crate::peers::{self, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

/// A ticket type named `name` with the system fields and one attachment field `recording`.
async fn voicemail_type(app: &TestApp, admin: &str, name: &str) -> String {
    let (status, t) = app
        .post(
            admin,
            "/api/v1/ticket-types",
            json!({ "name": name, "fields": null }),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{t}");
    let mut fields = t["fields"].as_array().unwrap().clone();
    fields.push(json!({ "code": "recording", "label": "录音 Recording", "type": "attachment" }));
    let id = t["id"].as_str().unwrap().to_owned();
    let body = json!({ "name": name, "version": 1, "fields": fields, "workflow": t["workflow"] });
    let (status, saved) = app
        .put(admin, &format!("/api/v1/ticket-types/{id}"), body)
        .await;
    assert_eq!(status.as_u16(), 200, "{saved}");
    id
}

/// The ticket whose phone names `number`, as the supervisor lists all tickets.
async fn ticket_for(app: &TestApp, supervisor: &str, number: &str) -> Option<Value> {
    let (status, page) = app.get(supervisor, "/api/v1/tickets?tab=all").await;
    assert_eq!(status.as_u16(), 200, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["phone"].as_str().is_some_and(|p| p.contains(number)))
        .cloned()
}

async fn a_message_on_a_queue_set_to_tickets_becomes_a_ticket_with_the_recording(app: TestApp) {
    let voice = peers::start(&app).await;
    let queues = app.store.skill_queues(voice.tenant).await.unwrap();
    let aftersales = queues
        .iter()
        .find(|q| q.spec.channel == Channel::Voice && q.spec.name.as_str().starts_with("售后服务"))
        .unwrap()
        .id
        .0;
    let admin = app.token("demo", "admin", DEMO_PASSWORD).await;
    let type_id = voicemail_type(&app, &admin, "语音留言 Voicemail").await;
    let settings = json!({"announce_every_s": null, "languages": ["en"], "voicemail_ticket_type_id": type_id, "voicemail_max_s": 10});
    let path = format!("/api/v1/voice/queues/{aftersales}");
    let (status, body) = app.put(&admin, &path, settings).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    assert_eq!(
        (
            body["voicemail_ticket_type_id"].as_str(),
            &body["voicemail_queue_id"]
        ),
        (Some(type_id.as_str()), &Value::Null)
    );
    let (status, body) = app
        .patch(
            &admin,
            &format!("/api/v1/queues/{aftersales}"),
            json!({"max_wait_s": 5}),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    // The directory is rebuilt after the change; give the runtime a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let customer = Phone::customer("13900139001", 440.0).await;
    customer
        .command("dial", &format!("sip:4001@{}", voice.sip))
        .await;
    // 5 s of waiting, the greeting (3.4 s) and the tone; then about 6 s of message, and the
    // customer hangs up: the recording is finished as the call's media ends.
    tokio::time::sleep(Duration::from_secs(15)).await;
    customer.command("hangup", "").await;

    let supervisor = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let mut row = None;
    for _ in 0..200 {
        row = ticket_for(&app, &supervisor, "13900139001").await;
        if row.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let row = row.expect("the message became a ticket");
    assert_eq!(row["type_id"].as_str(), Some(type_id.as_str()), "{row}");
    assert_eq!(row["group_id"], aftersales.to_string(), "the queue's group");
    assert_eq!(row["assignee_id"], Value::Null, "the group claims it");
    let id = row["id"].as_str().unwrap();

    // agent2 works after-sales: the ticket is theirs to see and claim; agent1's is pre-sales.
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (status, _) = app.get(&agent1, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(status.as_u16(), 404, "agent1 is not of the group");
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let (status, ticket) = app.get(&agent2, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(status.as_u16(), 200, "{ticket}");
    assert_eq!(ticket["can"]["claim"], true, "{ticket}");
    assert_eq!(ticket["created_by"], Value::Null, "the system opened it");
    let fields = &ticket["fields"];
    let caller = fields["phone"].as_str().unwrap();
    assert!(caller.ends_with("13900139001"), "{fields}");
    assert_eq!(fields["title"], caller, "titled with the caller's number");

    // The trail: created by the system from the voicemail, the call linked; the created
    // entry holds the message's facts and its recording's URL.
    let (_, trail) = app
        .get(&agent2, &format!("/api/v1/tickets/{id}/trail"))
        .await;
    let created = &trail[0];
    assert_eq!(
        (created["action"].as_str(), &created["actor_id"]),
        (Some("created"), &Value::Null),
        "{trail}"
    );
    let facts = &created["detail"]["voicemail"];
    assert_eq!(facts["caller"], caller, "{trail}");
    let ms = facts["voicemail_ms"].as_u64().unwrap();
    let seconds = ms as f64 / 1000.0;
    assert!(
        (3.0..=10.5).contains(&seconds),
        "the message lasted {seconds} s"
    );
    let record = facts["call_record"].as_str().unwrap();
    let (status, call) = app.get(&admin, &format!("/api/v1/calls/{record}")).await;
    assert_eq!(status.as_u16(), 200, "{call}");
    assert!(call["caller"].as_str().unwrap().ends_with("13900139001"));
    assert!(
        trail
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "contact_linked"),
        "{trail}"
    );
    // The description: a neutral line, the number and the length as m:ss.
    let s = (ms + 500) / 1000;
    assert_eq!(
        fields["description"].as_str(),
        Some(format!("{caller} · {}:{:02}", s / 60, s % 60).as_str()),
        "{fields}"
    );

    // The recording: the attachment field names its file, the trail where it plays.
    let url = facts["recording"]
        .as_str()
        .expect("the created entry carries the recording");
    let file_id = url.split('/').nth(5).unwrap().split('?').next().unwrap();
    assert_eq!(fields["recording"], json!([file_id]), "{fields}");
    let res = app.client.get(app.url(url)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "audio/wav");
    let wav = switchboard_media::wav::read(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(
        (
            wav.format,
            wav.sample_rate,
            wav.channels.len(),
            wav.repaired
        ),
        (switchboard_media::wav::WavFormat::Pcm16, 8_000, 1, false),
        "a finished 16-bit mono WAV"
    );
    let samples = &wav.channels[0];
    let length = samples.len() as f64 / 8_000.0;
    assert!(
        (length - seconds).abs() < 0.5,
        "the file holds the message ({length} s of {seconds} s)"
    );
    let tone = audio::tone_seconds(samples, 440.0);
    assert!(
        tone >= 2.0,
        "the message holds the customer's tone ({tone} s)"
    );
    let wrong_key = url.replace("key=", "key=x");
    let res = app.client.get(app.url(&wrong_key)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404, "only with the file's key");
}

on_both!(a_message_on_a_queue_set_to_tickets_becomes_a_ticket_with_the_recording);
