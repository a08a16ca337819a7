//! Soak of the real binary under the simulator's rolling rate limit, with a
//! shortened window, switched on from outside through `POST /_sim/faults`
//! as a user reproducing a bug report would.
//!
//! Invariants: no Web API request reaches the simulator while a 429's
//! `Retry-After` wait is in force (checked against the request log), the
//! countdown is shown, and once the limit is lifted the screen converges on
//! the simulator's truth.

mod reliability_support;

use std::time::{Duration, Instant};

use reliability_support::{App, Launch, eventually, runtime};
use spotdeck::sim::{self, RequestRecord, SimHandle, SimOptions};

/// Requests already on the wire when a 429 came back may land just after it.
const IN_FLIGHT_GRACE: Duration = Duration::from_millis(400);
/// The shortened window: 4 requests per 3 seconds per app.
const LIMIT: &str = "rate-limit=4/3";
/// How long keys are typed under the limit (five windows and more).
const SOAK: Duration = Duration::from_secs(18);

/// Requests that arrived while an earlier 429's `Retry-After` was in force.
fn retry_after_violations(log: &[RequestRecord]) -> Vec<String> {
    let api: Vec<&RequestRecord> = log.iter().filter(|r| r.path.starts_with("/v1")).collect();
    let mut bad = Vec::new();
    for r429 in api.iter().filter(|r| r.status == 429) {
        let secs = r429.retry_after.unwrap_or(1);
        let quiet_from = r429.at + IN_FLIGHT_GRACE;
        let quiet_to = r429.at + Duration::from_secs(secs);
        for r in &api {
            if r.at > quiet_from && r.at < quiet_to {
                bad.push(format!(
                    "{} {:?} after a 429 (Retry-After {secs}s)",
                    r.line(),
                    r.at.duration_since(r429.at)
                ));
            }
        }
    }
    bad
}

/// Title and volume the simulator's Web API reports now.
fn sim_truth(rt: &tokio::runtime::Runtime, sim: &SimHandle) -> Option<(String, u8)> {
    let body: serde_json::Value = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{}/me/player", sim.api_base()))
            .bearer_auth(sim.demo_token())
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()
    })?;
    let title = body["item"]["name"].as_str()?.to_string();
    let vol = body["device"]["volume_percent"].as_u64()? as u8;
    Some((title, vol))
}

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
    let sim = rt
        .block_on(sim::start(SimOptions::default()))
        .expect("simulator starts");
    let app = App::start(
        env!("CARGO_BIN_EXE_spotdeck"),
        &sim,
        (120, 36),
        Launch::Shell,
        &[],
    );
    app.wait_for("Now playing on");
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
