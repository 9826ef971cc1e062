//! A customer calls the hotline through the trunk (sipp playing the RTP of sipp's own
//! g711a.pcap), waits in the pre-sales queue, the routing engine offers the call to agent1,
//! whose phone (baresip, auto-answer, playing a 1 kHz tone) rings and answers; they talk,
//! the customer hangs up. Checked: the agent's phone heard what the customer sent, the
//! recording holds the customer on the left and the agent's tone on the right, and the
//! engine moved the agent to wrap-up. The same with a delayed offer, and with a session
//! refresh (a re-INVITE without SDP) halfway through.

use std::time::Duration;

use serde_json::json;
use switchboard_media::g711::Codec;

use crate::audio;
use crate::on_both;
use crate::peers::{self, sipp, Phone};
use crate::support::{TestApp, DEMO_PASSWORD};

pub const PCAP: &str = "/usr/share/sip-tester/g711a.pcap";

/// The SDP of a sipp peer sending PCMA (sipp's g711a.pcap) with RFC 4733 keys, version
/// `version` of its session.
pub fn pcma_sdp(version: u32) -> String {
    format!(
        "v=0
o=customer 1 {version} IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8 101
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
"
    )
}

/// The customer: INVITE 4002 with PCMA, answered at once by the queue; after 1.5 s (the
/// agent's phone answers meanwhile) plays the pcap (7 s), then hangs up.
pub fn customer() -> String {
    let sdp = pcma_sdp(1);
    format!(
        r#"<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="customer">
<send retrans="500"><![CDATA[
INVITE sip:4002@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13800138000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:4002@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:13800138000@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{sdp}]]></send>
<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="200" rtd="true" rrs="true"/>
<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13800138000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:4002@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
<pause milliseconds="1500"/>
<nop><action><exec play_pcap_audio="{PCAP}"/></action></nop>
<pause milliseconds="7500"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13800138000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:4002@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200"/>
</scenario>"#
    )
}

/// The same customer with a delayed offer: an INVITE without SDP, our offer in the 200,
/// their answer in the ACK.
fn customer_with_a_delayed_offer() -> String {
    let c = customer();
    let sdp_start = c.find("Content-Type: application/sdp").unwrap();
    let sdp_end = c[sdp_start..].find("]]>").unwrap() + sdp_start;
    let sdp_part = c[sdp_start..sdp_end].to_owned();
    let c = c.replacen(&sdp_part, "Content-Length: 0\n\n", 1);
    c.replacen(
        "CSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n",
        &format!("CSeq: 1 ACK\nMax-Forwards: 70\n{sdp_part}"),
        1,
    )
}

