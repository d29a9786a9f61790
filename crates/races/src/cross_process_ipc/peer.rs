//! The other process of R14: what `ipc_peer` runs, and how a demo finds a program to run it.
//!
//! ```text
//! ipc_peer count   <broken|fixed> <file>             read the number, say so, wait for a line on stdin, write it + 1
//! ipc_peer observe <broken|fixed> <dir> <name>       observe <name>, say so, wait for a line on stdin, say what arrived
//! ```
//!
//! The peer says each step on stdout, one line each, as it happens, and waits for `main` between
//! steps: that is how a test forces the interleaving it wants across two processes without
//! sleeping. Bad arguments are one line on stderr and exit code 2.
//!
//! Finding the program. Tests name it with `env!("CARGO_BIN_EXE_ipc_peer")`, which cargo sets
//! only for tests. A demo runs inside some other binary: a test binary (then `ipc_peer` was built
//! beside it, in `target/<profile>/`), or `races` or `racelab` — and `cargo run` builds only the
//! binary it runs. So those two binaries call [`serve_if_asked`] first thing: with
//! `RACES_IPC_PEER=1` in their environment they *are* the peer, and [`program`] then starts the
//! current executable with that variable instead of looking for `ipc_peer`.

use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use racelab_kit::demo::Variant;

use super::center::Center;
use super::child::Program;
use super::{broken, fixed};

/// The environment variable that makes a chapter binary act as the peer.
pub const PEER_ENV: &str = "RACES_IPC_PEER";

static CAN_SERVE: AtomicBool = AtomicBool::new(false);

/// For a binary's `main`: if `RACES_IPC_PEER` is set, runs the peer with the process arguments
/// and returns its exit code; otherwise notes that this binary can serve as the peer and returns
/// `None`.
pub fn serve_if_asked() -> Option<ExitCode> {
    if std::env::var_os(PEER_ENV).is_some() {
        return Some(main(std::env::args_os().skip(1).collect()));
    }
    CAN_SERVE.store(true, Ordering::Relaxed);
    None
}

/// The program a demo should start as the peer: this executable if its `main` called
/// [`serve_if_asked`], else `ipc_peer` beside it (or beside its parent, for `target/*/deps/`).
pub fn program() -> Result<Program, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    if CAN_SERVE.load(Ordering::Relaxed) {
        return Ok(Program {
            path: me,
            env: Some((PEER_ENV, "1")),
        });
    }
    let name = format!("ipc_peer{}", std::env::consts::EXE_SUFFIX);
    let dir = me.parent().unwrap_or(Path::new("."));
    let candidates = [Some(dir), dir.parent().filter(|_| dir.ends_with("deps"))];
    candidates
        .into_iter()
        .flatten()
        .map(|d| d.join(&name))
        .find(|p| p.is_file())
        .map(Program::ipc_peer)
        .ok_or_else(|| {
            format!(
                "{name} is not built next to {}: run `cargo build -p races`",
                me.display()
            )
        })
}

/// The peer's `main`: runs one role, returns its exit code.
pub fn main(args: Vec<OsString>) -> ExitCode {
    let args: Vec<String> = match args.into_iter().map(OsString::into_string).collect() {
        Ok(args) => args,
        Err(_) => return usage("arguments must be UTF-8"),
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["count", variant, file] => match parse_variant(variant) {
            Some(variant) => count(variant, Path::new(file)),
            None => return usage(&format!("no variant called '{variant}'")),
        },
        ["observe", variant, dir, name] => match parse_variant(variant) {
            Some(variant) => observe(variant, Path::new(dir), name),
            None => return usage(&format!("no variant called '{variant}'")),
        },
        _ => {
            return usage(
                "expected `count <broken|fixed> <file>` or `observe <broken|fixed> <dir> <name>`",
            );
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ipc_peer: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(what: &str) -> ExitCode {
    eprintln!("ipc_peer: {what}");
    ExitCode::from(2)
}

fn parse_variant(word: &str) -> Option<Variant> {
    match word {
        "broken" => Some(Variant::Broken),
        "fixed" => Some(Variant::Fixed),
        _ => None,
    }
}

/// Says `line` on stdout, now (stdout is a pipe, so it must be flushed to be seen).
fn tell(line: String) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Waits for `main`'s next line on stdin. A closed stdin means `main` is gone: stop here.
fn wait_for_main() -> std::io::Result<()> {
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line)? == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "main closed stdin before saying go",
        ));
    }
    Ok(())
}

fn count(variant: Variant, file: &Path) -> std::io::Result<()> {
    // Between read and write, wait for `main`; if `main` is gone, stop without writing.
    let work = || {
        if let Err(e) = wait_for_main() {
            eprintln!("ipc_peer: {e}");
            std::process::exit(1);
        }
    };
    match variant {
        Variant::Broken => broken::increment(file, &tell, work)?,
        Variant::Fixed => fixed::increment(file, &tell, work)?,
    };
    Ok(())
}

fn observe(variant: Variant, dir: &Path, name: &str) -> std::io::Result<()> {
    let center = Center::new(variant, dir);
    let mut observer = center.observe(name)?;
    tell(format!("observes \"{name}\""));
    wait_for_main()?;
    match observer.received()? {
        Some(info) => tell(format!("received \"{name}\": {info}")),
        None => tell("has received nothing".into()),
    }
    Ok(())
}
