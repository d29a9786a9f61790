//! R14's second twin: a notification posted by the app, observed by its extension in another
//! process.
//!
//! The guide's `NotificationCenter.default` ([`broken`]) is a process-local object; a Unix domain
//! socket ([`fixed`]) is a kernel object any process can reach. This is a declared rewrite: the
//! fix replaces the mechanism, so the two files share the API (`post`, `observe`, `received`) and
//! little else. The key lines, side by side: the broken centre's `posts: broadcast::Sender` and
//! `self.posts.send(…)` (this process's channel) against the fixed one's
//! `UnixListener::bind(self.socket(name))` and `UnixStream::connect(self.socket(name))` (an
//! address in the shared directory).
//!
//! The two centres are *found* differently — the guide's is the process's `default`, the fixed one
//! lives at a directory both processes know — so [`Center`] and [`Observer`] below are the one
//! adapter the checks and the peer go through, written out by hand.

use std::io;
use std::path::Path;

use racelab_kit::demo::Variant;

pub mod broken;
pub mod fixed;

/// Either twin's notification centre.
#[derive(Debug, Clone)]
pub enum Center {
    /// `NotificationCenter.default`: this process's.
    Broken(broken::NotificationCenter),
    /// Sockets in a shared directory.
    Fixed(fixed::NotificationCenter),
}

/// Either twin's observer.
#[derive(Debug)]
pub enum Observer {
    /// Subscribed to this process's centre.
    Broken(broken::Observer),
    /// Listening on a socket.
    Fixed(fixed::Observer),
}

impl Center {
    /// The twin's centre; `dir` is the shared directory (which the guide's centre has no use for).
    pub fn new(variant: Variant, dir: &Path) -> Center {
        match variant {
            Variant::Broken => Center::Broken(broken::NotificationCenter::default_center()),
            Variant::Fixed => Center::Fixed(fixed::NotificationCenter::at(dir)),
        }
    }

    /// Posts `name` with `info`.
    pub fn post(&self, name: &str, info: &str) -> io::Result<()> {
        match self {
            Center::Broken(c) => c.post(name, info),
            Center::Fixed(c) => c.post(name, info),
        }
    }

    /// Starts observing `name`.
    pub fn observe(&self, name: &str) -> io::Result<Observer> {
        Ok(match self {
            Center::Broken(c) => Observer::Broken(c.observe(name)?),
            Center::Fixed(c) => Observer::Fixed(c.observe(name)?),
        })
    }
}

impl Observer {
    /// What has arrived, if anything; never waits for a post.
    pub fn received(&mut self) -> io::Result<Option<String>> {
        match self {
            Observer::Broken(o) => o.received(),
            Observer::Fixed(o) => o.received(),
        }
    }
}
