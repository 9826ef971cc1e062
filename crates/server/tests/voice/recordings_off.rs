//! `--recordings off`: a call routed straight to a SIP destination connects, carries audio
//! and gets its record, but no recording is written and the record says there is none.

use std::process::Stdio;
use std::time::Duration;

use serde_json::json;

use crate::on_both;
use crate::peers;
use crate::support::{TestApp, DEMO_PASSWORD};

async fn with_recordings_off_a_connected_call_leaves_no_recording(app: TestApp) {
    let voice = peers::start_recording(&app, false).await;
    let callee_port = peers::ports(1);
    let callee_media = peers::ports(4);
    let _callee = tokio::process::Command::new("sipp")
        .args([
            "-sn",
            "uas",
            "-i",
            "127.0.0.1",
            "-p",
            &callee_port.to_string(),
        ])
        .args([
            "-mp",
            &callee_media.to_string(),
            "-rtp_echo",
            "-m",
            "1",
            "-nostdin",
        ])
        .args(["-timeout", "30s"])
        .current_dir(voice.recordings.path().parent().unwrap())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("sipp is installed (make test installs sip-tester)");
    let admin = app.token("demo", "admin", DEMO_PASSWORD).await;
    let uri = format!("sip:callee@127.0.0.1:{callee_port}");
    let body = json!({ "number": "5100", "route": { "kind": "direct", "uri": uri } });
    let (status, _) = app.post(&admin, "/api/v1/voice/numbers", body).await;
    assert_eq!(status.as_u16(), 201);
    // The runtime reloads its directory on its own task.
    tokio::time::sleep(Duration::from_millis(300)).await;

    assert!(
        peers::sipp(voice.sip, &caller(), &[]).await,
        "the call went through"
    );

    let mut call = serde_json::Value::Null;
    for _ in 0..250 {
        let (_, page) = app.get(&admin, "/api/v1/calls?number=5100").await;
        if let Some(id) = page["items"][0]["id"].as_str() {
            call = app.get(&admin, &format!("/api/v1/calls/{id}")).await.1;
            let legs = call["legs"].as_array().cloned().unwrap_or_default();
            if legs.len() == 2 && legs.iter().all(|l| !l["quality"].is_null()) {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(call["answered_at"].is_string(), "connected: {call}");
    assert_eq!(call["recording"], false, "{call}");
    let packets: Vec<i64> = call["legs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["quality"]["packets"].as_i64().unwrap_or(0))
        .collect();
    assert!(
        packets.iter().all(|&p| p > 20),
        "audio flowed both ways all the same: {call}"
    );
    let files = std::fs::read_dir(voice.recordings.path())
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 0, "nothing was written under the recordings folder");
}

/// A caller dialling 5100 through the trunk, sending sipp's g711a.pcap for 2 s.
fn caller() -> String {
    r#"<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller">
<send retrans="500"><![CDATA[
INVITE sip:5100@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13800138000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:5100@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:13800138000@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=caller 1 1 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8
a=rtpmap:8 PCMA/8000
]]></send>
<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="200" rtd="true" rrs="true"/>
<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13800138000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:5100@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
<nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/></action></nop>
<pause milliseconds="2000"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:13800138000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:5100@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200"/>
</scenario>"#
        .to_owned()
}

on_both!(with_recordings_off_a_connected_call_leaves_no_recording);
