//! A10's stale-image `ImageLoader`: the guide's `loadImage`, minus the cache. This version is
//! problematic: it shows whatever response arrives last, not the image asked for last.

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
        let image = self.server.fetch(url).await;
        say!("gets {} at {}; shows it", short(url), rt::now());
        *lock_unpoisoned(&self.image) = Some(image); // whichever response comes last wins
    }

    fn image(&self) -> Option<Bytes> {
        lock_unpoisoned(&self.image).clone()
    }
}
// ANCHOR_END: load
