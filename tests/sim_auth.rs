//! Accounts service of the simulator: authorize page, redirect rules, code,
//! PKCE, refresh rotation and client-credentials flows.

use std::collections::HashMap;

use base64::Engine;
use sha2::{Digest, Sha256};
use spotdeck::sim::{self, RefreshRotation, SimHandle, SimOptions};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn sim() -> SimHandle {
    sim::start(SimOptions::default()).await.expect("sim starts")
}

fn location(r: &reqwest::Response) -> url::Url {
    let loc = r.headers()["location"].to_str().expect("ascii");
    url::Url::parse(loc).expect("url")
}

fn query_of(u: &url::Url) -> HashMap<String, String> {
    u.query_pairs().into_owned().collect()
}

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Runs /authorize (+ Agree) and returns the redirect URL.
async fn authorize(h: &SimHandle, params: &[(&str, &str)]) -> url::Url {
    let c = client();
    let r = c
        .get(format!("{}/authorize", h.accounts_base()))
        .query(params)
        .send()
        .await
        .expect("authorize");
    if r.status() == 302 {
        return location(&r);
    }
    assert_eq!(r.status(), 200, "consent page");
    let html = r.text().await.expect("html");
    assert!(html.contains("Agree") && html.contains("Cancel"));
    let mut form: Vec<(&str, &str)> = params.to_vec();
    form.push(("decision", "agree"));
    let r = c
        .post(format!("{}/authorize/decision", h.accounts_base()))
        .form(&form)
        .send()
        .await
        .expect("decision");
    assert_eq!(r.status(), 302);
    location(&r)
}

async fn token(h: &SimHandle, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let r = client()
        .post(format!("{}/api/token", h.accounts_base()))
        .form(form)
        .send()
        .await
        .expect("token");
    let s = r.status().as_u16();
    (s, r.json().await.expect("json"))
}

const REDIRECT: &str = "http://127.0.0.1:43210/callback";

#[tokio::test]
async fn pkce_flow_issues_tokens_and_checks_the_verifier() {
    let h = sim().await;
    let verifier = "a-very-long-random-verifier-string-0123456789-abcdefghijkl";
    let ch = challenge(verifier);
    let params = [
        ("client_id", "spotdeck-demo"),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("state", "xyz"),
        ("scope", "user-read-playback-state user-read-private"),
        ("code_challenge_method", "S256"),
        ("code_challenge", ch.as_str()),
    ];
    let back = authorize(&h, &params).await;
    assert_eq!(back.port(), Some(43210));
    let q = query_of(&back);
    assert_eq!(q["state"], "xyz");
    let code = q["code"].clone();

    // Wrong verifier is rejected and does not burn the code.
    let (s, body) = token(
        &h,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", "spotdeck-demo"),
            (
                "code_verifier",
                "wrong-verifier-wrong-verifier-wrong-verifier-00",
            ),
        ],
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(body["error"], "invalid_grant");

    let good = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("client_id", "spotdeck-demo"),
        ("code_verifier", verifier),
    ];
    let (s, body) = token(&h, &good).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "user-read-playback-state user-read-private");
    let access = body["access_token"].as_str().expect("access").to_string();
    let refresh = body["refresh_token"].as_str().expect("refresh").to_string();

    // The code is single-use.
    let (s, body) = token(&h, &good).await;
    assert_eq!(s, 400);
    assert_eq!(body["error_description"], "Invalid authorization code");

    // The token works on the Web API.
    let r = client()
        .get(format!("{}/me", h.api_base()))
        .bearer_auth(&access)
        .send()
        .await
        .expect("me");
    assert_eq!(r.status(), 200);

    // PKCE refresh rotates the refresh token; the old one dies.
    let (s, body) = token(
        &h,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", "spotdeck-demo"),
        ],
    )
    .await;
    assert_eq!(s, 200);
    let new_refresh = body["refresh_token"].as_str().expect("rotated").to_string();
    assert_ne!(new_refresh, refresh);
    let (s, body) = token(
        &h,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", "spotdeck-demo"),
        ],
    )
    .await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_grant")));

    // Rotation off: the same refresh token keeps working and none is returned.
    h.set_refresh_rotation(RefreshRotation::Never);
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", new_refresh.as_str()),
        ("client_id", "spotdeck-demo"),
    ];
    let (s, body) = token(&h, &form).await;
    assert_eq!(s, 200);
    assert!(body.get("refresh_token").is_none());
    assert!(h.revoke_refresh_token(&new_refresh));
    let (s, _) = token(&h, &form).await;
    assert_eq!(s, 400);
    assert_eq!(h.token_request_count(), 7);
}

