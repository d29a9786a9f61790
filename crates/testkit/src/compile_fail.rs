//! Compile-fail checks that say *why* the code is rejected and survive compiler upgrades.
//!
//! Each case is a small program under `tests/compile_fail/` that ports a Swift snippet literally
//! and must not compile. [`check`] does two things:
//!
//! 1. **Always:** compiles each case with the `rustc` on `PATH` and asserts the expected error
//!    code (`E0277`: "cannot be shared between threads safely", …) is among the errors. Error codes
//!    are stable across compiler versions; wording and spans are not. An error without a code is
//!    matched by a piece of its message instead ([`Case::message`]).
//! 2. **On the recorded compiler only:** runs trybuild, which compares the full message with the
//!    `.stderr` file beside the case — the text the book shows. The compiler it was recorded with is
//!    the first line of `tests/compile_fail/RUSTC_VERSION`. On any other compiler this step is
//!    skipped with a note (re-record with `TRYBUILD=overwrite cargo test` and update that file).
//!
//! Cases that use only `std` go through [`check`]: a plain `rustc` call is enough for step 1.
//!
//! Cases that need a crate (R11's rusqlite `Connection`, say) go through [`check_with_crates`],
//! which does the same two steps. Step 1 still calls `rustc` directly, and hands it the crates the
//! test binary itself was built against: `--extern name=<lib>` for each named crate, found in the
//! test binary's own `deps/` folder (the newest `lib<name>-*.rlib`, i.e. the one cargo just built),
//! and `-L dependency=<that folder>` for their own dependencies. No second build of the crates is
//! needed, and the error code is checked on every compiler, as for std-only cases. Step 2 is
//! trybuild, which builds the case against the crate's dependencies in a project of its own.
//! Why not trybuild alone: it compares the full message or nothing, so on a compiler other than
//! the recorded one it could not check the error code.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One program that must be rejected, and the error it must be rejected with.
///
/// Most errors have a code, and a case names it: `Case { file: "x.rs", code: "E0277" }` (or
/// [`Case::code`]). A few have none — "future cannot be sent between threads safely", the error
/// for a `!Send` future handed to `tokio::spawn`, is reported as a plain `error:` — and then the
/// case names a piece of the message instead: [`Case::message`]. Such a piece is the best a
/// compiler-independent check can do: it is matched on every compiler like a code, so choose the
/// words least likely to be reworded (the message's main clause, not its notes).
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// File name inside the case directory, e.g. `unsafe_counter.rs`.
    pub file: &'static str,
    /// The error code, e.g. `E0277`; or, for an error without a code, a piece of its message
    /// (anything that is not `E` and four digits is taken as one; see [`Case::message`]).
    pub code: &'static str,
}

impl Case {
    /// `file` must be rejected with the error code `code` (`E0277`).
    pub const fn code(file: &'static str, code: &'static str) -> Self {
        Case { file, code }
    }

    /// `file` must be rejected with an error whose message contains `text`: for errors rustc
    /// gives no code ("future cannot be sent between threads safely").
    pub const fn message(file: &'static str, text: &'static str) -> Self {
        Case { file, code: text }
    }

    /// Whether `code` is an error code (`E0277`) rather than a piece of a message.
    fn is_code(&self) -> bool {
        let bytes = self.code.as_bytes();
        bytes.len() == 5 && bytes[0] == b'E' && bytes[1..].iter().all(u8::is_ascii_digit)
    }

    /// Whether one of `errors` is the one this case expects.
    fn found_in(&self, errors: &[Reported]) -> bool {
        if self.is_code() {
            errors.iter().any(|e| e.code.as_deref() == Some(self.code))
        } else {
            errors.iter().any(|e| e.message.contains(self.code))
        }
    }
}

/// One error rustc reported: its code, if it has one, and its message.
#[derive(Debug)]
struct Reported {
    code: Option<String>,
    message: String,
}

/// Checks every case in `dir` (a path relative to the crate, e.g. `tests/compile_fail`).
pub fn check(manifest_dir: &str, dir: &str, cases: &[Case]) {
    check_with_crates(manifest_dir, dir, cases, &[]);
}

