//! The Web API client, worker and scripting subcommands against the
//! simulator: every endpoint, the fault switches, and a 10,000-item playlist.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::sync::Arc;
use std::time::Duration;

use spotdeck::cli::{Command, OnOff, QueueAction, RepeatArg};
use spotdeck::commands;
use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::spotify::model::{PlayableItem, RepeatState};
use spotdeck::spotify::request::{ApiRequest, Priority, Reply, Request, WorkerEvent};
use spotdeck::spotify::worker;
use spotdeck::spotify::{ApiError, Client, ClientOptions, NewPlaylist, PlayArgs, PlaylistDetails};
use spotdeck::token::{AccessToken, StaticToken};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

async fn rig() -> (SimHandle, Client) {
    let sim = sim::start(SimOptions::default()).await.unwrap();
    let tokens = Arc::new(StaticToken(AccessToken::bare(sim.issue_full_token())));
    let opts = ClientOptions {
        backoff_base: Duration::from_millis(5),
        accepted_delay: Duration::from_millis(20),
        ..ClientOptions::default()
    };
    let c = Client::with_options(&sim.api_base(), tokens, opts).unwrap();
    (sim, c)
}

#[tokio::test]
async fn player_endpoints_drive_the_simulator() {
    let (sim, c) = rig().await;
    assert_eq!(c.me().await.unwrap().id, sim.user_id());
    let devices = c.devices().await.unwrap();
    assert!(!devices.is_empty());
    c.transfer(sim::DEVICE_DESKTOP, true).await.unwrap();
    assert_eq!(
        sim.playback().unwrap().device_id.as_deref(),
        Some(sim::DEVICE_DESKTOP)
    );
    let ctx = format!("spotify:playlist:{}", sim::PLAYLIST_MORNING);
    c.play(&PlayArgs {
        context_uri: Some(ctx.clone()),
        ..PlayArgs::default()
    })
    .await
    .unwrap();
    let st = c.playback_state().await.unwrap().unwrap();
    assert!(st.is_playing);
    assert_eq!(st.context.unwrap().uri, ctx);
    assert!(c.currently_playing().await.unwrap().unwrap().item.is_some());
    c.pause(None).await.unwrap();
    assert!(!sim.playback().unwrap().is_playing);
    c.play(&PlayArgs::default()).await.unwrap();
    assert!(sim.playback().unwrap().is_playing);
    let before = sim.playback().unwrap().item_uri;
    c.next(None).await.unwrap();
    assert_ne!(sim.playback().unwrap().item_uri, before);
    c.previous(None).await.unwrap();
    c.seek(30_000, None).await.unwrap();
    assert!(sim.playback().unwrap().progress_ms >= 30_000);
    c.repeat(RepeatState::Track, None).await.unwrap();
    c.volume(33, None).await.unwrap();
    c.shuffle(true, None).await.unwrap();
    let p = sim.playback().unwrap();
    assert_eq!(
        (p.repeat.as_str(), p.volume_percent, p.shuffle),
        ("track", Some(33), true)
    );
    let items = c
        .playlist_items(sim::PLAYLIST_MORNING, 0, Some(5))
        .await
        .unwrap();
    let uri = items.items[0].uri().unwrap().to_owned();
    c.add_to_queue(&uri, None).await.unwrap();
    assert_eq!(sim.playback().unwrap().queue.last(), Some(&uri));
    let q = c.queue().await.unwrap();
    assert!(q.queue.iter().any(|i| i.uri() == uri));
    let recent = c.recently_played(10, None, None).await.unwrap();
    assert!(
        !recent.items.is_empty() && recent.items.len() <= 10,
        "{} recently played",
        recent.items.len()
    );
}

