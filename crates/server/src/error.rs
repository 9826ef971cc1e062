//! Every API error, and the one place errors become HTTP responses: 4xx explains what was
//! wrong; 500 says nothing and is logged with its cause.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use switchboard_engine::ValidationError;
use switchboard_storage::StorageError;

/// The JSON body of every error: `{"code", "message", "field"?}` plus, for imports, `errors`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `invalid_field`, `not_found`.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Per-row problems of a refused import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<RowError>>,
}

/// One problem in one cell of an uploaded sheet.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, PartialEq, Eq)]
pub struct RowError {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column's field code.
    pub column: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    Client {
        status: StatusCode,
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    #[error("import rejected")]
    ImportRejected(Vec<RowError>),
    #[error("rate limited")]
    RateLimited { retry_after_s: u64 },
    /// The server is at a bound it keeps (e.g. the password pool); try again shortly.
    #[error("busy")]
    Busy { retry_after_s: u64 },
    /// This server is a standby: another holds the database's lease (`lease.rs`).
    #[error("standby")]
    Standby,
    #[error("internal: {0:#}")]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// When to ask a standby again: it takes over within a few seconds of the holder's end.
const STANDBY_RETRY_S: u64 = 5;

impl ApiError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Client { status, .. } => *status,
            ApiError::ImportRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy { .. } | ApiError::Standby => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn client(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError::Client {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Client {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_field",
            message: message.into(),
            field: Some(field.into()),
        }
    }

    pub fn not_found() -> Self {
        Self::client(StatusCode::NOT_FOUND, "not_found", "no such record")
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::client(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn unauthenticated() -> Self {
        Self::client(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "missing, invalid or expired token; log in again",
        )
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::client(StatusCode::CONFLICT, "conflict", message)
    }

    /// Turns a storage uniqueness conflict into a 409 that names the field at fault.
    pub fn on_conflict<'a>(
        field: &'static str,
        message: &'a str,
    ) -> impl FnOnce(StorageError) -> ApiError + 'a {
        move |err| match err {
            StorageError::Conflict(_) => ApiError::Client {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: message.to_owned(),
                field: Some(field.to_owned()),
            },
            other => other.into(),
        }
    }

    /// Turns a storage reference failure into a 400 that names the field at fault.
    pub fn on_reference<'a>(
        field: &'static str,
        message: &'a str,
    ) -> impl FnOnce(StorageError) -> ApiError + 'a {
        move |err| match err {
            StorageError::Reference(_) => ApiError::invalid(field, message),
            other => other.into(),
        }
    }
}

