//! Finishing the generated document in one place, so it says what the server really answers: 401 and 403 where a token is needed, 400 where
//! there is input, 404 where a path names a record, 413 and 415 where there is a body. Each
//! handler documents only its own outcomes.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Schema};

/// Makes the generated document say what the server does: the standard refusals on every
/// operation that can give them, and flattened parts that do not forbid their neighbours.
pub fn complete(doc: &mut OpenApi) {
    open_flattened_parts(doc);
    add_standard_responses(doc);
}

/// A struct that refuses unknown fields as input, flattened into a response, arrives as an
/// inline `allOf` part whose `additionalProperties: false` would forbid the fields of the
/// other parts; in an `allOf` the parts together say which fields exist.
fn open_flattened_parts(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for schema in components.schemas.values_mut() {
        if let RefOr::T(Schema::AllOf(all)) = schema {
            for part in &mut all.items {
                if let RefOr::T(Schema::Object(object)) = part {
                    object.additional_properties = None;
                }
            }
        }
    }
}

/// Adds the standard refusals to every operation of `doc` that can give them.
fn add_standard_responses(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in operations.into_iter().flatten() {
            add_to(op);
        }
    }
}

fn add_to(op: &mut Operation) {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
    let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
    let has_body = op.request_body.is_some();
    // A WebSocket endpoint asked without an upgrade answers 400 (or 405, 426) in our shape.
    let upgrades = op.responses.responses.contains_key("101");
    let wants_token = op.security.as_ref().is_some_and(|reqs| {
        reqs.iter().any(|r| {
            serde_json::to_value(r)
                .is_ok_and(|v| v.as_object().is_some_and(|m| m.contains_key("bearer")))
        })
    });
    let mut add = |status: &str, why: &str, when: bool| {
        if when && !op.responses.responses.contains_key(status) {
            op.responses
                .responses
                .insert(status.to_owned(), error_response(why));
        }
    };
    add(
        "400",
        "The input is invalid; `field` names it.",
        has_body || has_query || has_path || upgrades,
    );
    add("401", "No valid session token.", wants_token);
    add(
        "403",
        "The session lacks the permission, or must change its password first.",
        wants_token,
    );
    add("404", "No such record in the caller's tenant.", has_path);
    add(
        "413",
        "The body is larger than this operation accepts.",
        has_body,
    );
    add(
        "415",
        "The body is not of the documented content type.",
        has_body,
    );
}

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content("application/json", content)
        .build()
        .into()
}
