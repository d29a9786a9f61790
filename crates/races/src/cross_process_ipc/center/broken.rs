//! R14, broken: the guide's `NotificationCenter.default`, which never leaves the process.
//!
//! This version is problematic.
//!
//! The guide posts "DataUpdated" on `NotificationCenter.default` (L5438–5448) for its extension to
//! observe. The default centre is a process-local object: a post reaches the observers of the
//! posting process and no one else, so the extension never hears it. Here it is a process-wide
//! `tokio::sync::broadcast` channel, which behaves the same: every observer in this process
//! receives the post; another process's centre is another channel.

use std::io;
use std::sync::OnceLock;

use tokio::sync::broadcast::{self, error::TryRecvError};

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
