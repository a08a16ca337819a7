//! Picks where the app talks to and with which token: the embedded simulator
//! in demo mode, a pasted token, or a real login.

use std::sync::Arc;

use crate::config::{Config, Dirs};
use crate::sim::{self, SimHandle, SimOptions};
use crate::spotify::Client;
use crate::spotify::journal::{self, Journal};
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
    /// Things the user must hear about at start (an interrupted playlist
    /// removal finished or not); also printed on stderr.
    pub notices: Vec<String>,
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
            notices: Vec::new(),
        });
    }
    let journal = Journal::at(dirs.data.join(journal::JOURNAL_FILE));
    journal::install(journal.clone());
    let (tokens, app_only): (Arc<dyn TokenSource>, bool) =
        match std::env::var("SPOTDECK_ACCESS_TOKEN") {
            Ok(tok) if !tok.trim().is_empty() => {
                crate::token::check_pasted(tok.trim()).map_err(anyhow::Error::msg)?;
                tracing::info!("using the access token from SPOTDECK_ACCESS_TOKEN");
                (Arc::new(StaticToken(AccessToken::bare(tok.trim()))), false)
            }
            _ => (
                crate::auth::token_source(&config, dirs).await?,
                config.spotify.auth_flow == crate::config::AuthFlow::ClientCredentials,
            ),
        };
    let notices = finish_interrupted(&config, tokens.clone(), &journal).await;
    Ok(Session {
        config,
        tokens,
        sim: None,
        app_only,
        notices,
    })
}

/// Finishes removals an earlier run left half done, and says so on stderr.
async fn finish_interrupted(
    config: &Config,
    tokens: Arc<dyn TokenSource>,
    journal: &Journal,
) -> Vec<String> {
    if !journal.path().exists() {
        return Vec::new();
    }
    let client = match Client::new(&config.spotify.api_base, tokens) {
        Ok(c) => c.with_journal(journal.clone()),
        Err(e) => return vec![e.sentence()],
    };
    let notices = journal::finish_pending(&client, journal).await;
    for n in &notices {
        tracing::info!("{n}");
        eprintln!("spotdeck: {}", crate::text::clean_line(n));
    }
    notices
}
