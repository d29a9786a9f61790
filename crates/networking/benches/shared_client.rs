//! N8: what a client per request costs — `cargo bench -p networking --bench shared_client` (or
//! `scripts/bench shared_client`, which writes the book's table).
//!
//! [`LOADS_PER_BATCH`] `custom://` loads one after another through the N8 layer, against the same
//! loopback axum server the check uses:
//! * `shared_client`: the fixed layer, built once per batch — one client, one connection;
//! * `client_per_request`: the broken layer — a new client, and so a new TCP connection, for
//!   every load.
//!
//! A `current_thread` runtime on the real clock: this is a benchmark, not a check (the check
//! counts TCP accepts, `tests/demos/client_middleware.rs`). Before timing, one batch each way
//! counts the server's accepts and writes them to `criterion/networking_shared_client/accepts.json`
//! for the table. Loopback only: a handshake here is the cheapest there is (no network latency,
//! no TLS), so the ratio is a floor.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use networking::client_middleware::{CustomProtocol, broken, fixed, load_in_turn, start_server};
use networking::loopback::Server;
use tokio::runtime::{Builder, Runtime};

/// Loads per timed batch.
const LOADS_PER_BATCH: usize = 10;

/// `batches` batches of [`LOADS_PER_BATCH`] loads through a fresh layer `M` each; the time.
fn batches<M: CustomProtocol>(runtime: &Runtime, server: &Server, batches: u64) -> Duration {
    runtime.block_on(async {
        let start = Instant::now();
        for _ in 0..batches {
            let layer = M::new().expect("a client");
            load_in_turn(&layer, server, LOADS_PER_BATCH)
                .await
                .expect("loopback loads");
        }
        start.elapsed()
    })
}

/// One batch through a fresh layer `M` on a fresh counting server: how many TCP accepts.
fn accepts_for<M: CustomProtocol>(runtime: &Runtime) -> usize {
    runtime.block_on(async {
        let accepts = Arc::new(AtomicUsize::new(0));
        let server = start_server(Arc::clone(&accepts), false)
            .await
            .expect("a server");
        let layer = M::new().expect("a client");
        load_in_turn(&layer, &server, LOADS_PER_BATCH)
            .await
            .expect("loopback loads");
        drop(layer);
        server.stop().await.expect("the server stops");
        accepts.load(Ordering::SeqCst)
    })
}

fn shared_client(c: &mut Criterion) {
    let runtime = Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let shared = accepts_for::<fixed::CustomUrlProtocol>(&runtime);
    let per_request = accepts_for::<broken::CustomUrlProtocol>(&runtime);
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || std::path::PathBuf::from("../../target"),
            std::path::PathBuf::from,
        )
        .join("criterion/networking_shared_client");
    let _ = std::fs::create_dir_all(&dir);
    let json = format!(
        r#"{{"loads":{LOADS_PER_BATCH},"shared_client":{shared},"client_per_request":{per_request}}}"#
    );
    let _ = std::fs::write(dir.join("accepts.json"), json);

    let accepts = Arc::new(AtomicUsize::new(0));
    let server = runtime
        .block_on(start_server(accepts, false))
        .expect("a server");
    let mut group = c.benchmark_group("networking_shared_client");
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("shared_client", |b| {
        b.iter_custom(|n| batches::<fixed::CustomUrlProtocol>(&runtime, &server, n))
    });
    group.bench_function("client_per_request", |b| {
        b.iter_custom(|n| batches::<broken::CustomUrlProtocol>(&runtime, &server, n))
    });
    group.finish();
    runtime.block_on(server.stop()).expect("the server stops");
}

criterion_group!(benches, shared_client);
criterion_main!(benches);
