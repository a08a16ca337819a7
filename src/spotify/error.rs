//! Everything that can go wrong talking to the Web API, classified so the UI
//! can react (pick a device, wait, re-login) and phrase it for the user.

use std::time::Duration;

use serde::Deserialize;

use crate::token::TokenError;

/// An error from the Web API or from reaching it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401: the token was rejected (also after one refresh).
    #[error("unauthorized: {message}")]
    Unauthorized {
        /// Server message.
        message: String,
    },
    /// 403 without a player reason (missing scope, development-mode limits).
    #[error("forbidden: {message}")]
    Forbidden {
        /// Server message.
        message: String,
    },
    /// 404 (also removed endpoints and Spotify-owned playlists since 2024).
    #[error("not found: {message}")]
    NotFound {
        /// Server message.
        message: String,
    },
    /// 429: too many requests; retry after the given time.
    #[error("rate limited for {retry_after:?}")]
    RateLimited {
        /// How long to wait (from `Retry-After`).
        retry_after: Duration,
        /// The app's quota is used up (`"reason": "QUOTA_EXCEEDED"`), not
        /// just the rolling 30-second window.
        quota: bool,
    },
    /// Player command without an active device (`NO_ACTIVE_DEVICE`).
    #[error("no active device")]
    NoActiveDevice,
    /// Player command on a free account (`PREMIUM_REQUIRED`).
    #[error("Spotify Premium is required")]
    PremiumRequired,
    /// Player command refused by the current context (reason `UNKNOWN`,
    /// `ALREADY_PAUSED`, a disallowed skip, …).
    #[error("restricted: {message} ({reason})")]
    Restricted {
        /// The player reason code.
        reason: String,
        /// Server message.
        message: String,
    },
    /// 400: the request was malformed.
    #[error("bad request: {message}")]
    BadRequest {
        /// Server message.
        message: String,
    },
    /// 5xx (or another unexpected status).
    #[error("server error {status}: {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Server message.
        message: String,
    },
    /// The connection failed.
    #[error("network error: {0}")]
    Network(String),
    /// The request timed out.
    #[error("request timed out")]
    Timeout,
    /// The body did not have the expected shape.
    #[error("unexpected response: {0}")]
    Decode(String),
    /// A positioned playlist edit was refused before sending: the playlist
    /// changed since it was loaded, or the rows are not the ones shown.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Refused before sending: an argument is out of range or contradictory.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// No usable token.
    #[error(transparent)]
    Token(#[from] TokenError),
}

/// `{"error": {"status", "message", "reason"?}}` (regular error object).
#[derive(Debug, Clone, Deserialize)]
pub struct RegularErrorBody {
    /// The error object.
    pub error: RegularError,
}

/// The inner regular error object.
#[derive(Debug, Clone, Deserialize)]
pub struct RegularError {
    /// HTTP status.
    #[serde(default)]
    pub status: u16,
    /// Message.
    #[serde(default)]
    pub message: String,
    /// Player reason code (player endpoints only).
    #[serde(default)]
    pub reason: Option<String>,
}

/// `{"error": "invalid_grant", "error_description": "…"}` (OAuth error object).
#[derive(Debug, Clone, Deserialize)]
pub struct OAuthErrorBody {
    /// Error code.
    pub error: String,
    /// Description.
    #[serde(default)]
    pub error_description: Option<String>,
}

impl ApiError {
    /// Classifies an HTTP error status and body. `retry_after` is the parsed
    /// `Retry-After` header (used for 429).
    pub fn from_response(status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        let (message, reason) = parse_error_body(body);
        let message = if message.is_empty() {
            default_message(status).to_owned()
        } else {
            message
        };
        match reason.as_deref() {
            Some("NO_ACTIVE_DEVICE") => return ApiError::NoActiveDevice,
            Some("PREMIUM_REQUIRED") => return ApiError::PremiumRequired,
            Some(r @ ("RATE_LIMITED" | "QUOTA_EXCEEDED")) => {
                return ApiError::RateLimited {
                    retry_after: retry_after.unwrap_or(Duration::from_secs(1)),
                    quota: r == "QUOTA_EXCEEDED",
                };
            }
            Some(r) if status == 403 || status == 400 => {
                return ApiError::Restricted {
                    reason: r.to_owned(),
                    message,
                };
            }
            _ => {}
        }
        match status {
            400 => ApiError::BadRequest { message },
            401 => ApiError::Unauthorized { message },
            403 => ApiError::Forbidden { message },
            404 if message.contains("No active device") => ApiError::NoActiveDevice,
            404 => ApiError::NotFound { message },
            429 => ApiError::RateLimited {
                retry_after: retry_after.unwrap_or(Duration::from_secs(1)),
                quota: false,
            },
            _ => ApiError::Server { status, message },
        }
    }

