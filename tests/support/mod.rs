//! Shared test harness: the real binary in tmux ([`tmux`]) and its player
//! screen read back ([`player`]), the OpenAPI contract checker ([`spec`])
//! with the routes it must cover ([`routes`]), a recording proxy in front of
//! the simulator ([`proxy`]), a login against the simulator's Accounts
//! service ([`login`]) and small helpers (waiting on a condition, `/proc`
//! figures).
//!
//! Each test crate uses part of it, so unused items are expected.
#![allow(dead_code)]

pub mod login;
pub mod player;
pub mod proc;
pub mod proxy;
pub mod routes;
pub mod soak;
pub mod spec;
pub mod tmux;

use std::time::{Duration, Instant};

/// Waits until `cond` holds, up to `timeout`; false if it never did.
pub fn eventually(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Like [`eventually`] (10 s) but fails the test with `what` when it never holds.
pub fn wait_until(what: &str, cond: impl FnMut() -> bool) {
    assert!(
        eventually(Duration::from_secs(10), cond),
        "timed out waiting for: {what}"
    );
}

/// Starts a simulator on `rt` with playback paused (the demo may start either way).
pub fn paused_sim(rt: &tokio::runtime::Runtime) -> spotdeck::sim::SimHandle {
    let sim = rt
        .block_on(spotdeck::sim::start(spotdeck::sim::SimOptions::default()))
        .expect("simulator starts");
    if sim.playback().is_some_and(|p| p.is_playing) {
        sim.pause_externally();
    }
    sim
}

/// A two-thread tokio runtime for the simulator.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}
