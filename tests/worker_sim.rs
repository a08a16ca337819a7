//! The request path — the app's [`Request`]s through the Web API worker —
//! against the simulator: playback interpolation stays close to the truth,
//! and position-based playlist edits are guarded by the snapshot (read once)
//! so they never touch the wrong rows.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use spotdeck::domain::PlaylistEntry;
use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::spotify::client::Client;
use spotdeck::spotify::convert;
use spotdeck::spotify::error::ApiError;
use spotdeck::spotify::request::{ApiRequest, Priority, Reply, Request, WorkerEvent};
use spotdeck::spotify::worker;
use spotdeck::token::{AccessToken, StaticToken};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const LOCAL_PLAYLIST: &str = "4LocalFilesAndDupes004";

struct Rig {
    sim: SimHandle,
    requests: mpsc::UnboundedSender<ApiRequest>,
    events: mpsc::UnboundedReceiver<WorkerEvent>,
    _cancel: CancellationToken,
    next: u64,
}

impl Rig {
    async fn new() -> Rig {
        let sim = sim::start(SimOptions::default()).await.expect("sim");
        let tokens = Arc::new(StaticToken(AccessToken::bare(sim.issue_full_token())));
        let client = Client::new(&sim.api_base(), tokens).expect("client");
        let (atx, arx) = mpsc::unbounded_channel();
        let (etx, erx) = mpsc::unbounded_channel();
        let cancel = CancellationToken::new();
        worker::spawn(client, arx, etx, cancel.clone());
        Rig {
            sim,
            requests: atx,
            events: erx,
            _cancel: cancel,
            next: 1,
        }
    }

    fn send(&mut self, priority: Priority, call: Request) -> u64 {
        let id = self.next;
        self.next += 1;
        self.requests
            .send(ApiRequest { id, priority, call })
            .expect("send");
        id
    }

    /// The next answer to `id`.
    async fn answer(&mut self, id: u64) -> Result<Reply, ApiError> {
        loop {
            let ev = tokio::time::timeout(Duration::from_secs(10), self.events.recv())
                .await
                .expect("answer in time")
                .expect("worker alive");
            if let WorkerEvent::Answer(a) = ev
                && a.id == id
            {
                return a.result;
            }
        }
    }

    async fn call(&mut self, call: Request) -> Result<Reply, ApiError> {
        let id = self.send(Priority::User, call);
        self.answer(id).await
    }

    /// Loads every item of a playlist: (snapshot, uris).
    async fn load(&mut self, playlist_id: &str) -> (String, Vec<String>) {
        let snapshot = match self
            .call(Request::GetPlaylist {
                playlist_id: playlist_id.into(),
            })
            .await
        {
            Ok(Reply::Playlist(p)) => p.snapshot_id,
            other => panic!("playlist: {other:?}"),
        };
        let uris = self
            .rows(playlist_id)
            .await
            .into_iter()
            .map(|e| e.track.uri)
            .collect();
        (snapshot, uris)
    }

    /// Every row of a playlist as the worker streams them.
    async fn rows(&mut self, playlist_id: &str) -> Vec<PlaylistEntry> {
        let id = self.send(
            Priority::VisiblePane,
            Request::GetPlaylistItems {
                playlist_id: playlist_id.into(),
            },
        );
        let mut rows: Vec<Option<PlaylistEntry>> = Vec::new();
        loop {
            match self.answer(id).await {
                Ok(Reply::ItemsPage {
                    offset,
                    total,
                    items,
                    done,
                    ..
                }) => {
                    rows.resize(total as usize, None);
                    for (i, e) in items.into_iter().enumerate() {
                        rows[offset as usize + i] = Some(e);
                    }
                    if done {
                        break;
                    }
                }
                other => panic!("items: {other:?}"),
            }
        }
        rows.into_iter()
            .map(|r| r.expect("every row loaded"))
            .collect()
    }
}

