//! N8 fixed: the layer builds one client in `new` and sends every request through it, so its
//! connection pool carries request after request over one TCP connection.

/// The guide's `CustomURLProtocol`, as a layer in front of reqwest.
pub struct CustomUrlProtocol {
    session: reqwest::Client, // one client, one pool, for every request
}

// ANCHOR: load
impl super::CustomProtocol for CustomUrlProtocol {
    fn new() -> Result<Self, String> {
        Ok(CustomUrlProtocol {
            session: super::new_client()?,
        }) // built once, kept
    }

    async fn load(&self, url: &str) -> Result<String, String> {
        let url = url.replace("custom://", "http://");
        let session = &self.session; // the shared client: its pool keeps the connection
        let request = session.get(url).header("X-Protocol", "CustomProtocol");
        let response = request.send().await.map_err(|e| e.to_string())?;
        response.text().await.map_err(|e| e.to_string())
    }
}
// ANCHOR_END: load
