//! The library's `OperationGraph`: results flow to dependents, independent operations run on the
//! bounded pool, a cycle is refused whichever edge closes it, cancellation before the start skips
//! the work, cancellation while running discards the result, a token's callbacks, and a panic is
//! re-raised by `wait` after its dependents were skipped.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use racelab_dispatch::cancel::CancelToken;
use racelab_dispatch::operation::{Cancelled, CycleError, OperationGraph};
use racelab_kit::watchdog::GATE_TIMEOUT;

/// A diamond: `b` and `c` both read `a`; `d` adds them up. Results pass along every edge, on a
/// pool of two.
#[test]
fn results_flow_along_a_diamond() {
    let mut graph = OperationGraph::<u32>::new();
    let a = graph.add("a", |_| Ok(10));
    let b = graph.add("b", move |ctx| Ok(ctx.input(a) + 1));
    let c = graph.add("c", move |ctx| Ok(ctx.input(a) * 2));
    let d = graph.add("d", move |ctx| Ok(ctx.input(b) + ctx.input(c)));
    for (op, on) in [(b, a), (c, a), (d, b), (d, c)] {
        graph.add_dependency(op, on).unwrap();
    }
    let outcomes = graph.start(2).wait();
    assert_eq!(outcomes[d], Ok(31));
    assert_eq!(outcomes[a], Ok(10));
}

/// Every edge that would close a cycle is refused — a self-dependency, a two-cycle, a long one —
/// and the refusal names the cycle; the graph is unchanged and still runs.
// ANCHOR: cycle
#[test]
fn a_cycle_is_refused_at_add_dependency() {
    let mut graph = OperationGraph::<()>::new();
    let [a, b, c] = ["a", "b", "c"].map(|name| graph.add(name, |_| Ok(())));
    graph.add_dependency(b, a).unwrap();
    graph.add_dependency(c, b).unwrap();
    let cycle = |names: &[&str]| CycleError {
        cycle: names.iter().map(|n| n.to_string()).collect(),
    };
    assert_eq!(graph.add_dependency(a, a), Err(cycle(&["a", "a"])));
    assert_eq!(graph.add_dependency(a, b), Err(cycle(&["a", "b", "a"])));
    let refused = graph.add_dependency(a, c).unwrap_err();
    assert_eq!(refused, cycle(&["a", "c", "b", "a"]));
    assert_eq!(
        refused.to_string(),
        "a dependency cycle: a waits for c waits for b waits for a"
    );
    let outcomes = graph.start(1).wait();
    assert_eq!(outcomes[c], Ok(()));
}
// ANCHOR_END: cycle

/// Cancelled before it starts: the work never runs, and the cancellation flows to the dependent,
/// naming where it started.
#[test]
fn cancelled_before_start_skips_the_work_and_its_dependents() {
    let ran = Arc::new(AtomicBool::new(false));
    let mut graph = OperationGraph::<u8>::new();
    let flag = ran.clone();
    let a = graph.add("a", move |_| {
        flag.store(true, Ordering::SeqCst);
        Ok(1)
    });
    let b = graph.add("b", move |ctx| Ok(*ctx.input(a)));
    graph.add_dependency(b, a).unwrap();
    graph.token(a).cancel();
    let outcomes = graph.start(1).wait();
    let by_a = Err(Cancelled { origin: "a".into() });
    assert_eq!(
        (outcomes[a].clone(), outcomes[b].clone()),
        (by_a.clone(), by_a)
    );
    assert!(!ran.load(Ordering::SeqCst));
}

/// An operation that panics: its dependent is skipped, an independent one still runs, and `wait`
/// re-raises the panic.
#[test]
fn a_panic_skips_the_dependents_and_is_re_raised() {
    let independent_ran = Arc::new(AtomicBool::new(false));
    let dependent_ran = Arc::new(AtomicBool::new(false));
    let mut graph = OperationGraph::<()>::new();
    let a = graph.add("a", |_| panic!("a fails"));
    let (flag, flag2) = (dependent_ran.clone(), independent_ran.clone());
    let b = graph.add("b", move |_| {
        flag.store(true, Ordering::SeqCst);
        Ok(())
    });
    graph.add("c", move |_| {
        flag2.store(true, Ordering::SeqCst);
        Ok(())
    });
    graph.add_dependency(b, a).unwrap();
    let running = graph.start(1);
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| running.wait()));
    let message = panic.unwrap_err().downcast::<&str>().map(|m| *m);
    assert_eq!(message.ok(), Some("a fails"));
    assert!(!dependent_ran.load(Ordering::SeqCst));
    assert!(independent_ran.load(Ordering::SeqCst));
}

/// The name given to `add` is the operation's name.
#[test]
fn an_operation_is_known_by_its_name() {
    let mut graph = OperationGraph::<()>::new();
    let download = graph.add("download", |_| Ok(()));
    assert_eq!(graph.name(download), "download");
}

/// A token's callbacks: one registered before `cancel` runs at the cancel, once (a second cancel
/// does nothing); one registered after runs at once, on the caller.
#[test]
fn cancel_runs_each_callback_once_and_late_ones_at_once() {
    let token = CancelToken::new("download");
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    token.on_cancel(move || {
        c.fetch_add(1, Ordering::SeqCst);
    });
    assert!(!token.is_cancelled());
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    token.cancel();
    token.cancel();
    assert!(token.is_cancelled());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let c = calls.clone();
    token.on_cancel(move || {
        c.fetch_add(10, Ordering::SeqCst);
    });
    assert_eq!(calls.load(Ordering::SeqCst), 11);
}

/// Cancelled while it runs: the operation sees it (`is_cancelled`, its token's callback), its own
/// `Ok` is discarded, and its dependent is skipped, naming it. The operation tells main it has
/// started; main cancels; the callback wakes the operation — no timing involved.
#[test]
fn cancelled_while_running_discards_the_result_and_skips_dependents() {
    let (started, started_rx) = mpsc::channel();
    let mut graph = OperationGraph::<u8>::new();
    let download = graph.add("download", move |ctx| {
        let (woken, wake) = mpsc::channel();
        ctx.token().on_cancel(move || woken.send(()).unwrap());
        started.send(ctx.is_cancelled()).unwrap();
        wake.recv_timeout(GATE_TIMEOUT).expect("main cancels");
        assert!(ctx.is_cancelled());
        Ok(7) // returned, but cancelled: not used
    });
    let save = graph.add("save", move |ctx| Ok(*ctx.input(download)));
    graph.add_dependency(save, download).unwrap();
    let token = graph.token(download);
    let running = graph.start(2);
    assert_eq!(started_rx.recv_timeout(GATE_TIMEOUT), Ok(false));
    token.cancel();
    let outcomes = running.wait();
    let by_download = Err(Cancelled {
        origin: "download".into(),
    });
    assert_eq!(outcomes[download], by_download);
    assert_eq!(outcomes[save], by_download);
}
