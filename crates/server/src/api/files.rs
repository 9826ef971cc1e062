//! Files in conversations (M2): uploaded by agents or customers, kept in the database,
//! served back only with a safe content type, as an attachment (images inline), with
//! `nosniff`, to holders of the file's unguessable key.

use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};
use switchboard_engine::chat::{MessageKind, Sender};
use switchboard_engine::{Channel, ContactId, FileId, MessageId, TenantId, TenantName, UserId};
use switchboard_storage::{NewChatMessage, StoredFile};

use crate::auth::{perm, Can};
use crate::chat::customer::{authenticate, Connect};
use crate::chat::writer::message_json_for_agent;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{too_large, ApiMultipart, ApiPath, ApiQuery, IdPath};
use crate::state::AppState;

/// Largest file accepted.
pub const MAX_FILE: usize = 10 * 1024 * 1024;

/// The content type of a voicemail's recording kept as a file (never an upload's: `sniff`
/// knows no audio).
pub const WAV: &str = "audio/wav";

/// What a file is, told from its first bytes (and, for zip-based formats, its name).
fn sniff(bytes: &[u8], name: &str) -> Option<&'static str> {
    let ext = name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    Some(match bytes {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [b'G', b'I', b'F', b'8', ..] => "image/gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        [b'%', b'P', b'D', b'F', ..] => "application/pdf",
        [b'P', b'K', 3, 4, ..] => match ext.as_str() {
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "zip" => "application/zip",
            _ => return None,
        },
        _ if (ext == "txt" || ext == "csv")
            && std::str::from_utf8(bytes).is_ok()
            && !bytes.contains(&0) =>
        {
            if ext == "csv" {
                "text/csv"
            } else {
                "text/plain"
            }
        }
        _ => return None,
    })
}

/// A file name fit to show and to put in a header: no path, no control characters.
fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(128)
        .collect();
    if name.trim().is_empty() {
        "file".into()
    } else {
        name
    }
}

/// An uploaded file, with the client's id for it (so a retried upload is stored once).
struct Upload {
    name: String,
    data: Vec<u8>,
    client_id: Option<String>,
}

async fn read_upload(mut multipart: Multipart) -> ApiResult<Upload> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::client(StatusCode::BAD_REQUEST, "invalid_upload", e.body_text())
        }
    };
    let (mut file, mut client_id) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                let name = clean_name(field.file_name().unwrap_or("file"));
                let bytes = field.bytes().await.map_err(bad)?;
                if bytes.len() > MAX_FILE {
                    return Err(too_large());
                }
                if bytes.is_empty() {
                    return Err(ApiError::invalid("file", "the file is empty"));
                }
                file = Some((name, bytes.to_vec()));
            }
            Some("client_id") => {
                let id = field.text().await.map_err(bad)?;
                if id.is_empty() || id.len() > 64 {
                    return Err(ApiError::invalid("client_id", "must be 1-64 characters"));
                }
                client_id = Some(id);
            }
            _ => {}
        }
    }
    let (name, data) = file.ok_or_else(|| {
        ApiError::invalid("file", "send the file in a multipart field named 'file'")
    })?;
    Ok(Upload {
        name,
        data,
        client_id,
    })
}

/// A file of a contact, with a new unguessable key to fetch it by.
pub fn new_file(
    contact: ContactId,
    name: String,
    content_type: &str,
    data: Vec<u8>,
    now: i64,
) -> StoredFile {
    let mut key = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut key);
    StoredFile {
        id: FileId::new(),
        contact,
        name,
        content_type: content_type.into(),
        size: data.len() as i64,
        access_key: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key),
        data,
        created_at: now,
    }
}

/// Where a stored file is downloaded (`download`), its key included.
pub fn file_url(tenant: &str, file: &StoredFile) -> String {
    format!("/api/v1/files/{tenant}/{}?key={}", file.id, file.access_key)
}

/// Stores the file and sends it into the conversation as a `file` message.
async fn send_file(
    state: &AppState,
    tenant: (TenantId, &str),
    contact: ContactId,
    from: (Sender, Option<UserId>),
    Upload {
        name,
        data,
        client_id,
    }: Upload,
) -> ApiResult<switchboard_storage::ChatMessage> {
    if let Some(id) = &client_id {
        let earlier = state
            .store
            .chat_message_by_client_id(tenant.0, contact, from.0, id)
            .await?;
        if let Some(m) = earlier {
            return Ok(m);
        }
    }
    let content_type = sniff(&data, &name).ok_or_else(|| {
        ApiError::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "images, pdf, txt, csv, docx, xlsx and zip files only",
        )
    })?;
    let file = new_file(contact, name, content_type, data, state.clock.now_ms());
    state.store.store_file(tenant.0, &file).await?;
    let url = file_url(tenant.1, &file);
    let body = json!({ "file_id": file.id.0, "name": file.name, "content_type": file.content_type, "size": file.size, "url": url });
    let message = NewChatMessage {
        id: MessageId::new(),
        contact,
        sender: from.0,
        agent: from.1,
        client_id,
        kind: MessageKind::File,
        body: body.to_string(),
        created_at: state.clock.now_ms(),
    };
    let mut stored = state.chats.tenant(tenant.0).append(vec![message]).await?;
    stored
        .pop()
        .ok_or_else(|| anyhow::anyhow!("no message stored").into())
}

