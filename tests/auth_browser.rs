//! Real-browser logins against the simulator: headless Chromium follows the
//! authorize redirect to spotdeck's loopback listener; for the implicit grant
//! the page's JavaScript must run and POST the fragment.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod auth_support;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use auth_support::dirs;
use spotdeck::auth::{BrowserOpener, LoginOptions, token_source_with};
use spotdeck::config::{AuthFlow, Config};
use spotdeck::sim::{self, SimOptions};
use spotdeck::token::TokenSource;

/// The names `.ci/run` looks for on `PATH`, in the same order.
const CHROMIUM_NAMES: [&str; 2] = ["chromium", "chromium-browser"];

/// Chromium: `SPOTDECK_CHROMIUM` (which `.ci/run` sets), else the first of
/// [`CHROMIUM_NAMES`] on `PATH`, as `command -v` finds it. `None` (skip)
/// outside CI; in CI a missing browser fails.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SPOTDECK_CHROMIUM").map(PathBuf::from) {
        assert!(
            p.is_file(),
            "SPOTDECK_CHROMIUM={} does not exist",
            p.display()
        );
        return Some(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = CHROMIUM_NAMES.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_some() {
        return found;
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "neither chromium nor chromium-browser is on PATH: install the Debian package `chromium` (or set SPOTDECK_CHROMIUM)"
        );
    }
    eprintln!("skipping: chromium is not installed (apt-get install chromium)");
    None
}

struct Browser {
    children: Arc<Mutex<Vec<Child>>>,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        for mut c in self.children.lock().unwrap().drain(..) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn chromium_opener(bin: PathBuf) -> (BrowserOpener, Browser) {
    let profile = tempfile::tempdir().unwrap();
    let children = Arc::new(Mutex::new(Vec::new()));
    let dir = profile.path().to_path_buf();
    let kids = children.clone();
    let opener: BrowserOpener = Arc::new(move |url: &str| {
        let child = Command::new(&bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ])
            .arg(format!("--user-data-dir={}", dir.display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        kids.lock().unwrap().push(child);
        Ok(())
    });
    (
        opener,
        Browser {
            children,
            _profile: profile,
        },
    )
}

async fn browser_login(flow: AuthFlow) {
    let Some(bin) = chromium() else { return };
    let h = sim::start(SimOptions::default()).await.unwrap();
    h.set_auto_approve(true);
    h.set_implicit_grant_allowed(true);
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = Config::default();
    cfg.spotify.accounts_base = h.accounts_base();
    cfg.spotify.api_base = h.api_base();
    cfg.spotify.client_id = sim::DEMO_CLIENT_ID.into();
    cfg.spotify.auth_flow = flow;
    cfg.spotify.redirect_port = 0;
    cfg.spotify.login_timeout_secs = 60;
    let (opener, _browser) = chromium_opener(bin);
    let source = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap();
    let tok = source.access_token().await.unwrap();
    // The token works against the simulated Web API.
    let me = reqwest::Client::new()
        .get(format!("{}/me", cfg.spotify.api_base))
        .bearer_auth(tok.value.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status().as_u16(), 200);
    let stored = spotdeck::auth::TokenStore::new(&dirs(tmp.path()))
        .load()
        .unwrap()
        .unwrap();
    assert_eq!(stored.flow, flow);
}

#[tokio::test]
async fn chromium_pkce_login() {
    browser_login(AuthFlow::Pkce).await;
}

#[tokio::test]
async fn chromium_implicit_login_runs_the_fragment_script() {
    browser_login(AuthFlow::Implicit).await;
}
