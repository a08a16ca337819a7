//! The reducer: every state change happens here, synchronously, with the
//! clock passed in. It returns the actions the event loop must carry out.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::action::{Action, PollPlan};
use super::event::{ArtEvent, Event, PollKind};
use super::geometry as layout;
use super::intent::Intent;
use super::library;
use super::state::{AppState, Focus, PendingCommand, Popup, Rollback, Screen};
use crate::domain::Playback;
use crate::spotify::error::ApiError;
use crate::spotify::request::{Answer, ApiRequest, PlayTarget, Priority, Reply, Request};

/// How long a status message stays.
const STATUS_TTL: Duration = Duration::from_secs(8);
/// Seek steps.
const SEEK_SHORT_MS: u64 = 5_000;
const SEEK_LONG_MS: u64 = 30_000;
/// Volume step.
const VOLUME_STEP: i16 = 5;

/// Actions to run at start-up.
pub fn init(state: &mut AppState, now: Instant) -> Vec<Action> {
    let mut out = Vec::new();
    if state.app_only {
        state.info(
            "App-only login (client credentials): player, queue, devices and your playlists are unavailable; public playlists can be opened by id.",
            now,
        );
        return out;
    }
    out.push(api(state, Request::GetMe, Priority::VisiblePane).1);
    poll_playback(state, now, &mut out);
    poll_devices(state, now, &mut out);
    refresh_queue_and_recent(state, &mut out);
    out.push(Action::Schedule(state.poll_plan));
    out
}

/// Applies one event to the state and returns what to do next.
pub fn update(state: &mut AppState, event: Event, now: Instant) -> Vec<Action> {
    let mut out = Vec::new();
    let plan_before = state.poll_plan;
    match event {
        Event::Key(key) => on_key(state, &key, now, &mut out),
        Event::Mouse(m) => on_mouse(state, &m, now, &mut out),
        Event::Paste(text) => on_paste(state, &text, now, &mut out),
        Event::Resize(w, h) => {
            state.size = (w, h);
            clamp_cursors(state);
            state.dirty = true;
        }
        Event::Tick => {
            on_tick(state, now);
            timer::step(state, now, &mut out); // sleep timer (src/app/sleep.rs)
        }
        Event::PollDue(kind) => match kind {
            PollKind::Playback => poll_playback(state, now, &mut out),
            PollKind::Devices => poll_devices(state, now, &mut out),
        },
        Event::Api(ev) => on_api(state, ev, now, &mut out),
        Event::RateLimited { until } => {
            state.rate_limited_until = Some(until);
            state.dirty = true;
        }
        Event::Art(ev) => on_art(state, ev),
        Event::Desktop(ev) => remote::on_desktop(state, ev, now, &mut out), // MPRIS, hooks
    }
    reschedule(state, plan_before, now, &mut out);
    out
}

/// A request with a fresh id.
pub(crate) fn api(state: &mut AppState, call: Request, priority: Priority) -> (u64, Action) {
    let id = state.take_id();
    (id, Action::Api(ApiRequest { id, priority, call }))
}

fn rate_limited(state: &AppState, now: Instant) -> bool {
    state.rate_limited_until.is_some_and(|t| t > now)
}

// ---------------------------------------------------------------- polling

fn poll_playback(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    if state.app_only || state.inflight.playback.is_some() || rate_limited(state, now) {
        return;
    }
    let (id, a) = api(state, Request::GetPlayback, Priority::Poll);
    state.inflight.playback = Some(id);
    // Until the answer comes, the next poll is not due; the answer reschedules.
    state.poll_plan.playback_at = now + Duration::from_secs(3600);
    out.push(a);
}

fn poll_devices(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    if state.app_only || state.inflight.devices.is_some() || rate_limited(state, now) {
        return;
    }
    let (id, a) = api(state, Request::GetDevices, Priority::Poll);
    state.inflight.devices = Some(id);
    state.poll_plan.devices_at = now + Duration::from_secs(3600);
    out.push(a);
}

fn refresh_queue_and_recent(state: &mut AppState, out: &mut Vec<Action>) {
    if state.app_only {
        return;
    }
    if state.inflight.queue.is_none() {
        let (id, a) = api(state, Request::GetQueue, Priority::VisiblePane);
        state.inflight.queue = Some(id);
        out.push(a);
    }
    if state.inflight.recent.is_none() {
        let (id, a) = api(state, Request::GetRecent, Priority::VisiblePane);
        state.inflight.recent = Some(id);
        out.push(a);
    }
}

/// The interval until the next playback poll, given what is playing.
pub fn playback_interval(state: &AppState, now: Instant) -> Duration {
    let cfg = &state.poll_cfg;
    let burst = Duration::from_millis(cfg.burst_ms);
    if state.burst_until.is_some_and(|t| t > now) {
        return burst;
    }
    match &state.playback {
        Some(p) if p.is_playing => {
            let normal = Duration::from_millis(cfg.playing_ms);
            match p.remaining_at(now) {
                // Poll just after the track should end so the next one shows promptly.
                Some(left) if Duration::from_millis(left) < normal => {
                    (Duration::from_millis(left) + Duration::from_millis(300)).max(burst)
                }
                _ => normal,
            }
        }
        Some(_) => Duration::from_millis(cfg.paused_ms),
        None => Duration::from_millis(cfg.inactive_ms),
    }
}

