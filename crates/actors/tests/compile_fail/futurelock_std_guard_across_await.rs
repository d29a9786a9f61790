// A17's contrast: a `std::sync::MutexGuard` held across an `.await` inside `tokio::spawn`. The
// guard is not `Send`, so the task's future is not either, and `tokio::spawn` (which may move the
// task to another worker thread at any `.await`) rejects it: "future cannot be sent between
// threads safely". That error has no code; the test matches its message.
use std::sync::{Arc, Mutex};

async fn save(_count: u64) {}

fn main() {
    let count = Arc::new(Mutex::new(0_u64));
    let _task = tokio::spawn(async move {
        let mut guard = count.lock().unwrap();
        *guard += 1;
        save(*guard).await; // the guard is still alive here
    });
}
