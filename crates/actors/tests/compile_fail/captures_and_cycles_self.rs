// A7: the guide's `DataManager.fetchData()` (L808–825) and its `[unowned self]` twin (L850–866):
// a background block that assigns `self.data`. In Swift the block retains `self` (or, unowned,
// trusts it to outlive the block). In Rust the closure would borrow `self`, and a spawned thread
// may outlive that borrow: rejected (E0521). The Rust answers are to move an `Arc` of what the
// thread needs into it, or to scope the thread (`std::thread::scope`).
use std::thread;

struct DataManager {
    data: Vec<String>,
}

impl DataManager {
    fn fetch_data(&mut self) {
        thread::spawn(|| {
            self.data = vec!["item1".into(), "item2".into(), "item3".into()];
        });
    }
}

fn main() {
    let mut manager = DataManager { data: Vec::new() };
    manager.fetch_data();
}
