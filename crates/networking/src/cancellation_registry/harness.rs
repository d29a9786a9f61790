//! The loopback API N4's check runs against: plumbing, not the lesson.

use axum::Router;
use axum::routing::get;
use racelab_kit::rt::Gate;
use racelab_kit::say;
use racelab_kit::trace::Signed;

use crate::loopback::Server;

/// Starts the chapter's loopback [`Server`] with one route: `GET /report` waits at `answer`, then
/// answers `report.pdf`. Bound before any client starts; `stop` opens `answer` first.
pub async fn start_server(answer: Gate) -> Result<Server, String> {
    let router = Router::new().route(
        "/report",
        get({
            let answer = answer.clone();
            move || {
                let answer = answer.clone();
                // axum runs each connection in a task of its own: sign its lines `server`.
                Signed::new("server", async move {
                    say!("has GET /report; holds the answer at the gate");
                    answer.wait().await;
                    "report.pdf"
                })
            }
        }),
    );
    Ok(Server::start(router).await?.holding(&answer))
}
