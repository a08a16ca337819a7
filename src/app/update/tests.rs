//! Reducer tests: every player command, rollback, late polls, NO_ACTIVE_DEVICE.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::keymap::Keymap;
use crate::config::Config;
use crate::domain::{Device, Disallow, ImageRef, ItemKind, Playback, Repeat, Track};
use crate::spotify::request::PlayTarget;

fn track(n: u32) -> Track {
    Track {
        uri: format!("spotify:track:{n}"),
        title: format!("Song {n}"),
        artists: vec!["Artist".into()],
        album: "Album".into(),
        duration_ms: 200_000,
        kind: ItemKind::Track,
        images: vec![ImageRef {
            url: format!("http://img/{n}.jpg"),
            width: Some(300),
        }],
        is_playable: true,
    }
}

fn device(id: &str, active: bool) -> Device {
    Device {
        id: Some(id.into()),
        name: format!("Device {id}"),
        kind: "Computer".into(),
        is_active: active,
        is_restricted: false,
        volume: Some(50),
        supports_volume: true,
    }
}

fn setup(now: Instant) -> AppState {
    let mut s = AppState::new(&Config::default(), Keymap::default(), now);
    s.size = (120, 40);
    s.devices = vec![device("a", true), device("b", false)];
    s.playback = Some(Playback {
        device: Some(device("a", true)),
        item: Some(track(1)),
        is_playing: true,
        progress_ms: 10_000,
        fetched_at: now,
        shuffle: false,
        repeat: Repeat::Off,
        context_uri: None,
        disallows: Default::default(),
    });
    s.queue = vec![track(2), track(3)];
    s
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Event {
    Event::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn api_calls(out: &[Action]) -> Vec<(u64, Request)> {
    out.iter()
        .filter_map(|a| match a {
            Action::Api(ApiRequest { id, call, .. }) => Some((*id, call.clone())),
            _ => None,
        })
        .collect()
}

fn answer(id: u64, result: Result<Reply, ApiError>) -> Event {
    Event::Api(Box::new(Answer { id, result }))
}

/// A refusal of no particular kind; its sentence is "refused".
fn refused() -> ApiError {
    ApiError::InvalidArgument("refused".into())
}

#[test]
fn pause_is_optimistic_and_rolls_back_on_refusal() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let out = update(&mut s, key(' '), t0 + Duration::from_secs(1));
    let calls = api_calls(&out);
    assert_eq!(calls.len(), 1);
    assert!(matches!(calls[0].1, Request::Pause { device_id: Some(ref d) } if d == "a"));
    let pb = s.playback.as_ref().unwrap();
    assert!(!pb.is_playing);
    assert_eq!(
        pb.progress_ms, 11_000,
        "position frozen where it was paused"
    );

    let out = update(
        &mut s,
        answer(calls[0].0, Err(refused())),
        t0 + Duration::from_secs(2),
    );
    assert!(s.playback.as_ref().unwrap().is_playing, "rolled back");
    assert_eq!(s.status.as_ref().unwrap().text, "refused");
    assert!(s.pending.is_empty());
    let _ = out;
}

#[test]
fn resume_sends_play_and_success_keeps_state() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.playback.as_mut().unwrap().is_playing = false;
    let out = update(&mut s, key(' '), t0);
    let calls = api_calls(&out);
    assert!(matches!(
        calls[0].1,
        Request::Play {
            target: PlayTarget::Resume,
            ..
        }
    ));
    update(&mut s, answer(calls[0].0, Ok(Reply::Done)), t0);
    assert!(s.playback.as_ref().unwrap().is_playing);
    assert!(s.pending.is_empty());
}

#[test]
fn a_poll_sent_before_a_command_finished_does_not_undo_it() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    // A poll goes out, then the user pauses.
    let poll = api_calls(&update(&mut s, Event::PollDue(PollKind::Playback), t0));
    assert_eq!(poll.len(), 1);
    let cmd = api_calls(&update(&mut s, key(' '), t0));
    // The old poll answers "playing" after the command was sent: ignored.
    let mut stale = s.playback.clone().unwrap();
    stale.is_playing = true;
    update(
        &mut s,
        answer(poll[0].0, Ok(Reply::Playback(Some(stale.clone())))),
        t0,
    );
    assert!(!s.playback.as_ref().unwrap().is_playing);
    // The command completes; the stale poll id is below the watermark even if it came late.
    update(&mut s, answer(cmd[0].0, Ok(Reply::Done)), t0);
    update(
        &mut s,
        answer(poll[0].0, Ok(Reply::Playback(Some(stale.clone())))),
        t0,
    );
    assert!(!s.playback.as_ref().unwrap().is_playing);
    // A poll sent after completion is the truth.
    let later = api_calls(&update(
        &mut s,
        Event::PollDue(PollKind::Playback),
        t0 + Duration::from_secs(1),
    ));
    let mut truth = stale;
    truth.is_playing = false;
    truth.progress_ms = 42_000;
    update(
        &mut s,
        answer(later[0].0, Ok(Reply::Playback(Some(truth)))),
        t0 + Duration::from_secs(1),
    );
    assert_eq!(s.playback.as_ref().unwrap().progress_ms, 42_000);
}

