//! Contract test of the simulator: every route it serves (reads and writes)
//! answers what the OpenAPI spec declares — success bodies, 204s, error
//! bodies (401, 403, 404, 400, 429, 5xx), the 2026 development-mode shapes
//! and the local-files playlist — and the test asserts the exact set of
//! routes it exercised. Each request the test sends is itself checked
//! against the spec, except the deliberately invalid ones.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use serde_json::{Value, json};
use spotdeck::sim::{self, SimHandle, SimOptions};
use support::routes::SIM_ROUTES;
use support::spec::{Exchange, Spec};

/// What a case sends.
enum Send {
    Empty,
    Json(Value),
    Jpeg(Vec<u8>),
}

/// Drives one simulator and checks every exchange.
struct Probe<'a> {
    spec: &'a Spec,
    sim: SimHandle,
    http: reqwest::Client,
    token: String,
    /// `"METHOD template"` → statuses seen.
    seen: BTreeMap<String, BTreeSet<u16>>,
    failures: Vec<String>,
    exchanges: usize,
}

impl<'a> Probe<'a> {
    async fn new(spec: &'a Spec, opts: SimOptions) -> Probe<'a> {
        let sim = sim::start(opts).await.expect("simulator starts");
        let token = sim.demo_token();
        Probe {
            spec,
            sim,
            http: reqwest::Client::new(),
            token,
            seen: BTreeMap::new(),
            failures: Vec::new(),
            exchanges: 0,
        }
    }

    /// Sends `method url` (below `/v1`) and checks request and answer; the
    /// answer must have `status`. Returns the JSON body (`Null` if none).
    async fn call(&mut self, method: &str, url: &str, body: Send, status: u16) -> Value {
        self.call_as(method, url, body, status, true, true).await
    }

    /// [`Probe::call`] for each bodiless `(method, url, status)`.
    async fn calls(&mut self, list: &[(&str, String, u16)]) {
        for (method, url, status) in list {
            self.call(method, url, Send::Empty, *status).await;
        }
    }

    /// [`Probe::call`] for a request that breaks the contract on purpose.
    async fn call_invalid(&mut self, method: &str, url: &str, body: Send, status: u16) -> Value {
        self.call_as(method, url, body, status, true, false).await
    }

    /// [`Probe::call`] without a token.
    async fn call_anonymous(&mut self, method: &str, url: &str, status: u16) -> Value {
        self.call_as(method, url, Send::Empty, status, false, true)
            .await
    }

    async fn call_as(
        &mut self,
        method: &str,
        url: &str,
        body: Send,
        status: u16,
        auth: bool,
        check_request: bool,
    ) -> Value {
        let full = format!("{}{url}", self.sim.api_base());
        let parsed = url::Url::parse(&full).expect("URL");
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = self.http.request(m, parsed.clone());
        if auth {
            rb = rb.bearer_auth(&self.token);
        }
        let (content_type, bytes) = match body {
            Send::Empty => (None, Vec::new()),
            Send::Json(v) => (Some("application/json"), v.to_string().into_bytes()),
            Send::Jpeg(jpeg) => (
                Some("image/jpeg"),
                base64::engine::general_purpose::STANDARD
                    .encode(jpeg)
                    .into_bytes(),
            ),
        };
        if let Some(ct) = content_type {
            rb = rb.header("content-type", ct);
        }
        let r = rb.body(bytes.clone()).send().await.expect("request");
        let got = r.status().as_u16();
        let header = |n: &str| {
            r.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let response_type = header("content-type");
        let retry_after = header("retry-after");
        let response = r.bytes().await.expect("body").to_vec();
        let x = Exchange {
            method: method.to_string(),
            path: parsed.path().to_string(),
            query: parsed.query().map(str::to_string),
            content_type: content_type.map(str::to_string),
            body: bytes,
            status: got,
            response_type,
            response,
        };
        self.exchanges += 1;
        let what = format!("{method} {url} → {got}");
        if got != status {
            self.failures.push(format!(
                "{what}: expected {status}: {}",
                String::from_utf8_lossy(&x.response)
            ));
        }
        if got == 429 && retry_after.is_none() {
            self.failures
                .push(format!("{what}: a 429 without Retry-After"));
        }
        if check_request && let Err(e) = self.spec.check_request(&x) {
            self.failures.push(format!("{what}: request: {e}"));
        }
        match self.spec.check_response(&x) {
            Ok(key) => {
                self.seen.entry(key).or_default().insert(got);
            }
            Err(e) => self.failures.push(format!("{what}: response: {e}")),
        }
        serde_json::from_slice(&x.response).unwrap_or(Value::Null)
    }
}

/// Reads, writes, 204s and errors with the default (2024) rules.
async fn exercise_default(p: &mut Probe<'_>) {
    let (morning, focus, local) = (
        sim::PLAYLIST_MORNING,
        sim::PLAYLIST_FOCUS,
        sim::PLAYLIST_LOCAL,
    );
    let sunday = sim::PLAYLIST_SUNDAY;
    // Profile and player reads.
    p.call_anonymous("GET", "/me", 401).await;
    p.calls(&[
        ("GET", "/me".into(), 200),
        (
            "GET",
            "/me/player?additional_types=track,episode".into(),
            200,
        ),
        ("GET", "/me/player/devices".into(), 200),
        ("GET", "/me/player/currently-playing".into(), 200),
        ("GET", "/me/player/recently-played?limit=5".into(), 200),
        ("GET", "/me/player/queue".into(), 200),
    ])
    .await;

    // Player commands.
    let to = json!({"device_ids": [sim::DEVICE_DESKTOP], "play": false});
    p.call("PUT", "/me/player", Send::Json(to), 204).await;
    let unknown = json!({"device_ids": ["no-such-device"]});
    p.call("PUT", "/me/player", Send::Json(unknown), 404).await;
    let play = json!({
        "context_uri": format!("spotify:playlist:{morning}"),
        "offset": {"position": 1},
        "position_ms": 0
    });
    let dev = sim::DEVICE_DESKTOP;
    p.call(
        "PUT",
        &format!("/me/player/play?device_id={dev}"),
        Send::Json(play),
        204,
    )
    .await;
    // An episode and a local file playing: both shapes of `item`.
    for (ctx, position, kind) in [(focus, 6, "episode"), (local, 1, "track")] {
        let play = json!({
            "context_uri": format!("spotify:playlist:{ctx}"),
            "offset": {"position": position}
        });
        p.call("PUT", "/me/player/play", Send::Json(play), 204)
            .await;
        let state = p
            .call(
                "GET",
                "/me/player?additional_types=episode",
                Send::Empty,
                200,
            )
            .await;
        assert_eq!(state["currently_playing_type"], kind, "{state}");
        assert_eq!(state["item"]["type"], kind, "{state}");
        p.call(
            "GET",
            "/me/player/currently-playing?additional_types=episode",
            Send::Empty,
            200,
        )
        .await;
    }
    p.calls(&[
        ("PUT", "/me/player/pause".into(), 204),
        ("PUT", "/me/player/play".into(), 204),
        ("POST", "/me/player/next".into(), 204),
        ("POST", "/me/player/previous".into(), 204),
        ("PUT", "/me/player/seek?position_ms=1000".into(), 204),
        ("PUT", "/me/player/repeat?state=context".into(), 204),
        ("PUT", "/me/player/volume?volume_percent=40".into(), 204),
        ("PUT", "/me/player/shuffle?state=true".into(), 204),
    ])
    .await;
    p.call_invalid(
        "PUT",
        "/me/player/volume?volume_percent=101",
        Send::Empty,
        400,
    )
    .await;
    let items = p
        .call(
            "GET",
            &format!("/playlists/{morning}/items?limit=5"),
            Send::Empty,
            200,
        )
        .await;
    let uris: Vec<String> = items["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["item"]["uri"].as_str().or(i["track"]["uri"].as_str()))
        .map(str::to_string)
        .collect();
    assert!(uris.len() >= 3, "the demo playlist has items: {items}");
    p.call(
        "POST",
        &format!("/me/player/queue?uri={}", uris[0]),
        Send::Empty,
        204,
    )
    .await;

    // Playlists: reads, including the local-files playlist and an episode.
    for id in [morning, focus, local] {
        p.calls(&[
            ("GET", format!("/playlists/{id}"), 200),
            (
                "GET",
                format!("/playlists/{id}/items?limit=50&additional_types=track,episode"),
                200,
            ),
        ])
        .await;
    }
    let curator = sim::CURATOR_USER_ID;
    p.calls(&[
        ("GET", format!("/playlists/{morning}/tracks?limit=100"), 200),
        ("GET", "/playlists/NoSuchPlaylist000000".into(), 404),
        ("GET", "/me/playlists?limit=50".into(), 200),
        ("GET", format!("/users/{curator}/playlists"), 200),
        ("GET", format!("/playlists/{morning}/images"), 200),
        ("GET", "/browse/featured-playlists".into(), 200),
        ("GET", "/browse/categories/chill/playlists".into(), 200),
    ])
    .await;
    p.call_invalid(
        "GET",
        &format!("/playlists/{morning}/items?limit=51"),
        Send::Empty,
        400,
    )
    .await;

    // Playlist writes on /items and the deprecated /tracks.
    let add = json!({"uris": [uris[0].clone()], "position": 1});
    let s = p
        .call(
            "POST",
            &format!("/playlists/{sunday}/items"),
            Send::Json(add.clone()),
            201,
        )
        .await;
    let snap = s["snapshot_id"].as_str().unwrap_or_default().to_string();
    p.call(
        "POST",
        &format!("/playlists/{sunday}/tracks"),
        Send::Json(add.clone()),
        201,
    )
    .await;
    let editorial = sim::PLAYLIST_EDITORIAL_FRESH;
    p.call(
        "POST",
        &format!("/playlists/{editorial}/items"),
        Send::Json(add),
        403,
    )
    .await;
    let reorder = json!({"range_start": 0, "insert_before": 2, "range_length": 1});
    p.call(
        "PUT",
        &format!("/playlists/{sunday}/items"),
        Send::Json(reorder.clone()),
        200,
    )
    .await;
    p.call(
        "PUT",
        &format!("/playlists/{sunday}/tracks"),
        Send::Json(reorder),
        200,
    )
    .await;
    // An older snapshot is accepted: Spotify applies the removal anyway.
    let remove = json!({"items": [{"uri": uris[0].clone()}], "snapshot_id": snap});
    p.call(
        "DELETE",
        &format!("/playlists/{sunday}/items"),
        Send::Json(remove),
        200,
    )
    .await;
    let remove = json!({"tracks": [{"uri": uris[1].clone()}]});
    p.call(
        "DELETE",
        &format!("/playlists/{sunday}/tracks"),
        Send::Json(remove),
        200,
    )
    .await;
    let replace = json!({"uris": uris.clone()});
    p.call(
        "PUT",
        &format!("/playlists/{sunday}/items"),
        Send::Json(replace),
        200,
    )
    .await;
    let details = json!({"name": "Renamed", "description": "by the contract test"});
    p.call(
        "PUT",
        &format!("/playlists/{sunday}"),
        Send::Json(details),
        200,
    )
    .await;
    let created = p
        .call(
            "POST",
            "/me/playlists",
            Send::Json(json!({"name": "Contract", "public": false})),
            201,
        )
        .await;
    p.call(
        "POST",
        &format!("/users/{}/playlists", sim::DEMO_USER_ID),
        Send::Json(json!({"name": "Contract 2", "description": "d"})),
        201,
    )
    .await;
    let new_id = created["id"].as_str().unwrap_or("missing").to_string();
    let jpeg =
        spotdeck::cover::prepare_image(&image::DynamicImage::new_rgb8(64, 64)).expect("a JPEG");
    p.call(
        "PUT",
        &format!("/playlists/{new_id}/images"),
        Send::Jpeg(jpeg),
        202,
    )
    .await;
    p.call(
        "DELETE",
        &format!("/playlists/{}/followers", sim::PLAYLIST_FOLLOWED),
        Send::Empty,
        200,
    )
    .await;

    // Faults: 429 with Retry-After, 5xx.
    p.sim.rate_limit_next(1, 2);
    p.call("GET", "/me/player/devices", Send::Empty, 429).await;
    p.sim.server_error_next(1, 503);
    p.call("POST", "/me/player/next", Send::Empty, 503).await;
    p.sim.clear_faults();

    // Free account: player commands are refused.
    p.sim.set_premium(false);
    p.call("POST", "/me/player/next", Send::Empty, 403).await;
    p.sim.set_premium(true);

    // No active device: 204 on the state, 404 on commands.
    p.sim.deactivate_all_devices();
    p.call("GET", "/me/player", Send::Empty, 204).await;
    p.call("PUT", "/me/player/pause", Send::Empty, 404).await;
}

/// The February-2026 development-mode shapes and refusals.
async fn exercise_dev_mode(p: &mut Probe<'_>) {
    let followed = sim::PLAYLIST_FOLLOWED;
    let morning = sim::PLAYLIST_MORNING;
    let me = p.call("GET", "/me", Send::Empty, 200).await;
    assert!(me.get("email").is_none(), "2026 /me drops email: {me}");
    let other = p
        .call("GET", &format!("/playlists/{followed}"), Send::Empty, 200)
        .await;
    assert!(
        other.get("items").is_none() && other.get("tracks").is_none(),
        "2026: no items of a playlist the user does not own: {other}"
    );
    let editorial = sim::PLAYLIST_EDITORIAL_CHILL;
    p.calls(&[
        ("GET", format!("/playlists/{morning}"), 200),
        ("GET", format!("/playlists/{morning}/tracks"), 403),
        ("GET", format!("/playlists/{followed}/items"), 403),
        ("GET", "/browse/featured-playlists".into(), 404),
        ("GET", "/browse/categories/chill/playlists".into(), 404),
        ("GET", format!("/playlists/{editorial}"), 404),
    ])
    .await;
    p.call(
        "POST",
        &format!("/playlists/{morning}/tracks"),
        Send::Json(json!({"uris": []})),
        403,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_what_the_spec_declares() {
    let spec = Spec::load();
    let mut seen: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut exchanges = 0;
    let dev_spec = Spec::dev_mode_2026();
    for dev_mode_2026 in [false, true] {
        let opts = SimOptions {
            dev_mode_2026,
            ..SimOptions::default()
        };
        let spec = if dev_mode_2026 { &dev_spec } else { &spec };
        let mut p = Probe::new(spec, opts).await;
        if dev_mode_2026 {
            exercise_dev_mode(&mut p).await;
        } else {
            exercise_default(&mut p).await;
        }
        for (k, v) in p.seen {
            seen.entry(k).or_default().extend(v);
        }
        failures.extend(p.failures);
        exchanges += p.exchanges;
    }
    let statuses: usize = seen.values().map(BTreeSet::len).sum();
    println!(
        "sim contract: {exchanges} exchanges validated over {} routes ({statuses} route+status pairs)",
        seen.len()
    );
    for (k, v) in &seen {
        println!("  {k}: {v:?}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let expected: BTreeSet<String> = SIM_ROUTES.iter().map(|s| s.to_string()).collect();
    let got: BTreeSet<String> = seen.keys().cloned().collect();
    assert_eq!(
        got, expected,
        "exercised routes differ from the routes the simulator serves"
    );
    let without_success: Vec<&String> = seen
        .iter()
        .filter(|(_, v)| !v.iter().any(|s| (200..300).contains(s)))
        .map(|(k, _)| k)
        .collect();
    assert!(
        without_success.is_empty(),
        "routes never answered with success: {without_success:?}"
    );
}

#[test]
fn the_response_checker_rejects_what_the_spec_does_not_allow() {
    let spec = Spec::load();
    let ok = Exchange {
        method: "GET".into(),
        path: "/v1/me/player/devices".into(),
        status: 200,
        response_type: Some("application/json".into()),
        response: br#"{"devices": []}"#.to_vec(),
        ..Exchange::default()
    };
    assert!(spec.check_response(&ok).is_ok());
    let bad_body = Exchange {
        response: br#"{"devices": [{"id": 5, "volume_percent": "loud"}]}"#.to_vec(),
        ..ok.clone()
    };
    assert!(spec.check_response(&bad_body).is_err());
    let undeclared_status = Exchange {
        status: 201,
        ..ok.clone()
    };
    assert!(spec.check_response(&undeclared_status).is_err());
    let body_on_204 = Exchange {
        method: "PUT".into(),
        path: "/v1/me/player/pause".into(),
        status: 204,
        ..ok.clone()
    };
    assert!(spec.check_response(&body_on_204).is_err());
    let bad_error = Exchange {
        status: 404,
        response: br#"{"message": "gone"}"#.to_vec(),
        ..ok.clone()
    };
    assert!(spec.check_response(&bad_error).is_err());
    // A local file's documented nulls pass; any other null does not.
    let local = |name: Value| Exchange {
        path: "/v1/me/player/currently-playing".into(),
        response: json!({
            "is_playing": true, "timestamp": 1, "progress_ms": 1,
            "currently_playing_type": "track", "actions": {"disallows": {}},
            "item": {
                "album": {"album_type": null, "artists": [], "available_markets": [],
                    "external_urls": {}, "href": null, "id": null, "images": [],
                    "name": "Basement", "release_date": null,
                    "release_date_precision": null, "type": "album", "uri": null},
                "artists": [{"external_urls": {}, "href": null, "id": null,
                    "name": "Garage", "type": "artist", "uri": null}],
                "available_markets": [], "disc_number": 0, "duration_ms": 1000,
                "explicit": false, "external_ids": {}, "external_urls": {}, "href": null,
                "id": null, "is_local": true, "name": name, "popularity": 0,
                "preview_url": null, "track_number": 0, "type": "track",
                "uri": "spotify:local:Garage:Basement:Demo:1"
            }
        })
        .to_string()
        .into_bytes(),
        ..ok.clone()
    };
    let good = local(json!("Demo"));
    assert!(
        spec.check_response(&good).is_ok(),
        "{:?}",
        spec.check_response(&good)
    );
    assert!(spec.check_response(&local(Value::Null)).is_err());
    let good_error = Exchange {
        status: 404,
        response: br#"{"error": {"status": 404, "message": "gone"}}"#.to_vec(),
        ..ok
    };
    assert!(spec.check_response(&good_error).is_ok());
}
/// The quota variant of a 429 and a wrong-typed body both answer the
/// regular error object the spec declares (and nothing is created).
#[tokio::test]
async fn quota_and_wrong_typed_bodies_use_the_regular_error_object() {
    let spec = Spec::load();
    let mut p = Probe::new(
        &spec,
        SimOptions {
            faults: vec!["quota=1/60".parse().expect("a fault spec")],
            ..SimOptions::default()
        },
    )
    .await;
    p.call("GET", "/me", Send::Empty, 200).await;
    let quota = p.call("GET", "/me", Send::Empty, 429).await;
    assert_eq!(quota["error"]["reason"], "QUOTA_EXCEEDED", "{quota}");
    p.sim.clear_faults();
    let before = p
        .call("GET", "/me/playlists?limit=50", Send::Empty, 200)
        .await["total"]
        .clone();
    let refused = p
        .call_invalid(
            "POST",
            "/me/playlists",
            Send::Json(json!({"name": "x", "public": "false"})),
            400,
        )
        .await;
    assert_eq!(refused["error"]["status"], 400, "{refused}");
    let after = p
        .call("GET", "/me/playlists?limit=50", Send::Empty, 200)
        .await["total"]
        .clone();
    assert_eq!(before, after, "a refused create must not create a playlist");
    assert!(p.failures.is_empty(), "{}", p.failures.join("\n"));
}
