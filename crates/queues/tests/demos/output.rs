//! Every demo's narration, pinned. These snapshots are what `cargo run -p queues -- <demo>` prints
//! and what the book includes (with the broken run's traces as lanes), so a change in behaviour
//! shows up as a snapshot diff.

#[test]
fn every_demo_narrates_and_reaches_its_verdict() {
    // Q12's file watch needs Linux inotify; elsewhere it prints one line and reaches no verdict.
    racelab_testkit::pin_every_demo!(&queues::CHAPTER, |demo| {
        cfg!(not(target_os = "linux")) && demo.name == "event_sources"
    });
}
