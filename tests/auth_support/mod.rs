//! A small fake Accounts service (authorize, token, /v1/me) for the auth
//! tests, plus a "browser" that follows the redirect with plain HTTP.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::Digest;
use spotdeck::config::{AuthFlow, Config, Dirs};

pub const CLIENT_ID: &str = "spotdeck-demo";
pub const CLIENT_SECRET: &str = "spotdeck-demo-secret";

#[derive(Default)]
pub struct FakeState {
    pub codes: HashMap<String, PendingCode>,
    pub access: Vec<String>,
    pub refresh: Vec<String>,
    pub refresh_calls: usize,
    pub token_calls: usize,
    pub expires_in: Option<u64>,
    pub rotate: bool,
    pub deny: bool,
    pub issued: Vec<String>,
}

#[derive(Clone)]
pub struct PendingCode {
    pub challenge: Option<String>,
    pub redirect_uri: String,
    pub scope: String,
}

#[derive(Clone)]
pub struct Fake {
    pub base: String,
    pub state: Arc<Mutex<FakeState>>,
}

impl Fake {
    pub async fn start() -> Fake {
        let state = Arc::new(Mutex::new(FakeState {
            expires_in: Some(3600),
            rotate: true,
            ..Default::default()
        }));
        let app = Router::new()
            .route("/authorize", get(authorize))
            .route("/api/token", post(token))
            .route("/v1/me", get(me))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Fake { base, state }
    }

    pub fn config(&self, flow: AuthFlow) -> Config {
        let mut c = Config::default();
        c.spotify.accounts_base = self.base.clone();
        c.spotify.api_base = format!("{}/v1", self.base);
        c.spotify.client_id = CLIENT_ID.into();
        c.spotify.auth_flow = flow;
        c.spotify.redirect_port = 0;
        c.spotify.login_timeout_secs = 20;
        if matches!(
            flow,
            AuthFlow::AuthorizationCode | AuthFlow::ClientCredentials
        ) {
            c.spotify.client_secret = Some(spotdeck::token::Secret::new(CLIENT_SECRET));
        }
        c
    }

    /// Registers a refresh token as valid.
    pub fn add_refresh(&self, rt: &str) {
        self.state.lock().unwrap().refresh.push(rt.into());
    }

    pub fn refresh_calls(&self) -> usize {
        self.state.lock().unwrap().refresh_calls
    }
}

pub fn dirs(tmp: &std::path::Path) -> Dirs {
    Dirs {
        config: tmp.join("config"),
        data: tmp.join("data"),
        state: tmp.join("state"),
    }
}

fn random(prefix: &str) -> String {
    format!(
        "{prefix}-{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    )
}

async fn authorize(
    State(st): State<Arc<Mutex<FakeState>>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if q.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return (StatusCode::BAD_REQUEST, "INVALID_CLIENT").into_response();
    }
    let Some(redirect) = q.get("redirect_uri").cloned() else {
        return (StatusCode::BAD_REQUEST, "no redirect").into_response();
    };
    assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
    let state_param = q.get("state").cloned().unwrap_or_default();
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let mut s = st.lock().unwrap();
    if s.deny {
        let loc = format!("{redirect}?error=access_denied&state={}", enc(&state_param));
        return (StatusCode::FOUND, [(header::LOCATION, loc)]).into_response();
    }
    let scope = q.get("scope").cloned().unwrap_or_default();
    let loc = match q.get("response_type").map(String::as_str) {
        Some("code") => {
            if q.contains_key("code_challenge") {
                assert_eq!(
                    q.get("code_challenge_method").map(String::as_str),
                    Some("S256")
                );
            }
            let code = random("code");
            s.codes.insert(
                code.clone(),
                PendingCode {
                    challenge: q.get("code_challenge").cloned(),
                    redirect_uri: redirect.clone(),
                    scope,
                },
            );
            s.issued.push(code.clone());
            format!("{redirect}?code={code}&state={}", enc(&state_param))
        }
        Some("token") => {
            let at = random("implicit-at");
            s.access.push(at.clone());
            s.issued.push(at.clone());
            format!(
                "{redirect}#access_token={at}&token_type=Bearer&expires_in={}&state={}",
                s.expires_in.unwrap_or(3600),
                enc(&state_param)
            )
        }
        _ => return (StatusCode::BAD_REQUEST, "bad response_type").into_response(),
    };
    (StatusCode::FOUND, [(header::LOCATION, loc)]).into_response()
}

fn oauth_error(code: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        format!(r#"{{"error":"{code}","error_description":"fake says {code}"}}"#),
    )
        .into_response()
}

fn basic_ok(headers: &HeaderMap) -> bool {
    let want = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(want.as_str())
}

