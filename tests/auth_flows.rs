//! Login flows, token storage and refresh against a fake Accounts service.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod auth_support;

use std::time::SystemTime;

use auth_support::{CLIENT_ID, Fake, custom_browser, dirs, http_browser, params_of};
use spotdeck::auth::{
    LoginError, LoginOptions, RefreshingTokenSource, SessionKind, StoredLogin, TokenStore,
    token_source_with,
};
use spotdeck::config::AuthFlow;
use spotdeck::token::{Secret, TokenError, TokenSource};

fn store_of(tmp: &std::path::Path) -> TokenStore {
    TokenStore::new(&dirs(tmp))
}

#[tokio::test]
async fn pkce_login_stores_a_private_token_and_reuses_it() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = fake.config(AuthFlow::Pkce);
    let (opener, mut replies) = http_browser();
    let source = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap();
    let (status, page) = replies.recv().await.unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("close this tab"), "{page}");
    assert_eq!(source.session_kind(), SessionKind::User);
    let tok = source.access_token().await.unwrap();
    assert!(
        fake.state
            .lock()
            .unwrap()
            .access
            .contains(&tok.value.expose().to_string())
    );
    assert!(tok.scopes.iter().any(|s| s == "user-modify-playback-state"));

    let stored = store_of(tmp.path()).load().unwrap().unwrap();
    assert_eq!(stored.flow, AuthFlow::Pkce);
    assert_eq!(stored.client_id, CLIENT_ID);
    assert!(stored.refresh_token.is_some());
    let exp = stored.expires_at.unwrap();
    let now = spotdeck::auth::store::unix_secs(SystemTime::now());
    assert!(
        exp > now + 3500 && exp <= now + 3601,
        "absolute expiry {exp} vs now {now}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store_of(tmp.path()).path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Second start: no browser, same token.
    let never = custom_browser(|_| async { panic!("must not open a browser") });
    let again = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(never))
        .await
        .unwrap();
    assert_eq!(again.access_token().await.unwrap().value, tok.value);
}

#[tokio::test]
async fn authorization_code_with_secret_logs_in() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = fake.config(AuthFlow::AuthorizationCode);
    let (opener, mut replies) = http_browser();
    let source = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap();
    assert_eq!(replies.recv().await.unwrap().0, 200);
    source.access_token().await.unwrap();
    let stored = store_of(tmp.path()).load().unwrap().unwrap();
    assert_eq!(stored.flow, AuthFlow::AuthorizationCode);
    assert!(stored.refresh_token.is_some());
}

#[tokio::test]
async fn authorization_code_without_secret_is_a_config_error() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = fake.config(AuthFlow::AuthorizationCode);
    cfg.spotify.client_secret = None;
    let never = custom_browser(|_| async { panic!("must not open a browser") });
    let err = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(never))
        .await
        .unwrap_err();
    assert!(
        matches!(err, LoginError::Config(ref m) if m.contains("SPOTDECK_CLIENT_SECRET")),
        "{err}"
    );
}

#[tokio::test]
async fn client_credentials_is_app_only_and_not_stored() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = fake.config(AuthFlow::ClientCredentials);
    let never = custom_browser(|_| async { panic!("must not open a browser") });
    let source = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(never))
        .await
        .unwrap();
    assert!(source.is_app_only());
    let as_dyn: &dyn TokenSource = source.as_ref();
    assert!(as_dyn.is_app_only());
    let first = source.access_token().await.unwrap();
    assert!(first.value.expose().starts_with("cc-"));
    assert!(store_of(tmp.path()).load().unwrap().is_none());
    // No refresh token: a rejection fetches a new app token.
    let second = source.refresh_after_rejection().await.unwrap();
    assert_ne!(first.value, second.value);
    assert_eq!(fake.refresh_calls(), 0);
}