#[tokio::test]
async fn player_errors_and_faults_are_handled() {
    let (sim, c) = rig().await;
    sim.deactivate_all_devices();
    assert!(c.playback_state().await.unwrap().is_none(), "204 → None");
    assert!(c.pause(None).await.unwrap_err().is_no_active_device());
    // A device waking up answers 202 first; the client retries.
    sim.device_waking_next(2);
    let ctx = format!("spotify:playlist:{}", sim::PLAYLIST_MORNING);
    sim.clear_log();
    c.play(&PlayArgs {
        device_id: Some(sim::DEVICE_PHONE.into()),
        context_uri: Some(ctx),
        ..PlayArgs::default()
    })
    .await
    .unwrap();
    let plays = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/me/player/play")
        .count();
    assert!(plays >= 2, "the 202 was retried ({plays} requests)");
    assert_eq!(
        sim.playback().unwrap().device_id.as_deref(),
        Some(sim::DEVICE_PHONE)
    );
    sim.server_error_next(2, 503);
    assert!(c.devices().await.is_ok(), "GET retried after 503");
    sim.rate_limit_next(1, 1);
    let start = std::time::Instant::now();
    c.devices().await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "waited out Retry-After"
    );
    sim.set_premium(false);
    assert_eq!(c.next(None).await.unwrap_err(), ApiError::PremiumRequired);
}

#[tokio::test]
async fn playlist_endpoints_edit_the_simulator() {
    let (sim, c) = rig().await;
    let id = sim::PLAYLIST_MORNING;
    let p = c.playlist(id).await.unwrap();
    assert_eq!(p.snapshot_id, sim.playlist_snapshot_id(id).unwrap());
    let details = PlaylistDetails {
        name: Some("Renamed".into()),
        description: Some("d".into()),
        ..PlaylistDetails::default()
    };
    c.change_playlist_details(id, &details).await.unwrap();
    assert_eq!(sim.playlist_name(id).as_deref(), Some("Renamed"));
    let uris = sim.playlist_uris(id).unwrap();
    let n = uris.len();
    let s1 = c.add_items(id, &[uris[0].clone()], Some(1)).await.unwrap();
    assert_eq!(sim.playlist_uris(id).unwrap()[1], uris[0]);
    // Remove the copy we just added by position; the original stays first.
    let now = sim.playlist_uris(id).unwrap();
    let s2 = c.remove_positions(id, &now, &[1], &s1).await.unwrap();
    assert_eq!(sim.playlist_uris(id).unwrap(), uris);
    let s3 = c.reorder_items(id, 0, 2, 1, Some(&s2)).await.unwrap();
    let moved = sim.playlist_uris(id).unwrap();
    assert_eq!(moved[1], uris[0]);
    c.replace_items(id, &uris[..2]).await.unwrap();
    assert_eq!(sim.playlist_uris(id).unwrap(), uris[..2].to_vec());
    c.remove_items(id, &[uris[0].clone()], None).await.unwrap();
    assert_eq!(sim.playlist_uris(id).unwrap().len(), 1);
    assert_ne!(s3, s1);
    assert!(n > 2);

    let mine = c.my_playlists(0, 50).await.unwrap();
    assert!(mine.items.iter().any(|p| p.id == id));
    let theirs = c.user_playlists(sim::CURATOR_USER_ID, 0, 50).await.unwrap();
    assert!(!theirs.items.is_empty(), "the curator has public playlists");
    assert!(
        theirs
            .items
            .iter()
            .all(|p| p.owner.id == sim::CURATOR_USER_ID && p.public == Some(true)),
        "only the curator's public playlists"
    );
    let created = c
        .create_playlist(&NewPlaylist {
            name: "New one".into(),
            public: Some(false),
            ..NewPlaylist::default()
        })
        .await
        .unwrap();
    assert_eq!(sim.playlist_name(&created.id).as_deref(), Some("New one"));
    let covers = c.playlist_cover(id).await.unwrap();
    let img = covers.first().expect("a playlist with items has a cover");
    let jpeg = c.image_bytes(&img.url).await.unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8]), "the cover is a JPEG");
    c.upload_cover(&created.id, &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])
        .await
        .unwrap();
    let featured = c.featured_playlists(0, 10).await.unwrap();
    assert!(!featured.playlists.items.is_empty());
    let chill = c.category_playlists("chill", 0, 10).await.unwrap();
    assert!(!chill.playlists.items.is_empty());
    let unknown = c.category_playlists("mood", 0, 10).await.unwrap_err();
    assert!(matches!(unknown, ApiError::NotFound { .. }), "{unknown:?}");
}

