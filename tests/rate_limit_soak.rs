//! Soak of the real binary under the simulator's rolling rate limit, with a
//! shortened window, switched on from outside through `POST /_sim/faults`
//! as a user reproducing a bug report would.
//!
//! Invariants: no Web API request reaches the simulator while a 429's
//! `Retry-After` wait is in force (checked against the request log), the
//! countdown is shown, and once the limit is lifted the screen converges on
//! the simulator's truth.

mod support;

use std::time::{Duration, Instant};

use spotdeck::sim::SimHandle;
use support::soak::{retry_after_violations, sim_truth, start_playing};
use support::{eventually, runtime};

/// The shortened window: 4 requests per 3 seconds per app.
const LIMIT: &str = "rate-limit=4/3";
/// How long keys are typed under the limit (five windows and more).
const SOAK: Duration = Duration::from_secs(18);

/// Sends fault switches the way a user would, over HTTP.
fn admin(rt: &tokio::runtime::Runtime, sim: &SimHandle, spec: &str) -> u16 {
    rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{}/_sim/faults", sim.base_url()))
            .body(spec.to_string())
            .send()
            .await
            .map_or(0, |r| r.status().as_u16())
    })
}

#[test]
fn the_app_waits_out_the_rolling_window_and_converges() {
    let rt = runtime();
    let (sim, app) = start_playing(&rt, env!("CARGO_BIN_EXE_spotdeck"));
    assert_eq!(admin(&rt, &sim, LIMIT), 200, "the admin endpoint refused");

    // Type volume changes, skips and play/pause for the whole soak; watch
    // for the countdown in between.
    let keys = ["+", "+", "n", "-", "Space", "+", "-", "n", "Space", "-"];
    let start = Instant::now();
    let mut countdown = None;
    let mut i = 0;
    while start.elapsed() < SOAK {
        app.keys(&[keys[i % keys.len()]]);
        i += 1;
        let screen = app.screen();
        if countdown.is_none() && screen.contains("retrying in") {
            countdown = Some(screen);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let during = sim.requests();

    // Lift the limit: the screen must show the simulator's truth.
    assert_eq!(admin(&rt, &sim, "clear"), 200);
    let mut last = (String::new(), None);
    let converged = eventually(Duration::from_secs(15), || {
        let screen = app.screen();
        let truth = sim_truth(&rt, &sim);
        let ok = truth.as_ref().is_some_and(|(t, v)| {
            screen.contains(t.as_str()) && screen.contains(&format!("vol {v}%"))
        });
        last = (screen, truth);
        ok
    });

    app.keys(&["q"]);
    let exited = app.wait_for_within("EXITED=", Duration::from_secs(10));
    let screen = exited.unwrap_or_else(|s| panic!("app did not exit:\n{s}"));
    assert!(screen.contains("EXITED=0"), "non-zero exit:\n{screen}");
    let log = app.log();
    assert!(
        !log.to_lowercase().contains("panic"),
        "the log mentions a panic:\n{log}"
    );

    let limited = during
        .iter()
        .filter(|r| r.path.starts_with("/v1") && r.status == 429)
        .count();
    assert!(limited >= 2, "the rolling window never refused a request");
    assert!(
        during
            .iter()
            .filter(|r| r.status == 429)
            .all(|r| r.retry_after.is_some_and(|s| (1..=3).contains(&s))),
        "every 429 carries a Retry-After within the window"
    );
    let violations = retry_after_violations(&during);
    assert!(
        violations.is_empty(),
        "requests sent during a Retry-After wait:\n{}",
        violations.join("\n")
    );
    assert!(
        countdown.is_some(),
        "the rate-limit countdown was never shown"
    );
    assert!(
        converged,
        "after the limit was lifted the screen does not show the simulator's truth {:?}:\n{}",
        last.1, last.0
    );
}