/// Send a file to the customer of a chat I am connected to (multipart field `file`, ≤ 10 MB).
#[utoipa::path(post, path = "/api/v1/contacts/{id}/files", tag = "chat", security(("bearer" = ["agent.work"])),
    params(("id" = uuid::Uuid, Path)), request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = Object), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn agent_upload(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
    ApiMultipart(multipart): ApiMultipart,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let contact = ContactId(id);
    super::chat::connected_chat(&state, &p, contact).await?;
    let upload = read_upload(multipart).await?;
    let m = send_file(
        &state,
        (p.tenant_id, p.tenant_name.as_str()),
        contact,
        (Sender::Agent, Some(p.user_id)),
        upload,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(message_json_for_agent(&m))))
}

/// Send a file as a customer (same credentials as the chat socket, plus `conversation`).
#[utoipa::path(post, path = "/api/v1/chat/{tenant}/{entry}/files", tag = "chat", params(("tenant" = String, Path), ("entry" = String, Path), Connect),
    request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = Object), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn customer_upload(
    State(state): State<AppState>,
    ApiPath((tenant, entry)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<Connect>,
    ApiMultipart(multipart): ApiMultipart,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let caller = authenticate(&state, &tenant, &entry, &q).await?;
    // Without a stored customer there is no conversation of theirs to send to.
    let (tenant, customer) = (
        caller.tenant,
        caller.customer.ok_or_else(ApiError::not_found)?,
    );
    let conversation = q
        .conversation
        .ok_or_else(|| ApiError::invalid("conversation", "name the conversation"))?;
    let stored = state
        .store
        .stored_contact(tenant.id, ContactId(conversation))
        .await?
        .filter(|c| {
            c.customer.as_deref() == Some(&customer.id.to_string()) && c.channel == Channel::Chat
        })
        .ok_or_else(ApiError::not_found)?;
    if stored.closed_at.is_some() {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "conversation_closed",
            "the conversation has ended",
        ));
    }
    let upload = read_upload(multipart).await?;
    let m = send_file(
        &state,
        (tenant.id, tenant.name.as_str()),
        stored.id,
        (Sender::Customer, None),
        upload,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(crate::chat::writer::message_json(&m, true)),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Key {
    key: String,
}

/// Download a file of a conversation (the link in its message).
#[utoipa::path(get, path = "/api/v1/files/{tenant}/{id}", tag = "chat", params(("tenant" = String, Path), ("id" = uuid::Uuid, Path), Key),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    ApiPath((tenant, id)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<Key>,
) -> ApiResult<Response> {
    let tenant = TenantName::parse(&tenant).map_err(|_| ApiError::not_found())?;
    let tenant = state
        .store
        .tenant_by_name(&tenant)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let id = FileId::parse(&id).ok_or_else(ApiError::not_found)?;
    let file = state
        .store
        .file(tenant.id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let key_ok = file.access_key.len() == q.key.len()
        && file
            .access_key
            .bytes()
            .zip(q.key.bytes())
            .fold(0u8, |a, (x, y)| a | (x ^ y))
            == 0;
    if !key_ok {
        return Err(ApiError::not_found());
    }
    // Pictures are shown and a voicemail's WAV plays in the browser; anything else downloads.
    let image = file.content_type.starts_with("image/") || file.content_type == WAV;
    let served_as = if image {
        file.content_type.clone()
    } else {
        "application/octet-stream".to_owned()
    };
    let ascii: String = file
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file
        .name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!(
        "{}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}",
        if image { "inline" } else { "attachment" }
    );
    Ok((
        [
            (header::CONTENT_TYPE, served_as),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        file.data,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_apart_by_content() {
        assert_eq!(sniff(b"\x89PNG\r\n", "x.txt"), Some("image/png"));
        assert_eq!(sniff(b"%PDF-1.7", "a.exe"), Some("application/pdf"));
        assert_eq!(
            sniff(b"PK\x03\x04", "a.xlsx").map(|t| t.contains("spreadsheet")),
            Some(true)
        );
        assert_eq!(sniff(b"PK\x03\x04", "a.jar"), None);
        assert_eq!(
            sniff(b"<html><script>", "page.html"),
            None,
            "no html: it could run in the browser"
        );
        assert_eq!(sniff(b"MZ\x90\x00", "setup.exe"), None);
        assert_eq!(sniff("你好".as_bytes(), "note.txt"), Some("text/plain"));
        assert_eq!(clean_name("../../etc/pass\"wd\n"), "passwd");
    }
}