    /// A short human sentence for the status line.
    pub fn sentence(&self) -> String {
        match self {
            ApiError::Unauthorized { .. } => {
                "Spotify rejected the login — run `spotdeck login` again".into()
            }
            ApiError::Forbidden { message } => {
                format!("Not allowed: {message} (missing permission or a Spotify restriction)")
            }
            ApiError::NotFound { message } => format!("Not found: {message}"),
            ApiError::RateLimited {
                retry_after,
                quota: false,
            } => format!(
                "Spotify asks us to slow down — retrying in {}",
                wait_text(*retry_after)
            ),
            ApiError::RateLimited {
                retry_after,
                quota: true,
            } => format!(
                "This app's daily Spotify quota, shared by all its users, is used up — retrying in {}",
                wait_text(*retry_after)
            ),
            ApiError::NoActiveDevice => "No active device — pick one with d".into(),
            ApiError::PremiumRequired => "Playback control needs Spotify Premium".into(),
            ApiError::Restricted { reason, .. } => match reason.as_str() {
                "NO_PREV_TRACK" => "There is no previous track".into(),
                "NO_NEXT_TRACK" => "There is no next track".into(),
                "ALREADY_PAUSED" => "Already paused".into(),
                "ALREADY_PLAYING" | "NOT_PAUSED" => "Already playing".into(),
                "VOLUME_CONTROL_DISALLOW" => "This device does not allow volume changes".into(),
                "DEVICE_NOT_CONTROLLABLE" | "REMOTE_CONTROL_DISALLOW" => {
                    "This device cannot be controlled remotely".into()
                }
                _ => "Spotify refused that right now (not allowed in this context)".into(),
            },
            ApiError::BadRequest { message } => format!("Spotify refused the request: {message}"),
            ApiError::Server { status, .. } => {
                format!("Spotify is having trouble (HTTP {status}) — try again shortly")
            }
            ApiError::Network(e) => format!(
                "Cannot reach Spotify ({e}) — check the connection, and SPOTDECK_API_BASE if you set it"
            ),
            ApiError::Timeout => {
                "Spotify did not answer in time — check the connection, and SPOTDECK_API_BASE if you set it".into()
            }
            ApiError::Decode(e) => format!("Unexpected answer from Spotify: {e}"),
            ApiError::InvalidArgument(e) | ApiError::Conflict(e) => e.clone(),
            ApiError::Token(e) => e.to_string(),
        }
    }

    /// True when Spotify could not be reached at all (connection, timeout).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, ApiError::Network(_) | ApiError::Timeout)
    }

    /// True when the login itself is the problem (rejected or missing token):
    /// nothing works until `spotdeck login`.
    pub fn is_login_problem(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. } | ApiError::Token(_))
    }

    /// True for "no active device" (the UI opens the device picker).
    pub fn is_no_active_device(&self) -> bool {
        matches!(self, ApiError::NoActiveDevice)
    }

    /// True when Spotify (or the token's scopes) do not allow this.
    pub fn is_forbidden(&self) -> bool {
        matches!(
            self,
            ApiError::Forbidden { .. } | ApiError::Restricted { .. }
        )
    }

    /// True when a positioned edit was refused because the playlist moved on.
    pub fn is_conflict(&self) -> bool {
        matches!(self, ApiError::Conflict(_))
    }

    /// True for a 404 (the resource is gone or not offered to this app).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::NotFound { .. })
    }

    /// The wait requested by a 429.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    /// The HTTP status this error came from, when it came from one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::Forbidden { .. } | ApiError::PremiumRequired => Some(403),
            ApiError::NotFound { .. } | ApiError::NoActiveDevice => Some(404),
            ApiError::RateLimited { .. } => Some(429),
            ApiError::BadRequest { .. } => Some(400),
            ApiError::Server { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True when the user must log in again.
    pub fn needs_login(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. } | ApiError::Token(_))
    }
}

