//! Prompts for IVR flows: admins upload WAV or MP3 (≤ 10 MB, ≤ 10 minutes), which is
//! converted to 8 kHz mono (`voice/transcode.rs`) and kept as a WAV file with a row naming
//! it; list, rename, delete (refused while a flow plays it) and listen. The built-in prompts
//! are listed and played here too, so the editor offers both.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use switchboard_engine::TenantId;
use switchboard_storage::VoicePrompt;
use utoipa::ToSchema;
use uuid::Uuid;

use super::contacts::bounded;
use super::files::MAX_FILE;
use super::voice_flows::in_use;
use super::wire::rfc3339;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{too_large, ApiJson, ApiMultipart, ApiPath, IdPath};
use crate::state::AppState;
use crate::voice::flows::FlowDef;
use crate::voice::transcode::{self, TranscodeError};
use crate::voice::{prompts, uploads};

/// How many prompts a tenant may upload (each up to 10 minutes is held in memory).
const MAX_PER_TENANT: usize = 100;

#[derive(Serialize, ToSchema)]
pub struct PromptOut {
    pub id: Uuid,
    /// What admins call it.
    pub name: String,
    /// The name flows use for it (`up-<id>`).
    pub prompt: String,
    pub duration_ms: i64,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct BuiltinPromptOut {
    /// The name flows use for it, e.g. `zh-welcome`.
    pub prompt: String,
    pub duration_ms: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromptRename {
    /// 1-64 characters, unique in the tenant.
    pub name: String,
}

fn prompt_out(p: &VoicePrompt) -> PromptOut {
    PromptOut {
        id: p.id,
        name: p.name.clone(),
        prompt: uploads::prompt_name(p.id),
        duration_ms: p.duration_ms,
        created_at: rfc3339(p.created_at),
    }
}

fn prompt_name(raw: &str) -> ApiResult<String> {
    bounded("name", Some(raw), 64)?.ok_or_else(|| ApiError::invalid("name", "must not be empty"))
}

/// The prompts this tenant uploaded.
#[utoipa::path(get, path = "/api/v1/voice/prompts", operation_id = "voice_prompts_list", tag = "voice", security(("bearer" = ["queues.manage"])),
    responses((status = 200, body = [PromptOut]), (status = 403, body = ErrorBody)))]
pub async fn list_prompts(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
) -> ApiResult<Json<Vec<PromptOut>>> {
    let list = state.store.voice_prompts(p.tenant_id).await?;
    Ok(Json(list.iter().map(prompt_out).collect()))
}

/// Upload a prompt: multipart fields `file` (WAV or MP3, ≤ 10 MB, ≤ 10 minutes) and `name`
/// (default: the file's name). It is converted to 8 kHz mono 16-bit.
#[utoipa::path(post, path = "/api/v1/voice/prompts", operation_id = "voice_prompts_upload", tag = "voice", security(("bearer" = ["queues.manage"])),
    request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = PromptOut), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload_prompt(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    ApiMultipart(multipart): ApiMultipart,
) -> ApiResult<(StatusCode, Json<PromptOut>)> {
    let (file_name, name, bytes) = read_upload(multipart).await?;
    let name = prompt_name(name.as_deref().unwrap_or(&file_name))?;
    let existing = state.store.voice_prompts(p.tenant_id).await?;
    if existing.iter().any(|e| e.name == name) {
        return Err(ApiError::on_conflict(
            "name",
            "a prompt with this name exists",
        )(switchboard_storage::StorageError::Conflict(
            String::new(),
        )));
    }
    if existing.len() >= MAX_PER_TENANT {
        return Err(ApiError::client(
            StatusCode::CONFLICT,
            "limit_reached",
            format!("a tenant keeps at most {MAX_PER_TENANT} prompts; delete one first"),
        ));
    }
    // Decoding is CPU work: off the runtime's threads. A decoder that panicked on strange
    // input is answered like any undecodable file.
    let samples = tokio::task::spawn_blocking(move || transcode::to_telephone(bytes))
        .await
        .unwrap_or_else(|_| Err(TranscodeError::Undecodable("the decoder failed".into())))
        .map_err(refusal)?;
    let prompt = VoicePrompt {
        id: Uuid::now_v7(),
        name,
        duration_ms: (samples.len() as i64) * 1_000 / i64::from(transcode::RATE),
        created_at: state.clock.now_ms(),
    };
    store_prompt(&state, p.tenant_id, &prompt, samples).await?;
    Ok((StatusCode::CREATED, Json(prompt_out(&prompt))))
}

