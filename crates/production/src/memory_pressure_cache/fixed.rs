//! P11's fixed `MemoryPressureHandler`: the image cache is bounded in bytes (moka with a weigher:
//! each image weighs its length, `max_capacity` is the 50 MB budget), and the pressure handler
//! acts on the level the event carries (Apple's `memoryWarningSource.data`), so a critical event
//! clears every cache.

use moka::sync::Cache;
use racelab_kit::say;

use super::{Data, Images, Pressure};

/// `class MemoryPressureHandler`: an image cache and a data cache (the guide's `ImageCache.shared`
/// and `DataCache.shared`).
#[derive(Debug)]
pub struct MemoryPressureHandler {
    images: Images,
    data: Data,
}

// ANCHOR: handler
impl super::Handler for MemoryPressureHandler {
    fn new() -> Self {
        // cache.totalCostLimit = 50 MB, as a bound moka keeps: every image weighs its bytes
        let images = Cache::builder()
            .weigher(super::weigh)
            .max_capacity(super::BUDGET); // a budget in bytes, not a count
        MemoryPressureHandler {
            images: images.build(),
            data: Cache::builder().build(),
        }
    }

    fn handle_memory_pressure(&self, event: Pressure) {
        let current_pressure = event; // the level the source delivered, not a made-up default
        match current_pressure {
            Pressure::Warning => {
                say!("warning: cleans up the data cache");
                self.data.invalidate_all();
            }
            Pressure::Critical => {
                say!("critical: clears every cache");
                self.images.invalidate_all();
                self.data.invalidate_all();
            }
            Pressure::Normal => {}
        }
    }

    fn images(&self) -> &Images {
        &self.images
    }

    fn data(&self) -> &Data {
        &self.data
    }
}

// ANCHOR_END: handler
