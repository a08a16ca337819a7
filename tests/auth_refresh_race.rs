//! Never lose the login: two processes refreshing at once with rotating
//! refresh tokens, a login replaced by another process, a revoked login
//! (one clear "log in again", no loop), and a renewed login that cannot be
//! saved.
#![allow(clippy::unwrap_used)]

mod security_support;

use std::sync::Arc;

use security_support::run_spotdeck;
use spotdeck::auth::scopes::scope_names;
use spotdeck::auth::{RefreshingTokenSource, StoredLogin, TokenStore};
use spotdeck::config::{AuthFlow, Config};
use spotdeck::sim::{self, DEMO_CLIENT_ID, RefreshRotation, SimHandle, SimOptions};
use spotdeck::token::{Secret, TokenError, TokenSource};

fn login(refresh: String, expires_at: u64) -> StoredLogin {
    StoredLogin {
        client_id: DEMO_CLIENT_ID.into(),
        flow: AuthFlow::Pkce,
        access_token: Secret::new(format!("stale-{expires_at}")),
        refresh_token: Some(Secret::new(refresh)),
        expires_at: Some(expires_at),
        scopes: scope_names(),
    }
}

fn config(h: &SimHandle) -> Config {
    let mut c = Config::default();
    c.spotify.accounts_base = h.accounts_base();
    c.spotify.api_base = h.api_base();
    c.spotify.client_id = DEMO_CLIENT_ID.into();
    c
}

async fn sim_with_rotation() -> SimHandle {
    let h = sim::start(SimOptions::default()).await.unwrap();
    h.set_refresh_rotation(RefreshRotation::Always);
    h
}

fn now_secs() -> u64 {
    spotdeck::auth::store::unix_secs(std::time::SystemTime::now())
}

#[tokio::test]
async fn two_processes_refreshing_at_once_keep_the_login() {
    let h = sim_with_rotation().await;
    // Slow token answers: both processes read the file before either writes.
    h.set_latency_ms(300);
    let home = tempfile::tempdir().unwrap();
    let store = TokenStore::at(home.path().join("data/tokens.json"));
    store.save(&login(h.issue_refresh_token(), 1)).unwrap();
    let env = [
        ("SPOTDECK_CLIENT_ID", DEMO_CLIENT_ID.to_string()),
        ("SPOTDECK_API_BASE", h.api_base()),
        ("SPOTDECK_ACCOUNTS_BASE", h.accounts_base()),
    ];
    let args = ["status", "--json"];
    for round in 0..3 {
        let before = store.load().unwrap().unwrap();
        let (a, b) = tokio::join!(
            run_spotdeck(home.path(), &env, &args, 90),
            run_spotdeck(home.path(), &env, &args, 90)
        );
        for out in [&a, &b] {
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let after = store
            .load()
            .unwrap()
            .unwrap_or_else(|| panic!("round {round}: the token file was deleted"));
        assert_ne!(after.refresh_token, before.refresh_token, "rotated");
        // Expire it again for the next round.
        let mut again = after.clone();
        again.expires_at = Some(1);
        store.save(&again).unwrap();
    }
    assert_eq!(h.token_request_count(), 3, "one refresh per round");
}

#[tokio::test]
async fn a_login_written_by_another_process_is_adopted_not_deleted() {
    let h = sim_with_rotation().await;
    let tmp = tempfile::tempdir().unwrap();
    let store = TokenStore::at(tmp.path().join("tokens.json"));
    let ours = login(h.issue_refresh_token(), 1);
    store.save(&ours).unwrap();
    let source = RefreshingTokenSource::new(config(&h).spotify, ours.clone(), Some(store.clone()));
    // Another process refreshed meanwhile: our refresh token is spent.
    assert!(h.revoke_refresh_token(ours.refresh_token.as_ref().unwrap().expose()));
    let mut theirs = login(h.issue_refresh_token(), now_secs() + 3600);
    theirs.access_token = Secret::new(h.issue_full_token());
    store.save(&theirs).unwrap();
    let before = h.token_request_count();
    let tok = source.access_token().await.unwrap();
    assert_eq!(tok.value, theirs.access_token);
    assert_eq!(h.token_request_count(), before, "no refresh needed");
    assert_eq!(
        store.load().unwrap(),
        Some(theirs.clone()),
        "file untouched"
    );

    // The same after a 401: their token is newer than the rejected one.
    let source = RefreshingTokenSource::new(config(&h).spotify, ours, Some(store.clone()));
    let tok = source.refresh_after_rejection().await.unwrap();
    assert_eq!(tok.value, theirs.access_token);
    assert_eq!(store.load().unwrap(), Some(theirs));
}

#[tokio::test]
async fn an_expired_refresh_token_means_one_clear_log_in_again() {
    let h = sim_with_rotation().await;
    let tmp = tempfile::tempdir().unwrap();
    let store = TokenStore::at(tmp.path().join("tokens.json"));
    let ours = login(h.issue_refresh_token(), 1);
    store.save(&ours).unwrap();
    assert!(h.revoke_refresh_token(ours.refresh_token.as_ref().unwrap().expose()));
    let source = Arc::new(RefreshingTokenSource::new(
        config(&h).spotify,
        ours,
        Some(store.clone()),
    ));
    let before = h.token_request_count();
    let calls: Vec<_> = (0..8)
        .map(|i| {
            let s = source.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    s.access_token().await
                } else {
                    s.refresh_after_rejection().await
                }
            })
        })
        .collect();
    for c in calls {
        match c.await.unwrap() {
            Err(TokenError::LoginRequired(m)) => {
                let text = TokenError::LoginRequired(m).to_string();
                assert!(text.contains("spotdeck login"), "{text}");
            }
            other => panic!("expected LoginRequired, got {other:?}"),
        }
    }
    for _ in 0..5 {
        assert!(matches!(
            source.access_token().await,
            Err(TokenError::LoginRequired(_))
        ));
    }
    assert_eq!(h.token_request_count(), before + 1, "no refresh loop");
    assert!(
        store.load().unwrap().is_none(),
        "the refused login is removed"
    );
}

