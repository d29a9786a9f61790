//! N9's fixed interceptors: the token's header value is marked sensitive, and the logger
//! prints `<redacted>` for every value so marked.

use reqwest::header::{AUTHORIZATION, HeaderValue};

/// The guide's two request interceptors.
#[derive(Debug)]
pub struct Interceptors;

// ANCHOR: interceptors
impl super::Interceptors for Interceptors {
    fn authorize(mut request: reqwest::Request, token: &str) -> Result<reqwest::Request, String> {
        let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|e| format!("not a header value: {e}"))?;
        value.set_sensitive(true); // a credential: loggers, caches and HPACK treat it as secret
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
            let shown = if value.is_sensitive() {
                "<redacted>".into() // a value marked sensitive is never printed
            } else {
                String::from_utf8_lossy(value.as_bytes())
            };
            lines.push(format!("Header {name}: {shown}")); // print("Headers: …")
        }
        lines
    }
}
// ANCHOR_END: interceptors
