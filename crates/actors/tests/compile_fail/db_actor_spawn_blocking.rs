// A11: the guide's actor method hands `self.database` to a serial queue — `queue.async { try
// self.database?.save(user) }` (L5551–5561). Swift rejects it: the closure runs on the queue,
// outside the actor, and the actor's state may not be touched there. The same shape in Rust: a
// method of `&mut self` moves its borrow of `self.database` into `spawn_blocking`, whose closure
// must be `'static` — it may run after the method has returned, and so after the borrow has
// ended. Rejected (E0521: borrowed data escapes). The Rust answer is an owner for the connection:
// a thread that owns it, and messages to it.
use rusqlite::Connection;

struct DatabaseManager {
    database: Option<Connection>, // private var database: Database?
}

impl DatabaseManager {
    async fn save_user(&mut self, user: String) -> rusqlite::Result<()> {
        tokio::task::spawn_blocking(move || {
            // queue.async { … }
            if let Some(database) = &mut self.database {
                database.execute("INSERT INTO users (name) VALUES (?1)", [&user])?;
            }
            Ok(())
        })
        .await
        .expect("the block does not panic")
    }
}

fn main() {
    let mut manager = DatabaseManager { database: None };
    let _ = manager.save_user("Ann".to_string());
}