#[tokio::test]
async fn implicit_grant_posts_the_fragment_and_expires_without_refresh() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = fake.config(AuthFlow::Implicit);
    let (opener, mut replies) = http_browser();
    let source = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap();
    let (status, text) = replies.recv().await.unwrap();
    assert_eq!(status, 200, "{text}");
    let tok = source.access_token().await.unwrap();
    assert!(tok.value.expose().starts_with("implicit-at-"));
    let stored = store_of(tmp.path()).load().unwrap().unwrap();
    assert_eq!(stored.flow, AuthFlow::Implicit);
    assert!(stored.refresh_token.is_none());
    // A rejected implicit token cannot be renewed.
    let err = source.refresh_after_rejection().await.unwrap_err();
    assert!(
        matches!(err, TokenError::LoginRequired(ref m) if m.contains("log in again")),
        "{err}"
    );

    // With a 30 s lifetime the token is already inside the refresh margin.
    fake.state.lock().unwrap().expires_in = Some(30);
    let tmp2 = tempfile::tempdir().unwrap();
    let (opener, _replies) = http_browser();
    let short = token_source_with(&cfg, &dirs(tmp2.path()), &LoginOptions::new(opener))
        .await
        .unwrap();
    let err = short.access_token().await.unwrap_err();
    assert!(matches!(err, TokenError::LoginRequired(_)), "{err}");
}

#[tokio::test]
async fn wrong_state_is_ignored_until_the_timeout() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = fake.config(AuthFlow::Pkce);
    cfg.spotify.login_timeout_secs = 3;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let opener = custom_browser(move |url| {
        let tx = tx.clone();
        async move {
            let q = params_of(url.split_once('?').unwrap().1);
            let cb = format!("{}?code=forged&state=not-the-state", q["redirect_uri"]);
            let r = reqwest::get(cb).await.unwrap();
            let _ = tx.send((r.status().as_u16(), r.text().await.unwrap()));
        }
    });
    let err = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap_err();
    assert!(matches!(err, LoginError::Timeout(3)), "{err}");
    let (status, page) = rx.recv().await.unwrap();
    assert_eq!(status, 400);
    assert!(page.contains("wrong or missing `state`"), "{page}");
    assert!(page.contains("ignored"), "{page}");
    assert!(store_of(tmp.path()).load().unwrap().is_none());
}

#[tokio::test]
async fn access_denied_is_reported() {
    let fake = Fake::start().await;
    fake.state.lock().unwrap().deny = true;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = fake.config(AuthFlow::Pkce);
    let (opener, mut replies) = http_browser();
    let err = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap_err();
    assert!(
        matches!(err, LoginError::Denied { ref error, .. } if error == "access_denied"),
        "{err}"
    );
    assert!(err.to_string().contains("access_denied"));
    let (status, page) = replies.recv().await.unwrap();
    assert_eq!(status, 400);
    assert!(page.contains("access_denied"), "{page}");
}

#[tokio::test]
async fn login_times_out_when_the_browser_never_returns() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = fake.config(AuthFlow::Pkce);
    cfg.spotify.login_timeout_secs = 1;
    let idle = custom_browser(|_| async {});
    let err = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(idle))
        .await
        .unwrap_err();
    assert!(matches!(err, LoginError::Timeout(1)), "{err}");
}

fn expiring_login(rt: &str) -> StoredLogin {
    StoredLogin {
        client_id: CLIENT_ID.into(),
        flow: AuthFlow::Pkce,
        access_token: Secret::new("old-access"),
        refresh_token: Some(Secret::new(rt)),
        expires_at: Some(spotdeck::auth::store::unix_secs(SystemTime::now()) + 10),
        scopes: vec!["user-read-private".into()],
    }
}

