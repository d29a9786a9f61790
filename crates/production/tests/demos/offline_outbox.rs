//! P3 `offline_outbox`: the guide's manager sends an operation twice, drops a newer update when an
//! older one syncs, and loses its in-memory outbox on a restart; the fixed manager keeps a durable
//! outbox in SQLite, sends from one worker, and keys every operation.

use std::sync::Arc;

use std::time::Duration;

use production::offline_outbox::harness::{Fault, Op, Server, local_items, scratch};
use production::offline_outbox::{
    CrashPoint, Keys, NARRATED, Outbox, broken, crash_and_reopen, fixed, run_crash,
    run_two_writers, run_update_in_flight, verdict,
};
use production::scripted::Step;
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: one write, nobody else, nothing killed — the guide's manager syncs it once.
#[test]
fn broken_offline_outbox_is_right_for_one_write_at_a_time() {
    let (_dir, path) = scratch().unwrap();
    let server = Server::new([Step::ok(())]);
    let store = rt::run(async {
        let manager =
            broken::OfflineFirstManager::open(&path, server.clone(), Keys::counter("phone"))
                .unwrap();
        manager.create_item("a", "1").await.unwrap();
        manager.update_item("a", "2").await.unwrap();
        server.store()
    });
    let ops = [Op::create("a", "1"), Op::update("a", "2")];
    assert_eq!(
        verdict(&ops, &store, &local_items(&path).unwrap(), 0),
        Ok(())
    );
}

// ANCHOR: caught
/// (a) The forced schedule: user B's write starts a second sync, which sends `create a=1` again
/// while the first sync's request is still on the wire.
#[test]
fn broken_offline_outbox_sends_an_operation_twice() {
    let (outcome, trace) = run_two_writers(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the server applied `create a=1` 2 times (3 requests for 2 operations)"
    );
    racelab_testkit::snapshot!("offline_outbox__trace", trace.render());
}
// ANCHOR_END: caught

/// (a) on the fixed twin: one worker sends, so B's write waits its turn; 2 requests.
#[test]
fn fixed_offline_outbox_sends_each_operation_once() {
    assert_eq!(run_two_writers(Variant::Fixed).0, Ok(()));
}

/// The inventory's form of (a): one operation queued offline, then two syncs at once — the
/// network monitor's and, say, `fetchItems`' detached one — while the server holds the first
/// request. Each sync sends its own copy of the pending list.
fn two_syncs_at_once<M: Outbox>() -> Result<(), String> {
    let (_dir, path) = scratch()?;
    let held = racelab_kit::rt::Gate::new("request 1 on the wire");
    let server = Server::new([Step::ok(()).held_by(&held), Step::ok(())]);
    rt::run(async {
        let manager = Arc::new(M::open(&path, server.clone(), Keys::counter("phone"))?);
        manager.set_online(false).await;
        manager.create_item("a", "1").await?;
        let first = rt::spawn("sync 1", {
            let manager = manager.clone();
            async move { manager.set_online(true).await }
        });
        rt::until_stuck(held.arrived(1))
            .await
            .map_err(|e| e.to_string())?;
        let second = rt::spawn("sync 2", {
            let manager = manager.clone();
            async move { manager.sync().await }
        });
        // The paused clock moves only when no task can run: when this 1 ms is up, the second
        // sync has done all it can before the first answer comes back (sent, or parked).
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        held.open();
        first.await.map_err(|e| e.to_string())?;
        second.await.map_err(|e| e.to_string())?;
        Ok::<(), String>(())
    })?;
    verdict(
        &[Op::create("a", "1")],
        &server.store(),
        &local_items(&path)?,
        0,
    )
}

/// Broken: two syncs, two requests, `create a=1` applied twice.
#[test]
fn broken_offline_outbox_two_syncs_at_once_send_twice() {
    assert_eq!(
        two_syncs_at_once::<broken::OfflineFirstManager>(),
        Err("the server applied `create a=1` 2 times (2 requests for 1 operations)".into())
    );
}

/// Fixed: the second sync only kicks the one worker; one request.
#[test]
fn fixed_offline_outbox_two_syncs_at_once_send_once() {
    assert_eq!(two_syncs_at_once::<fixed::OfflineFirstManager>(), Ok(()));
}

// ANCHOR: lost_update
/// (b) The forced schedule: `create a=1` syncs, and removing "every operation with id a" removes
/// the `update a=2` queued meanwhile: the server stays at a=1 for good.
#[test]
fn broken_offline_outbox_drops_a_newer_update_of_the_same_item() {
    let (outcome, trace) = run_update_in_flight(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "lost `update a=2`: the server holds {a=1}, the app {a=2}"
    );
    racelab_testkit::snapshot!("offline_outbox__lost_update_trace", trace.render());
}
// ANCHOR_END: lost_update

/// (b) on the fixed twin: each row is deleted by its own `seq`, so `update a=2` stays queued and
/// goes out next.
#[test]
fn fixed_offline_outbox_keeps_the_newer_update() {
    assert_eq!(run_update_in_flight(Variant::Fixed).0, Ok(()));
}

