//! End-to-end tests of the real binary in tmux against the simulator: keys
//! are typed with `send-keys`, the screen is read with `capture-pane`, and
//! the simulator's request log and state say what reached "Spotify".

use std::process::Command;
use std::time::{Duration, Instant};

use spotdeck::sim::{self, SimHandle, SimOptions};

struct Tmux {
    socket: String,
    _home: tempfile::TempDir,
}

impl Tmux {
    /// Starts the app in a detached tmux session of `w`×`h` pointed at `sim`.
    fn start(sim: &SimHandle, w: u16, h: u16, extra_env: &[(&str, String)]) -> Tmux {
        let have = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            have,
            "tmux is required for the end-to-end tests (apt-get install tmux)"
        );
        let home = tempfile::tempdir().expect("temp dir");
        let socket = format!("spotdeck-e2e-{}-{}", std::process::id(), rand_suffix());
        let mut env = vec![
            ("SPOTDECK_HOME", home.path().display().to_string()),
            ("SPOTDECK_API_BASE", sim.api_base()),
            ("SPOTDECK_ACCOUNTS_BASE", sim.accounts_base()),
            ("SPOTDECK_ACCESS_TOKEN", sim.issue_full_token()),
            ("SPOTDECK_IMAGES", "halfblocks".to_string()),
            ("SPOTDECK_LOG", "debug".to_string()),
            ("TERM", "xterm-256color".to_string()),
        ];
        env.extend(extra_env.iter().map(|(k, v)| (*k, v.clone())));
        let mut cmd = String::from("env");
        for (k, v) in &env {
            cmd.push_str(&format!(" {k}='{v}'"));
        }
        cmd.push_str(&format!(" '{}'", env!("CARGO_BIN_EXE_spotdeck")));
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "app",
            ])
            .args(["-x", &w.to_string(), "-y", &h.to_string(), &cmd])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        Tmux {
            socket,
            _home: home,
        }
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            let ok = Command::new("tmux")
                .args(["-L", &self.socket, "send-keys", "-t", "app", k])
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "send-keys {k}");
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    fn screen(&self) -> String {
        Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "app"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    /// Waits until the screen contains `text`.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "screen never showed {text:?}; it shows:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn alive(&self) -> bool {
        Command::new("tmux")
            .args(["-L", &self.socket, "has-session", "-t", "app"])
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

/// Waits until `cond` holds on the simulator, or fails with `what`.
fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn player_keys_reach_the_simulator() {
    let rt = runtime();
    let sim = rt
        .block_on(sim::start(SimOptions::default()))
        .expect("simulator starts");
    let app = Tmux::start(&sim, 100, 30, &[]);
    let first = sim.playback().expect("demo starts with a session");
    let screen = app.wait_for("Now playing on");
    assert!(screen.contains("Up next"), "{screen}");

    // Play (the demo starts paused).
    let was_playing = first.is_playing;
    app.keys(&["Space"]);
    eventually("play/pause toggled", || {
        sim.playback().is_some_and(|p| p.is_playing != was_playing)
    });
    app.wait_for(if was_playing { "paused" } else { "playing" });

    // Pause again.
    app.keys(&["Space"]);
    eventually("toggled back", || {
        sim.playback().is_some_and(|p| p.is_playing == was_playing)
    });

    // Next track.
    let before = sim.playback().and_then(|p| p.item_uri);
    app.keys(&["n"]);
    eventually("next track", || {
        sim.playback().and_then(|p| p.item_uri) != before
    });
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.line() == "POST /v1/me/player/next")
    );

    // Volume up twice.
    let vol = sim.playback().and_then(|p| p.volume_percent).unwrap_or(0);
    app.keys(&["+", "+"]);
    eventually("volume up", || {
        sim.playback().and_then(|p| p.volume_percent) == Some((vol + 10).min(100))
    });
    app.wait_for(&format!("vol {}%", (vol + 10).min(100)));

    // Transfer to another device through the picker.
    let target = sim
        .devices()
        .into_iter()
        .find(|d| !d.is_active && !d.is_restricted && d.id.is_some())
        .expect("an inactive device");
    app.keys(&["d"]);
    app.wait_for("Play on which device?");
    let screen = app.screen();
    let lines: Vec<&str> = screen.lines().collect();
    let row_of = |name: &str| lines.iter().position(|l| l.contains(name));
    let target_row = row_of(&target.name).expect("target listed");
    let active_row = lines
        .iter()
        .position(|l| l.contains('●') && l.contains("Computer") || l.contains('●'))
        .unwrap_or(target_row);
    let steps = target_row as isize - active_row as isize;
    let key = if steps >= 0 { "Down" } else { "Up" };
    for _ in 0..steps.unsigned_abs() {
        app.keys(&[key]);
    }
    app.keys(&["Enter"]);
    eventually("playback transferred", || {
        sim.playback().and_then(|p| p.device_id) == target.id
    });
    app.wait_for(&format!("Now playing on {}", target.name));

    app.keys(&["q"]);
    eventually("app exits", || !app.alive());
}

