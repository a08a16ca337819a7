//! The interactive login flows: authorization code with PKCE (default),
//! authorization code with the client secret, and the legacy implicit grant;
//! plus the non-interactive client-credentials and refresh-token requests.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, RefreshToken, Scope};

use super::error::LoginError;
use super::http::{OAuthHttp, build_client};
use super::listener::LoopbackListener;
use super::oauth::{
    client_secret, login_from_response, oauth_client, require_client_id, require_client_secret,
};
use super::scopes::scope_names;
use super::store::StoredLogin;
use crate::config::{AuthFlow, SpotifyConfig};

/// Opens the authorize URL for the user. Injectable so tests can drive a
/// headless browser or plain HTTP requests instead.
pub type BrowserOpener = Arc<dyn Fn(&str) -> std::io::Result<()> + Send + Sync>;

/// The default opener: prints the URL to stderr (for SSH sessions) and asks
/// the desktop to open it with the `webbrowser` crate, which honours `$BROWSER`.
pub fn system_browser() -> BrowserOpener {
    Arc::new(|url: &str| {
        eprintln!(
            "Opening the Spotify login page in your browser. If it does not open, visit:\n\n  {url}\n"
        );
        if let Err(e) = webbrowser::open(url) {
            eprintln!("(could not start a browser: {e}; open the address above by hand)");
        }
        Ok(())
    })
}

/// How an interactive login runs.
#[derive(Clone)]
pub struct LoginOptions {
    /// Opens the authorize URL.
    pub opener: BrowserOpener,
    /// Scopes to request.
    pub scopes: Vec<String>,
    /// Ask Spotify to show the consent dialog even if the app was approved.
    pub show_dialog: bool,
}

impl LoginOptions {
    /// All of spotdeck's scopes, no forced dialog.
    pub fn new(opener: BrowserOpener) -> Self {
        Self {
            opener,
            scopes: scope_names(),
            show_dialog: false,
        }
    }
}

impl std::fmt::Debug for LoginOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginOptions")
            .field("scopes", &self.scopes)
            .field("show_dialog", &self.show_dialog)
            .finish_non_exhaustive()
    }
}

fn http() -> Result<OAuthHttp, LoginError> {
    build_client()
        .map(OAuthHttp::new)
        .map_err(|e| LoginError::Network(format!("cannot build the HTTP client: {e}")))
}

/// Runs the configured flow: the browser flows wait for the redirect; the
/// client-credentials flow just requests an app token.
pub async fn login(cfg: &SpotifyConfig, opts: &LoginOptions) -> Result<StoredLogin, LoginError> {
    match cfg.auth_flow {
        AuthFlow::Pkce => code_login(cfg, opts, AuthFlow::Pkce).await,
        AuthFlow::AuthorizationCode => code_login(cfg, opts, AuthFlow::AuthorizationCode).await,
        AuthFlow::Implicit => implicit_login(cfg, opts).await,
        AuthFlow::ClientCredentials => client_credentials_token(cfg).await,
    }
}

async fn code_login(
    cfg: &SpotifyConfig,
    opts: &LoginOptions,
    flow: AuthFlow,
) -> Result<StoredLogin, LoginError> {
    let client_id = require_client_id(cfg)?.to_string();
    let secret = match flow {
        AuthFlow::AuthorizationCode => Some(require_client_secret(cfg, flow)?),
        _ => None,
    };
    let http = http()?;
    let listener = LoopbackListener::bind(cfg.redirect_port).await?;
    let redirect = listener.redirect_uri();
    let client = oauth_client(cfg, secret, Some(&redirect))?;
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(opts.scopes.iter().cloned().map(Scope::new));
    if opts.show_dialog {
        request = request.add_extra_param("show_dialog", "true");
    }
    let verifier = if flow == AuthFlow::Pkce {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        request = request.set_pkce_challenge(challenge);
        Some(verifier)
    } else {
        None
    };
    let (url, state) = request.url();
    open(opts, url.as_str())?;
    let timeout = Duration::from_secs(cfg.login_timeout_secs);
    let code = listener.wait_for_code(state.secret(), timeout).await?;
    let mut exchange = client.exchange_code(AuthorizationCode::new(code.expose().to_string()));
    if let Some(v) = verifier {
        exchange = exchange.set_pkce_verifier(v);
    }
    let resp = exchange
        .request_async(&http.as_fn())
        .await
        .map_err(LoginError::from_token_error)?;
    tracing::info!(flow = ?flow, "login succeeded");
    Ok(login_from_response(
        &resp,
        flow,
        &client_id,
        &opts.scopes,
        SystemTime::now(),
    ))
}