/// Holds polls back during a rate-limit wait, and tells the poller when the
/// plan differs from what it had before this event.
fn reschedule(state: &mut AppState, before: PollPlan, now: Instant, out: &mut Vec<Action>) {
    if let Some(until) = state.rate_limited_until.filter(|t| *t > now) {
        state.poll_plan.playback_at = state.poll_plan.playback_at.max(until);
        state.poll_plan.devices_at = state.poll_plan.devices_at.max(until);
    }
    if state.poll_plan != before {
        out.push(Action::Schedule(state.poll_plan));
    }
}

fn schedule_next_playback(state: &mut AppState, now: Instant) {
    state.poll_plan.playback_at = now + playback_interval(state, now);
}

fn schedule_next_devices(state: &mut AppState, now: Instant) {
    let every = if matches!(state.popup, Some(Popup::DevicePicker { .. })) {
        Duration::from_millis(state.poll_cfg.devices_ms.min(5_000))
    } else {
        Duration::from_millis(state.poll_cfg.devices_ms)
    };
    state.poll_plan.devices_at = now + every;
}

fn start_burst(state: &mut AppState, now: Instant) {
    state.burst_until = Some(now + Duration::from_millis(state.poll_cfg.burst_window_ms));
    if state.inflight.playback.is_none() {
        let soon = now + Duration::from_millis(state.poll_cfg.burst_ms);
        if soon < state.poll_plan.playback_at {
            state.poll_plan.playback_at = soon;
        }
    }
}

// ---------------------------------------------------------------- input

fn on_key(state: &mut AppState, key: &KeyEvent, now: Instant, out: &mut Vec<Action>) {
    if key.kind == KeyEventKind::Release {
        return;
    }
    let intent = state.keymap.lookup(key);
    if state.popup.is_some() {
        on_popup_key(state, key, intent, now, out);
        state.dirty = true;
        return;
    }
    if state.screen == Screen::Playlists
        && let Some(actions) = library::on_key(state, key, intent, now)
    {
        out.extend(actions);
        state.dirty = true;
        return;
    }
    if let Some(intent) = intent {
        on_intent(state, intent, now, out);
        state.dirty = true;
    }
}

fn on_popup_key(
    state: &mut AppState,
    key: &KeyEvent,
    intent: Option<Intent>,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let Some(popup) = state.popup.take() else {
        return;
    };
    match popup {
        Popup::Help { scroll } => match intent {
            Some(Intent::Down) => state.popup = Some(Popup::Help { scroll: scroll + 1 }),
            Some(Intent::Up) => {
                state.popup = Some(Popup::Help {
                    scroll: scroll.saturating_sub(1),
                })
            }
            Some(Intent::Quit) if key.code != KeyCode::Char('q') => state.quit = true,
            _ => {}
        },
        Popup::SeekPrompt { mut input } => match key.code {
            KeyCode::Esc => {}
            KeyCode::Enter => match parse_position(&input) {
                Some(ms) => seek_to(state, ms, now, out),
                None => state.error(
                    format!("`{input}` is not a position; type m:ss or seconds"),
                    now,
                ),
            },
            KeyCode::Backspace => {
                input.pop();
                state.popup = Some(Popup::SeekPrompt { input });
            }
            KeyCode::Char(c) if c.is_ascii_digit() || c == ':' => {
                if input.len() < 8 {
                    input.push(c);
                }
                state.popup = Some(Popup::SeekPrompt { input });
            }
            _ => state.popup = Some(Popup::SeekPrompt { input }),
        },
        Popup::SleepMenu { selected } => timer::on_menu_key(state, key, intent, selected, now, out),
        Popup::DevicePicker { mut cursor, retry } => {
            let rows = layout::popup_list_rows(state.size);
            match intent {
                Some(Intent::Back) | Some(Intent::Devices) => {
                    if retry.is_some() {
                        state.info("Nothing sent: no device was chosen.", now);
                    }
                }
                Some(Intent::Quit) if key.code == KeyCode::Char('c') => state.quit = true,
                Some(Intent::Up) => {
                    cursor.step(-1, state.devices.len(), rows);
                    state.popup = Some(Popup::DevicePicker { cursor, retry });
                }
                Some(Intent::Down) => {
                    cursor.step(1, state.devices.len(), rows);
                    state.popup = Some(Popup::DevicePicker { cursor, retry });
                }
                Some(Intent::Select) => {
                    if !choose_device(state, cursor.selected, retry.clone(), now, out) {
                        state.popup = Some(Popup::DevicePicker { cursor, retry });
                    }
                }
                _ => state.popup = Some(Popup::DevicePicker { cursor, retry }),
            }
        }
    }
}

