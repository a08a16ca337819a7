//! Polling: playback and devices on an adaptive plan, bursts after a
//! command, the queue and recently played on track changes, and applying a
//! playback answer.

use std::time::{Duration, Instant};

use super::api;
use super::art::want_art;
use crate::app::action::{Action, PollPlan};
use crate::app::state::{AppState, Popup};
use crate::domain::{Device, Playback};
use crate::spotify::error::ApiError;
use crate::spotify::request::{Priority, Request};

pub(super) fn rate_limited(state: &AppState, now: Instant) -> bool {
    state.rate_limited_until.is_some_and(|t| t > now)
}

pub(super) fn poll_playback(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    if state.app_only || state.inflight.playback.is_some() || rate_limited(state, now) {
        return;
    }
    let (id, a) = api(state, Request::GetPlayback, Priority::Poll);
    state.inflight.playback = Some(id);
    // Until the answer comes, the next poll is not due; the answer reschedules.
    state.poll_plan.playback_at = now + Duration::from_secs(3600);
    out.push(a);
}

pub(super) fn poll_devices(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    if state.app_only || state.inflight.devices.is_some() || rate_limited(state, now) {
        return;
    }
    let (id, a) = api(state, Request::GetDevices, Priority::Poll);
    state.inflight.devices = Some(id);
    state.poll_plan.devices_at = now + Duration::from_secs(3600);
    out.push(a);
}

/// Fetches the queue and recently played unless already in flight.
pub(crate) fn refresh_queue_and_recent(state: &mut AppState, out: &mut Vec<Action>) {
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
pub(super) fn reschedule(
    state: &mut AppState,
    before: PollPlan,
    now: Instant,
    out: &mut Vec<Action>,
) {
    if let Some(until) = state.rate_limited_until.filter(|t| *t > now) {
        state.poll_plan.playback_at = state.poll_plan.playback_at.max(until);
        state.poll_plan.devices_at = state.poll_plan.devices_at.max(until);
    }
    if state.poll_plan != before {
        out.push(Action::Schedule(state.poll_plan));
    }
}

pub(super) fn schedule_next_playback(state: &mut AppState, now: Instant) {
    state.poll_plan.playback_at = now + playback_interval(state, now);
}

pub(super) fn schedule_next_devices(state: &mut AppState, now: Instant) {
    let every = if matches!(state.popup, Some(Popup::DevicePicker { .. })) {
        Duration::from_millis(state.poll_cfg.devices_ms.min(5_000))
    } else {
        Duration::from_millis(state.poll_cfg.devices_ms)
    };
    state.poll_plan.devices_at = now + every;
}

pub(super) fn start_burst(state: &mut AppState, now: Instant) {
    state.burst_until = Some(now + Duration::from_millis(state.poll_cfg.burst_window_ms));
    if state.inflight.playback.is_none() {
        let soon = now + Duration::from_millis(state.poll_cfg.burst_ms);
        if soon < state.poll_plan.playback_at {
            state.poll_plan.playback_at = soon;
        }
    }
}

pub(super) fn apply_playback(
    state: &mut AppState,
    pb: Option<Playback>,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let old_uri = state.now_playing().map(|t| t.uri.clone());
    if !state.playback_loaded || !same_on_screen(state.playback.as_ref(), pb.as_ref(), now) {
        state.dirty = true;
    }
    state.playback_loaded = true;
    state.playback = pb;
    crate::app::library::want_context_name(state, out);
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
}

/// True when a fresh playback answer would draw the same screen as what we show.
pub(super) fn same_on_screen(old: Option<&Playback>, new: Option<&Playback>, now: Instant) -> bool {
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

/// A playback answer to request `id`.
pub(super) fn on_playback(
    state: &mut AppState,
    id: u64,
    pb: Option<Playback>,
    now: Instant,
    out: &mut Vec<Action>,
) {
    if state.inflight.playback == Some(id) {
        state.inflight.playback = None;
    }
    got_through(state);
    // A poll asked before our last command finished may show the old state.
    let stale = id <= state.ack_watermark || !state.pending.is_empty();
    if !stale {
        apply_playback(state, pb, now, out);
    }
    schedule_next_playback(state, now);
}

/// A poll was answered: what the screen shows is current again.
fn got_through(state: &mut AppState) {
    if state.link_problem.take().is_some() {
        state.dirty = true;
    }
}

/// A poll did not get through: when Spotify cannot be reached or refused
/// the login, the screen says so until a poll is answered again.
pub(super) fn poll_failed(state: &mut AppState, e: &ApiError) {
    if e.is_unreachable() || e.is_login_problem() {
        state.link_problem = Some(e.clone());
        state.dirty = true;
    }
}

/// A devices answer to request `id`.
pub(super) fn on_devices(state: &mut AppState, id: u64, devices: Vec<Device>, now: Instant) {
    if state.inflight.devices == Some(id) {
        state.inflight.devices = None;
    }
    got_through(state);
    if state.devices != devices {
        state.dirty = true;
    }
    state.devices = devices;
    super::clamp_cursors(state);
    if let Some(Popup::DevicePicker { cursor, .. }) = &mut state.popup {
        cursor.clamp(
            state.devices.len(),
            crate::app::geometry::popup_list_rows(state.size),
        );
    }
    schedule_next_devices(state, now);
}
