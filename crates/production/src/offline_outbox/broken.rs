//! P3's broken `OfflineFirstManager`: the guide's, ported as literally as the check allows. This
//! version is problematic: every write starts its own sync, and each sync sends its own copy of
//! the pending list (so one operation goes out twice); an update's operation id is the item's id
//! (so syncing one operation removes a newer one of the same item); and the pending list lives
//! only in memory (so a restart loses it while the local database keeps the changes).

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};

use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use rusqlite::Connection;

use super::Keys;
use super::harness::{Op, Request, Server, open_local, write_local};

/// `struct PendingOperation`: the operation and its id.
#[derive(Debug, Clone)]
struct PendingOperation {
    id: String,
    op: Op,
}

/// `class OfflineFirstManager`.
#[derive(Debug)]
pub struct OfflineFirstManager {
    local: Mutex<Connection>,              // `localDatabase`: a SQLite file
    pending: Mutex<Vec<PendingOperation>>, // `@Published var pendingOperations`
    online: AtomicBool,                    // `@Published var isOnline`
    server: Server,                        // `networkManager`
}

// ANCHOR: manager
impl super::Outbox for OfflineFirstManager {
    fn open(path: &Path, server: Server, _keys: Keys) -> Result<Self, String> {
        // `_keys`: the guide sends no idempotency key.
        let local = open_local(path).map_err(|e| format!("cannot open the database: {e}"))?;
        say!("opens the local database; the pending list starts empty (it lives in memory)");
        Ok(OfflineFirstManager {
            local: Mutex::new(local),
            pending: Mutex::default(),
            online: AtomicBool::new(true),
            server,
        })
    }

    async fn create_item(&self, id: &str, value: &str) -> Result<(), String> {
        let op = Op::create(id, value);
        write_local(&lock_unpoisoned(&self.local), &op).map_err(|e| e.to_string())?;
        say!("saves {op} locally and queues it as operation {id}");
        let id = id.to_owned(); // `createItem` saves the item with its operation id
        self.queue_operation(PendingOperation { id, op }).await;
        Ok(())
    }

    async fn update_item(&self, id: &str, value: &str) -> Result<(), String> {
        let op = Op::update(id, value);
        write_local(&lock_unpoisoned(&self.local), &op).map_err(|e| e.to_string())?;
        say!("saves {op} locally and queues it as operation {id}");
        let id = id.to_owned(); // `PendingOperation(id: id, …)`: the item's id again
        self.queue_operation(PendingOperation { id, op }).await;
        Ok(())
    }

    async fn set_online(&self, online: bool) {
        self.online.store(online, SeqCst);
        say!("{}", if online { "back online" } else { "offline" });
        if online {
            self.sync().await; // "When online, sync pending operations" (the monitor's comment)
        }
    }

    async fn sync(&self) {
        if !self.online.load(SeqCst) {
            return;
        }
        let operations = lock_unpoisoned(&self.pending).clone();
        say!(
            "syncs a copy of the pending list: {} op(s)",
            operations.len()
        );
        for operation in operations {
            say!("sends {} (no key)", operation.op);
            let request = Request {
                key: None,
                op: operation.op.clone(),
            };
            if let Err(fault) = self.server.send(request).await {
                say!("sync failed: {fault}");
                return;
            }
            lock_unpoisoned(&self.pending).retain(|p| p.id != operation.id);
            say!("removes every pending operation with id {}", operation.id);
        }
    }
}

impl OfflineFirstManager {
    /// `queueOperation`: append, then sync at once if online.
    async fn queue_operation(&self, operation: PendingOperation) {
        lock_unpoisoned(&self.pending).push(operation);
        if self.online.load(SeqCst) {
            super::Outbox::sync(self).await;
        }
    }
}
// ANCHOR_END: manager