fn on_paste(state: &mut AppState, text: &str, now: Instant, out: &mut Vec<Action>) {
    if let Some(Popup::SeekPrompt { input }) = &mut state.popup {
        input.extend(
            text.chars()
                .filter(|c| c.is_ascii_digit() || *c == ':')
                .take(8),
        );
        state.dirty = true;
        return;
    }
    if state.screen == Screen::Playlists
        && let Some(actions) = library::on_paste(state, text, now)
    {
        out.extend(actions);
        state.dirty = true;
    }
}

/// Parses `m:ss`, `h:mm:ss` or plain seconds into milliseconds.
pub fn parse_position(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut secs: u64 = 0;
    for (i, p) in parts.iter().enumerate() {
        let v: u64 = p.parse().ok()?;
        if i > 0 && v >= 60 {
            return None;
        }
        secs = secs.checked_mul(60)?.checked_add(v)?;
    }
    secs.checked_mul(1000)
}

fn on_intent(state: &mut AppState, intent: Intent, now: Instant, out: &mut Vec<Action>) {
    match intent {
        Intent::Quit => {
            state.quit = true;
            out.push(Action::Quit);
        }
        Intent::Help => state.popup = Some(Popup::Help { scroll: 0 }),
        Intent::ShowPlayer => state.screen = Screen::Player,
        Intent::ShowPlaylists => {
            state.screen = Screen::Playlists;
            out.extend(library::on_open(state, now));
        }
        Intent::FocusNext => state.focus = state.focus.next(),
        Intent::FocusPrev => state.focus = state.focus.prev(),
        Intent::Up => move_cursor(state, -1),
        Intent::Down => move_cursor(state, 1),
        Intent::PageUp => {
            let rows = focused_rows(state) as isize;
            move_cursor(state, -rows.max(1));
        }
        Intent::PageDown => {
            let rows = focused_rows(state) as isize;
            move_cursor(state, rows.max(1));
        }
        Intent::Top => move_cursor(state, isize::MIN / 2),
        Intent::Bottom => move_cursor(state, isize::MAX / 2),
        Intent::Select => select(state, now, out),
        Intent::Back => {
            if state.screen == Screen::Playlists {
                state.screen = Screen::Player;
            }
        }
        Intent::Refresh => {
            poll_playback(state, now, out);
            poll_devices(state, now, out);
            refresh_queue_and_recent(state, out);
        }
        Intent::Enqueue => {
            let uri = match state.focus {
                Focus::Queue => state.queue.get(state.queue_cursor.selected).cloned(),
                Focus::Recent => state
                    .recent
                    .get(state.recent_cursor.selected)
                    .map(|r| r.track.clone()),
                Focus::Devices => None,
            };
            match uri {
                Some(t) if t.can_play() => {
                    let (_, a) = api(
                        state,
                        Request::AddToQueue { uri: t.uri.clone() },
                        Priority::User,
                    );
                    out.push(a);
                    state.info(format!("Adding “{}” to the queue…", t.title), now);
                }
                Some(t) => state.error(
                    format!(
                        "“{}” is a local file: Spotify cannot queue it through the Web API.",
                        t.title
                    ),
                    now,
                ),
                None => state.info(
                    "Select a track in the queue or recently played list first.",
                    now,
                ),
            }
        }
        Intent::AddToPlaylist => {
            let track = match state.focus {
                Focus::Queue if !state.queue.is_empty() => {
                    state.queue.get(state.queue_cursor.selected).cloned()
                }
                Focus::Recent if !state.recent.is_empty() => state
                    .recent
                    .get(state.recent_cursor.selected)
                    .map(|r| r.track.clone()),
                _ => state.now_playing().cloned(),
            };
            match track {
                Some(t) if t.can_play() => {
                    out.extend(library::start_add_to_playlist(state, vec![t.uri], now));
                }
                Some(_) => state.error(
                    "Local files cannot be added to playlists through the Web API.",
                    now,
                ),
                None => state.info("Nothing selected and nothing playing.", now),
            }
        }
        Intent::Devices => {
            let cursor = state
                .devices
                .iter()
                .position(|d| d.is_active)
                .map(|i| crate::app::cursor::ListCursor {
                    selected: i,
                    offset: 0,
                })
                .unwrap_or_default();
            state.popup = Some(Popup::DevicePicker {
                cursor,
                retry: None,
            });
            poll_devices(state, now, out);
        }
        Intent::SleepTimer => timer::on_intent(state, now, out),
        Intent::SeekTo => {
            if state.playback.is_some() {
                state.popup = Some(Popup::SeekPrompt {
                    input: String::new(),
                });
            } else {
                state.info("Nothing is playing.", now);
            }
        }
        Intent::PlayPause
        | Intent::Next
        | Intent::Previous
        | Intent::SeekForward
        | Intent::SeekBackward
        | Intent::SeekForwardLong
        | Intent::SeekBackwardLong
        | Intent::VolumeUp
        | Intent::VolumeDown
        | Intent::Mute
        | Intent::Shuffle
        | Intent::Repeat => player_command(state, intent, now, out),
        // Playlist editing keys do nothing on the player screen.
        Intent::Filter
        | Intent::Remove
        | Intent::MoveUp
        | Intent::MoveDown
        | Intent::MoveTo
        | Intent::Mark
        | Intent::Undo
        | Intent::NewPlaylist
        | Intent::EditDetails
        | Intent::UploadCover
        | Intent::Unfollow
        | Intent::OpenById => {
            if state.screen == Screen::Player {
                state.info(
                    format!(
                        "Open the playlist browser ({}) to edit playlists.",
                        state.keymap.first_key(Intent::ShowPlaylists)
                    ),
                    now,
                );
            }
        }
    }
}

