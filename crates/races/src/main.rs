//! The `races` binary: `cargo run -p races -- list`, `cargo run -p races -- R1 --broken`.
//! All behaviour lives in the shared CLI (`racelab_kit::cli`), driven by this chapter's registry.

use std::process::ExitCode;

fn main() -> ExitCode {
    // R14's demo may start this very binary as its other process (see `cross_process_ipc::peer`).
    if let Some(code) = races::cross_process_ipc::peer::serve_if_asked() {
        return code;
    }
    racelab_kit::cli::chapter_main(&races::CHAPTER)
}
