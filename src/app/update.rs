//! The reducer: every state change happens here, synchronously, with the
//! clock passed in. It returns the actions the event loop must carry out.
//!
//! This file dispatches; the work is in its submodules: `player`
//! (commands), `polling` (polls and bursts), `popups`, `mouse` and `art`.
//! The playlists screen is [`crate::app::library`].

mod art;
mod mouse;
mod player;
mod polling;
mod popups;
mod remote;
mod timer;

use std::time::{Duration, Instant};

use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

use super::action::{Action, PollPlan};
use super::event::{Event, PollKind};
use super::find;
use super::geometry;
use super::intent::Intent;
use super::library;
use super::state::{AppState, Focus, Popup, Screen};
use crate::domain::music::MusicKind;
use crate::spotify::error::ApiError;
use crate::spotify::request::{Answer, ApiRequest, Priority, Reply, Request};

pub(crate) use player::send_command;
pub use polling::playback_interval;
pub(crate) use polling::refresh_queue_and_recent;
pub use popups::parse_position;

/// How long a status message stays.
const STATUS_TTL: Duration = Duration::from_secs(8);

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
    polling::poll_playback(state, now, &mut out);
    polling::poll_devices(state, now, &mut out);
    polling::refresh_queue_and_recent(state, &mut out);
    out.push(Action::Schedule(state.poll_plan));
    out
}

/// Applies one event to the state and returns what to do next.
pub fn update(state: &mut AppState, event: Event, now: Instant) -> Vec<Action> {
    let mut out = Vec::new();
    let plan_before = state.poll_plan;
    match event {
        Event::Key(key) => on_key(state, &key, now, &mut out),
        Event::Mouse(m) => mouse::on_mouse(state, &m, now, &mut out),
        Event::Paste(text) => on_paste(state, &text, now, &mut out),
        Event::Resize(w, h) => {
            state.size = (w, h);
            clamp_cursors(state);
            state.dirty = true;
        }
        Event::Tick => {
            on_tick(state, now);
            out.extend(find::on_tick(state, now));
            timer::step(state, now, &mut out); // sleep timer (src/app/sleep.rs)
        }
        Event::PollDue(kind) => match kind {
            PollKind::Playback => polling::poll_playback(state, now, &mut out),
            PollKind::Devices => polling::poll_devices(state, now, &mut out),
        },
        Event::Api(ev) => on_api(state, ev, now, &mut out),
        Event::RateLimited { until } => {
            state.rate_limited_until = Some(until);
            state.dirty = true;
        }
        Event::Art(ev) => art::on_art(state, ev),
        Event::Notice(text) => state.error(text, now),
        Event::Desktop(ev) => remote::on_desktop(state, ev, now, &mut out), // MPRIS, media keys
    }
    polling::reschedule(state, plan_before, now, &mut out);
    out
}

/// A request with a fresh id.
pub(crate) fn api(state: &mut AppState, call: Request, priority: Priority) -> (u64, Action) {
    let id = state.take_id();
    (id, Action::Api(ApiRequest { id, priority, call }))
}

// ---------------------------------------------------------------- input

fn on_key(state: &mut AppState, key: &KeyEvent, now: Instant, out: &mut Vec<Action>) {
    if key.kind == KeyEventKind::Release {
        return;
    }
    if state.popup.is_some() {
        popups::on_popup_key(state, key, now, out);
        state.dirty = true;
        return;
    }
    if state.screen == Screen::Playlists
        && let Some(actions) = library::on_key(state, key, now)
    {
        out.extend(actions);
        state.dirty = true;
        return;
    }
    if matches!(state.screen, Screen::Search | Screen::Library)
        && let Some(actions) = find::on_key(state, key, state.keymap.lookup(key), now)
    {
        out.extend(actions);
        state.dirty = true;
        return;
    }
    if let Some(intent) = state.keymap.lookup(key) {
        on_intent(state, intent, now, out);
        state.dirty = true;
    }
}

fn on_paste(state: &mut AppState, text: &str, now: Instant, out: &mut Vec<Action>) {
    if popups::paste(state, text) {
        return;
    }
    if state.screen == Screen::Playlists
        && let Some(actions) = library::on_paste(state, text, now)
    {
        out.extend(actions);
        state.dirty = true;
    }
    if let Some(actions) = find::on_paste(state, text, now) {
        out.extend(actions);
        state.dirty = true;
    }
}

