//! R14's plumbing: what the checks share but is not the lesson — the counter file's format, how a
//! check ends, a scratch directory, and running one check with its trace.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use racelab_kit::demo::Variant;
use racelab_kit::trace::{Trace, traced};
use tempfile::TempDir;

use super::child::Program;

/// The number in `file` (an empty file is 0).
pub fn read_number(file: &mut File) -> io::Result<u64> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_string(&mut text)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("{text:?}: {e}")))
}

/// Replaces the contents of `file` with `n`.
pub fn write_number(file: &mut File, n: u64) -> io::Result<()> {
    file.seek(SeekFrom::Start(0))?;
    file.set_len(0)?;
    writeln!(file, "{n}")?;
    file.sync_all()
}

/// How a check ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// What it checks held.
    Held,
    /// The bug showed: what was seen.
    Bug(String),
    /// The check itself could not run (a peer did not start, or stopped talking).
    Error(String),
}

impl From<Result<Outcome, String>> for Outcome {
    fn from(result: Result<Outcome, String>) -> Outcome {
        result.unwrap_or_else(Outcome::Error)
    }
}

/// The variant as the peer's argument: `broken` or `fixed`.
pub fn variant_arg(variant: Variant) -> OsString {
    variant.to_string().into()
}

/// A fresh scratch directory (the counter file, the sockets), removed with its contents on drop.
pub fn scratch_dir() -> Result<TempDir, String> {
    tempfile::Builder::new()
        .prefix("racelab-ipc-")
        .tempdir()
        .map_err(|e| format!("no temp dir: {e}"))
}

/// The two checks, in the order the demo and the book tell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// [`super::two_processes_add_one`].
    Counter,
    /// [`super::notify_other_process`].
    Notify,
}

impl Check {
    /// Both.
    pub const ALL: [Check; 2] = [Check::Counter, Check::Notify];

    /// The bug it catches in the broken twin, in a few words (for verdicts and the tour's table).
    pub fn bug(self) -> &'static str {
        match self {
            Check::Counter => "an update lost between processes",
            Check::Notify => "the post never leaves the process",
        }
    }

    /// What it checks, as a heading.
    pub fn title(self) -> &'static str {
        match self {
            Check::Counter => "processes P1 and P2 each add 1 to a shared counter file holding 0",
            Check::Notify => {
                "the app posts \"DataUpdated\"; its extension, another process, observes it"
            }
        }
    }
}

/// Runs one check on one twin with `program` as the peer; returns its outcome and the trace.
pub fn run(check: Check, variant: Variant, program: &Program) -> (Outcome, Trace) {
    traced(|trace| match check {
        Check::Counter => super::two_processes_add_one(program, variant, trace),
        Check::Notify => super::notify_other_process(program, variant, trace),
    })
}
