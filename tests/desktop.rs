//! The desktop integration against the simulator, with the real binary:
//! MPRIS on a private session bus driven by `playerctl` (with `dbus-monitor`
//! watching the signals), hooks, and the sleep timer from the TUI (`z`) and
//! the CLI (`spotdeck sleep`), with short clocks.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use spotdeck::sim::{self, SimHandle, SimOptions};
use spotdeck::spotify::Client;
use spotdeck::token::{AccessToken, StaticToken};
use support::tmux::{App, BIN, Launch, sim_env};
use support::{eventually, runtime};

const WAIT: Duration = Duration::from_secs(15);

/// A private D-Bus session bus, stopped on drop.
struct SessionBus {
    daemon: Child,
    address: String,
}

impl SessionBus {
    fn start() -> SessionBus {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs (apt-get install dbus)");
        let mut line = String::new();
        let out = daemon.stdout.take().expect("stdout piped");
        BufReader::new(out)
            .read_line(&mut line)
            .expect("dbus-daemon prints its address");
        let address = line.trim().to_string();
        assert!(address.starts_with("unix:"), "bus address {address:?}");
        SessionBus { daemon, address }
    }

    /// Runs `playerctl -p spotdeck ARGS` on this bus; its stdout when it succeeded.
    fn playerctl(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("playerctl")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args(["-p", "spotdeck"])
            .args(args)
            .output()
            .expect("playerctl runs (apt-get install playerctl)");
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

/// `dbus-monitor` on a bus, writing what it sees to a file; stopped on drop.
struct Monitor {
    child: Child,
    out: tempfile::NamedTempFile,
}

impl Monitor {
    /// Everything seen so far.
    fn seen(&self) -> String {
        std::fs::read_to_string(self.out.path()).unwrap_or_default()
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SessionBus {
    /// Starts `dbus-monitor` with a match `rule` and waits until it listens.
    fn monitor(&self, rule: &str) -> Monitor {
        let out = tempfile::NamedTempFile::new().expect("temp file");
        let child = Command::new("dbus-monitor")
            .args(["--address", &self.address, rule])
            .stdout(out.reopen().expect("reopen"))
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor runs");
        let m = Monitor { child, out };
        // dbus-monitor prints a NameAcquired signal first: it is listening.
        assert!(
            eventually(WAIT, || m.seen().contains("NameAcquired")),
            "{}",
            m.seen()
        );
        m
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// Starts the app on `sim` in tmux with `config` as its config file.
fn app_with(sim: &SimHandle, config: &str, env: &[(&str, String)]) -> App {
    let mut all = sim_env(sim);
    all.extend(env.iter().map(|(k, v)| (*k, v.clone())));
    App::launch(home_with(config), BIN, (100, 30), Launch::Exec, &all, &[])
}

/// A home folder with `config.toml` holding `config`.
fn home_with(config: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(home.path().join("config")).expect("config dir");
    std::fs::write(home.path().join("config").join("config.toml"), config).expect("config");
    home
}

fn client(sim: &SimHandle) -> Client {
    let token = Arc::new(StaticToken(AccessToken::bare(sim.issue_full_token())));
    Client::new(&sim.api_base(), token).expect("client")
}

/// (title, progress ms, duration ms) of what the simulator plays now.
fn now_playing(rt: &tokio::runtime::Runtime, sim: &SimHandle) -> (String, u64, u64) {
    let state = rt
        .block_on(client(sim).playback_state())
        .expect("playback state")
        .expect("something is loaded");
    let item = state.item.expect("an item");
    (
        item.name().to_string(),
        state.progress_ms.unwrap_or(0),
        item.duration_ms(),
    )
}

fn start(rt: &tokio::runtime::Runtime) -> SimHandle {
    rt.block_on(sim::start(SimOptions::default()))
        .expect("simulator starts")
}

#[test]
fn playerctl_controls_the_simulator_and_sees_track_changes() {
    let rt = runtime();
    let sim = start(&rt);
    let bus = SessionBus::start();
    let app = app_with(
        &sim,
        "",
        &[("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())],
    );
    app.wait_for("Now playing on");
    assert!(
        eventually(WAIT, || bus.playerctl(&["status"]).is_some()),
        "spotdeck never appeared on the bus; screen:\n{}",
        app.screen()
    );

    // Metadata is the simulator's current title.
    let (title, _, _) = now_playing(&rt, &sim);
    assert!(
        eventually(WAIT, || bus.playerctl(&["metadata", "title"]).as_deref()
            == Some(title.as_str())),
        "playerctl metadata title: {:?}, simulator plays {title:?}",
        bus.playerctl(&["metadata", "title"])
    );

    // Watch PropertiesChanged from here on.
    let monitor = bus.monitor(
        "type='signal',interface='org.freedesktop.DBus.Properties',member='PropertiesChanged',path='/org/mpris/MediaPlayer2'",
    );
    let seen = || monitor.seen();

    // play-pause reaches the simulator and the status follows.
    let was = sim.playback().expect("a session").is_playing;
    assert!(bus.playerctl(&["play-pause"]).is_some());
    assert!(
        eventually(WAIT, || sim.playback().is_some_and(|p| p.is_playing != was)),
        "play-pause did not reach the simulator"
    );
    let want = if was { "Paused" } else { "Playing" };
    assert!(eventually(WAIT, || bus.playerctl(&["status"]).as_deref() == Some(want)));
    assert!(eventually(WAIT, || seen().contains(want)), "{}", seen());

    // A track change emits PropertiesChanged with the new metadata.
    let before = sim.playback().and_then(|p| p.item_uri);
    assert!(bus.playerctl(&["next"]).is_some());
    assert!(eventually(WAIT, || sim.playback().and_then(|p| p.item_uri) != before));
    let (next_title, _, _) = now_playing(&rt, &sim);
    assert!(
        eventually(WAIT, || {
            let s = seen();
            s.contains("xesam:title") && s.contains(&next_title)
        }),
        "no PropertiesChanged with {next_title:?}:\n{}",
        seen()
    );
    assert!(eventually(WAIT, || bus
        .playerctl(&["metadata", "title"])
        .as_deref()
        == Some(next_title.as_str())));

    // Setters: volume, shuffle, loop; and seeking.
    assert!(bus.playerctl(&["volume", "0.3"]).is_some());
    assert!(
        eventually(WAIT, || sim.playback().and_then(|p| p.volume_percent)
            == Some(30)),
        "volume: {:?}",
        sim.playback().and_then(|p| p.volume_percent)
    );
    let shuffle = sim.playback().is_some_and(|p| p.shuffle);
    assert!(
        bus.playerctl(&["shuffle", if shuffle { "Off" } else { "On" }])
            .is_some()
    );
    assert!(eventually(WAIT, || sim
        .playback()
        .is_some_and(|p| p.shuffle != shuffle)));
    assert!(bus.playerctl(&["loop", "Track"]).is_some());
    assert!(eventually(WAIT, || sim
        .playback()
        .is_some_and(|p| p.repeat == "track")));
    assert!(bus.playerctl(&["position", "90"]).is_some());
    assert!(
        eventually(WAIT, || sim
            .playback()
            .is_some_and(|p| (90_000..98_000).contains(&p.progress_ms))),
        "position: {:?}",
        sim.playback().map(|p| p.progress_ms)
    );
}

#[test]
fn mpris_false_keeps_spotdeck_off_the_bus() {
    let rt = runtime();
    let sim = start(&rt);
    let bus = SessionBus::start();
    let app = app_with(
        &sim,
        "[desktop]\nmpris = false\n",
        &[("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())],
    );
    app.wait_for("Now playing on");
    // The app is up and has polled; had it registered, it would be on the bus by now.
    assert!(eventually(WAIT, || sim
        .requests()
        .iter()
        .filter(|r| r.line() == "GET /v1/me/player")
        .count()
        >= 1));
    let names = Command::new("dbus-send")
        .args([
            &format!("--bus={}", bus.address),
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.ListNames",
        ])
        .output()
        .expect("dbus-send runs");
    let names = String::from_utf8_lossy(&names.stdout);
    assert!(names.contains("org.freedesktop.DBus"), "{names}");
    assert!(
        !names.contains("org.mpris.MediaPlayer2.spotdeck"),
        "{names}"
    );
}

#[test]
fn hooks_run_with_the_event_in_the_environment() {
    let rt = runtime();
    let sim = start(&rt);
    let out = tempfile::NamedTempFile::new().expect("temp file");
    let path = out.path().display().to_string();
    let config = format!(
        "[hooks]\n\
         on_track_change = '''printf '%s|%s|%s|%s\\n' \"$SPOTDECK_EVENT\" \"$SPOTDECK_TITLE\" \"$SPOTDECK_URI\" \"$SPOTDECK_DEVICE\" >> {path}'''\n\
         on_play_pause = '''printf '%s|%s\\n' \"$SPOTDECK_EVENT\" \"$SPOTDECK_PLAYING\" >> {path}'''\n\
         on_device_change = 'exit 7'\n"
    );
    let app = app_with(&sim, &config, &[]);
    app.wait_for("Now playing on");
    let lines = || std::fs::read_to_string(out.path()).unwrap_or_default();
    let first = sim.playback().expect("a session");
    let first_uri = first.item_uri.clone().expect("an item");
    // The first playback answer is a track change.
    assert!(
        eventually(WAIT, || lines().contains(&format!("|{first_uri}|"))),
        "{}",
        lines()
    );
    // The failing device hook is reported on the status line (once).
    app.wait_for("on_device_change failed");

    app.keys(&["n"]);
    assert!(eventually(WAIT, || sim.playback().and_then(|p| p.item_uri)
        != Some(first_uri.clone())));
    let (title, _, _) = now_playing(&rt, &sim);
    let uri = sim.playback().and_then(|p| p.item_uri).expect("an item");
    let device = sim
        .playback()
        .and_then(|p| p.device_name)
        .expect("a device");
    let want = format!("track_change|{title}|{uri}|{device}");
    assert!(
        eventually(WAIT, || lines().contains(&want)),
        "want {want:?}:\n{}",
        lines()
    );

    let playing = sim.playback().is_some_and(|p| p.is_playing);
    app.keys(&["Space"]);
    let want = if playing { "pause|false" } else { "play|true" };
    assert!(
        eventually(WAIT, || lines().contains(want)),
        "want {want:?}:\n{}",
        lines()
    );
}

#[test]
fn sleep_key_pauses_at_the_end_of_the_track_and_restores_the_volume() {
    let rt = runtime();
    let sim = start(&rt);
    sim.resume_externally();
    assert!(
        sim.playback().is_some_and(|p| p.is_playing),
        "demo can play"
    );
    // About 20 s before the end of the track.
    let (_, progress, duration) = now_playing(&rt, &sim);
    sim.advance_clock(Duration::from_millis(
        duration.saturating_sub(progress).saturating_sub(20_000),
    ));
    let volume = sim
        .playback()
        .and_then(|p| p.volume_percent)
        .expect("a volume");
    assert!(
        volume >= 20,
        "the demo device has a volume to fade: {volume}"
    );
    let app = app_with(&sim, "[desktop]\nsleep_fade_secs = 6\n", &[]);
    app.wait_for("Now playing on");
    let item = sim.playback().and_then(|p| p.item_uri);

    // z, then 1: 15 minutes; z again cancels.
    app.keys(&["z"]);
    app.wait_for("Sleep timer");
    app.keys(&["1"]);
    app.wait_for("☾ sleep in 1");
    app.keys(&["z"]);
    app.wait_for("Sleep timer off.");
    assert!(!app.screen().contains("☾"), "{}", app.screen());

    // z, 5: end of this track.
    app.keys(&["z", "5"]);
    app.wait_for("☾ sleep at end of track");
    sim.clear_log();
    assert!(
        eventually(Duration::from_secs(30), || sim
            .playback()
            .is_some_and(|p| !p.is_playing)),
        "never paused; screen:\n{}",
        app.screen()
    );
    assert_eq!(
        sim.playback().and_then(|p| p.item_uri),
        item,
        "paused in the same track"
    );
    // The fade lowered the volume, then it was set back after the pause.
    assert!(
        eventually(WAIT, || sim.playback().and_then(|p| p.volume_percent)
            == Some(volume)),
        "volume not restored: {:?}",
        sim.playback().and_then(|p| p.volume_percent)
    );
    let log = sim.requests();
    let lowered = log.iter().position(|r| {
        r.line() == "PUT /v1/me/player/volume"
            && r.query
                .as_deref()
                .and_then(percent)
                .is_some_and(|v| v < volume)
    });
    let paused = log
        .iter()
        .position(|r| r.line() == "PUT /v1/me/player/pause");
    let restored = log.iter().rposition(|r| {
        r.line() == "PUT /v1/me/player/volume"
            && r.query.as_deref().and_then(percent) == Some(volume)
    });
    assert!(
        matches!((lowered, paused, restored), (Some(l), Some(p), Some(r)) if l < p && p < r),
        "fade, pause, restore in order: {:?}",
        log.iter().map(|r| r.line()).collect::<Vec<_>>()
    );
    app.wait_for("Good night");
}

/// `volume_percent=NN` from a query string.
fn percent(query: &str) -> Option<u8> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("volume_percent="))
        .and_then(|v| v.parse().ok())
}

/// Runs `spotdeck ARGS` against `sim` to its end (at most 60 s).
fn spotdeck(sim: &SimHandle, args: &[&str]) -> (Child, tempfile::TempDir) {
    let home = tempfile::tempdir().expect("temp dir");
    let child = Command::new(BIN)
        .args(args)
        .env("SPOTDECK_HOME", home.path())
        .envs(sim_env(sim))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spotdeck runs");
    (child, home)
}

fn finish((mut child, _home): (Child, tempfile::TempDir)) -> (bool, String) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("spotdeck sleep did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn sleep_command_fades_pauses_and_restores() {
    let rt = runtime();
    let sim = start(&rt);
    sim.resume_externally();
    let volume = sim
        .playback()
        .and_then(|p| p.volume_percent)
        .expect("a volume");
    let (ok, out) = finish(spotdeck(&sim, &["sleep", "4s", "--fade", "3"]));
    assert!(ok, "{out}");
    assert!(out.contains("Paused"), "{out}");
    let pb = sim.playback().expect("a session");
    assert!(!pb.is_playing, "paused");
    assert_eq!(pb.volume_percent, Some(volume), "volume restored");
    let volumes: Vec<u8> = sim
        .requests()
        .iter()
        .filter(|r| r.line() == "PUT /v1/me/player/volume")
        .filter_map(|r| r.query.as_deref().and_then(percent))
        .collect();
    assert!(volumes.len() >= 3, "{volumes:?}");
    assert!(
        volumes[..volumes.len() - 1].windows(2).all(|w| w[1] < w[0]),
        "{volumes:?}"
    );
    assert_eq!(volumes.last(), Some(&volume), "{volumes:?}");
}

#[test]
fn sleep_command_pauses_the_device_playing_after_a_transfer() {
    let rt = runtime();
    let sim = start(&rt);
    sim.resume_externally();
    let other = sim.add_device("Bedroom Speaker", "Speaker");
    let child = spotdeck(&sim, &["sleep", "3s", "--fade", "0"]);
    // Playback moves elsewhere while the timer runs.
    assert!(sim.activate_device(&other));
    let (ok, out) = finish(child);
    assert!(ok, "{out}");
    let pb = sim.playback().expect("a session");
    assert_eq!(pb.device_id.as_deref(), Some(other.as_str()));
    assert!(!pb.is_playing, "the new device was paused");
}

#[test]
fn sleep_command_refuses_a_bad_time() {
    let rt = runtime();
    let sim = start(&rt);
    let (ok, out) = finish(spotdeck(&sim, &["sleep", "soon"]));
    assert!(!ok);
    assert!(out.contains("not a sleep time"), "{out}");
}

#[test]
fn sleep_command_with_nothing_playing_says_so() {
    let rt = runtime();
    let sim = start(&rt);
    sim.pause_externally();
    let (ok, out) = finish(spotdeck(&sim, &["sleep", "1s", "--fade", "0"]));
    assert!(ok, "{out}");
    assert!(out.contains("nothing to pause"), "{out}");
    assert!(
        !sim.requests()
            .iter()
            .any(|r| r.line() == "PUT /v1/me/player/pause"),
        "no pause sent"
    );
}

#[test]
fn notify_sends_a_notification_per_track_change() {
    let rt = runtime();
    let sim = start(&rt);
    let bus = SessionBus::start();
    // No notification daemon on this bus: dbus-monitor still sees the calls.
    let monitor = bus.monitor("interface='org.freedesktop.Notifications'");
    let seen = || monitor.seen();
    let app = app_with(
        &sim,
        "[desktop]\nnotify = true\nmpris = false\n",
        &[("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())],
    );
    app.wait_for("Now playing on");
    let (title, _, _) = now_playing(&rt, &sim);
    assert!(
        eventually(WAIT, || seen().contains("member=Notify")
            && seen().contains(&title)),
        "no notification for {title:?}:\n{}",
        seen()
    );
    let before = sim.playback().and_then(|p| p.item_uri);
    app.keys(&["n"]);
    assert!(eventually(WAIT, || sim.playback().and_then(|p| p.item_uri) != before));
    let (next, _, _) = now_playing(&rt, &sim);
    assert!(
        eventually(WAIT, || seen().contains(&next)),
        "no notification for {next:?}:\n{}",
        seen()
    );
    assert!(app.alive(), "the app survived sending notifications");
}
