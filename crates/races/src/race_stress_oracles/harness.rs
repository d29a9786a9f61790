//! R15's plumbing, not the lesson: each twin's oracles run on the gated real-thread runs and the
//! loom models of [`super`], and R1's counters searched the twin's way ([`super::StressOracles::SEARCH`]).

use racelab_kit::demo::Variant;
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Trace, traced};

use super::managers::{ArrayRun, CounterRun, DataRun};
use super::{
    Search, StressOracles, array_gated, array_model, broken, counter_gated, counter_model,
    data_gated, data_model, fixed,
};
use crate::unsafe_counter;

/// A twin's oracles on the gated array run: the run, the oracle's word, and the trace.
pub fn run_array_gated(variant: Variant) -> (ArrayRun, Result<(), String>, Trace) {
    let ((run, said), trace) = traced(|_| {
        let run = array_gated();
        let said = match variant {
            Variant::Broken => <broken::Oracles as StressOracles>::array(&run),
            Variant::Fixed => <fixed::Oracles as StressOracles>::array(&run),
        };
        (run, said)
    });
    (run, said, trace)
}

/// A twin's oracles on the gated data run.
pub fn run_data_gated(variant: Variant) -> (DataRun, Result<(), String>, Trace) {
    let ((run, said), trace) = traced(|_| {
        let run = data_gated();
        let said = match variant {
            Variant::Broken => <broken::Oracles as StressOracles>::data(&run),
            Variant::Fixed => <fixed::Oracles as StressOracles>::data(&run),
        };
        (run, said)
    });
    (run, said, trace)
}

/// A twin's array oracle under loom, on the correct array.
pub fn explore_array(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(array_model::<broken::Oracles>),
        Variant::Fixed => explore(array_model::<fixed::Oracles>),
    }
}

/// A twin's data oracle under loom, on the correct store.
pub fn explore_data(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(data_model::<broken::Oracles>),
        Variant::Fixed => explore(data_model::<fixed::Oracles>),
    }
}

/// What a twin's counter search saw on one of R1's counters.
#[derive(Debug)]
pub enum CounterSearch {
    /// One gated run on real threads.
    RealRun {
        /// What happened.
        run: CounterRun,
        /// The oracle's word.
        said: Result<(), String>,
        /// Who did what.
        trace: Trace,
    },
    /// loom's search.
    Loom(Exploration),
}

impl CounterSearch {
    /// The race the search reported, if any.
    pub fn alarm(&self) -> Option<&str> {
        match self {
            CounterSearch::RealRun { said, .. } => said.as_ref().err().map(String::as_str),
            CounterSearch::Loom(x) => x.failure.as_ref().map(|f| f.message.as_str()),
        }
    }
}

/// Searches one of R1's counters (`r1`: its broken or fixed twin) the way twin `variant` does.
pub fn search_counter(variant: Variant, r1: Variant) -> CounterSearch {
    fn with<O: StressOracles>(r1: Variant) -> CounterSearch {
        type R1Broken<P> = unsafe_counter::broken::Counter<P>;
        type R1Fixed<P> = unsafe_counter::fixed::Counter<P>;
        match O::SEARCH {
            Search::OneRealRun => {
                let ((run, said), trace) = traced(|_| {
                    let run = match r1 {
                        Variant::Broken => counter_gated::<R1Broken<Std>>(),
                        Variant::Fixed => counter_gated::<R1Fixed<Std>>(),
                    };
                    let said = O::counter(&run);
                    (run, said)
                });
                CounterSearch::RealRun { run, said, trace }
            }
            Search::Loom => CounterSearch::Loom(match r1 {
                Variant::Broken => explore(counter_model::<O, R1Broken<Loom>>),
                Variant::Fixed => explore(counter_model::<O, R1Fixed<Loom>>),
            }),
        }
    }
    match variant {
        Variant::Broken => with::<broken::Oracles>(r1),
        Variant::Fixed => with::<fixed::Oracles>(r1),
    }
}