#[test]
fn a_poll_of_a_kind_in_flight_is_not_sent_again() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    assert_eq!(
        api_calls(&update(&mut s, Event::PollDue(PollKind::Playback), t0)).len(),
        1
    );
    assert_eq!(
        api_calls(&update(&mut s, Event::PollDue(PollKind::Playback), t0)).len(),
        0
    );
    assert_eq!(
        api_calls(&update(&mut s, Event::PollDue(PollKind::Devices), t0)).len(),
        1
    );
}

#[test]
fn volume_keys_change_at_once_and_clamp() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let mut last = None;
    for _ in 0..12 {
        let out = api_calls(&update(&mut s, key('+'), t0));
        last = out.last().cloned();
    }
    assert!(matches!(
        last.unwrap().1,
        Request::Volume { percent: 100, .. }
    ));
    assert_eq!(
        s.playback.as_ref().unwrap().device.as_ref().unwrap().volume,
        Some(100)
    );
    let out = api_calls(&update(&mut s, key('m'), t0));
    assert!(matches!(out[0].1, Request::Volume { percent: 0, .. }));
    let out = api_calls(&update(&mut s, key('m'), t0));
    assert!(
        matches!(out[0].1, Request::Volume { percent: 100, .. }),
        "unmute restores"
    );
}

#[test]
fn volume_refusal_restores_the_old_volume() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let out = api_calls(&update(&mut s, key('-'), t0));
    assert_eq!(
        s.playback.as_ref().unwrap().device.as_ref().unwrap().volume,
        Some(45)
    );
    update(&mut s, answer(out[0].0, Err(refused())), t0);
    assert_eq!(
        s.playback.as_ref().unwrap().device.as_ref().unwrap().volume,
        Some(50)
    );
    assert_eq!(s.devices[0].volume, Some(50));
}

#[test]
fn seek_steps_and_typed_position() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.playback.as_mut().unwrap().is_playing = false;
    let out = api_calls(&update(&mut s, code(KeyCode::Right), t0));
    assert!(matches!(
        out[0].1,
        Request::Seek {
            position_ms: 15_000,
            ..
        }
    ));
    let out = api_calls(&update(&mut s, key('['), t0));
    assert!(matches!(out[0].1, Request::Seek { position_ms: 0, .. }));
    update(&mut s, key(':'), t0);
    assert!(matches!(s.popup, Some(Popup::SeekPrompt { .. })));
    for c in "1:05".chars() {
        update(&mut s, key(c), t0);
    }
    let out = api_calls(&update(&mut s, code(KeyCode::Enter), t0));
    assert!(matches!(
        out[0].1,
        Request::Seek {
            position_ms: 65_000,
            ..
        }
    ));
    assert!(s.popup.is_none());
}

#[test]
fn parse_position_accepts_forms() {
    assert_eq!(parse_position("90"), Some(90_000));
    assert_eq!(parse_position("1:30"), Some(90_000));
    assert_eq!(parse_position("1:00:00"), Some(3_600_000));
    assert_eq!(parse_position("1:75"), None);
    assert_eq!(parse_position(""), None);
    assert_eq!(parse_position("a"), None);
}

#[test]
fn shuffle_and_repeat_cycle_with_rollback() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let out = api_calls(&update(&mut s, key('s'), t0));
    assert!(matches!(out[0].1, Request::Shuffle { on: true, .. }));
    assert!(s.playback.as_ref().unwrap().shuffle);
    update(&mut s, answer(out[0].0, Err(refused())), t0);
    assert!(!s.playback.as_ref().unwrap().shuffle);
    let out = api_calls(&update(&mut s, key('r'), t0));
    assert!(matches!(
        out[0].1,
        Request::Repeat {
            mode: Repeat::Context,
            ..
        }
    ));
    let out = api_calls(&update(&mut s, key('r'), t0));
    assert!(matches!(
        out[0].1,
        Request::Repeat {
            mode: Repeat::Track,
            ..
        }
    ));
}

