//! Loading the 10,000-item playlist through the Web API worker against the
//! in-process simulator with 50 ms added latency per request
//! (`SPOTDECK_BENCH_LATENCY_MS=0` for none):
//! - cold, no cache: 4 and 8 pages in flight (8 is the app's default);
//! - cold with the on-disk cache (a miss: every page, then the rows stored);
//! - warm cache, the snapshot unchanged: time until all rows are shown
//!   (`CachedItems`) and until they are confirmed (`ItemsCurrent`);
//! - the client's own share: JSON decode + conversion of the 10,000 items
//!   alone (the page bodies fetched beforehand), since against the real
//!   service only that half is ours;
//! - reading the saved last screen (what start-up does before the first frame).
//!
//! Run: `cargo bench --bench playlist_load`. Targets: < 1.5 s cold at 50 ms,
//! < 50 ms to all rows with a warm cache, ≤ 60 ms client decode + convert.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use spotdeck::cache::{Cache, LastScreen, Store};
use spotdeck::domain::PlaylistSummary;
use spotdeck::sim::{self, EVERYTHING_LEN, PLAYLIST_EVERYTHING, SimOptions};
use spotdeck::spotify::client::{Client, ROW_FIELDS_ITEMS};
use spotdeck::spotify::convert;
use spotdeck::spotify::model::{Page, PlaylistItem};
use spotdeck::spotify::request::{ApiRequest, Priority, Reply, Request, WorkerEvent};
use spotdeck::spotify::worker::{self, WorkerOptions};
use spotdeck::token::{AccessToken, StaticToken};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const TARGET: Duration = Duration::from_millis(1_500);
const WARM_TARGET: Duration = Duration::from_millis(50);
const DECODE_TARGET: Duration = Duration::from_millis(60);
const RUNS: usize = 3;

/// One timed load.
struct Run {
    /// Until every row is shown (the last page, or the cached rows).
    all_rows: Duration,
    /// Until the request is done (the last page, or the snapshot confirmed).
    done: Duration,
    items: usize,
    requests: usize,
    from_cache: bool,
}

async fn load_once(sim: &sim::SimHandle, opts: WorkerOptions, cache: Option<Arc<Cache>>) -> Run {
    let token = Arc::new(StaticToken(AccessToken::bare(sim.demo_token())));
    let client = Client::new(&sim.api_base(), token).expect("client");
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (ev_tx, mut ev_rx) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let task = worker::spawn_cached(client, req_rx, ev_tx, cancel.clone(), opts, cache);
    sim.clear_log();

    let start = Instant::now();
    req_tx
        .send(ApiRequest {
            id: 1,
            priority: Priority::VisiblePane,
            call: Request::GetPlaylistItems {
                playlist_id: PLAYLIST_EVERYTHING.to_string(),
            },
        })
        .expect("worker alive");
    drop(req_tx);
    let mut items = 0usize;
    let mut next_offset = 0u32;
    let mut all_rows = None;
    let mut from_cache = false;
    let done = loop {
        match ev_rx.recv().await.expect("worker answers") {
            WorkerEvent::Answer(r) => match r.result {
                Ok(Reply::CachedItems { items: rows, .. }) => {
                    all_rows = Some(start.elapsed());
                    items = rows.len();
                    from_cache = true;
                }
                Ok(Reply::ItemsCurrent { .. }) => break start.elapsed(),
                Ok(Reply::ItemsPage {
                    offset,
                    items: page,
                    done,
                    ..
                }) => {
                    if offset == 0 {
                        // A changed snapshot: the fresh pages replace the cached rows.
                        (items, next_offset, all_rows, from_cache) = (0, 0, None, false);
                    }
                    assert_eq!(offset, next_offset, "pages arrive in order");
                    next_offset += page.len() as u32;
                    items += page.len();
                    if done {
                        let t = start.elapsed();
                        all_rows = Some(t);
                        break t;
                    }
                }
                other => panic!("unexpected answer: {other:?}"),
            },
            WorkerEvent::RateLimited { .. } | WorkerEvent::RateLimitOver => {}
        }
    };
    let requests = sim.requests().len();
    // The worker ends after its request (and the cache write) is done.
    let _ = task.await;
    cancel.cancel();
    Run {
        all_rows: all_rows.unwrap_or(done),
        done,
        items,
        requests,
        from_cache,
    }
}

