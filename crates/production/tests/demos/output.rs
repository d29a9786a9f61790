//! Every demo's narration, pinned. These snapshots are what `cargo run -p production -- <demo>` prints
//! and what the book includes (with the broken run's traces as lanes), so a change in behaviour
//! shows up as a snapshot diff.

#[test]
fn every_demo_narrates_and_reaches_its_verdict() {
    racelab_testkit::pin_every_demo!(&production::CHAPTER);
}
