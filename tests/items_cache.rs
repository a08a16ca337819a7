//! The on-disk playlist items cache in the worker's load path, against the
//! simulator: a miss loads and stores every row; a hit shows the cached rows
//! and costs one `fields=snapshot_id` read; a changed snapshot reloads and
//! re-stores; a damaged file is ignored. A cache that outlives the worker
//! (a restart) still hits.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use spotdeck::cache::{Cache, Store};
use spotdeck::sim::{self, PLAYLIST_LOCAL, PLAYLIST_MORNING, SimHandle, SimOptions};
use spotdeck::spotify::client::Client;
use spotdeck::spotify::request::{ApiRequest, Priority, Reply, Request, WorkerEvent};
use spotdeck::spotify::worker::{self, WorkerOptions};
use spotdeck::token::{AccessToken, StaticToken};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// What one items request answered, in order.
#[derive(Debug, PartialEq)]
enum Seen {
    Cached(String, usize),
    Current(String),
    Page(String, u32, usize, bool),
}

/// One request to a worker of its own: its answers, and the worker.
struct Asked {
    events: mpsc::UnboundedReceiver<WorkerEvent>,
    worker: tokio::task::JoinHandle<()>,
    cancel: CancellationToken,
}

impl Asked {
    /// Waits for the worker to end: it does once its one request (and the
    /// cache write after it) is done.
    async fn finish(self) {
        tokio::time::timeout(Duration::from_secs(20), self.worker)
            .await
            .expect("worker ends")
            .unwrap();
        self.cancel.cancel();
    }
}

struct Rig {
    sim: SimHandle,
    dir: tempfile::TempDir,
}

