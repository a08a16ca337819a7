//! [`RefreshingTokenSource`]: hands out the cached access token and renews
//! it shortly before it expires or after the API rejects it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::Mutex;

use super::error::LoginError;
use super::login::{client_credentials_token, refresh_login};
use super::store::{StoredLogin, TokenStore};
use crate::config::{AuthFlow, SpotifyConfig};
use crate::token::{AccessToken, Secret, TokenError, TokenFuture, TokenSource};

/// Tokens are renewed when they expire within this margin.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Longest wait for another process's refresh (its token request times out
/// after 30 s).
const LOCK_WAIT: Duration = Duration::from_secs(45);

/// How often an unsaved renewed login is written again.
const PERSIST_RETRY_EVERY: Duration = Duration::from_secs(5);

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
    problem: std::sync::Mutex<Option<String>>,
    last_persist_try: std::sync::Mutex<Option<Instant>>,
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
            problem: std::sync::Mutex::new(None),
            last_persist_try: std::sync::Mutex::new(None),
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

    /// Why the last renewed login could not be written, with the path and
    /// what to fix; `None` once it was written.
    pub fn persist_problem(&self) -> Option<String> {
        lock_plain(&self.problem).clone()
    }

    async fn cached_or_renew(&self) -> Result<AccessToken, TokenError> {
        let mut slot = self.login.lock().await;
        self.retry_persist(slot.as_ref());
        match slot.as_ref() {
            None => Err(revoked()),
            Some(l) if !l.expires_within(SystemTime::now(), REFRESH_MARGIN) => {
                Ok(l.to_access_token())
            }
            Some(_) => self.renew(&mut slot, None).await,
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
        let Some(rejected) = slot.as_ref().map(|l| l.access_token.clone()) else {
            return Err(revoked());
        };
        self.renew(&mut slot, Some(&rejected)).await
    }

    /// Renews the login in `slot`. `rejected` is the access token the API
    /// just refused, if that is why.
    async fn renew(
        &self,
        slot: &mut Option<StoredLogin>,
        rejected: Option<&Secret>,
    ) -> Result<AccessToken, TokenError> {
        let Some(old) = slot.clone() else {
            return Err(revoked());
        };
        match old.flow {
            AuthFlow::ClientCredentials => {
                return match client_credentials_token(&self.cfg).await {
                    Ok(fresh) => Ok(self.adopt(slot, fresh)),
                    Err(e) => self.keep_or_fail(&old, e),
                };
            }
            AuthFlow::Implicit => {
                return Err(TokenError::LoginRequired(
                    "the implicit-grant token has run out and this flow cannot refresh it; \
                     log in again"
                        .into(),
                ));
            }
            AuthFlow::Pkce | AuthFlow::AuthorizationCode => {}
        }
        // Serialise with other spotdeck processes, then look at what they
        // may have written while we waited.
        let _lock = match &self.store {
            Some(store) => match store.lock(LOCK_WAIT).await {
                Ok(l) => Some(l),
                Err(e) => {
                    tracing::warn!("refreshing without the token lock: {e}");
                    None
                }
            },
            None => None,
        };
        let mut base = old.clone();
        if let Some(theirs) = self.stored_newer_than(&old) {
            if usable_instead(&theirs, rejected) {
                tracing::info!("another process renewed the login; using its token");
                return Ok(self.adopt(slot, theirs));
            }
            base = theirs;
        }
        match refresh_login(&self.cfg, &base).await {
            Ok(fresh) => {
                self.persist(&fresh);
                Ok(self.adopt(slot, fresh))
            }
            Err(LoginError::InvalidGrant(detail)) => {
                // A process that does not take the lock (an older spotdeck)
                // may have rotated the token between our read and our request.
                if let Some(theirs) = self.stored_newer_than(&base) {
                    tracing::info!("the refresh token was rotated by another process");
                    if usable_instead(&theirs, rejected) {
                        return Ok(self.adopt(slot, theirs));
                    }
                    if let Ok(fresh) = refresh_login(&self.cfg, &theirs).await {
                        self.persist(&fresh);
                        return Ok(self.adopt(slot, fresh));
                    }
                }
                tracing::warn!("stored login refused (invalid_grant); a new login is needed");
                if let Some(store) = &self.store {
                    // Only the login Spotify refused is removed, never one
                    // another process has written since.
                    match store.delete_if_holds(base.refresh_token.as_ref()) {
                        Ok(_) => {}
                        Err(e) => tracing::warn!("could not delete the refused login: {e}"),
                    }
                }
                *slot = None;
                Err(TokenError::LoginRequired(format!(
                    "Spotify no longer accepts the stored login{} — refresh tokens end after \
                     about six months or when the app's access is removed",
                    detail.map(|d| format!(" ({d})")).unwrap_or_default()
                )))
            }
            Err(e) => self.keep_or_fail(&old, e),
        }
    }

    /// The stored login when it is for this app and flow and newer than
    /// `mine` (another process renewed it, or the user logged in again).
    /// An older one (a save that failed) is never preferred.
    fn stored_newer_than(&self, mine: &StoredLogin) -> Option<StoredLogin> {
        let store = self.store.as_ref()?;
        match store.load() {
            Ok(Some(l))
                if l.client_id == mine.client_id
                    && l.flow == mine.flow
                    && (l.refresh_token != mine.refresh_token
                        || l.access_token != mine.access_token)
                    && match (l.expires_at, mine.expires_at) {
                        (Some(theirs), Some(ours)) => theirs > ours,
                        _ => true,
                    } =>
            {
                Some(l)
            }
            Ok(_) => None,
            Err(e) => {
                tracing::warn!("cannot re-read the token file: {e}");
                None
            }
        }
    }

    fn adopt(&self, slot: &mut Option<StoredLogin>, fresh: StoredLogin) -> AccessToken {
        let token = fresh.to_access_token();
        *slot = Some(fresh);
        self.generation.fetch_add(1, Ordering::SeqCst);
        token
    }

    fn keep_or_fail(&self, old: &StoredLogin, e: LoginError) -> Result<AccessToken, TokenError> {
        tracing::warn!("token renewal failed: {e}");
        if !old.expires_within(SystemTime::now(), Duration::ZERO) {
            // Still valid for a few seconds: keep going with it.
            return Ok(old.to_access_token());
        }
        Err(TokenError::Refresh(e.to_string()))
    }

    /// Writes a renewed login; a failure is kept for [`Self::persist_problem`]
    /// because the old refresh token may already be void.
    fn persist(&self, fresh: &StoredLogin) {
        let Some(store) = &self.store else {
            return;
        };
        let problem = match store.save(fresh) {
            Ok(()) => None,
            Err(e) => {
                tracing::warn!("could not store the refreshed login: {e}");
                Some(persist_message(store, &e))
            }
        };
        *lock_plain(&self.problem) = problem;
        *lock_plain(&self.last_persist_try) = Some(Instant::now());
    }

    /// While a renewed login is unsaved, tries again now and then, so fixing
    /// the directory while spotdeck runs is enough.
    fn retry_persist(&self, current: Option<&StoredLogin>) {
        if lock_plain(&self.problem).is_none() {
            return;
        }
        let due =
            lock_plain(&self.last_persist_try).is_none_or(|t| t.elapsed() >= PERSIST_RETRY_EVERY);
        if let (true, Some(l)) = (due, current) {
            self.persist(l);
            if lock_plain(&self.problem).is_none() {
                tracing::info!("the renewed login is stored now");
            }
        }
    }
}

/// True when `theirs` can be used as it is instead of refreshing.
fn usable_instead(theirs: &StoredLogin, rejected: Option<&Secret>) -> bool {
    !theirs.expires_within(SystemTime::now(), REFRESH_MARGIN)
        && rejected.is_none_or(|r| *r != theirs.access_token)
}

fn persist_message(store: &TokenStore, e: &super::store::StoreError) -> String {
    let dir = store
        .path()
        .parent()
        .map_or_else(|| ".".to_string(), |d| d.display().to_string());
    format!(
        "the renewed login could not be saved to {} ({e}). Spotify has replaced the old \
         refresh token, so the next start will need `spotdeck login` unless {dir} is made \
         writable for you (e.g. `chmod u+w {dir}`) while spotdeck is still running",
        store.path().display()
    )
}

fn lock_plain<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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

    fn persist_problem(&self) -> Option<String> {
        RefreshingTokenSource::persist_problem(self)
    }
}
