//! The other process, on a short leash: spawn it, read what it says with bounded waits, kill it
//! on drop.
//!
//! R14's checks run real processes, and a process that waits on a lock or a pipe would outlive a
//! failed test and keep `cargo test` waiting. So every child is held by a [`Child`] guard:
//!
//! * its stdout is read by a thread into a channel, so every wait is a `recv_timeout` — a peer that
//!   never says the expected line is a failure after [`PEER_TIMEOUT`], never a hang;
//! * what it says is recorded in the trace, signed with its name, at the moment `main` reads it.
//!   `main` reads one child at a time, in a fixed order, so the narration is the same on every run
//!   even though the children run in parallel;
//! * dropping the guard kills the child (if still alive) and reaps it.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{self, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use racelab_kit::trace::Trace;

/// How long `main` waits for a child's next line or its exit before calling it a failure. Only a
/// broken demo ever waits this long; a working one hears back in milliseconds.
pub const PEER_TIMEOUT: Duration = Duration::from_secs(5);

/// How to start the peer program: its path, and an environment variable that tells it to be the
/// peer (set when the peer is a chapter binary rather than `ipc_peer`; see [`super::peer`]).
#[derive(Debug, Clone)]
pub struct Program {
    /// The executable.
    pub path: PathBuf,
    /// Set in the child's environment, if any.
    pub env: Option<(&'static str, &'static str)>,
}

impl Program {
    /// The `ipc_peer` binary at `path` (tests use `env!("CARGO_BIN_EXE_ipc_peer")`).
    pub fn ipc_peer(path: impl Into<PathBuf>) -> Program {
        Program {
            path: path.into(),
            env: None,
        }
    }
}

enum Event {
    Line(String),
    Complaint(String),
    Closed,
}

/// A running child process that is killed when this guard is dropped.
pub struct Child {
    name: &'static str,
    process: process::Child,
    stdin: Option<ChildStdin>,
    events: Receiver<Event>,
    complaints: Vec<String>,
    closed: bool,
    trace: Trace,
}

impl Child {
    /// Starts `program` with `args`; its lines will be recorded in `trace`, signed `name`.
    pub fn spawn(
        program: &Program,
        name: &'static str,
        args: &[OsString],
        trace: &Trace,
    ) -> Result<Child, String> {
        let mut command = Command::new(&program.path);
        command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some((key, value)) = program.env {
            command.env(key, value);
        }
        let mut process = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.path.display()))?;
        let (send, events) = mpsc::channel();
        let stdout = process.stdout.take().expect("stdout is piped");
        let stderr = process.stderr.take().expect("stderr is piped");
        let out = send.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = out.send(Event::Line(line));
            }
            let _ = out.send(Event::Closed);
        });
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = send.send(Event::Complaint(line));
            }
        });
        Ok(Child {
            name,
            stdin: process.stdin.take(),
            process,
            events,
            complaints: Vec::new(),
            closed: false,
            trace: trace.clone(),
        })
    }

    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.process.id()
    }

    /// Reads (and records) the child's lines until one contains any of `needles`; returns it.
    pub fn expect(&mut self, needles: &[&str]) -> Result<String, String> {
        let deadline = Instant::now() + PEER_TIMEOUT;
        loop {
            match self.next_event(deadline)? {
                Some(line) if needles.iter().any(|n| line.contains(n)) => return Ok(line),
                Some(_) => {}
                None => {
                    return Err(self.failure(&format!("ended without saying any of {needles:?}")));
                }
            }
        }
    }

    /// Sends the child one line on its stdin.
    pub fn send(&mut self, line: &str) -> Result<(), String> {
        let stdin = self.stdin.as_mut().expect("stdin is open until finish");
        writeln!(stdin, "{line}")
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("cannot write to {}: {e}", self.name))
    }

    /// Closes the child's stdin, reads (and records) the rest of what it says, and waits for it
    /// to exit; a non-zero exit is a failure.
    pub fn finish(mut self) -> Result<(), String> {
        drop(self.stdin.take());
        let deadline = Instant::now() + PEER_TIMEOUT;
        while self.next_event(deadline)?.is_some() {}
        loop {
            match self.process.try_wait() {
                Ok(Some(status)) if status.success() => return Ok(()),
                Ok(Some(status)) => return Err(self.failure(&format!("exited with {status}"))),
                Ok(None) if Instant::now() < deadline => {
                    // Its stdout is closed, so it is exiting: poll briefly (this orders nothing).
                    std::thread::sleep(Duration::from_millis(2));
                }
                Ok(None) => return Err(self.failure("closed its output but never exited")),
                Err(e) => return Err(format!("cannot wait for {}: {e}", self.name)),
            }
        }
    }

    /// The next stdout line (recorded), `None` once stdout is closed, `Err` on timeout.
    fn next_event(&mut self, deadline: Instant) -> Result<Option<String>, String> {
        if self.closed {
            return Ok(None);
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(Event::Line(line)) => {
                    self.trace.push(self.name, line.clone());
                    return Ok(Some(line));
                }
                Ok(Event::Complaint(line)) => self.complaints.push(line),
                Ok(Event::Closed) | Err(RecvTimeoutError::Disconnected) => {
                    self.closed = true;
                    return Ok(None);
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(
                        self.failure(&format!("said nothing for {} s", PEER_TIMEOUT.as_secs()))
                    );
                }
            }
        }
    }

    fn failure(&mut self, what: &str) -> String {
        while let Ok(event) = self.events.try_recv() {
            if let Event::Complaint(line) = event {
                self.complaints.push(line);
            }
        }
        let mut message = format!("{} {what}", self.name);
        if !self.complaints.is_empty() {
            message.push_str(&format!(" (stderr: {})", self.complaints.join(" / ")));
        }
        message
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // A finished child is already reaped and `kill` fails harmlessly; a stuck one dies here.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
