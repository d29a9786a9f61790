//! Every demo's narration, pinned. These snapshots are what `cargo run -p races -- <demo>` prints
//! and what the book includes, so a change in behaviour shows up as a snapshot diff.

use racelab_kit::demo::Variant;
use racelab_kit::lanes;

#[test]
fn every_demo_narrates_and_reaches_its_verdict() {
    for demo in races::CHAPTER.demos {
        for variant in Variant::BOTH {
            let report = (demo.run)(variant);
            assert!(
                report.verdict().as_expected(),
                "{} {variant}: {:?}",
                demo.name,
                report.verdict()
            );
            racelab_testkit::snapshot!(format!("{}__{variant}", demo.name), report.render());
            // The broken run's traces as lanes, one HTML table each: the book's picture of the
            // failing interleaving, drawn from the same lines as the text above.
            let traces = report.traces();
            if variant == Variant::Broken && !traces.is_empty() {
                let tables: Vec<String> = traces
                    .iter()
                    .map(|(heading, lines)| lanes::render_html(lines, *heading))
                    .collect();
                racelab_testkit::snapshot!(format!("{}__lanes", demo.name), tables.join("\n"));
            }
        }
    }
}
