//! Soak test of the real binary under injected faults: a 429 storm with
//! Retry-After, 5xx answers, dropped connections, malformed bodies, latency
//! spikes, waking devices and finally an expired token, while keys are typed.
//!
//! Invariants: the app never panics (log clean, exit code 0), the terminal is
//! restored after quitting, no Web API request reaches the simulator while a
//! Retry-After wait is in force, and once the faults are cleared the screen
//! shows the simulator's truth within a few seconds.

mod support;

use std::time::Duration;

use support::soak::{retry_after_violations, sim_truth, start_playing};
use support::{eventually, runtime};

fn pause(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

#[test]
fn faults_never_crash_the_app_and_it_recovers() {
    let rt = runtime();
    let (sim, app) = start_playing(&rt, env!("CARGO_BIN_EXE_spotdeck"));
    pause(500);

    // 429 storm: every request for 3 s is refused with Retry-After: 2.
    sim.rate_limit_for(Duration::from_secs(3), 2);
    app.keys(&["Space", "+", "n"]);
    let shown = app
        .wait_for_within("rate limited", Duration::from_secs(4))
        .is_ok();
    pause(4_000);
    // A single 429 with a longer wait.
    sim.rate_limit_next(1, 3);
    app.keys(&["-"]);
    pause(4_000);
    sim.clear_faults();

    // 5xx answers.
    sim.server_error_next(3, 503);
    app.keys(&["+", "Right", "Space"]);
    pause(1_500);
    // Dropped connections.
    sim.drop_connections_next(3);
    app.keys(&["n", "Left"]);
    pause(2_000);
    // Malformed bodies while using the device picker.
    sim.malformed_json_next(4);
    app.keys(&["d"]);
    pause(800);
    app.keys(&["Down", "Enter"]);
    pause(1_500);
    // Latency spikes.
    sim.latency_spike_next(4, 1_500);
    app.keys(&["+", "Space", "]"]);
    pause(2_500);
    // A device waking up (202).
    sim.device_waking_next(2);
    app.keys(&["Space", "-"]);
    pause(1_500);

    // Clear everything: the screen must converge on the simulator's truth.
    sim.clear_faults();
    assert!(
        app.alive(),
        "the app died during the faults:\n{}",
        app.screen()
    );
    let mut last = (String::new(), None);
    let converged = eventually(Duration::from_secs(12), || {
        let screen = app.screen();
        let truth = sim_truth(&rt, &sim);
        let ok = truth.as_ref().is_some_and(|(t, v)| {
            screen.contains(t.as_str()) && screen.contains(&format!("vol {v}%"))
        });
        last = (screen, truth);
        ok
    });
    assert!(
        converged,
        "after the faults the screen does not show the simulator's truth {:?}:\n{}",
        last.1, last.0
    );

    // Token expiry mid-session: the static token cannot be refreshed, so an
    // error must show; the app must stay up.
    sim.expire_access_tokens_now();
    app.keys(&["n"]);
    let expired_seen = eventually(Duration::from_secs(8), || {
        let s = app.screen();
        s.contains("login") || s.contains("token") || s.contains("expired")
    });
    assert!(
        expired_seen,
        "no error shown for the expired token:\n{}",
        app.screen()
    );
    pause(500);

    // Quit: the shell's output must be visible again, with exit code 0.
    app.keys(&["q"]);
    let exited = app.wait_for_within("EXITED=", Duration::from_secs(10));
    let screen = exited.unwrap_or_else(|s| panic!("app did not exit:\n{s}"));
    assert!(screen.contains("EXITED=0"), "non-zero exit:\n{screen}");
    assert!(
        !screen.contains("Now playing on"),
        "terminal not restored after quitting:\n{screen}"
    );
    let log = app.log();
    assert!(
        !log.is_empty(),
        "no log file at {}",
        app.log_path().display()
    );
    assert!(
        !log.to_lowercase().contains("panic"),
        "the log mentions a panic:\n{log}"
    );

    let violations = retry_after_violations(&sim.requests());
    let rate_limited = sim.requests().iter().filter(|r| r.status == 429).count();
    assert!(rate_limited >= 2, "the 429 storm never hit a request");
    assert!(
        violations.is_empty(),
        "requests sent during a Retry-After wait:\n{}",
        violations.join("\n")
    );
    assert!(shown, "the rate-limit countdown was never shown");
}
