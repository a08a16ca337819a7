//! The app's bridge to the Web API worker, against the simulator: playback
//! interpolation stays close to the truth, and position-based playlist edits
//! are guarded by the snapshot so they never touch the wrong rows.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use spotdeck::app::action::{Action, ApiCall, Priority};
use spotdeck::app::bridge;
use spotdeck::app::event::{ApiOutcome, Event, FailureKind};
use spotdeck::config::Config;
use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::token::{AccessToken, StaticToken};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const LOCAL_PLAYLIST: &str = "4LocalFilesAndDupes004";

struct Rig {
    sim: SimHandle,
    actions: mpsc::UnboundedSender<Action>,
    events: mpsc::UnboundedReceiver<Event>,
    _cancel: CancellationToken,
    next: u64,
}

impl Rig {
    async fn new() -> Rig {
        let sim = sim::start(SimOptions::default()).await.expect("sim");
        let mut config = Config::default();
        config.spotify.api_base = sim.api_base();
        let tokens = Arc::new(StaticToken(AccessToken::bare(sim.issue_full_token())));
        let (atx, arx) = mpsc::unbounded_channel();
        let (etx, erx) = mpsc::unbounded_channel();
        let cancel = CancellationToken::new();
        bridge::spawn(&config, tokens, arx, etx, cancel.clone()).expect("bridge");
        Rig {
            sim,
            actions: atx,
            events: erx,
            _cancel: cancel,
            next: 1,
        }
    }

    async fn call(&mut self, call: ApiCall) -> ApiOutcome {
        let id = self.next;
        self.next += 1;
        self.actions
            .send(Action::Api {
                id,
                priority: Priority::User,
                call,
            })
            .expect("send");
        loop {
            let ev = tokio::time::timeout(Duration::from_secs(10), self.events.recv())
                .await
                .expect("answer in time")
                .expect("bridge alive");
            if let Event::Api(ev) = ev
                && ev.id == id
            {
                return ev.outcome;
            }
        }
    }

