//! N8 broken: the guide's `CustomURLProtocol.startLoading` (L2874–2889), which creates a new
//! session for every request. This version is problematic.
//!
//! A client owns its connection pool: a client built per request finds its pool empty every
//! time, so every request opens (and then abandons) a TCP connection of its own.

/// The guide's `CustomURLProtocol`, as a layer in front of reqwest.
pub struct CustomUrlProtocol {}

// ANCHOR: load
impl super::CustomProtocol for CustomUrlProtocol {
    fn new() -> Result<Self, String> {
        Ok(CustomUrlProtocol {})
    }

    async fn load(&self, url: &str) -> Result<String, String> {
        let url = url.replace("custom://", "http://");
        let session = super::new_client()?;
        let request = session.get(url).header("X-Protocol", "CustomProtocol");
        let response = request.send().await.map_err(|e| e.to_string())?;
        response.text().await.map_err(|e| e.to_string())
    }
}
// ANCHOR_END: load
