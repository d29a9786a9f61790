//! A4's broken fan-out: the guide's `withThrowingTaskGroup` + `for try await`, as a tokio
//! `JoinSet`. This version is problematic: it hands the users back in the order their requests
//! *finished*, not the order of the ids, and it starts one request per id, all at once.

use tokio::task::JoinSet;

use super::{Api, User, UserId};

// ANCHOR: fetch
/// `func fetchMultipleUsers() async throws -> [User]`.
pub async fn fetch_multiple_users(api: &Api, user_ids: &[UserId]) -> Vec<User> {
    let mut group = JoinSet::new();
    for &id in user_ids {
        group.spawn(api.fetch_user(id)); // group.addTask { try await fetchUser(id: id) }
    }
    group.join_all().await // for try await user in group { users.append(user) }
}
// ANCHOR_END: fetch
