//! Q5, fixed: the guide's GOOD version with rayon's `par_iter` instead of `map` — the items are
//! processed in parallel, `collect` puts the results back in input order, and one hop delivers
//! them all.
//!
//! A declared rewrite of the broken twin, as the guide's own GOOD version is of its BAD one: one
//! batch job that maps and then hops once, instead of a job and a hop per item. The page shows the
//! lines that decide the order side by side (anchor `hop` in both twins).
//!
//! Two lines differ from [`guide_fix`](super::guide_fix): `par_iter` and `with_max_len(1)` (each
//! item may take its own worker; rayon would otherwise keep short runs of items on one thread,
//! which is what you want for cheap items and what the reversed-order scenario cannot have).

use rayon::prelude::*;

use super::App;

// ANCHOR: process_data
/// `processData`: parallel map, then one hop.
pub fn process_data(app: &App, data: Vec<String>) {
    racelab_kit::say!(
        "sends the batch of {} items to the global queue",
        data.len()
    );
    let this = app.clone();
    app.batch_job(move || {
        // ANCHOR: hop
        let processed_items: Vec<String> = data
            .par_iter() // in parallel; `collect` still returns input order
            .with_max_len(1)
            .map(|item| this.item_job(item, || this.process_item(item)))
            .collect();
        let ui = this.clone();
        this.main
            .dispatch_async(move || ui.update_ui(processed_items));
        racelab_kit::step!(super::HOPS, " with every item");
        // ANCHOR_END: hop
    });
}
// ANCHOR_END: process_data
