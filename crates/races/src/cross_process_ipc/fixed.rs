//! R14, fixed: exclusion and messages that cross the process boundary, because the kernel does.
//!
//! * **The counter file is locked with `flock(2)`**, held across the whole read-modify-write. The
//!   lock belongs to the open file in the kernel, so every process that opens the file sees it. It
//!   is released when the file is closed — when `file` is dropped, or the process dies, so a crashed
//!   holder cannot leave it locked. Why std and not a crate: `File::lock`/`try_lock` are stable
//!   since Rust 1.89 and are `flock(2)` on Unix (`LockFileEx` on Windows) — what `fs4` and
//!   `fd-lock` wrap, without a dependency. It is an *advisory* lock: it excludes only processes that
//!   also take it, so every writer of the file must go through `increment`.
//! * **Notifications go over a Unix domain socket** (`std::os::unix::net`). The observer binds
//!   `<dir>/<name>.sock`; a post connects and writes one line. A socket is a kernel object with
//!   an address, so the observer may live in any process that can reach the directory. (Apple's
//!   cross-process equivalent is the Darwin notify centre, which carries a name and no `userInfo`;
//!   App Groups give the shared directory.) One observer per name, to keep the demo small; a real
//!   bus would accept many.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, BufRead, BufReader, ErrorKind, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{read_number, write_number};

// ANCHOR: counter
/// Adds one to the number in the file at `path`: read it, `work`, write it plus one.
/// `tell` narrates each step; `work` is where a test holds the process between read and write.
pub fn increment(path: &Path, tell: &dyn Fn(String), work: impl FnOnce()) -> io::Result<u64> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    lock_exclusive(&file, tell)?; // flock: every process, until `file` is closed
    let n = read_number(&mut file)?;
    tell(format!("reads {n}"));
    work();
    write_number(&mut file, n + 1)?;
    tell(format!("writes {}", n + 1));
    Ok(n + 1)
}

/// Takes `file`'s exclusive lock, saying so if another process has it first.
fn lock_exclusive(file: &File, tell: &dyn Fn(String)) -> io::Result<()> {
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            tell("waits for the lock: another process holds it".into());
            file.lock()?;
        }
        Err(TryLockError::Error(e)) => return Err(e),
    }
    tell("locks the counter file".into());
    Ok(())
}
// ANCHOR_END: counter

// ANCHOR: center
/// A notification centre whose observers are sockets in `dir`: any process can post to them.
#[derive(Debug, Clone)]
pub struct NotificationCenter {
    dir: PathBuf,
}

impl NotificationCenter {
    /// The centre whose sockets live in `dir` (the shared container).
    pub fn at(dir: &Path) -> NotificationCenter {
        NotificationCenter {
            dir: dir.to_path_buf(),
        }
    }

    /// Posts `name` with `info` to its observer, in whatever process it lives.
    pub fn post(&self, name: &str, info: &str) -> io::Result<()> {
        match UnixStream::connect(self.socket(name)) {
            Ok(mut observer) => writeln!(observer, "{info}"),
            // Nobody observes `name`: like NotificationCenter, posting to no one is fine.
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused) => {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Starts observing `name`: binds its socket.
    pub fn observe(&self, name: &str) -> io::Result<Observer> {
        let listener = UnixListener::bind(self.socket(name))?;
        listener.set_nonblocking(true)?;
        Ok(Observer { listener })
    }

    fn socket(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.sock"))
    }
}

/// An observer of one notification name.
#[derive(Debug)]
pub struct Observer {
    listener: UnixListener,
}

impl Observer {
    /// The `info` of the first post that has arrived, if any; never waits for a post. (A post
    /// that has connected is read with a bounded wait: its line is already in the socket.)
    pub fn received(&mut self) -> io::Result<Option<String>> {
        let stream = match self.listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(None),
            Err(e) => return Err(e),
        };
        stream.set_nonblocking(false)?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        let mut info = String::new();
        BufReader::new(stream).read_line(&mut info)?;
        Ok(Some(info.trim_end().to_string()))
    }
}
// ANCHOR_END: center
