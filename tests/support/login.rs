//! A real login against the simulator's Accounts service without a browser:
//! authorization code with the demo app's secret, consent skipped.

use std::time::{Duration, SystemTime};

use serde_json::Value;
use spotdeck::auth::StoredLogin;
use spotdeck::config::{AuthFlow, Config};
use spotdeck::sim::{self, SimHandle};
use spotdeck::token::Secret;

/// Logs the demo user in with every scope; the login holds a real refresh token.
pub async fn authorization_code(sim: &SimHandle) -> StoredLogin {
    sim.set_auto_approve(true);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    let scopes = sim::accounts::ALL_SCOPES.join(" ");
    let r = http
        .get(format!("{}/authorize", sim.accounts_base()))
        .query(&[
            ("client_id", sim::DEMO_CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", sim::DEMO_REDIRECT_URI),
            ("scope", scopes.as_str()),
            ("state", "s"),
        ])
        .send()
        .await
        .expect("authorize");
    assert_eq!(r.status(), 302, "the consent is skipped");
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a redirect")
        .to_string();
    let url = url::Url::parse(&location).expect("redirect URL");
    let code = url
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("a code in the redirect");
    let body: Value = http
        .post(format!("{}/api/token", sim.accounts_base()))
        .basic_auth(sim::DEMO_CLIENT_ID, Some(sim::DEMO_CLIENT_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", sim::DEMO_REDIRECT_URI),
        ])
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token JSON");
    let secs = |v: &Value| v.as_u64().expect("expires_in");
    let expires_at = SystemTime::now() + Duration::from_secs(secs(&body["expires_in"]));
    StoredLogin {
        client_id: sim::DEMO_CLIENT_ID.to_string(),
        flow: AuthFlow::AuthorizationCode,
        access_token: Secret::new(body["access_token"].as_str().expect("access_token")),
        refresh_token: body["refresh_token"].as_str().map(Secret::new),
        expires_at: Some(
            expires_at
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        ),
        scopes: body["scope"]
            .as_str()
            .unwrap_or_default()
            .split(' ')
            .map(str::to_string)
            .collect(),
    }
}

/// A config for the demo app (authorization code, secret set) at `accounts_base`.
pub fn config(sim: &SimHandle, accounts_base: &str) -> Config {
    let mut c = Config::default();
    c.spotify.accounts_base = accounts_base.to_string();
    c.spotify.api_base = sim.api_base();
    c.spotify.client_id = sim::DEMO_CLIENT_ID.into();
    c.spotify.auth_flow = AuthFlow::AuthorizationCode;
    c.spotify.redirect_port = 0;
    c.spotify.client_secret = Some(Secret::new(sim::DEMO_CLIENT_SECRET));
    c
}