/// The file first, then its row: a row never names a missing file; a refused row takes its
/// file away again.
async fn store_prompt(
    state: &AppState,
    tenant: TenantId,
    prompt: &VoicePrompt,
    samples: Vec<i16>,
) -> ApiResult<()> {
    let library = state.voice.prompts.clone();
    let (id, samples) = (prompt.id, std::sync::Arc::<[i16]>::from(samples));
    let written = samples.clone();
    tokio::task::spawn_blocking(move || library.write(tenant, id, &written))
        .await
        .map_err(anyhow::Error::from)?
        .map_err(anyhow::Error::from)?;
    if let Err(e) = state.store.save_voice_prompt(tenant, prompt).await {
        let _ = state.voice.prompts.delete(tenant, id);
        return Err(ApiError::on_conflict(
            "name",
            "a prompt with this name exists",
        )(e));
    }
    state.voice.prompts.insert(id, samples);
    Ok(())
}

fn refusal(e: TranscodeError) -> ApiError {
    let message = match e {
        TranscodeError::Undecodable(why) => {
            format!("the file is not WAV or MP3 audio that can be read ({why})")
        }
        TranscodeError::TooLong => format!(
            "the audio is longer than {} minutes",
            transcode::MAX_SECONDS / 60
        ),
        TranscodeError::Empty => "the file holds no audio".to_owned(),
    };
    ApiError::Client {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_audio",
        message,
        field: Some("file".into()),
    }
}

/// (file name without its extension, `name` field, file bytes).
async fn read_upload(
    mut multipart: axum::extract::Multipart,
) -> ApiResult<(String, Option<String>, Vec<u8>)> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::client(StatusCode::BAD_REQUEST, "invalid_upload", e.body_text())
        }
    };
    let (mut file, mut name) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                let stem = field
                    .file_name()
                    .and_then(|n| n.rsplit(['/', '\\']).next())
                    .map(|n| n.rsplit_once('.').map_or(n, |(s, _)| s).to_owned())
                    .unwrap_or_default();
                let bytes = field.bytes().await.map_err(bad)?;
                if bytes.len() > MAX_FILE {
                    return Err(too_large());
                }
                if bytes.is_empty() {
                    return Err(ApiError::invalid("file", "the file is empty"));
                }
                file = Some((stem, bytes.to_vec()));
            }
            Some("name") => name = Some(field.text().await.map_err(bad)?),
            _ => {}
        }
    }
    let (stem, bytes) = file.ok_or_else(|| {
        ApiError::invalid("file", "send the audio in a multipart field named 'file'")
    })?;
    Ok((stem, name, bytes))
}