/// The crash points, in the order the sync reaches them: 3 operations, 8 points.
#[test]
fn the_crash_points_are_every_await_of_the_sync() {
    let points: Vec<String> = CrashPoint::all().iter().map(ToString::to_string).collect();
    assert_eq!(
        points,
        [
            "queued, nothing sent",
            "request 1 on the wire",
            "server applied op 1, answer on the wire",
            "request 2 on the wire",
            "server applied op 2, answer on the wire",
            "request 3 on the wire",
            "server applied op 3, answer on the wire",
            "everything synced",
        ]
    );
}

// ANCHOR: crash_caught
/// (c) Killed at each crash point in turn and reopened: the in-memory outbox is gone, and with
/// it every operation not yet applied. Only the last two points lose nothing — by luck: by then
/// the server had applied everything.
#[test]
fn broken_offline_outbox_loses_queued_operations_on_a_restart() {
    let lost: Vec<(String, String)> = CrashPoint::all()
        .into_iter()
        .filter_map(|point| {
            let (outcome, _) = run_crash(Variant::Broken, point);
            outcome.err().map(|e| (point.to_string(), e))
        })
        .collect();
    let all =
        "lost `create a=1`, `update a=2`, `create b=1`: the server holds {}, the app {a=2, b=1}";
    let two = "lost `update a=2`, `create b=1`: the server holds {a=1}, the app {a=2, b=1}";
    let one = "lost `create b=1`: the server holds {a=2}, the app {a=2, b=1}";
    let expected = [
        ("queued, nothing sent", all),
        ("request 1 on the wire", all),
        ("server applied op 1, answer on the wire", two),
        ("request 2 on the wire", two),
        ("server applied op 2, answer on the wire", one),
        ("request 3 on the wire", one),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(p, e)| (p.to_string(), e.to_string()))
        .collect();
    assert_eq!(lost, expected);
    let (_, trace) = run_crash(Variant::Broken, NARRATED);
    racelab_testkit::snapshot!("offline_outbox__crash_trace", trace.render());
}
// ANCHOR_END: crash_caught

// ANCHOR: crash_holds
/// (c) on the fixed twin, at every crash point: nothing lost, nothing applied twice. A crash
/// while an answer is on the wire costs exactly one resend, which the key deduplicates; any
/// other crash costs none.
#[test]
fn fixed_offline_outbox_loses_nothing_and_applies_nothing_twice_at_every_crash_point() {
    for point in CrashPoint::all() {
        let store = crash_and_reopen::<fixed::OfflineFirstManager>(point)
            .unwrap_or_else(|e| panic!("killed at \"{point}\": {e}"));
        let resent = point.resends();
        assert_eq!(
            store.received,
            3 + resent,
            "requests, killed at \"{point}\""
        );
        assert_eq!(
            store.deduplicated, resent,
            "deduplicated, killed at \"{point}\""
        );
    }
}
// ANCHOR_END: crash_holds

/// The fixed twin's outbox is a real file: a manager dropped with work queued (offline) leaves
/// it in the table, and a new one on the same file sends it.
#[test]
fn fixed_offline_outbox_resumes_from_the_file_after_a_drop() {
    let (_dir, path) = scratch().unwrap();
    let server = Server::new([Step::ok(())]);
    rt::run(async {
        let manager = Arc::new(
            fixed::OfflineFirstManager::open(&path, server.clone(), Keys::counter("phone"))
                .unwrap(),
        );
        manager.set_online(false).await;
        manager.create_item("a", "1").await.unwrap();
    });
    assert_eq!(server.store().received, 0);
    rt::run(async {
        let manager =
            fixed::OfflineFirstManager::open(&path, server.clone(), Keys::counter("phone"))
                .unwrap();
        manager.sync().await;
    });
    let ops = [Op::create("a", "1")];
    assert_eq!(
        verdict(&ops, &server.store(), &local_items(&path).unwrap(), 0),
        Ok(())
    );
}

/// A 503 leaves the row queued; a kick before the retry delay is up sends it again at once, with
/// the same key, and the server applies it once.
#[test]
fn fixed_offline_outbox_keeps_a_refused_operation_for_the_next_kick() {
    let (_dir, path) = scratch().unwrap();
    let server = Server::new([Step::err(Fault::Unavailable), Step::ok(())]);
    rt::run(async {
        let manager =
            fixed::OfflineFirstManager::open(&path, server.clone(), Keys::counter("phone"))
                .unwrap();
        manager.create_item("a", "1").await.unwrap();
        manager.sync().await;
        assert_eq!(server.store().received, 0, "the 503 was not applied");
        manager.sync().await;
    });
    // The kick came before the backoff delay was up: it, not the timer, sent the row again.
    assert_eq!(server.sent_at(), [Duration::ZERO, Duration::ZERO]);
    let ops = [Op::create("a", "1")];
    assert_eq!(
        verdict(&ops, &server.store(), &local_items(&path).unwrap(), 0),
        Ok(())
    );
}