fn focused_rows(state: &AppState) -> usize {
    let l = layout::player(Rect::new(0, 0, state.size.0, state.size.1), state);
    let r = match state.focus {
        Focus::Queue => l.queue,
        Focus::Recent => l.recent,
        Focus::Devices => l.devices,
    };
    r.map_or(1, |r| r.height.saturating_sub(2) as usize).max(1)
}

fn move_cursor(state: &mut AppState, delta: isize) {
    let rows = focused_rows(state);
    match state.focus {
        Focus::Queue => state.queue_cursor.step(delta, state.queue.len(), rows),
        Focus::Recent => state.recent_cursor.step(delta, state.recent.len(), rows),
        Focus::Devices => state.device_cursor.step(delta, state.devices.len(), rows),
    }
}

fn clamp_cursors(state: &mut AppState) {
    let rows = focused_rows(state);
    state.queue_cursor.clamp(state.queue.len(), rows);
    state.recent_cursor.clamp(state.recent.len(), rows);
    state.device_cursor.clamp(state.devices.len(), rows);
}

fn select(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    match state.focus {
        Focus::Devices => {
            let i = state.device_cursor.selected;
            choose_device(state, i, None, now, out);
        }
        Focus::Recent => {
            let Some(entry) = state.recent.get(state.recent_cursor.selected).cloned() else {
                return;
            };
            if !entry.track.can_play() {
                state.error("This item cannot be played through the Web API.", now);
                return;
            }
            let target = PlayTarget::Uris(vec![entry.track.uri.clone()]);
            send_command(
                state,
                Request::Play {
                    target,
                    device_id: None,
                },
                Rollback::Nothing,
                now,
                out,
            );
            state.info(format!("Playing “{}”", entry.track.title), now);
        }
        Focus::Queue => {
            // Skipping ahead in the queue: play the selected item directly.
            let Some(track) = state.queue.get(state.queue_cursor.selected).cloned() else {
                return;
            };
            if !track.can_play() {
                state.error("This item cannot be played through the Web API.", now);
                return;
            }
            send_command(
                state,
                Request::Play {
                    target: PlayTarget::Uris(vec![track.uri.clone()]),
                    device_id: None,
                },
                Rollback::Nothing,
                now,
                out,
            );
            state.info(format!("Playing “{}”", track.title), now);
        }
    }
}

/// Transfers to device `index`, or retries `retry` there. Returns false if refused locally.
fn choose_device(
    state: &mut AppState,
    index: usize,
    retry: Option<Request>,
    now: Instant,
    out: &mut Vec<Action>,
) -> bool {
    let Some(device) = state.devices.get(index).cloned() else {
        state.info("No device to choose; open Spotify on a device first.", now);
        return false;
    };
    let Some(id) = device.id.clone() else {
        state.error(
            format!(
                "“{}” has no device id, so the Web API cannot control it.",
                device.name
            ),
            now,
        );
        return false;
    };
    if device.is_restricted {
        state.error(
            format!(
                "“{}” is restricted: Spotify does not accept Web API commands for it.",
                device.name
            ),
            now,
        );
        return false;
    }
    let playing = state.playback.as_ref().is_some_and(|p| p.is_playing);
    match retry {
        Some(call) => {
            let call = call.with_device(&id);
            send_command(state, call, Rollback::Nothing, now, out);
            state.info(format!("Sent to “{}”.", device.name), now);
        }
        None => {
            if device.is_active {
                state.info(format!("“{}” is already playing.", device.name), now);
                return true;
            }
            send_command(
                state,
                Request::Transfer {
                    device_id: id.clone(),
                    play: playing || state.playback.is_none(),
                },
                Rollback::Nothing,
                now,
                out,
            );
            for d in &mut state.devices {
                d.is_active = d.id.as_deref() == Some(id.as_str());
            }
            if let Some(p) = &mut state.playback {
                p.device = Some(Device {
                    is_active: true,
                    ..device.clone()
                });
            }
            state.progress(format!("Moving playback to “{}”…", device.name), now);
        }
    }
    true
}

use crate::domain::Device;

fn device_id(state: &AppState) -> Option<String> {
    state.active_device_id()
}

fn send_command(
    state: &mut AppState,
    call: Request,
    rollback: Rollback,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let id = state.take_id();
    state.pending.push(PendingCommand {
        id,
        call: call.clone(),
        rollback,
    });
    start_burst(state, now);
    out.push(Action::Api(ApiRequest {
        id,
        priority: Priority::User,
        call,
    }));
}

