//! The `actors` binary: `cargo run -p actors -- list`, `cargo run -p actors -- A3 --broken`.
//! All behaviour lives in the shared CLI (`racelab_kit::cli`), driven by this chapter's registry.

use std::process::ExitCode;

fn main() -> ExitCode {
    racelab_kit::cli::chapter_main(&actors::CHAPTER)
}
