//! Agent phones registering with sipp: the right password registers the phone (the API's
//! shared state counts its device), a wrong one is refused and registers nothing.

use crate::on_both;
use crate::peers::{self, sipp, SIP_PASSWORD};
use crate::support::TestApp;

/// REGISTER, challenged, then again with digest credentials (sipp's -au/-ap); the last
/// answer must be `expect`.
pub fn register(expect: u16) -> String {
    let request = |cseq: u32, auth: &str| {
        format!(
            r#"<send retrans="500"><![CDATA[
REGISTER sip:demo SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:[service]@demo>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@demo>
Call-ID: [call_id]
CSeq: {cseq} REGISTER
Contact: <sip:[service]@[local_ip]:[local_port]>
{auth}Max-Forwards: 70
Expires: 3600
Content-Length: 0

]]></send>"#
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register">
{}
<recv response="401" auth="true"/>
{}
<recv response="{expect}"/>
</scenario>"#,
        request(1, ""),
        request(2, "[authentication]\n")
    )
}

async fn a_phone_registers_with_its_sip_password(app: TestApp) {
    let voice = peers::start(&app).await;
    let ok = sipp(
        voice.sip,
        &register(200),
        &["-s", "1001", "-au", "1001", "-ap", SIP_PASSWORD],
    )
    .await;
    assert!(ok, "sipp registered");
    let (tenant, agent) = (voice.tenant, voice.agents[0]);
    let state = app.state.clone();
    assert!(peers::registered(&state, tenant, &[agent]).await);
}

async fn a_wrong_password_registers_nothing(app: TestApp) {
    let voice = peers::start(&app).await;
    let refused = sipp(
        voice.sip,
        &register(403),
        &["-s", "1002", "-au", "1002", "-ap", "guess-guess"],
    )
    .await;
    assert!(refused, "sipp saw 403");
    assert_eq!(app.state.voice.devices(voice.tenant, voice.agents[1]), 0);
}

on_both!(
    a_phone_registers_with_its_sip_password,
    a_wrong_password_registers_nothing
);
