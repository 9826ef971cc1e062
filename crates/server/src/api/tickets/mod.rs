//! The ticket center's API (issue #5, T1-T10): configuration, tickets and their actions,
//! lists and search, export, import, automation and the management view.

pub mod access;
pub mod actions;
pub mod automation;
pub mod config;
pub mod export;
pub mod import;
pub mod lists;
pub mod out;
pub mod schema;
pub mod shared;
pub mod stats;
pub mod work;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(config::list_categories, config::create_category))
        .routes(routes!(config::update_category, config::delete_category))
        .routes(routes!(config::list_types, config::create_type))
        .routes(routes!(
            config::get_type,
            config::update_type,
            config::delete_type
        ))
        .routes(routes!(config::list_templates, config::create_template))
        .routes(routes!(config::update_template, config::delete_template))
        .routes(routes!(config::list_views, config::create_view))
        .routes(routes!(config::update_view, config::delete_view))
        .routes(routes!(lists::list, work::create))
        .routes(routes!(lists::counts))
        .routes(routes!(lists::export))
        .routes(routes!(import::template))
        .routes(routes!(stats::stats))
        .routes(routes!(work::prefill))
        .routes(routes!(work::get, work::edit))
        .routes(routes!(work::trail_of))
        .routes(routes!(work::add_note))
        .routes(routes!(actions::claim))
        .routes(routes!(actions::transfer))
        .routes(routes!(actions::take_action))
        .routes(routes!(actions::reopen))
        .routes(routes!(actions::add_cc))
        .routes(routes!(actions::remove_cc))
        .routes(routes!(actions::link_contact))
        .routes(routes!(actions::set_flag))
        .routes(routes!(actions::add_reminder))
        .routes(routes!(actions::delete_reminder))
}