#[tokio::test]
async fn local_files_and_duplicates_are_read_and_removed_by_position() {
    let (sim, c) = rig().await;
    let id = sim::PLAYLIST_LOCAL;
    let p = c.playlist(id).await.unwrap();
    let items = p.items.unwrap().items;
    let local = items.iter().find(|i| i.is_local).expect("a local file");
    let Some(PlayableItem::Track(t)) = &local.item else {
        panic!("local track")
    };
    assert!(t.id.is_none());
    assert!(t.local_file().is_some(), "{}", t.uri);
    let uris = sim.playlist_uris(id).unwrap();
    let dup = (0..uris.len())
        .find(|&i| {
            !uris[i].starts_with("spotify:local:")
                && uris.iter().filter(|u| **u == uris[i]).count() > 1
        })
        .expect("a duplicated track");
    let snap = sim.playlist_snapshot_id(id).unwrap();
    c.remove_positions(id, &uris, &[dup as u32], &snap)
        .await
        .unwrap();
    let mut want = uris.clone();
    want.remove(dup);
    assert_eq!(sim.playlist_uris(id).unwrap(), want);
}

#[tokio::test]
async fn ten_thousand_items_load_fully_with_counted_requests() {
    let (sim, c) = rig().await;
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (ev_tx, mut ev_rx) = mpsc::unbounded_channel();
    worker::spawn(c.clone(), req_rx, ev_tx, CancellationToken::new());
    sim.clear_log();
    let started = std::time::Instant::now();
    req_tx
        .send(ApiRequest {
            id: 9,
            priority: Priority::VisiblePane,
            call: Request::GetPlaylistItems {
                playlist_id: sim::PLAYLIST_EVERYTHING.into(),
            },
        })
        .unwrap();
    let mut loaded = 0usize;
    let mut first_page_at = None;
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(60), ev_rx.recv())
            .await
            .unwrap()
            .unwrap();
        let WorkerEvent::Answer(r) = ev else {
            continue;
        };
        let Reply::ItemsPage {
            offset,
            items,
            done,
            total,
            ..
        } = r.result.unwrap()
        else {
            panic!()
        };
        assert_eq!(offset as usize, loaded, "in order");
        assert_eq!(total as usize, sim::EVERYTHING_LEN);
        first_page_at.get_or_insert(started.elapsed());
        loaded += items.len();
        if done {
            break;
        }
    }
    assert_eq!(loaded, sim::EVERYTHING_LEN);
    let requests = sim.requests().len();
    // 1 playlist (first 100 embedded) + pages of the spec's maximum of 50,
    // with no refused probe.
    let limit = c.items_page_limit() as usize;
    assert_eq!(limit, 50);
    let expected = 1 + (sim::EVERYTHING_LEN - 100).div_ceil(limit);
    assert_eq!(requests, expected);
    eprintln!(
        "10,000 items: {requests} requests (page size {limit}), first page after {:?}, all after {:?}",
        first_page_at.unwrap(),
        started.elapsed()
    );
}

