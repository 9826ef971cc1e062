//! The HTTP API under `/api/v1`, its OpenAPI document and reference page.

pub mod agent;
pub mod auth;
pub mod call_control;
pub mod caller;
pub mod calls;
pub mod chat;
pub mod colleagues;
pub mod contacts;
pub mod customers;
pub mod dial;
pub mod dispositions;
pub mod doc;
pub mod entries;
pub mod files;
pub mod hand_out;
pub mod import;
pub mod library;
pub mod monitoring;
pub mod outbound_config;
pub mod params;
pub mod phone;
pub mod quality;
pub mod queue_voice;
pub mod queues;
pub mod reports;
pub mod roles;
pub mod service_list;
pub mod supervisor;
pub mod sync;
pub mod tickets;
pub mod timelines;
pub mod trunk_registration;
pub mod users;
pub mod voice;
pub mod voice_flows;
pub mod voice_prompts;
pub mod wallboard;
pub mod webhooks;
pub mod wire;
pub mod ws;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::state::AppState;

/// Largest JSON body accepted anywhere.
const JSON_LIMIT: usize = 1024 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "Switchboard API", description = "The contact center's HTTP API. Errors are `{code, message, field?}`.\n\n\
        An operation's `security` says who may call it: none, anyone; otherwise a token of a signed-in user \
        (the `bearer` header, or the `token` query parameter where a WebSocket cannot send headers). \
        A requirement's scope is the permission the token's user must hold; several requirements mean any one of them; \
        no scope, any signed-in user. A caller without it gets 403 before anything else is read."),
    modifiers(&BearerAuth),
    tags((name = "auth"), (name = "users"), (name = "roles"), (name = "queues"), (name = "params"),
        (name = "agent"), (name = "contacts"), (name = "supervisor"), (name = "events"), (name = "chat"), (name = "tickets"), (name = "voice"), (name = "calls"), (name = "reports"), (name = "quality"), (name = "webhooks"), (name = "customers"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        // The event stream's WebSocket: browsers cannot set headers on one.
        components.add_security_scheme(
            "token",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::new("token"))),
        );
    }
}

