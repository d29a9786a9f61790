//! The networking chapter's tests: one file per demo, each read top to bottom like a story.
//! `output.rs` pins every demo's narration (the book shows those snapshots) and `cli.rs` the
//! command-line contract.

mod background_task_deadline;
mod biometric_capability;
mod cancellation_registry;
mod cert_pinning;
mod cli;
mod client_config;
mod client_middleware;
mod completion_exactly_once;
mod fetch_status_handling;
mod hermetic_integration_tests;
mod oauth_pkce_state;
mod output;
mod retry_backoff;
mod single_flight_token_refresh;
mod sse_decoder;
mod websocket_generations;