/// The rows asked for with `fields=` (what a row shows) are the rows the
/// whole items give: local files, episodes, unavailable entries and all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_asked_with_fields_equal_rows_of_whole_items() {
    let mut rig = Rig::new().await;
    let client = Client::new(
        &rig.sim.api_base(),
        Arc::new(StaticToken(AccessToken::bare(rig.sim.issue_full_token()))),
    )
    .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for pid in [
        LOCAL_PLAYLIST,
        sim::PLAYLIST_MORNING,
        sim::PLAYLIST_FOCUS,
        sim::PLAYLIST_SUNDAY,
        sim::PLAYLIST_EVERYTHING,
    ] {
        rig.sim.clear_log();
        let rows = rig.rows(pid).await;
        let paged: Vec<_> = rig
            .sim
            .requests()
            .into_iter()
            .filter(|r| r.path.ends_with("/items"))
            .collect();
        let total = rows.len();
        if total > 100 {
            assert!(!paged.is_empty(), "{pid}: pages after the first were read");
        }
        for r in &paged {
            let q = r.query.as_deref().unwrap_or("");
            assert!(q.contains("fields="), "{pid}: a page without fields=: {q}");
        }
        let mut whole = Vec::new();
        while whole.len() < total {
            let page = client
                .playlist_items(pid, whole.len() as u32, None)
                .await
                .unwrap();
            assert!(!page.items.is_empty());
            whole.extend(page.items.into_iter().map(convert::entry));
        }
        assert_eq!(rows.len(), whole.len(), "{pid}");
        for (i, (a, b)) in rows.iter().zip(&whole).enumerate() {
            assert_eq!(a, b, "{pid}: row {i}");
        }
        kinds.extend(rows.iter().map(|r| format!("{:?}", r.track.kind)));
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["Episode", "Local", "Track"],
        "tracks, episodes and local files were compared"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interpolated_progress_stays_within_250_ms_of_the_truth() {
    let mut rig = Rig::new().await;
    rig.sim.resume_externally();
    let asked = Instant::now();
    let pb = match rig.call(Request::GetPlayback).await {
        Ok(Reply::Playback(Some(pb))) => pb,
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
        .call(Request::RemovePositions {
            playlist_id: LOCAL_PLAYLIST.into(),
            items: vec![(dup as u32, uris[dup].clone())],
            current_uris: uris.clone(),
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, Ok(Reply::Snapshot(_))), "{out:?}");
    let mut expected = uris.clone();
    expected.remove(dup);
    assert_eq!(rig.sim.playlist_uris(LOCAL_PLAYLIST).unwrap(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removal_reads_the_snapshot_once_before_writing() {
    let mut rig = Rig::new().await;
    let (snapshot, uris) = rig.load(LOCAL_PLAYLIST).await;
    let last = uris.len() - 1;
    rig.sim.clear_log();
    let out = rig
        .call(Request::RemovePositions {
            playlist_id: LOCAL_PLAYLIST.into(),
            items: vec![(last as u32, uris[last].clone())],
            current_uris: uris.clone(),
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, Ok(Reply::Snapshot(_))), "{out:?}");
    let log = rig.sim.requests();
    let first_write = log
        .iter()
        .position(|r| r.method != "GET")
        .expect("a write was sent");
    let reads: Vec<_> = log[..first_write]
        .iter()
        .map(|r| format!("{} {}", r.path, r.query.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        reads.len(),
        1,
        "one snapshot read before the write: {reads:?}"
    );
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
        .call(Request::Reorder {
            playlist_id: LOCAL_PLAYLIST.into(),
            range_start: local as u32,
            range_length: 1,
            insert_before: target as u32,
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, Ok(Reply::Snapshot(_))), "{out:?}");
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
        .call(Request::RemovePositions {
            playlist_id: LOCAL_PLAYLIST.into(),
            items: vec![(0, uris[0].clone())],
            current_uris: uris.clone(),
            snapshot_id: snapshot.clone(),
        })
        .await;
    match out {
        Err(e) => assert!(e.is_conflict(), "{}", e.sentence()),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let out = rig
        .call(Request::Reorder {
            playlist_id: LOCAL_PLAYLIST.into(),
            range_start: 0,
            range_length: 1,
            insert_before: 3,
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, Err(ref e) if e.is_conflict()), "{out:?}");
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
        .call(Request::RemovePositions {
            playlist_id: LOCAL_PLAYLIST.into(),
            items: vec![(1, "spotify:track:notthisone".into())],
            current_uris: uris,
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, Err(ref e) if e.is_conflict()));
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
        .call(Request::ChangeDetails {
            playlist_id: LOCAL_PLAYLIST.into(),
            name: None,
            description: None,
            public: Some(true),
            collaborative: Some(true),
        })
        .await;
    match out {
        Err(e) => {
            assert!(e.sentence().contains("public and collaborative"))
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
        .call(Request::AddItems {
            playlist_id: LOCAL_PLAYLIST.into(),
            uris: vec![added.clone()],
            position: None,
            snapshot_id: None,
        })
        .await
    {
        Ok(Reply::Snapshot(s)) => s,
        other => panic!("{other:?}"),
    };
    let pos = before.len() as u32;
    let out = rig
        .call(Request::RemovePositions {
            playlist_id: LOCAL_PLAYLIST.into(),
            items: vec![(pos, added)],
            current_uris: Vec::new(),
            snapshot_id: snapshot,
        })
        .await;
    assert!(matches!(out, Ok(Reply::Snapshot(_))), "{out:?}");
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
        .call(Request::AddItems {
            playlist_id: LOCAL_PLAYLIST.into(),
            uris: vec![uris[0].clone()],
            position: Some(1),
            snapshot_id: Some(snapshot),
        })
        .await;
    assert!(matches!(out, Err(ref e) if e.is_conflict()), "{out:?}");
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
        .call(Request::Unfollow {
            playlist_id: followed.into(),
        })
        .await;
    assert!(matches!(out, Ok(Reply::Done)), "{out:?}");
    let id = rig.send(Priority::User, Request::GetMyPlaylists);
    let mut ids = Vec::new();
    loop {
        match rig.answer(id).await {
            Ok(Reply::PlaylistsPage { items, done, .. }) => {
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
