//! The `networking` binary: `cargo run -p networking -- list`, `cargo run -p networking -- N1`.
//! All behaviour lives in the shared CLI (`racelab_kit::cli`), driven by this chapter's registry.

use std::process::ExitCode;

fn main() -> ExitCode {
    racelab_kit::cli::chapter_main(&networking::CHAPTER)
}
