//! N1's loopback plumbing moved to [`crate::loopback`], the chapter's one server; this module
//! re-exports it for the demos that still import it from here (N14).

pub use crate::loopback::{Server, client, server_says};
