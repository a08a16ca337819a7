//! The `oauth2` client for the configured Accounts service, and conversion
//! of token responses into a [`StoredLogin`].

use std::time::SystemTime;

use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{
    AuthUrl, ClientId, ClientSecret, EndpointNotSet, EndpointSet, RedirectUrl, TokenResponse,
    TokenUrl,
};

use super::error::LoginError;
use super::store::StoredLogin;
use crate::config::{AuthFlow, SpotifyConfig};
use crate::token::Secret;

/// An `oauth2` client with authorize and token endpoints set.
pub type SpotifyOAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// `{accounts_base}/authorize`.
pub fn authorize_url(accounts_base: &str) -> String {
    format!("{}/authorize", accounts_base.trim_end_matches('/'))
}

/// `{accounts_base}/api/token`.
pub fn token_url(accounts_base: &str) -> String {
    format!("{}/api/token", accounts_base.trim_end_matches('/'))
}

/// The loopback redirect URI for `port`; always `127.0.0.1`, never `localhost`.
pub fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}/callback")
}

/// The client secret from the config (which already includes
/// `SPOTDECK_CLIENT_SECRET`), ignoring an empty one.
pub fn client_secret(cfg: &SpotifyConfig) -> Option<&Secret> {
    cfg.client_secret
        .as_ref()
        .filter(|s| !s.expose().trim().is_empty())
}

/// Fails with a helpful message when no client id is configured.
pub fn require_client_id(cfg: &SpotifyConfig) -> Result<&str, LoginError> {
    let id = cfg.client_id.trim();
    if id.is_empty() {
        return Err(LoginError::Config(
            "no Spotify client id: create an app at https://developer.spotify.com/dashboard, \
             then set `client_id` under [spotify] in config.toml or SPOTDECK_CLIENT_ID \
             (or try `spotdeck --demo`)"
                .into(),
        ));
    }
    Ok(id)
}

/// The client secret, or a message saying which flow needs it.
pub fn require_client_secret(cfg: &SpotifyConfig, flow: AuthFlow) -> Result<&Secret, LoginError> {
    client_secret(cfg).ok_or_else(|| {
        LoginError::Config(format!(
            "auth_flow = \"{}\" needs the app's client secret: set `client_secret` under \
             [spotify] or SPOTDECK_CLIENT_SECRET (or use the default `pkce` flow, which needs none)",
            flow_name(flow)
        ))
    })
}

/// The config name of a flow.
pub fn flow_name(flow: AuthFlow) -> &'static str {
    match flow {
        AuthFlow::Pkce => "pkce",
        AuthFlow::AuthorizationCode => "authorization_code",
        AuthFlow::Implicit => "implicit",
        AuthFlow::ClientCredentials => "client_credentials",
    }
}

/// Builds the client. With a secret it authenticates with HTTP Basic;
/// without one it sends `client_id` in the form body (PKCE, refresh).
pub fn oauth_client(
    cfg: &SpotifyConfig,
    secret: Option<&Secret>,
    redirect: Option<&str>,
) -> Result<SpotifyOAuthClient, LoginError> {
    let client_id = require_client_id(cfg)?;
    let bad_url = |what: &str, e: url::ParseError| {
        LoginError::Config(format!(
            "accounts_base `{}` does not give a valid {what} URL: {e}",
            cfg.accounts_base
        ))
    };
    let auth =
        AuthUrl::new(authorize_url(&cfg.accounts_base)).map_err(|e| bad_url("authorize", e))?;
    let token = TokenUrl::new(token_url(&cfg.accounts_base)).map_err(|e| bad_url("token", e))?;
    let mut client = BasicClient::new(ClientId::new(client_id.to_string()))
        .set_auth_uri(auth)
        .set_token_uri(token);
    if let Some(s) = secret {
        client = client.set_client_secret(ClientSecret::new(s.expose().to_string()));
    }
    if let Some(r) = redirect {
        let r = RedirectUrl::new(r.to_string())
            .map_err(|e| LoginError::Config(format!("bad redirect URI: {e}")))?;
        client = client.set_redirect_uri(r);
    }
    Ok(client)
}

/// Turns a token response into a stored login. Scopes default to
/// `requested` when the response omits them (RFC 6749 §5.1).
pub fn login_from_response(
    resp: &BasicTokenResponse,
    flow: AuthFlow,
    client_id: &str,
    requested: &[String],
    now: SystemTime,
) -> StoredLogin {
    let mut login = StoredLogin {
        client_id: client_id.to_string(),
        flow,
        access_token: Secret::new(resp.access_token().secret().clone()),
        refresh_token: resp
            .refresh_token()
            .map(|r| Secret::new(r.secret().clone())),
        expires_at: None,
        scopes: match resp.scopes() {
            Some(s) => s.iter().map(|s| s.to_string()).collect(),
            None => requested.to_vec(),
        },
    };
    login.set_expires_in(now, resp.expires_in());
    login
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_come_from_the_accounts_base() {
        assert_eq!(
            authorize_url("http://127.0.0.1:9/"),
            "http://127.0.0.1:9/authorize"
        );
        assert_eq!(
            token_url("http://127.0.0.1:9"),
            "http://127.0.0.1:9/api/token"
        );
        assert_eq!(redirect_uri(8888), "http://127.0.0.1:8888/callback");
    }

    #[test]
    fn fixture_token_responses_convert() {
        let dir = std::env::var("SPOTDECK_FIXTURES").unwrap_or_else(|_| {
            format!(
                "{}/../shared/reference/fixtures",
                env!("CARGO_MANIFEST_DIR")
            )
        });
        let now = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(100);
        let read = |name: &str| -> BasicTokenResponse {
            let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
            serde_json::from_str(&text).unwrap()
        };
        let code = login_from_response(
            &read("token_authorization_code.json"),
            AuthFlow::AuthorizationCode,
            "c",
            &[],
            now,
        );
        assert!(code.refresh_token.is_some());
        assert_eq!(code.expires_at, Some(3700));
        assert_eq!(code.scopes, vec!["user-read-birthdate", "user-read-email"]);
        let requested = vec!["x".to_string()];
        let cc = login_from_response(
            &read("token_client_credentials.json"),
            AuthFlow::ClientCredentials,
            "c",
            &requested,
            now,
        );
        assert!(cc.refresh_token.is_none());
        assert_eq!(cc.scopes, requested);
        let refresh = login_from_response(
            &read("token_refresh_pkce.json"),
            AuthFlow::Pkce,
            "c",
            &[],
            now,
        );
        assert_eq!(refresh.scopes, vec!["user-follow-modify"]);
        let err: oauth2::basic::BasicErrorResponse = serde_json::from_str(
            &std::fs::read_to_string(format!("{dir}/token_error_invalid_client.json")).unwrap(),
        )
        .unwrap();
        let mapped = LoginError::from_token_error(oauth2::RequestTokenError::ServerResponse(err));
        assert!(mapped.to_string().contains("invalid_client"), "{mapped}");
    }
}
