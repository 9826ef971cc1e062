//! API integration tests: each test spawns the real server on port 0 with its own database,
//! once on SQLite and once on PostgreSQL, and talks to it over HTTP and WebSocket.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod support;

mod accounts;
mod bad_input;
mod calls;
mod chat;
mod connections;
mod customer_socket;
mod customers;
mod demo_history;
mod edge;
mod engine;
mod import;
mod isolation;
mod library;
mod matrix;
mod openapi;
mod outbound_config;
mod quality;
mod queues_and_params;
mod reports;
mod screen_pop;
mod ticket_search;
mod tickets;
mod voice;
mod voice_flows;
mod voice_prompts;
mod walk;
mod webhooks;
mod websocket;