// ANCHOR: unique_keys
/// A reinstall (a fresh database file, as after cleared app data, a restored backup, or on a
/// second device) against the same server: its first operation must not reuse a key the server
/// has seen, or the server drops it as a duplicate and nothing reports it. With keys numbered
/// per file (`op-1` in both) this failed: `deduplicated == 1`, `c` never applied.
#[test]
fn fixed_offline_outbox_keys_are_unique_across_database_files() {
    let server = Server::new([Step::ok(())]);
    for id in ["a", "c"] {
        let (_dir, path) = scratch().unwrap(); // a new file each time: a reinstall
        rt::run(async {
            let manager =
                fixed::OfflineFirstManager::open(&path, server.clone(), Keys::random()).unwrap();
            manager.create_item(id, "1").await.unwrap();
            manager.sync().await;
        });
    }
    let store = server.store();
    assert_eq!(
        store.deduplicated, 0,
        "a new operation was dropped as a duplicate"
    );
    assert_eq!(store.applied, [Op::create("a", "1"), Op::create("c", "1")]);
}
// ANCHOR_END: unique_keys

/// The random keys: 32 hex digits, and no two alike among many, from one source or several.
#[test]
fn random_keys_are_128_bits_and_do_not_repeat() {
    let (one, other) = (Keys::random(), Keys::random());
    let keys: std::collections::BTreeSet<String> =
        (0..1000).flat_map(|_| [one.next(), other.next()]).collect();
    assert_eq!(keys.len(), 2000);
    assert!(
        keys.iter()
            .all(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit()))
    );
}

// ANCHOR: retries
/// A 503, and nobody kicks the worker again (no write, no reconnect, no manual `sync()`): the
/// worker retries on its own when the first backoff delay is up, on the paused clock, with the
/// same key; the server applies the operation once.
#[test]
fn fixed_offline_outbox_retries_a_refused_operation_without_a_kick() {
    let (_dir, path) = scratch().unwrap();
    let server = Server::new([Step::err(Fault::Unavailable), Step::ok(())]);
    let keys = Keys::counter("phone");
    let first_delay = fixed::retry_backoff(keys.seed()).next().unwrap();
    rt::run(async {
        let manager = fixed::OfflineFirstManager::open(&path, server.clone(), keys).unwrap();
        manager.create_item("a", "1").await.unwrap();
        // Idle for an hour of paused time: only the worker's own timer can send again.
        tokio::time::sleep(Duration::from_secs(3600)).await;
    });
    assert_eq!(server.sent_at(), [Duration::ZERO, first_delay]);
    let ops = [Op::create("a", "1")];
    assert_eq!(
        verdict(&ops, &server.store(), &local_items(&path).unwrap(), 0),
        Ok(())
    );
}
// ANCHOR_END: retries

/// Several 503s in a row: each retry waits the next, longer delay of the backoff.
#[test]
fn fixed_offline_outbox_backs_off_between_retries() {
    let (_dir, path) = scratch().unwrap();
    let refused = || Step::err(Fault::Unavailable);
    let server = Server::new([refused(), refused(), refused(), Step::ok(())]);
    let keys = Keys::counter("phone");
    let delays: Vec<Duration> = fixed::retry_backoff(keys.seed()).take(3).collect();
    rt::run(async {
        let manager = fixed::OfflineFirstManager::open(&path, server.clone(), keys).unwrap();
        manager.create_item("a", "1").await.unwrap();
        tokio::time::sleep(Duration::from_secs(3600)).await;
    });
    let mut at = Duration::ZERO;
    let mut expected = vec![at];
    for delay in &delays {
        at += *delay;
        expected.push(at);
    }
    assert_eq!(server.sent_at(), expected);
    assert!(delays[0] < delays[1] && delays[1] < delays[2], "{delays:?}");
    assert_eq!(server.store().applied, [Op::create("a", "1")]);
}

// ANCHOR: parks
/// A permanent rejection (422) of the oldest row: it moves to `outbox_failed`, reported, and the
/// rows behind it still reach the server — it does not block the queue for ever.
#[test]
fn fixed_offline_outbox_parks_a_rejected_operation_and_sends_the_rest() {
    let (_dir, path) = scratch().unwrap();
    let server = Server::new([Step::err(Fault::Rejected), Step::ok(())]);
    let failed = rt::run(async {
        let keys = Keys::counter("phone");
        let manager = fixed::OfflineFirstManager::open(&path, server.clone(), keys).unwrap();
        manager.set_online(false).await;
        manager.create_item("a", "1").await.unwrap();
        manager.create_item("b", "1").await.unwrap();
        manager.set_online(true).await;
        rt::until_stuck(manager.sync()).await.unwrap();
        manager.failed().unwrap()
    });
    let reason = "422 Unprocessable Content".to_string();
    assert_eq!(failed, [("phone-1".into(), Op::create("a", "1"), reason)]);
    assert_eq!(server.store().applied, [Op::create("b", "1")]);
    assert_eq!(server.requests(), 2, "the rejected row is not sent again");
}
// ANCHOR_END: parks
