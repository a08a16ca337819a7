//! Contract test of the client: every request it can send — each endpoint
//! and each fallback (`/tracks` when `/items` is unavailable,
//! `POST /users/{id}/playlists`, `DELETE /playlists/{id}/followers`) — is
//! declared by the OpenAPI spec: method and path, query parameters (declared,
//! typed, required ones present) and the body (content type and JSON schema).
//! A recording proxy between the client and the simulator keeps every
//! exchange whole; the test asserts the exact set of requests exercised.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::spotify::model::RepeatState;
use spotdeck::spotify::{Client, NewPlaylist, PlayArgs, PlayOffset, PlaylistDetails};
use spotdeck::token::{AccessToken, StaticToken};
use support::proxy::{Proxy, Rule};
use support::routes::{ALSO_IN_CLIENT_CONTRACT, SIM_ROUTES};
use support::spec::{Exchange, Spec};

fn not_found() -> Option<(u16, String)> {
    Some((
        404,
        r#"{"error":{"status":404,"message":"Service not found"}}"#.into(),
    ))
}

/// A client talking to `sim` through a recording proxy answering with `rule`.
async fn client_via(sim: &SimHandle, rule: Rule) -> (Client, Proxy) {
    let proxy = Proxy::start(&sim.base_url(), rule).await;
    let c = Client::new(
        &proxy.api_base(),
        Arc::new(StaticToken(AccessToken::bare(sim.issue_full_token()))),
    )
    .expect("client");
    (c, proxy)
}

/// Reads a playlist's items and edits them every way the client can
/// (add at a position, move, remove by position and by URI, replace);
/// returns the URIs, which the playlist holds again at the end.
async fn edit_items(sim: &SimHandle, c: &Client, playlist: &str) -> Vec<String> {
    let items = c
        .playlist_items(playlist, 0, None)
        .await
        .expect("playlist items");
    let uris: Vec<String> = items
        .items
        .iter()
        .filter_map(|i| i.uri().map(str::to_string))
        .collect();
    assert!(uris.len() >= 4, "the demo playlist has items");
    let snap = c
        .add_items(playlist, &uris[..2], Some(1))
        .await
        .expect("add");
    let snap = c
        .reorder_items(playlist, 0, 3, 1, Some(&snap))
        .await
        .expect("reorder");
    let now = sim.playlist_uris(playlist).expect("playlist");
    let snap = c
        .remove_positions(playlist, &now, &[1], &snap)
        .await
        .expect("remove by position");
    c.remove_items(playlist, &uris[..1], Some(&snap))
        .await
        .expect("remove");
    c.replace_items(playlist, &uris).await.expect("replace");
    assert_eq!(sim.playlist_uris(playlist).expect("playlist"), uris);
    uris
}

/// Every endpoint on the preferred paths.
async fn exercise_preferred(sim: &SimHandle, c: &Client) {
    let playlist = sim::PLAYLIST_SUNDAY;
    let dev = sim::DEVICE_PHONE;
    c.me().await.expect("me");
    c.playback_state().await.expect("playback");
    c.currently_playing().await.expect("currently playing");
    c.devices().await.expect("devices");
    c.queue().await.expect("queue");
    c.recently_played(50, None, None).await.expect("recent");
    c.transfer(dev, false).await.expect("transfer");
    c.play(&PlayArgs {
        context_uri: Some(format!("spotify:playlist:{playlist}")),
        offset: Some(PlayOffset::Position(2)),
        position_ms: Some(1000),
        device_id: Some(dev.into()),
        ..PlayArgs::default()
    })
    .await
    .expect("play a context");
    c.pause(Some(dev)).await.expect("pause");
    c.play(&PlayArgs::default()).await.expect("resume");
    c.next(None).await.expect("next");
    c.previous(Some(dev)).await.expect("previous");
    c.seek(5_000, None).await.expect("seek");
    c.repeat(RepeatState::Context, None).await.expect("repeat");
    c.volume(40, Some(dev)).await.expect("volume");
    c.shuffle(true, None).await.expect("shuffle");
    let p = c.playlist(playlist).await.expect("playlist");
    assert_eq!(p.id, playlist);
    let uris = edit_items(sim, c, playlist).await;
    c.add_to_queue(&uris[0], None).await.expect("queue add");
    c.change_playlist_details(
        playlist,
        &PlaylistDetails {
            name: Some("Renamed".into()),
            description: Some("d".into()),
            public: Some(false),
            ..PlaylistDetails::default()
        },
    )
    .await
    .expect("details");
    c.my_playlists(0, 50).await.expect("my playlists");
    c.user_playlists(sim.user_id(), 0, 50)
        .await
        .expect("user playlists");
    let created = c
        .create_playlist(&NewPlaylist {
            name: "New".into(),
            public: Some(false),
            collaborative: Some(true),
            description: Some("made by the contract test".into()),
        })
        .await
        .expect("create");
    c.featured_playlists(0, 50).await.expect("featured");
    c.category_playlists("chill", 0, 50)
        .await
        .expect("category");
    c.playlist_cover(playlist).await.expect("cover");
    let jpeg =
        spotdeck::cover::prepare_image(&image::DynamicImage::new_rgb8(64, 64)).expect("a JPEG");
    c.upload_cover(&created.id, &jpeg).await.expect("upload");
    c.unfollow_playlist(sim::PLAYLIST_FOLLOWED)
        .await
        .expect("unfollow");
}

