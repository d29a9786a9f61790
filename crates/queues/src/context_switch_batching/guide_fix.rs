//! Q5, the guide's own fix as written (L548–558): one background job maps the whole array, then
//! one hop to main.
//!
//! Right order and one hop — but `data.map` processes one item at a time on one thread: on a
//! machine with many cores the batch takes as long as all the items end to end. (It also cannot
//! run the reversed-order scenario at all: the job for `a` would wait, on the only thread doing
//! any work, for `b`.)

use super::App;

// ANCHOR: process_data
/// The guide's `GoodContextSwitching.processData` (L549–557).
pub fn process_data(app: &App, data: Vec<String>) {
    racelab_kit::say!(
        "sends the batch of {} items to the global queue",
        data.len()
    );
    let this = app.clone();
    app.batch_job(move || {
        let processed_items: Vec<String> = data
            .iter()
            .map(|item| this.item_job(item, || this.process_item(item)))
            .collect();
        let ui = this.clone();
        this.main
            .dispatch_async(move || ui.update_ui(processed_items));
        racelab_kit::step!(super::HOPS, " with every item");
    });
}
// ANCHOR_END: process_data
