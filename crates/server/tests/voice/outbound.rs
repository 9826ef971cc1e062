//! Outbound calls against real phones. Agent1's phone (baresip, 1 kHz) and a customer's
//! phone behind the carrier's proxy (baresip, 2 kHz, answers by itself): agent1 dials from
//! the API, busy (outbound allowed), with the number group's caller number; their phone
//! rings first, then the customer's through the trunk. Checked: each heard the other, the
//! recording holds both, the customer hanging up puts agent1 in wrap-up, and the call
//! record is outbound, agent1's, from the presented number to the customer.
//!
//! Then the toll-fraud guard through the API: the trunk's proxy is a socket of the test's,
//! and of every request the API refuses (a number the rules refuse, premium, abroad, not a
//! number; a caller number not the agent's; at rest; signed out; over the daily limit;
//! after the admin's rules changed) none reaches it, while the one allowed call does.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::json;
use switchboard_engine::{Channel, HotlineNumberId, NumberGroupId, SipTrunkId, SkillQueueId};
use switchboard_media::g711::Codec;
use switchboard_storage::{
    HotlineNumber, NumberGroup, NumberRoute, OutboundProxy, OutboundRule, SipTrunk,
    TrunkRegistration as StoredRegistration,
};

use crate::audio;
use crate::journey::walk;
use crate::on_both;
use crate::peers::{self, ports, sipp_on, Phone, Voice};
use crate::support::{TestApp, DEMO_PASSWORD};

const CUSTOMER: &str = "+8613800138000";
const PRESENTED: &str = "95000";

/// A trunk whose outbound calls go to 127.0.0.1:`proxy`, number 95000 on it, and a number
/// group giving 95000 (its default) to the pre-sales queue's agents.
async fn carrier(app: &TestApp, voice: &Voice, proxy: u16) -> SkillQueueId {
    carrier_with(app, voice, proxy, None).await
}

/// The same, the trunk registering with `registration` (whose account it calls with).
async fn carrier_with(
    app: &TestApp,
    voice: &Voice,
    proxy: u16,
    registration: Option<StoredRegistration>,
) -> SkillQueueId {
    let s = app.store.as_ref();
    let presales = s
        .skill_queues(voice.tenant)
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.spec.channel == Channel::Voice)
        .unwrap()
        .id;
    let trunk = SipTrunk {
        id: SipTrunkId::new(),
        name: "carrier".into(),
        peers: vec![],
        enabled: true,
        registration,
        outbound: Some(OutboundProxy {
            host: "127.0.0.1".into(),
            port: proxy,
        }),
    };
    s.save_sip_trunk(voice.tenant, &trunk, 0).await.unwrap();
    let number = HotlineNumber {
        id: HotlineNumberId::new(),
        number: PRESENTED.into(),
        inbound: false,
        survey: false,
        route: NumberRoute::Queue(presales),
        outbound: true,
        outbound_trunk: Some(trunk.id),
    };
    s.save_hotline_number(voice.tenant, &number, 0)
        .await
        .unwrap();
    let group = NumberGroup {
        id: NumberGroupId::new(),
        name: "外呼".into(),
        numbers: vec![number.id],
        queues: vec![presales],
        default_number: Some(number.id),
    };
    s.save_number_group(voice.tenant, &group, 0).await.unwrap();
    app.state.voice.directory_changed(voice.tenant);
    // The SIP side rebuilds its directory on its own task.
    tokio::time::sleep(Duration::from_millis(500)).await;
    presales
}

async fn registered(app: &TestApp, voice: &Voice) {
    let (state, tenant, a1) = (app.state.clone(), voice.tenant, voice.agents[0]);
    assert!(
        peers::registered(&state, tenant, &[a1]).await,
        "agent1's phone registered"
    );
}

async fn agent_state(app: &TestApp, token: &str) -> String {
    let (_, me) = app.get(token, "/api/v1/agent").await;
    me["state"].as_str().unwrap_or_default().to_owned()
}

