//! Player endpoints of the simulator: 204 when idle, NO_ACTIVE_DEVICE,
//! restrictions, premium, clock, queue, history, scopes, faults, ETag.

use std::time::Duration;

use serde_json::{Value, json};
use spotdeck::sim::{self, SimHandle, SimOptions};

async fn sim() -> (SimHandle, reqwest::Client, String) {
    let h = sim::start(SimOptions::default()).await.expect("sim starts");
    let tok = h.demo_token();
    (h, reqwest::Client::new(), tok)
}

async fn call(
    c: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    tok: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut rb = c.request(method, url).bearer_auth(tok);
    if let Some(b) = body {
        rb = rb.json(&b);
    } else {
        rb = rb.header("content-length", "0");
    }
    let r = rb.send().await.expect("request");
    let s = r.status().as_u16();
    let text = r.text().await.expect("body");
    (s, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn initial_state_then_pause_play_and_restrictions() {
    let (h, c, t) = sim().await;
    let api = h.api_base();
    let (s, v) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me/player"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["device"]["name"], "Study Desktop");
    assert_eq!(v["is_playing"], false);
    assert_eq!(v["progress_ms"], 42_000);
    assert_eq!(v["actions"]["disallows"]["pausing"], true);
    assert_eq!(
        v["context"]["uri"],
        format!("spotify:playlist:{}", sim::PLAYLIST_MORNING)
    );
    // Pausing while paused is a restriction violation.
    let (s, v) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/pause"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(v["error"]["reason"], "UNKNOWN");
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/play"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 204);
    assert!(h.playback().expect("active").is_playing);
    h.advance_clock(Duration::from_secs(5));
    let p = h.playback().expect("active");
    assert!(p.progress_ms >= 47_000, "clock moves: {}", p.progress_ms);
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/play"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 403, "resuming while playing is disallowed");
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/pause"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 204);
    assert!(!h.playback().expect("active").is_playing);
}

#[tokio::test]
async fn idle_player_is_204_and_commands_need_a_device() {
    let (h, c, t) = sim().await;
    let api = h.api_base();
    h.deactivate_all_devices();
    let r = c
        .get(format!("{api}/me/player"))
        .bearer_auth(&t)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 204);
    assert!(r.bytes().await.expect("body").is_empty());
    let r = c
        .get(format!("{api}/me/player/currently-playing"))
        .bearer_auth(&t)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 204);
    let (s, v) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/play"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 404);
    assert_eq!(v["error"]["reason"], "NO_ACTIVE_DEVICE");
    assert_eq!(
        v["error"]["message"],
        "Player command failed: No active device found"
    );
    // Naming a device wakes it.
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/play?device_id={}", sim::DEVICE_PHONE),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let p = h.playback().expect("active");
    assert_eq!(p.device_id.as_deref(), Some(sim::DEVICE_PHONE));
    // A stale device id.
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/pause?device_id=deadbeef"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn transfer_devices_volume_premium_and_waking() {
    let (h, c, t) = sim().await;
    let api = h.api_base();
    let (s, v) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me/player/devices"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 200);
    let devs = v["devices"].as_array().expect("devices");
    assert_eq!(devs.len(), 5);
    assert!(devs.iter().any(|d| d["id"].is_null()));
    assert!(devs.iter().any(|d| d["volume_percent"].is_null()));
    let two = json!({"device_ids": [sim::DEVICE_PHONE, sim::DEVICE_SPEAKER]});
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player"),
        &t,
        Some(two),
    )
    .await;
    assert_eq!(s, 400);
    let restricted = json!({"device_ids": [sim::DEVICE_TV]});
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player"),
        &t,
        Some(restricted),
    )
    .await;
    assert_eq!(s, 403);
    h.device_waking_next(1);
    let one = json!({"device_ids": [sim::DEVICE_SPEAKER], "play": true});
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player"),
        &t,
        Some(one),
    )
    .await;
    assert_eq!(s, 202);
    let p = h.playback().expect("active");
    assert_eq!(p.device_id.as_deref(), Some(sim::DEVICE_SPEAKER));
    assert!(p.is_playing);
    let (s, v) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/volume?volume_percent=30"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 403, "speaker has no volume control");
    assert_eq!(v["error"]["reason"], "VOLUME_CONTROL_DISALLOW");
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!(
            "{api}/me/player/volume?volume_percent=30&device_id={}",
            sim::DEVICE_DESKTOP
        ),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 204);
    assert_eq!(h.playback().expect("active").volume_percent, Some(30));
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/volume?volume_percent=101"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 400);
    h.set_premium(false);
    let (s, v) = call(
        &c,
        reqwest::Method::POST,
        format!("{api}/me/player/next"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(v["error"]["reason"], "PREMIUM_REQUIRED");
}

#[tokio::test]
async fn queue_next_previous_seek_repeat_shuffle_and_history() {
    let (h, c, t) = sim().await;
    let api = h.api_base();
    let (s, v) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me/player/queue"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 200);
    let first_queued = v["queue"][0]["uri"].as_str().expect("uri").to_string();
    let (s, _) = call(
        &c,
        reqwest::Method::POST,
        format!("{api}/me/player/next"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let p = h.playback().expect("active");
    assert_eq!(p.item_uri.as_deref(), Some(first_queued.as_str()));
    assert!(p.is_playing);
    let (s, _) = call(
        &c,
        reqwest::Method::POST,
        format!("{api}/me/player/queue?uri=spotify:track:nope"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/repeat?state=track"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/repeat?state=all"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/shuffle?state=true"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let p = h.playback().expect("active");
    assert_eq!((p.repeat.as_str(), p.shuffle), ("track", true));
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/seek?position_ms=10000"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let p = h.playback().expect("active");
    assert!((10_000..12_000).contains(&p.progress_ms));
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/seek"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 400);
    // Start an album context at a given position.
    let (s, v) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me/player"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 200);
    let album = v["item"]["album"]["uri"].as_str().map(str::to_string);
    if let Some(album) = album {
        let body = json!({"context_uri": album, "offset": {"position": 1}, "position_ms": 500});
        let (s, _) = call(
            &c,
            reqwest::Method::PUT,
            format!("{api}/me/player/play"),
            &t,
            Some(body),
        )
        .await;
        assert_eq!(s, 204);
        assert_eq!(
            h.playback().expect("active").context_uri.as_deref(),
            Some(album.as_str())
        );
    }
    // History pages with cursors.
    let (s, v) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me/player/recently-played?limit=10"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["items"].as_array().expect("items").len(), 10);
    let before = v["cursors"]["before"].as_str().expect("cursor").to_string();
    let (s, v2) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me/player/recently-played?limit=10&before={before}"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_ne!(v["items"][0]["played_at"], v2["items"][0]["played_at"]);
    let (s, _) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me/player/recently-played?before=1&after=2"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me/player/recently-played?limit=51"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn track_end_plays_the_next_item() {
    let (h, c, t) = sim().await;
    let api = h.api_base();
    h.advance_clock(Duration::ZERO);
    let (s, _) = call(
        &c,
        reqwest::Method::PUT,
        format!("{api}/me/player/play"),
        &t,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let before = h.playback().expect("active").item_uri;
    h.advance_clock(Duration::from_secs(400));
    let after = h.playback().expect("active");
    assert_ne!(after.item_uri, before, "a track lasts at most 300 s");
    assert!(after.is_playing);
}

#[tokio::test]
async fn scopes_tokens_faults_and_etag() {
    let (h, c, _) = sim().await;
    let api = h.api_base();
    let weak = h.issue_user_token(&["user-read-private"]);
    let (s, v) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me/player"),
        &weak,
        None,
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(v["error"]["status"], 403);
    let r = c.get(format!("{api}/me")).send().await.expect("no token");
    assert_eq!(r.status(), 401);
    let (s, _) = call(
        &c,
        reqwest::Method::GET,
        format!("{api}/me"),
        "garbage",
        None,
    )
    .await;
    assert_eq!(s, 401);

    let t = h.demo_token();
    h.rate_limit_next(2, 3);
    for _ in 0..2 {
        let r = c
            .get(format!("{api}/me"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("429");
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()["retry-after"], "3");
    }
    h.server_error_next(1, 503);
    let r = c
        .get(format!("{api}/me"))
        .bearer_auth(&t)
        .send()
        .await
        .expect("503");
    assert_eq!(r.status(), 503);
    h.drop_connections_next(1);
    assert!(
        c.get(format!("{api}/me"))
            .bearer_auth(&t)
            .send()
            .await
            .is_err()
    );
    h.malformed_json_next(1);
    let r = c
        .get(format!("{api}/me"))
        .bearer_auth(&t)
        .send()
        .await
        .expect("bad json");
    assert!(r.json::<Value>().await.is_err());

    let r = c
        .get(format!("{api}/me"))
        .bearer_auth(&t)
        .send()
        .await
        .expect("ok");
    assert_eq!(r.status(), 200);
    let tag = r.headers()["etag"].to_str().expect("etag").to_string();
    let r = c
        .get(format!("{api}/me"))
        .bearer_auth(&t)
        .header("if-none-match", &tag)
        .send()
        .await
        .expect("304");
    assert_eq!(r.status(), 304);
    let log = h.requests();
    let last = log.last().expect("logged");
    assert!(last.if_none_match && last.status == 304 && last.path == "/v1/me");
    assert!(
        log.iter().any(|r| r.status == 0),
        "dropped request is logged"
    );
    h.clear_log();
    assert!(h.requests().is_empty());
}
