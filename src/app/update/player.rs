//! Player commands: optimistic local change, the request, and the rollback
//! or device picker when Spotify refuses.

use std::time::Instant;

use super::polling::{poll_devices, refresh_queue_and_recent, start_burst};
use super::{api, report};
use crate::app::action::Action;
use crate::app::cursor::ListCursor;
use crate::app::intent::Intent;
use crate::app::library;
use crate::app::state::{AppState, Focus, PendingCommand, Popup, Rollback};
use crate::domain::{Device, Disallow, Playback, Repeat, format_duration};
use crate::spotify::error::ApiError;
use crate::spotify::request::{ApiRequest, PlayTarget, Priority, Request};

/// Seek steps.
const SEEK_SHORT_MS: u64 = 5_000;
const SEEK_LONG_MS: u64 = 30_000;
/// Volume step.
const VOLUME_STEP: i16 = 5;

pub(super) fn select(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
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
            // Skip forward to the selected item: what follows it in the
            // queue and the context stay (playing its URI alone would drop both).
            let index = state.queue_cursor.selected;
            let Some(track) = state.queue.get(index).cloned() else {
                return;
            };
            if !track.can_play() {
                state.error("This item cannot be played through the Web API.", now);
                return;
            }
            if let Some(pb) = state.playback.clone()
                && refused(state, &pb, Disallow::SkippingNext, NO_SKIP, now)
            {
                return;
            }
            skip_ahead(state, index + 1, now, out);
            state.info(format!("Playing “{}”", track.title), now);
        }
    }
}