/// A wait as people say it: `45s`, `12 min`, `3 h 20 min`.
pub fn wait_text(d: Duration) -> String {
    let s = d.as_secs().max(1);
    match s {
        0..=119 => format!("{s}s"),
        120..=3599 => format!("{} min", s.div_ceil(60)),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// Extracts `(message, reason)` from either error format (or neither).
fn parse_error_body(body: &[u8]) -> (String, Option<String>) {
    if let Ok(b) = serde_json::from_slice::<RegularErrorBody>(body) {
        return (b.error.message, b.error.reason);
    }
    if let Ok(b) = serde_json::from_slice::<OAuthErrorBody>(body) {
        let msg = match b.error_description {
            Some(d) if !d.is_empty() => format!("{}: {d}", b.error),
            _ => b.error,
        };
        return (msg, None);
    }
    let text = String::from_utf8_lossy(body);
    (text.trim().chars().take(200).collect(), None)
}

fn default_message(status: u16) -> &'static str {
    match status {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        429 => "Too many requests",
        500 => "Internal server error",
        502 => "Bad gateway",
        503 => "Service unavailable",
        _ => "Unexpected status",
    }
}

impl From<reqwest::Error> for ApiError {
    fn from(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            ApiError::Timeout
        } else if e.is_decode() {
            ApiError::Decode(e.to_string())
        } else {
            // reqwest errors never contain the Authorization header.
            ApiError::Network(e.without_url().to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn player_reasons_are_classified() {
        let b = br#"{"error":{"status":404,"message":"Player command failed: No active device found","reason":"NO_ACTIVE_DEVICE"}}"#;
        let e = ApiError::from_response(404, b, None);
        assert!(e.is_no_active_device());
        assert_eq!(e.sentence(), "No active device — pick one with d");
        let b = br#"{"error":{"status":403,"message":"Player command failed: Premium required","reason":"PREMIUM_REQUIRED"}}"#;
        assert_eq!(
            ApiError::from_response(403, b, None),
            ApiError::PremiumRequired
        );
        let b = br#"{"error":{"status":403,"message":"Player command failed: Restriction violated","reason":"UNKNOWN"}}"#;
        assert!(matches!(
            ApiError::from_response(403, b, None),
            ApiError::Restricted { ref reason, .. } if reason == "UNKNOWN"
        ));
    }

    #[test]
    fn quota_429_says_what_it_is_and_how_long() {
        let b =
            br#"{"error":{"status":429,"message":"API quota exceeded","reason":"QUOTA_EXCEEDED"}}"#;
        let e = ApiError::from_response(429, b, Some(Duration::from_secs(3 * 3600 + 20 * 60)));
        assert_eq!(
            e,
            ApiError::RateLimited {
                retry_after: Duration::from_secs(12_000),
                quota: true
            }
        );
        let s = e.sentence();
        assert!(s.contains("daily") && s.contains("quota"), "{s}");
        assert!(s.contains("shared by all its users"), "{s}");
        assert!(s.contains("3 h 20 min"), "{s}");
        let plain = ApiError::from_response(429, b"", Some(Duration::from_secs(7)));
        assert!(!plain.sentence().contains("quota"));
        assert_eq!(wait_text(Duration::from_secs(725)), "13 min");
    }

    #[test]
    fn plain_statuses_are_classified() {
        let e = ApiError::from_response(429, b"", Some(Duration::from_secs(7)));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert!(e.sentence().contains("7s"));
        let e = ApiError::from_response(
            403,
            br#"{"error": {"status": 403, "message": "Forbidden" } }"#,
            None,
        );
        assert_eq!(
            e,
            ApiError::Forbidden {
                message: "Forbidden".into()
            }
        );
        let e = ApiError::from_response(
            400,
            br#"{"error":"invalid_grant","error_description":"Invalid refresh token"}"#,
            None,
        );
        assert_eq!(
            e,
            ApiError::BadRequest {
                message: "invalid_grant: Invalid refresh token".into()
            }
        );
        let e = ApiError::from_response(502, b"<html>bad gateway</html>", None);
        assert_eq!(e.status(), Some(502));
        assert!(e.sentence().contains("502"));
        assert_eq!(
            ApiError::from_response(404, b"", None),
            ApiError::NotFound {
                message: "Not found".into()
            }
        );
    }
}
