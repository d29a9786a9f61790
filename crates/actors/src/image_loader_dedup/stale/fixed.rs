//! A10's fixed stale-image `ImageLoader`: every load takes a number; a response is shown only if
//! no newer load has started since, so the image asked for last wins.

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::{rt, say};

use super::{Bytes, SlowNetwork, Url, short};
use crate::image_loader_dedup::Server;

/// `class ImageLoader: ObservableObject { @Published var image: UIImage? }`.
#[derive(Debug, Default)]
pub struct ImageLoader {
    server: Arc<SlowNetwork>,
    image: Mutex<Option<Bytes>>,
    latest: AtomicU64, // the number of the newest load
}

// ANCHOR: load
impl super::ImageView for ImageLoader {
    fn new(server: Arc<SlowNetwork>) -> Self {
        ImageLoader {
            server,
            ..Default::default()
        }
    }

    async fn load_image(&self, url: Url) {
        let this_load = self.latest.fetch_add(1, SeqCst) + 1; // newer than every load before it
        let image = self.server.fetch(url).await;
        if self.latest.load(SeqCst) != this_load {
            // only the newest load may show its image
            return say!("drops {}: a newer load began", short(url));
        }
        say!("gets {} at {}; shows it", short(url), rt::now());
        *lock_unpoisoned(&self.image) = Some(image);
    }

    fn image(&self) -> Option<Bytes> {
        lock_unpoisoned(&self.image).clone()
    }
}
// ANCHOR_END: load