/// Transfers to device `index`, or retries `retry` there. Returns false if refused locally.
pub(super) fn choose_device(
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
            let rollback = Rollback::Device {
                playing_on: state
                    .playback
                    .as_ref()
                    .and_then(|p| p.device.clone())
                    .map(Box::new),
                active: state
                    .devices
                    .iter()
                    .find(|d| d.is_active)
                    .and_then(|d| d.id.clone()),
            };
            let call = Request::Transfer {
                device_id: id.clone(),
                play: playing || state.playback.is_none(),
            };
            send_command(state, call, rollback, now, out);
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

fn device_id(state: &AppState) -> Option<String> {
    state.active_device_id()
}

pub(crate) fn send_command(
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

/// A playback command key: changes the state at once, sends the request.
pub(super) fn player_command(
    state: &mut AppState,
    intent: Intent,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let Some(pb) = state.playback.clone() else {
        // Spotify unreachable or the login refused: the device picker would
        // hide the cause, so say it and what to do.
        if let Some(why) = &state.link_problem {
            let text = format!("{}. Nothing was sent.", why.sentence());
            state.error(text, now);
            return;
        }
        // Nothing active: ask which device, then send the command there.
        if intent != Intent::PlayPause {
            state.info("Nothing is playing. Pick a device to start playback.", now);
        }
        let call = Request::Play {
            target: PlayTarget::Resume,
            device_id: None,
        };
        open_picker_for(state, call, now, out);
        return;
    };
    match intent {
        Intent::PlayPause => play_pause(state, &pb, now, out),
        Intent::Next => next(state, &pb, now, out),
        Intent::Previous => previous(state, &pb, now, out),
        Intent::SeekForward
        | Intent::SeekBackward
        | Intent::SeekForwardLong
        | Intent::SeekBackwardLong => seek_by(state, &pb, intent, now, out),
        Intent::VolumeUp | Intent::VolumeDown | Intent::Mute => {
            volume(state, &pb, intent, now, out);
        }
        Intent::Shuffle => shuffle(state, &pb, now, out),
        Intent::Repeat => repeat(state, &pb, now, out),
        _ => {}
    }
}

/// Refuses with `message` when the API disallows `what` now.
fn refused(
    state: &mut AppState,
    pb: &Playback,
    what: Disallow,
    message: &str,
    now: Instant,
) -> bool {
    let no = pb.disallows.contains(what);
    if no {
        state.error(message, now);
    }
    no
}

fn play_pause(state: &mut AppState, pb: &Playback, now: Instant, out: &mut Vec<Action>) {
    let device_id = device_id(state);
    if pb.is_playing {
        if refused(
            state,
            pb,
            Disallow::Pausing,
            "Spotify does not allow pausing right now.",
            now,
        ) {
            return;
        }
        let pos = pb.progress_at(now);
        if let Some(p) = &mut state.playback {
            p.is_playing = false;
            p.progress_ms = pos;
            p.fetched_at = now;
            flip_play_disallows(p, false);
        }
        let call = Request::Pause { device_id };
        send_command(state, call, Rollback::Playing(true), now, out);
    } else {
        if refused(
            state,
            pb,
            Disallow::Resuming,
            "Spotify does not allow resuming right now.",
            now,
        ) {
            return;
        }
        if let Some(p) = &mut state.playback {
            p.is_playing = true;
            p.fetched_at = now;
            flip_play_disallows(p, true);
        }
        let call = Request::Play {
            target: PlayTarget::Resume,
            device_id,
        };
        send_command(state, call, Rollback::Playing(false), now, out);
    }
}

const NO_SKIP: &str = "Spotify does not allow skipping to the next track right now.";

fn next(state: &mut AppState, pb: &Playback, now: Instant, out: &mut Vec<Action>) {
    if refused(state, pb, Disallow::SkippingNext, NO_SKIP, now) {
        return;
    }
    skip_ahead(state, 1, now, out);
}

/// Shows the item `skips` places ahead in the queue as playing at once and
/// sends that many skips; each rolls the title and queue back if refused.
fn skip_ahead(state: &mut AppState, skips: usize, now: Instant, out: &mut Vec<Action>) {
    let rollback = Rollback::Skip {
        item: state.now_playing().cloned().map(Box::new),
        progress_ms: state.playback.as_ref().map_or(0, |p| p.progress_at(now)),
        queue: state.queue.clone(),
    };
    if let Some(p) = &mut state.playback
        && skips <= state.queue.len()
    {
        p.item = state.queue.drain(..skips).next_back();
        p.progress_ms = 0;
        p.fetched_at = now;
        state.art.wanted = None;
        state.queue_cursor = ListCursor::default();
    }
    let device_id = device_id(state);
    for _ in 0..skips {
        let call = Request::Next {
            device_id: device_id.clone(),
        };
        send_command(state, call, rollback.clone(), now, out);
    }
}

fn previous(state: &mut AppState, pb: &Playback, now: Instant, out: &mut Vec<Action>) {
    let message = "Spotify does not allow going to the previous track right now.";
    if refused(state, pb, Disallow::SkippingPrev, message, now) {
        return;
    }
    let device_id = device_id(state);
    send_command(
        state,
        Request::Previous { device_id },
        Rollback::Nothing,
        now,
        out,
    );
}

fn seek_by(
    state: &mut AppState,
    pb: &Playback,
    intent: Intent,
    now: Instant,
    out: &mut Vec<Action>,
) {
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

fn volume(
    state: &mut AppState,
    pb: &Playback,
    intent: Intent,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let Some(dev) = pb.device.clone() else {
        state.error("No active device to set the volume on.", now);
        return;
    };
    if !dev.supports_volume {
        state.error(
            format!("“{}” does not let the Web API set its volume.", dev.name),
            now,
        );
        return;
    }
    let current = dev.volume.unwrap_or(50);
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
    if let Some(d) = state.playback.as_mut().and_then(|p| p.device.as_mut()) {
        d.volume = Some(target);
    }
    for d in &mut state.devices {
        if d.is_active {
            d.volume = Some(target);
        }
    }
    let call = Request::Volume {
        percent: target,
        device_id: device_id(state),
    };
    send_command(state, call, Rollback::Volume(dev.volume), now, out);
}

fn shuffle(state: &mut AppState, pb: &Playback, now: Instant, out: &mut Vec<Action>) {
    let message = "Spotify does not allow changing shuffle right now.";
    if refused(state, pb, Disallow::TogglingShuffle, message, now) {
        return;
    }
    let on = !pb.shuffle;
    if let Some(p) = &mut state.playback {
        p.shuffle = on;
    }
    let call = Request::Shuffle {
        on,
        device_id: device_id(state),
    };
    send_command(state, call, Rollback::Shuffle(!on), now, out);
    state.info(if on { "Shuffle on" } else { "Shuffle off" }, now);
}

fn repeat(state: &mut AppState, pb: &Playback, now: Instant, out: &mut Vec<Action>) {
    let mode = pb.repeat.cycle();
    let disallowed = match mode {
        Repeat::Context => pb.disallows.contains(Disallow::TogglingRepeatContext),
        Repeat::Track => pb.disallows.contains(Disallow::TogglingRepeatTrack),
        Repeat::Off => false,
    };
    if disallowed {
        state.error("Spotify does not allow that repeat mode right now.", now);
        return;
    }
    if let Some(p) = &mut state.playback {
        p.repeat = mode;
    }
    let call = Request::Repeat {
        mode,
        device_id: device_id(state),
    };
    send_command(state, call, Rollback::Repeat(pb.repeat), now, out);
    state.info(format!("Repeat {}", mode.as_str()), now);
}

/// Adds the selected queue or recent track to the queue.
pub(super) fn enqueue(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    let track = match state.focus {
        Focus::Queue => state.queue.get(state.queue_cursor.selected).cloned(),
        Focus::Recent => state
            .recent
            .get(state.recent_cursor.selected)
            .map(|r| r.track.clone()),
        Focus::Devices => None,
    };
    match track {
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

/// Opens the playlist picker for the selected (else the playing) track.
pub(super) fn add_to_playlist(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
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

/// Keeps `pausing`/`resuming` consistent with an optimistic play state.
fn flip_play_disallows(p: &mut Playback, playing: bool) {
    p.disallows.remove(Disallow::Pausing);
    p.disallows.remove(Disallow::Resuming);
    p.disallows.insert(if playing {
        Disallow::Resuming
    } else {
        Disallow::Pausing
    });
}

/// Seeks to a typed position; one at or past the end of the item is refused
/// with a sentence (Spotify would skip to the next track).
pub(super) fn seek_typed(
    state: &mut AppState,
    target_ms: u64,
    now: Instant,
    out: &mut Vec<Action>,
) {
    if let Some(t) = state.now_playing()
        && t.duration_ms > 0
        && target_ms >= t.duration_ms
    {
        let text = format!(
            "{} is past the end of “{}” ({}); nothing was sent.",
            format_duration(target_ms),
            t.title,
            format_duration(t.duration_ms)
        );
        state.error(text, now);
        return;
    }
    seek_to(state, target_ms, now, out);
}

pub(super) fn seek_to(state: &mut AppState, target_ms: u64, now: Instant, out: &mut Vec<Action>) {
    let Some(pb) = state.playback.clone() else {
        state.info("Nothing is playing.", now);
        return;
    };
    if pb.disallows.contains(Disallow::Seeking) {
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

pub(super) fn open_picker_for(
    state: &mut AppState,
    call: Request,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let cursor = ListCursor::default();
    state.popup = Some(Popup::DevicePicker {
        cursor,
        retry: Some(call),
    });
    poll_devices(state, now, out);
}

pub(super) fn command_finished(
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
            // After the last of several skips: the queue in between is not worth a request.
            let skipping = state
                .pending
                .iter()
                .any(|p| matches!(p.call, Request::Next { .. }));
            if !skipping
                && matches!(
                    cmd.call,
                    Request::Next { .. }
                        | Request::Previous { .. }
                        | Request::Play { .. }
                        | Request::Transfer { .. }
                )
            {
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
                    "No device is active. Pick one and the command is sent there.",
                    now,
                );
                let retry = cmd.call.clone();
                state.popup = Some(Popup::DevicePicker {
                    cursor: ListCursor::default(),
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
    match rollback {
        Rollback::Skip { queue, .. } => {
            state.queue.clone_from(queue);
            state.art.wanted = None;
        }
        Rollback::Device { active, .. } => {
            for d in &mut state.devices {
                d.is_active = d.id.is_some() && d.id == *active;
            }
        }
        _ => {}
    }
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
        Rollback::Skip {
            item, progress_ms, ..
        } => {
            p.item = item.as_deref().cloned();
            p.progress_ms = *progress_ms;
        }
        Rollback::Device { playing_on, .. } => p.device = playing_on.as_deref().cloned(),
        Rollback::Nothing => {}
    }
}
