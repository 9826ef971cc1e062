//! Call records over the API (V13): an agent sees only their own calls ("my call records"),
//! a holder of `recordings.access` sees every call of the tenant and searches them; the
//! recording plays with range requests for the call's agent and `recordings.access` only,
//! and never across tenants. A ticket lists the calls of the contacts it links to whoever
//! sees the ticket, the recording playable only for those the recording endpoint serves.

use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE, RANGE};
use reqwest::StatusCode;
use serde_json::{json, Value};
use switchboard_engine::{ContactId, SkillQueueId, TenantId, TenantName, UserId};
use switchboard_storage::{
    CallDirection, CallLeg, CallParty, CallRecord, CallReleasedBy, CallSurvey, LegQuality,
};
use uuid::Uuid;

use crate::on_both;
use crate::support::{assert_error, TestApp, DEMO_PASSWORD};

async fn demo(app: &TestApp) -> (TenantId, UserId, UserId, SkillQueueId) {
    let s = &app.store;
    let tenant = s
        .tenant_by_name(&TenantName::parse("demo").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let users = s.users(tenant).await.unwrap();
    let id = |login: &str| users.iter().find(|u| u.login.as_str() == login).unwrap().id;
    let queue = s.skill_queues(tenant).await.unwrap()[0].id;
    (tenant, id("agent1"), id("agent2"), queue)
}

fn call(caller: &str, started_at: i64, agent: Option<UserId>, queue: SkillQueueId) -> CallRecord {
    CallRecord {
        id: Uuid::now_v7(),
        caller: caller.into(),
        dialled: "4000".into(),
        direction: CallDirection::Inbound,
        started_at,
        answered_at: Some(started_at + 2_000),
        ended_at: Some(started_at + 62_000),
        queue: Some(queue),
        queued_at: Some(started_at),
        wait_ms: Some(2_000),
        agent,
        released_by: Some(CallReleasedBy::Caller),
        end_status: Some(200),
        contact: None,
        recording: true,
        recording_ms: Some(60_000),
        ivr_path: String::new(),
        variables: Vec::new(),
        survey: None,
        survey_score: None,
        handoffs: Vec::new(),
    }
}

/// Fetches a recording with the token in the query, as an `<audio>` element does.
async fn recording(app: &TestApp, token: &str, id: Uuid, range: Option<&str>) -> reqwest::Response {
    let mut req = app
        .client
        .get(app.url(&format!("/api/v1/calls/{id}/recording?token={token}")));
    if let Some(r) = range {
        req = req.header(RANGE, r);
    }
    req.send().await.unwrap()
}

async fn agents_see_their_calls_and_recordings_stay_with_those_allowed(app: TestApp) {
    let (tenant, agent1, agent2, queue) = demo(&app).await;
    let dir = tempfile::tempdir().unwrap();
    app.state.voice.set_recordings(dir.path().to_owned());
    let now = app.clock.now_ms();
    let mine = call("13800138000", now - 60_000, Some(agent1), queue);
    let theirs = call("13900139000", now - 30_000, Some(agent2), queue);
    let unanswered = CallRecord {
        answered_at: None,
        agent: None,
        recording: false,
        recording_ms: None,
        ..call("13700137000", now - 10_000, None, queue)
    };
    for c in [&mine, &theirs, &unanswered] {
        app.store.save_call_record(tenant, c).await.unwrap();
    }
    let leg = CallLeg {
        id: Uuid::now_v7(),
        call: mine.id,
        party: CallParty::Agent,
        agent: Some(agent1),
        codec: "PCMA".into(),
        ring_at: mine.started_at + 500,
        answered_at: mine.answered_at,
        ended_at: mine.ended_at,
        quality: Some(LegQuality {
            packets: 3_000,
            lost: 30,
            jitter_ms: 2.5,
            mos_x100: Some(421),
        }),
    };
    app.store.save_call_leg(tenant, &leg).await.unwrap();
    let audio: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let folder = dir.path().join(tenant.0.to_string());
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(format!("{}.wav", mine.id)), &audio).unwrap();
    std::fs::write(folder.join(format!("{}.wav", theirs.id)), &audio).unwrap();

    let a1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let a2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };

    // My call records: agent1 sees their one call, even when asking for another agent's.
    let (status, page) = app.get(&a1, "/api/v1/calls").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(ids(&page), [mine.id.to_string()]);
    let (_, page) = app
        .get(&a1, &format!("/api/v1/calls?agent_id={}", agent2.0))
        .await;
    assert_eq!(ids(&page), [mine.id.to_string()]);
    let (status, detail) = app.get(&a1, &format!("/api/v1/calls/{}", mine.id)).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["caller"], "13800138000");
    assert_eq!(detail["agent_name"], "小红 Xiaohong");
    assert_eq!(detail["released_by"], "caller");
    assert_eq!(detail["talk_ms"], 60_000);
    assert_eq!(detail["legs"][0]["party"], "agent");
    assert_eq!(detail["legs"][0]["quality"]["packets"], 3_000);
    assert_eq!(detail["legs"][0]["quality"]["mos"], 4.21);
    assert_eq!(detail["legs"][0]["quality"]["loss_percent"], 0.99);
    let (status, _) = app.get(&a1, &format!("/api/v1/calls/{}", theirs.id)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another agent's call");

    // The supervisor (recordings.access) sees and searches all.
    let (_, page) = app.get(&sup, "/api/v1/calls").await;
    assert_eq!(
        ids(&page),
        [unanswered.id, theirs.id, mine.id].map(|i| i.to_string())
    );
    let (_, page) = app.get(&sup, "/api/v1/calls?number=1390").await;
    assert_eq!(ids(&page), [theirs.id.to_string()]);
    let (_, page) = app
        .get(&sup, &format!("/api/v1/calls?agent_id={}", agent1.0))
        .await;
    assert_eq!(ids(&page), [mine.id.to_string()]);
    let (_, page) = app.get(&sup, "/api/v1/calls?limit=2").await;
    assert_eq!(ids(&page).len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let (_, page) = app
        .get(&sup, &format!("/api/v1/calls?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(ids(&page), [mine.id.to_string()]);
    assert!(page["next_cursor"].is_null());
    let from = time::OffsetDateTime::from_unix_timestamp((now - 40_000) / 1000)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (status, page) = app
        .get(
            &sup,
            &format!("/api/v1/calls?from={}", from.replace('+', "%2B")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        ids(&page),
        [unanswered.id, theirs.id].map(|i| i.to_string())
    );
    let (status, body) = app.get(&sup, "/api/v1/calls?from=yesterday").await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("from"))
    );

    // The recording: the call's agent, with ranges.
    let res = recording(&app, &a1, mine.id, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "audio/wav");
    assert_eq!(res.bytes().await.unwrap().as_ref(), audio.as_slice());
    let res = recording(&app, &a1, mine.id, Some("bytes=100-199")).await;
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.headers()[CONTENT_RANGE], "bytes 100-199/10000");
    assert_eq!(res.bytes().await.unwrap().as_ref(), &audio[100..200]);
    let res = recording(&app, &a1, mine.id, Some("bytes=9990-")).await;
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(res.bytes().await.unwrap().as_ref(), &audio[9990..]);
    let res = recording(&app, &a1, mine.id, Some("bytes=10000-")).await;
    assert_eq!(res.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(res.headers()[CONTENT_RANGE], "bytes */10000");
    // With a bearer header too.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/calls/{}/recording", mine.id)))
        .bearer_auth(&a1)
        .header(RANGE, "bytes=0-3")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);

    // agent2 may not hear agent1's call; their own they may.
    let res = recording(&app, &a2, mine.id, None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = recording(&app, &a2, theirs.id, Some("bytes=0-9")).await;
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    // No recording, no file.
    let res = recording(&app, &sup, unanswered.id, None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = recording(&app, "not-a-token", mine.id, None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // A user holding only recordings.access hears every call; one with neither is refused.
    let admin = app.admin().await;
    for (role, perms) in [
        ("listener", vec!["recordings.access"]),
        ("bystander", vec![]),
    ] {
        let (status, body) = app
            .post(
                &admin,
                "/api/v1/roles",
                json!({ "name": role, "permissions": perms }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let listener = app.ready_user(&admin, "listener1", &["listener"]).await;
    let res = recording(&app, &listener, mine.id, Some("bytes=0-0")).await;
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
    let (_, page) = app.get(&listener, "/api/v1/calls").await;
    assert_eq!(ids(&page).len(), 3);
    let bystander = app.ready_user(&admin, "bystander1", &["bystander"]).await;
    let res = recording(&app, &bystander, mine.id, None).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (status, _) = app.get(&bystander, "/api/v1/calls").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Another tenant's admin finds nothing, recording included.
    let beta = crate::isolation::second_tenant(&app).await;
    let (status, _) = app.get(&beta, &format!("/api/v1/calls/{}", mine.id)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let res = recording(&app, &beta, mine.id, None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (_, page) = app.get(&beta, "/api/v1/calls").await;
    assert!(ids(&page).is_empty());

    // Export: the supervisor's, with the list's filters; agents have none.
    let res = app
        .client
        .get(app.url("/api/v1/calls/export?format=csv&lang=en&number=1380"))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(text.contains("Caller,Dialled"), "{text}");
    assert!(
        text.contains("13800138000") && !text.contains("13900139000"),
        "{text}"
    );
    let (status, _) = app.get(&a1, "/api/v1/calls/export?format=xlsx").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let res = app
        .client
        .get(app.url("/api/v1/calls/export?format=xlsx"))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
}

/// The id of the demo queue whose name starts with `prefix`.
async fn queue_named(app: &TestApp, admin: &str, prefix: &str) -> String {
    let (_, queues) = app.get(admin, "/api/v1/queues").await;
    queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["name"].as_str().unwrap().starts_with(prefix))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn a_ticket_lists_its_contacts_calls(app: TestApp) {
    let (tenant, agent1, agent2, queue) = demo(&app).await;
    let admin = app.admin().await;
    let a1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    // agent1 serves a contact and opens a ticket linked to it.
    let tasks = queue_named(&app, &admin, "工单任务").await;
    let (status, contact) = app
        .post(
            &admin,
            "/api/v1/contacts",
            json!({ "queue_id": tasks, "title": "退货", "customer": "13800138000" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    let contact_id = contact["id"].as_str().unwrap().to_owned();
    app.post(&a1, "/api/v1/agent/sign-in", json!({})).await;
    app.post(
        &a1,
        &format!("/api/v1/contacts/{contact_id}/answer"),
        json!({}),
    )
    .await;
    let (_, types) = app.get(&a1, "/api/v1/ticket-types").await;
    let (status, ticket) = app
        .post(
            &a1,
            "/api/v1/tickets",
            json!({ "type_id": types[0]["id"], "contact_id": contact_id, "fields": { "title": "退货" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    let path = format!("/api/v1/tickets/{}/calls", ticket["id"].as_str().unwrap());
    let (status, none) = app.get(&a1, &path).await;
    assert_eq!((status, none), (StatusCode::OK, json!([])), "no call yet");

    // Two calls of the linked contact (agent1's, then agent2's rated one) and one of another.
    let linked = ContactId(Uuid::parse_str(&contact_id).unwrap());
    let now = app.clock.now_ms();
    let mine = CallRecord {
        contact: Some(linked),
        ..call("13800138000", now - 60_000, Some(agent1), queue)
    };
    let theirs = CallRecord {
        contact: Some(linked),
        survey: Some(CallSurvey::Rated),
        survey_score: Some(5),
        ..call("13800138000", now - 30_000, Some(agent2), queue)
    };
    let elsewhere = CallRecord {
        contact: Some(ContactId::new()),
        ..call("13900139000", now - 10_000, Some(agent1), queue)
    };
    for c in [&mine, &theirs, &elsewhere] {
        app.store.save_call_record(tenant, c).await.unwrap();
    }
    let shown = |list: &Value| -> Vec<(String, bool)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let id = c["id"].as_str().unwrap().to_owned();
                (id, c["recording_playable"].as_bool().unwrap())
            })
            .collect()
    };
    // The agent sees both calls; only their own recording plays for them.
    let (status, list) = app.get(&a1, &path).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(
        shown(&list),
        [(theirs.id.to_string(), false), (mine.id.to_string(), true)],
        "newest first, the other contact's call left out"
    );
    assert_eq!(
        (
            &list[0]["agent_name"],
            &list[0]["survey_score"],
            &list[0]["talk_ms"]
        ),
        (&json!("小张 Zhang Wei"), &json!(5), &json!(60_000))
    );
    assert_eq!(
        (
            &list[0]["recording"],
            &list[0]["contact_id"],
            &list[0]["direction"]
        ),
        (&json!(true), &json!(contact_id), &json!("inbound"))
    );
    // recordings.access plays every one.
    let (_, list) = app.get(&sup, &path).await;
    assert_eq!(
        shown(&list),
        [(theirs.id.to_string(), true), (mine.id.to_string(), true)]
    );
    // Someone who does not see the ticket learns nothing of its calls.
    let outsider = app.ready_user(&admin, "outsider", &["agent"]).await;
    assert_error(
        &app.get(&outsider, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let missing = format!("/api/v1/tickets/{}/calls", Uuid::now_v7());
    assert_error(
        &app.get(&sup, &missing).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
}

on_both!(
    agents_see_their_calls_and_recordings_stay_with_those_allowed,
    a_ticket_lists_its_contacts_calls
);
