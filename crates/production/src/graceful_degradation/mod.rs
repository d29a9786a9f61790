//! P2 `graceful_degradation` — the guide's manager lets a network reconnect erase a degradation
//! that poor performance caused, and falls back on every error, a cancellation included.
//!
//! Ports `GracefulDegradationManager` from "Graceful Degradation Strategies" (L5951–6073).
//! Checked against the guide:
//!
//! * **One `currentMode` for two independent inputs.** `handleNetworkStatusChange` sets the mode
//!   from the network alone (L5993–6000): `.connected` → `.full`, whatever performance said.
//!   `handlePerformanceDegradation` steps `.full` → `.limited` → `.emergency` (L6007–6011) and
//!   there is no event back, so only a network event ever leaves a performance-caused mode — and
//!   it does so even when performance is still poor. A worse network can also *improve* the mode:
//!   `.emergency` (performance) then `.disconnected` gives `.offline`, which has more features.
//! * **`executeWithDegradation` falls back on any error** (L6040–6047): a permanent one (a 404
//!   served from a fallback hides that the thing is gone) and `CancellationError` too — work the
//!   user cancelled runs its fallback anyway. It never looks at `currentMode` either.
//! * Also (by reading): `isFeatureAvailable` reads `@Published` state from any thread (L6036);
//!   both monitors are empty stubs that never fire (L6056–6072).
//!
//! The fix computes the mode from both inputs ([`mode`], a pure function: the worse of what each
//! input allows; 10 lines from its twin in `scripts/twin-diff`). The second lesson,
//! [`fallback`], falls back only on errors classified transient (3 lines from its twin).
//!
//! The checks:
//!
//! * [`follows_the_script`] on [`FLAP`]: performance degrades, the network drops and comes back;
//!   after each event the mode must be the one written beside it by hand (**one forced
//!   sequence**, narrated). [`follows_both_inputs`] runs the same check with the modes computed
//!   by [`mode`] — the fixed twin's own formula, so for the fixed twin it checks only the input
//!   bookkeeping (that the manager tracks `net` and `perf` as [`Inputs::after`] does), not the
//!   formula.
//! * Two laws over generated event sequences (**proptest**, 256 cases from a fixed seed, in
//!   `tests/demos/graceful_degradation.rs`): [`reconnect_keeps_performance_degradation`] and
//!   [`a_worse_input_never_improves_the_mode`]; and the laws of [`mode`] itself, **exhaustive**
//!   over its 9 inputs.
//! * [`fallback::falls_back_only_on_transient_errors`]: a 503, a 404 and a cancelled call against
//!   the chapter's scripted service, on the paused clock.

use std::fmt;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, as_actor, traced};
use racelab_kit::{rt, say};

pub mod broken;
pub mod fallback;
pub mod fixed;

/// `NetworkStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Net {
    /// `.connected`.
    #[default]
    Connected,
    /// `.limited`.
    Limited,
    /// `.disconnected`.
    Disconnected,
}

/// What performance says (the guide keeps no such state: only a `performanceDegraded` event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Perf {
    /// Nothing degraded.
    #[default]
    Normal,
    /// Degraded once.
    Degraded,
    /// Degraded twice or more.
    Critical,
}

/// `DegradationMode`, ordered from fewest features to most: each mode's features include the
/// next-worse one's, so "worse" is "less" and the worse of two modes is their `min`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Mode {
    /// Critical features only.
    Emergency,
    /// Offline mode only.
    Offline,
    /// Limited functionality.
    Limited,
    /// All features available.
    #[default]
    Full,
}

impl Net {
    /// The mode the network alone allows (the guide's `handleNetworkStatusChange`).
    pub fn mode(self) -> Mode {
        match self {
            Net::Connected => Mode::Full,
            Net::Limited => Mode::Limited,
            Net::Disconnected => Mode::Offline,
        }
    }
}

impl Perf {
    /// The mode performance alone allows.
    pub fn mode(self) -> Mode {
        match self {
            Perf::Normal => Mode::Full,
            Perf::Degraded => Mode::Limited,
            Perf::Critical => Mode::Emergency,
        }
    }

    /// One `performanceDegraded` event later.
    pub fn degraded(self) -> Perf {
        match self {
            Perf::Normal => Perf::Degraded,
            Perf::Degraded | Perf::Critical => Perf::Critical,
        }
    }
}

impl Mode {
    /// The guide's `handlePerformanceDegradation`: `.full` → `.limited` → `.emergency`; any other
    /// mode stays.
    pub fn degraded(self) -> Mode {
        match self {
            Mode::Full => Mode::Limited,
            Mode::Limited => Mode::Emergency,
            other => other,
        }
    }

