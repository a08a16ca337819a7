//! Loading a 10,000-item playlist through the Web API worker against the
//! in-process simulator with 50 ms added latency per request.
//!
//! Run: `cargo bench --bench playlist_load`. Target: < 1.5 s.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use spotdeck::sim::{self, EVERYTHING_LEN, PLAYLIST_EVERYTHING, SimOptions};
use spotdeck::spotify::client::Client;
use spotdeck::spotify::worker::{self, ApiRequest, Call, Payload, Priority, WorkerEvent};
use spotdeck::token::{AccessToken, StaticToken};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const TARGET: Duration = Duration::from_millis(1_500);
const LATENCY_MS: u64 = 50;
const RUNS: usize = 3;

/// One timed load: (elapsed, items received, HTTP requests in the sim log).
async fn load_once(sim: &sim::SimHandle) -> (Duration, usize, usize) {
    let token = Arc::new(StaticToken(AccessToken::bare(sim.demo_token())));
    let client = Client::new(&sim.api_base(), token).expect("client");
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (ev_tx, mut ev_rx) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let task = worker::spawn(client, req_rx, ev_tx, cancel.clone());
    sim.clear_log();

    let start = Instant::now();
    req_tx
        .send(ApiRequest {
            id: 1,
            priority: Priority::VisiblePane,
            call: Call::GetPlaylistItems {
                id: PLAYLIST_EVERYTHING.to_string(),
            },
        })
        .expect("worker alive");
    let mut items = 0usize;
    let mut next_offset = 0u32;
    loop {
        match ev_rx.recv().await.expect("worker answers") {
            WorkerEvent::Response(r) => match r.result {
                Ok(Payload::ItemsPage {
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
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let sim = sim::start(SimOptions {
            latency_ms: LATENCY_MS,
            ..Default::default()
        })
        .await
        .expect("simulator");
        println!(
            "playlist load: {EVERYTHING_LEN} items, {LATENCY_MS} ms added latency per request, {RUNS} runs"
        );
        let mut times = Vec::new();
        for run in 0..RUNS {
            let (t, items, requests) = load_once(&sim).await;
            assert_eq!(items, EVERYTHING_LEN, "every item arrived");
            println!("  run {run}: {t:.3?}, {items} items, {requests} requests");
            times.push(t);
        }
        let s = common::summarize(&mut times);
        let (_, _, requests) = (0, 0, sim.requests().len());
        common::report_value(
            "10k playlist load @50 ms latency (median)",
            s.median,
            TARGET,
            &format!("{requests} requests per load"),
        );
    });
}