#[test]
fn next_shows_the_queued_track_at_once() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let out = api_calls(&update(&mut s, key('n'), t0));
    assert!(matches!(out[0].1, Request::Next { .. }));
    assert_eq!(s.now_playing().unwrap().uri, "spotify:track:2");
    assert_eq!(s.queue.len(), 1);
    let out = api_calls(&update(&mut s, key('p'), t0));
    assert!(matches!(out[0].1, Request::Previous { .. }));
}

#[test]
fn disallowed_actions_send_nothing() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.playback.as_mut().unwrap().disallows = [Disallow::Pausing, Disallow::SkippingPrev]
        .into_iter()
        .collect();
    assert!(api_calls(&update(&mut s, key(' '), t0)).is_empty());
    assert!(api_calls(&update(&mut s, key('p'), t0)).is_empty());
    assert!(s.status.as_ref().unwrap().text.contains("does not allow"));
}

#[test]
fn no_active_device_opens_the_picker_and_retries_there() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let out = api_calls(&update(&mut s, key('n'), t0));
    let out2 = update(&mut s, answer(out[0].0, Err(ApiError::NoActiveDevice)), t0);
    assert!(matches!(
        s.popup,
        Some(Popup::DevicePicker {
            retry: Some(Request::Next { .. }),
            ..
        })
    ));
    assert!(
        api_calls(&out2)
            .iter()
            .any(|(_, c)| *c == Request::GetDevices)
    );
    // Choose device b.
    update(&mut s, code(KeyCode::Down), t0);
    let out = api_calls(&update(&mut s, code(KeyCode::Enter), t0));
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0].1,
        Request::Next {
            device_id: Some("b".into())
        }
    );
    assert!(s.popup.is_none());
}

#[test]
fn nothing_playing_and_play_asks_for_a_device() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.playback = None;
    update(&mut s, key(' '), t0);
    assert!(matches!(
        s.popup,
        Some(Popup::DevicePicker {
            retry: Some(Request::Play { .. }),
            ..
        })
    ));
    let out = api_calls(&update(&mut s, code(KeyCode::Enter), t0));
    assert_eq!(
        out[0].1,
        Request::Play {
            target: PlayTarget::Resume,
            device_id: Some("a".into())
        }
    );
}

#[test]
fn transfer_from_devices_pane_keeps_playing() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    update(&mut s, code(KeyCode::Tab), t0);
    update(&mut s, code(KeyCode::Tab), t0);
    assert_eq!(s.focus, Focus::Devices);
    update(&mut s, code(KeyCode::Down), t0);
    let out = api_calls(&update(&mut s, code(KeyCode::Enter), t0));
    assert_eq!(
        out[0].1,
        Request::Transfer {
            device_id: "b".into(),
            play: true
        }
    );
    assert!(s.devices[1].is_active && !s.devices[0].is_active);
}

#[test]
fn restricted_and_idless_devices_are_refused_locally() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.devices[1].is_restricted = true;
    s.devices.push(Device {
        id: None,
        ..device("c", false)
    });
    s.focus = Focus::Devices;
    s.device_cursor.selected = 1;
    assert!(api_calls(&update(&mut s, code(KeyCode::Enter), t0)).is_empty());
    assert!(s.status.as_ref().unwrap().text.contains("restricted"));
    s.device_cursor.selected = 2;
    assert!(api_calls(&update(&mut s, code(KeyCode::Enter), t0)).is_empty());
    assert!(s.status.as_ref().unwrap().text.contains("no device id"));
}

#[test]
fn local_files_cannot_be_queued() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.queue[0].kind = ItemKind::Local;
    assert!(api_calls(&update(&mut s, key('e'), t0)).is_empty());
    assert!(s.status.as_ref().unwrap().text.contains("local file"));
}

#[test]
fn rate_limit_holds_polls_until_the_wait_is_over() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let until = t0 + Duration::from_secs(5);
    let out = update(&mut s, Event::RateLimited { until }, t0);
    assert!(s.poll_plan.playback_at >= until);
    assert!(out.iter().any(|a| matches!(a, Action::Schedule(_))));
    assert!(
        api_calls(&update(
            &mut s,
            Event::PollDue(PollKind::Playback),
            t0 + Duration::from_secs(1)
        ))
        .is_empty()
    );
    update(&mut s, Event::Tick, t0 + Duration::from_secs(6));
    assert!(s.rate_limited_until.is_none());
    assert_eq!(
        api_calls(&update(
            &mut s,
            Event::PollDue(PollKind::Playback),
            t0 + Duration::from_secs(6)
        ))
        .len(),
        1
    );
}