    /// Loads every item of a playlist: (snapshot, uris).
    async fn load(&mut self, playlist_id: &str) -> (String, Vec<String>) {
        let snapshot = match self
            .call(ApiCall::GetPlaylist {
                playlist_id: playlist_id.into(),
            })
            .await
        {
            ApiOutcome::Playlist(Ok(p)) => p.snapshot_id,
            other => panic!("playlist: {other:?}"),
        };
        let id = self.next;
        self.next += 1;
        self.actions
            .send(Action::Api {
                id,
                priority: Priority::VisiblePane,
                call: ApiCall::GetPlaylistItems {
                    playlist_id: playlist_id.into(),
                },
            })
            .expect("send");
        let mut rows: Vec<Option<String>> = Vec::new();
        loop {
            let ev = tokio::time::timeout(Duration::from_secs(10), self.events.recv())
                .await
                .unwrap()
                .unwrap();
            let Event::Api(ev) = ev else { continue };
            if ev.id != id {
                continue;
            }
            match ev.outcome {
                ApiOutcome::ItemsPage {
                    offset,
                    total,
                    items,
                    done,
                    ..
                } => {
                    rows.resize(total as usize, None);
                    for (i, e) in items.into_iter().enumerate() {
                        rows[offset as usize + i] = Some(e.track.uri);
                    }
                    if done {
                        break;
                    }
                }
                other => panic!("items: {other:?}"),
            }
        }
        (
            snapshot,
            rows.into_iter()
                .map(|r| r.expect("every row loaded"))
                .collect(),
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interpolated_progress_stays_within_250_ms_of_the_truth() {
    let mut rig = Rig::new().await;
    rig.sim.resume_externally();
    let asked = Instant::now();
    let pb = match rig.call(ApiCall::GetPlayback).await {
        ApiOutcome::Playback(Ok(Some(pb))) => pb,
        other => panic!("{other:?}"),
    };
    // The server read its progress somewhere inside this round trip.
    let round_trip = asked.elapsed().as_millis() as i64;
    assert!(pb.is_playing);
    // Let 1.5 s pass on the simulator's clock (a condition, not a sleep).
    let start = rig.sim.playback().expect("playing").progress_ms;
    let waited = tokio::time::timeout(Duration::from_secs(20), async {
        while rig.sim.playback().expect("playing").progress_ms < start + 1_500 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "the simulator's playback never advanced");
    // Bracket our interpolation between two readings of the truth: it may lag
    // by the round trip at most, whatever the machine's load.
    let before = rig.sim.playback().expect("playing").progress_ms as i64;
    let ours = pb.progress_at(Instant::now()) as i64;
    let after = rig.sim.playback().expect("playing").progress_ms as i64;
    assert!(
        ours >= before - round_trip - 250 && ours <= after + 250,
        "ours {ours} ms outside [{before} - {round_trip} - 250, {after} + 250]"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remove_by_position_removes_only_that_copy() {
    let mut rig = Rig::new().await;
    let (snapshot, uris) = rig.load(LOCAL_PLAYLIST).await;
    // Find a duplicated non-local URI and remove its second copy.
    let dup = (0..uris.len())
        .find(|&i| !uris[i].starts_with("spotify:local:") && uris[..i].contains(&uris[i]))
        .expect("the demo playlist has a duplicate");
    let out = rig
        .call(ApiCall::RemovePositions {
            playlist_id: LOCAL_PLAYLIST.into(),
            items: vec![(dup as u32, uris[dup].clone())],
            current_uris: uris.clone(),
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, ApiOutcome::Snapshot(Ok(_))), "{out:?}");
    let mut expected = uris.clone();
    expected.remove(dup);
    assert_eq!(rig.sim.playlist_uris(LOCAL_PLAYLIST).unwrap(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_file_can_be_moved_by_position() {
    let mut rig = Rig::new().await;
    let (snapshot, uris) = rig.load(LOCAL_PLAYLIST).await;
    let local = uris
        .iter()
        .position(|u| u.starts_with("spotify:local:"))
        .expect("a local file");
    let target = if local == 0 { 2 } else { 0 };
    let out = rig
        .call(ApiCall::Reorder {
            playlist_id: LOCAL_PLAYLIST.into(),
            range_start: local as u32,
            range_length: 1,
            insert_before: target as u32,
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, ApiOutcome::Snapshot(Ok(_))), "{out:?}");
    let mut expected = uris.clone();
    let item = expected.remove(local);
    let at = if target > local { target - 1 } else { target };
    expected.insert(at, item);
    assert_eq!(rig.sim.playlist_uris(LOCAL_PLAYLIST).unwrap(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_on_a_stale_snapshot_is_refused_and_nothing_changes() {
    let mut rig = Rig::new().await;
    let (snapshot, uris) = rig.load(LOCAL_PLAYLIST).await;
    assert!(rig.sim.edit_playlist_elsewhere(LOCAL_PLAYLIST));
    let after_other_edit = rig.sim.playlist_uris(LOCAL_PLAYLIST).unwrap();
    let out = rig
        .call(ApiCall::RemovePositions {
            playlist_id: LOCAL_PLAYLIST.into(),
            items: vec![(0, uris[0].clone())],
            current_uris: uris.clone(),
            snapshot_id: snapshot.clone(),
        })
        .await;
    match out {
        ApiOutcome::Snapshot(Err(f)) => assert_eq!(f.kind, FailureKind::Conflict, "{}", f.sentence),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let out = rig
        .call(ApiCall::Reorder {
            playlist_id: LOCAL_PLAYLIST.into(),
            range_start: 0,
            range_length: 1,
            insert_before: 3,
            snapshot_id: snapshot,
        })
        .await;
    assert!(
        matches!(out, ApiOutcome::Snapshot(Err(ref f)) if f.kind == FailureKind::Conflict),
        "{out:?}"
    );
    assert_eq!(
        rig.sim.playlist_uris(LOCAL_PLAYLIST).unwrap(),
        after_other_edit,
        "untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_that_do_not_match_are_refused_before_sending() {
    let mut rig = Rig::new().await;
    let (snapshot, uris) = rig.load(LOCAL_PLAYLIST).await;
    rig.sim.clear_log();
    let out = rig
        .call(ApiCall::RemovePositions {
            playlist_id: LOCAL_PLAYLIST.into(),
            items: vec![(1, "spotify:track:notthisone".into())],
            current_uris: uris,
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, ApiOutcome::Snapshot(Err(ref f)) if f.kind == FailureKind::Conflict));
    assert!(
        rig.sim.requests().iter().all(|r| r.method == "GET"),
        "no write was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_and_collaborative_is_refused_locally() {
    let mut rig = Rig::new().await;
    rig.sim.clear_log();
    let out = rig
        .call(ApiCall::ChangeDetails {
            playlist_id: LOCAL_PLAYLIST.into(),
            name: None,
            description: None,
            public: Some(true),
            collaborative: Some(true),
        })
        .await;
    match out {
        ApiOutcome::Done(Err(f)) => {
            assert!(f.sentence.contains("public and collaborative"))
        }
        other => panic!("{other:?}"),
    }
    assert!(rig.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undoing_an_add_without_the_list_loaded_reads_it_first() {
    let mut rig = Rig::new().await;
    let before = rig.sim.playlist_uris(LOCAL_PLAYLIST).unwrap();
    let added = before
        .iter()
        .find(|u| u.starts_with("spotify:track:"))
        .unwrap()
        .clone();
    let snapshot = match rig
        .call(ApiCall::AddItems {
            playlist_id: LOCAL_PLAYLIST.into(),
            uris: vec![added.clone()],
            position: None,
            snapshot_id: None,
        })
        .await
    {
        ApiOutcome::Snapshot(Ok(s)) => s,
        other => panic!("{other:?}"),
    };
    let pos = before.len() as u32;
    let out = rig
        .call(ApiCall::RemovePositions {
            playlist_id: LOCAL_PLAYLIST.into(),
            items: vec![(pos, added)],
            current_uris: Vec::new(),
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, ApiOutcome::Snapshot(Ok(_))), "{out:?}");
    assert_eq!(
        rig.sim.playlist_uris(LOCAL_PLAYLIST).unwrap(),
        before,
        "only the added copy went"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_insert_at_a_position_on_a_stale_snapshot_is_refused() {
    let mut rig = Rig::new().await;
    let (snapshot, uris) = rig.load(LOCAL_PLAYLIST).await;
    assert!(rig.sim.edit_playlist_elsewhere(LOCAL_PLAYLIST));
    let after_other_edit = rig.sim.playlist_uris(LOCAL_PLAYLIST).unwrap();
    let out = rig
        .call(ApiCall::AddItems {
            playlist_id: LOCAL_PLAYLIST.into(),
            uris: vec![uris[0].clone()],
            position: Some(1),
            snapshot_id: Some(snapshot),
        })
        .await;
    assert!(
        matches!(out, ApiOutcome::Snapshot(Err(ref f)) if f.kind == FailureKind::Conflict),
        "{out:?}"
    );
    assert_eq!(
        rig.sim.playlist_uris(LOCAL_PLAYLIST).unwrap(),
        after_other_edit
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unfollow_removes_the_playlist_from_the_library_only() {
    let mut rig = Rig::new().await;
    let followed = sim::PLAYLIST_FOLLOWED;
    let out = rig
        .call(ApiCall::Unfollow {
            playlist_id: followed.into(),
        })
        .await;
    assert!(matches!(out, ApiOutcome::Done(Ok(()))), "{out:?}");
    let id = 999;
    rig.actions
        .send(Action::Api {
            id,
            priority: Priority::User,
            call: ApiCall::GetMyPlaylists,
        })
        .unwrap();
    let mut ids = Vec::new();
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(10), rig.events.recv())
            .await
            .expect("the playlists page in time")
            .expect("the event channel is open");
        let Event::Api(ev) = ev else { continue };
        if ev.id != id {
            continue;
        }
        match ev.outcome {
            ApiOutcome::PlaylistsPage { items, done, .. } => {
                ids.extend(items.into_iter().map(|p| p.id));
                if done {
                    break;
                }
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(
        !ids.iter().any(|i| i == followed),
        "gone from the library: {ids:?}"
    );
    assert!(
        rig.sim.playlist_name(followed).is_some(),
        "the playlist itself still exists"
    );
}
