//! A3's broken `UserManager`: the guide's actor, with `addUser` awaiting a directory lookup inside
//! the handler. This version is problematic: while the lookup runs, nothing else in the mailbox is
//! handled — `getUsers()` waits the whole lookup.

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

    async fn handle(&mut self, message: Msg, _me: &WeakHandle<Self>) {
        match message {
            Msg::AddUser(user) => {
                say!("looks {user} up in the directory; the mailbox waits");
                if look_up(user).await {
                    self.verified(user);
                }
            }
            Msg::Verified(user) => self.verified(user), // only the fixed twin posts this
            Msg::GetUsers(reply) => {
                say!("answers getUsers(): {:?}", self.users);
                let _ = reply.send(self.users.clone());
            }
        }
    }
}
// ANCHOR_END: handle

impl UserManager {
    /// John's lookup came back valid: add him, unless he is already there.
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