#[test]
fn polling_is_adaptive() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let cfg = s.poll_cfg.clone();
    assert_eq!(
        playback_interval(&s, t0),
        Duration::from_millis(cfg.playing_ms)
    );
    s.playback.as_mut().unwrap().is_playing = false;
    assert_eq!(
        playback_interval(&s, t0),
        Duration::from_millis(cfg.paused_ms)
    );
    s.playback = None;
    assert_eq!(
        playback_interval(&s, t0),
        Duration::from_millis(cfg.inactive_ms)
    );
    let mut s = setup(t0);
    s.playback.as_mut().unwrap().progress_ms = 199_000;
    assert_eq!(
        playback_interval(&s, t0),
        Duration::from_millis(1_300),
        "poll right after the end"
    );
    update(&mut s, key('s'), t0);
    assert_eq!(
        playback_interval(&s, t0),
        Duration::from_millis(cfg.burst_ms),
        "burst after a command"
    );
    assert_eq!(
        playback_interval(&s, t0 + Duration::from_millis(cfg.burst_window_ms + 1)),
        Duration::from_millis(1_300)
            .saturating_sub(Duration::from_millis(cfg.burst_window_ms + 1))
            .max(Duration::from_millis(cfg.burst_ms))
    );
}

#[test]
fn new_track_fetches_art_and_queue() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let poll = api_calls(&update(&mut s, Event::PollDue(PollKind::Playback), t0));
    let mut pb = s.playback.clone().unwrap();
    pb.item = Some(track(9));
    let out = update(&mut s, answer(poll[0].0, Ok(Reply::Playback(Some(pb)))), t0);
    assert!(
        api_calls(&out)
            .iter()
            .any(|(_, c)| matches!(c, Request::FetchArt { url } if url == "http://img/9.jpg"))
    );
    assert!(api_calls(&out).iter().any(|(_, c)| *c == Request::GetQueue));
}

#[test]
fn nothing_playing_204_is_shown_as_idle() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    let poll = api_calls(&update(&mut s, Event::PollDue(PollKind::Playback), t0));
    update(&mut s, answer(poll[0].0, Ok(Reply::Playback(None))), t0);
    assert!(s.playback.is_none());
    assert!(s.playback_loaded);
    assert_eq!(
        playback_interval(&s, t0),
        Duration::from_millis(s.poll_cfg.inactive_ms)
    );
}

#[test]
fn help_and_quit() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    update(&mut s, key('?'), t0);
    assert!(matches!(s.popup, Some(Popup::Help { .. })));
    update(&mut s, code(KeyCode::Esc), t0);
    assert!(s.popup.is_none());
    let out = update(&mut s, key('q'), t0);
    assert!(s.quit);
    assert!(out.contains(&Action::Quit));
}

#[test]
fn play_then_pause_works_when_the_api_disallowed_pausing_while_paused() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    {
        let p = s.playback.as_mut().unwrap();
        p.is_playing = false;
        p.disallows = [Disallow::Pausing].into_iter().collect();
    }
    assert_eq!(api_calls(&update(&mut s, key(' '), t0)).len(), 1);
    let out = api_calls(&update(&mut s, key(' '), t0));
    assert!(matches!(out[0].1, Request::Pause { .. }), "{out:?}");
}

#[test]
fn mouse_focuses_selects_and_seeks() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.playback.as_mut().unwrap().is_playing = false;
    let l = geometry::player(Rect::new(0, 0, s.size.0, s.size.1), &s);
    let dev = l.devices.unwrap();
    let click = |x: u16, y: u16| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut s, click(dev.x + 2, dev.y + 2), t0);
    assert_eq!(s.focus, Focus::Devices);
    assert_eq!(s.device_cursor.selected, 1);
    // Clicking the middle of the progress bar seeks to about half the track.
    let bar = l.progress;
    let out = api_calls(&update(&mut s, click(bar.x + bar.width / 2, bar.y), t0));
    match &out[0].1 {
        Request::Seek { position_ms, .. } => {
            assert!((90_000..=110_000).contains(position_ms), "{position_ms}")
        }
        other => panic!("{other:?}"),
    }
    let scroll = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: l.queue.unwrap().x + 1,
        row: l.queue.unwrap().y + 1,
        modifiers: KeyModifiers::NONE,
    });
    update(&mut s, scroll, t0);
    assert_eq!(s.focus, Focus::Queue);
    assert_eq!(s.queue_cursor.selected, 1);
}

