//! Rollback, black-box: the real binary in tmux against the simulator. A
//! command is shown at once; when Spotify refuses it the screen goes back.
//! While a check runs every request fails (the simulator's
//! `server_error_next`), so no poll can repaint the truth: only a rollback
//! brings the old value back. After each check the faults are cleared and
//! the screen must agree with the simulator again.

mod support;

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use spotdeck::sim::SimHandle;
use support::player::{self, Shown};
use support::tmux::{App, BIN, Launch};

/// Enough failing answers to cover a check and every poll meanwhile.
const ALL_FAIL: u32 = 10_000;

struct Rig {
    rt: tokio::runtime::Runtime,
    sim: SimHandle,
    app: App,
}

impl Rig {
    fn start() -> Rig {
        let rt = support::runtime();
        let sim = support::paused_sim(&rt);
        let app = App::start(BIN, &sim, (120, 36), Launch::Exec, &[]);
        let rig = Rig { rt, sim, app };
        rig.converged("start-up");
        rig
    }

    fn truth(&self) -> Shown {
        self.rt
            .block_on(player::truth(&self.sim))
            .expect("a device is active")
    }

    fn shown(&self) -> Shown {
        player::parse(&self.app.screen())
    }

    /// Waits until the screen agrees with the simulator (fails after 20 s).
    fn converged(&self, what: &str) -> Shown {
        let mut last = (String::new(), None);
        let ok = support::eventually(Duration::from_secs(20), || {
            let screen = self.app.screen();
            let truth = self.rt.block_on(player::truth(&self.sim));
            let agree = truth
                .as_ref()
                .is_some_and(|t| player::agrees(&player::parse(&screen), t));
            last = (screen, truth);
            agree
        });
        assert!(
            ok,
            "{what}: the screen never agreed with the simulator {:?}:\n{}",
            last.1, last.0
        );
        self.shown()
    }

    /// Every request fails with `status` while `keys` are typed; waits until
    /// the failure is reported and the screen shows `old` for `field` again.
    /// `requests` (`"PUT /v1/me/player/seek"`, a query may follow) must have reached the
    /// simulator and been refused first: the screen is judged after that.
    fn refused<T: PartialEq + std::fmt::Debug>(
        &self,
        status: u16,
        keys: &[&str],
        requests: &[&str],
        field: fn(&Shown) -> T,
        what: &str,
    ) {
        let old = field(&self.shown());
        self.sim.clear_log();
        self.sim.server_error_next(ALL_FAIL, status);
        self.app.keys(keys);
        support::wait_until(&format!("{requests:?} refused with {status}"), || {
            let log = self.sim.requests();
            requests.iter().all(|want| {
                log.iter().any(|r| {
                    let line = match &r.query {
                        Some(q) => format!("{}?{q}", r.line()),
                        None => r.line(),
                    };
                    line.starts_with(want) && r.status == status
                })
            })
        });
        let tag = format!("HTTP {status}");
        self.app.wait_screen(
            &format!("{what} rolled back to {old:?} after the {tag} failure"),
            |s| s.contains(&tag) && field(&player::parse(s)) == old,
        );
    }

    fn recover(&self, what: &str) {
        self.sim.clear_faults();
        self.converged(what);
    }
}

#[test]
fn refused_seek_repeat_shuffle_and_volume_burst_roll_back() {
    let rig = Rig::start();
    let before = rig.shown();
    assert_eq!(before.playing, Some(false), "checks run paused: {before:?}");

    // Seek +30 s: the position goes back (paused, so it does not move).
    rig.refused(
        502,
        &["]"],
        &["PUT /v1/me/player/seek"],
        |s| s.position.clone(),
        "the seek",
    );
    rig.recover("after the seek");

    // Repeat cycles off → all; refused, it is what it was.
    rig.refused(
        503,
        &["r"],
        &["PUT /v1/me/player/repeat"],
        |s| s.repeat.clone(),
        "repeat",
    );
    rig.recover("after repeat");

    // Two commands failing in either order: both roll back.
    rig.refused(
        504,
        &["s", "r"],
        &["PUT /v1/me/player/shuffle", "PUT /v1/me/player/repeat"],
        |s| (s.shuffle, s.repeat.clone()),
        "shuffle and repeat",
    );
    rig.recover("after shuffle and repeat");

    // A coalesced volume burst whose last request (the burst's total) is
    // refused: the screen goes back to the volume before the burst.
    let target = rig.truth().volume.map_or(0, |v| (v + 20).min(100));
    rig.refused(
        500,
        &["+", "+", "+", "+"],
        &[&format!("PUT /v1/me/player/volume?volume_percent={target}")],
        |s| s.volume,
        "the volume burst",
    );
    rig.recover("after the volume burst");
    rig.app.quit();
}

#[test]
fn refused_next_and_transfer_roll_back() {
    let rig = Rig::start();
    // Next pops the queue on screen; refused, the old title is back.
    rig.refused(
        500,
        &["n"],
        &["POST /v1/me/player/next"],
        |s| s.title.clone(),
        "next",
    );
    rig.recover("after next");

    // Transfer through the device picker; refused, the old device is back.
    let target = rig
        .sim
        .devices()
        .into_iter()
        .find(|d| !d.is_active && !d.is_restricted && d.id.is_some())
        .expect("an inactive device");
    rig.app.keys(&["d"]);
    rig.app.wait_for("Play on which device?");
    let screen = rig.app.screen();
    let rows: Vec<&str> = screen.lines().collect();
    let target_row = rows
        .iter()
        .position(|l| l.contains(&target.name))
        .expect("target listed");
    let cursor_row = rows
        .iter()
        .position(|l| l.contains('●'))
        .unwrap_or(target_row);
    let steps = target_row as isize - cursor_row as isize;
    let key = if steps >= 0 { "Down" } else { "Up" };
    for _ in 0..steps.unsigned_abs() {
        rig.app.keys(&[key]);
    }
    rig.refused(
        503,
        &["Enter"],
        &["PUT /v1/me/player"],
        |s| s.device.clone(),
        "the transfer",
    );
    rig.recover("after the transfer");
    rig.app.quit();
}

/// Keys of player commands the random sequences draw from.
const COMMANDS: &[&str] = &["Space", "n", "p", "+", "-", "r", "s", "Right", "Left", "]"];

#[test]
fn once_nothing_is_pending_the_screen_shows_the_simulators_state() {
    let rig = Rig::start();
    for seed in [18_u64, 1_118, 2_718] {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut typed = Vec::new();
        for _ in 0..8 {
            if rng.random_bool(0.25) {
                let status = [500, 502, 503][rng.random_range(0..3)];
                rig.sim.server_error_next(rng.random_range(1..4), status);
                typed.push(format!("<{status}>"));
            }
            let key = COMMANDS[rng.random_range(0..COMMANDS.len())];
            typed.push(key.to_string());
            let gap = Duration::from_millis(rng.random_range(20..400));
            rig.app.keys_with_gap(&[key], gap);
        }
        rig.sim.clear_faults();
        rig.converged(&format!("seed {seed}, keys {typed:?}"));
    }
    rig.app.quit();
}
