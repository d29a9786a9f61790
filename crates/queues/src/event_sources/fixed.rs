//! Q12, fixed: watch the file's *directory* and pick out the file by name, counting a rename onto
//! the name as a change.
//!
//! Two lines differ from [`broken`](super::broken): the watch is on the parent directory, whose
//! inode an atomic save does not replace, and a rename onto the file's name (and a create, for
//! writers that delete and re-create) counts as a change. The other professional fix is to handle
//! `.delete`/`.rename` by re-opening the path and re-arming the watch; watching the directory has no
//! window between the rename and the re-arm in which a write could slip by.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use notify::EventKind::{Create, Modify};
use notify::event::{ModifyKind::Data, ModifyKind::Name, RenameMode};
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
        let dir = path.parent().expect("a file in a directory"); // the directory: an atomic save
        self.watcher.watch(dir, RecursiveMode::NonRecursive) // replaces the file, not the directory
    }
}

/// Which events count as "the file changed": writes, and a new file arriving under its name.
fn wanted(kind: &EventKind) -> bool {
    matches!(kind, Modify(Data(_) | Name(RenameMode::To)) | Create(_))
}
// ANCHOR_END: monitor_file
