//! A3's fixed `UserManager`: the lookup runs in its own task beside the actor and posts
//! `Verified` back, so the mailbox keeps moving; `Verified` re-checks the state, which may have
//! changed while the lookup ran.

use racelab_actor::{Actor, WeakHandle};
use racelab_kit::{rt, say};

use super::{Msg, User, look_up};

/// `actor UserManager { private var users: [User] }`.
#[derive(Debug, Default)]
pub struct UserManager {
    users: Vec<User>,
}

// ANCHOR: handle
impl Actor for UserManager {
    type Message = Msg;

    async fn handle(&mut self, message: Msg, me: &WeakHandle<Self>) {
        match message {
            Msg::AddUser(user) => {
                say!("starts looking {user} up beside the mailbox");
                let me = me.clone(); // weak: a lookup in flight does not keep the actor alive
                rt::spawn("lookup", async move {
                    if let (true, Some(me)) = (look_up(user).await, me.upgrade()) {
                        let _ = me.tell(Msg::Verified(user)).await; // the result comes back as a message
                    }
                });
            }
            Msg::Verified(user) => self.verified(user),
            Msg::GetUsers(reply) => {
                say!("answers getUsers(): {:?}", self.users);
                let _ = reply.send(self.users.clone());
            }
        }
    }
}
// ANCHOR_END: handle

impl UserManager {
    /// John's lookup came back valid: add him, unless he is already there — a
    /// re-check, since the state may have changed while the lookup ran.
    fn verified(&mut self, user: User) {
        say!("hears {user} is valid at {}", rt::now());
        if self.users.contains(&user) {
            say!("already has {user}");
        } else {
            self.users.push(user);
            say!("adds {user}");
        }
    }
}
