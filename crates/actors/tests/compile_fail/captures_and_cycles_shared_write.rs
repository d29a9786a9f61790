// A7: the guide's `SafeDataManager` (L828–846) with the thread's reference made legal — an `Arc`
// moved into the thread — still writes `self.data` from a background thread while other code may
// read it: a data race, which `[weak self]` does nothing about. Rust rejects the write through a
// shared reference (E0594); the data needs a `Mutex` (or a channel, or an actor).
use std::sync::Arc;
use std::thread;

struct DataManager {
    data: Vec<String>,
}

impl DataManager {
    fn fetch_data(self: &Arc<Self>) {
        let this = Arc::clone(self);
        thread::spawn(move || {
            this.data = vec!["item1".into(), "item2".into(), "item3".into()];
        });
    }
}

fn main() {
    let manager = Arc::new(DataManager { data: Vec::new() });
    manager.fetch_data();
}
