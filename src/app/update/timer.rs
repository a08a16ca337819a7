//! The reducer's side of the sleep timer: the `z` menu, and each tick turns
//! the timer's actions (fade, pause, restore) into player commands.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent};

use super::player::{flip_play_disallows, send_command, set_volume};
use crate::app::action::Action;
use crate::app::intent::Intent;
use crate::app::sleep::{self, CHOICES, SleepAction, SleepTimer};
use crate::app::state::{AppState, Popup, Rollback};
use crate::spotify::request::Request;

/// The sleep key: opens the menu, or cancels a timer that is set.
pub(super) fn on_intent(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    match state.sleep.take() {
        Some(timer) => {
            if let Some(v) = timer.cancel() {
                set_volume(state, v, now, out);
            }
            state.info("Sleep timer off.", now);
        }
        None => state.popup = Some(Popup::SleepMenu { selected: 0 }),
    }
}

/// Keys in the sleep menu: up/down/enter, a digit, esc.
pub(super) fn on_menu_key(
    state: &mut AppState,
    key: &KeyEvent,
    intent: Option<Intent>,
    selected: usize,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let digit = match key.code {
        KeyCode::Char(c) => c.to_digit(10).map(|d| d as usize),
        _ => None,
    };
    if let Some(d) = digit.filter(|d| (1..=CHOICES.len()).contains(d)) {
        arm(state, d - 1, now, out);
        return;
    }
    match intent {
        Some(Intent::Up) => {
            state.popup = Some(Popup::SleepMenu {
                selected: selected.saturating_sub(1),
            })
        }
        Some(Intent::Down) => {
            state.popup = Some(Popup::SleepMenu {
                selected: (selected + 1).min(CHOICES.len() - 1),
            })
        }
        Some(Intent::Select) => arm(state, selected, now, out),
        Some(Intent::Back | Intent::SleepTimer | Intent::Quit) => {}
        _ => state.popup = Some(Popup::SleepMenu { selected }),
    }
}

fn arm(state: &mut AppState, choice: usize, now: Instant, out: &mut Vec<Action>) {
    let Some(target) = CHOICES.get(choice).copied() else {
        return;
    };
    let made = SleepTimer::new(target, state.sleep_fade, now, &sleep::observe(state, now));
    match made {
        Ok(timer) => {
            state.sleep = Some(timer);
            state.info(
                format!(
                    "Sleep timer: pausing {}. {} again cancels.",
                    target.label(),
                    state.keymap.first_key(Intent::SleepTimer)
                ),
                now,
            );
            step(state, now, out);
        }
        Err(why) => state.error(why, now),
    }
}

/// Advances the timer to `now` and sends what it asks for.
pub(super) fn step(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    let Some(mut timer) = state.sleep.take() else {
        return;
    };
    let (actions, changed) = {
        let seen = sleep::observe(state, now);
        let before = timer.status(now, &seen);
        let actions = timer.step(now, &seen);
        (actions, before != timer.status(now, &seen))
    };
    if changed {
        state.dirty = true;
    }
    let mut finished = false;
    for a in actions {
        match a {
            SleepAction::Volume(v) => set_volume(state, v, now, out),
            SleepAction::Pause => pause_active(state, now, out),
            SleepAction::Finished => finished = true,
        }
    }
    if finished {
        state.info("Sleep timer: paused. Good night.", now);
    } else {
        state.sleep = Some(timer);
    }
}

/// Pauses whatever device is active now (no device id: Spotify picks the
/// active one, so a transfer since the timer was set is followed).
fn pause_active(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    if let Some(p) = &mut state.playback {
        p.progress_ms = p.progress_at(now);
        p.is_playing = false;
        p.fetched_at = now;
        flip_play_disallows(p, false);
    }
    send_command(
        state,
        Request::Pause { device_id: None },
        Rollback::Playing(true),
        now,
        out,
    );
}
