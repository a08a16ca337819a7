//! The README's polling budget holds for the real binary: while playback is
//! paused the app asks for playback every 10 s and for devices every 30 s,
//! so in a 30 s window at most 4 playback polls, 2 device polls and nothing
//! else reach the simulator (≤ 8 requests per minute).

mod support;

use std::time::Duration;

use support::tmux::{App, Launch};
use support::{eventually, runtime};

const WINDOW: Duration = Duration::from_secs(30);
/// 10 s playback period → at most 4 polls in a closed 30 s window.
const MAX_PLAYBACK: usize = 4;
/// 30 s devices period → at most 2.
const MAX_DEVICES: usize = 2;
/// README "Polling budget": paused idle ≤ 8 per minute → 4 per 30 s, plus
/// one for a poll landing exactly on the window's edge.
const MAX_TOTAL: usize = 5;

#[test]
fn paused_idle_stays_within_the_polling_budget() {
    let rt = runtime();
    let sim = support::paused_sim(&rt);
    let app = App::start(
        env!("CARGO_BIN_EXE_spotdeck"),
        &sim,
        (100, 30),
        Launch::Exec,
        &[],
    );
    app.wait_for("Now playing on");
    app.wait_for("paused");
    // Let the start-up fetches (profile, queue, recent, cover) finish.
    assert!(
        eventually(Duration::from_secs(10), || {
            sim.requests()
                .iter()
                .any(|r| r.path == "/v1/me/player/recently-played")
        }),
        "start-up fetches never happened"
    );
    std::thread::sleep(Duration::from_secs(2));
    sim.clear_log();
    std::thread::sleep(WINDOW);
    let log = sim.requests();
    assert!(app.alive(), "the app exited during the idle window");

    let lines: Vec<String> = log.iter().map(|r| r.line()).collect();
    let count = |line: &str| lines.iter().filter(|l| *l == line).count();
    let playback = count("GET /v1/me/player");
    let devices = count("GET /v1/me/player/devices");
    assert!(
        playback >= 2,
        "expected the paused poll to keep running (every 10 s), saw {playback}: {lines:#?}"
    );
    assert!(
        playback <= MAX_PLAYBACK,
        "{playback} playback polls in {WINDOW:?} while paused (budget {MAX_PLAYBACK}): {lines:#?}"
    );
    assert!(
        devices <= MAX_DEVICES,
        "{devices} device polls in {WINDOW:?} (budget {MAX_DEVICES}): {lines:#?}"
    );
    assert!(
        log.len() <= MAX_TOTAL,
        "{} requests in {WINDOW:?} while paused (budget {MAX_TOTAL}): {lines:#?}",
        log.len()
    );
    assert!(
        log.iter().all(|r| r.status != 0 && r.status < 400),
        "idle requests failed: {log:#?}"
    );
    app.keys(&["q"]);
    assert!(
        eventually(Duration::from_secs(10), || !app.alive()),
        "app did not quit"
    );
}