/// Runs a configuration `RUNS` times and prints the medians.
async fn series(
    sim: &sim::SimHandle,
    label: &str,
    opts: WorkerOptions,
    cache: impl Fn() -> Option<Arc<Cache>>,
    target: Duration,
) {
    let latency = sim_latency();
    println!("{label}: {EVERYTHING_LEN} items, {latency} ms added latency, {RUNS} runs");
    let (mut rows, mut done) = (Vec::new(), Vec::new());
    let mut requests = 0;
    for run in 0..RUNS {
        let r = load_once(sim, opts, cache()).await;
        assert_eq!(r.items, EVERYTHING_LEN, "every item arrived");
        println!(
            "  run {run}: all rows {:.3?}, done {:.3?}, {} requests{}",
            r.all_rows,
            r.done,
            r.requests,
            if r.from_cache { ", from the cache" } else { "" }
        );
        rows.push(r.all_rows);
        done.push(r.done);
        requests = r.requests;
    }
    let s = common::summarize(&mut rows);
    let d = common::summarize(&mut done);
    common::report_value(
        &format!("{label} @{latency} ms: all rows"),
        s.median,
        target,
        &format!("done {:.3?}, {requests} requests per load", d.median),
    );
}

fn sim_latency() -> u64 {
    std::env::var("SPOTDECK_BENCH_LATENCY_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50)
}

/// The 10,000 items' page bodies as the server sends them: whole, or with
/// the `fields=` the app asks for its rows.
async fn page_bodies(sim: &sim::SimHandle, fields: Option<&str>) -> Vec<bytes::Bytes> {
    let http = reqwest::Client::new();
    let mut out = Vec::new();
    for offset in (0..EVERYTHING_LEN).step_by(50) {
        let mut url = url::Url::parse(&format!(
            "{}/playlists/{PLAYLIST_EVERYTHING}/items?offset={offset}&limit=50&additional_types=track,episode",
            sim.api_base()
        ))
        .expect("url");
        if let Some(f) = fields {
            url.query_pairs_mut().append_pair("fields", f);
        }
        let body = http
            .get(url)
            .bearer_auth(sim.demo_token())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("page")
            .bytes()
            .await
            .expect("body");
        out.push(body);
    }
    out
}

fn client_share(label: &str, bodies: &[bytes::Bytes]) {
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let mut n = 0;
        for b in bodies {
            let page: Page<PlaylistItem> = serde_json::from_slice(b).expect("decodes");
            let rows: Vec<_> = page.items.into_iter().map(convert::entry).collect();
            n += rows.len();
            std::hint::black_box(rows);
        }
        assert_eq!(n, EVERYTHING_LEN);
        times.push(t.elapsed());
    }
    let s = common::summarize(&mut times);
    let bytes: usize = bodies.iter().map(bytes::Bytes::len).sum();
    common::report_value(
        &format!("client decode + convert of 10k items, {label}"),
        s.median,
        DECODE_TARGET,
        &format!(
            "{} page bodies of {} KB in all, 5 runs",
            bodies.len(),
            bytes / 1024
        ),
    );
}

fn last_screen_read(dir: &std::path::Path) {
    let cache = Cache::new(Store::new(dir, spotdeck::cache::BUDGET), "http://bench/v1");
    let playlists: Vec<PlaylistSummary> = (0..200)
        .map(|i| PlaylistSummary {
            id: format!("{i:022}"),
            name: format!("Playlist number {i}"),
            description: "A description of some length, as people write them.".into(),
            owner_id: "demo".into(),
            owner_name: "Demo Listener".into(),
            public: Some(true),
            collaborative: false,
            snapshot_id: "AAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAA".into(),
            total: 100,
            images: vec![],
        })
        .collect();
    cache.put_last_screen(&LastScreen {
        playlists,
        playback: None,
    });
    let s = common::measure(5, 200, || {
        std::hint::black_box(cache.last_screen().expect("saved"));
    });
    common::report(
        "read the last screen (200 playlists)",
        s,
        Duration::from_millis(5),
    );
}

fn main() {
    let latency_ms = sim_latency();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    rt.block_on(async {
        let sim = sim::start(SimOptions {
            latency_ms,
            ..Default::default()
        })
        .await
        .expect("simulator");
        for (label, page_concurrency) in [
            ("cold, 4 pages at once", 4),
            ("cold, 8 pages at once (default)", 8),
        ] {
            let opts = WorkerOptions {
                page_concurrency,
                ..WorkerOptions::default()
            };
            series(&sim, label, opts, || None, TARGET).await;
        }
        let opts = WorkerOptions::default();
        let cache = || {
            Some(Arc::new(Cache::new(
                Store::new(dir.path(), spotdeck::cache::BUDGET),
                &sim.api_base(),
            )))
        };
        // A miss each time: the file is removed before every run.
        let miss = || {
            let c = cache();
            if let Some(c) = &c {
                c.forget_items(PLAYLIST_EVERYTHING);
            }
            c
        };
        series(
            &sim,
            "cold with the cache (miss, then stored)",
            opts,
            miss,
            TARGET,
        )
        .await;
        series(
            &sim,
            "warm cache, snapshot unchanged",
            opts,
            cache,
            WARM_TARGET,
        )
        .await;
        client_share(
            "rows (fields=, as the app asks)",
            &page_bodies(&sim, Some(ROW_FIELDS_ITEMS)).await,
        );
        client_share("whole items", &page_bodies(&sim, None).await);
    });
    last_screen_read(dir.path());
}
