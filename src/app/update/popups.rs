//! Popups over the player screen: help, device picker, seek prompt. Keys
//! are looked up in the keymap's popup mode (plain `q` does not quit there).

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent};

use super::player::{choose_device, seek_typed};
use super::polling::poll_devices;
use crate::app::action::Action;
use crate::app::cursor::ListCursor;
use crate::app::geometry;
use crate::app::intent::Intent;
use crate::app::keymap::Mode;
use crate::app::state::{AppState, Popup};

/// A key while a popup is open.
pub(super) fn on_popup_key(
    state: &mut AppState,
    key: &KeyEvent,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let Some(popup) = state.popup.take() else {
        return;
    };
    let intent = state.keymap.lookup_in(Mode::Popup, key);
    if intent == Some(Intent::Quit) {
        state.quit = true;
        return;
    }
    state.popup = match popup {
        Popup::Help { scroll } => match intent {
            Some(Intent::Down) => Some(Popup::Help { scroll: scroll + 1 }),
            Some(Intent::Up) => Some(Popup::Help {
                scroll: scroll.saturating_sub(1),
            }),
            _ => None,
        },
        Popup::SeekPrompt { input } => seek_prompt_key(state, input, key, intent, now, out),
        Popup::DevicePicker { cursor, retry } => {
            device_picker_key(state, cursor, retry, intent, now, out)
        }
    };
}

fn seek_prompt_key(
    state: &mut AppState,
    mut input: String,
    key: &KeyEvent,
    intent: Option<Intent>,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Popup> {
    match (intent, key.code) {
        (Some(Intent::Back), _) => None,
        (Some(Intent::Select), _) => {
            match parse_position(&input) {
                Some(ms) => seek_typed(state, ms, now, out),
                None => state.error(
                    format!("`{input}` is not a position; type m:ss or seconds"),
                    now,
                ),
            }
            None
        }
        (_, KeyCode::Backspace) => {
            input.pop();
            Some(Popup::SeekPrompt { input })
        }
        (_, KeyCode::Char(c)) if c.is_ascii_digit() || c == ':' => {
            if input.len() < 8 {
                input.push(c);
            }
            Some(Popup::SeekPrompt { input })
        }
        _ => Some(Popup::SeekPrompt { input }),
    }
}

fn device_picker_key(
    state: &mut AppState,
    mut cursor: ListCursor,
    retry: Option<crate::spotify::request::Request>,
    intent: Option<Intent>,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Popup> {
    let rows = geometry::popup_list_rows(state.size);
    match intent {
        Some(Intent::Back | Intent::Devices) => {
            if retry.is_some() {
                state.info("Nothing sent: no device was chosen.", now);
            }
            None
        }
        Some(Intent::Select) => {
            if choose_device(state, cursor.selected, retry.clone(), now, out) {
                None
            } else {
                Some(Popup::DevicePicker { cursor, retry })
            }
        }
        Some(i) => {
            cursor.navigate(i, state.devices.len(), rows);
            Some(Popup::DevicePicker { cursor, retry })
        }
        None => Some(Popup::DevicePicker { cursor, retry }),
    }
}

/// Pasted text into the seek prompt; false when no prompt is open.
pub(super) fn paste(state: &mut AppState, text: &str) -> bool {
    let Some(Popup::SeekPrompt { input }) = &mut state.popup else {
        return false;
    };
    input.extend(
        text.chars()
            .filter(|c| c.is_ascii_digit() || *c == ':')
            .take(8),
    );
    state.dirty = true;
    true
}

/// Opens the device picker on the active device.
pub(super) fn open_devices(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    let cursor = state
        .devices
        .iter()
        .position(|d| d.is_active)
        .map(|i| ListCursor {
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

/// Opens the seek prompt when something plays.
pub(super) fn open_seek_prompt(state: &mut AppState, now: Instant) {
    if state.playback.is_some() {
        state.popup = Some(Popup::SeekPrompt {
            input: String::new(),
        });
    } else {
        state.info("Nothing is playing.", now);
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
