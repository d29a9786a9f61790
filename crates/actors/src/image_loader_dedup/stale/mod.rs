//! A10's second lesson — the stale image: one `ImageLoader` holds one `image`, and a new
//! `loadImage` never cancels the one before it, so a slow first response can overwrite a fast
//! second one.
//!
//! The guide's `loadImage` ends with `self.image = downloadedImage` (L5523–5525), whatever has
//! been asked for since. A reused cell loads photo A, then — scrolled — photo B; if A's response
//! comes last, the cell shows A. (The cache is left out here: the first lesson covers it, and
//! neither photo is cached.)
//!
//! The check ([`the_last_load_wins`]): load A at t=0ms (its response takes [`SLOW`], 200 ms),
//! then B at t=10ms ([`FAST`], 50 ms). The cell must end up showing B.
//!
//! * [`broken`] shows whatever arrives: B at t=60ms, then A over it at t=200ms.
//! * [`fixed`] numbers its loads and shows a response only if no newer load has started since.
//!
//! How it is caught: **one forced schedule**. Every line is at a different time on the paused
//! clock (0, 10, 60, 200 ms), so no line depends on which ready task tokio polls first.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use racelab_kit::rt;
use racelab_kit::say;

use super::{Bytes, Server, Url};

pub mod broken;
pub mod fixed;

/// The photo the cell shows first.
pub const PHOTO_A: Url = "https://example.com/photo-a.png";
/// The photo the reused cell shows next.
pub const PHOTO_B: Url = "https://example.com/photo-b.png";
/// How long photo A takes to arrive.
pub const SLOW: Duration = Duration::from_millis(200);
/// How long photo B takes to arrive.
pub const FAST: Duration = Duration::from_millis(50);

/// A network whose responses take [`SLOW`] for photo A and [`FAST`] for anything else; an image
/// is its URL's bytes, so the test can tell which one is shown.
#[derive(Debug, Default)]
pub struct SlowNetwork;

impl Server for SlowNetwork {
    async fn fetch(&self, url: Url) -> Bytes {
        tokio::time::sleep(if url == PHOTO_A { SLOW } else { FAST }).await;
        Bytes::from(url.as_bytes())
    }
}

/// What both twins are: the guide's `ImageLoader` with its `@Published var image`.
pub trait ImageView: Send + Sync + 'static {
    /// A view showing nothing, loading from `server`.
    fn new(server: Arc<SlowNetwork>) -> Self;
    /// `loadImage(from:)`: download `url` and show it.
    fn load_image(&self, url: Url) -> impl Future<Output = ()> + Send;
    /// `image`: what the view shows.
    fn image(&self) -> Option<Bytes>;
}

// ANCHOR: check
/// A cell loads photo A at t=0ms (slow), is reused and loads photo B at t=10ms (fast). When both
/// are done it must show B.
pub async fn the_last_load_wins<V: ImageView>() -> Result<(), String> {
    let view = Arc::new(V::new(Arc::new(SlowNetwork)));
    let load = |url: Url| {
        let view = view.clone();
        async move { view.load_image(url).await }
    };
    say!("the cell loads photo-a.png");
    let a = rt::spawn("load A", load(PHOTO_A));
    tokio::time::sleep(Duration::from_millis(10)).await;
    say!("the cell is reused and loads photo-b.png");
    let b = rt::spawn("load B", load(PHOTO_B));
    let (a, b) = (a.await, b.await);
    a.and(b).map_err(|e| e.to_string())?;

    let shown = view
        .image()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    say!(
        "the cell shows {}",
        shown.as_deref().map_or("nothing", short)
    );
    if shown.as_deref() != Some(PHOTO_B) {
        return Err(format!(
            "the cell shows {} after loading photo-b.png: photo-a.png's late response \
             overwrote it",
            shown.as_deref().map_or("nothing", short)
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// `photo-a.png` for `https://example.com/photo-a.png`.
pub fn short(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}
