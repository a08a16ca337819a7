//! The reducer's side of the desktop: the sleep timer (`z`, ticks with a
//! short clock: fade, pause of the active device, restore) and MPRIS
//! commands going through the same paths as keys.

mod library_support;

use std::time::{Duration, Instant};

use library_support::{answer, calls, press, state, track};
use spotdeck::app::action::Action;
use spotdeck::app::event::{Event, RemoteCommand};
use spotdeck::app::intent::Intent;
use spotdeck::app::state::{AppState, Popup};
use spotdeck::app::update::update;
use spotdeck::domain::{Device, Playback, Repeat};
use spotdeck::spotify::request::{PlayTarget, Reply, Request};

fn device(id: &str) -> Device {
    Device {
        id: Some(id.into()),
        name: format!("Device {id}"),
        kind: "Computer".into(),
        is_active: true,
        is_restricted: false,
        volume: Some(60),
        supports_volume: true,
    }
}

/// Playing track 1 (200 s long) at `progress_ms` on device "a", track 2 up next.
fn playing(progress_ms: u64) -> (AppState, Instant) {
    let (mut s, now) = state();
    s.sleep_fade = Duration::from_secs(10);
    s.devices = vec![device("a")];
    s.playback = Some(Playback {
        device: Some(device("a")),
        item: Some(track(1).track),
        is_playing: true,
        progress_ms,
        fetched_at: now,
        shuffle: false,
        repeat: Repeat::Off,
        context_uri: Some("spotify:album:x".into()),
        disallows: spotdeck::domain::Disallows::default(),
    });
    s.queue = vec![track(2).track];
    (s, now)
}

fn duration(s: &AppState) -> u64 {
    s.now_playing().map_or(0, |t| t.duration_ms)
}

fn tick(s: &mut AppState, at: Instant) -> Vec<(u64, Request)> {
    calls(&update(s, Event::Tick, at))
}

fn remote(s: &mut AppState, cmd: RemoteCommand, at: Instant) -> Vec<(u64, Request)> {
    calls(&update(s, Event::Desktop(cmd), at))
}

fn done(s: &mut AppState, id: u64, at: Instant) -> Vec<Action> {
    answer(s, id, Ok(Reply::Done), at)
}

