//! Picks where the app talks to and with which token: the embedded simulator
//! in demo mode, a pasted token, or a real login.

use std::sync::Arc;

use crate::config::{Config, Dirs};
use crate::sim::{self, SimHandle, SimOptions};
use crate::token::{AccessToken, StaticToken, TokenSource};

/// A ready connection: the config to use and a token source.
pub struct Session {
    /// Config with service URLs filled in.
    pub config: Config,
    /// Token source for the Web API client.
    pub tokens: Arc<dyn TokenSource>,
    /// The embedded simulator, kept alive in demo mode.
    pub sim: Option<SimHandle>,
    /// Logged in with an app-only (client credentials) token.
    pub app_only: bool,
}

/// Connects: demo simulator, `SPOTDECK_ACCESS_TOKEN`, or the stored login.
pub async fn connect(mut config: Config, dirs: &Dirs, demo: bool) -> anyhow::Result<Session> {
    if demo {
        let handle = sim::start(SimOptions::default()).await?;
        config.spotify.api_base = handle.api_base();
        config.spotify.accounts_base = handle.accounts_base();
        let tokens: Arc<dyn TokenSource> =
            Arc::new(StaticToken(AccessToken::bare(handle.demo_token())));
        return Ok(Session {
            config,
            tokens,
            sim: Some(handle),
            app_only: false,
        });
    }
    if let Ok(tok) = std::env::var("SPOTDECK_ACCESS_TOKEN")
        && !tok.trim().is_empty()
    {
        tracing::info!("using the access token from SPOTDECK_ACCESS_TOKEN");
        return Ok(Session {
            config,
            tokens: Arc::new(StaticToken(AccessToken::bare(tok.trim()))),
            sim: None,
            app_only: false,
        });
    }
    let app_only = config.spotify.auth_flow == crate::config::AuthFlow::ClientCredentials;
    let tokens = crate::auth::token_source(&config, dirs).await?;
    Ok(Session {
        config,
        tokens,
        sim: None,
        app_only,
    })
}