impl Rig {
    async fn new() -> Rig {
        let sim = sim::start(SimOptions::default()).await.unwrap();
        Rig {
            sim,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn cache(&self) -> Arc<Cache> {
        Arc::new(Cache::new(
            Store::new(self.dir.path(), spotdeck::cache::BUDGET),
            &self.sim.api_base(),
        ))
    }

    fn client(&self) -> Client {
        let tokens = Arc::new(StaticToken(AccessToken::bare(self.sim.issue_full_token())));
        Client::new(&self.sim.api_base(), tokens).unwrap()
    }

    /// Sends `call` as request `id` to a fresh worker (as after a restart)
    /// with a fresh handle on the same cache directory, which then ends.
    fn ask(&self, id: u64, call: Request) -> Asked {
        let (atx, arx) = mpsc::unbounded_channel();
        let (etx, events) = mpsc::unbounded_channel();
        let cancel = CancellationToken::new();
        let worker = worker::spawn_cached(
            self.client(),
            arx,
            etx,
            cancel.clone(),
            WorkerOptions::default(),
            Some(self.cache()),
        );
        atx.send(ApiRequest {
            id,
            priority: Priority::VisiblePane,
            call,
        })
        .unwrap();
        Asked {
            events,
            worker,
            cancel,
        }
    }

    /// Loads `pid`'s items through a fresh worker.
    async fn load(&self, pid: &str) -> Vec<Seen> {
        let mut asked = self.ask(
            7,
            Request::GetPlaylistItems {
                playlist_id: pid.into(),
            },
        );
        let erx = &mut asked.events;
        let mut seen = Vec::new();
        loop {
            let ev = tokio::time::timeout(Duration::from_secs(20), erx.recv())
                .await
                .expect("answer in time");
            let Some(WorkerEvent::Answer(a)) = ev else {
                if ev.is_none() {
                    break;
                }
                continue;
            };
            assert_eq!(a.id, 7);
            let (s, last) = match a.result.expect("no error") {
                Reply::CachedItems {
                    snapshot_id, items, ..
                } => (Seen::Cached(snapshot_id, items.len()), false),
                Reply::ItemsCurrent { snapshot_id, .. } => (Seen::Current(snapshot_id), true),
                Reply::ItemsPage {
                    snapshot_id,
                    offset,
                    items,
                    done,
                    ..
                } => (Seen::Page(snapshot_id, offset, items.len(), done), done),
                other => panic!("unexpected {other:?}"),
            };
            seen.push(s);
            if last {
                break;
            }
        }
        asked.finish().await;
        seen
    }

    fn uris(&self, pid: &str) -> Vec<String> {
        self.sim.playlist_uris(pid).unwrap()
    }

    fn cached_uris(&self, pid: &str) -> Option<(String, Vec<String>)> {
        self.cache().items(pid).map(|c| {
            (
                c.snapshot_id,
                c.items.into_iter().map(|e| e.track.uri).collect(),
            )
        })
    }
}

fn is_fresh(seen: &[Seen]) -> bool {
    seen.iter().all(|s| matches!(s, Seen::Page(..)))
        && matches!(seen.last(), Some(Seen::Page(_, _, _, true)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_miss_loads_and_stores_then_a_hit_costs_one_small_request() {
    let rig = Rig::new().await;
    let pid = PLAYLIST_LOCAL;
    let snapshot = rig.sim.playlist_snapshot_id(pid).unwrap();
    let cold = rig.load(pid).await;
    assert!(is_fresh(&cold), "a miss loads every page: {cold:?}");
    let (stored_snapshot, stored) = rig.cached_uris(pid).expect("stored after the load");
    assert_eq!(stored_snapshot, snapshot);
    assert_eq!(stored, rig.uris(pid), "every row, in order");

    rig.sim.clear_log();
    let warm = rig.load(pid).await;
    let n = rig.uris(pid).len();
    assert_eq!(
        warm,
        vec![
            Seen::Cached(snapshot.clone(), n),
            Seen::Current(snapshot.clone())
        ]
    );
    let log = rig.sim.requests();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].path, format!("/v1/playlists/{pid}"));
    assert_eq!(log[0].query.as_deref(), Some("fields=snapshot_id"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_snapshot_reloads_and_stores_the_new_rows() {
    let rig = Rig::new().await;
    let pid = PLAYLIST_LOCAL;
    rig.load(pid).await;
    let old = rig.sim.playlist_snapshot_id(pid).unwrap();
    // Someone else edits the playlist.
    let track = rig.uris(PLAYLIST_MORNING)[0].clone();
    let new = rig
        .client()
        .add_items(pid, &[track], Some(0))
        .await
        .unwrap();
    assert_ne!(old, new);
    let seen = rig.load(pid).await;
    assert_eq!(
        seen.first(),
        Some(&Seen::Cached(old, rig.uris(pid).len() - 1))
    );
    assert!(
        is_fresh(&seen[1..]),
        "the change reloads every page: {seen:?}"
    );
    assert!(
        seen[1..]
            .iter()
            .all(|s| matches!(s, Seen::Page(snap, ..) if *snap == new))
    );
    let (snap, uris) = rig.cached_uris(pid).unwrap();
    assert_eq!(snap, new);
    assert_eq!(uris, rig.uris(pid));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_cache_file_is_ignored_and_replaced() {
    let rig = Rig::new().await;
    let pid = PLAYLIST_LOCAL;
    rig.load(pid).await;
    let files: Vec<_> = std::fs::read_dir(rig.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read(&files[0]).unwrap();
    std::fs::write(&files[0], &text[..text.len() / 2]).unwrap();
    let seen = rig.load(pid).await;
    assert!(is_fresh(&seen), "damaged file not trusted: {seen:?}");
    assert_eq!(rig.cached_uris(pid).unwrap().1, rig.uris(pid), "rewritten");
}

/// Loads Liked Songs through a fresh worker on the rig's cache: the rows
/// and the number of `/me/tracks` requests it took.
async fn liked(rig: &Rig) -> (Vec<String>, usize) {
    use spotdeck::domain::music::MusicSource;
    rig.sim.clear_log();
    let mut asked = rig.ask(
        9,
        Request::GetRows {
            source: MusicSource::LikedSongs,
        },
    );
    let erx = &mut asked.events;
    let mut rows: Vec<Option<String>> = Vec::new();
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(20), erx.recv())
            .await
            .expect("answer in time");
        let Some(WorkerEvent::Answer(a)) = ev else {
            assert!(ev.is_some(), "the worker answered to the end");
            continue;
        };
        match a.result.expect("no error") {
            Reply::Rows {
                offset,
                total,
                rows: page,
                done,
            } => {
                rows.resize(total as usize, None);
                for (i, r) in page.into_iter().enumerate() {
                    rows[offset as usize + i] = Some(r.uri);
                }
                if done {
                    break;
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    asked.finish().await;
    let requests = rig
        .sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/me/tracks"))
        .count();
    (
        rows.into_iter().map(|r| r.expect("every row")).collect(),
        requests,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn liked_songs_revalidate_by_total_and_first_page() {
    let rig = Rig::new().await;
    let (cold, cold_requests) = liked(&rig).await;
    assert!(cold.len() > 1000, "the demo has many liked songs");
    assert!(
        cold_requests > 10,
        "a cold load reads every page: {cold_requests}"
    );
    // Unchanged: one request, the same rows.
    let (warm, warm_requests) = liked(&rig).await;
    assert_eq!(warm_requests, 1, "the first page only");
    assert_eq!(warm, cold);
    // Unliking a song deep in the list changes the total: a full reload.
    let deep = cold[cold.len() - 3].clone();
    rig.client()
        .remove_from_library(std::slice::from_ref(&deep))
        .await
        .unwrap();
    let (after, requests) = liked(&rig).await;
    assert!(requests > 10, "reloaded: {requests}");
    assert_eq!(after.len(), cold.len() - 1);
    assert!(!after.contains(&deep));
    // Liking one puts it first: the first page differs, a full reload again.
    rig.client()
        .save_to_library(std::slice::from_ref(&deep))
        .await
        .unwrap();
    let (again, requests) = liked(&rig).await;
    assert!(requests > 10, "reloaded: {requests}");
    assert_eq!(again.first(), Some(&deep));
    let (warm, requests) = liked(&rig).await;
    assert_eq!(
        (requests, warm),
        (1, again),
        "stored again after the reload"
    );
}