fn player_command(state: &mut AppState, intent: Intent, now: Instant, out: &mut Vec<Action>) {
    let Some(pb) = state.playback.clone() else {
        // Nothing active: ask which device, then send the command there.
        let call = match intent {
            Intent::PlayPause => Request::Play {
                target: PlayTarget::Resume,
                device_id: None,
            },
            _ => {
                state.info("Nothing is playing. Pick a device to start playback.", now);
                Request::Play {
                    target: PlayTarget::Resume,
                    device_id: None,
                }
            }
        };
        open_picker_for(state, call, now, out);
        return;
    };
    let device = device_id(state);
    match intent {
        Intent::PlayPause => {
            if pb.is_playing {
                if pb.disallows("pausing") {
                    state.error("Spotify does not allow pausing right now.", now);
                    return;
                }
                let pos = pb.progress_at(now);
                if let Some(p) = &mut state.playback {
                    p.is_playing = false;
                    p.progress_ms = pos;
                    p.fetched_at = now;
                    flip_play_disallows(p, false);
                }
                send_command(
                    state,
                    Request::Pause { device_id: device },
                    Rollback::Playing(true),
                    now,
                    out,
                );
            } else {
                if pb.disallows("resuming") {
                    state.error("Spotify does not allow resuming right now.", now);
                    return;
                }
                if let Some(p) = &mut state.playback {
                    p.is_playing = true;
                    p.fetched_at = now;
                    flip_play_disallows(p, true);
                }
                send_command(
                    state,
                    Request::Play {
                        target: PlayTarget::Resume,
                        device_id: device,
                    },
                    Rollback::Playing(false),
                    now,
                    out,
                );
            }
        }
        Intent::Next => {
            if pb.disallows("skipping_next") {
                state.error(
                    "Spotify does not allow skipping to the next track right now.",
                    now,
                );
                return;
            }
            if let Some(p) = &mut state.playback
                && !state.queue.is_empty()
            {
                p.item = Some(state.queue.remove(0));
                p.progress_ms = 0;
                p.fetched_at = now;
                state.art.wanted = None;
            }
            send_command(
                state,
                Request::Next { device_id: device },
                Rollback::Nothing,
                now,
                out,
            );
        }
        Intent::Previous => {
            if pb.disallows("skipping_prev") {
                state.error(
                    "Spotify does not allow going to the previous track right now.",
                    now,
                );
                return;
            }
            send_command(
                state,
                Request::Previous { device_id: device },
                Rollback::Nothing,
                now,
                out,
            );
        }
        Intent::SeekForward
        | Intent::SeekBackward
        | Intent::SeekForwardLong
        | Intent::SeekBackwardLong => {
            let step = match intent {
                Intent::SeekForward | Intent::SeekBackward => SEEK_SHORT_MS,
                _ => SEEK_LONG_MS,
            };
            let pos = pb.progress_at(now);
            let target = if matches!(intent, Intent::SeekForward | Intent::SeekForwardLong) {
                pos + step
            } else {
                pos.saturating_sub(step)
            };
            seek_to(state, target, now, out);
        }
        Intent::VolumeUp | Intent::VolumeDown | Intent::Mute => {
            let Some(current) = volume_control(state, now) else {
                return;
            };
            let target = match intent {
                Intent::VolumeUp => (i16::from(current) + VOLUME_STEP).clamp(0, 100) as u8,
                Intent::VolumeDown => (i16::from(current) - VOLUME_STEP).clamp(0, 100) as u8,
                _ => {
                    if current > 0 {
                        state.muted_from = Some(current);
                        0
                    } else {
                        state.muted_from.take().unwrap_or(50)
                    }
                }
            };
            set_volume(state, target, now, out);
        }
        Intent::Shuffle => {
            if pb.disallows("toggling_shuffle") {
                state.error("Spotify does not allow changing shuffle right now.", now);
                return;
            }
            let on = !pb.shuffle;
            if let Some(p) = &mut state.playback {
                p.shuffle = on;
            }
            send_command(
                state,
                Request::Shuffle {
                    on,
                    device_id: device,
                },
                Rollback::Shuffle(!on),
                now,
                out,
            );
            state.info(if on { "Shuffle on" } else { "Shuffle off" }, now);
        }
        Intent::Repeat => set_repeat(state, pb.repeat.cycle(), now, out),
        _ => {}
    }
}

/// The active device's volume, or `None` (with a message) when it cannot be set.
fn volume_control(state: &mut AppState, now: Instant) -> Option<u8> {
    let Some(dev) = state.playback.as_ref().and_then(|p| p.device.clone()) else {
        state.error("No active device to set the volume on.", now);
        return None;
    };
    if !dev.supports_volume {
        state.error(
            format!("“{}” does not let the Web API set its volume.", dev.name),
            now,
        );
        return None;
    }
    Some(dev.volume.unwrap_or(50))
}

/// Sets the active device's volume at once on screen and sends it.
fn set_volume(state: &mut AppState, target: u8, now: Instant, out: &mut Vec<Action>) {
    if volume_control(state, now).is_none() {
        return;
    }
    let before = state
        .playback
        .as_ref()
        .and_then(|p| p.device.as_ref())
        .and_then(|d| d.volume);
    if let Some(d) = state.playback.as_mut().and_then(|p| p.device.as_mut()) {
        d.volume = Some(target);
    }
    for d in &mut state.devices {
        if d.is_active {
            d.volume = Some(target);
        }
    }
    let device = device_id(state);
    send_command(
        state,
        Request::Volume {
            percent: target,
            device_id: device,
        },
        Rollback::Volume(before),
        now,
        out,
    );
}