/// The same customer refreshing the session halfway through the pcap with a re-INVITE
/// without SDP: our 200 offers, their ACK answers (the same address), the audio goes on.
fn customer_with_a_session_refresh() -> String {
    let refresh = r#"<pause milliseconds="3000"/>
<send retrans="500"><![CDATA[
INVITE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13800138000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:4002@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 INVITE
Contact: <sip:13800138000@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="100" optional="true"/>
<recv response="200"/>
<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13800138000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:4002@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 ACK
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{sdp}]]></send>
<pause milliseconds="4500"/>"#
        .replace("{sdp}", &pcma_sdp(2));
    customer()
        .replacen(r#"<pause milliseconds="7500"/>"#, &refresh, 1)
        .replacen("CSeq: 2 BYE", "CSeq: 3 BYE", 1)
}

async fn a_customer_reaches_an_agent_and_both_are_heard_and_recorded(app: TestApp) {
    journey(app, &customer()).await;
}

async fn a_customer_with_a_delayed_offer_is_heard_and_recorded(app: TestApp) {
    let scenario = customer_with_a_delayed_offer();
    let invite = &scenario[..scenario.find("<recv").unwrap()];
    assert!(!invite.contains("v=0"), "the INVITE carries no SDP");
    journey(app, &scenario).await;
}

async fn journey(app: TestApp, customer: &str) {
    let voice = peers::start(&app).await;
    let agent = app.token("demo", "agent1", DEMO_PASSWORD).await;
    let (status, me) = app.post(&agent, "/api/v1/agent/sign-in", json!({})).await;
    assert_eq!(
        (status.as_u16(), me["state"].as_str()),
        (200, Some("idle")),
        "{me}"
    );
    let phone = Phone::start(voice.sip, "1001", 1_000.0).await;
    let (state, tenant, agent_id) = (app.state.clone(), voice.tenant, voice.agents[0]);
    assert!(
        peers::registered(&state, tenant, &[agent_id]).await,
        "baresip registered"
    );

    let ports = state.voice.rtp_ports_free();
    assert!(ports > 0);
    assert!(
        sipp(voice.sip, customer, &[]).await,
        "the customer's call went through"
    );
    let back = peers::eventually(Duration::from_secs(5), || {
        state.voice.rtp_ports_free() == ports
    });
    assert!(back.await, "every port came back once its media closed");

    let (_, me) = app.get(&agent, "/api/v1/agent").await;
    assert_eq!(
        me["state"], "wrap_up",
        "the engine connected the call and released it: {me}"
    );

    let sent = audio::envelope(&audio::pcap_audio(PCAP, Codec::Pcma));
    let heard = phone.heard().expect("the phone kept what it heard");
    let score = audio::best_match(&sent, &audio::envelope(&heard), 150);
    assert!(
        score > 0.6,
        "the agent heard the customer (envelope correlation {score:.2})"
    );

    let recordings: Vec<_> = walk(voice.recordings.path());
    assert_eq!(recordings.len(), 1, "one recording: {recordings:?}");
    let wav = switchboard_media::wav::read(&std::fs::read(&recordings[0]).unwrap()).unwrap();
    let (left, right) = (&wav.channels[0], &wav.channels[1]);
    let score = audio::best_match(&sent, &audio::envelope(left), 150);
    assert!(
        score > 0.6,
        "the recording's left channel is the customer ({score:.2})"
    );
    let seconds = audio::tone_seconds(right, 1_000.0);
    assert!(
        seconds >= 5.0,
        "the recording's right channel is the agent's 1 kHz tone ({seconds} s)"
    );
    assert!(
        left.len() > 8_000 * 7,
        "the recording covers the conversation ({} samples)",
        left.len()
    );

    the_call_record_tells_the_call(&app, &recordings[0]).await;
}

/// The call's record, as a supervisor reads it: who called, who answered, who hung up, the
/// legs' media quality, and the recording served with range requests.
pub async fn the_call_record_tells_the_call(app: &TestApp, file: &std::path::Path) {
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    // The legs' quality is written once their media closed, just after the call ended.
    let mut detail = serde_json::Value::Null;
    for _ in 0..250 {
        let (_, page) = app.get(&sup, "/api/v1/calls").await;
        if let Some(id) = page["items"][0]["id"].as_str() {
            detail = app.get(&sup, &format!("/api/v1/calls/{id}")).await.1;
            let legs = detail["legs"].as_array().cloned().unwrap_or_default();
            if legs.len() >= 2 && legs.iter().all(|l| !l["quality"].is_null()) {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!("call record: {detail:#}");
    assert!(
        detail["caller"]
            .as_str()
            .is_some_and(|c| c.contains("13800138000")),
        "{detail}"
    );
    assert_eq!(detail["dialled"], "4002");
    assert_eq!(detail["direction"], "inbound");
    assert_eq!(detail["agent_name"], "小红 Xiaohong", "answered by agent1");
    assert_eq!(detail["released_by"], "caller");
    assert_eq!(detail["end_status"], 200);
    assert!(detail["queue_id"].is_string() && detail["contact_id"].is_string());
    assert!(detail["answered_at"].is_string() && detail["ended_at"].is_string());
    assert!(detail["wait_ms"].as_i64().is_some_and(|w| w >= 0));
    assert!(detail["talk_ms"].as_i64().is_some_and(|t| t > 7_000));
    assert_eq!(detail["recording"], true);
    let legs = detail["legs"].as_array().unwrap();
    let parties: Vec<&str> = legs.iter().map(|l| l["party"].as_str().unwrap()).collect();
    assert_eq!(parties, ["caller", "agent"], "{detail}");
    assert_eq!(legs[1]["agent_name"], "小红 Xiaohong");
    assert_eq!(legs[0]["codec"], "PCMA", "the customer offered PCMA only");
    for leg in legs {
        assert!(
            leg["answered_at"].is_string() && leg["ended_at"].is_string(),
            "{leg}"
        );
        let q = &leg["quality"];
        assert!(q["packets"].as_i64().is_some_and(|p| p > 100), "{leg}");
        let mos = q["mos"].as_f64().unwrap_or_default();
        assert!((1.0..=4.5).contains(&mos), "MOS {mos}: {leg}");
    }

    let id = detail["id"].as_str().unwrap();
    let stored = std::fs::read(file).unwrap();
    let res = app
        .client
        .get(app.url(&format!("/api/v1/calls/{id}/recording?token={sup}")))
        .header("range", "bytes=0-1023")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 206);
    assert_eq!(
        res.headers()["content-range"].to_str().unwrap(),
        format!("bytes 0-1023/{}", stored.len())
    );
    let head = res.bytes().await.unwrap();
    assert_eq!(head.as_ref(), &stored[..1024]);
    assert!(head.starts_with(b"RIFF"));
    let agent2 = app.token("demo", "agent2", DEMO_PASSWORD).await;
    let res = app
        .client
        .get(app.url(&format!("/api/v1/calls/{id}/recording?token={agent2}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404, "agent2 did not take the call");
}

pub fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

async fn a_customer_refreshing_the_session_without_an_offer_is_still_heard(app: TestApp) {
    let scenario = customer_with_a_session_refresh();
    assert!(scenario.contains("CSeq: 2 INVITE") && scenario.contains("CSeq: 3 BYE"));
    journey(app, &scenario).await;
}

on_both!(
    a_customer_reaches_an_agent_and_both_are_heard_and_recorded,
    a_customer_with_a_delayed_offer_is_heard_and_recorded,
    a_customer_refreshing_the_session_without_an_offer_is_still_heard
);

/// The detail of the newest call of `number`, once it ended (as a supervisor reads it).
pub async fn ended_call(app: &TestApp, number: &str) -> serde_json::Value {
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    for _ in 0..200 {
        let (_, page) = app
            .get(&sup, &format!("/api/v1/calls?number={number}"))
            .await;
        if page["items"][0]["ended_at"].is_string() {
            let id = page["items"][0]["id"].as_str().unwrap().to_owned();
            return app.get(&sup, &format!("/api/v1/calls/{id}")).await.1;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no ended call of {number}");
}