async fn token(
    State(st): State<Arc<Mutex<FakeState>>>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let reply = token_reply(&st, &headers, &f);
    // Slow enough that concurrent callers overlap.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    reply
}

fn token_reply(
    st: &Mutex<FakeState>,
    headers: &HeaderMap,
    f: &HashMap<String, String>,
) -> Response {
    let mut s = st.lock().unwrap();
    s.token_calls += 1;
    let client_ok = basic_ok(headers) || f.get("client_id").map(String::as_str) == Some(CLIENT_ID);
    if !client_ok {
        return oauth_error("invalid_client");
    }
    let mut body = serde_json::json!({"token_type": "Bearer"});
    if let Some(e) = s.expires_in {
        body["expires_in"] = e.into();
    }
    match f.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let Some(p) = f.get("code").and_then(|c| s.codes.remove(c)) else {
                return oauth_error("invalid_grant");
            };
            if f.get("redirect_uri") != Some(&p.redirect_uri) {
                return oauth_error("invalid_grant");
            }
            match (&p.challenge, f.get("code_verifier")) {
                (Some(ch), Some(v)) => {
                    let got = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(v.as_bytes()));
                    if &got != ch {
                        return oauth_error("invalid_grant");
                    }
                }
                (None, None) if basic_ok(headers) => {}
                _ => return oauth_error("invalid_request"),
            }
            let (at, rt) = (random("at"), random("rt"));
            s.access.push(at.clone());
            s.refresh.push(rt.clone());
            s.issued.extend([at.clone(), rt.clone()]);
            body["access_token"] = at.into();
            body["refresh_token"] = rt.into();
            body["scope"] = p.scope.into();
        }
        Some("refresh_token") => {
            s.refresh_calls += 1;
            let Some(rt) = f.get("refresh_token") else {
                return oauth_error("invalid_request");
            };
            let Some(pos) = s.refresh.iter().position(|r| r == rt) else {
                return oauth_error("invalid_grant");
            };
            let at = random("at");
            s.access.push(at.clone());
            s.issued.push(at.clone());
            body["access_token"] = at.into();
            if s.rotate {
                let new_rt = random("rt");
                s.refresh[pos] = new_rt.clone();
                s.issued.push(new_rt.clone());
                body["refresh_token"] = new_rt.into();
            }
        }
        Some("client_credentials") => {
            if !basic_ok(headers) {
                return oauth_error("invalid_client");
            }
            let at = random("cc");
            s.access.push(at.clone());
            s.issued.push(at.clone());
            body["access_token"] = at.into();
        }
        _ => return oauth_error("unsupported_grant_type"),
    }
    drop(s);
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn me(State(st): State<Arc<Mutex<FakeState>>>, headers: HeaderMap) -> Response {
    let tok = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_string();
    if st.lock().unwrap().access.contains(&tok) {
        (
            StatusCode::OK,
            axum::Json(serde_json::json!({"id": "demo", "display_name": "Demo User"})),
        )
            .into_response()
    } else {
        (StatusCode::UNAUTHORIZED, "bad token").into_response()
    }
}

/// The query/fragment parameters of a URL.
pub fn params_of(s: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(s.as_bytes())
        .into_owned()
        .collect()
}

/// A "browser" without JavaScript: GET the authorize URL, follow the 302 to
/// the listener by hand; for a fragment redirect, do what the page's script
/// does and POST the fragment to `/token`. Returns the listener's last reply.
pub async fn follow_login(authorize_url: String) -> (u16, String) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = http.get(&authorize_url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 302, "authorize should redirect");
    let loc = resp.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    match loc.split_once('#') {
        None => {
            let r = http.get(&loc).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
        Some((page, fragment)) => {
            let page_resp = http.get(page).send().await.unwrap();
            let html = page_resp.text().await.unwrap();
            assert!(
                html.contains("location.hash"),
                "callback page has the fragment script"
            );
            let origin = page.trim_end_matches("/callback");
            let r = http
                .post(format!("{origin}/token"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(fragment.to_string())
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    }
}

/// An opener that runs [`follow_login`] in the background and sends its
/// result on the returned channel.
pub fn http_browser() -> (
    spotdeck::auth::BrowserOpener,
    tokio::sync::mpsc::UnboundedReceiver<(u16, String)>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let opener: spotdeck::auth::BrowserOpener = Arc::new(move |url: &str| {
        let tx = tx.clone();
        let url = url.to_string();
        tokio::spawn(async move {
            let _ = tx.send(follow_login(url).await);
        });
        Ok(())
    });
    (opener, rx)
}

/// An opener that hands the URL to a custom async step.
pub fn custom_browser<F, Fut>(f: F) -> spotdeck::auth::BrowserOpener
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    Arc::new(move |url: &str| {
        tokio::spawn(f(url.to_string()));
        Ok(())
    })
}