/// Sets the repeat mode at once on screen and sends it.
fn set_repeat(
    state: &mut AppState,
    mode: crate::domain::Repeat,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let Some(pb) = state.playback.as_ref() else {
        return;
    };
    let disallowed = match mode {
        crate::domain::Repeat::Context => pb.disallows("toggling_repeat_context"),
        crate::domain::Repeat::Track => pb.disallows("toggling_repeat_track"),
        crate::domain::Repeat::Off => false,
    };
    if disallowed {
        state.error("Spotify does not allow that repeat mode right now.", now);
        return;
    }
    let old = pb.repeat;
    if let Some(p) = &mut state.playback {
        p.repeat = mode;
    }
    let device = device_id(state);
    send_command(
        state,
        Request::Repeat {
            mode,
            device_id: device,
        },
        Rollback::Repeat(old),
        now,
        out,
    );
    state.info(format!("Repeat {}", mode.as_str()), now);
}

/// Keeps `pausing`/`resuming` consistent with an optimistic play state.
fn flip_play_disallows(p: &mut Playback, playing: bool) {
    p.disallows.retain(|a| a != "pausing" && a != "resuming");
    p.disallows
        .push(if playing { "resuming" } else { "pausing" }.to_string());
}

fn seek_to(state: &mut AppState, target_ms: u64, now: Instant, out: &mut Vec<Action>) {
    let Some(pb) = state.playback.clone() else {
        state.info("Nothing is playing.", now);
        return;
    };
    if pb.disallows("seeking") {
        state.error("Spotify does not allow seeking right now.", now);
        return;
    }
    let max = pb
        .item
        .as_ref()
        .map_or(u64::MAX, |t| t.duration_ms.saturating_sub(1_000));
    let target = target_ms.min(max);
    let old = pb.progress_at(now);
    if let Some(p) = &mut state.playback {
        p.progress_ms = target;
        p.fetched_at = now;
    }
    let device = device_id(state);
    send_command(
        state,
        Request::Seek {
            position_ms: target,
            device_id: device,
        },
        Rollback::Progress(old),
        now,
        out,
    );
}

fn open_picker_for(state: &mut AppState, call: Request, now: Instant, out: &mut Vec<Action>) {
    let cursor = crate::app::cursor::ListCursor::default();
    state.popup = Some(Popup::DevicePicker {
        cursor,
        retry: Some(call),
    });
    poll_devices(state, now, out);
}

