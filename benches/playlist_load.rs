//! Loading a 10,000-item playlist through the Web API worker against the
//! in-process simulator with 50 ms added latency per request.
//!
//! Run: `cargo bench --bench playlist_load`. Target: < 1.5 s.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use spotdeck::sim::{self, EVERYTHING_LEN, PLAYLIST_EVERYTHING, SimOptions};
use spotdeck::spotify::client::Client;
use spotdeck::spotify::request::{ApiRequest, Priority, Reply, Request, WorkerEvent};
use spotdeck::spotify::worker::{self, WorkerOptions};
use spotdeck::token::{AccessToken, StaticToken};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const TARGET: Duration = Duration::from_millis(1_500);
const RUNS: usize = 3;

/// One timed load: (elapsed, items received, HTTP requests in the sim log).
async fn load_once(sim: &sim::SimHandle, opts: WorkerOptions) -> (Duration, usize, usize) {
    let token = Arc::new(StaticToken(AccessToken::bare(sim.demo_token())));
    let client = Client::new(&sim.api_base(), token).expect("client");
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (ev_tx, mut ev_rx) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let task = worker::spawn_with(client, req_rx, ev_tx, cancel.clone(), opts);
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
    let mut items = 0usize;
    let mut next_offset = 0u32;
    loop {
        match ev_rx.recv().await.expect("worker answers") {
            WorkerEvent::Answer(r) => match r.result {
                Ok(Reply::ItemsPage {
                    offset,
                    items: page,
                    done,
                    ..
                }) => {
                    assert_eq!(offset, next_offset, "pages arrive in order");
                    next_offset += page.len() as u32;
                    items += page.len();
                    if done {
                        break;
                    }
                }
                other => panic!("unexpected answer: {other:?}"),
            },
            WorkerEvent::RateLimited { .. } | WorkerEvent::RateLimitOver => {}
        }
    }
    let elapsed = start.elapsed();
    let requests = sim.requests().len();
    cancel.cancel();
    let _ = task.await;
    (elapsed, items, requests)
}

fn main() {
    // Default 50 ms; `SPOTDECK_BENCH_LATENCY_MS=0` shows the cost without latency.
    let latency_ms: u64 = std::env::var("SPOTDECK_BENCH_LATENCY_MS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let sim = sim::start(SimOptions {
            latency_ms,
            ..Default::default()
        })
        .await
        .expect("simulator");
        // The app's default scheduler, then wider page concurrency for comparison.
        for (label, page_concurrency) in [("4 pages at once", 4), ("8 pages at once (the default)", 8)] {
            let opts = WorkerOptions {
                page_concurrency,
                ..WorkerOptions::default()
            };
            println!(
                "playlist load ({label}): {EVERYTHING_LEN} items, {latency_ms} ms added latency per request, {RUNS} runs"
            );
            let mut times = Vec::new();
            let mut requests = 0;
            for run in 0..RUNS {
                let (t, items, n) = load_once(&sim, opts).await;
                assert_eq!(items, EVERYTHING_LEN, "every item arrived");
                println!("  run {run}: {t:.3?}, {items} items, {n} requests");
                times.push(t);
                requests = n;
            }
            let s = common::summarize(&mut times);
            common::report_value(
                &format!("10k playlist load @{latency_ms} ms ({label})"),
                s.median,
                TARGET,
                &format!("{requests} requests per load"),
            );
        }
    });
}
