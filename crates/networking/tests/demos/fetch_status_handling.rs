//! N1 `fetch_status_handling`: `statusCode == 200` calls every other success a failure.

use networking::fetch_status_handling::{
    FetchData, NetworkError, User, broken, every_answer_is_classified, fixed, run,
};
use networking::loopback;
use networking::loopback::{Server, client};
use racelab_kit::demo::Variant;

/// A server that answers every GET with `status` and `body` (the trivial cases' API).
async fn one_answer(status: u16, body: &'static str) -> Result<Server, String> {
    let status = axum::http::StatusCode::from_u16(status).map_err(|e| e.to_string())?;
    Server::start(axum::Router::new().fallback(move || async move { (status, body) })).await
}

/// The trivial case: for a plain 200 with a user, the guide's helper is right.
#[test]
fn broken_fetch_status_handling_decodes_a_200() {
    let user = loopback::run_as("test", async {
        let server = one_answer(200, r#"{"id":1,"name":"Ada"}"#).await?;
        let manager = broken::NetworkManager::new(client()?);
        let user = manager.fetch_data::<User>(&server.url("/users/1")).await;
        server.stop().await?;
        Ok::<_, String>(user)
    });
    assert_eq!(
        user,
        Ok(Ok(User {
            id: 1,
            name: "Ada".into()
        }))
    );
}

/// And it is right to refuse a 500 before decoding: the error page never reaches the decoder.
#[test]
fn broken_fetch_status_handling_refuses_a_500_before_decoding() {
    let outcome = loopback::run_as("test", async {
        let server = one_answer(500, "internal error").await?;
        let manager = broken::NetworkManager::new(client()?);
        let outcome = manager.fetch_data::<User>(&server.url("/reports")).await;
        server.stop().await?;
        Ok::<_, String>(outcome)
    });
    assert_eq!(
        outcome,
        Ok(Err(NetworkError::HttpError { status_code: 500 }))
    );
}

// ANCHOR: caught
/// The check: the loopback API's 204 ("no draft saved yet") comes back as an error.
#[test]
fn broken_fetch_status_handling_calls_a_204_a_failure() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "a 204 is a success, but fetchData threw httpError(statusCode: 204)"
    );
    racelab_testkit::snapshot!("fetch_status_handling__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: 200 → the user, 204 → nothing, HTML → decodingError,
/// 404 and 500 → httpError.
#[test]
fn fixed_fetch_status_handling_accepts_every_2xx_and_types_the_rest() {
    assert_eq!(
        loopback::run_as(
            "caller",
            every_answer_is_classified::<fixed::NetworkManager>()
        ),
        Ok(())
    );
}
