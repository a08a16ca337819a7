//! End-to-end tests of the real binary in tmux against the simulator: keys
//! are typed with `send-keys`, the screen is read with `capture-pane`, and
//! the simulator's request log and state say what reached "Spotify".

mod support;

use std::time::Duration;

use spotdeck::sim::{self, SimOptions};
use support::tmux::{App, BIN, Launch};
use support::{runtime, wait_until};

#[test]
fn player_keys_reach_the_simulator() {
    let rt = runtime();
    let sim = rt
        .block_on(sim::start(SimOptions::default()))
        .expect("simulator starts");
    let app = App::start(BIN, &sim, (100, 30), Launch::Exec, &[]);
    let first = sim.playback().expect("demo starts with a session");
    let screen = app.wait_for("Now playing on");
    assert!(screen.contains("Up next"), "{screen}");

    // Play (the demo starts paused).
    let was_playing = first.is_playing;
    app.keys(&["Space"]);
    wait_until("play/pause toggled", || {
        sim.playback().is_some_and(|p| p.is_playing != was_playing)
    });
    // The flags line, not the header ("Now playing on" always contains "playing").
    let (now, before) = if was_playing {
        ("⏸ paused", "▶ playing")
    } else {
        ("▶ playing", "⏸ paused")
    };
    let screen = app.wait_for(now);
    assert!(!screen.contains(before), "{screen}");

    // Pause again.
    app.keys(&["Space"]);
    wait_until("toggled back", || {
        sim.playback().is_some_and(|p| p.is_playing == was_playing)
    });
    app.wait_for(before);

    // Next track.
    let before = sim.playback().and_then(|p| p.item_uri);
    app.keys(&["n"]);
    wait_until("next track", || {
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
    wait_until("volume up", || {
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
    wait_until("playback transferred", || {
        sim.playback().and_then(|p| p.device_id) == target.id
    });
    app.wait_for(&format!("Now playing on {}", target.name));

    app.keys(&["q"]);
    wait_until("app exits", || !app.alive());
}

#[test]
fn demo_mode_starts_and_quits_cleanly() {
    let app = App::demo((90, 26), &[]);
    app.wait_for("Now playing on");
    let s = app.quit();
    assert!(s.contains("EXITED=0"), "{s}");
    // The alternate screen is gone: the shell's output is visible again.
    assert!(!s.contains("Now playing on"), "terminal not restored:\n{s}");
}

#[test]
fn a_panic_restores_the_terminal_and_says_why() {
    let app = App::demo((90, 26), &[("SPOTDECK_PANIC_ON_KEY", "Z".to_string())]);
    app.wait_for("Now playing on");
    app.keys(&["Z"]);
    let s = app
        .wait_for_within("EXITED=", Duration::from_secs(10))
        .unwrap_or_else(|s| panic!("the app did not exit:\n{s}"));
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
    let app = App::start(BIN, &sim, (110, 30), Launch::Exec, &[]);
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
    wait_until("item moved", || {
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
    wait_until("item removed", || {
        sim.playlist_uris(LOCAL).as_ref() == Some(&removed)
    });

    // Undo puts that one row back where it was.
    app.keys(&["u"]);
    wait_until("removal undone", || {
        sim.playlist_uris(LOCAL).as_ref() == Some(&moved)
    });
    let screen = app.screen();
    assert!(screen.contains("Local Files & Dupes"), "{screen}");
    app.keys(&["q"]);
    wait_until("app exits", || !app.alive());
}