    /// `updateAvailableFeatures()`: the features this mode offers.
    pub fn features(self) -> &'static [&'static str] {
        match self {
            Mode::Full => &[
                "Real-time Sync",
                "Image Processing",
                "Advanced Search",
                "Push Notifications",
                "Cloud Storage",
                "Social Features",
            ],
            Mode::Limited => &[
                "Real-time Sync",
                "Image Processing",
                "Advanced Search",
                "Push Notifications",
            ],
            Mode::Offline => &["Image Processing", "Advanced Search"],
            Mode::Emergency => &["Advanced Search"],
        }
    }
}

// ANCHOR: mode
/// The mode for these inputs: the worse of what the network allows and what performance allows.
/// A pure function of both, so an event about one input cannot erase what the other says.
pub fn mode(net: Net, perf: Perf) -> Mode {
    net.mode().min(perf.mode())
}
// ANCHOR_END: mode

/// An event from a monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// `connectionStatusChanged(status)`.
    Network(Net),
    /// `performanceDegraded()`.
    PerformanceDegraded,
    /// Performance is back to normal (no such event in the guide).
    PerformanceRecovered,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Network(net) => write!(f, "network {net:?}"),
            Event::PerformanceDegraded => f.write_str("performance degraded"),
            Event::PerformanceRecovered => f.write_str("performance recovered"),
        }
    }
}

/// What both twins are: the guide's `GracefulDegradationManager`.
pub trait Degradation: Default {
    /// `handleNetworkStatusChange(_:)`.
    fn network_changed(&mut self, status: Net);
    /// `handlePerformanceDegradation()`.
    fn performance_degraded(&mut self);
    /// Performance is back to normal.
    fn performance_recovered(&mut self);
    /// `currentMode`.
    fn current_mode(&self) -> Mode;
    /// Delivers one event.
    fn on(&mut self, event: Event) {
        match event {
            Event::Network(status) => self.network_changed(status),
            Event::PerformanceDegraded => self.performance_degraded(),
            Event::PerformanceRecovered => self.performance_recovered(),
        }
    }
}

/// The two inputs, as the events so far have set them: the model the checks compare against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    /// The last network status (connected at first).
    pub net: Net,
    /// Performance after every degradation and recovery so far.
    pub perf: Perf,
}

impl Inputs {
    /// Connected, performance normal.
    pub const START: Inputs = Inputs {
        net: Net::Connected,
        perf: Perf::Normal,
    };

    /// The inputs after `event`.
    pub fn after(self, event: Event) -> Inputs {
        match event {
            Event::Network(net) => Inputs { net, ..self },
            Event::PerformanceDegraded => Inputs {
                perf: self.perf.degraded(),
                ..self
            },
            Event::PerformanceRecovered => Inputs {
                perf: Perf::Normal,
                ..self
            },
        }
    }

    /// Whether `event` leaves every input the same or worse.
    pub fn worsened_by(self, event: Event) -> bool {
        match event {
            Event::Network(net) => net.mode() <= self.net.mode(),
            Event::PerformanceDegraded => true,
            Event::PerformanceRecovered => false,
        }
    }
}

/// A manager that has seen `events`, and the inputs they set.
pub fn replay<D: Degradation>(events: &[Event]) -> (D, Inputs) {
    let mut manager = D::default();
    let mut inputs = Inputs::START;
    for &event in events {
        manager.on(event);
        inputs = inputs.after(event);
    }
    (manager, inputs)
}

/// `[performance degraded, network Connected]`.
fn list(events: &[Event]) -> String {
    let events: Vec<String> = events.iter().map(ToString::to_string).collect();
    format!("[{}]", events.join(", "))
}

// ANCHOR: laws
/// Law 1: after any events, a reconnect leaves the mode no better than performance allows.
pub fn reconnect_keeps_performance_degradation<D: Degradation>(
    events: &[Event],
) -> Result<(), String> {
    let (mut manager, inputs) = replay::<D>(events);
    manager.network_changed(Net::Connected);
    let (got, allowed) = (manager.current_mode(), inputs.perf.mode());
    if got > allowed {
        return Err(format!(
            "after {}, the network reconnects: mode {got:?}, but performance is {:?}, which \
             allows at most {allowed:?}",
            list(events),
            inputs.perf
        ));
    }
    Ok(())
}