/// An intent on the player screen (or one the playlists screen left to it).
fn on_intent(state: &mut AppState, intent: Intent, now: Instant, out: &mut Vec<Action>) {
    if move_cursor(state, intent) {
        return;
    }
    match intent {
        Intent::Quit => {
            state.quit = true;
            out.push(Action::Quit);
        }
        Intent::Help => state.popup = Some(Popup::Help { scroll: 0 }),
        Intent::ShowPlayer => state.screen = Screen::Player,
        Intent::ShowSearch => out.extend(find::show(state, Screen::Search)),
        Intent::ShowLibrary => out.extend(find::show(state, Screen::Library)),
        Intent::GoToAlbum => out.extend(find::go_to(state, MusicKind::Album, now)),
        Intent::GoToArtist => out.extend(find::go_to(state, MusicKind::Artist, now)),
        Intent::ShowPlaylists => {
            state.screen = Screen::Playlists;
            out.extend(library::on_open(state, now));
        }
        Intent::FocusNext => state.focus = state.focus.next(),
        Intent::FocusPrev => state.focus = state.focus.prev(),
        Intent::Select => player::select(state, now, out),
        Intent::Back => {
            if state.screen == Screen::Playlists {
                state.screen = Screen::Player;
            }
        }
        Intent::Refresh => {
            polling::poll_playback(state, now, out);
            polling::poll_devices(state, now, out);
            polling::refresh_queue_and_recent(state, out);
        }
        Intent::Enqueue => player::enqueue(state, now, out),
        Intent::AddToPlaylist => player::add_to_playlist(state, now, out),
        Intent::Devices => popups::open_devices(state, now, out),
        Intent::SeekTo => popups::open_seek_prompt(state, now),
        Intent::SleepTimer => timer::on_intent(state, now, out),
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
        | Intent::Repeat => player::player_command(state, intent, now, out),
        // Playlist editing keys do nothing on the player screen.
        Intent::Filter
        | Intent::Remove
        | Intent::MoveUp
        | Intent::MoveDown
        | Intent::MoveTo
        | Intent::Mark
        | Intent::Undo
        | Intent::Redo
        | Intent::NewPlaylist
        | Intent::EditDetails
        | Intent::UploadCover
        | Intent::Unfollow
        | Intent::Like
        | Intent::OpenPage
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
        Intent::Up
        | Intent::Down
        | Intent::PageUp
        | Intent::PageDown
        | Intent::Top
        | Intent::Bottom
        | Intent::Yes
        | Intent::No
        | Intent::ClearField => {}
    }
}

/// Visible rows of the focused list on the player screen.
fn focused_rows(state: &AppState) -> usize {
    let l = geometry::player(Rect::new(0, 0, state.size.0, state.size.1), state);
    let r = match state.focus {
        Focus::Queue => l.queue,
        Focus::Recent => l.recent,
        Focus::Devices => l.devices,
    };
    r.map_or(1, |r| r.height.saturating_sub(2) as usize).max(1)
}

/// Moves the focused list's cursor for a navigation intent; false for others.
fn move_cursor(state: &mut AppState, intent: Intent) -> bool {
    let rows = focused_rows(state);
    match state.focus {
        Focus::Queue => state.queue_cursor.navigate(intent, state.queue.len(), rows),
        Focus::Recent => state
            .recent_cursor
            .navigate(intent, state.recent.len(), rows),
        Focus::Devices => state
            .device_cursor
            .navigate(intent, state.devices.len(), rows),
    }
}

pub(super) fn clamp_cursors(state: &mut AppState) {
    let rows = focused_rows(state);
    state.queue_cursor.clamp(state.queue.len(), rows);
    state.recent_cursor.clamp(state.recent.len(), rows);
    state.device_cursor.clamp(state.devices.len(), rows);
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
    let answer = match find::on_api(state, answer, now) {
        Ok(actions) => {
            out.extend(actions);
            return;
        }
        Err(not_ours) => not_ours,
    };
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
        Reply::Playback(pb) => polling::on_playback(state, id, pb, now, out),
        Reply::Devices(devices) => polling::on_devices(state, id, devices, now),
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
        Reply::Done => player::command_finished(state, id, Ok(()), now, out),
        Reply::Coalesced => {
            state.pending.retain(|p| p.id != id);
        }
        Reply::Art { url, image } => art::art_ready(state, id, url, image),
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
        polling::poll_failed(state, &e);
        report(state, &e, now);
        polling::schedule_next_playback(state, now);
    } else if inflight.devices == Some(id) {
        state.inflight.devices = None;
        polling::poll_failed(state, &e);
        report(state, &e, now);
        polling::schedule_next_devices(state, now);
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
        player::command_finished(state, id, Err(e), now, out);
    }
}

pub(super) fn report(state: &mut AppState, e: &ApiError, now: Instant) {
    tracing::warn!(error = %e, "API call failed");
    state.error(e.sentence(), now);
}

/// Poll plan for tests and the poller: when playback should next be polled.
pub fn plan(state: &AppState) -> PollPlan {
    state.poll_plan
}

#[cfg(test)]
mod tests;
