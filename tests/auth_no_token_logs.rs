//! A full login, refresh and failed refresh with TRACE logging to a file:
//! no token, code or secret may appear in the log.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod auth_support;

use std::sync::Mutex;

use auth_support::{CLIENT_SECRET, Fake, dirs, http_browser};
use spotdeck::auth::{LoginOptions, token_source_with};
use spotdeck::config::AuthFlow;
use spotdeck::token::{TokenError, TokenSource};

#[tokio::test]
async fn logs_never_contain_tokens() {
    let tmp = tempfile::tempdir().unwrap();
    let log_path = tmp.path().join("spotdeck.log");
    let file = std::fs::File::create(&log_path).unwrap();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let fake = Fake::start().await;
    for flow in [
        AuthFlow::Pkce,
        AuthFlow::AuthorizationCode,
        AuthFlow::Implicit,
        AuthFlow::ClientCredentials,
    ] {
        let data = tempfile::tempdir().unwrap();
        let cfg = fake.config(flow);
        let (opener, _replies) = http_browser();
        let source = token_source_with(&cfg, &dirs(data.path()), &LoginOptions::new(opener))
            .await
            .unwrap();
        source.access_token().await.unwrap();
        if matches!(flow, AuthFlow::Pkce | AuthFlow::AuthorizationCode) {
            source.refresh_after_rejection().await.unwrap();
            // Revoke everything, then fail a refresh (invalid_grant path).
            fake.state.lock().unwrap().refresh.clear();
            let err = source.refresh_after_rejection().await.unwrap_err();
            assert!(
                matches!(err, TokenError::LoginRequired(_)),
                "{flow:?}: a revoked refresh token means a new login: {err}"
            );
        }
        let _ = spotdeck::auth::doctor::diagnose(&cfg, &dirs(data.path()), None).await;
    }

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("login succeeded"),
        "the test must capture spotdeck's logs:\n{log}"
    );
    assert!(log.contains("access token refreshed"), "{log}");
    let issued = fake.state.lock().unwrap().issued.clone();
    assert!(issued.len() >= 8, "issued {}", issued.len());
    for secret in issued.iter().map(String::as_str).chain([CLIENT_SECRET]) {
        assert!(!log.contains(secret), "log leaks `{secret}`");
    }
}
