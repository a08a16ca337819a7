//! The simulator behaves as the real service does where third-party
//! clients found it did not (issue 14, items 1–7): trailing slashes, the
//! `fields` filter, wrong-typed bodies, bare-array add bodies, cursor paging
//! in both directions, followable development-mode links, and a rolling rate
//! limit with a quota variant, switchable from outside the process.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use spotdeck::sim::ratelimit::Window;
use spotdeck::sim::{self, SimHandle, SimOptions};

struct Rig {
    h: SimHandle,
    c: reqwest::Client,
    tok: String,
}

async fn rig(opts: SimOptions) -> Rig {
    let h = sim::start(opts).await.expect("sim starts");
    let tok = h.demo_token();
    Rig {
        h,
        c: reqwest::Client::new(),
        tok,
    }
}

/// A request and its answer: status, `Retry-After` and the JSON body (or `null`).
struct Answer {
    status: u16,
    retry_after: Option<u64>,
    body: Value,
}

impl Rig {
    async fn send(&self, method: Method, path_or_url: &str, body: Option<&str>) -> Answer {
        self.send_as(&self.tok, method, path_or_url, body).await
    }

    async fn send_as(
        &self,
        tok: &str,
        method: Method,
        path_or_url: &str,
        body: Option<&str>,
    ) -> Answer {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_string()
        } else {
            format!("{}{path_or_url}", self.h.api_base())
        };
        let mut rb = self.c.request(method, url).bearer_auth(tok);
        rb = match body {
            Some(b) => rb
                .header("content-type", "application/json")
                .body(b.to_string()),
            None => rb.header("content-length", "0"),
        };
        let r = rb.send().await.expect("request");
        let status = r.status().as_u16();
        let retry_after = r
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let text = r.text().await.expect("body");
        Answer {
            status,
            retry_after,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn set(k: &[&str]) -> BTreeSet<String> {
    k.iter().map(|s| s.to_string()).collect()
}

/// The regular error object with this status.
fn assert_error(a: &Answer, status: u16) {
    assert_eq!(a.status, status, "{}", a.body);
    assert_eq!(a.body["error"]["status"], status, "{}", a.body);
    assert!(a.body["error"]["message"].is_string(), "{}", a.body);
}

// ----- 1. trailing slash -----

#[tokio::test]
async fn a_trailing_slash_is_the_same_path() {
    let r = rig(SimOptions::default()).await;
    for path in [
        "/me",
        "/me/player",
        "/me/playlists",
        &format!("/playlists/{}", sim::PLAYLIST_MORNING),
    ] {
        let plain = r.get(path).await;
        let slash = r.get(&format!("{path}/")).await;
        assert_eq!(plain.status, 200, "{path}");
        assert_eq!(slash.status, 200, "{path}/ answered {}", slash.body);
        assert_eq!(plain.body, slash.body, "{path}/ differs from {path}");
    }
    // With a query too.
    let a = r.get("/me/playlists/?limit=2").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["limit"], 2);
}

// ----- 2. fields -----

#[tokio::test]
async fn fields_filters_playlists_and_items() {
    let r = rig(SimOptions::default()).await;
    let id = sim::PLAYLIST_MORNING;
    let a = r.get(&format!("/playlists/{id}?fields=snapshot_id")).await;
    assert_eq!(a.status, 200);
    assert_eq!(keys(&a.body), set(&["snapshot_id"]), "{}", a.body);
    assert_eq!(
        a.body["snapshot_id"].as_str(),
        r.h.playlist_snapshot_id(id).as_deref()
    );

    let a = r
        .get(&format!(
            "/playlists/{id}/items?limit=3&fields=items(item(name,uri)),next"
        ))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(keys(&a.body), set(&["items", "next"]), "{}", a.body);
    let items = a.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for it in items {
        assert_eq!(keys(it), set(&["item"]));
        assert_eq!(keys(&it["item"]), set(&["name", "uri"]));
    }
    let uris = r.h.playlist_uris(id).unwrap();
    assert_eq!(items[0]["item"]["uri"], uris[0]);
    assert!(a.body["next"].is_string());

    let a = r
        .get(&format!("/playlists/{id}?fields=tracks.items(track(name))"))
        .await;
    assert_eq!(keys(&a.body), set(&["tracks"]), "{}", a.body);
    assert_eq!(keys(&a.body["tracks"]), set(&["items"]));
    assert_eq!(keys(&a.body["tracks"]["items"][0]["track"]), set(&["name"]));

    // Exclusion keeps everything else.
    let a = r
        .get(&format!(
            "/playlists/{id}/items?limit=1&fields=items(!track)"
        ))
        .await;
    let it = &a.body["items"][0];
    assert!(
        it.get("item").is_some() && it.get("track").is_none(),
        "{it}"
    );

    let bad = r.get(&format!("/playlists/{id}?fields=items(item")).await;
    assert_error(&bad, 400);
}

// ----- 3. wrong-typed bodies -----

#[tokio::test]
async fn wrong_typed_bodies_are_refused_and_change_nothing() {
    let r = rig(SimOptions::default()).await;
    let before = r.get("/me/playlists?limit=1").await.body["total"].clone();
    for body in [
        json!({"name": "x", "public": "false"}),
        json!({"name": "x", "collaborative": -5.3}),
        json!({"name": "x", "description": {}}),
        json!({"name": 7}),
        json!(["x"]),
    ] {
        let a = r
            .send(Method::POST, "/me/playlists", Some(&body.to_string()))
            .await;
        assert_error(&a, 400);
    }
    assert_eq!(r.get("/me/playlists?limit=1").await.body["total"], before);

    let id = sim::PLAYLIST_SUNDAY;
    let name = r.h.playlist_name(id);
    let snap = r.h.playlist_snapshot_id(id);
    for body in [
        json!({"name": false}),
        json!({"public": "yes"}),
        json!({"name": "ok", "description": 3}),
    ] {
        let a = r
            .send(
                Method::PUT,
                &format!("/playlists/{id}"),
                Some(&body.to_string()),
            )
            .await;
        assert_error(&a, 400);
    }
    assert_eq!(r.h.playlist_name(id), name);
    assert_eq!(r.h.playlist_snapshot_id(id), snap);

    // Playback stays paused, also with a device_id that would have moved it.
    assert!(!r.h.playback().unwrap().is_playing);
    for body in [
        json!({"uris": {"a": 1}}),
        json!({"uris": [1, 2]}),
        json!({"context_uri": 5}),
        json!({"position_ms": "10"}),
        json!({"context_uri": format!("spotify:playlist:{id}"), "offset": 3}),
    ] {
        let a = r
            .send(
                Method::PUT,
                &format!("/me/player/play?device_id={}", sim::DEVICE_PHONE),
                Some(&body.to_string()),
            )
            .await;
        assert_error(&a, 400);
    }
    let pb = r.h.playback().unwrap();
    assert!(!pb.is_playing);
    assert_eq!(pb.device_id.as_deref(), Some(sim::DEVICE_DESKTOP));

    let a = r
        .send(
            Method::PUT,
            "/me/player",
            Some(&json!({"device_ids": [sim::DEVICE_PHONE], "play": "true"}).to_string()),
        )
        .await;
    assert_error(&a, 400);
    assert_eq!(
        r.h.playback().unwrap().device_id.as_deref(),
        Some(sim::DEVICE_DESKTOP)
    );

    // Item edits: wrong types refused, the items untouched.
    let uris = r.h.playlist_uris(id).unwrap();
    for (method, body) in [
        (Method::POST, json!({"uris": "spotify:track:x"})),
        (Method::POST, json!({"uris": [uris[0]], "position": "0"})),
        (Method::PUT, json!({"range_start": "0", "insert_before": 2})),
        (Method::DELETE, json!({"items": [{"uri": 5}]})),
        (Method::DELETE, json!({"items": {"uri": uris[0]}})),
    ] {
        let a = r
            .send(
                method,
                &format!("/playlists/{id}/items"),
                Some(&body.to_string()),
            )
            .await;
        assert_error(&a, 400);
    }
    assert_eq!(r.h.playlist_uris(id).unwrap(), uris);
}

// ----- 4. bodies real clients send -----

#[tokio::test]
async fn add_accepts_a_bare_array_and_the_other_forms() {
    let r = rig(SimOptions::default()).await;
    let id = sim::PLAYLIST_SUNDAY;
    let pick = r.h.playlist_uris(sim::PLAYLIST_MORNING).unwrap();
    let (a, b, c) = (&pick[0], &pick[1], &pick[2]);

    // spotipy: a bare JSON array, `position` in the query.
    let ans = r
        .send(
            Method::POST,
            &format!("/playlists/{id}/items?position=0"),
            Some(&json!([a]).to_string()),
        )
        .await;
    assert_eq!(ans.status, 201, "{}", ans.body);
    assert!(ans.body["snapshot_id"].is_string());
    assert_eq!(&r.h.playlist_uris(id).unwrap()[0], a);

    // `{uris, position}`.
    let ans = r
        .send(
            Method::POST,
            &format!("/playlists/{id}/items"),
            Some(&json!({"uris": [b], "position": 1}).to_string()),
        )
        .await;
    assert_eq!(ans.status, 201, "{}", ans.body);
    assert_eq!(&r.h.playlist_uris(id).unwrap()[1], b);

    // The `uris` query parameter, no body.
    let ans = r
        .send(
            Method::POST,
            &format!("/playlists/{id}/items?uris={c}&position=2"),
            None,
        )
        .await;
    assert_eq!(ans.status, 201, "{}", ans.body);
    assert_eq!(&r.h.playlist_uris(id).unwrap()[2], c);

    // A bare array of something else is still refused.
    let ans = r
        .send(
            Method::POST,
            &format!("/playlists/{id}/items"),
            Some("[1, 2]"),
        )
        .await;
    assert_error(&ans, 400);
}

// ----- 5. recently played cursors -----

/// Follows `next` links from `first`; returns every `played_at` in order.
async fn walk(r: &Rig, first: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut url = first.to_string();
    for _ in 0..20 {
        let a = r.get(&url).await;
        assert_eq!(a.status, 200, "{url}: {}", a.body);
        for it in a.body["items"].as_array().unwrap() {
            seen.push(it["played_at"].as_str().unwrap().to_string());
        }
        match a.body["next"].as_str() {
            Some(n) => url = n.to_string(),
            None => return seen,
        }
    }
    panic!("next links never ended");
}

#[tokio::test]
async fn recently_played_pages_both_ways() {
    let r = rig(SimOptions::default()).await;
    let all = r.get("/me/player/recently-played?limit=50").await.body["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(all, 30);

    // Backwards in time from now: newest first, every item once.
    let back = walk(&r, "/me/player/recently-played?limit=10").await;
    assert_eq!(back.len(), 30, "{back:?}");
    assert!(back.windows(2).all(|w| w[0] > w[1]), "{back:?}");

    // Forwards in time from long ago: the request.
    let first = r
        .get("/me/player/recently-played?limit=10&after=1484811043508")
        .await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 10);
    assert!(
        first.body["next"].is_string(),
        "20 newer items exist: {}",
        first.body["next"]
    );
    let fwd = walk(
        &r,
        "/me/player/recently-played?limit=10&after=1484811043508",
    )
    .await;
    let distinct: BTreeSet<&String> = fwd.iter().collect();
    assert_eq!(fwd.len(), 30, "{fwd:?}");
    assert_eq!(distinct.len(), 30);
    let mut sorted = back.clone();
    sorted.sort();
    let mut fwd_sorted = fwd.clone();
    fwd_sorted.sort();
    assert_eq!(sorted, fwd_sorted);
}

// ----- 6. development-mode links -----

#[tokio::test]
async fn dev_mode_next_links_are_followable() {
    let r = rig(SimOptions {
        dev_mode_2026: true,
        ..SimOptions::default()
    })
    .await;
    let mut url = "/me/playlists?limit=2".to_string();
    let mut total_seen = 0;
    for _ in 0..20 {
        let a = r.get(&url).await;
        assert_eq!(a.status, 200, "{url}: {}", a.body);
        total_seen += a.body["items"].as_array().unwrap().len();
        match a.body["next"].as_str() {
            Some(n) => url = n.to_string(),
            None => break,
        }
    }
    let total = r.get("/me/playlists?limit=1").await.body["total"].as_u64();
    assert_eq!(Some(total_seen as u64), total);
    // Items links of an owned playlist too.
    let a = r
        .get(&format!(
            "/playlists/{}/items?limit=5",
            sim::PLAYLIST_MORNING
        ))
        .await;
    let next = a.body["next"].as_str().unwrap().to_string();
    assert_eq!(r.get(&next).await.status, 200);
}

// ----- 7. rolling rate limit, quota, fault switches from outside -----

#[tokio::test]
async fn rolling_window_answers_429_with_retry_after_per_app() {
    let r = rig(SimOptions::default()).await;
    r.h.set_rate_limit(Some(Window {
        max_requests: 3,
        window: Duration::from_secs(2),
    }));
    for _ in 0..3 {
        assert_eq!(r.get("/me").await.status, 200);
    }
    let limited = r.get("/me").await;
    assert_error(&limited, 429);
    assert!(limited.body["error"].get("reason").is_none());
    let secs = limited.retry_after.expect("Retry-After");
    assert!((1..=2).contains(&secs), "Retry-After {secs}");

    // Another app has its own window (client-credentials token of a second app).
    r.h.register_client("other-app", Some("s3cret"), &[]);
    let form: Value =
        r.c.post(format!("{}/api/token", r.h.accounts_base()))
            .basic_auth("other-app", Some("s3cret"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let app_tok = form["access_token"].as_str().unwrap().to_string();
    let other = r
        .send_as(
            &app_tok,
            Method::GET,
            &format!("/playlists/{}?fields=name", sim::PLAYLIST_MORNING),
            None,
        )
        .await;
    assert_eq!(other.status, 200, "{}", other.body);

    // After Retry-After the window has room again.
    tokio::time::sleep(Duration::from_secs(secs)).await;
    assert_eq!(r.get("/me").await.status, 200);
}

#[tokio::test]
async fn quota_429_carries_its_reason() {
    let r = rig(SimOptions::default()).await;
    r.h.set_quota(Some(Window {
        max_requests: 2,
        window: Duration::from_secs(86_400),
    }));
    assert_eq!(r.get("/me").await.status, 200);
    assert_eq!(r.get("/me/player/devices").await.status, 200);
    let a = r.get("/me").await;
    assert_error(&a, 429);
    assert_eq!(a.body["error"]["reason"], "QUOTA_EXCEEDED");
    let secs = a.retry_after.expect("Retry-After");
    assert!(secs > 86_000 && secs <= 86_400, "Retry-After {secs}");
    r.h.clear_faults();
    assert_eq!(r.get("/me").await.status, 200);
}

#[tokio::test]
async fn fault_switches_work_from_outside_the_process() {
    let r = rig(SimOptions {
        faults: vec!["quota=1000/60".parse().unwrap()],
        ..SimOptions::default()
    })
    .await;
    let admin = format!("{}/_sim/faults", r.h.base_url());
    let post = |body: &'static str| r.c.post(admin.clone()).body(body).send();
    let resp = post("rate-limit=2/30\nremoved=/v1/me/player/devices")
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(r.get("/me/player/devices").await.status, 404);
    // The refused path was not counted: two requests fit the window.
    assert_eq!(r.get("/me").await.status, 200);
    assert_eq!(r.get("/me").await.status, 200);
    let a = r.get("/me").await;
    assert_error(&a, 429);
    assert!(a.retry_after.is_some_and(|s| s > 20 && s <= 30));

    // One bad line: refused, nothing applied.
    let resp = post("clear bogus=1").await.unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(r.get("/me").await.status, 429);

    assert_eq!(post("clear").await.unwrap().status(), 200);
    assert_eq!(r.get("/me").await.status, 200);
    assert_eq!(r.get("/me/player/devices").await.status, 200);
}
