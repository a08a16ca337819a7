//! A hostile Web API against the client and the real binary: absurd
//! `Retry-After` values, terminal escapes in names, huge bodies, a damaged
//! token file. Nothing may panic, leak an escape to the terminal, or eat
//! unbounded memory.
#![allow(clippy::unwrap_used)]

mod security_support;

use std::sync::Arc;
use std::time::Duration;

use security_support::{Canned, Hostile, devices_named, playlists_named, run_spotdeck};
use spotdeck::spotify::{ApiError, Client};
use spotdeck::token::{AccessToken, StaticToken};

fn client(h: &Hostile) -> Client {
    Client::new(
        &h.api_base(),
        Arc::new(StaticToken(AccessToken::bare("tok"))),
    )
    .unwrap()
}

fn api_env(h: &Hostile) -> Vec<(&'static str, String)> {
    vec![
        ("SPOTDECK_ACCESS_TOKEN", "tok".into()),
        ("SPOTDECK_API_BASE", h.api_base()),
    ]
}

const DAY: Duration = Duration::from_secs(24 * 3600);

#[tokio::test]
async fn absurd_retry_after_values_are_clamped_not_a_panic() {
    let h = Hostile::start().await;
    for value in [
        "18446744073709551615",
        "99999999999999999999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        h.on(
            "/v1/me/player/devices",
            Canned::json(
                429,
                &serde_json::json!({"error": {"status": 429, "message": "slow"}}),
            )
            .header("retry-after", value),
        );
        let c = client(&h);
        match c.devices().await {
            Err(ApiError::RateLimited { retry_after, .. }) => {
                assert!(retry_after <= DAY, "{value}: {retry_after:?}");
                assert!(retry_after > Duration::from_secs(3600), "{value}");
            }
            other => panic!("{value}: expected a rate limit, got {other:?}"),
        }
        let until = c.blocked_until().expect("the block is shown");
        assert!(until.saturating_duration_since(std::time::Instant::now()) <= DAY);
    }
    // The binary says how long, and exits with the "refused by Spotify"
    // code (4, see the README's exit codes), not 134 from a panic.
    let home = tempfile::tempdir().unwrap();
    let out = run_spotdeck(home.path(), &api_env(&h), &["devices"], 60).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("slow down") && err.contains(" h "), "{err}");
}

fn assert_terminal_safe(what: &str, out: &[u8]) {
    let text = String::from_utf8_lossy(out);
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{200b}', '\r'] {
        assert!(
            !text.contains(bad),
            "{what} printed {:?}: {text:?}",
            bad.escape_unicode().to_string()
        );
    }
}

#[tokio::test]
async fn names_with_escape_sequences_are_neutralised_in_plain_output() {
    let h = Hostile::start().await;
    let evil = "Kitchen\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}gnp.exe\u{200b}\r";
    h.on(
        "/v1/me/player/devices",
        Canned::json(200, &devices_named(evil)),
    );
    h.on(
        "/v1/me/playlists",
        Canned::json(200, &playlists_named(evil)),
    );
    let mut state = security_support::fixture("playback_state_track.json");
    state["device"]["name"] = serde_json::json!(evil);
    state["item"]["name"] = serde_json::json!(evil);
    h.on("/v1/me/player", Canned::json(200, &state));
    let home = tempfile::tempdir().unwrap();
    for cmd in ["devices", "playlists", "status"] {
        let out = run_spotdeck(home.path(), &api_env(&h), &[cmd], 60).await;
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Kitchen"), "{cmd}: {text}");
        assert!(text.contains('\u{FFFD}'), "{cmd}: replaced, not dropped");
        assert_terminal_safe(cmd, &out.stdout);
        assert_terminal_safe(cmd, &out.stderr);
    }
    // JSON keeps the data exactly (escaped by the JSON encoder).
    let out = run_spotdeck(home.path(), &api_env(&h), &["devices", "--json"], 60).await;
    assert_terminal_safe("devices --json", &out.stdout);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["name"], evil);
}

#[tokio::test]
async fn huge_bodies_are_refused_with_a_sentence() {
    let h = Hostile::start().await;
    // 17 MB of JSON, announced and chunked.
    let name = "x".repeat(17 * 1024 * 1024);
    h.on(
        "/v1/me/playlists",
        Canned::json(200, &playlists_named(&name)),
    );
    let e = client(&h).my_playlists(0, 50).await.unwrap_err();
    assert!(e.sentence().contains("16 MB"), "{}", e.sentence());
    h.on(
        "/v1/me/playlists",
        Canned::json(200, &playlists_named(&name)).chunked(),
    );
    let e = client(&h).my_playlists(0, 50).await.unwrap_err();
    assert!(e.sentence().contains("16 MB"), "{}", e.sentence());
    // A 9 MB "image".
    h.on(
        "/img/cover.jpg",
        Canned::bytes(200, vec![0xFF; 9 * 1024 * 1024]),
    );
    let url = format!("{}/img/cover.jpg", h.base);
    let e = client(&h).image_bytes(&url).await.unwrap_err();
    assert!(e.sentence().contains("8 MB"), "{}", e.sentence());
    h.on(
        "/img/cover.jpg",
        Canned::bytes(200, vec![0xFF; 9 * 1024 * 1024]).chunked(),
    );
    let e = client(&h).image_bytes(&url).await.unwrap_err();
    assert!(e.sentence().contains("8 MB"), "{}", e.sentence());
    // Below the caps everything still works.
    h.on(
        "/img/cover.jpg",
        Canned::bytes(200, vec![0xFF; 1024 * 1024]),
    );
    assert_eq!(
        client(&h).image_bytes(&url).await.unwrap().len(),
        1024 * 1024
    );
}

#[tokio::test]
async fn a_long_name_is_cut_in_plain_output() {
    let h = Hostile::start().await;
    let name = format!("{}END", "n".repeat(200_000));
    h.on(
        "/v1/me/playlists",
        Canned::json(200, &playlists_named(&name)),
    );
    let home = tempfile::tempdir().unwrap();
    let out = run_spotdeck(home.path(), &api_env(&h), &["playlists"], 60).await;
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.len() < 10_000, "{} bytes printed", text.len());
    assert!(text.contains('…') && !text.contains("END"));
}

#[tokio::test]
async fn a_damaged_token_file_is_named_and_no_login_starts() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("data")).unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    let tokens = home.path().join("data/tokens.json");
    std::fs::write(&tokens, "{\"client_id\": \"spotdeck-demo\", \"access_tok").unwrap();
    // If a login started anyway, it would give up after 3 s instead of hanging.
    std::fs::write(
        home.path().join("config/config.toml"),
        "[spotify]\nredirect_port = 0\nlogin_timeout_secs = 3\n",
    )
    .unwrap();
    let env = [
        ("SPOTDECK_CLIENT_ID", "spotdeck-demo".to_string()),
        ("SPOTDECK_ACCOUNTS_BASE", "http://127.0.0.1:9".to_string()),
        ("SPOTDECK_API_BASE", "http://127.0.0.1:9/v1".to_string()),
    ];
    for cmd in ["status", "auth"] {
        let out = run_spotdeck(home.path(), &env, &[cmd], 60).await;
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{cmd}: {err}");
        assert!(err.contains("damaged"), "{cmd}: {err}");
        assert!(err.contains(&tokens.display().to_string()), "{cmd}: {err}");
        assert!(err.contains("spotdeck login"), "{cmd}: {err}");
        assert!(!err.contains("starting the"), "{cmd}: no login: {err}");
        assert!(
            !err.contains("Opening the Spotify login page"),
            "{cmd}: {err}"
        );
    }
}
