//! The actor library on its own: replies, one message at a time, the end of an actor, weak handles.
//! Every scenario runs on `racelab_kit::rt` (one thread, paused clock), so each order is exact.

use std::time::Duration;

use racelab_actor::{Actor, Gone, Handle, Reply, WeakHandle, spawn};
use racelab_kit::rt;

/// A counter whose `Slow` message awaits 100 ms inside the handler.
#[derive(Default)]
struct Counter {
    count: u32,
    seen_at: Vec<(u32, u128)>,
    me_strong: Option<Handle<Counter>>,
}

enum Msg {
    Add(u32),
    Slow(u32),
    Get(Reply<u32>),
    Ignore(Reply<u32>),
    KeepMyselfAlive,
    AddViaWeak(u32),
    Panic,
}

impl Actor for Counter {
    type Message = Msg;
    async fn handle(&mut self, message: Msg, me: &WeakHandle<Self>) {
        match message {
            Msg::Add(n) => self.count += n,
            Msg::Slow(n) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                self.count += n;
            }
            Msg::Get(reply) => {
                self.seen_at.push((self.count, rt::now().ms()));
                let _ = reply.send(self.count);
            }
            Msg::Ignore(reply) => drop(reply),
            Msg::KeepMyselfAlive => self.me_strong = me.upgrade(),
            Msg::Panic => panic!("a handler panicked"),
            Msg::AddViaWeak(n) => {
                if let Some(me) = me.upgrade() {
                    // `try_tell`: awaiting `tell` on its own full mailbox would wait for ever.
                    assert!(me.try_tell(Msg::Add(n)).is_ok());
                }
            }
        }
    }
}

#[test]
fn ask_gets_the_actors_answer() {
    rt::run(async {
        let (counter, _task) = spawn("counter", Counter::default());
        counter.tell(Msg::Add(2)).await.unwrap();
        assert_eq!(counter.ask(Msg::Get).await, Ok(2));
    });
}

#[test]
fn one_message_at_a_time_so_a_slow_handler_delays_the_next() {
    rt::run(async {
        let (counter, task) = spawn("counter", Counter::default());
        counter.tell(Msg::Slow(1)).await.unwrap();
        // Posted at t=0, answered only after the slow handler's 100 ms: head-of-line blocking.
        assert_eq!(counter.ask(Msg::Get).await, Ok(1));
        drop(counter);
        assert_eq!(task.await.unwrap().seen_at, [(1, 100)]);
    });
}

#[test]
fn the_actor_ends_when_the_last_handle_drops_and_returns_its_state() {
    let state = rt::run(async {
        let (counter, task) = spawn("counter", Counter::default());
        let other = counter.clone();
        counter.tell(Msg::Add(1)).await.unwrap();
        other.tell(Msg::Add(1)).await.unwrap();
        drop(counter);
        drop(other);
        rt::until_stuck(task).await.expect("ends").unwrap()
    });
    assert_eq!(state.count, 2);
}

#[test]
fn a_strong_handle_to_itself_keeps_the_actor_alive_forever() {
    let stuck = rt::run(async {
        let (counter, task) = spawn("counter", Counter::default());
        counter.tell(Msg::KeepMyselfAlive).await.unwrap();
        // Messages are handled in order: once `Get` is answered, the actor holds its own handle.
        counter.ask(Msg::Get).await.unwrap();
        drop(counter);
        rt::until_stuck(task).await
    });
    assert!(stuck.is_err(), "the actor holds its own mailbox open");
}

#[test]
fn a_weak_handle_reaches_the_actor_without_keeping_it_alive() {
    let state = rt::run(async {
        let (counter, task) = spawn("counter", Counter::default());
        counter.tell(Msg::AddViaWeak(5)).await.unwrap();
        // `Get` was posted before the actor forwarded `Add(5)` to itself: in order, it sees 0.
        assert_eq!(counter.ask(Msg::Get).await, Ok(0));
        assert_eq!(counter.ask(Msg::Get).await, Ok(5));
        drop(counter);
        rt::until_stuck(task).await.expect("ends").unwrap()
    });
    assert_eq!(state.count, 5);
}

#[test]
fn asking_a_stopped_actor_or_a_dropped_reply_is_gone_not_a_hang() {
    rt::run(async {
        let (counter, task) = spawn("counter", Counter::default());
        assert_eq!(counter.ask(Msg::Ignore).await, Err(Gone));
        let weak = counter.downgrade();
        drop(counter);
        task.await.unwrap();
        assert!(weak.upgrade().is_none());
    });
}

#[test]
fn a_weak_handle_cannot_bring_back_an_actor_whose_handles_are_gone() {
    let state = rt::run(async {
        let (counter, task) = spawn("counter", Counter::default());
        counter.tell(Msg::KeepMyselfAlive).await.unwrap();
        drop(counter); // before the actor handles the message: its upgrade finds no handle
        rt::until_stuck(task).await.expect("ends").unwrap()
    });
    assert!(state.me_strong.is_none());
}

#[test]
fn asking_an_actor_whose_task_died_is_gone_at_once() {
    rt::run(async {
        let (counter, task) = spawn("counter", Counter::default());
        counter.tell(Msg::Panic).await.unwrap();
        let died = task
            .await
            .err()
            .expect("the handler's panic ended the task");
        assert!(died.is_panic());
        // A handle still exists, but nobody reads the mailbox any more.
        assert_eq!(counter.ask(Msg::Get).await, Err(Gone));
    });
}
