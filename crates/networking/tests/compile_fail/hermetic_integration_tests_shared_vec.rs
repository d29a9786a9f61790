// N14: the guide's `testQueue.async { self.testResults.append(result) }` (L7553–7555,
// L7575–7577), ported literally: every test runs as a task in a group and appends its result to
// one list they all share. In Swift this compiles and races. In Rust a spawned task must own what
// it touches (`'static`), so the list is shared through an `Arc` — and an `Arc` hands out only
// shared references: `push` needs `&mut`, rejected (E0596). The fix the compiler points to is not
// a lock around the list but no shared list at all: each task returns its result, and the group
// hands it back (`join_next`).
use std::sync::Arc;
use tokio::task::JoinSet;

async fn run_comprehensive(endpoints: &[&'static str]) -> Arc<Vec<String>> {
    let test_results = Arc::new(Vec::new());
    let mut group = JoinSet::new();
    for &endpoint in endpoints {
        let test_results = Arc::clone(&test_results);
        group.spawn(async move {
            test_results.push(format!("GET {endpoint}: passed"));
        });
    }
    while group.join_next().await.is_some() {}
    test_results
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    println!("{:?}", runtime.block_on(run_comprehensive(&["/get", "/post"])));
}