/// Runs `spotdeck --demo` with `env` in a tmux session whose shell prints the
/// exit status afterwards; returns (socket, home) and waits for the player.
fn demo_session(env: &str) -> (String, tempfile::TempDir) {
    let have = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(have, "tmux is required");
    let home = tempfile::tempdir().expect("temp dir");
    let socket = format!("spotdeck-demo-{}-{}", std::process::id(), rand_suffix());
    let cmd = format!(
        "env SPOTDECK_HOME='{}' {env} RUST_BACKTRACE=0 TERM=xterm-256color '{}' --demo --images halfblocks; echo EXITED=$?; sleep 30",
        home.path().display(),
        env!("CARGO_BIN_EXE_spotdeck")
    );
    let ok = Command::new("tmux")
        .args([
            "-L",
            &socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            "90",
            "-y",
            "26",
            &cmd,
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok);
    let deadline = Instant::now() + Duration::from_secs(15);
    while !capture(&socket).contains("Now playing on") {
        assert!(
            Instant::now() < deadline,
            "demo never showed the player:\n{}",
            capture(&socket)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (socket, home)
}

fn capture(socket: &str) -> String {
    Command::new("tmux")
        .args(["-L", socket, "capture-pane", "-p", "-t", "app"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// Sends `key`, then waits for the shell's `EXITED=` line and returns the screen.
fn press_and_wait_exit(socket: &str, key: &str) -> String {
    let _ = Command::new("tmux")
        .args(["-L", socket, "send-keys", "-t", "app", key])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let s = capture(socket);
        if s.contains("EXITED=") {
            let _ = Command::new("tmux")
                .args(["-L", socket, "kill-server"])
                .status();
            return s;
        }
        assert!(Instant::now() < deadline, "app did not exit:\n{s}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn demo_mode_starts_and_quits_cleanly() {
    let (socket, _home) = demo_session("");
    let s = press_and_wait_exit(&socket, "q");
    assert!(s.contains("EXITED=0"), "{s}");
    // The alternate screen is gone: the shell's output is visible again.
    assert!(!s.contains("Now playing on"), "terminal not restored:\n{s}");
}

#[test]
fn a_panic_restores_the_terminal_and_says_why() {
    let (socket, _home) = demo_session("SPOTDECK_PANIC_ON_KEY=Z");
    let s = press_and_wait_exit(&socket, "Z");
    assert!(
        s.contains("deliberate panic"),
        "panic message printed after restore:\n{s}"
    );
    assert!(!s.contains("Now playing on"), "terminal not restored:\n{s}");
}

#[test]
fn playlist_move_remove_and_undo_reach_the_simulator() {
    const LOCAL: &str = "4LocalFilesAndDupes004";
    let rt = runtime();
    let sim = rt
        .block_on(sim::start(SimOptions::default()))
        .expect("simulator starts");
    let app = Tmux::start(&sim, 110, 30, &[]);
    app.wait_for("Now playing on");
    let original = sim.playlist_uris(LOCAL).expect("demo playlist");

    // Open "Local Files & Dupes" (4th of the user's playlists).
    app.keys(&["2"]);
    app.wait_for("Local Files & Dupes");
    app.keys(&["j", "j", "j", "Enter"]);
    app.wait_for("(local file)");

    // Move the first item down one row.
    app.keys(&["J"]);
    let mut moved = original.clone();
    moved.swap(0, 1);
    eventually("item moved", || {
        sim.playlist_uris(LOCAL).as_ref() == Some(&moved)
    });

    // The selection follows the moved item (now row 2); remove row 3, confirming.
    app.keys(&["j"]);
    let target = moved[2].clone();
    assert!(
        !target.starts_with("spotify:local:"),
        "row 3 of the demo playlist is a catalogue track"
    );
    app.keys(&["x"]);
    app.wait_for("Remove");
    app.keys(&["y"]);
    let mut removed = moved.clone();
    removed.remove(2);
    eventually("item removed", || {
        sim.playlist_uris(LOCAL).as_ref() == Some(&removed)
    });

    // Undo puts that one row back where it was.
    app.keys(&["u"]);
    eventually("removal undone", || {
        sim.playlist_uris(LOCAL).as_ref() == Some(&moved)
    });
    let screen = app.screen();
    assert!(screen.contains("Local Files & Dupes"), "{screen}");
    app.keys(&["q"]);
    eventually("app exits", || !app.alive());
}
