//! Compile-fail checks that say *why* the code is rejected and survive compiler upgrades.
//!
//! Each case is a small program under `tests/compile_fail/` that ports a Swift snippet literally
//! and must not compile. [`check`] does two things:
//!
//! 1. **Always:** compiles each case with the `rustc` on `PATH` and asserts the expected error
//!    code (`E0277`: "cannot be shared between threads safely", …) is among the errors. Error codes
//!    are stable across compiler versions; wording and spans are not.
//! 2. **On the recorded compiler only:** runs trybuild, which compares the full message with the
//!    `.stderr` file beside the case — the text the book shows. The compiler it was recorded with is
//!    the first line of `tests/compile_fail/RUSTC_VERSION`. On any other compiler this step is
//!    skipped with a note (re-record with `TRYBUILD=overwrite cargo test` and update that file).
//!
//! Cases use only `std`, so a plain `rustc` call is enough for step 1.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One program that must be rejected, and the error code it must be rejected with.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// File name inside the case directory, e.g. `unsafe_counter.rs`.
    pub file: &'static str,
    /// The error code, e.g. `E0277`.
    pub code: &'static str,
}

/// Checks every case in `dir` (a path relative to the crate, e.g. `tests/compile_fail`).
pub fn check(manifest_dir: &str, dir: &str, cases: &[Case]) {
    let dir = Path::new(manifest_dir).join(dir);
    let out_dir = std::env::temp_dir().join(format!("racelab-compile-fail-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("create a scratch directory");

    for case in cases {
        let path = dir.join(case.file);
        let errors = rustc_errors(&path, &out_dir);
        assert!(
            errors.iter().any(|e| e == case.code),
            "{} must be rejected with {}, but rustc reported {:?}",
            case.file,
            case.code,
            errors
        );
    }
    let _ = std::fs::remove_dir_all(&out_dir);

    let recorded = std::fs::read_to_string(dir.join("RUSTC_VERSION"))
        .map(|s| s.lines().next().unwrap_or("").trim().to_string())
        .unwrap_or_default();
    let current = rustc_version();
    if recorded == current {
        let t = trybuild::TestCases::new();
        for case in cases {
            t.compile_fail(dir.join(case.file));
        }
    } else {
        eprintln!(
            "note: full compiler messages were recorded with `{recorded}`, this is `{current}`; \
             checked error codes only (re-record with TRYBUILD=overwrite)"
        );
    }
}

/// The error codes (`E0277`, …) rustc reports for `path`.
fn rustc_errors(path: &PathBuf, out_dir: &Path) -> Vec<String> {
    let out = Command::new("rustc")
        .args([
            "--edition",
            "2024",
            "--emit=metadata",
            "--error-format=short",
        ])
        .arg("--out-dir")
        .arg(out_dir)
        .arg(path)
        .output()
        .expect("run rustc");
    assert!(
        !out.status.success(),
        "{} compiled, but it must be rejected",
        path.display()
    );
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|line| {
            let start = line.find("error[")? + "error[".len();
            let end = line[start..].find(']')? + start;
            Some(line[start..end].to_string())
        })
        .collect()
}

/// `rustc -V`, e.g. `rustc 1.95.0 (59807616e 2026-04-14)`.
pub fn rustc_version() -> String {
    Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
