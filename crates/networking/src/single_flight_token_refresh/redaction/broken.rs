//! N9's broken interceptors: the guide's `AuthenticationInterceptor` and `LoggingInterceptor`.
//! This version is problematic: the logger prints every header as it is, and the auth
//! interceptor runs first, so the log holds `authorization: Bearer <token>`.

use reqwest::header::{AUTHORIZATION, HeaderValue};

/// The guide's two request interceptors.
#[derive(Debug)]
pub struct Interceptors;

// ANCHOR: interceptors
impl super::Interceptors for Interceptors {
    fn authorize(mut request: reqwest::Request, token: &str) -> Result<reqwest::Request, String> {
        let value = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|e| format!("not a header value: {e}"))?;
        request.headers_mut().insert(AUTHORIZATION, value); // setValue(_:forHTTPHeaderField:)
        Ok(request)
    }

    fn log_request(request: &reqwest::Request) -> Vec<String> {
        let mut lines = vec![format!(
            "Outgoing Request: {} {}",
            request.method(),
            request.url().path()
        )];
        for (name, value) in request.headers() {
            let shown = String::from_utf8_lossy(value.as_bytes());
            lines.push(format!("Header {name}: {shown}")); // print("Headers: …")
        }
        lines
    }
}
// ANCHOR_END: interceptors
