//! Login flows (PKCE, authorization code, client credentials, implicit grant)
//! and token storage.
//!
//! - [`login`]: the flows themselves; [`listener`]: the loopback redirect.
//! - [`store`]: `tokens.json` (0600, atomic). [`refresh`]: the token source.
//! - [`scopes`]: what spotdeck asks for and why. [`doctor`]: `spotdeck doctor`.

pub mod doctor;
pub mod error;
pub mod http;
pub mod listener;
pub mod login;
pub mod oauth;
pub mod refresh;
pub mod scopes;
pub mod store;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::SystemTime;

pub use error::LoginError;
pub use login::{BrowserOpener, LoginOptions, system_browser};
pub use refresh::{RefreshingTokenSource, SessionKind};
pub use scopes::{SCOPES, missing_scope_message};
pub use store::{StoredLogin, TokenStore};

use crate::cli::Command;
use crate::config::{AuthFlow, Config, Dirs};
use crate::token::TokenSource;

/// The token source for a real account: stored login, refreshed as needed,
/// or an interactive login when there is none.
pub async fn token_source(config: &Config, dirs: &Dirs) -> anyhow::Result<Arc<dyn TokenSource>> {
    let source = token_source_with(config, dirs, &LoginOptions::new(system_browser())).await?;
    Ok(source)
}

/// [`token_source`] with an explicit browser opener and scopes (tests).
pub async fn token_source_with(
    config: &Config,
    dirs: &Dirs,
    opts: &LoginOptions,
) -> Result<Arc<RefreshingTokenSource>, LoginError> {
    let cfg = &config.spotify;
    let client_id = oauth::require_client_id(cfg)?.to_string();
    if cfg.auth_flow == AuthFlow::ClientCredentials {
        let login = login::client_credentials_token(cfg).await?;
        return Ok(Arc::new(RefreshingTokenSource::new(
            cfg.clone(),
            login,
            None,
        )));
    }
    let store = TokenStore::new(dirs);
    match store.load() {
        Ok(Some(l))
            if l.client_id == client_id
                && l.flow != AuthFlow::ClientCredentials
                && l.is_usable(SystemTime::now(), refresh::REFRESH_MARGIN) =>
        {
            tracing::info!(flow = ?l.flow, "using the stored login");
            return Ok(Arc::new(RefreshingTokenSource::new(
                cfg.clone(),
                l,
                Some(store),
            )));
        }
        Ok(Some(l)) if l.client_id != client_id => {
            tracing::info!("stored login is for another app; logging in");
            eprintln!(
                "spotdeck: the login in {} was made with another client id.",
                store.path().display()
            );
        }
        Ok(Some(_)) => {
            tracing::info!("stored login is expired; logging in");
            eprintln!(
                "spotdeck: the login in {} has expired and cannot be renewed.",
                store.path().display()
            );
        }
        Ok(None) => tracing::info!("no stored login; logging in"),
        // A damaged or unreadable file is reported, never silently replaced
        // by a browser login.
        Err(e) => return Err(e.into()),
    }
    eprintln!(
        "spotdeck: not logged in; starting the {} login (a browser opens; \
         Ctrl-C stops it).",
        oauth::flow_name(cfg.auth_flow)
    );
    let l = login::login(cfg, opts).await?;
    store.save(&l)?;
    Ok(Arc::new(RefreshingTokenSource::new(
        cfg.clone(),
        l,
        Some(store),
    )))
}

/// Runs `login`, `logout`, `auth` and `doctor`.
pub async fn run_command(cmd: &Command, config: &Config, dirs: &Dirs) -> anyhow::Result<ExitCode> {
    run_command_with(cmd, config, dirs, &LoginOptions::new(system_browser())).await
}

/// [`run_command`] with an explicit browser opener (tests).
pub async fn run_command_with(
    cmd: &Command,
    config: &Config,
    dirs: &Dirs,
    opts: &LoginOptions,
) -> anyhow::Result<ExitCode> {
    let cfg = &config.spotify;
    let store = TokenStore::new(dirs);
    match cmd {
        Command::Login => {
            let l = login::login(cfg, opts).await?;
            if l.flow == AuthFlow::ClientCredentials {
                println!(
                    "Client credentials work: got an app-only token. Nothing is stored; \
                     spotdeck requests one at each start. Playback, devices and your \
                     playlists need a user login (auth_flow = \"pkce\")."
                );
                return Ok(ExitCode::SUCCESS);
            }
            store.save(&l)?;
            println!(
                "Logged in ({} flow). Login stored in {}.",
                oauth::flow_name(l.flow),
                store.path().display()
            );
            if let Some(msg) = missing_scope_message(&l.scopes) {
                println!("Note: {msg}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Logout => {
            if store.delete()? {
                println!("Logged out: removed {}.", store.path().display());
            } else {
                println!("Not logged in (no {}).", store.path().display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Auth => {
            if matches!(
                cfg.auth_flow,
                AuthFlow::Implicit | AuthFlow::ClientCredentials
            ) {
                anyhow::bail!(
                    "auth_flow = \"{}\" gives no refresh token; use \"pkce\" or \"authorization_code\"",
                    oauth::flow_name(cfg.auth_flow)
                );
            }
            let client_id = oauth::require_client_id(cfg)?;
            let stored = match store.load() {
                Ok(Some(l)) if l.client_id == client_id && l.refresh_token.is_some() => Some(l),
                Ok(_) => None,
                Err(e) => return Err(e.into()),
            };
            let l = match stored {
                Some(l) => l,
                None => {
                    let l = login::login(cfg, opts).await?;
                    store.save(&l)?;
                    l
                }
            };
            let Some(refresh) = &l.refresh_token else {
                anyhow::bail!("the Accounts service returned no refresh token");
            };
            eprintln!(
                "Refresh token for client {client_id} (keep it secret; `spotdeck logout` does not revoke it):"
            );
            // A token is plain ASCII; anything else must not reach the terminal.
            println!("{}", crate::text::clean_line(refresh.expose()));
            Ok(ExitCode::SUCCESS)
        }
        Command::Doctor => {
            let pasted = std::env::var("SPOTDECK_ACCESS_TOKEN").ok();
            let report = doctor::diagnose(config, dirs, pasted.as_deref()).await;
            print!("{}", crate::text::clean_text(&report.render()));
            Ok(if report.passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        other => anyhow::bail!("not an auth command: {other:?}"),
    }
}
