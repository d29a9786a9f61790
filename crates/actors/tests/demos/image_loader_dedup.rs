//! A10 `image_loader_dedup`: ten loads of one image miss the cache together and download it ten
//! times; the fixed loader shares the download in flight.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use actors::image_loader_dedup::{
    AVATAR, Bytes, Loader, Network, Server, Url, broken, fixed, run, run_stale, stale,
    ten_cells_one_download,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt::{self, Gate};

use crate::exhaustive::every_schedule;

/// The trivial case: one load after another, the broken loader downloads once and then hits its
/// cache.
#[test]
fn broken_image_loader_dedup_is_right_one_load_at_a_time() {
    let hits = rt::run(async {
        let response = Gate::new("response");
        response.open();
        let network = Arc::new(Network::new(response));
        let loader = broken::ImageLoader::new(network.clone());
        let first = loader.load(AVATAR).await;
        let second = loader.load(AVATAR).await;
        assert_eq!(first, second);
        network.hits(AVATAR)
    });
    assert_eq!(hits, 1);
}

// ANCHOR: caught
/// The forced schedule: all ten loads check the cache at t=0ms, before the one response at
/// t=100ms, so each of them downloads.
#[test]
fn broken_image_loader_dedup_downloads_one_avatar_ten_times() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "10 cells loading avatar.png made 10 downloads: each checked the cache before any \
         download had finished"
    );
    racelab_testkit::snapshot!("image_loader_dedup__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: one download, ten images.
#[test]
fn fixed_image_loader_dedup_downloads_once_for_ten_cells() {
    assert_eq!(
        rt::run(ten_cells_one_download::<fixed::ImageLoader<Network>>()),
        Ok(())
    );
}

// ANCHOR: model
/// The network, tokio-free: counts hits, and gives way once (`yield_now`) where the real one
/// waits for its response — the one await between the check and the store.
#[derive(Debug, Default)]
struct ModelNetwork {
    hits: AtomicUsize,
}

impl Server for ModelNetwork {
    async fn fetch(&self, _url: Url) -> Bytes {
        self.hits.fetch_add(1, SeqCst);
        shuttle::future::yield_now().await;
        Bytes::from(&b"avatar"[..])
    }
}

/// Two cells load the avatar in two shuttle tasks; whatever the order, the network is asked once.
fn two_cells<L: Loader<ModelNetwork>>() {
    let network = Arc::new(ModelNetwork::default());
    let loader = Arc::new(L::new(network.clone()));
    let cells: Vec<_> = (0..2)
        .map(|_| {
            let loader = loader.clone();
            shuttle::future::spawn(async move { loader.load(AVATAR).await })
        })
        .collect();
    for cell in cells {
        shuttle::future::block_on(cell).expect("a cell finishes");
    }
    let hits = network.hits.load(SeqCst);
    assert!(hits == 1, "two cells made {hits} downloads");
}
// ANCHOR_END: model

// ANCHOR: search
/// Every schedule of the model (shuttle's depth-first search, no bound): the broken loader has
/// one where both cells download.
#[test]
fn broken_image_loader_dedup_has_a_schedule_with_two_downloads() {
    assert_eq!(
        every_schedule(two_cells::<broken::ImageLoader<ModelNetwork>>),
        Err("two cells made 2 downloads".to_string())
    );
}

/// The fixed loader under the same search: all 13 schedules of the model download once. (The
/// count is the model's: its spawns, joins and yields, and where `Shared` wakes its waiters.)
#[test]
fn fixed_image_loader_dedup_downloads_once_in_every_schedule() {
    assert_eq!(
        every_schedule(two_cells::<fixed::ImageLoader<ModelNetwork>>),
        Ok(13)
    );
}
// ANCHOR_END: search

// The second lesson: the stale image.

/// The trivial case: one load, nothing newer — the broken view shows what it loaded.
#[test]
fn broken_image_loader_dedup_shows_a_lone_load() {
    use stale::ImageView;
    let shown = rt::run(async {
        let view = stale::broken::ImageLoader::new(Arc::new(stale::SlowNetwork));
        view.load_image(stale::PHOTO_B).await;
        view.image()
    });
    assert_eq!(shown.as_deref(), Some(stale::PHOTO_B.as_bytes()));
}

// ANCHOR: stale_caught
/// The forced schedule: photo A (200 ms) is asked for first, photo B (50 ms) 10 ms later; A's
/// response comes last and the broken view shows it.
#[test]
fn broken_stale_image_shows_the_older_photo() {
    let (outcome, trace) = run_stale(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the cell shows photo-a.png after loading photo-b.png: photo-a.png's late response \
         overwrote it"
    );
    racelab_testkit::snapshot!("image_loader_dedup__stale_trace", trace.render());
}
// ANCHOR_END: stale_caught

/// The same check on the fixed view: A's late response is dropped, B stays.
#[test]
fn fixed_stale_image_shows_the_photo_asked_for_last() {
    assert_eq!(
        rt::run(stale::the_last_load_wins::<stale::fixed::ImageLoader>()),
        Ok(())
    );
}
