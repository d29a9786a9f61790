//! A4's fixed fan-out: a stream of requests, `buffered(MAX_IN_FLIGHT)`. At most that many run at
//! once, and the results come out in the order of the ids, however the requests finish.

use futures_util::{StreamExt, stream};

use super::{Api, User, UserId};

// ANCHOR: fetch
/// `func fetchMultipleUsers() async throws -> [User]`.
pub async fn fetch_multiple_users(api: &Api, user_ids: &[UserId]) -> Vec<User> {
    let group = stream::iter(user_ids).map(|&id| api.fetch_user(id)); // one request per id, lazily
    group.buffered(super::MAX_IN_FLIGHT).collect().await // at most 3 at once, results in input order
}
// ANCHOR_END: fetch
