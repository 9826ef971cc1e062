//! Request extractors whose rejections speak our error format.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use switchboard_engine::validation::refused_char;

use crate::error::ApiError;

/// A JSON body. Refuses a wrong content type (415), an oversized body (413), malformed JSON
/// and wrong field types (400, naming the field).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::client(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                // The body stopped arriving (the body timeout) or the client went away.
                ApiError::client(
                    StatusCode::BAD_REQUEST,
                    "incomplete_body",
                    "the request body did not arrive whole in time",
                )
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A JSON body that may be left out entirely (an empty body is `None`).
pub struct MaybeJson<T>(pub Option<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for MaybeJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let empty = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "0")
            || (req.headers().get(header::CONTENT_TYPE).is_none()
                && req.headers().get(header::TRANSFER_ENCODING).is_none());
        if empty {
            return Ok(MaybeJson(None));
        }
        ApiJson::from_request(req, state)
            .await
            .map(|ApiJson(v)| MaybeJson(Some(v)))
    }
}

pub fn too_large() -> ApiError {
    ApiError::client(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "the request body is larger than this endpoint accepts",
    )
}

/// Parses JSON, naming the path of the first bad field. Text the product refuses
/// ([`refused_char`]) anywhere in the document, keys included, is a 400 naming where.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|err| ApiError::Client {
        status: StatusCode::BAD_REQUEST,
        code: "invalid_json",
        message: err.to_string(),
        field: None,
    })?;
    refuse_controls(&value)?;
    from_value(value)
}

/// A parsed JSON value as `T`, naming the path of the first bad field.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        bad_field(path, err.into_inner().to_string())
    })
}

/// A 400 for a field; serde's "missing field" names none in its path, so it is read off the
/// message.
fn bad_field(path: String, message: String) -> ApiError {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned);
    let field = (path != ".").then_some(path).or(missing);
    ApiError::Client {
        status: StatusCode::BAD_REQUEST,
        code: "invalid_field",
        message,
        field,
    }
}

/// Refuses a JSON document holding text the product does not accept, naming its path.
pub fn refuse_controls(value: &Value) -> Result<(), ApiError> {
    match find_control(value, &mut Vec::new()) {
        Some(path) => Err(refused(if path.is_empty() { ".".into() } else { path })),
        None => Ok(()),
    }
}

fn refused(field: String) -> ApiError {
    ApiError::invalid(
        field,
        "control characters (such as NUL or ESC) are not accepted in text",
    )
}

/// The path (`a.b[2].c`) of the first string or key holding a refused character.
fn find_control(value: &Value, path: &mut Vec<String>) -> Option<String> {
    let found = match value {
        Value::String(s) => refused_char(s).map(|_| path.concat()),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            path.push(format!("[{i}]"));
            let found = find_control(item, path);
            path.pop();
            found
        }),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let dot = if path.is_empty() { "" } else { "." };
            path.push(format!("{dot}{key}"));
            let found = if refused_char(key).is_some() {
                Some(path.concat())
            } else {
                find_control(item, path)
            };
            path.pop();
            found
        }),
        _ => None,
    };
    found
}

/// A query string. Missing or malformed parameters and refused text are a 400 naming the
/// parameter, in the API's error format.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        query_of(parts.uri.query().unwrap_or_default().as_bytes()).map(ApiQuery)
    }
}

/// A query string (without its `?`) as `T`, the way [`ApiQuery`] reads it.
pub fn query_of<T: DeserializeOwned>(query: &[u8]) -> Result<T, ApiError> {
    for (key, value) in form_urlencoded::parse(query) {
        if refused_char(&key).is_some() || refused_char(&value).is_some() {
            return Err(refused(key.into_owned()));
        }
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query));
    serde_path_to_error::deserialize(de)
        .map_err(|err| bad_field(err.path().to_string(), err.into_inner().to_string()))
}

/// Path parameters. One that does not parse, or holds refused text, names nothing that
/// exists: a 404 in the API's error format.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let raw = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found())?;
        if raw.iter().any(|(_, v)| refused_char(v).is_some()) {
            return Err(ApiError::not_found());
        }
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|_| ApiError::not_found())
    }
}

/// A multipart upload; any other body is a 415 in the API's error format.
pub struct ApiMultipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(ApiMultipart)
            .map_err(|_| {
                ApiError::client(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the file as multipart/form-data",
                )
            })
    }
}

/// A WebSocket upgrade; a plain HTTP request gets the API's error format with the status
/// axum chose (405, 400 or 426).
pub struct ApiWebSocket(pub axum::extract::WebSocketUpgrade);

impl<S: Send + Sync> FromRequestParts<S> for ApiWebSocket {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::WebSocketUpgrade::from_request_parts(parts, state)
            .await
            .map(ApiWebSocket)
            .map_err(|r| {
                ApiError::client(
                    r.status(),
                    "websocket_required",
                    format!("this endpoint speaks WebSocket: {}", r.body_text()),
                )
            })
    }
}

/// A path segment that must be a UUID; anything else is a 404, as if the record were missing.
pub struct IdPath(pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::not_found())?;
        uuid::Uuid::parse_str(&raw)
            .map(IdPath)
            .map_err(|_| ApiError::not_found())
    }
}
