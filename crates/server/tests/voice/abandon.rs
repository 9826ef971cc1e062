//! A caller who hangs up while waiting in the queue: the contact appears in the queue while
//! they wait and is gone (abandoned) once they hang up; nothing is left stuck.

use std::time::Duration;

use crate::on_both;
use crate::peers;
use crate::support::TestApp;

/// Calls 4002, is answered by the queue, waits `ms`, hangs up.
pub fn caller(ms: u32) -> String {
    let msg = |method: &str, cseq: u32, uri: &str, extra: &str| {
        format!(
            "<send{}><![CDATA[\n{method} {uri} SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\nFrom: <sip:13900139000@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]\nTo: <sip:4002@[remote_ip]:[remote_port]>{}\nCall-ID: [call_id]\nCSeq: {cseq} {method}\nContact: <sip:13900139000@[local_ip]:[local_port]>\nMax-Forwards: 70\n{extra}\n]]></send>",
            if method == "ACK" { "" } else { " retrans=\"500\"" },
            if method == "INVITE" { "" } else { "[peer_tag_param]" }
        )
    };
    let sdp = "Content-Type: application/sdp\nContent-Length: [len]\n\nv=0\no=c 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\nm=audio [media_port] RTP/AVP 0\n";
    format!(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"abandon\">\n{}\n<recv response=\"100\" optional=\"true\"/>\n<recv response=\"200\" rrs=\"true\"/>\n{}\n<pause milliseconds=\"{ms}\"/>\n{}\n<recv response=\"200\"/>\n</scenario>",
        msg("INVITE", 1, "sip:4002@[remote_ip]:[remote_port]", sdp),
        msg("ACK", 1, "[next_url]", "Content-Length: 0\n"),
        msg("BYE", 2, "[next_url]", "Content-Length: 0\n"),
    )
}

async fn a_caller_hanging_up_in_the_queue_leaves_nothing_behind(app: TestApp) {
    let voice = peers::start(&app).await;
    let server = voice.sip;
    let call = tokio::spawn(async move { peers::sipp(server, &caller(3_000), &[]).await });
    let store = app.store.clone();
    let mut waited = false;
    for _ in 0..50 {
        if !store.open_contacts(voice.tenant).await.unwrap().is_empty() {
            waited = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(waited, "the caller waited in the queue as a contact");
    assert!(call.await.unwrap(), "the caller's call went as scripted");
    let mut gone = false;
    for _ in 0..50 {
        if store.open_contacts(voice.tenant).await.unwrap().is_empty() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(gone, "the abandoned call left the queue");
}

on_both!(a_caller_hanging_up_in_the_queue_leaves_nothing_behind);
