//! The refresh paths of a real login against the simulator's Accounts
//! service: a 401 from the Web API renews the token once and the request is
//! retried; a token endpoint that fails for a moment leaves the app on the
//! old token while it is still valid, and says so once it is not.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use spotdeck::auth::{RefreshingTokenSource, StoredLogin, TokenStore};
use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::spotify::Client;
use spotdeck::token::{TokenError, TokenSource};
use support::proxy::{Proxy, Rule};

fn unix_in(secs: u64) -> Option<u64> {
    (SystemTime::now() + Duration::from_secs(secs))
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

/// A token source for `login` renewing at `accounts_base`, storing to `store`.
fn source(
    sim: &SimHandle,
    accounts_base: &str,
    login: StoredLogin,
    store: &std::path::Path,
) -> Arc<RefreshingTokenSource> {
    let cfg = support::login::config(sim, accounts_base);
    Arc::new(RefreshingTokenSource::new(
        cfg.spotify,
        login,
        Some(TokenStore::at(store.to_path_buf())),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_renews_the_token_once_and_the_request_succeeds() {
    let sim = sim::start(SimOptions::default()).await.expect("simulator");
    let login = support::login::authorization_code(&sim).await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = tmp.path().join("tokens.json");
    let tokens = source(&sim, &sim.accounts_base(), login.clone(), &store);
    let c = Client::new(&sim.api_base(), tokens.clone()).expect("client");
    assert_eq!(c.me().await.expect("me").id, sim.user_id());
    assert_eq!(tokens.renewals(), 0, "a fresh token is used as it is");

    sim.expire_access_tokens_now();
    sim.clear_log();
    let before = sim.token_request_count();
    assert_eq!(
        c.me().await.expect("me after the refresh").id,
        sim.user_id()
    );
    assert_eq!(sim.token_request_count(), before + 1, "one refresh");
    assert_eq!(tokens.renewals(), 1);
    let lines: Vec<(String, u16)> = sim
        .requests()
        .iter()
        .map(|r| (r.line(), r.status))
        .collect();
    // The retry may be answered 304: the body is cached with its ETag.
    let retried = lines
        .get(2)
        .map(|(l, s)| (l.as_str(), *s == 200 || *s == 304));
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        lines[..2],
        [
            ("GET /v1/me".to_string(), 401),
            ("POST /api/token".to_string(), 200),
        ],
        "{lines:?}"
    );
    assert_eq!(retried, Some(("GET /v1/me", true)), "{lines:?}");
    let stored = TokenStore::at(store)
        .load()
        .expect("readable")
        .expect("stored");
    assert_ne!(
        stored.access_token, login.access_token,
        "the new token is stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_falls_back_to_the_old_token() {
    let sim = sim::start(SimOptions::default()).await.expect("simulator");
    let mut login = support::login::authorization_code(&sim).await;
    let failing: Rule = Arc::new(|x| {
        (x.path == "/api/token").then(|| {
            (
                503,
                r#"{"error":"temporarily_unavailable","error_description":"try later"}"#.into(),
            )
        })
    });
    let accounts = Proxy::start(&sim.base_url(), failing).await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = tmp.path().join("tokens.json");

    // 30 s left: inside the renewal margin, so a renewal is tried and fails.
    login.expires_at = unix_in(30);
    let tokens = source(&sim, &accounts.base(), login.clone(), &store);
    let token = tokens.access_token().await.expect("the old token");
    assert_eq!(token.value, login.access_token);
    let tried = accounts
        .log()
        .iter()
        .filter(|x| x.path == "/api/token")
        .count();
    assert_eq!(tried, 1, "a renewal was attempted");
    let c = Client::new(&sim.api_base(), tokens.clone()).expect("client");
    assert_eq!(c.me().await.expect("me on the old token").id, sim.user_id());
    assert_eq!(tokens.renewals(), 0);

    // Once the old token has run out the failure is reported, not hidden.
    login.expires_at = unix_in(0);
    let tokens = source(&sim, &accounts.base(), login, &store);
    let err = tokens.access_token().await.unwrap_err();
    assert!(matches!(err, TokenError::Refresh(_)), "{err:?}");
}