/// Rename an uploaded prompt (flows name it by id, so they keep playing it).
#[utoipa::path(put, path = "/api/v1/voice/prompts/{id}", operation_id = "voice_prompts_rename", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = Uuid, Path)), request_body = PromptRename,
    responses((status = 200, body = PromptOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn rename_prompt(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
    ApiJson(req): ApiJson<PromptRename>,
) -> ApiResult<Json<PromptOut>> {
    let name = prompt_name(&req.name)?;
    let mut prompt = find(&state, p.tenant_id, id).await?;
    prompt.name = name;
    state
        .store
        .save_voice_prompt(p.tenant_id, &prompt)
        .await
        .map_err(ApiError::on_conflict(
            "name",
            "a prompt with this name exists",
        ))?;
    Ok(Json(prompt_out(&prompt)))
}

async fn find(state: &AppState, tenant: TenantId, id: Uuid) -> ApiResult<VoicePrompt> {
    let list = state.store.voice_prompts(tenant).await?;
    list.into_iter()
        .find(|p| p.id == id)
        .ok_or_else(ApiError::not_found)
}

/// Delete an uploaded prompt; refused (409) while a flow plays it.
#[utoipa::path(delete, path = "/api/v1/voice/prompts/{id}", operation_id = "voice_prompts_delete", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_prompt(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    find(&state, p.tenant_id, id).await?;
    let name = uploads::prompt_name(id);
    for f in state.store.ivr_flows(p.tenant_id).await? {
        let plays = serde_json::from_str::<FlowDef>(&f.definition).is_ok_and(|d| {
            d.nodes
                .values()
                .any(|n| n.prompt_lists().iter().any(|(_, l)| l.contains(&name)))
        });
        if plays {
            return Err(in_use(format!("flow '{}' plays this prompt", f.name)));
        }
    }
    state.store.delete_voice_prompt(p.tenant_id, id).await?;
    if let Err(e) = state.voice.prompts.delete(p.tenant_id, id) {
        tracing::warn!(prompt = %id, error = %e, "a deleted prompt's file stays on disk");
    }
    Ok(StatusCode::NO_CONTENT)
}

fn wav_response(samples: &[i16]) -> Response {
    (
        [
            (header::CONTENT_TYPE, "audio/wav"),
            (header::CACHE_CONTROL, "private, max-age=60"),
        ],
        uploads::wav_bytes(samples),
    )
        .into_response()
}

/// Listen to an uploaded prompt: the converted audio, a 16-bit 8 kHz mono WAV.
#[utoipa::path(get, path = "/api/v1/voice/prompts/{id}/audio", operation_id = "voice_prompts_audio", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("id" = Uuid, Path)), responses((status = 200, content_type = "audio/wav", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn prompt_audio(
    State(state): State<AppState>,
    p: Can<perm::ManageQueues>,
    IdPath(id): IdPath,
) -> ApiResult<Response> {
    find(&state, p.tenant_id, id).await?;
    let samples = state
        .voice
        .prompts
        .audio(&uploads::prompt_name(id))
        .ok_or_else(ApiError::not_found)?;
    Ok(wav_response(&samples))
}

/// The built-in prompts flows may play.
#[utoipa::path(get, path = "/api/v1/voice/builtin-prompts", operation_id = "voice_builtin_prompts", tag = "voice", security(("bearer" = ["queues.manage"])),
    responses((status = 200, body = [BuiltinPromptOut]), (status = 403, body = ErrorBody)))]
pub async fn builtin_prompts(_p: Can<perm::ManageQueues>) -> Json<Vec<BuiltinPromptOut>> {
    let list = prompts::names()
        .filter(|n| *n != prompts::MUSIC)
        .filter_map(|n| {
            prompts::audio(n).map(|a| BuiltinPromptOut {
                prompt: n.to_owned(),
                duration_ms: (a.len() as i64) * 1_000 / i64::from(transcode::RATE),
            })
        })
        .collect();
    Json(list)
}

/// Listen to a built-in prompt.
#[utoipa::path(get, path = "/api/v1/voice/builtin-prompts/{prompt}", operation_id = "voice_builtin_prompt_audio", tag = "voice", security(("bearer" = ["queues.manage"])),
    params(("prompt" = String, Path)), responses((status = 200, content_type = "audio/wav", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn builtin_prompt_audio(
    _p: Can<perm::ManageQueues>,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Response> {
    let samples = prompts::audio(&name).ok_or_else(ApiError::not_found)?;
    Ok(wav_response(&samples))
}
