//! The client finds out at run time which playlist endpoints this app may
//! use — `/items` or the older `/tracks`, `/me/playlists` or
//! `/users/{id}/playlists` — and remembers it for the session (issue 14,
//! item 10), with no config switch.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::sync::Arc;

use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::spotify::{Client, NewPlaylist};
use spotdeck::token::{AccessToken, StaticToken};

async fn rig() -> (SimHandle, Client) {
    let sim = sim::start(SimOptions::default()).await.unwrap();
    let tokens = Arc::new(StaticToken(AccessToken::bare(sim.issue_full_token())));
    let c = Client::new(&sim.api_base(), tokens).unwrap();
    (sim, c)
}

fn count(sim: &SimHandle, method: &str, path_part: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == method && r.path.contains(path_part))
        .count()
}

#[tokio::test]
async fn items_falls_back_to_tracks_once_and_remembers() {
    let (sim, c) = rig().await;
    sim.remove_endpoint("/v1/playlists/*/items");
    let id = sim::PLAYLIST_MORNING;
    let want = sim.playlist_uris(id).unwrap();
    let p = c.playlist_items(id, 0, Some(10)).await.unwrap();
    assert_eq!(p.items[0].uri(), Some(want[0].as_str()));
    let p = c.playlist_items(id, 10, Some(10)).await.unwrap();
    assert_eq!(p.items[0].uri(), Some(want[10].as_str()));
    let snap = c
        .add_items(sim::PLAYLIST_SUNDAY, &[want[0].clone()], None)
        .await
        .unwrap();
    assert!(!snap.is_empty());
    assert_eq!(count(&sim, "GET", "/items"), 1, "/items tried once only");
    assert_eq!(
        count(&sim, "POST", "/items"),
        0,
        "the finding holds for edits"
    );
    assert_eq!(count(&sim, "GET", "/tracks"), 2);
    assert_eq!(count(&sim, "POST", "/tracks"), 1);
}

#[tokio::test]
async fn my_playlists_falls_back_to_the_user_path_and_remembers() {
    let (sim, c) = rig().await;
    sim.remove_endpoint("/v1/me/playlists");
    let first = c.my_playlists(0, 2).await.unwrap();
    assert_eq!(first.items.len(), 2);
    let second = c.my_playlists(2, 2).await.unwrap();
    assert_eq!(second.offset, 2);
    let made = c
        .create_playlist(&NewPlaylist {
            name: "Found out".into(),
            ..NewPlaylist::default()
        })
        .await
        .unwrap();
    assert_eq!(made.name, "Found out");
    assert_eq!(count(&sim, "GET", "/me/playlists"), 1, "tried once only");
    assert_eq!(count(&sim, "POST", "/me/playlists"), 0);
    assert_eq!(count(&sim, "GET", "/users/demo/playlists"), 2);
    assert_eq!(count(&sim, "POST", "/users/demo/playlists"), 1);
    let me = sim
        .requests()
        .iter()
        .filter(|r| r.line() == "GET /v1/me")
        .count();
    assert_eq!(me, 1, "the user id is looked up once");
}

#[tokio::test]
async fn the_new_endpoints_are_used_where_they_work() {
    let (sim, c) = rig().await;
    c.my_playlists(0, 2).await.unwrap();
    c.my_playlists(2, 2).await.unwrap();
    c.playlist_items(sim::PLAYLIST_MORNING, 0, Some(5))
        .await
        .unwrap();
    assert_eq!(count(&sim, "GET", "/users/"), 0);
    assert_eq!(count(&sim, "GET", "/tracks"), 0);
    assert_eq!(count(&sim, "GET", "/me/playlists"), 2);
}
