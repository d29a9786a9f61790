//! Q12, broken: the guide's file source — watch the file itself, for writes only.
//!
//! This version is problematic.
//!
//! `open(path, O_EVTONLY)` + `eventMask: .write` (L1013–1020) watches one *inode*. Editors and
//! atomic saves (`Data.write(options: .atomic)`, `NamedTempFile::persist`) never write that inode
//! again: they write a new file and rename it over the path. The rename is not a `.write`, so the
//! handler hears nothing; and the watch stays on the old, unlinked inode (here inotify drops it when
//! the inode dies), so every later write to the path goes unseen too. Ported onto inotify through
//! the `notify` crate: a watch on the file's path is a watch on its inode, exactly like the fd.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use notify::EventKind::Modify;
use notify::event::ModifyKind::Data;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::harness::Handler;

/// The guide's `SystemEventMonitor`, file sources only. One watcher (one inotify instance, one
/// thread) serves every file; each file has its handler. Dropping the monitor drops the watcher,
/// which removes every watch — the `deinit` cleanup the guide forgot.
pub struct SystemEventMonitor {
    watcher: RecommendedWatcher,
    handlers: Arc<Mutex<Vec<(PathBuf, Handler)>>>,
}

impl SystemEventMonitor {
    /// A monitor with no sources yet; handlers run on the watcher's thread, signed `watcher`.
    pub fn new() -> notify::Result<Self> {
        let handlers = Arc::new(Mutex::new(Vec::<(PathBuf, Handler)>::new()));
        let on_event = super::harness::on_watcher_thread(handlers.clone(), wanted);
        let watcher = notify::recommended_watcher(on_event)?;
        Ok(SystemEventMonitor { watcher, handlers })
    }

    // ANCHOR: monitor_file
    /// Calls `handler` whenever the file at `path` changes.
    pub fn monitor_file(
        &mut self,
        path: &Path,
        handler: impl Fn() + Send + 'static,
    ) -> notify::Result<()> {
        self.handlers
            .lock()
            .unwrap()
            .push((path.to_path_buf(), Box::new(handler)));
        self.watcher.watch(path, RecursiveMode::NonRecursive) // the file: one inode, as open(path)
    }
}

/// Which events count as "the file changed": writes only (`eventMask: .write`).
fn wanted(kind: &EventKind) -> bool {
    matches!(kind, Modify(Data(_)))
}
// ANCHOR_END: monitor_file