#[test]
fn an_unchanged_poll_does_not_redraw() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.playback.as_mut().unwrap().is_playing = false;
    s.playback_loaded = true;
    s.dirty = false;
    let same = s.playback.clone().unwrap();
    let poll = api_calls(&update(&mut s, Event::PollDue(PollKind::Playback), t0));
    s.dirty = false;
    update(
        &mut s,
        answer(poll[0].0, Ok(Reply::Playback(Some(same.clone())))),
        t0 + Duration::from_secs(10),
    );
    assert!(!s.dirty, "identical paused state must not redraw");
    let devs = api_calls(&update(&mut s, Event::PollDue(PollKind::Devices), t0));
    s.dirty = false;
    let devices = s.devices.clone();
    update(&mut s, answer(devs[0].0, Ok(Reply::Devices(devices))), t0);
    assert!(!s.dirty);
    // A change does redraw.
    let poll = api_calls(&update(&mut s, Event::PollDue(PollKind::Playback), t0));
    s.dirty = false;
    let mut changed = same;
    changed.shuffle = true;
    update(
        &mut s,
        answer(poll[0].0, Ok(Reply::Playback(Some(changed)))),
        t0,
    );
    assert!(s.dirty);
}

#[test]
fn a_poll_answer_tells_the_poller_when_to_poll_next() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.playback.as_mut().unwrap().is_playing = false;
    let out = update(&mut s, Event::PollDue(PollKind::Playback), t0);
    let id = api_calls(&out)[0].0;
    let pb = s.playback.clone();
    let out = update(&mut s, answer(id, Ok(Reply::Playback(pb))), t0);
    let plan = out.iter().find_map(|a| match a {
        Action::Schedule(p) => Some(*p),
        _ => None,
    });
    let plan = plan.expect("the poller is told the next poll time");
    assert_eq!(
        plan.playback_at,
        t0 + Duration::from_millis(s.poll_cfg.paused_ms)
    );
}

#[test]
fn popups_take_their_keys_from_the_popup_mode() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    update(&mut s, key('?'), t0);
    assert!(matches!(s.popup, Some(Popup::Help { .. })));
    update(&mut s, key('q'), t0);
    assert!(s.popup.is_none(), "q closes the help");
    assert!(!s.quit, "q does not quit from a popup");

    update(&mut s, key('d'), t0);
    update(&mut s, key('q'), t0);
    assert!(s.popup.is_none(), "q closes the picker");
    assert!(!s.quit, "q does not quit from the picker");
    update(&mut s, key('d'), t0);
    update(&mut s, code(KeyCode::PageDown), t0);
    let Some(Popup::DevicePicker { cursor, .. }) = &s.popup else {
        panic!("picker open");
    };
    assert_eq!(cursor.selected, 1, "the picker navigates like every list");
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    update(&mut s, ctrl_c, t0);
    assert!(s.quit, "ctrl-c quits from a popup");
}

#[test]
fn the_wheel_moves_the_playlist_picker_without_a_key() {
    let t0 = Instant::now();
    let mut s = setup(t0);
    s.user = Some(("me".into(), "Me".into()));
    update(&mut s, key('a'), t0);
    assert_eq!(s.screen, Screen::Playlists);
    let choices: Vec<(String, String)> = (0..3)
        .map(|i| (format!("p{i}"), format!("List {i}")))
        .collect();
    if let Some(crate::app::library::Modal::Picker { choices: c, .. }) = &mut s.library.modal {
        *c = choices;
    } else {
        panic!("picker open");
    }
    let wheel = crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::ScrollDown,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut s, Event::Mouse(wheel), t0);
    let Some(crate::app::library::Modal::Picker { cursor, .. }) = &s.library.modal else {
        panic!("picker still open");
    };
    assert_eq!(cursor.selected, 1);
}

#[test]
fn half_blocks_fetch_the_small_cover_and_pixel_terminals_the_large() {
    let now = Instant::now();
    let mut s = setup(now);
    s.images_enabled = true;
    let mut t = track(1);
    t.images = [640, 300, 64]
        .map(|w| ImageRef {
            url: format!("https://i.example/{w}"),
            width: Some(w),
        })
        .to_vec();
    if let Some(pb) = s.playback.as_mut() {
        pb.item = Some(t);
    }
    for (per_column, url) in [(1, "https://i.example/64"), (10, "https://i.example/300")] {
        s.art = crate::app::state::ArtState {
            px_per_column: per_column,
            ..Default::default()
        };
        let mut out = Vec::new();
        super::art::want_art(&mut s, &mut out);
        assert_eq!(
            s.art.wanted.as_deref(),
            Some(url),
            "{per_column} px per column"
        );
    }
}