async fn implicit_login(
    cfg: &SpotifyConfig,
    opts: &LoginOptions,
) -> Result<StoredLogin, LoginError> {
    eprintln!(
        "warning: the implicit grant flow is legacy and Spotify no longer allows it for new apps; \
         its token lasts about an hour and cannot be refreshed. Prefer auth_flow = \"pkce\"."
    );
    let client_id = require_client_id(cfg)?.to_string();
    let listener = LoopbackListener::bind(cfg.redirect_port).await?;
    let redirect = listener.redirect_uri();
    let client = oauth_client(cfg, None, Some(&redirect))?;
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(opts.scopes.iter().cloned().map(Scope::new))
        .use_implicit_flow();
    if opts.show_dialog {
        request = request.add_extra_param("show_dialog", "true");
    }
    let (url, state) = request.url();
    open(opts, url.as_str())?;
    let timeout = Duration::from_secs(cfg.login_timeout_secs);
    let token = listener
        .wait_for_implicit_token(state.secret(), timeout)
        .await?;
    tracing::info!("implicit-grant login succeeded");
    let mut login = StoredLogin {
        client_id,
        flow: AuthFlow::Implicit,
        access_token: token.access_token,
        refresh_token: None,
        expires_at: None,
        scopes: token.scopes.unwrap_or_else(|| opts.scopes.clone()),
    };
    login.set_expires_in(SystemTime::now(), token.expires_in.map(Duration::from_secs));
    Ok(login)
}

fn open(opts: &LoginOptions, url: &str) -> Result<(), LoginError> {
    (opts.opener)(url).map_err(|e| LoginError::Config(format!("cannot open the login page: {e}")))
}

/// Requests an app-only token with the client id and secret.
pub async fn client_credentials_token(cfg: &SpotifyConfig) -> Result<StoredLogin, LoginError> {
    let client_id = require_client_id(cfg)?.to_string();
    let secret = require_client_secret(cfg, AuthFlow::ClientCredentials)?;
    let client = oauth_client(cfg, Some(secret), None)?;
    let http = http()?;
    let resp = client
        .exchange_client_credentials()
        .request_async(&http.as_fn())
        .await
        .map_err(LoginError::from_token_error)?;
    tracing::info!("client-credentials token obtained");
    Ok(login_from_response(
        &resp,
        AuthFlow::ClientCredentials,
        &client_id,
        &[],
        SystemTime::now(),
    ))
}

/// Uses the refresh token of `login` for a new access token. A rotated
/// refresh token replaces the old one; otherwise the old one is kept.
pub async fn refresh_login(
    cfg: &SpotifyConfig,
    login: &StoredLogin,
) -> Result<StoredLogin, LoginError> {
    let Some(refresh) = &login.refresh_token else {
        return Err(LoginError::InvalidGrant(Some(
            "this login has no refresh token".into(),
        )));
    };
    let secret = match login.flow {
        AuthFlow::AuthorizationCode => client_secret(cfg),
        _ => None,
    };
    let client = oauth_client(cfg, secret, None)?;
    let http = http()?;
    let resp = client
        .exchange_refresh_token(&RefreshToken::new(refresh.expose().to_string()))
        .request_async(&http.as_fn())
        .await
        .map_err(LoginError::from_token_error)?;
    let mut fresh = login_from_response(
        &resp,
        login.flow,
        &login.client_id,
        &login.scopes,
        SystemTime::now(),
    );
    let rotated = fresh.refresh_token.is_some();
    if !rotated {
        fresh.refresh_token = login.refresh_token.clone();
    }
    tracing::info!(rotated, "access token refreshed");
    Ok(fresh)
}
