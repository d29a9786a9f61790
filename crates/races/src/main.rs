//! The `races` binary: `cargo run -p races -- list`, `cargo run -p races -- R1 --broken`.
//! All behaviour lives in the shared CLI (`racelab_kit::cli`), driven by this chapter's registry.

use std::process::ExitCode;

fn main() -> ExitCode {
    racelab_kit::cli::chapter_main(&races::CHAPTER)
}
