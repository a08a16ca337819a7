//! [`RefreshingTokenSource`]: hands out the cached access token and renews
//! it shortly before it expires or after the API rejects it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;

use super::error::LoginError;
use super::login::{client_credentials_token, refresh_login};
use super::store::{StoredLogin, TokenStore};
use crate::config::{AuthFlow, SpotifyConfig};
use crate::token::{AccessToken, TokenError, TokenFuture, TokenSource};

/// Tokens are renewed when they expire within this margin.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Whether the session acts for a user or only for the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A user logged in (PKCE, authorization code, implicit grant).
    User,
    /// Client credentials: catalogue only; no playback, devices, profile or private playlists.
    AppOnly,
}

/// A token source backed by a login: refresh token (persisted, rotated),
/// client credentials (re-requested), or an implicit-grant token (asks for a
/// new login when it runs out). Concurrent callers share one renewal.
pub struct RefreshingTokenSource {
    cfg: SpotifyConfig,
    store: Option<TokenStore>,
    login: Mutex<Option<StoredLogin>>,
    generation: AtomicU64,
    kind: SessionKind,
}

impl std::fmt::Debug for RefreshingTokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshingTokenSource")
            .field("kind", &self.kind)
            .field(
                "store",
                &self.store.as_ref().map(|s| s.path().to_path_buf()),
            )
            .finish_non_exhaustive()
    }
}

impl RefreshingTokenSource {
    /// Wraps `login`; renewed tokens are written to `store` when given.
    pub fn new(cfg: SpotifyConfig, login: StoredLogin, store: Option<TokenStore>) -> Self {
        let kind = if login.flow == AuthFlow::ClientCredentials {
            SessionKind::AppOnly
        } else {
            SessionKind::User
        };
        Self {
            cfg,
            store,
            login: Mutex::new(Some(login)),
            generation: AtomicU64::new(0),
            kind,
        }
    }

    /// User or app-only session.
    pub fn session_kind(&self) -> SessionKind {
        self.kind
    }

    /// True for a client-credentials session (no user data).
    pub fn is_app_only(&self) -> bool {
        self.kind == SessionKind::AppOnly
    }

    /// The login as it is now; `None` after it was revoked.
    pub async fn current_login(&self) -> Option<StoredLogin> {
        self.login.lock().await.clone()
    }

    /// How many renewals have succeeded.
    pub fn renewals(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    async fn cached_or_renew(&self) -> Result<AccessToken, TokenError> {
        let mut slot = self.login.lock().await;
        match slot.as_ref() {
            None => Err(revoked()),
            Some(l) if !l.expires_within(SystemTime::now(), REFRESH_MARGIN) => {
                Ok(l.to_access_token())
            }
            Some(_) => self.renew(&mut slot).await,
        }
    }

    async fn renew_after_rejection(&self) -> Result<AccessToken, TokenError> {
        let seen = self.generation.load(Ordering::SeqCst);
        let mut slot = self.login.lock().await;
        if self.generation.load(Ordering::SeqCst) != seen
            && let Some(l) = slot.as_ref()
        {
            // Someone renewed while we waited for the lock: share theirs.
            return Ok(l.to_access_token());
        }
        if slot.is_none() {
            return Err(revoked());
        }
        self.renew(&mut slot).await
    }

    async fn renew(&self, slot: &mut Option<StoredLogin>) -> Result<AccessToken, TokenError> {
        let Some(old) = slot.clone() else {
            return Err(revoked());
        };
        let result = match old.flow {
            AuthFlow::ClientCredentials => client_credentials_token(&self.cfg).await,
            AuthFlow::Implicit => {
                return Err(TokenError::LoginRequired(
                    "the implicit-grant token has run out and this flow cannot refresh it; \
                     log in again"
                        .into(),
                ));
            }
            AuthFlow::Pkce | AuthFlow::AuthorizationCode => refresh_login(&self.cfg, &old).await,
        };
        match result {
            Ok(fresh) => {
                if let Some(store) = &self.store
                    && let Err(e) = store.save(&fresh)
                {
                    tracing::warn!("could not store the refreshed login: {e}");
                }
                let token = fresh.to_access_token();
                *slot = Some(fresh);
                self.generation.fetch_add(1, Ordering::SeqCst);
                Ok(token)
            }
            Err(LoginError::InvalidGrant(detail)) if old.flow != AuthFlow::ClientCredentials => {
                tracing::warn!("stored login revoked (invalid_grant); removing it");
                if let Some(store) = &self.store
                    && let Err(e) = store.delete()
                {
                    tracing::warn!("could not delete the revoked login: {e}");
                }
                *slot = None;
                Err(TokenError::LoginRequired(format!(
                    "Spotify no longer accepts the stored login{}",
                    detail.map(|d| format!(" ({d})")).unwrap_or_default()
                )))
            }
            Err(e) => {
                tracing::warn!("token renewal failed: {e}");
                if !old.expires_within(SystemTime::now(), Duration::ZERO) {
                    // Still valid for a few seconds: keep going with it.
                    return Ok(old.to_access_token());
                }
                Err(TokenError::Refresh(e.to_string()))
            }
        }
    }
}

fn revoked() -> TokenError {
    TokenError::LoginRequired("the stored login was revoked".into())
}

impl TokenSource for RefreshingTokenSource {
    fn access_token(&self) -> TokenFuture<'_> {
        Box::pin(self.cached_or_renew())
    }

    fn refresh_after_rejection(&self) -> TokenFuture<'_> {
        Box::pin(self.renew_after_rejection())
    }

    fn is_app_only(&self) -> bool {
        self.kind == SessionKind::AppOnly
    }
}