/// Law 2: an event that makes one input worse (or leaves it the same) never improves the mode.
pub fn a_worse_input_never_improves_the_mode<D: Degradation>(
    events: &[Event],
    worse: Event,
) -> Result<(), String> {
    let (mut manager, inputs) = replay::<D>(events);
    if !inputs.worsened_by(worse) {
        return Ok(());
    }
    let before = manager.current_mode();
    manager.on(worse);
    let after = manager.current_mode();
    if after > before {
        return Err(format!(
            "after {}: mode {before:?}; then {worse} (no input got better): mode {after:?}",
            list(events)
        ));
    }
    Ok(())
}
// ANCHOR_END: laws

/// The narrated sequence: performance degrades, then the network drops and comes back — each
/// event with the mode a user should then see, written out by hand from the guide's own table
/// (not computed by [`mode`], the fixed twin's formula): degraded performance allows `Limited`,
/// a lost network `Offline`, and the reconnect gives back only what performance still allows.
pub const FLAP: [(Event, Mode); 3] = [
    (Event::PerformanceDegraded, Mode::Limited),
    (Event::Network(Net::Disconnected), Mode::Offline),
    (Event::Network(Net::Connected), Mode::Limited),
];

// ANCHOR: follows
/// Delivers each event of `script` in turn; after each, the mode must be the one written beside
/// it.
pub fn follows_the_script<D: Degradation>(script: &[(Event, Mode)]) -> Result<(), String> {
    let (mut manager, mut inputs) = (D::default(), Inputs::START);
    for &(event, expected) in script {
        manager.on(event);
        inputs = inputs.after(event);
        let got = manager.current_mode();
        let monitor = match event {
            Event::Network(_) => "network monitor",
            _ => "perf monitor",
        };
        as_actor(monitor, || say!("{event}: mode {got:?}"));
        if got != expected {
            return Err(format!(
                "after {event} the mode is {got:?}, not {expected:?}: the network is {:?} and \
                 performance {:?}",
                inputs.net, inputs.perf
            ));
        }
    }
    Ok(())
}
// ANCHOR_END: follows

/// [`follows_the_script`] for any `events`, with the expected modes computed by [`mode`]. Its
/// oracle is `mode` itself, so for the fixed twin it checks only the input bookkeeping (that the
/// manager tracks `net` and `perf` from the events as [`Inputs::after`] does), not the formula;
/// for the broken twin it says it disagrees with the model. The evidence for the formula is the
/// hand-written [`FLAP`], the two laws (which do not use [`mode`]) and the exhaustive test of
/// [`mode`] itself.
pub fn follows_both_inputs<D: Degradation>(events: &[Event]) -> Result<(), String> {
    let mut inputs = Inputs::START;
    let script: Vec<(Event, Mode)> = events
        .iter()
        .map(|&event| {
            inputs = inputs.after(event);
            (event, mode(inputs.net, inputs.perf))
        })
        .collect();
    follows_the_script::<D>(&script)
}

/// Runs both checks for one twin (the event sequence, then the calls), with a trace each.
pub fn run(variant: Variant) -> [(Result<(), String>, Trace); 2] {
    type Check = fn(&[(Event, Mode)]) -> Result<(), String>;
    type Calls = fn() -> (Result<(), String>, Trace);
    let (modes, calls): (Check, Calls) = match variant {
        Variant::Broken => (
            follows_the_script::<broken::GracefulDegradationManager>,
            fallback::run_calls::<fallback::broken::GracefulDegradationManager>,
        ),
        Variant::Fixed => (
            follows_the_script::<fixed::GracefulDegradationManager>,
            fallback::run_calls::<fallback::fixed::GracefulDegradationManager>,
        ),
    };
    [
        traced(|_| rt::run_as("app", async { modes(&FLAP) })),
        calls(),
    ]
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P2",
    name: "graceful_degradation",
    summary: "a network reconnect erases a performance degradation; the fallback runs on a 404 and \
              on a cancelled call; the mode as a pure function of both inputs",
    run: demo,
};

/// The demo: the narrated event sequence, then the three calls.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let [(modes, trace), (calls, calls_trace)] = run(variant);
    report.heading("performance degrades; the network drops and comes back");
    report.trace(&trace);
    report.heading(format!(
        "the primary call takes {} ms: a 503, a 404, and a call the user cancels at {} ms",
        fallback::CALL_TAKES.as_millis(),
        fallback::CANCEL_AFTER.as_millis()
    ));
    report.trace(&calls_trace);
    // Caught only if every check found its bug; holds only if none did.
    report.conclude_each(
        [modes, calls],
        "the mode follows both inputs, and the fallback ran only for the 503",
    );
    report
}
