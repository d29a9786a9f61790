//! R14, broken: the guide's inter-process "IPC" (L5378–5476), which only works inside one process.
//!
//! This version is problematic.
//!
//! Two pieces of the guide's `InterProcessCommunicationManager`, ported:
//!
//! * **A shared file, guarded by the serial `messageQueue`** (L5381, L5399–5435). A
//!   `DispatchQueue` is an object in one process's memory; the app and its extension each have
//!   their own. Here it is a `static Mutex` — one per process, exactly as in the guide — held around
//!   a read-modify-write of a counter file. Two *threads* are serialised by it; two *processes*
//!   are not, and one update is lost.
//! * **`NotificationCenter.default`** (L5438–5448). The default centre is a process-local object:
//!   a post reaches the observers of the posting process and no one else, so the extension never
//!   hears "DataUpdated". Here it is a process-wide `tokio::sync::broadcast` channel, which behaves
//!   the same: every observer in this process receives the post; another process's centre is
//!   another channel.

use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use tokio::sync::broadcast::{self, error::TryRecvError};

use super::{read_number, write_number};

// ANCHOR: counter
/// The guide's serial `messageQueue`: one per process.
static MESSAGE_QUEUE: Mutex<()> = Mutex::new(());

/// Adds one to the number in the file at `path`: read it, `work`, write it plus one.
/// `tell` narrates each step; `work` is where a test holds the process between read and write.
pub fn increment(path: &Path, tell: &dyn Fn(String), work: impl FnOnce()) -> io::Result<u64> {
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let _serial = MESSAGE_QUEUE.lock().unwrap_or_else(|p| p.into_inner()); // this process only
    let n = read_number(&mut file)?;
    tell(format!("reads {n}"));
    work();
    write_number(&mut file, n + 1)?;
    tell(format!("writes {}", n + 1));
    Ok(n + 1)
}
// ANCHOR_END: counter

// ANCHOR: center
/// The guide's `NotificationCenter.default`: one per process.
#[derive(Debug, Clone)]
pub struct NotificationCenter {
    posts: broadcast::Sender<(String, String)>,
}

impl NotificationCenter {
    /// This process's centre — the only one `default` can give.
    pub fn default_center() -> NotificationCenter {
        static DEFAULT: OnceLock<NotificationCenter> = OnceLock::new();
        DEFAULT
            .get_or_init(|| NotificationCenter {
                posts: broadcast::channel(16).0,
            })
            .clone()
    }

    /// Posts `name` with `info` to every observer — of this process.
    pub fn post(&self, name: &str, info: &str) -> io::Result<()> {
        let _no_observers_is_fine = self.posts.send((name.to_string(), info.to_string()));
        Ok(())
    }

    /// Starts observing `name`.
    pub fn observe(&self, name: &str) -> io::Result<Observer> {
        Ok(Observer {
            name: name.to_string(),
            posts: self.posts.subscribe(),
        })
    }
}

/// An observer of one notification name.
#[derive(Debug)]
pub struct Observer {
    name: String,
    posts: broadcast::Receiver<(String, String)>,
}

impl Observer {
    /// The `info` of the first post of this name that has arrived, if any; never waits.
    pub fn received(&mut self) -> io::Result<Option<String>> {
        loop {
            match self.posts.try_recv() {
                Ok((name, info)) if name == self.name => return Ok(Some(info)),
                Ok(_) | Err(TryRecvError::Lagged(_)) => continue,
                Err(TryRecvError::Empty | TryRecvError::Closed) => return Ok(None),
            }
        }
    }
}
// ANCHOR_END: center
