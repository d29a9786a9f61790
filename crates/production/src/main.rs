//! The `production` binary: `cargo run -p production -- list`, `cargo run -p production -- A3 --broken`.
//! All behaviour lives in the shared CLI (`racelab_kit::cli`), driven by this chapter's registry.

use std::process::ExitCode;

fn main() -> ExitCode {
    racelab_kit::cli::chapter_main(&production::CHAPTER)
}
