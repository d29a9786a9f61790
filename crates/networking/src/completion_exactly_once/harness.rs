//! The loopback content server N12's check runs against: plumbing, not the lesson.

use racelab_kit::rt::Gate;

use crate::loopback::{Server, start_held};

/// Starts the chapter's loopback [`Server`]: `GET /inbox` waits at `content`, then answers
/// `3 new messages`. Bound before any client starts; `stop` opens `content` first.
pub async fn start_content_server(content: Gate) -> Result<Server, String> {
    let held = "has GET /inbox; holds the content at the gate";
    start_held("/inbox", &content, held, "3 new messages").await
}
