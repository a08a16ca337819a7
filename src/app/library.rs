//! Playlist browser and editor state and its part of the reducer.
//! (Placeholder interface; filled in by the playlist work.)

use std::time::Instant;

use crossterm::event::KeyEvent;

use super::action::Action;
use super::event::ApiEvent;
use super::intent::Intent;
use super::state::AppState;

/// Playlist browser and editor state.
#[derive(Debug, Clone, Default)]
pub struct Library {
    loading: bool,
}

impl Library {
    /// True while pages are still arriving.
    pub fn is_loading(&self) -> bool {
        self.loading
    }
}

/// Called when the playlists screen opens.
pub fn on_open(_state: &mut AppState, _now: Instant) -> Vec<Action> {
    Vec::new()
}

/// Handles a key on the playlists screen; `None` lets global keys apply.
pub fn on_key(
    _state: &mut AppState,
    _key: &KeyEvent,
    _intent: Option<Intent>,
    _now: Instant,
) -> Option<Vec<Action>> {
    None
}

/// Handles pasted text while the library has an input open; `None` if it does not.
pub fn on_paste(_state: &mut AppState, _text: &str, _now: Instant) -> Option<Vec<Action>> {
    None
}

/// Handles an API answer the library asked for; `None` if the id is not its own.
pub fn on_api(_state: &mut AppState, _ev: &ApiEvent, _now: Instant) -> Option<Vec<Action>> {
    None
}

/// Starts "add to playlist" for `uris` (from the player screen).
pub fn start_add_to_playlist(
    state: &mut AppState,
    _uris: Vec<String>,
    now: Instant,
) -> Vec<Action> {
    state.info("adding to playlists is not available yet", now);
    Vec::new()
}

impl Library {
    /// Short text for the status line while loading.
    pub fn loading_text(&self) -> String {
        "playlists".into()
    }

    /// Name of a playlist the library knows, by id.
    pub fn playlist_name(&self, _id: &str) -> Option<String> {
        None
    }
}
