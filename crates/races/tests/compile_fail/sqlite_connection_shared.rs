//! R11: the guide hands what it fetched in `backgroundContext` to whoever called (`fetch`,
//! L5093-5096; `fetchUsers`, L5122-5127), and the callers use it on their own threads. The Rust
//! shape of that mistake: one SQLite connection used from two threads at once. Rejected: a
//! `Connection` may be *moved* to another thread (it is `Send`) but not *shared* (it is not `Sync`),
//! so `&Connection` cannot cross to a second thread (E0277).
use rusqlite::Connection;
use std::thread;

fn main() {
    let context = Connection::open_in_memory().unwrap();
    context
        .execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        .unwrap();
    thread::scope(|s| {
        s.spawn(|| context.execute("INSERT INTO users (name) VALUES ('ann')", []));
        context.execute("INSERT INTO users (name) VALUES ('bob')", []).unwrap();
    });
}
