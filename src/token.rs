//! Access tokens as the rest of the app sees them, and the seam between the
//! HTTP client and whatever obtains tokens (login flows, a pasted token, the
//! demo simulator).
//!
//! Token strings are wrapped in [`Secret`], whose `Debug` and `Display` never
//! print the value, so a stray `tracing::debug!(?token)` cannot leak it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// A string that must never appear in logs or on screen.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the secret itself; call only where it is sent or stored.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A bearer token with what is known about its lifetime and scopes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    /// The bearer value sent in `Authorization`.
    pub value: Secret,
    /// When the token stops working, if known.
    pub expires_at: Option<SystemTime>,
    /// Scopes granted to the token; empty when unknown.
    pub scopes: Vec<String>,
}

impl AccessToken {
    /// A token with unknown expiry and scopes.
    pub fn bare(value: impl Into<String>) -> Self {
        Self {
            value: Secret::new(value),
            expires_at: None,
            scopes: Vec::new(),
        }
    }

    /// True when the token has expired at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }
}

/// Checks a pasted access token (surrounding whitespace already trimmed):
/// a bearer token is one run of printable ASCII, so a line break, space or
/// other character inside means it was pasted wrongly. The message names the
/// problem and its byte offset, never the token.
pub fn check_pasted(token: &str) -> Result<(), String> {
    match token
        .bytes()
        .enumerate()
        .find(|(_, b)| !b.is_ascii_graphic())
    {
        None => Ok(()),
        Some((at, b)) => {
            let what = match b {
                b'\n' | b'\r' => "a line break",
                b' ' | b'\t' => "a space",
                _ => "a character an access token never has",
            };
            Err(format!(
                "SPOTDECK_ACCESS_TOKEN holds {what} at byte {at}: paste the token again as one line"
            ))
        }
    }
}

/// Why no usable token could be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Nobody is logged in, or the stored login was revoked.
    #[error("not logged in: {0}. Run `spotdeck login`.")]
    LoginRequired(String),
    /// The token ran out and cannot be renewed automatically.
    #[error("the access token has expired: {0}")]
    Expired(String),
    /// Refreshing failed for a reason that may pass (network, server).
    #[error("could not refresh the access token: {0}")]
    Refresh(String),
}

/// Boxed future returned by [`TokenSource`] methods.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, TokenError>> + Send + 'a>>;

/// Supplies bearer tokens to the Web API client.
pub trait TokenSource: Send + Sync {
    /// A token believed valid now; refreshes first when it is about to expire.
    fn access_token(&self) -> TokenFuture<'_>;
    /// Called once after the API answered 401: obtain a fresh token or fail.
    fn refresh_after_rejection(&self) -> TokenFuture<'_>;
    /// True when the token acts only for the app (client credentials), so
    /// user data, playback and devices are unavailable.
    fn is_app_only(&self) -> bool {
        false
    }
    /// Why a renewed login could not be saved (path and what to fix), while
    /// that is so; the next start would otherwise fail to log in.
    fn persist_problem(&self) -> Option<String> {
        None
    }
}

/// A fixed token that cannot be refreshed (pasted token, tests).
#[derive(Debug, Clone)]
pub struct StaticToken(pub AccessToken);

impl TokenSource for StaticToken {
    fn access_token(&self) -> TokenFuture<'_> {
        let tok = self.0.clone();
        Box::pin(async move {
            if tok.is_expired_at(SystemTime::now()) {
                Err(TokenError::Expired(
                    "the pasted token ran out; paste a new one or run `spotdeck login`".into(),
                ))
            } else {
                Ok(tok)
            }
        })
    }

    fn refresh_after_rejection(&self) -> TokenFuture<'_> {
        Box::pin(async {
            Err(TokenError::Expired(
                "the API rejected the token and it cannot be refreshed".into(),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_tokens_are_one_printable_run() {
        assert!(check_pasted("BQD-abc_123.xyz").is_ok());
        let e = check_pasted("BQDabc\nxyz").unwrap_err();
        assert!(e.contains("line break at byte 6"), "{e}");
        assert!(!e.contains("BQD"), "the token is never shown: {e}");
        assert!(check_pasted("abc def").unwrap_err().contains("a space"));
        assert!(check_pasted("abcé").is_err());
    }

    #[test]
    fn secret_is_redacted_in_debug_and_display() {
        let s = Secret::new("BQDsecretvalue");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{s}"), "***");
        let t = AccessToken::bare("BQDsecretvalue");
        assert!(!format!("{t:?}").contains("BQDsecretvalue"));
    }
}
