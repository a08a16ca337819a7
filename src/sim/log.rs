//! The request log that tests assert on.

use std::time::Instant;

/// One request the simulator answered (or dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// Path without the query, e.g. `/v1/me/player`.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Response status; 0 when the connection was dropped by a fault.
    pub status: u16,
    /// When the request arrived.
    pub at: Instant,
    /// Whether it carried `If-None-Match`.
    pub if_none_match: bool,
    /// The `Retry-After` seconds of a 429 answer.
    pub retry_after: Option<u64>,
}

impl RequestRecord {
    /// `"METHOD /path"`, handy for assertions.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}
