//! Bulk user import from CSV and .xlsx: all or nothing, with a per-row report.

use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;

use crate::on_both;
use crate::support::TestApp;

async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    let res = app
        .client
        .post(app.url("/api/v1/users/import"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn logins(app: &TestApp, token: &str) -> Vec<String> {
    let (_, users) = app.get(token, "/api/v1/users").await;
    users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].as_str().unwrap().to_owned())
        .collect()
}

const HEADER: &str = "login,real_name,display_name,chat_limit,roles,password\n";

async fn a_good_csv_imports_every_row(app: TestApp) {
    let admin = app.admin().await;
    let csv = format!("\u{feff}{HEADER}zhao,赵一,小赵,5,agent,first-pass-1\nqian,钱二,小钱,3,agent;supervisor,first-pass-2\n\n");
    let (status, body) = upload(&app, &admin, "users.csv", csv.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], 2);
    let qian = app
        .login("demo", "qian", "first-pass-2")
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(qian["must_change_password"], true);
    assert_eq!(
        qian["user"]["roles"],
        serde_json::json!(["agent", "supervisor"])
    );
}

async fn one_bad_row_refuses_the_whole_file_with_a_report(app: TestApp) {
    let admin = app.admin().await;
    let before = logins(&app, &admin).await;
    let csv = format!(
        "{HEADER}good1,好人,好人,5,agent,first-pass-1\nagent1,重名,重名,5,agent,first-pass-1\nbad login,,x,many,wizard,short\ngood1,又一个,x,1,,first-pass-1\n"
    );
    let (status, body) = upload(&app, &admin, "users.csv", csv.into_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "import_rejected");
    let errors: Vec<(u64, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(u64, String)> = [
        (3, "login"),
        (4, "login"),
        (4, "real_name"),
        (4, "chat_limit"),
        (4, "roles"),
        (4, "password"),
        (5, "login"),
    ]
    .iter()
    .map(|(r, c)| (*r, (*c).to_owned()))
    .collect();
    assert_eq!(errors, expected);
    assert_eq!(logins(&app, &admin).await, before, "nothing was imported");
}

async fn xlsx_imports_and_templates_read_back(app: TestApp) {
    let admin = app.admin().await;
    let res = app
        .client
        .get(app.url("/api/v1/users/import/template.xlsx"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let template = res.bytes().await.unwrap();
    assert!(template.starts_with(b"PK"));
    let res = app
        .client
        .get(app.url("/api/v1/users/import/template.csv"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("login,real_name,display_name,chat_limit,roles,password"));

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [[&str; 6]; 2] = [
        [
            "login",
            "real_name",
            "display_name",
            "chat_limit",
            "roles",
            "password",
        ],
        ["13800138000", "孙三", "小孙", "", "agent", "xlsx-pass-1"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    sheet.write_number(1, 3, 4.0).unwrap();
    let (status, body) = upload(&app, &admin, "users.xlsx", book.save_to_buffer().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(logins(&app, &admin)
        .await
        .contains(&"13800138000".to_owned()));
}

async fn unreadable_and_oversized_uploads_are_refused(app: TestApp) {
    let admin = app.admin().await;
    let before = logins(&app, &admin).await;
    let (status, body) = upload(&app, &admin, "users.csv", b"name,email\nx,y\n".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["message"].as_str().unwrap().contains("unknown column"));
    let (status, _) = upload(&app, &admin, "users.csv", HEADER.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a header without rows");
    let (status, _) = upload(&app, &admin, "x.bin", vec![0xff, 0xd8, 0xff, 0x00]).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _) = upload(
        &app,
        &admin,
        "x.xlsx",
        b"PK\x03\x04 not really a zip".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let many = HEADER.to_owned() + &"a,b,c,1,,long-enough\n".repeat(2001);
    let (status, body) = upload(&app, &admin, "many.csv", many.into_bytes()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let big = vec![b'a'; 50 * 1024 * 1024];
    let form = Form::new().part("file", Part::bytes(big).file_name("big.csv"));
    match app
        .client
        .post(app.url("/api/v1/users/import"))
        .bearer_auth(&admin)
        .multipart(form)
        .send()
        .await
    {
        Ok(res) => assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE),
        // The server may close the connection before the client has finished sending 50 MB.
        Err(err) => assert!(err.is_request() || err.is_body(), "{err}"),
    }
    assert_eq!(logins(&app, &admin).await, before);
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK,
        "still running"
    );
}

on_both!(
    a_good_csv_imports_every_row,
    one_bad_row_refuses_the_whole_file_with_a_report,
    xlsx_imports_and_templates_read_back,
    unreadable_and_oversized_uploads_are_refused,
);