fn on_mouse(state: &mut AppState, m: &MouseEvent, now: Instant, out: &mut Vec<Action>) {
    if state.popup.is_some() || state.screen != Screen::Player {
        if state.screen == Screen::Playlists && state.popup.is_none() {
            let intent = match m.kind {
                MouseEventKind::ScrollDown => Some(Intent::Down),
                MouseEventKind::ScrollUp => Some(Intent::Up),
                _ => None,
            };
            if let Some(i) = intent {
                let key = KeyEvent::new(KeyCode::Null, crossterm::event::KeyModifiers::NONE);
                if let Some(actions) = library::on_key(state, &key, Some(i), now) {
                    out.extend(actions);
                    state.dirty = true;
                }
            }
        }
        return;
    }
    let l = layout::player(Rect::new(0, 0, state.size.0, state.size.1), state);
    let pos = Position::new(m.column, m.row);
    let panes = [
        (Focus::Queue, l.queue),
        (Focus::Recent, l.recent),
        (Focus::Devices, l.devices),
    ];
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if l.progress.contains(pos) && l.progress.width > 0 {
                if let Some(d) = state.now_playing().map(|t| t.duration_ms) {
                    let frac =
                        f64::from(m.column - l.progress.x) / f64::from(l.progress.width.max(1));
                    seek_to(state, (frac * d as f64) as u64, now, out);
                }
                return;
            }
            for (focus, rect) in panes {
                let Some(rect) = rect else { continue };
                if rect.contains(pos) {
                    state.focus = focus;
                    let inner_top = rect.y + 1;
                    if m.row >= inner_top && m.row < rect.y + rect.height.saturating_sub(1) {
                        let row = usize::from(m.row - inner_top);
                        let rows = rect.height.saturating_sub(2) as usize;
                        match focus {
                            Focus::Queue => {
                                let i = state.queue_cursor.offset + row;
                                state.queue_cursor.select(i, state.queue.len(), rows);
                            }
                            Focus::Recent => {
                                let i = state.recent_cursor.offset + row;
                                state.recent_cursor.select(i, state.recent.len(), rows);
                            }
                            Focus::Devices => {
                                let i = state.device_cursor.offset + row;
                                state.device_cursor.select(i, state.devices.len(), rows);
                            }
                        }
                    }
                    state.dirty = true;
                }
            }
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let delta = if m.kind == MouseEventKind::ScrollDown {
                1
            } else {
                -1
            };
            for (focus, rect) in panes {
                if rect.is_some_and(|r| r.contains(pos)) {
                    state.focus = focus;
                    move_cursor(state, delta);
                    state.dirty = true;
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- time

fn on_tick(state: &mut AppState, now: Instant) {
    if state.playback.as_ref().is_some_and(|p| p.is_playing) {
        state.dirty = true;
    }
    if let Some(until) = state.rate_limited_until {
        state.dirty = true;
        if until <= now {
            state.rate_limited_until = None;
        }
    }
    if state
        .status
        .as_ref()
        .is_some_and(|s| now.saturating_duration_since(s.at) > STATUS_TTL)
    {
        state.status = None;
        state.dirty = true;
    }
    if state.library.is_loading() {
        state.dirty = true;
    }
}

// ---------------------------------------------------------------- answers

fn on_api(state: &mut AppState, answer: Box<Answer>, now: Instant, out: &mut Vec<Action>) {
    // Polls that bring nothing new must not cost a redraw; they decide below.
    let quiet = matches!(
        answer.result,
        Ok(Reply::Playback(_) | Reply::Devices(_) | Reply::Coalesced)
    );
    if !quiet {
        state.dirty = true;
    }
    let Answer { id, result } = match library::on_api(state, answer, now) {
        Ok(actions) => {
            out.extend(actions);
            return;
        }
        Err(not_ours) => *not_ours,
    };
    match result {
        Ok(reply) => on_reply(state, id, reply, now, out),
        Err(e) => on_failure(state, id, e, now, out),
    }
}

/// A successful answer: the reply says what it is.
fn on_reply(state: &mut AppState, id: u64, reply: Reply, now: Instant, out: &mut Vec<Action>) {
    match reply {
        Reply::Playback(pb) => {
            if state.inflight.playback == Some(id) {
                state.inflight.playback = None;
            }
            // A poll asked before our last command finished may show the old state.
            let stale = id <= state.ack_watermark || !state.pending.is_empty();
            if !stale {
                apply_playback(state, pb, now, out);
            }
            schedule_next_playback(state, now);
        }
        Reply::Devices(devices) => {
            if state.inflight.devices == Some(id) {
                state.inflight.devices = None;
            }
            if state.devices != devices {
                state.dirty = true;
            }
            state.devices = devices;
            clamp_cursors(state);
            if let Some(Popup::DevicePicker { cursor, .. }) = &mut state.popup {
                cursor.clamp(state.devices.len(), layout::popup_list_rows(state.size));
            }
            schedule_next_devices(state, now);
        }
        Reply::Queue(queue) => {
            if state.inflight.queue == Some(id) {
                state.inflight.queue = None;
            }
            state.queue = queue;
            clamp_cursors(state);
        }
        Reply::Recent(recent) => {
            if state.inflight.recent == Some(id) {
                state.inflight.recent = None;
            }
            state.recent = recent;
            clamp_cursors(state);
        }
        Reply::Me(user_id, name) => state.user = Some((user_id, name)),
        Reply::Done => command_finished(state, id, Ok(()), now, out),
        Reply::Coalesced => {
            state.pending.retain(|p| p.id != id);
        }
        Reply::Art { url, image } => art_ready(state, id, url, image),
        other => {
            tracing::debug!(?other, "answer with no use on the player screen");
        }
    }
}

/// A failed request: the id says which one it was.
fn on_failure(state: &mut AppState, id: u64, e: ApiError, now: Instant, out: &mut Vec<Action>) {
    let inflight = state.inflight;
    if inflight.playback == Some(id) {
        state.inflight.playback = None;
        report(state, &e, now);
        schedule_next_playback(state, now);
    } else if inflight.devices == Some(id) {
        state.inflight.devices = None;
        report(state, &e, now);
        schedule_next_devices(state, now);
    } else if inflight.queue == Some(id) || inflight.recent == Some(id) {
        if inflight.queue == Some(id) {
            state.inflight.queue = None;
        } else {
            state.inflight.recent = None;
        }
        report(state, &e, now);
    } else if let Some((_, url)) = state.art.fetching.take_if(|(art, _)| *art == id) {
        tracing::warn!(%url, reason = %e, "cover art failed");
        state.art.failed = Some((url, e.sentence()));
    } else {
        command_finished(state, id, Err(e), now, out);
    }
}

fn command_finished(
    state: &mut AppState,
    id: u64,
    result: Result<(), ApiError>,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let Some(idx) = state.pending.iter().position(|p| p.id == id) else {
        // Not a tracked player command (e.g. add to queue).
        match result {
            Ok(()) => {
                state.info("Added to the queue.", now);
                refresh_queue_and_recent(state, out);
            }
            Err(f) => report(state, &f, now),
        }
        return;
    };
    let cmd = state.pending.remove(idx);
    state.ack_watermark = state.next_id.saturating_sub(1);
    match result {
        Ok(()) => {
            start_burst(state, now);
            if matches!(
                cmd.call,
                Request::Next { .. }
                    | Request::Previous { .. }
                    | Request::Play { .. }
                    | Request::Transfer { .. }
            ) {
                refresh_queue_and_recent(state, out);
            }
            if matches!(cmd.call, Request::Transfer { .. }) {
                state.end_progress();
                poll_devices(state, now, out);
            }
        }
        Err(f) => {
            roll_back(state, &cmd.rollback);
            if f.is_no_active_device() {
                state.error(
                    format!(
                        "{} Pick a device and the command is sent there.",
                        f.sentence()
                    ),
                    now,
                );
                let retry = cmd.call.clone();
                state.popup = Some(Popup::DevicePicker {
                    cursor: crate::app::cursor::ListCursor::default(),
                    retry: Some(retry),
                });
                poll_devices(state, now, out);
            } else {
                report(state, &f, now);
                // Show the server's truth soon.
                start_burst(state, now);
            }
        }
    }
}

fn roll_back(state: &mut AppState, rollback: &Rollback) {
    let Some(p) = state.playback.as_mut() else {
        return;
    };
    match rollback {
        Rollback::Playing(was) => {
            p.is_playing = *was;
            flip_play_disallows(p, *was);
        }
        Rollback::Volume(v) => {
            if let Some(d) = p.device.as_mut() {
                d.volume = *v;
            }
            let id = p.device.as_ref().and_then(|d| d.id.clone());
            for d in &mut state.devices {
                if d.id == id {
                    d.volume = *v;
                }
            }
        }
        Rollback::Shuffle(s) => p.shuffle = *s,
        Rollback::Repeat(r) => p.repeat = *r,
        Rollback::Progress(ms) => p.progress_ms = *ms,
        Rollback::Nothing => {}
    }
}

fn report(state: &mut AppState, e: &ApiError, now: Instant) {
    tracing::warn!(error = %e, "API call failed");
    state.error(e.sentence(), now);
}

fn apply_playback(state: &mut AppState, pb: Option<Playback>, now: Instant, out: &mut Vec<Action>) {
    let old_uri = state.now_playing().map(|t| t.uri.clone());
    if !state.playback_loaded || !same_on_screen(state.playback.as_ref(), pb.as_ref(), now) {
        state.dirty = true;
    }
    state.playback_loaded = true;
    state.playback = pb;
    let new_uri = state.now_playing().map(|t| t.uri.clone());
    if old_uri != new_uri && old_uri.is_some() {
        refresh_queue_and_recent(state, out);
    }
    // Keep the device list's active marker in step with playback.
    if let Some(active) = state.playback.as_ref().and_then(|p| p.device.as_ref()) {
        for d in &mut state.devices {
            d.is_active = d.id.is_some() && d.id == active.id;
            if d.is_active {
                d.volume = active.volume;
            }
        }
    }
    want_art(state, out);
    let _ = now;
}

/// True when a fresh playback answer would draw the same screen as what we show.
fn same_on_screen(old: Option<&Playback>, new: Option<&Playback>, now: Instant) -> bool {
    match (old, new) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let drift = a.progress_at(now).abs_diff(b.progress_at(now));
            drift < 1_000
                && a.is_playing == b.is_playing
                && a.item == b.item
                && a.device == b.device
                && a.shuffle == b.shuffle
                && a.repeat == b.repeat
                && a.context_uri == b.context_uri
                && a.disallows == b.disallows
        }
        _ => false,
    }
}

fn want_art(state: &mut AppState, out: &mut Vec<Action>) {
    if !state.images_enabled {
        return;
    }
    let url = state
        .now_playing()
        .and_then(|t| t.image_for(300))
        .map(|i| i.url.clone());
    if url != state.art.wanted {
        state.art.wanted.clone_from(&url);
        if let Some(url) = url {
            let have = state.art.decoded.as_ref().is_some_and(|(u, _)| *u == url);
            if !have {
                let (id, a) = api(
                    state,
                    Request::FetchArt { url: url.clone() },
                    Priority::VisiblePane,
                );
                state.art.fetching = Some((id, url));
                out.push(a);
            }
        }
    }
}

fn art_ready(
    state: &mut AppState,
    id: u64,
    url: String,
    image: std::sync::Arc<image::DynamicImage>,
) {
    if state.art.fetching.as_ref().is_some_and(|(f, _)| *f == id) {
        state.art.fetching = None;
    }
    if state.art.wanted.as_deref() == Some(url.as_str()) {
        state.art.decoded = Some((url, image));
        state.art.encoded = None;
        state.art.failed = None;
        state.dirty = true;
    }
}

fn on_art(state: &mut AppState, ev: ArtEvent) {
    match ev {
        ArtEvent::Encoded(art) => {
            if state.art.wanted.as_deref() == Some(art.url.as_str()) {
                state.art.encoded = Some(art);
                state.dirty = true;
            }
        }
        ArtEvent::Failed { url, reason } => {
            tracing::warn!(%url, %reason, "cover art failed");
            state.art.failed = Some((url, reason));
            state.dirty = true;
        }
    }
}

/// Poll plan for tests and the poller: when playback should next be polled.
pub fn plan(state: &AppState) -> PollPlan {
    state.poll_plan
}

mod remote;
#[cfg(test)]
mod tests;
mod timer;
