//! A10's fixed `ImageLoader`: the cache holds the *download in flight* (a [`Shared`] future), not
//! only its result, so checking the cache and claiming the download are one step under the lock.
//! Every later load of the URL awaits the same download; the network is asked once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::future::{BoxFuture, FutureExt, Shared};
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;

use super::{Bytes, Server, Url};

/// `class ImageLoader` with its `ImageCache` (here a locked map: the guide's actor, minus the hops).
#[derive(Debug)]
pub struct ImageLoader<S> {
    server: Arc<S>,
    cache: Mutex<HashMap<Url, Shared<BoxFuture<'static, Bytes>>>>, // the download, in flight or done
}

// ANCHOR: load
impl<S: Server> super::Loader<S> for ImageLoader<S> {
    fn new(server: Arc<S>) -> Self {
        let cache = Mutex::new(HashMap::new());
        ImageLoader { server, cache }
    }

    async fn load(&self, url: Url) -> Bytes {
        let download = lock_unpoisoned(&self.cache)
            .entry(url)
            .or_insert_with(|| {
                say!("misses {}: starts the one download", short(url));
                let server = self.server.clone();
                async move { server.fetch(url).await }.boxed().shared() // claimed under the lock
            })
            .clone();
        say!("awaits the download of {}", short(url));
        download.await // every load of `url` awaits this one download
    }
}
// ANCHOR_END: load

/// `avatar.png` for `https://example.com/avatar.png`, to keep the narration short.
fn short(url: Url) -> &'static str {
    url.rsplit('/').next().unwrap_or(url)
}