#[test]
fn sleep_at_end_of_track_fades_pauses_the_active_device_and_restores() {
    let (mut s, t0) = playing(0);
    let end = Duration::from_millis(duration(&s));
    press(&mut s, 'z', t0);
    assert_eq!(s.popup, Some(Popup::SleepMenu { selected: 0 }));
    // Down four times and enter: "end of this track".
    for _ in 0..4 {
        press(&mut s, 'j', t0);
    }
    let out = update(
        &mut s,
        Event::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Enter,
            crossterm::event::KeyModifiers::NONE,
        )),
        t0,
    );
    assert!(calls(&out).is_empty());
    assert!(s.popup.is_none());
    assert!(s.sleep.is_some());
    assert!(s.is_animating(), "ticks run while the timer is set");

    // Playback moved to device "b" meanwhile (as a poll would show).
    if let Some(p) = &mut s.playback {
        p.device = Some(device("b"));
    }
    // Nothing until the fade window (10 s before the end, less the slack).
    assert!(tick(&mut s, t0 + end - Duration::from_secs(12)).is_empty());
    let mut levels = Vec::new();
    let mut at = end - Duration::from_secs(11);
    while at < end - Duration::from_secs(1) {
        at += Duration::from_millis(250);
        for (id, call) in tick(&mut s, t0 + at) {
            match call {
                Request::Volume { percent, .. } => {
                    levels.push(percent);
                    done(&mut s, id, t0 + at);
                }
                Request::Pause { device_id } => {
                    assert_eq!(device_id, None, "pauses whatever device is active");
                    assert!(!s.playback.as_ref().is_some_and(|p| p.is_playing));
                    assert!(levels.len() >= 5, "faded first: {levels:?}");
                    assert!(levels.windows(2).all(|w| w[1] < w[0]), "{levels:?}");
                    // Nothing is restored until the pause went through.
                    assert!(tick(&mut s, t0 + at).is_empty());
                    done(&mut s, id, t0 + at);
                    let restore = tick(&mut s, t0 + at);
                    assert!(
                        matches!(
                            restore.as_slice(),
                            [(_, Request::Volume { percent: 60, .. })]
                        ),
                        "{restore:?}"
                    );
                    assert!(s.sleep.is_none());
                    assert!(
                        s.status
                            .as_ref()
                            .is_some_and(|m| m.text.contains("Good night"))
                    );
                    return;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    panic!("never paused; levels {levels:?}");
}

#[test]
fn sleep_key_again_cancels_and_restores_a_fade() {
    let (mut s, t0) = playing(0);
    press(&mut s, 'z', t0);
    press(&mut s, '1', t0);
    assert!(s.sleep.is_some());
    assert!(
        s.status
            .as_ref()
            .is_some_and(|m| m.text.contains("in 15 min"))
    );
    // Into the fade: 5 s before the 15 minutes are up.
    let late = t0 + Duration::from_secs(15 * 60 - 5);
    if let Some(p) = &mut s.playback {
        p.progress_ms = 0;
        p.fetched_at = late;
    }
    let out = tick(&mut s, late);
    assert!(
        matches!(out.as_slice(), [(_, Request::Volume { .. })]),
        "{out:?}"
    );
    done(&mut s, out[0].0, late);
    let out = calls(&press(&mut s, 'z', late));
    assert!(s.sleep.is_none());
    assert!(
        matches!(out.as_slice(), [(_, Request::Volume { percent: 60, .. })]),
        "{out:?}"
    );
    assert!(
        s.status
            .as_ref()
            .is_some_and(|m| m.text == "Sleep timer off.")
    );
}

#[test]
fn end_of_track_needs_something_playing() {
    let (mut s, t0) = state();
    press(&mut s, 'z', t0);
    press(&mut s, '5', t0);
    assert!(s.sleep.is_none());
    assert!(
        s.status
            .as_ref()
            .is_some_and(|m| m.text.contains("Nothing is playing"))
    );
}

#[test]
fn mpris_commands_take_the_key_paths() {
    let (mut s, t0) = playing(30_000);
    // Play while playing: nothing; pause: optimistic, to the active device.
    assert!(remote(&mut s, RemoteCommand::Play, t0).is_empty());
    let out = remote(&mut s, RemoteCommand::Pause, t0);
    assert!(matches!(out.as_slice(), [(_, Request::Pause { device_id: Some(d) })] if d == "a"));
    assert!(!s.playback.as_ref().is_some_and(|p| p.is_playing));
    assert!(remote(&mut s, RemoteCommand::Pause, t0).is_empty());
    let out = remote(&mut s, RemoteCommand::Play, t0);
    assert!(matches!(
        out.as_slice(),
        [(
            _,
            Request::Play {
                target: PlayTarget::Resume,
                ..
            }
        )]
    ));

    let out = remote(&mut s, RemoteCommand::Volume(25), t0);
    assert!(matches!(
        out.as_slice(),
        [(_, Request::Volume { percent: 25, .. })]
    ));
    assert_eq!(
        s.playback
            .as_ref()
            .and_then(|p| p.device.as_ref())
            .and_then(|d| d.volume),
        Some(25),
        "shown at once"
    );
    let out = remote(&mut s, RemoteCommand::Repeat(Repeat::Track), t0);
    assert!(matches!(
        out.as_slice(),
        [(
            _,
            Request::Repeat {
                mode: Repeat::Track,
                ..
            }
        )]
    ));
    assert!(remote(&mut s, RemoteCommand::Repeat(Repeat::Track), t0).is_empty());
    let out = remote(&mut s, RemoteCommand::Shuffle(true), t0);
    assert!(matches!(
        out.as_slice(),
        [(_, Request::Shuffle { on: true, .. })]
    ));
    assert!(remote(&mut s, RemoteCommand::Shuffle(true), t0).is_empty());
    let out = remote(&mut s, RemoteCommand::SeekBy(-10_000), t0);
    assert!(matches!(
        out.as_slice(),
        [(
            _,
            Request::Seek {
                position_ms: 20_000,
                ..
            }
        )]
    ));
    let out = remote(&mut s, RemoteCommand::SetPosition(90_000), t0);
    assert!(matches!(
        out.as_slice(),
        [(
            _,
            Request::Seek {
                position_ms: 90_000,
                ..
            }
        )]
    ));
    let out = remote(&mut s, RemoteCommand::Intent(Intent::Next), t0);
    assert!(matches!(out.as_slice(), [(_, Request::Next { .. })]));
    assert_eq!(
        s.now_playing().map(|t| t.uri.clone()),
        Some(track(2).track.uri)
    );

    update(
        &mut s,
        Event::Notice("Hook on_track_change failed".into()),
        t0,
    );
    assert!(
        s.status
            .as_ref()
            .is_some_and(|m| m.text == "Hook on_track_change failed")
    );
}

#[test]
fn mpris_play_with_nothing_active_asks_for_a_device() {
    let (mut s, t0) = state();
    remote(&mut s, RemoteCommand::Play, t0);
    assert!(matches!(
        s.popup,
        Some(Popup::DevicePicker { retry: Some(_), .. })
    ));
    let (mut s, t0) = state();
    assert!(remote(&mut s, RemoteCommand::Volume(10), t0).is_empty());
    assert!(
        s.status
            .as_ref()
            .is_some_and(|m| m.text == "Nothing is playing.")
    );
}
