//! Q5, broken: the guide's BAD version — every item goes to the global queue in its own job, and
//! every result comes back to main in its own hop.
//!
//! This version is problematic.
//!
//! Slower (one wake-up of main per item), and worse: main shows the results in the order the jobs
//! *finish*, which nothing controls.

use super::App;

// ANCHOR: process_data
/// The guide's `BadContextSwitching.processData` (L535–544).
pub fn process_data(app: &App, data: Vec<String>) {
    racelab_kit::say!(
        "sends {} items to the global queue, one job each",
        data.len()
    );
    for item in data {
        let this = app.clone();
        app.global.spawn(move || {
            this.item_job(&item, || {
                let processed = this.process_item(&item);
                let ui = this.clone();
                // ANCHOR: hop
                this.main
                    .dispatch_async(move || ui.update_ui(vec![processed])); // a hop per item
                racelab_kit::step!(super::HOPS, " with one item");
                // ANCHOR_END: hop
            })
        });
    }
}
// ANCHOR_END: process_data
