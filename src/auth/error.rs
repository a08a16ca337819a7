//! Errors of the login flows, phrased for the user. None of them carries a
//! token or a secret.

use oauth2::RequestTokenError;
use oauth2::basic::{BasicErrorResponse, BasicErrorResponseType};

use super::http::HttpAdapterError;
use super::store::StoreError;

/// Why a login or a token request failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// The configuration cannot work (missing client id or secret, bad URL).
    #[error("{0}")]
    Config(String),
    /// The loopback listener could not start.
    #[error(
        "cannot listen on 127.0.0.1:{port} for the login redirect: {source}. Set `redirect_port` to a free port (and register http://127.0.0.1:PORT/callback with your Spotify app)"
    )]
    Listener {
        /// Port that was asked for.
        port: u16,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The browser did not come back in time.
    #[error("no answer from the browser within {0} s; run `spotdeck login` to try again")]
    Timeout(u64),
    /// The redirect carried a `state` other than the one sent.
    #[error(
        "the login redirect carried the wrong `state` (possible forgery); login aborted, run `spotdeck login` again"
    )]
    StateMismatch,
    /// Spotify (or the user) refused the authorization.
    #[error("authorization refused: {error}{}", .description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Denied {
        /// OAuth `error` value, e.g. `access_denied`.
        error: String,
        /// `error_description`, when given.
        description: Option<String>,
    },
    /// The redirect lacked what the flow needs.
    #[error("malformed login redirect: {0}")]
    MalformedCallback(String),
    /// The code or refresh token is no longer valid.
    #[error("the Accounts service rejected the grant (invalid_grant{}); log in again", .0.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    InvalidGrant(Option<String>),
    /// The token endpoint answered with another OAuth error.
    #[error("the Accounts service refused the token request: {0}")]
    Server(String),
    /// The token endpoint could not be reached or answered nonsense.
    #[error("token request failed: {0}")]
    Network(String),
    /// The token file could not be used.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl LoginError {
    /// Maps an `oauth2` token request failure, never including the body
    /// (a successful-but-unparsable body could hold a token).
    pub fn from_token_error(e: RequestTokenError<HttpAdapterError, BasicErrorResponse>) -> Self {
        match e {
            RequestTokenError::ServerResponse(resp) => {
                let description = resp.error_description().cloned();
                match resp.error() {
                    BasicErrorResponseType::InvalidGrant => LoginError::InvalidGrant(description),
                    other => LoginError::Server(match description {
                        Some(d) => format!("{} ({d})", other.as_ref()),
                        None => other.as_ref().to_string(),
                    }),
                }
            }
            RequestTokenError::Request(e) => LoginError::Network(e.to_string()),
            RequestTokenError::Parse(e, _body) => {
                LoginError::Network(format!("unreadable token response at `{}`", e.path()))
            }
            RequestTokenError::Other(m) => LoginError::Network(m),
        }
    }
}
