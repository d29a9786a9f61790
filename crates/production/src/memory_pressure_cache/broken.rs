//! P11's broken `MemoryPressureHandler`: the guide's two classes of that name in one. This version
//! is problematic: the image cache's only working limit counts entries (`countLimit = 100`; the
//! 50 MB `totalCostLimit` needs a cost per insertion, and none is ever given), so a hundred 1 MB
//! images are 100 MB; and the pressure handler asks `getCurrentMemoryPressure()`, which always
//! says `.warning`, so a critical event never reaches the branch that clears the images.

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
        // cache.countLimit = 100; cache.totalCostLimit = 50 MB — but no insertion passes a cost
        let images = Cache::builder().max_capacity(super::COUNT_LIMIT);
        MemoryPressureHandler {
            images: images.build(),
            data: Cache::builder().build(),
        }
    }

    fn handle_memory_pressure(&self, _event: Pressure) {
        let current_pressure = super::get_current_memory_pressure();
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
