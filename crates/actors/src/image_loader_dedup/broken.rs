//! A10's broken `ImageLoader`: the guide's check, download, store. This version is problematic:
//! the cache is checked, the lock dropped, the download awaited, and only then is the image
//! stored — every load that checks in between misses too, and downloads the image again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;

use super::{Bytes, Server, Url};

/// `class ImageLoader` with its `ImageCache` (here a locked map: the guide's actor, minus the hops).
#[derive(Debug)]
pub struct ImageLoader<S> {
    server: Arc<S>,
    cache: Mutex<HashMap<Url, Bytes>>,
}

// ANCHOR: load
impl<S: Server> super::Loader<S> for ImageLoader<S> {
    fn new(server: Arc<S>) -> Self {
        let cache = Mutex::new(HashMap::new());
        ImageLoader { server, cache }
    }

    async fn load(&self, url: Url) -> Bytes {
        if let Some(image) = lock_unpoisoned(&self.cache).get(url) {
            say!("finds {} in the cache", short(url));
            return image.clone();
        }
        say!("misses {}: downloads it", short(url));
        let image = self.server.fetch(url).await; // the lock is gone: others check and miss too
        lock_unpoisoned(&self.cache).insert(url, image.clone());
        say!("stores {}", short(url));
        image
    }
}
// ANCHOR_END: load

/// `avatar.png` for `https://example.com/avatar.png`, to keep the narration short.
fn short(url: Url) -> &'static str {
    url.rsplit('/').next().unwrap_or(url)
}