async fn an_agent_calls_a_customer_through_the_trunk(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let phone1 = Phone::start(voice.sip, "1001", 1_000.0).await;
    let customer = Phone::callee(CUSTOMER, 2_000.0).await;
    registered(&app, &voice).await;
    carrier(&app, &voice, customer.sip).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    let (status, body) = app
        .post(&agent1, "/api/v1/agent/state", json!({ "state": "busy" }))
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");

    let (status, contact) = app
        .post(
            &agent1,
            "/api/v1/agent/calls",
            json!({ "number": "138 0013 8000" }),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{contact}");
    assert_eq!(contact["state"], "connected", "{contact}");
    assert_eq!(contact["direction"], "outbound", "{contact}");
    let id = contact["id"].as_str().unwrap().to_owned();
    assert_eq!(agent_state(&app, &agent1).await, "talking");
    let (status, again) = app
        .post(
            &agent1,
            "/api/v1/agent/calls",
            json!({ "number": "13900139000" }),
        )
        .await;
    assert_eq!(
        (status.as_u16(), again["code"].as_str()),
        (409, Some("on_a_call")),
        "{again}"
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    customer.command("hangup", "").await;
    let wrapped = peers::contact_reaches(&app, &agent1, &id, "wrap_up").await;
    assert!(wrapped, "the customer hung up: agent1 wraps up");

    let heard = customer
        .heard()
        .expect("the customer's phone kept what it heard");
    let from_agent = audio::tone_seconds(&heard, 1_000.0);
    assert!(
        from_agent >= 3.0,
        "the customer heard agent1 ({from_agent} s)"
    );
    let heard1 = phone1.heard().expect("agent1's phone kept what it heard");
    let from_customer = audio::tone_seconds(&heard1, 2_000.0);
    assert!(
        from_customer >= 3.0,
        "agent1 heard the customer ({from_customer} s)"
    );

    let record = crate::journey::ended_call(&app, PRESENTED).await;
    assert_eq!(record["direction"], "outbound", "{record}");
    assert_eq!(record["dialled"], CUSTOMER, "{record}");
    assert_eq!(
        record["agent_id"],
        voice.agents[0].0.to_string(),
        "{record}"
    );
    assert_eq!(record["contact_id"], id, "{record}");
    let recordings = walk(voice.recordings.path());
    assert_eq!(recordings.len(), 1, "{recordings:?}");
    let wav = switchboard_media::wav::read(&std::fs::read(&recordings[0]).unwrap()).unwrap();
    assert!(
        audio::tone_seconds(&wav.channels[0], 2_000.0) >= 3.0,
        "the customer recorded"
    );
    assert!(
        audio::tone_seconds(&wav.channels[1], 1_000.0) >= 3.0,
        "agent1 recorded"
    );
}

/// The INVITEs that reached the carrier's proxy so far, by Call-ID (retransmissions once).
fn invites(carrier: &std::net::UdpSocket, seen: &mut HashSet<String>) -> Vec<String> {
    let mut buf = [0u8; 65_535];
    let mut new = Vec::new();
    while let Ok(n) = carrier.recv(&mut buf) {
        let text = String::from_utf8_lossy(&buf[..n]).to_string();
        if !text.starts_with("INVITE ") {
            continue;
        }
        let call_id = text
            .lines()
            .find_map(|l| l.strip_prefix("Call-ID: "))
            .unwrap_or_default()
            .to_owned();
        if seen.insert(call_id) {
            new.push(text.lines().next().unwrap_or_default().to_owned());
        }
    }
    new
}

async fn no_refused_call_reaches_the_trunk(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let _phone1 = Phone::start(voice.sip, "1001", 1_000.0).await;
    let proxy = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    proxy.set_nonblocking(true).unwrap();
    registered(&app, &voice).await;
    carrier(&app, &voice, proxy.local_addr().unwrap().port()).await;
    let mut seen = HashSet::new();
    let dial = |number: &str, caller: Option<&str>| {
        let mut body = json!({ "number": number });
        if let Some(c) = caller {
            body["caller_number"] = json!(c);
        }
        body
    };
    let refused = [
        (dial("13800138000", None), 409, "not_signed_in"),
        (dial("+1 650 555 0100", None), 403, "destination_refused"),
        (dial("16812345678", None), 403, "destination_refused"),
        (dial("95588", None), 403, "destination_refused"),
        (dial("call me", None), 400, "invalid_field"),
        (dial("13800138000", Some("4002")), 400, "invalid_field"),
    ];
    for (i, (body, status, code)) in refused.into_iter().enumerate() {
        if i == 1 {
            app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
        }
        let (s, out) = app.post(&agent1, "/api/v1/agent/calls", body.clone()).await;
        assert_eq!(
            (s.as_u16(), out["code"].as_str()),
            (status, Some(code)),
            "{body}: {out}"
        );
    }
    app.post(&agent1, "/api/v1/agent/state", json!({ "state": "rest" }))
        .await;
    let (s, out) = app
        .post(&agent1, "/api/v1/agent/calls", dial("13800138000", None))
        .await;
    assert_eq!(
        (s.as_u16(), out["code"].as_str()),
        (409, Some("agent_resting")),
        "{out}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        invites(&proxy, &mut seen),
        Vec::<String>::new(),
        "nothing refused went out"
    );

    // The one allowed call reaches the carrier (after agent1's phone answered).
    app.post(&agent1, "/api/v1/agent/state", json!({ "state": "idle" }))
        .await;
    let (s, contact) = app
        .post(
            &agent1,
            "/api/v1/agent/calls",
            dial("13800138000", Some(PRESENTED)),
        )
        .await;
    assert_eq!(s.as_u16(), 201, "{contact}");
    let mut out = Vec::new();
    for _ in 0..100 {
        out.extend(invites(&proxy, &mut seen));
        if !out.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(out, [format!("INVITE sip:{CUSTOMER}@127.0.0.1 SIP/2.0")]);
    let id = contact["id"].as_str().unwrap();
    let (s, body) = app
        .post(
            &agent1,
            &format!("/api/v1/contacts/{id}/release"),
            json!({}),
        )
        .await;
    assert_eq!(s.as_u16(), 200, "{body}");
    app.post(&agent1, "/api/v1/agent/continue", json!({})).await;

    // One call a day, then the rules change to mobiles only: refused before the trunk.
    let s = app.store.as_ref();
    let rule = |prefix: &str, allow| OutboundRule {
        prefix: prefix.into(),
        min_digits: 13,
        max_digits: 13,
        allow,
        label: "手机".into(),
    };
    s.set_outbound_policy(voice.tenant, &[rule("+861", true)], Some(1))
        .await
        .unwrap();
    app.state.voice.directory_changed(voice.tenant);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (st, out) = app
        .post(&agent1, "/api/v1/agent/calls", dial("13800138000", None))
        .await;
    assert_eq!(
        (st.as_u16(), out["code"].as_str()),
        (429, Some("daily_limit_reached")),
        "{out}"
    );
    s.set_outbound_policy(voice.tenant, &[rule("+861", true)], None)
        .await
        .unwrap();
    let (st, out) = app
        .post(&agent1, "/api/v1/agent/calls", dial("010-12345678", None))
        .await;
    assert_eq!(
        (st.as_u16(), out["code"].as_str()),
        (403, Some("destination_refused")),
        "{out}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        invites(&proxy, &mut seen),
        Vec::<String>::new(),
        "nothing refused went out"
    );
}

/// A customer (baresip, 440 Hz) calls in; agent1 hands them to an outside number (a
/// baresip phone behind the carrier, 2 kHz): they hear each other, agent1 wraps up, and the
/// call record names the hand-over.
async fn a_customer_is_handed_to_an_outside_number(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let _phone1 = Phone::start(voice.sip, "1001", 1_000.0).await;
    let outside = Phone::callee("+861012345678", 2_000.0).await;
    registered(&app, &voice).await;
    carrier(&app, &voice, outside.sip).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    let customer = Phone::customer("13800138000", 440.0).await;
    customer
        .command("dial", &format!("sip:4002@{}", voice.sip))
        .await;
    let contact = peers::connected_contact(&app, &agent1).await;
    let path = format!("/api/v1/contacts/{contact}/transfer/number");
    let (status, body) = app
        .post(&agent1, &path, json!({ "number": "+1 650 555 0100" }))
        .await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (403, Some("destination_refused")),
        "{body}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (status, body) = app
        .post(&agent1, &path, json!({ "number": "010-12345678" }))
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let wrapped = peers::contact_reaches(&app, &agent1, &contact, "wrap_up").await;
    assert!(wrapped, "agent1 left the call and wraps up");
    tokio::time::sleep(Duration::from_secs(4)).await;
    customer.command("hangup", "").await;
    tokio::time::sleep(Duration::from_millis(800)).await;

    let heard = customer
        .heard()
        .expect("the customer's phone kept what it heard");
    let from_outside = audio::tone_seconds(&heard, 2_000.0);
    assert!(
        from_outside >= 2.5,
        "the customer heard the outside number ({from_outside} s)"
    );
    let heard_out = outside
        .heard()
        .expect("the outside phone kept what it heard");
    let from_customer = audio::tone_seconds(&heard_out, 440.0);
    assert!(
        from_customer >= 2.5,
        "the outside number heard the customer ({from_customer} s)"
    );
    let record = crate::journey::ended_call(&app, "13800138000").await;
    let handoffs = record["handoffs"].as_array().unwrap();
    assert_eq!(handoffs.len(), 1, "{record}");
    assert_eq!(handoffs[0]["kind"], "external");
    assert_eq!(handoffs[0]["to_target"], "+861012345678");
    assert_eq!(handoffs[0]["from_agent_id"], voice.agents[0].0.to_string());
}

/// The carrier (sipp): challenges the first INVITE (401: sipp's `verifyauth` reads the
/// `Authorization` header only; the 407 and `Proxy-Authorization` path is the voice crate's
/// simulated-time test), checks the Digest answer of the second against the trunk's account
/// itself, answers only when it is right (else 403, and the scenario fails), plays sipp's
/// g711a.pcap and waits for the agent's BYE.
fn challenging_carrier() -> String {
    let pcap = crate::journey::PCAP;
    let sdp = crate::journey::pcma_sdp(1);
    format!(
        r#"<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="challenging carrier">
<recv request="INVITE"/>
<send><![CDATA[
SIP/2.0 401 Unauthorized
[last_Via:]
[last_From:]
[last_To:];tag=[pid]auth
[last_Call-ID:]
[last_CSeq:]
WWW-Authenticate: Digest realm="carrier.example", nonce="5a1b2c3d4e5f60718293a4b5c6d7e8f9", qop="auth"
Content-Length: 0

]]></send>
<recv request="ACK"/>
<recv request="INVITE">
  <action><verifyauth assign_to="authvalid" username="8610" password="s3cret 密"/></action>
</recv>
<nop hide="true" test="authvalid" next="good"/>
<send><![CDATA[
SIP/2.0 403 Forbidden
[last_Via:]
[last_From:]
[last_To:];tag=[pid]cust
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
<recv request="ACK"/>
<recv request="INFO" timeout="500"/>
<label id="good"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]cust
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:customer@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

{sdp}]]></send>
<recv request="ACK"/>
<nop><action><exec play_pcap_audio="{pcap}"/></action></nop>
<recv request="BYE" timeout="15000"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
</scenario>"#
    )
}

async fn a_carrier_that_challenges_calls_gets_the_trunks_account(app: TestApp) {
    let voice = peers::start(&app).await;
    let agent1 = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let phone1 = Phone::start(voice.sip, "1001", 1_000.0).await;
    registered(&app, &voice).await;
    // The trunk registers with a registrar that never answers (a socket of the test's): only
    // its account matters here.
    let registrar = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let registration = StoredRegistration {
        domain: "127.0.0.1".into(),
        port: registrar.local_addr().unwrap().port(),
        username: "8610".into(),
        password: "s3cret 密".into(),
        expires_s: 600,
    };
    let proxy = ports(1);
    let sip = voice.sip;
    let carrier_side =
        tokio::spawn(async move { sipp_on(proxy, sip, &challenging_carrier(), &[]).await });
    carrier_with(&app, &voice, proxy, Some(registration)).await;
    app.post(&agent1, "/api/v1/agent/sign-in", json!({})).await;
    app.post(&agent1, "/api/v1/agent/state", json!({ "state": "busy" }))
        .await;
    let (status, contact) = app
        .post(
            &agent1,
            "/api/v1/agent/calls",
            json!({ "number": CUSTOMER }),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{contact}");
    let id = contact["id"].as_str().unwrap().to_owned();
    // The pcap plays for 7 s once the carrier answered the second INVITE.
    tokio::time::sleep(Duration::from_secs(9)).await;
    phone1.command("hangup", "").await;
    assert!(
        carrier_side.await.unwrap(),
        "the carrier took the trunk's account and the call went through"
    );
    let wrapped = peers::contact_reaches(&app, &agent1, &id, "wrap_up").await;
    assert!(wrapped, "agent1 hung up and wraps up");

    let record = crate::journey::ended_call(&app, PRESENTED).await;
    assert_eq!(record["dialled"], CUSTOMER, "{record}");
    assert!(record["answered_at"].is_string(), "{record}");
    assert_eq!(record["contact_id"], id, "{record}");
    let sent = audio::envelope(&audio::pcap_audio(crate::journey::PCAP, Codec::Pcma));
    let heard = phone1.heard().expect("agent1's phone kept what it heard");
    let score = audio::best_match(&sent, &audio::envelope(&heard), 150);
    assert!(
        score > 0.6,
        "agent1 heard the customer (envelope correlation {score:.2})"
    );
}

on_both!(
    a_carrier_that_challenges_calls_gets_the_trunks_account,
    an_agent_calls_a_customer_through_the_trunk,
    no_refused_call_reaches_the_trunk,
    a_customer_is_handed_to_an_outside_number
);