#[tokio::test]
async fn code_flow_with_secret_and_redirect_mismatch() {
    let h = sim().await;
    h.set_auto_approve(true);
    let back = authorize(
        &h,
        &[
            ("client_id", "spotdeck-demo"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", "user-read-private"),
        ],
    )
    .await;
    let code = query_of(&back)["code"].clone();
    let r = client()
        .post(format!("{}/api/token", h.accounts_base()))
        .basic_auth("spotdeck-demo", Some("spotdeck-demo-secret"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", "http://127.0.0.1:43210/other"),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error_description"], "Invalid redirect URI");
    // Wrong secret → invalid_client.
    let (s, body) = token(
        &h,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", "spotdeck-demo"),
            ("client_secret", "nope"),
        ],
    )
    .await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_client")));
}

#[tokio::test]
async fn redirect_uri_rules_and_consent_outcomes() {
    let h = sim().await;
    let c = client();
    let get = |uri: &'static str| {
        c.get(format!("{}/authorize", h.accounts_base()))
            .query(&[
                ("client_id", "spotdeck-demo"),
                ("response_type", "code"),
                ("redirect_uri", uri),
            ])
            .send()
    };
    assert_eq!(
        get("http://localhost:8888/callback")
            .await
            .expect("r")
            .status(),
        400
    );
    assert_eq!(
        get("http://example.com/callback")
            .await
            .expect("r")
            .status(),
        400
    );
    assert_eq!(
        get("http://127.0.0.1:9/elsewhere")
            .await
            .expect("r")
            .status(),
        400
    );
    let ok = get("http://[::1]:7000/callback").await.expect("r");
    assert_eq!(
        ok.status(),
        400,
        "[::1] is not registered for the demo client"
    );
    h.register_client("v6", None, &["http://[::1]/callback"]);
    let r = c
        .get(format!("{}/authorize", h.accounts_base()))
        .query(&[
            ("client_id", "v6"),
            ("response_type", "code"),
            ("redirect_uri", "http://[::1]:7000/callback"),
        ])
        .send()
        .await
        .expect("r");
    assert_eq!(r.status(), 200, "consent page for a new client");

    // Cancel → access_denied with state.
    let r = c
        .post(format!("{}/authorize/decision", h.accounts_base()))
        .form(&[
            ("client_id", "spotdeck-demo"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("state", "s1"),
            ("decision", "cancel"),
        ])
        .send()
        .await
        .expect("cancel");
    let q = query_of(&location(&r));
    assert_eq!(
        (q["error"].as_str(), q["state"].as_str()),
        ("access_denied", "s1")
    );

    // Invalid scope → redirect with invalid_scope.
    let r = c
        .get(format!("{}/authorize", h.accounts_base()))
        .query(&[
            ("client_id", "spotdeck-demo"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", "user-read-mind"),
        ])
        .send()
        .await
        .expect("r");
    assert_eq!(r.status(), 302);
    assert_eq!(query_of(&location(&r))["error"], "invalid_scope");

    // Implicit grant: token in the fragment.
    let back = authorize(
        &h,
        &[
            ("client_id", "spotdeck-demo"),
            ("response_type", "token"),
            ("redirect_uri", REDIRECT),
            ("state", "f"),
            ("scope", "user-read-private"),
        ],
    )
    .await;
    let frag: HashMap<String, String> =
        url::form_urlencoded::parse(back.fragment().expect("fragment").as_bytes())
            .into_owned()
            .collect();
    assert_eq!(frag["token_type"], "Bearer");
    assert_eq!(frag["state"], "f");
    assert!(!frag["access_token"].is_empty());
}

#[tokio::test]
async fn client_credentials_cannot_read_user_data_and_tokens_expire() {
    let h = sim().await;
    let r = client()
        .post(format!("{}/api/token", h.accounts_base()))
        .basic_auth("spotdeck-demo", Some("spotdeck-demo-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(body.get("refresh_token").is_none() && body.get("scope").is_none());
    let app = body["access_token"].as_str().expect("token").to_string();
    let me = client()
        .get(format!("{}/me", h.api_base()))
        .bearer_auth(&app)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), 401);
    // Public playlist metadata is fine for an app token.
    let pl = client()
        .get(format!(
            "{}/playlists/{}",
            h.api_base(),
            sim::PLAYLIST_MORNING
        ))
        .bearer_auth(&app)
        .send()
        .await
        .expect("pl");
    assert_eq!(pl.status(), 200);
    // Without Basic auth → 401 invalid_client.
    let (s, body) = token(&h, &[("grant_type", "client_credentials")]).await;
    assert_eq!((s, body["error"].as_str()), (401, Some("invalid_client")));

    let user = h.issue_full_token();
    h.expire_access_tokens_now();
    let r = client()
        .get(format!("{}/me", h.api_base()))
        .bearer_auth(&user)
        .send()
        .await
        .expect("me");
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"]["message"], "The access token expired");
}
