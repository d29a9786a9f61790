//! N2 `client_config`: a configured client, and an upload that calls `201 Created` a failure.

use networking::client_config::{
    UploadData, UploadResponse, api, broken, configured_client, fixed, run, upload_is_accepted,
};
use networking::fetch_status_handling::NetworkError;
use networking::loopback;
use networking::loopback::{Server, client};
use racelab_kit::demo::Variant;

/// The configuration works: the server takes the upload only if the default headers arrived.
/// A client without them is refused with a typed 400.
#[test]
fn broken_client_config_default_headers_are_what_the_server_checks() {
    let outcome = loopback::run_as("test", async {
        let server = Server::start(api()).await?;
        let plain = broken::AdvancedNetworkManager::new(client()?);
        let outcome = plain
            .upload_data(b"{}".to_vec(), &server.url("/uploads"))
            .await;
        server.stop().await?;
        Ok::<_, String>(outcome)
    });
    assert_eq!(
        outcome,
        Ok(Err(NetworkError::HttpError { status_code: 400 }))
    );
}

/// The trivial case: a server that answers an upload with `200 OK` gets no complaint.
#[test]
fn broken_client_config_accepts_a_200() {
    let outcome = loopback::run_as("test", async {
        let ok = || async { r#"{"id":1,"bytes":2}"# };
        let server = Server::start(axum::Router::new().fallback(ok)).await?;
        let manager = broken::AdvancedNetworkManager::new(configured_client()?);
        let outcome = manager
            .upload_data(b"{}".to_vec(), &server.url("/uploads"))
            .await;
        server.stop().await?;
        Ok::<_, String>(outcome)
    });
    assert_eq!(outcome, Ok(Ok(UploadResponse { id: 1, bytes: 2 })));
}

// ANCHOR: caught
/// The check: the server stores the upload and answers `201 Created`; the guide's guard throws.
#[test]
fn broken_client_config_calls_201_created_a_failure() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "uploadData threw httpError(statusCode: 201) for a 201 Created"
    );
    racelab_testkit::snapshot!("client_config__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: the 201 is the upload, the 413 a typed error.
#[test]
fn fixed_client_config_takes_201_and_types_413() {
    assert_eq!(
        loopback::run_as(
            "caller",
            upload_is_accepted::<fixed::AdvancedNetworkManager>()
        ),
        Ok(())
    );
}
