//! End-to-end logins against the simulator's Accounts service: the
//! "browser" is reqwest following redirects by hand, clicking Agree/Cancel
//! on the consent page and doing what the implicit page's script does.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod auth_support;

use std::collections::HashMap;

use auth_support::{custom_browser, dirs, params_of};
use reqwest::header;
use spotdeck::auth::doctor::{Status, diagnose};
use spotdeck::auth::{LoginError, LoginOptions, TokenStore, token_source_with};
use spotdeck::config::{AuthFlow, Config};
use spotdeck::sim::{
    self, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RefreshRotation, SimHandle, SimOptions,
};
use spotdeck::token::{TokenError, TokenSource};

async fn start() -> SimHandle {
    sim::start(SimOptions::default()).await.unwrap()
}

fn config(h: &SimHandle, flow: AuthFlow) -> Config {
    let mut c = Config::default();
    c.spotify.accounts_base = h.accounts_base();
    c.spotify.api_base = h.api_base();
    c.spotify.client_id = DEMO_CLIENT_ID.into();
    c.spotify.auth_flow = flow;
    c.spotify.redirect_port = 0;
    c.spotify.login_timeout_secs = 20;
    if matches!(
        flow,
        AuthFlow::AuthorizationCode | AuthFlow::ClientCredentials
    ) {
        c.spotify.client_secret = Some(spotdeck::token::Secret::new(DEMO_CLIENT_SECRET));
    }
    c
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// GET the authorize URL; on the consent page press `decision`; then deliver
/// the redirect to spotdeck's listener. Returns the listener's reply.
async fn browse(accounts_base: String, url: String, decision: &str) -> (u16, String) {
    let http = no_redirects();
    let mut resp = http.get(&url).send().await.unwrap();
    if resp.status() == 200 {
        let html = resp.text().await.unwrap();
        assert!(html.contains("Agree") && html.contains("Cancel"), "{html}");
        let mut form: HashMap<String, String> = params_of(url.split_once('?').unwrap().1);
        form.insert("decision".into(), decision.into());
        resp = http
            .post(format!("{accounts_base}/authorize/decision"))
            .form(&form)
            .send()
            .await
            .unwrap();
    }
    assert_eq!(resp.status(), 302, "authorize must redirect");
    let loc = resp.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(loc.starts_with("http://127.0.0.1:"), "{loc}");
    match loc.split_once('#') {
        None => {
            let r = http.get(&loc).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
        Some((page, fragment)) => {
            let html = http.get(page).send().await.unwrap().text().await.unwrap();
            assert!(html.contains("fetch('/token'"), "{html}");
            let r = http
                .post(page.replace("/callback", "/token"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(fragment.to_string())
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    }
}

fn sim_browser(
    h: &SimHandle,
    decision: &'static str,
) -> (
    spotdeck::auth::BrowserOpener,
    tokio::sync::mpsc::UnboundedReceiver<(u16, String)>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let base = h.accounts_base();
    let opener = custom_browser(move |url| {
        let tx = tx.clone();
        let base = base.clone();
        async move {
            let _ = tx.send(browse(base, url, decision).await);
        }
    });
    (opener, rx)
}

async fn me_status(h: &SimHandle, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/me", h.api_base()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn pkce_login_rotates_persists_and_handles_revocation() {
    let h = start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(&h, AuthFlow::Pkce);
    let (opener, mut replies) = sim_browser(&h, "agree");
    let source = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap();
    let (status, page) = replies.recv().await.unwrap();
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("close this tab"));
    let tok = source.access_token().await.unwrap();
    assert_eq!(me_status(&h, tok.value.expose()).await, 200);

    let store = TokenStore::new(&dirs(tmp.path()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "token file must be private");
    }
    let first = store.load().unwrap().unwrap();
    assert!(
        spotdeck::auth::missing_scope_message(&first.scopes).is_none(),
        "{:?}",
        first.scopes
    );

    // The API rejects the token: refresh, rotated refresh token persisted.
    h.expire_access_tokens_now();
    assert_eq!(me_status(&h, tok.value.expose()).await, 401);
    let fresh = source.refresh_after_rejection().await.unwrap();
    assert_ne!(fresh.value, tok.value);
    assert_eq!(me_status(&h, fresh.value.expose()).await, 200);
    let second = store.load().unwrap().unwrap();
    assert_ne!(
        second.refresh_token, first.refresh_token,
        "PKCE refresh tokens rotate"
    );
    assert_eq!(second.access_token, fresh.value);

    // Doctor is happy with this login.
    let report = diagnose(&cfg, &dirs(tmp.path()), None).await;
    assert!(report.passed(), "{}", report.render());

    // Revoked refresh token: invalid_grant → stored login gone, LoginRequired.
    assert!(h.revoke_refresh_token(second.refresh_token.as_ref().unwrap().expose()));
    let before = h.token_request_count();
    let err = source.refresh_after_rejection().await.unwrap_err();
    assert!(matches!(err, TokenError::LoginRequired(_)), "{err}");
    assert!(store.load().unwrap().is_none());
    assert!(matches!(
        source.access_token().await,
        Err(TokenError::LoginRequired(_))
    ));
    assert_eq!(h.token_request_count(), before + 1, "no retry loop");
    let report = diagnose(&cfg, &dirs(tmp.path()), None).await;
    assert_eq!(report.get("stored login").unwrap().status, Status::Fail);
}

#[tokio::test]
async fn authorization_code_with_secret_against_the_sim() {
    let h = start().await;
    h.set_refresh_rotation(RefreshRotation::Never);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(&h, AuthFlow::AuthorizationCode);
    let (opener, _r) = sim_browser(&h, "agree");
    let source = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap();
    let tok = source.access_token().await.unwrap();
    assert_eq!(me_status(&h, tok.value.expose()).await, 200);
    let store = TokenStore::new(&dirs(tmp.path()));
    let rt = store.load().unwrap().unwrap().refresh_token;
    source.refresh_after_rejection().await.unwrap();
    assert_eq!(
        store.load().unwrap().unwrap().refresh_token,
        rt,
        "unrotated refresh token kept"
    );
}

#[tokio::test]
async fn client_credentials_against_the_sim_is_app_only() {
    let h = start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(&h, AuthFlow::ClientCredentials);
    let never = custom_browser(|_| async { panic!("no browser for client credentials") });
    let source = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(never))
        .await
        .unwrap();
    assert!(source.is_app_only());
    let tok = source.access_token().await.unwrap();
    assert_ne!(
        me_status(&h, tok.value.expose()).await,
        200,
        "app tokens have no user"
    );
    h.expire_access_tokens_now();
    let again = source.refresh_after_rejection().await.unwrap();
    assert_ne!(again.value, tok.value);
}

#[tokio::test]
async fn implicit_grant_against_the_sim() {
    let h = start().await;
    h.set_implicit_grant_allowed(true);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(&h, AuthFlow::Implicit);
    let (opener, mut replies) = sim_browser(&h, "agree");
    let source = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap();
    assert_eq!(replies.recv().await.unwrap().0, 200);
    let tok = source.access_token().await.unwrap();
    assert_eq!(me_status(&h, tok.value.expose()).await, 200);
    let stored = TokenStore::new(&dirs(tmp.path())).load().unwrap().unwrap();
    assert!(stored.refresh_token.is_none());
    assert!(stored.expires_at.is_some(), "expires_in honoured");
    let err = source.refresh_after_rejection().await.unwrap_err();
    assert!(matches!(err, TokenError::LoginRequired(_)), "{err}");
}

#[tokio::test]
async fn cancel_on_the_consent_page_is_access_denied() {
    let h = start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(&h, AuthFlow::Pkce);
    let (opener, mut replies) = sim_browser(&h, "cancel");
    let mut opts = LoginOptions::new(opener);
    opts.show_dialog = true;
    let err = token_source_with(&cfg, &dirs(tmp.path()), &opts)
        .await
        .unwrap_err();
    assert!(
        matches!(err, LoginError::Denied { ref error, .. } if error == "access_denied"),
        "{err}"
    );
    let (status, page) = replies.recv().await.unwrap();
    assert_eq!(status, 400);
    assert!(page.contains("access_denied"), "{page}");
}

#[tokio::test]
async fn forged_state_against_the_sim_is_rejected() {
    let h = start().await;
    h.set_auto_approve(true);
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = config(&h, AuthFlow::Pkce);
    cfg.spotify.login_timeout_secs = 3;
    let opener = custom_browser(|url| async move {
        // A real code from the sim, delivered with a forged state: ignored,
        // the login keeps waiting for the real redirect until its timeout.
        let r = no_redirects().get(&url).send().await.unwrap();
        let loc = r.headers()[header::LOCATION].to_str().unwrap().to_string();
        let (base, query) = loc.split_once('?').unwrap();
        let code = params_of(query)["code"].clone();
        let _ = reqwest::get(format!("{base}?code={code}&state=forged")).await;
    });
    let err = token_source_with(&cfg, &dirs(tmp.path()), &LoginOptions::new(opener))
        .await
        .unwrap_err();
    assert!(matches!(err, LoginError::Timeout(3)), "{err}");
    assert!(TokenStore::new(&dirs(tmp.path())).load().unwrap().is_none());
}

#[tokio::test]
async fn login_auth_and_logout_commands() {
    use spotdeck::auth::run_command_with;
    use spotdeck::cli::Command;
    let h = start().await;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = config(&h, AuthFlow::Pkce);
    let d = dirs(tmp.path());
    let store = TokenStore::new(&d);
    let (opener, _r) = sim_browser(&h, "agree");
    let opts = LoginOptions::new(opener);
    let code = run_command_with(&Command::Login, &cfg, &d, &opts)
        .await
        .unwrap();
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    let stored = store.load().unwrap().unwrap();
    // `auth` reuses the stored login: no new token request.
    let before = h.token_request_count();
    run_command_with(&Command::Auth, &cfg, &d, &opts)
        .await
        .unwrap();
    assert_eq!(h.token_request_count(), before);
    assert_eq!(store.load().unwrap().unwrap(), stored);
    // `doctor` passes, `logout` removes the file, then `doctor` fails.
    let ok = run_command_with(&Command::Doctor, &cfg, &d, &opts)
        .await
        .unwrap();
    assert_eq!(ok, std::process::ExitCode::SUCCESS);
    run_command_with(&Command::Logout, &cfg, &d, &opts)
        .await
        .unwrap();
    assert!(store.load().unwrap().is_none());
    let failed = run_command_with(&Command::Doctor, &cfg, &d, &opts)
        .await
        .unwrap();
    assert_eq!(failed, std::process::ExitCode::FAILURE);
    // Implicit grant has no refresh token to print.
    let implicit = config(&h, AuthFlow::Implicit);
    let err = run_command_with(&Command::Auth, &implicit, &d, &opts)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no refresh token"), "{err}");
}