/// The fallbacks, with the preferred paths answering 404.
async fn exercise_fallbacks(sim: &SimHandle, c: &Client) {
    let playlist = sim::PLAYLIST_MORNING;
    edit_items(sim, c, playlist).await;
    let created = c
        .create_playlist(&NewPlaylist {
            name: "Fallback".into(),
            ..NewPlaylist::default()
        })
        .await
        .expect("create via /users/{id}/playlists");
    assert_eq!(sim.playlist_name(&created.id).as_deref(), Some("Fallback"));
    c.unfollow_playlist(&created.id)
        .await
        .expect("unfollow via /followers");
}

/// Checks every exchange against the spec; returns the requests seen.
fn check_all(
    spec: &Spec,
    log: &[Exchange],
    seen: &mut BTreeMap<String, usize>,
    errors: &mut Vec<String>,
) {
    for x in log.iter().filter(|x| x.path.starts_with("/v1/")) {
        match spec.check_request(x) {
            Ok(key) => *seen.entry(key).or_default() += 1,
            Err(e) => errors.push(format!("{} ?{:?}: {e}", x.line(), x.query)),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_the_client_sends_is_declared_by_the_spec() {
    let spec = Spec::load();
    let sim = sim::start(SimOptions::default()).await.expect("simulator");
    let (c, preferred) = client_via(&sim, Arc::new(|_| None)).await;
    exercise_preferred(&sim, &c).await;

    let fallback_rule: Rule = Arc::new(|x: &Exchange| {
        let items = x.path.starts_with("/v1/playlists/") && x.path.ends_with("/items");
        let create = x.method == "POST" && x.path == "/v1/me/playlists";
        let library = x.path == "/v1/me/library";
        (items || create || library).then(not_found).flatten()
    });
    let (c, fallbacks) = client_via(&sim, fallback_rule).await;
    exercise_fallbacks(&sim, &c).await;

    let mut seen = BTreeMap::new();
    let mut errors = Vec::new();
    let (a, b) = (preferred.log(), fallbacks.log());
    check_all(&spec, &a, &mut seen, &mut errors);
    check_all(&spec, &b, &mut seen, &mut errors);
    let total: usize = seen.values().sum();
    let with_body = a.iter().chain(&b).filter(|x| !x.body.is_empty()).count();
    println!(
        "client contract: {total} requests ({with_body} with a body) validated over {} method+path templates",
        seen.len()
    );
    for (k, n) in &seen {
        println!("  {k}: {n}");
    }
    assert!(
        errors.is_empty(),
        "requests outside the contract:\n{}",
        errors.join("\n")
    );
    let expected: BTreeSet<String> = SIM_ROUTES
        .iter()
        .chain(ALSO_IN_CLIENT_CONTRACT)
        .map(|s| s.to_string())
        .collect();
    let got: BTreeSet<String> = seen.keys().cloned().collect();
    assert_eq!(
        got, expected,
        "the requests exercised differ from the requests the client can send"
    );
}

fn request(method: &str, path: &str, query: Option<&str>, json: Option<&str>) -> Exchange {
    Exchange {
        method: method.into(),
        path: path.into(),
        query: query.map(str::to_string),
        content_type: json.map(|_| "application/json".to_string()),
        body: json.map(|b| b.as_bytes().to_vec()).unwrap_or_default(),
        ..Exchange::default()
    }
}

#[test]
fn the_request_checker_rejects_what_the_spec_does_not_allow() {
    let spec = Spec::load();
    let ok = |x: Exchange| spec.check_request(&x).is_ok();
    let items = "/v1/playlists/abc/items";
    assert!(ok(request("GET", items, Some("limit=50&offset=0"), None)));
    assert!(!ok(request("GET", items, Some("limit=100"), None)));
    assert!(!ok(request("GET", items, Some("colour=red"), None)));
    assert!(!ok(request("GET", "/v1/me/nothing-here", None, None)));
    assert!(!ok(request("PATCH", "/v1/me/player", None, None)));
    let volume = "/v1/me/player/volume";
    assert!(!ok(request(
        "PUT",
        volume,
        Some("volume_percent=loud"),
        None
    )));
    // A required query parameter is missing.
    assert!(!ok(request("PUT", volume, None, None)));
    assert!(!ok(request("POST", "/v1/me/player/queue", None, None)));
    // Bodies: schema, required body, undeclared body.
    let transfer = "/v1/me/player";
    assert!(ok(request(
        "PUT",
        transfer,
        None,
        Some(r#"{"device_ids":["d"]}"#)
    )));
    assert!(!ok(request(
        "PUT",
        transfer,
        None,
        Some(r#"{"play":true}"#)
    )));
    assert!(!ok(request(
        "PUT",
        transfer,
        None,
        Some(r#"{"device_ids":"d"}"#)
    )));
    assert!(!ok(request("PUT", transfer, None, Some("not json"))));
    let remove = "/v1/playlists/abc/tracks";
    assert!(!ok(request(
        "DELETE",
        remove,
        None,
        Some(r#"{"items":[]}"#)
    )));
    assert!(!ok(request("POST", "/v1/me/player/next", None, Some("{}"))));
    let upload = Exchange {
        method: "PUT".into(),
        path: "/v1/playlists/abc/images".into(),
        content_type: Some("image/jpeg".into()),
        body: b"/9j/4AAQ".to_vec(),
        ..Exchange::default()
    };
    assert!(spec.check_request(&upload).is_ok());
    assert!(
        spec.check_request(&Exchange {
            body: Vec::new(),
            ..upload.clone()
        })
        .is_err(),
        "the cover body is required"
    );
    assert!(
        spec.check_request(&Exchange {
            body: b"not base64!".to_vec(),
            ..upload
        })
        .is_err()
    );
}