/// Like [`check`], for cases that `use` crates: `crates` names them as the code spells them
/// (`&["rusqlite"]`). Each must be a dependency (normal or dev) of the crate under test, so that
/// cargo has built it for the test binary that calls this.
pub fn check_with_crates(manifest_dir: &str, dir: &str, cases: &[Case], crates: &[&str]) {
    let dir = Path::new(manifest_dir).join(dir);
    let out_dir = std::env::temp_dir().join(format!(
        "racelab-compile-fail-{}-{}",
        std::process::id(),
        cases.first().map_or("none", |c| c.file)
    ));
    std::fs::create_dir_all(&out_dir).expect("create a scratch directory");
    let externs = externs(crates);

    for case in cases {
        let path = dir.join(case.file);
        let errors = rustc_errors(&path, &out_dir, &externs);
        assert!(
            case.found_in(&errors),
            "{} must be rejected with {:?}, but rustc reported {:?}",
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

/// The `rustc` arguments that make `crates` available to a case: `-L dependency=<deps>` and one
/// `--extern name=<path>` each, taken from the folder the running test binary was linked in.
fn externs(crates: &[&str]) -> Vec<String> {
    if crates.is_empty() {
        return Vec::new();
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let deps = exe.parent().expect("the test binary lives in a folder");
    let mut args = vec!["-L".to_string(), format!("dependency={}", deps.display())];
    for name in crates {
        let stem = format!("lib{}-", name.replace('-', "_"));
        let newest = std::fs::read_dir(deps)
            .expect("read the test binary's deps folder")
            .filter_map(Result::ok)
            .filter(|e| {
                let file = e.file_name().to_string_lossy().into_owned();
                file.starts_with(&stem) && file.ends_with(".rlib")
            })
            .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
            .unwrap_or_else(|| {
                panic!(
                    "no {stem}*.rlib beside {}: is `{name}` a dependency of the crate under test?",
                    exe.display()
                )
            });
        args.push("--extern".to_string());
        args.push(format!("{name}={}", newest.path().display()));
    }
    args
}

/// The errors rustc reports for `path` (with `--error-format=short`, one line each:
/// `path:1:2: error[E0277]: message`, or `path:1:2: error: message` for an error without a code).
fn rustc_errors(path: &PathBuf, out_dir: &Path, externs: &[String]) -> Vec<Reported> {
    let out = Command::new("rustc")
        .args([
            "--edition",
            "2024",
            "--emit=metadata",
            "--error-format=short",
        ])
        .args(externs)
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
            let rest = &line[line.find(" error")? + " error".len()..];
            if let Some(coded) = rest.strip_prefix('[') {
                let end = coded.find(']')?;
                let message = coded[end + 1..].trim_start_matches(':').trim();
                Some(Reported {
                    code: Some(coded[..end].to_string()),
                    message: message.to_string(),
                })
            } else {
                let message = rest.strip_prefix(':')?.trim();
                // "aborting due to 2 previous errors" is a summary, not an error.
                (!message.starts_with("aborting due to")).then(|| Reported {
                    code: None,
                    message: message.to_string(),
                })
            }
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

#[cfg(test)]
mod tests {
    use super::{Case, Reported};

    fn reported(code: Option<&str>, message: &str) -> Reported {
        Reported {
            code: code.map(str::to_string),
            message: message.to_string(),
        }
    }

    #[test]
    fn a_code_matches_codes_and_a_message_matches_messages() {
        let errors = [
            reported(
                Some("E0277"),
                "`Cell<i32>` cannot be shared between threads safely",
            ),
            reported(None, "future cannot be sent between threads safely"),
        ];
        assert!(Case::code("a.rs", "E0277").found_in(&errors));
        assert!(!Case::code("a.rs", "E0596").found_in(&errors));
        assert!(Case::message("b.rs", "cannot be sent between threads").found_in(&errors));
        assert!(!Case::message("b.rs", "does not live long enough").found_in(&errors));
        // A literal `Case { file, code }` keeps meaning an error code.
        assert!(
            Case {
                file: "c.rs",
                code: "E0277"
            }
            .is_code()
        );
        assert!(!Case::message("c.rs", "E0277 or so").is_code());
    }
}