impl From<crate::engines::ApplyError> for ApiError {
    fn from(err: crate::engines::ApplyError) -> Self {
        use crate::engines::ApplyError;
        use switchboard_engine::acd::EngineError as E;
        let refused = match err {
            ApplyError::Refused(refused) => refused,
            ApplyError::Unavailable(cause) => return ApiError::Internal(cause),
        };
        let message = refused.to_string();
        let (status, code, field) = match refused {
            E::UnknownAgent(_) => (StatusCode::FORBIDDEN, "not_an_agent", None),
            E::UnknownContact(_) => (StatusCode::NOT_FOUND, "not_found", None),
            E::UnknownQueue(_) => (StatusCode::BAD_REQUEST, "invalid_field", Some("queues")),
            E::NotBound(_) => (StatusCode::BAD_REQUEST, "not_bound", Some("queues")),
            E::NoQueuesChosen => (StatusCode::BAD_REQUEST, "no_queues_chosen", Some("queues")),
            E::QueuesNotChoosable => (
                StatusCode::BAD_REQUEST,
                "queues_not_choosable",
                Some("queues"),
            ),
            E::QueuesRequired => (StatusCode::BAD_REQUEST, "queues_required", Some("queues")),
            E::ChannelMismatch { .. } => {
                (StatusCode::BAD_REQUEST, "invalid_field", Some("queue_id"))
            }
            E::DuplicateContact(_) => (StatusCode::CONFLICT, "conflict", None),
            E::NotSignedIn => (StatusCode::CONFLICT, "not_signed_in", None),
            E::AlreadySignedIn => (StatusCode::CONFLICT, "already_signed_in", None),
            E::NoBoundQueues => (StatusCode::CONFLICT, "no_bound_queues", None),
            E::ContactsInProgress => (StatusCode::CONFLICT, "contacts_in_progress", None),
            E::QueueFull(_) => (StatusCode::CONFLICT, "queue_full", None),
            E::NotOffered => (StatusCode::CONFLICT, "not_offered", None),
            E::NotConnected => (StatusCode::CONFLICT, "not_connected", None),
            E::NotInWrapUp => (StatusCode::CONFLICT, "not_in_wrap_up", None),
            E::SummaryRequired => (StatusCode::CONFLICT, "summary_required", None),
            E::CannotReject => (StatusCode::CONFLICT, "cannot_reject", None),
            E::ContactEnded => (StatusCode::CONFLICT, "contact_ended", None),
            E::TargetUnavailable => (StatusCode::CONFLICT, "target_unavailable", None),
            E::TransferToSelf => (StatusCode::BAD_REQUEST, "invalid_field", Some("agent_id")),
            E::Resting => (StatusCode::CONFLICT, "agent_resting", None),
            E::OnACall => (StatusCode::CONFLICT, "on_a_call", None),
            E::NotOutbound => (StatusCode::BAD_REQUEST, "invalid_field", Some("direction")),
        };
        ApiError::Client {
            status,
            code,
            message,
            field: field.map(str::to_owned),
        }
    }
}

impl From<ValidationError> for ApiError {
    fn from(err: ValidationError) -> Self {
        ApiError::invalid(err.field, err.message)
    }
}

impl From<StorageError> for ApiError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::NotFound => ApiError::not_found(),
            StorageError::Conflict(_) => {
                ApiError::conflict("a record with these values already exists")
            }
            StorageError::Reference(_) => ApiError::conflict(
                "the record is still in use, or refers to a record that does not exist",
            ),
            StorageError::Stale => ApiError::client(
                StatusCode::CONFLICT,
                "stale",
                "someone else changed this in the meantime; reload and try again",
            ),
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::Client {
                status,
                code,
                message,
                field,
            } => (
                status,
                ErrorBody {
                    code,
                    message,
                    field,
                    errors: None,
                },
            ),
            ApiError::ImportRejected(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody {
                    code: "import_rejected",
                    message: format!("{} problem(s) found; nothing was imported", errors.len()),
                    field: None,
                    errors: Some(errors),
                },
            ),
            ApiError::RateLimited { retry_after_s } => {
                let message = format!("too many attempts; try again in {retry_after_s} s");
                return retry_later(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    message,
                    retry_after_s,
                );
            }
            ApiError::Busy { retry_after_s } => {
                let message = format!("the server is busy; try again in {retry_after_s} s");
                return retry_later(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    message,
                    retry_after_s,
                );
            }
            ApiError::Standby => {
                return retry_later(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "standby",
                    "this server is a standby: another server holds the database lease; \
                     use that one, or try again when this one has taken over"
                        .to_owned(),
                    STANDBY_RETRY_S,
                );
            }
            ApiError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorBody {
                        code: "internal",
                        message: "internal error".into(),
                        field: None,
                        errors: None,
                    },
                )
            }
        };
        (status, axum::Json(body)).into_response()
    }
}

/// A refusal that says when to come back (429, 503).
fn retry_later(
    status: StatusCode,
    code: &'static str,
    message: String,
    retry_after_s: u64,
) -> Response {
    let body = ErrorBody {
        code,
        message,
        field: None,
        errors: None,
    };
    (
        status,
        [(header::RETRY_AFTER, retry_after_s.to_string())],
        axum::Json(body),
    )
        .into_response()
}
