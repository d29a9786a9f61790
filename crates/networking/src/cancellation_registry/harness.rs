//! The loopback API N4's check runs against: plumbing, not the lesson.

use racelab_kit::rt::Gate;

use crate::loopback::{Server, start_held};

/// Starts the chapter's loopback [`Server`]: `GET /report` waits at `answer`, then answers
/// `report.pdf`. Bound before any client starts; `stop` opens `answer` first.
pub async fn start_server(answer: Gate) -> Result<Server, String> {
    let held = "has GET /report; holds the answer at the gate";
    start_held("/report", &answer, held, "report.pdf").await
}