/// The API routes and the OpenAPI document describing them.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let uploads = OpenApiRouter::new()
        .routes(routes!(import::import))
        .routes(routes!(files::agent_upload))
        .routes(routes!(files::customer_upload))
        .routes(routes!(tickets::import::import))
        .routes(routes!(customers::sheets::import))
        .routes(routes!(
            voice_prompts::list_prompts,
            voice_prompts::upload_prompt
        ))
        .layer(DefaultBodyLimit::max(files::MAX_FILE + 64 * 1024));
    let (router, mut document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::me))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::directory))
        .routes(routes!(users::get, users::update, users::deactivate))
        .routes(routes!(users::reset_password))
        .routes(routes!(import::template_csv))
        .routes(routes!(import::template_xlsx))
        .routes(routes!(roles::permissions))
        .routes(routes!(roles::list, roles::create))
        .routes(routes!(roles::update, roles::delete))
        .routes(routes!(queues::list, queues::create))
        .routes(routes!(queues::get, queues::update, queues::delete))
        .routes(routes!(queues::set_agents))
        .routes(routes!(queues::list_tags, queues::create_tag))
        .routes(routes!(queues::delete_tag))
        .routes(routes!(params::get, params::put))
        .routes(routes!(dispositions::get, dispositions::put))
        .routes(routes!(agent::get))
        .routes(routes!(agent::sign_in))
        .routes(routes!(agent::sign_out))
        .routes(routes!(agent::set_state))
        .routes(routes!(agent::reset_queues))
        .routes(routes!(agent::continue_working))
        .routes(routes!(colleagues::list))
        .routes(routes!(contacts::create))
        .routes(routes!(contacts::get))
        .routes(routes!(contacts::answer))
        .routes(routes!(contacts::release))
        .routes(routes!(contacts::summary))
        .routes(routes!(contacts::transfer))
        .routes(routes!(call_control::hold))
        .routes(routes!(call_control::resume))
        .routes(routes!(call_control::digits))
        .routes(routes!(call_control::consult))
        .routes(routes!(call_control::consult_join))
        .routes(routes!(call_control::consult_end))
        .routes(routes!(call_control::consult_complete))
        .routes(routes!(dial::dial))
        .routes(routes!(hand_out::to_number))
        .routes(routes!(hand_out::to_ivr))
        .routes(routes!(hand_out::to_survey))
        .routes(routes!(voice_flows::agent_flows))
        .routes(routes!(contacts::history))
        .routes(routes!(caller::get))
        .routes(routes!(supervisor::live))
        .routes(routes!(supervisor::force_state))
        .routes(routes!(wallboard::live))
        .routes(routes!(wallboard::as_of))
        .routes(routes!(reports::queues))
        .routes(routes!(timelines::agent))
        .routes(routes!(timelines::mine))
        .routes(routes!(timelines::contact))
        .routes(routes!(reports::agents))
        .routes(routes!(reports::export::queues))
        .routes(routes!(reports::export::agents))
        .routes(routes!(wallboard::get_targets, wallboard::put_targets))
        .routes(routes!(monitoring::monitor, monitoring::end))
        .routes(routes!(chat::list, chat::send))
        .routes(routes!(chat::recall))
        .routes(routes!(chat::typing))
        .routes(routes!(chat::read))
        .routes(routes!(library::list_replies, library::create_reply))
        .routes(routes!(library::delete_reply))
        .routes(routes!(library::list_documents, library::create_document))
        .routes(routes!(library::delete_document))
        .routes(routes!(files::download))
        .routes(routes!(entries::list, entries::create))
        .routes(routes!(entries::delete))
        .routes(routes!(voice::list_extensions))
        .routes(routes!(voice::set_extension, voice::delete_extension))
        .routes(routes!(phone::phone))
        .routes(routes!(phone::open_line, phone::close_line))
        .routes(routes!(voice::list_trunks, voice::create_trunk))
        .routes(routes!(voice::update_trunk, voice::delete_trunk))
        .routes(routes!(voice::list_numbers, voice::create_number))
        .routes(routes!(voice::update_number, voice::delete_number))
        .routes(routes!(
            outbound_config::list_groups,
            outbound_config::create_group
        ))
        .routes(routes!(
            outbound_config::update_group,
            outbound_config::delete_group
        ))
        .routes(routes!(
            outbound_config::get_policy,
            outbound_config::put_policy
        ))
        .routes(routes!(outbound_config::caller_numbers))
        .routes(routes!(voice_flows::list_flows, voice_flows::create_flow))
        .routes(routes!(
            voice_flows::get_flow,
            voice_flows::update_flow,
            voice_flows::delete_flow
        ))
        .routes(routes!(
            voice_prompts::rename_prompt,
            voice_prompts::delete_prompt
        ))
        .routes(routes!(voice_prompts::prompt_audio))
        .routes(routes!(voice_prompts::builtin_prompts))
        .routes(routes!(voice_prompts::builtin_prompt_audio))
        .routes(routes!(queue_voice::list))
        .routes(routes!(queue_voice::update))
        .routes(routes!(crate::chat::customer::connect))
        .routes(routes!(ws::upgrade))
        .routes(routes!(calls::list))
        .routes(routes!(calls::export))
        .routes(routes!(calls::get))
        .routes(routes!(calls::recording))
        .routes(routes!(calls::of_ticket))
        .routes(routes!(webhooks::event_types))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::get, webhooks::update, webhooks::delete))
        .routes(routes!(webhooks::rotate_secret))
        .routes(routes!(webhooks::ping))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::redeliver))
        .routes(routes!(service_list::list))
        .routes(routes!(customers::sheets::export))
        .routes(routes!(customers::sheets::template))
        .routes(routes!(customers::list, customers::create))
        .routes(routes!(customers::get, customers::update))
        .routes(routes!(customers::merge))
        .routes(routes!(customers::trail::trail))
        .routes(routes!(customers::trail::chat_transcript))
        .routes(routes!(customers::fields::get, customers::fields::put))
        .merge(tickets::routes())
        .merge(quality::routes())
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .merge(uploads)
        .split_for_parts();
    doc::complete(&mut document);
    (router, document)
}

/// The whole application: API, docs, health check and the web UI.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = routes();
    Router::new()
        .merge(api)
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .route("/healthz", get(health))
        .route("/api", any(unknown_api))
        .route("/api/{*rest}", any(unknown_api))
        .fallback(crate::ui::serve)
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::lease::gate,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// 200 while this server is active and its database answers; 503 on a standby (another
/// server holds the database's lease) or when the database does not answer.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    use serde_json::json;
    if state.standing.is_standby() {
        let body =
            json!({ "status": "standby", "role": "standby", "lease": "held by another server" });
        return (StatusCode::SERVICE_UNAVAILABLE, Json(body));
    }
    match state.store.health().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "status": "ok", "role": "active" })),
        ),
        Err(err) => {
            tracing::warn!(error = %err, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "database unreachable", "role": "active" })),
            )
        }
    }
}

async fn unknown_api() -> ApiError {
    ApiError::client(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
}
