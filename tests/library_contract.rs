//! Contract test of search, the saved library and the album, artist and
//! show pages, on the shared checker (`tests/support/spec.rs`): a recording
//! proxy sits between the client (or raw requests) and the simulator, and
//! every exchange is validated whole — request (method, path, query, body)
//! and response (status, JSON schema, error object) — against the spec.
//! The test asserts the exact set of library routes exercised.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::json;
use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::spotify::{Client, SearchType};
use spotdeck::token::{AccessToken, StaticToken};
use support::proxy::{Proxy, Rule};
use support::routes::LIBRARY_ROUTES;
use support::spec::{Exchange, Spec};

async fn via_proxy(sim: &SimHandle, rule: Rule) -> (Client, Proxy, String) {
    let proxy = Proxy::start(&sim.base_url(), rule).await;
    let token = sim.issue_full_token();
    let c = Client::new(
        &proxy.api_base(),
        Arc::new(StaticToken(AccessToken::bare(token.clone()))),
    )
    .expect("client");
    (c, proxy, token)
}

/// Every exchange checked (the request too when `requests`); returns the
/// `METHOD template`s seen.
fn check_all(
    spec: &Spec,
    log: &[Exchange],
    requests: bool,
    errors: &mut Vec<String>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for x in log.iter().filter(|x| x.path.starts_with("/v1/")) {
        // The spec declares the bare ErrorObject for a 400 of /me/library;
        // the service (and so the simulator) wraps every error in
        // {"error": …}, which the other 400s of the spec declare.
        if x.status == 400 && x.path == "/v1/me/library" {
            let body: serde_json::Value = serde_json::from_slice(&x.response).unwrap_or_default();
            if body["error"]["status"] != 400 {
                errors.push(format!(
                    "{}: not the regular error object: {body}",
                    x.line()
                ));
            }
            continue;
        }
        let checks = if requests {
            vec![spec.check_request(x), spec.check_response(x)]
        } else {
            vec![spec.check_response(x)]
        };
        for r in checks {
            match r {
                Ok(k) => {
                    seen.insert(k);
                }
                Err(e) => errors.push(format!("{} ?{:?} → {}: {e}", x.line(), x.query, x.status)),
            }
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_and_simulator_keep_the_contract() {
    let spec = Spec::load();
    let sim = sim::start(SimOptions::default()).await.expect("simulator");
    let (album, artist, show) = sim.demo_catalog_ids();
    let track = sim.track_id_named("Golden Harbors").expect("a demo track");
    let (c, proxy, token) = via_proxy(&sim, Arc::new(|_| None)).await;

    // Every client method.
    let r = c
        .search("golden", &SearchType::ALL, 0, 10)
        .await
        .expect("search");
    assert!(!r.tracks.expect("tracks").items.is_empty());
    c.search(
        "artist:harbor year:2015-2020",
        &[SearchType::Track],
        995,
        99,
    )
    .await
    .expect("a clamped search");
    c.saved_tracks(0, 50).await.expect("liked");
    c.saved_albums(0, 500).await.expect("albums");
    c.saved_shows(0, 50).await.expect("shows");
    let first = c.followed_artists(None, 2).await.expect("artists");
    c.followed_artists(first.cursors.after.as_deref(), 2)
        .await
        .expect("next artists");
    assert_eq!(c.track(&track).await.expect("track").name, "Golden Harbors");
    c.album(&album).await.expect("album");
    c.album_tracks(&album, 0, 50).await.expect("album tracks");
    c.artist(&artist).await.expect("artist");
    c.artist_albums(&artist, 0, 50)
        .await
        .expect("artist albums");
    c.artist_top_tracks(&artist).await.expect("top tracks");
    c.show(&show).await.expect("show");
    c.show_episodes(&show, 0, 50).await.expect("episodes");
    let uris: Vec<String> = sim.liked_uris().into_iter().take(45).collect();
    c.library_contains(&uris).await.expect("contains");
    c.remove_from_library(&uris).await.expect("remove");
    c.save_to_library(&uris).await.expect("save");
    c.follow_playlist(sim::PLAYLIST_EDITORIAL_FRESH)
        .await
        .expect("follow");
    c.unfollow_playlist(sim::PLAYLIST_EDITORIAL_FRESH)
        .await
        .expect("unfollow");
    // 45 URIs went out in batches of at most 40.
    let writes = proxy
        .log()
        .iter()
        .filter(|x| x.path == "/v1/me/library" && x.method != "GET")
        .count();
    assert_eq!(
        writes,
        2 + 2 + 1 + 1,
        "two batches each for remove and save"
    );

    let client_log = proxy.log();
    // Simulator answers the client does not ask for: the deprecated related
    // artists, and refusals with the regular error object.
    let http = reqwest::Client::new();
    let api = proxy.api_base();
    let many: Vec<String> = (0..41).map(|_| format!("spotify:album:{album}")).collect();
    let weak = sim.issue_user_token(&["user-read-private"]);
    let raw: Vec<(reqwest::Method, String, &str, u16)> = vec![
        (
            reqwest::Method::GET,
            format!("/artists/{artist}/related-artists"),
            &token,
            200,
        ),
        (
            reqwest::Method::GET,
            "/search?q=golden&type=track&limit=11".into(),
            &token,
            400,
        ),
        (
            reqwest::Method::GET,
            "/search?q=golden&type=track&offset=1001".into(),
            &token,
            400,
        ),
        (
            reqwest::Method::GET,
            "/search?q=golden&type=tracks".into(),
            &token,
            400,
        ),
        (
            reqwest::Method::PUT,
            format!("/me/library?uris={}", many.join(",")),
            &token,
            400,
        ),
        (reqwest::Method::GET, "/albums/nope".into(), &token, 400),
        (
            reqwest::Method::GET,
            "/albums/0000000000000000000000".into(),
            &token,
            404,
        ),
        (reqwest::Method::GET, "/me/tracks".into(), &weak, 403),
        (
            reqwest::Method::GET,
            "/me/following?type=artist".into(),
            &weak,
            403,
        ),
        (
            reqwest::Method::PUT,
            format!("/me/library?uris=spotify:album:{album}"),
            &weak,
            403,
        ),
    ];
    for (method, url, tok, status) in raw {
        let r = http
            .request(method.clone(), format!("{api}{url}"))
            .bearer_auth(tok)
            .send()
            .await
            .expect("request");
        assert_eq!(r.status().as_u16(), status, "{method} {url}");
        let body: serde_json::Value = r.json().await.expect("JSON");
        if status >= 400 {
            assert_eq!(body["error"]["status"], status, "{method} {url}: {body}");
        }
    }

    // The deprecated follow endpoint, with its body, where /me/library is missing.
    let missing: Rule = Arc::new(|x: &Exchange| {
        (x.path == "/v1/me/library").then(|| {
            (
                404,
                json!({"error": {"status": 404, "message": "Service not found"}}).to_string(),
            )
        })
    });
    let (old, fallback, _) = via_proxy(&sim, missing).await;
    old.follow_playlist(sim::PLAYLIST_EDITORIAL_PARTY)
        .await
        .expect("follow via /followers");
    assert_eq!(sim.followed_playlists()[0], sim::PLAYLIST_EDITORIAL_PARTY);

    let mut errors = Vec::new();
    let log = proxy.log();
    let (sent, raw) = log.split_at(client_log.len());
    let mut seen = check_all(&spec, sent, true, &mut errors);
    seen.extend(check_all(&spec, raw, false, &mut errors));
    let fb: Vec<Exchange> = fallback
        .log()
        .into_iter()
        .filter(|x| x.path != "/v1/me/library")
        .collect();
    seen.extend(check_all(&spec, &fb, true, &mut errors));
    println!(
        "library contract: {} exchanges over {} routes",
        log.len() + fb.len(),
        seen.len()
    );
    assert!(
        errors.is_empty(),
        "outside the contract:\n{}",
        errors.join("\n")
    );
    let expected: BTreeSet<String> = LIBRARY_ROUTES.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        seen, expected,
        "the library routes exercised differ from those served"
    );
}

#[test]
fn the_checker_rejects_a_search_the_spec_does_not_allow() {
    let spec = Spec::load();
    let x = |q: &str| Exchange {
        method: "GET".into(),
        path: "/v1/search".into(),
        query: Some(q.into()),
        ..Exchange::default()
    };
    assert!(
        spec.check_request(&x("q=a&type=track,album&limit=10"))
            .is_ok()
    );
    assert!(spec.check_request(&x("q=a&type=track&limit=11")).is_err());
    assert!(
        spec.check_request(&x("type=track")).is_err(),
        "q is required"
    );
}
