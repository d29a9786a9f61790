//! R5: the guide's `UnsafeArrayManager` (L3915-3928), ported literally: a struct with a plain `Vec`,
//! used by two threads at once that both call `add_item` with no lock. Rust rejects it: both threads
//! would need `&mut manager` at the same time (E0499), which is exactly the data race.
use std::thread;

struct UnsafeArrayManager {
    items: Vec<String>,
}

impl UnsafeArrayManager {
    fn add_item(&mut self, item: String) {
        self.items.push(item); // items.append(item)
    }
}

fn main() {
    let mut manager = UnsafeArrayManager { items: Vec::new() };
    thread::scope(|s| {
        s.spawn(|| manager.add_item("a".to_string()));
        s.spawn(|| manager.add_item("b".to_string()));
    });
}
