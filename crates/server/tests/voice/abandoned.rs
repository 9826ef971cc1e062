//! A customer calls the hotline, waits in the pre-sales queue with no agent signed in, and
//! hangs up after a while (sipp). The call record says so: queued, waited, nobody answered,
//! the caller released, no recording; the caller's leg was answered by the queue and, having
//! sent no audio, has no MOS.

use std::time::Duration;

use crate::on_both;
use crate::peers::{self, sipp};
use crate::support::{TestApp, DEMO_PASSWORD};

/// INVITE 4002 with PCMU, answered by the queue; hang up after 1.5 s without sending audio.
const GIVES_UP: &str = r#"<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="gives up">
<send retrans="500"><![CDATA[
INVITE sip:4002@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13900139000@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
To: <sip:4002@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:13900139000@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=customer 1 1 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="200" rtd="true" rrs="true"/>
<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13900139000@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
To: <sip:4002@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
<pause milliseconds="1500"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13900139000@[local_ip]:[local_port]>;tag=[pid]SIPpTag01[call_number]
To: <sip:4002@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200"/>
</scenario>"#;

async fn a_caller_who_gives_up_in_the_queue_is_on_record(app: TestApp) {
    let voice = peers::start(&app).await;
    assert!(
        sipp(voice.sip, GIVES_UP, &[]).await,
        "the call went through"
    );
    let sup = app.token("demo", "supervisor", DEMO_PASSWORD).await;
    let mut detail = serde_json::Value::Null;
    for _ in 0..250 {
        let (_, page) = app.get(&sup, "/api/v1/calls?number=13900139000").await;
        if let Some(id) = page["items"][0]["id"].as_str() {
            detail = app.get(&sup, &format!("/api/v1/calls/{id}")).await.1;
            if detail["legs"][0]["quality"].is_object() && detail["ended_at"].is_string() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(detail["released_by"], "caller", "{detail}");
    assert!(detail["queue_name"].is_string(), "{detail}");
    assert!(
        detail["agent_id"].is_null() && detail["answered_at"].is_null(),
        "{detail}"
    );
    assert!(detail["talk_ms"].is_null(), "{detail}");
    assert_eq!(detail["recording"], false);
    let wait = detail["wait_ms"].as_i64().unwrap();
    assert!(
        (1_000..10_000).contains(&wait),
        "waited about 1.5 s: {wait}"
    );
    let legs = detail["legs"].as_array().unwrap();
    assert_eq!(legs.len(), 1, "nobody was offered the call: {detail}");
    assert_eq!(
        (legs[0]["party"].as_str(), legs[0]["codec"].as_str()),
        (Some("caller"), Some("PCMU"))
    );
    assert!(
        legs[0]["answered_at"].is_string(),
        "the queue answered: {detail}"
    );
    assert_eq!(legs[0]["quality"]["packets"], 0);
    assert!(
        legs[0]["quality"]["mos"].is_null(),
        "no audio, no MOS: {detail}"
    );
    let id = detail["id"].as_str().unwrap();
    let res = app
        .client
        .get(app.url(&format!("/api/v1/calls/{id}/recording?token={sup}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404, "no recording");
}

on_both!(a_caller_who_gives_up_in_the_queue_is_on_record);
