//! The loopback content server N12's check runs against: plumbing, not the lesson.

use axum::Router;
use axum::routing::get;
use racelab_kit::rt::Gate;
use racelab_kit::say;
use racelab_kit::trace::Signed;

use crate::loopback::Server;

/// Starts the chapter's loopback [`Server`] with one route: `GET /inbox` waits at `content`, then
/// answers `3 new messages`. Bound before any client starts; `stop` opens `content` first.
pub async fn start_content_server(content: Gate) -> Result<Server, String> {
    let router = Router::new().route(
        "/inbox",
        get({
            let content = content.clone();
            move || {
                let content = content.clone();
                // axum runs each connection in a task of its own: sign its lines `server`.
                Signed::new("server", async move {
                    say!("has GET /inbox; holds the content at the gate");
                    content.wait().await;
                    "3 new messages"
                })
            }
        }),
    );
    Ok(Server::start(router).await?.holding(&content))
}
