//! The `queues` binary: `cargo run -p queues -- list`, `cargo run -p queues -- Q6 --broken`.
//! All behaviour lives in the shared CLI (`racelab_kit::cli`), driven by this chapter's registry.

use std::process::ExitCode;

fn main() -> ExitCode {
    racelab_kit::cli::chapter_main(&queues::CHAPTER)
}
