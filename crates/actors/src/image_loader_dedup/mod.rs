//! A10 `image_loader_dedup` — ten cells show the same avatar, and the loader downloads it ten
//! times: a check-then-act split by an `await`.
//!
//! Ports the guide's `ImageLoader` ("1. Image Loading and Caching", L5504–5531; its cache's
//! eviction is Q11). `loadImage` asks the cache actor (`await cache.getImage`), misses, downloads
//! (`await session.data`), then stores (`await cache.setImage`). The actor makes each of those
//! calls safe; nothing makes the *three together* atomic. Every other load of the same URL that
//! starts before the first download ends also misses, and downloads again. (The inventory's draft
//! blamed "actor reentrancy", a word the guide never uses; confirmed against the code, the cause
//! is two separate actor calls with a download between them — no data race is involved.)
//!
//! The check ([`ten_cells_one_download`]): ten loads of [`AVATAR`] at once, polled in one task in a
//! fixed order; the [`Network`] answers at [`LATENCY`] (a [`Gate`] the `network` task opens on the
//! paused clock) and counts its hits. One download must do.
//!
//! * [`broken`] checks a `std::sync::Mutex<HashMap>`, drops the lock, awaits the download, then
//!   inserts: 10 hits.
//! * [`fixed`] keeps the *download in flight* per URL — a `futures_util` [`Shared`] future that
//!   every later load awaits too — so the check and the claim are one step under the lock: 1 hit.
//!   A declared rewrite (`scripts/twin-diff` counts 22 lines): the cache's value changes from the
//!   image to the download, and `get` → `fetch().await` → `insert` becomes one
//!   `entry(url).or_insert_with(start the download)` under the lock, then `download.await`.
//!
//! How it is caught, twice:
//!
//! * here: **one forced schedule**. The ten loads start at t=0 and the response comes at
//!   t=100ms; the paused clock only moves when every task is waiting, so all ten have checked the
//!   cache before any download ends. The schedule is forced, not hoped for.
//! * in `tests/demos/image_loader_dedup.rs`: the twins' very code, tokio-free, with two loaders
//!   under shuttle's `check_dfs` — **exhaustive** over every order of the model's await points.
//!
//! The second lesson, [`stale`]: one loader holds one `image`, and a slow first load overwrites
//! the image a newer load has already shown (the fix numbers the loads).
//!
//! [`Shared`]: futures_util::future::Shared

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::join_all;
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::{Trace, traced};

pub mod broken;
pub mod fixed;
pub mod stale;

/// A URL, by name.
pub type Url = &'static str;

/// An image's bytes (`UIImage` in the guide): cheap to clone, so every cell can hold it.
pub type Bytes = Arc<[u8]>;

/// The avatar all ten cells show.
pub const AVATAR: Url = "https://example.com/avatar.png";

/// How many cells load it at once.
pub const CELLS: usize = 10;

/// How long the network takes to answer (paused time: exact, and free).
pub const LATENCY: Duration = Duration::from_millis(100);

/// Where a loader downloads from: the network here, an in-memory model under shuttle in the tests.
pub trait Server: Send + Sync + 'static {
    /// Downloads `url` (`session.data(from:)`).
    fn fetch(&self, url: Url) -> impl Future<Output = Bytes> + Send;
}

/// What both twins are: `loadImage(from:)`, returning the image instead of setting `self.image`.
pub trait Loader<S: Server>: Send + Sync + 'static {
    /// A loader in front of `server`, with an empty cache.
    fn new(server: Arc<S>) -> Self;
    /// The image at `url`: from the cache, or downloaded (and then cached).
    fn load(&self, url: Url) -> impl Future<Output = Bytes> + Send;
}

/// An in-memory network: counts hits per URL and holds every response until `response` opens.
#[derive(Debug)]
pub struct Network {
    hits: Mutex<HashMap<Url, usize>>,
    response: Gate,
}

impl Network {
    /// No hits yet; responses held until `response` opens.
    pub fn new(response: Gate) -> Self {
        Network {
            hits: Mutex::new(HashMap::new()),
            response,
        }
    }

    /// How many times `url` was requested.
    pub fn hits(&self, url: Url) -> usize {
        lock_unpoisoned(&self.hits).get(url).copied().unwrap_or(0)
    }
}

impl Server for Network {
    async fn fetch(&self, url: Url) -> Bytes {
        *lock_unpoisoned(&self.hits).entry(url).or_default() += 1;
        self.response.wait().await;
        Bytes::from(&b"\x89PNG avatar"[..])
    }
}

// ANCHOR: check
/// [`CELLS`] loads of [`AVATAR`] at once; the network answers at [`LATENCY`]. Every cell must get
/// the image, and the network must have been asked once.
pub async fn ten_cells_one_download<L: Loader<Network>>() -> Result<(), String> {
    let response = Gate::new("the avatar's response");
    let network = Arc::new(Network::new(response.clone()));
    let loader = L::new(network.clone());
    rt::spawn("network", async move {
        tokio::time::sleep(LATENCY).await; // every load has checked the cache by now
        say!("answers every request waiting for avatar.png");
        response.open();
    });

    say!("{CELLS} cells load avatar.png at once");
    let images = join_all((0..CELLS).map(|_| loader.load(AVATAR))).await; // one task, fixed order
    let hits = network.hits(AVATAR);
    let requests = if hits == 1 { "request" } else { "requests" };
    say!(
        "{} cells show the avatar; the network served {hits} {requests}",
        images.len()
    );

    if hits != 1 {
        return Err(format!(
            "{CELLS} cells loading avatar.png made {hits} downloads: each checked the cache \
             before any download had finished"
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "cells",
            ten_cells_one_download::<broken::ImageLoader<Network>>(),
        ),
        Variant::Fixed => rt::run_as(
            "cells",
            ten_cells_one_download::<fixed::ImageLoader<Network>>(),
        ),
    })
}

/// Runs the second lesson's check ([`stale::the_last_load_wins`]) the same way.
pub fn run_stale(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "cell",
            stale::the_last_load_wins::<stale::broken::ImageLoader>(),
        ),
        Variant::Fixed => rt::run_as(
            "cell",
            stale::the_last_load_wins::<stale::fixed::ImageLoader>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A10",
    name: "image_loader_dedup",
    summary: "ten loads of one image miss the cache together and download it ten times; a slow \
              first load overwrites a newer image",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock: {CELLS} cells load one avatar at t=0ms; the network answers at t={}ms",
        LATENCY.as_millis()
    ));
    let (dedup, trace) = run(variant);
    report.trace(&trace);
    report.heading(format!(
        "paused clock: a reused cell loads photo A ({} ms), then photo B ({} ms)",
        stale::SLOW.as_millis(),
        stale::FAST.as_millis()
    ));
    let (stale, trace) = run_stale(variant);
    report.trace(&trace);

    // Caught only if every check found its bug; holds only if none did.
    report.conclude_each(
        [dedup, stale],
        "all ten cells got the avatar from one download, and the reused cell shows photo B",
    );
    report
}
