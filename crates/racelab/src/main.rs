//! `cargo run -p racelab`: the tour. Runs every demo of every chapter, broken and fixed, and prints
//! a summary, one block per demo and no line over 100 columns (`--narrate` prints every narration
//! too). A new chapter joins the tour by being
//! added to the list below — its registry is all the tour needs.

use std::process::ExitCode;

fn main() -> ExitCode {
    // R14's demo may start this very binary as its other process (see `cross_process_ipc::peer`).
    if let Some(code) = races::cross_process_ipc::peer::serve_if_asked() {
        return code;
    }
    racelab_kit::cli::tour_main(&[
        &queues::CHAPTER,
        &actors::CHAPTER,
        &networking::CHAPTER,
        &races::CHAPTER,
        &production::CHAPTER,
    ])
}
