//! A trunk that registers with its provider: sipp plays the provider's registrar, challenges
//! the first REGISTER and checks the Digest answer against the account's password itself
//! (`verifyauth`), answering 200 only when it is right. The admin sees the trunk registered,
//! and never its password.

use std::time::Duration;

use serde_json::{json, Value};

use crate::on_both;
use crate::peers::{self, ports, sipp_on};
use crate::support::{TestApp, DEMO_PASSWORD};

const REGISTRAR: &str = r#"<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="registrar">
<recv request="REGISTER"/>
<send><![CDATA[
SIP/2.0 401 Unauthorized
[last_Via:]
[last_From:]
[last_To:];tag=[pid]reg
[last_Call-ID:]
[last_CSeq:]
WWW-Authenticate: Digest realm="carrier.example", nonce="47364c23432d2e131a5fb210812c", qop="auth"
Content-Length: 0

]]></send>
<recv request="REGISTER">
  <action><verifyauth assign_to="authvalid" username="8610" password="s3cret 密"/></action>
</recv>
<nop hide="true" test="authvalid" next="good"/>
<send next="end"><![CDATA[
SIP/2.0 403 Forbidden
[last_Via:]
[last_From:]
[last_To:];tag=[pid]reg
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
<label id="good"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]reg
[last_Call-ID:]
[last_CSeq:]
[last_Contact:];expires=120
Content-Length: 0

]]></send>
<label id="end"/>
</scenario>"#;

async fn trunk(app: &TestApp, token: &str, name: &str) -> Value {
    let (_, list) = app.get(token, "/api/v1/voice/trunks").await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .cloned()
        .unwrap_or(Value::Null)
}

async fn a_trunk_registers_with_its_provider(app: TestApp) {
    let voice = peers::start(&app).await;
    let port = ports(1);
    let server = voice.sip;
    let registrar = tokio::spawn(async move { sipp_on(port, server, REGISTRAR, &[]).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let admin = app.token("demo", "admin", DEMO_PASSWORD).await;
    let body = json!({
        "name": "carrier",
        "registration": {
            "domain": "127.0.0.1", "port": port, "username": "8610",
            "password": "s3cret 密", "expires_s": 120
        }
    });
    let (status, created) = app.post(&admin, "/api/v1/voice/trunks", body).await;
    assert_eq!(status.as_u16(), 201, "{created}");
    assert!(
        !created.to_string().contains("s3cret"),
        "the password is not sent back"
    );
    assert_eq!(created["registration"]["username"], "8610");
    assert!(registrar.await.unwrap(), "the registrar took our REGISTERs");
    let mut seen = Value::Null;
    for _ in 0..100 {
        seen = trunk(&app, &admin, "carrier").await;
        if seen["registered"] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen["registered"], true, "the trunk is registered: {seen}");
    // A change without the password keeps the one stored.
    let id = seen["id"].as_str().unwrap();
    let body = json!({
        "name": "carrier",
        "registration": {"domain": "127.0.0.1", "port": port, "username": "8610", "expires_s": 300}
    });
    let (status, body) = app
        .put(&admin, &format!("/api/v1/voice/trunks/{id}"), body)
        .await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let stored = app.store.sip_trunks(voice.tenant).await.unwrap();
    let reg = stored.iter().find_map(|t| t.registration.clone()).unwrap();
    assert_eq!((reg.password.as_str(), reg.expires_s), ("s3cret 密", 300));
    // Wrong credentials: the registrar refuses them, and the trunk shows down.
    let port = ports(1);
    let registrar = tokio::spawn(async move { sipp_on(port, server, REGISTRAR, &[]).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let body = json!({
        "name": "wrong",
        "registration": {"domain": "127.0.0.1", "port": port, "username": "8610", "password": "guess"}
    });
    let (status, body) = app.post(&admin, "/api/v1/voice/trunks", body).await;
    assert_eq!(status.as_u16(), 201, "{body}");
    assert!(registrar.await.unwrap());
    let mut seen = Value::Null;
    for _ in 0..100 {
        seen = trunk(&app, &admin, "wrong").await;
        if seen["registered"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen["registered"], false, "refused: {seen}");
    let bad = json!({"name": "other", "registration": {"domain": "no such host!", "username": "u", "password": "p"}});
    let (status, body) = app.post(&admin, "/api/v1/voice/trunks", bad).await;
    assert_eq!(
        (status.as_u16(), body["field"].as_str()),
        (400, Some("registration.domain"))
    );
}

on_both!(a_trunk_registers_with_its_provider);
