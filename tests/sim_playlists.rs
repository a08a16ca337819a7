//! Playlist endpoints of the simulator: paging bounds, both item paths,
//! edits with snapshots, covers, creation, dev-mode 2026 rules.

use base64::Engine;
use serde_json::{Value, json};
use spotdeck::sim::{self, SimHandle, SimOptions};

async fn sim() -> (SimHandle, reqwest::Client, String) {
    let h = sim::start(SimOptions::default()).await.expect("sim starts");
    let tok = h.demo_token();
    (h, reqwest::Client::new(), tok)
}

async fn send(rb: reqwest::RequestBuilder) -> (u16, Value) {
    let r = rb.send().await.expect("request");
    let s = r.status().as_u16();
    let t = r.text().await.expect("body");
    (s, serde_json::from_str(&t).unwrap_or(Value::Null))
}

#[tokio::test]
async fn pages_of_the_big_playlist_and_bounds() {
    let (h, c, t) = sim().await;
    let url = format!(
        "{}/playlists/{}/items",
        h.api_base(),
        sim::PLAYLIST_EVERYTHING
    );
    let (s, v) = send(c.get(format!("{url}?offset=9990&limit=50")).bearer_auth(&t)).await;
    assert_eq!(s, 200);
    assert_eq!(v["total"], 10_000);
    assert_eq!(v["items"].as_array().expect("items").len(), 10);
    assert!(v["next"].is_null());
    let prev = v["previous"].as_str().expect("previous");
    assert!(prev.starts_with(&h.api_base()) && prev.contains("offset=9940"));
    let (s, v) = send(c.get(format!("{url}?limit=51")).bearer_auth(&t)).await;
    assert_eq!(s, 400);
    assert_eq!(v["error"]["message"], "Invalid limit");
    assert_eq!(
        send(c.get(format!("{url}?limit=0")).bearer_auth(&t))
            .await
            .0,
        400
    );
    assert_eq!(
        send(c.get(format!("{url}?offset=-1")).bearer_auth(&t))
            .await
            .0,
        400
    );
    let old = format!(
        "{}/playlists/{}/tracks?limit=100",
        h.api_base(),
        sim::PLAYLIST_EVERYTHING
    );
    let (s, v) = send(c.get(&old).bearer_auth(&t)).await;
    assert_eq!(s, 200, "/tracks allows 100");
    let next = v["next"].as_str().expect("next").to_string();
    let (s, v2) = send(c.get(&next).bearer_auth(&t)).await;
    assert_eq!((s, v2["offset"].as_u64()), (200, Some(100)));
    let entry = &v["items"][0];
    assert_eq!(
        entry["item"], entry["track"],
        "both keys during the deprecation window"
    );
    let (s, v) = send(
        c.get(format!("{}/me/playlists?limit=50", h.api_base()))
            .bearer_auth(&t),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(v["total"], 6);
    assert_eq!(
        send(
            c.get(format!("{}/me/playlists?offset=100001", h.api_base()))
                .bearer_auth(&t)
        )
        .await
        .0,
        400
    );
}

#[tokio::test]
async fn local_files_and_duplicates() {
    let (h, c, t) = sim().await;
    let (s, v) = send(
        c.get(format!(
            "{}/playlists/{}",
            h.api_base(),
            sim::PLAYLIST_LOCAL
        ))
        .bearer_auth(&t),
    )
    .await;
    assert_eq!(s, 200);
    let items = v["items"]["items"].as_array().expect("items");
    let locals: Vec<&Value> = items.iter().filter(|e| e["is_local"] == true).collect();
    assert_eq!(locals.len(), 3);
    assert!(locals.iter().all(|e| e["item"]["id"].is_null()));
    assert!(
        locals[0]["item"]["uri"]
            .as_str()
            .expect("uri")
            .starts_with("spotify:local:")
    );
    let uris = h.playlist_uris(sim::PLAYLIST_LOCAL).expect("exists");
    assert_eq!(uris[0], uris[4], "duplicate track");
}

#[tokio::test]
async fn edits_change_the_snapshot_and_follow_the_spec() {
    let (h, c, t) = sim().await;
    let id = sim::PLAYLIST_SUNDAY;
    let items = format!("{}/playlists/{id}/items", h.api_base());
    let before = h.playlist_uris(id).expect("exists");
    let snap0 = h.playlist_snapshot_id(id).expect("snap");
    let add = json!({"uris": ["spotify:episode:".to_string() + &episode_id(&h, &c, &t).await], "position": 0});
    let (s, v) = send(c.post(&items).bearer_auth(&t).json(&add)).await;
    assert_eq!(s, 201);
    let snap1 = v["snapshot_id"].as_str().expect("snap").to_string();
    assert_ne!(snap0, snap1);
    let now = h.playlist_uris(id).expect("exists");
    assert_eq!(now.len(), before.len() + 1);
    assert!(now[0].starts_with("spotify:episode:"));
    // Reorder: move the first item to the end.
    let n = now.len();
    let (s, v) = send(
        c.put(&items)
            .bearer_auth(&t)
            .json(&json!({"range_start": 0, "insert_before": n, "snapshot_id": snap1})),
    )
    .await;
    assert_eq!(s, 200);
    let moved = h.playlist_uris(id).expect("exists");
    assert_eq!(moved[n - 1], now[0]);
    assert_eq!(moved[0], now[1]);
    // Someone else edits; our stale snapshot is still accepted for removal.
    assert!(h.edit_playlist_elsewhere(id));
    let stale = v["snapshot_id"].as_str().expect("snap").to_string();
    let victim = moved[0].clone();
    let (s, v) = send(
        c.delete(&items)
            .bearer_auth(&t)
            .json(&json!({"items": [{"uri": victim}], "snapshot_id": stale})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(!h.playlist_uris(id).expect("exists").contains(&victim));
    // A snapshot id that never existed is refused.
    let (s, _) = send(
        c.delete(&items)
            .bearer_auth(&t)
            .json(&json!({"items": [{"uri": moved[1]}], "snapshot_id": "bogus"})),
    )
    .await;
    assert_eq!(s, 400);
    // The deprecated path takes `tracks`, the new one requires `items`.
    let (s, _) = send(
        c.delete(&items)
            .bearer_auth(&t)
            .json(&json!({"tracks": [{"uri": moved[1]}]})),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = send(
        c.delete(format!("{}/playlists/{id}/tracks", h.api_base()))
            .bearer_auth(&t)
            .json(&json!({"tracks": [{"uri": moved[1]}]})),
    )
    .await;
    assert_eq!(s, 200);
    // Replace.
    let (s, _) = send(
        c.put(format!("{items}?uris={}", moved[2]))
            .bearer_auth(&t)
            .header("content-length", "0"),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(h.playlist_uris(id).expect("exists"), vec![moved[2].clone()]);
    // Too many URIs.
    let many: Vec<String> = (0..101).map(|_| moved[2].clone()).collect();
    let (s, _) = send(c.post(&items).bearer_auth(&t).json(&json!({"uris": many}))).await;
    assert_eq!(s, 400);
    // Not the owner.
    let (s, _) = send(
        c.post(format!(
            "{}/playlists/{}/items",
            h.api_base(),
            sim::PLAYLIST_FOLLOWED
        ))
        .bearer_auth(&t)
        .json(&json!({"uris": [moved[2]]})),
    )
    .await;
    assert_eq!(s, 403);
    // Missing scope.
    let weak = h.issue_user_token(&["playlist-modify-public"]);
    let (s, _) = send(
        c.post(&items)
            .bearer_auth(&weak)
            .json(&json!({"uris": [moved[2]]})),
    )
    .await;
    assert_eq!(s, 403, "private playlist needs playlist-modify-private");
}

async fn episode_id(h: &SimHandle, c: &reqwest::Client, t: &str) -> String {
    let (_, v) = send(
        c.get(format!("{}/me/player/queue", h.api_base()))
            .bearer_auth(t),
    )
    .await;
    v["queue"]
        .as_array()
        .expect("queue")
        .iter()
        .find(|i| i["type"] == "episode")
        .and_then(|i| i["id"].as_str())
        .expect("an episode is queued")
        .to_string()
}

#[tokio::test]
async fn create_details_and_cover() {
    let (h, c, t) = sim().await;
    let (s, v) = send(
        c.post(format!("{}/me/playlists", h.api_base()))
            .bearer_auth(&t)
            .json(&json!({"name": "Fresh", "public": false})),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(v["items"]["total"], 0);
    let id = v["id"].as_str().expect("id").to_string();
    let (s, _) = send(
        c.post(format!("{}/users/someone-else/playlists", h.api_base()))
            .bearer_auth(&t)
            .json(&json!({"name": "x"})),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = send(
        c.put(format!("{}/playlists/{id}", h.api_base()))
            .bearer_auth(&t)
            .json(&json!({"name": "Renamed", "description": "d"})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(h.playlist_name(&id).as_deref(), Some("Renamed"));
    let cover_url = format!("{}/playlists/{id}/images", h.api_base());
    let jpeg = {
        let img = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 10, 10]));
        let mut out = Vec::new();
        img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut out))
            .expect("jpeg");
        out
    };
    let b64 = base64::engine::general_purpose::STANDARD.encode(&jpeg);
    let (s, _) = send(
        c.put(&cover_url)
            .bearer_auth(&t)
            .header("content-type", "image/jpeg")
            .body(b64),
    )
    .await;
    assert_eq!(s, 202);
    let (s, v) = send(c.get(&cover_url).bearer_auth(&t)).await;
    assert_eq!(s, 200);
    let url = v[0]["url"].as_str().expect("url").to_string();
    assert!(v[0]["height"].is_null());
    let bytes = c
        .get(url)
        .send()
        .await
        .expect("img")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(bytes.as_ref(), jpeg.as_slice());
    let png = base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\nxxxx");
    let (s, _) = send(c.put(&cover_url).bearer_auth(&t).body(png)).await;
    assert_eq!(s, 400);
    let big = "A".repeat(256 * 1024 + 4);
    let (s, _) = send(c.put(&cover_url).bearer_auth(&t).body(big)).await;
    assert_eq!(s, 413);
}

#[tokio::test]
async fn development_mode_2026_rules() {
    let h = sim::start(SimOptions {
        dev_mode_2026: true,
        ..SimOptions::default()
    })
    .await
    .expect("sim");
    let c = reqwest::Client::new();
    let t = h.demo_token();
    let api = h.api_base();
    let (s, v) = send(
        c.get(format!("{api}/playlists/{}/tracks", sim::PLAYLIST_MORNING))
            .bearer_auth(&t),
    )
    .await;
    assert_eq!(
        (s, v["error"]["message"].as_str()),
        (403, Some("Forbidden"))
    );
    assert_eq!(
        send(
            c.get(format!("{api}/playlists/{}/items", sim::PLAYLIST_MORNING))
                .bearer_auth(&t)
        )
        .await
        .0,
        200
    );
    assert_eq!(
        send(
            c.get(format!("{api}/playlists/{}/items", sim::PLAYLIST_FOLLOWED))
                .bearer_auth(&t)
        )
        .await
        .0,
        403
    );
    let (s, v) = send(
        c.get(format!("{api}/playlists/{}", sim::PLAYLIST_FOLLOWED))
            .bearer_auth(&t),
    )
    .await;
    assert_eq!(s, 200);
    assert!(v.get("items").is_none(), "metadata only for followed lists");
    assert_eq!(
        send(
            c.get(format!("{api}/browse/featured-playlists"))
                .bearer_auth(&t)
        )
        .await
        .0,
        404
    );
    assert_eq!(
        send(
            c.get(format!("{api}/browse/categories/chill/playlists"))
                .bearer_auth(&t)
        )
        .await
        .0,
        404
    );
    let (s, v) = send(c.get(format!("{api}/me")).bearer_auth(&t)).await;
    assert_eq!(s, 200);
    assert!(v.get("product").is_none() && v.get("email").is_none());
    let (s, v) = send(c.get(format!("{api}/me/playlists")).bearer_auth(&t)).await;
    assert_eq!(
        (s, v["total"].as_u64()),
        (200, Some(6)),
        "followed lists still listed"
    );
    h.set_dev_mode_2026(false);
    assert_eq!(
        send(
            c.get(format!("{api}/browse/featured-playlists"))
                .bearer_auth(&t)
        )
        .await
        .0,
        200
    );
}
