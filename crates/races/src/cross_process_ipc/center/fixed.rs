//! R14, fixed: notifications over a Unix domain socket, which any process can reach.
//!
//! **Notifications go over a Unix domain socket** (`std::os::unix::net`). The observer binds
//! `<dir>/<name>.sock`; a post connects and writes one line. A socket is a kernel object with an
//! address, so the observer may live in any process that can reach the directory. (Apple's
//! cross-process equivalent is the Darwin notify centre, which carries a name and no `userInfo`;
//! App Groups give the shared directory.) One observer per name, to keep the demo small; a real
//! bus would accept many.

use std::io::{self, BufRead, BufReader, ErrorKind, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