#[tokio::test]
async fn refresh_rotates_persists_and_is_shared_by_concurrent_callers() {
    let fake = Fake::start().await;
    fake.add_refresh("rt-1");
    let tmp = tempfile::tempdir().unwrap();
    let cfg = fake.config(AuthFlow::Pkce);
    let store = store_of(tmp.path());
    store.save(&expiring_login("rt-1")).unwrap();
    let source = std::sync::Arc::new(RefreshingTokenSource::new(
        cfg.spotify.clone(),
        store.load().unwrap().unwrap(),
        Some(store.clone()),
    ));
    let calls = (0..8).map(|_| {
        let s = source.clone();
        tokio::spawn(async move { s.access_token().await })
    });
    let tokens: Vec<_> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(|r| r.unwrap().unwrap().value)
        .collect();
    assert_eq!(fake.refresh_calls(), 1, "one refresh for all callers");
    assert!(tokens.iter().all(|t| t == &tokens[0]));
    assert_ne!(tokens[0].expose(), "old-access");
    let stored = store.load().unwrap().unwrap();
    let rotated = stored.refresh_token.unwrap();
    assert_ne!(rotated.expose(), "rt-1");
    assert!(
        fake.state
            .lock()
            .unwrap()
            .refresh
            .contains(&rotated.expose().to_string())
    );
    assert_eq!(
        stored.scopes,
        vec!["user-read-private"],
        "scopes kept when the reply has none"
    );

    // Simultaneous 401s share one renewal too.
    let calls = (0..5).map(|_| {
        let s = source.clone();
        tokio::spawn(async move { s.refresh_after_rejection().await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert_eq!(fake.refresh_calls(), 2);

    // The old refresh token is dead; the rotated one keeps working.
    assert!(
        !fake
            .state
            .lock()
            .unwrap()
            .refresh
            .contains(&"rt-1".to_string())
    );
}

#[tokio::test]
async fn refresh_without_rotation_keeps_the_old_refresh_token() {
    let fake = Fake::start().await;
    fake.state.lock().unwrap().rotate = false;
    fake.add_refresh("rt-keep");
    let tmp = tempfile::tempdir().unwrap();
    let store = store_of(tmp.path());
    let source = RefreshingTokenSource::new(
        fake.config(AuthFlow::Pkce).spotify,
        expiring_login("rt-keep"),
        Some(store.clone()),
    );
    source.access_token().await.unwrap();
    let stored = store.load().unwrap().unwrap();
    assert_eq!(stored.refresh_token.unwrap().expose(), "rt-keep");
}

#[tokio::test]
async fn invalid_grant_deletes_the_login_and_asks_for_a_new_one() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let store = store_of(tmp.path());
    store.save(&expiring_login("revoked")).unwrap();
    let source = RefreshingTokenSource::new(
        fake.config(AuthFlow::Pkce).spotify,
        expiring_login("revoked"),
        Some(store.clone()),
    );
    let err = source.access_token().await.unwrap_err();
    assert!(matches!(err, TokenError::LoginRequired(_)), "{err}");
    assert!(store.load().unwrap().is_none(), "revoked login removed");
    // No loop: later calls fail at once without asking the server again.
    let calls = fake.refresh_calls();
    assert!(matches!(
        source.access_token().await,
        Err(TokenError::LoginRequired(_))
    ));
    assert!(matches!(
        source.refresh_after_rejection().await,
        Err(TokenError::LoginRequired(_))
    ));
    assert_eq!(fake.refresh_calls(), calls);
    assert!(source.current_login().await.is_none());
}

#[tokio::test]
async fn stored_login_of_another_client_triggers_a_new_login() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let mut other = expiring_login("x");
    other.client_id = "someone-else".into();
    store_of(tmp.path()).save(&other).unwrap();
    let (opener, mut replies) = http_browser();
    let source = token_source_with(
        &fake.config(AuthFlow::Pkce),
        &dirs(tmp.path()),
        &LoginOptions::new(opener),
    )
    .await
    .unwrap();
    assert_eq!(replies.recv().await.unwrap().0, 200);
    assert_eq!(source.current_login().await.unwrap().client_id, CLIENT_ID);
    assert_eq!(
        store_of(tmp.path()).load().unwrap().unwrap().client_id,
        CLIENT_ID
    );
}

#[tokio::test]
async fn doctor_reports_a_healthy_login_and_a_missing_one() {
    let fake = Fake::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = fake.config(AuthFlow::Pkce);
    let report = spotdeck::auth::doctor::diagnose(&cfg, &dirs(tmp.path()), None).await;
    assert!(!report.passed(), "{}", report.render());
    assert_eq!(
        report.get("stored login").unwrap().status,
        spotdeck::auth::doctor::Status::Fail
    );

    let (opener, _r) = http_browser();
    token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap();
    let report = spotdeck::auth::doctor::diagnose(&cfg, &dirs(tmp.path()), None).await;
    let text = report.render();
    assert!(report.passed(), "{text}");
    assert!(text.contains("logged in as Demo User"), "{text}");
    assert!(text.contains("accounts service"), "{text}");

    let mut bad = cfg.clone();
    bad.spotify.client_id.clear();
    bad.spotify.accounts_base = "http://example.invalid".into();
    let report = spotdeck::auth::doctor::diagnose(&bad, &dirs(tmp.path()), None).await;
    assert_eq!(
        report.get("client id").unwrap().status,
        spotdeck::auth::doctor::Status::Fail
    );
    assert_eq!(
        report.get("accounts service").unwrap().status,
        spotdeck::auth::doctor::Status::Fail
    );
}
