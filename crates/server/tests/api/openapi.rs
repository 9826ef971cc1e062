//! The OpenAPI document is checked in as `web/openapi.json`: the web UI generates its wire types
//! from it at build time (the release binary embeds the UI, so the UI's build cannot ask the
//! binary). This test fails when the live document and the file differ; `UPDATE_OPENAPI=1`
//! rewrites the file instead.

use std::path::PathBuf;

use serde_json::{Map, Value};

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web/openapi.json")
}

/// The same value with every object's keys in sorted order, so the file's order does not
/// depend on how the document was put together.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sorted(v)))
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// The document as the file holds it: pretty-printed, keys sorted, a final newline.
fn rendered() -> String {
    let (_, doc) = switchboard_server::api::routes();
    let value = sorted(serde_json::to_value(&doc).unwrap());
    let mut text = serde_json::to_string_pretty(&value).unwrap();
    text.push('\n');
    text
}

/// Generators name an operation by its id, so two handlers of the same name in different
/// modules (`users::list`, `roles::list`) need an explicit `operation_id`.
#[test]
fn operation_ids_are_unique() {
    let (_, doc) = switchboard_server::api::routes();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        let value = serde_json::to_value(item).unwrap();
        for (method, op) in value.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                let here = format!("{} {path}", method.to_uppercase());
                if let Some(other) = seen.insert(id.to_owned(), here.clone()) {
                    panic!("operationId `{id}` is used by {other} and {here}; give one an `operation_id`");
                }
            }
        }
    }
}

#[test]
fn web_openapi_json_matches_the_server() {
    let path = snapshot_path();
    let live = rendered();
    if std::env::var_os("UPDATE_OPENAPI").is_some_and(|v| !v.is_empty() && v != "0") {
        std::fs::write(&path, &live).unwrap();
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    if stored != live {
        let line = stored
            .lines()
            .zip(live.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| stored.lines().count().min(live.lines().count()));
        panic!(
            "web/openapi.json differs from the server's OpenAPI document (first at line {}).\n\
             The web UI's wire types are generated from that file. Refresh it with\n\
             \tUPDATE_OPENAPI=1 cargo test -p switchboard-server --test api openapi\n\
             then run `npm run typecheck` in web/ and commit both.",
            line + 1
        );
    }
}