#[tokio::test]
async fn scripting_subcommands_run_against_the_simulator() {
    let (sim, c) = rig().await;
    let out = commands::execute(&Command::Devices, false, &c)
        .await
        .unwrap();
    assert!(out.contains(sim::DEVICE_DESKTOP), "{out}");
    let dev_name = sim
        .devices()
        .into_iter()
        .find(|d| d.id.as_deref() == Some(sim::DEVICE_PHONE))
        .unwrap()
        .name;
    let out = commands::execute(
        &Command::Transfer {
            device: dev_name.to_lowercase(),
            paused: false,
        },
        false,
        &c,
    )
    .await
    .unwrap();
    assert!(out.contains(&dev_name));
    assert_eq!(
        sim.playback().unwrap().device_id.as_deref(),
        Some(sim::DEVICE_PHONE)
    );
    let ctx = format!("spotify:playlist:{}", sim::PLAYLIST_SUNDAY);
    commands::execute(
        &Command::Play {
            uris: vec![ctx],
            device: None,
        },
        false,
        &c,
    )
    .await
    .unwrap();
    let out = commands::execute(&Command::Status, false, &c)
        .await
        .unwrap();
    assert!(out.starts_with("Playing: "), "{out}");
    let json = commands::execute(&Command::Status, true, &c).await.unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["is_playing"], true);
    commands::execute(
        &Command::Seek {
            position: "1:00".into(),
        },
        false,
        &c,
    )
    .await
    .unwrap();
    commands::execute(
        &Command::Seek {
            position: "-10".into(),
        },
        false,
        &c,
    )
    .await
    .unwrap();
    let pos = sim.playback().unwrap().progress_ms;
    assert!((50_000..58_000).contains(&pos), "{pos}");
    commands::execute(&Command::Volume { percent: 12 }, true, &c)
        .await
        .unwrap();
    commands::execute(&Command::Shuffle { state: OnOff::On }, false, &c)
        .await
        .unwrap();
    commands::execute(
        &Command::Repeat {
            mode: RepeatArg::Context,
        },
        false,
        &c,
    )
    .await
    .unwrap();
    let p = sim.playback().unwrap();
    assert_eq!(
        (p.volume_percent, p.shuffle, p.repeat.as_str()),
        (Some(12), true, "context")
    );
    commands::execute(&Command::Next, false, &c).await.unwrap();
    commands::execute(&Command::Prev, false, &c).await.unwrap();
    commands::execute(&Command::Pause, false, &c).await.unwrap();
    assert!(!sim.playback().unwrap().is_playing);
    let track = sim.playlist_uris(sim::PLAYLIST_MORNING).unwrap()[0].clone();
    commands::execute(
        &Command::Queue {
            action: Some(QueueAction::Add {
                uri: track.clone(),
                device: None,
            }),
        },
        false,
        &c,
    )
    .await
    .unwrap();
    let out = commands::execute(&Command::Queue { action: None }, false, &c)
        .await
        .unwrap();
    assert!(out.starts_with("Now: "), "{out}");
    commands::execute(&Command::Recent { limit: 5 }, true, &c)
        .await
        .unwrap();
    let out = commands::execute(&Command::Playlists, false, &c)
        .await
        .unwrap();
    assert!(out.contains(sim::PLAYLIST_MORNING));
    let url = format!(
        "https://open.spotify.com/playlist/{}?si=abc",
        sim::PLAYLIST_LOCAL
    );
    let out = commands::execute(&Command::Playlist { id: url }, false, &c)
        .await
        .unwrap();
    assert!(out.contains("[local]"), "{out}");
    let json = commands::execute(
        &Command::Playlist {
            id: sim::PLAYLIST_MORNING.into(),
        },
        true,
        &c,
    )
    .await
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["items"].as_array().unwrap().len(),
        sim.playlist_uris(sim::PLAYLIST_MORNING).unwrap().len()
    );
    // Refusals come back as errors with a sentence.
    sim.deactivate_all_devices();
    let e = commands::execute(&Command::Pause, false, &c)
        .await
        .unwrap_err();
    assert_eq!(e.sentence(), "No active device — pick one with d");
    let e = commands::execute(
        &Command::Transfer {
            device: "no such device".into(),
            paused: true,
        },
        false,
        &c,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, ApiError::InvalidArgument(_)));
}