#[tokio::test]
async fn a_renewed_login_that_cannot_be_saved_is_reported_with_the_path() {
    let h = sim_with_rotation().await;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let store = TokenStore::at(data.join("tokens.json"));
    let ours = login(h.issue_refresh_token(), 1);
    store.save(&ours).unwrap();
    let source = RefreshingTokenSource::new(config(&h).spotify, ours, Some(store.clone()));
    // The data directory becomes unwritable (works as root too: it is a file now).
    std::fs::remove_dir_all(&data).unwrap();
    std::fs::write(&data, "not a directory").unwrap();
    assert!(source.persist_problem().is_none());
    source.access_token().await.unwrap();
    let dyn_source: &dyn TokenSource = &source;
    let problem = dyn_source
        .persist_problem()
        .expect("the failure is reported");
    assert!(
        problem.contains(&store.path().display().to_string()),
        "{problem}"
    );
    assert!(problem.contains("spotdeck login"), "{problem}");
    assert!(problem.contains("writable"), "{problem}");
}

/// Waits (polling, at most 30 s) until `file` contains `needle`.
async fn wait_for_text(file: &std::path::Path, needle: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if std::fs::read_to_string(file).is_ok_and(|t| t.contains(needle)) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{needle:?} never appeared in {}",
            file.display()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_cli_reports_an_unsaved_login_at_once() {
    let h = sim_with_rotation().await;
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let store = TokenStore::at(data.join("tokens.json"));
    store.save(&login(h.issue_refresh_token(), 1)).unwrap();
    // Hold the refresh lock so the CLI stops after reading its login…
    let held = store.lock(std::time::Duration::from_secs(5)).await.unwrap();
    let env = [
        ("SPOTDECK_CLIENT_ID", DEMO_CLIENT_ID.to_string()),
        ("SPOTDECK_API_BASE", h.api_base()),
        ("SPOTDECK_ACCOUNTS_BASE", h.accounts_base()),
    ];
    let run = tokio::spawn({
        let home = home.path().to_path_buf();
        async move { run_spotdeck(&home, &env, &["devices"], 90).await }
    });
    let log = home.path().join("state/spotdeck.log");
    wait_for_text(&log, "using the stored login").await;
    // …then make its data directory unwritable (a file now: works as root).
    std::fs::remove_dir_all(&data).unwrap();
    std::fs::write(&data, "not a directory").unwrap();
    drop(held);
    let out = run.await.unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("could not be saved"), "{err}");
    assert!(err.contains(&store.path().display().to_string()), "{err}");
    assert!(err.contains("spotdeck login"), "{err}");
}
