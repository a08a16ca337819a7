//! Playlist browser and editor: its state and its part of the reducer.
//!
//! Everything here is synchronous: keys and API answers come in, state
//! changes, and `Action`s go out. Edits change the local list only after
//! Spotify confirms them (a new snapshot id); a conflict or error reloads the
//! playlist so the screen shows what the server has.

mod answers;
mod edit;
mod keys;
mod modal;

use std::time::Instant;

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::action::Action;
use super::cursor::ListCursor;
use super::geometry;
use super::intent::Intent;
use super::state::{AppState, Screen};
use crate::domain::{ImageRef, PlaylistEntry, PlaylistSummary};
use crate::spotify::request::{Answer, ApiRequest, Priority, Request};

pub use super::state::edits::{Details, Edit, UndoRecord};
pub(crate) use super::state::library::Req;
pub use super::state::library::{Library, OpenPlaylist, Pane, Source};
pub use super::state::modal::{Confirmed, Form, FormPurpose, Modal};
pub use super::state::paged;

/// Rows visible in the left pane for the current terminal size.
pub fn list_rows(state: &AppState) -> usize {
    let panes = geometry::panes(body(state), &state.library);
    panes.list.map_or(1, geometry::list_rows_in)
}

/// Rows visible in the items pane for the current terminal size.
pub fn item_rows(state: &AppState) -> usize {
    let panes = geometry::panes(body(state), &state.library);
    panes.items.map_or(1, geometry::item_rows_in)
}

fn body(state: &AppState) -> Rect {
    geometry::playlists_body(Rect::new(0, 0, state.size.0, state.size.1))
}

/// Issues a request the library will answer itself.
fn request(state: &mut AppState, req: Req, call: Request, priority: Priority) -> (u64, Action) {
    let id = state.take_id();
    state.library.reqs.insert(id, req);
    (id, Action::Api(ApiRequest { id, priority, call }))
}

/// True when the current user may edit the playlist (owner, or a collaborative
/// playlist they can reach). Otherwise the reason, in plain words.
pub fn may_edit(state: &AppState, p: &PlaylistSummary) -> Result<(), String> {
    let Some((user, _)) = state.user.as_ref() else {
        return Err("Your account has not loaded yet; try again in a moment.".into());
    };
    if &p.owner_id == user || p.collaborative {
        Ok(())
    } else {
        Err(format!(
            "“{}” belongs to {}: only its owner or collaborators can change it.",
            p.name,
            if p.owner_name.is_empty() {
                &p.owner_id
            } else {
                &p.owner_name
            }
        ))
    }
}

/// Loads the user's playlists (again).
fn load_mine(state: &mut AppState, out: &mut Vec<Action>) {
    if state.library.mine_load.is_some() {
        return;
    }
    let (id, a) = request(
        state,
        Req::Mine,
        Request::GetMyPlaylists,
        Priority::VisiblePane,
    );
    state.library.mine_load = Some(id);
    state.library.mine_error = None;
    out.push(a);
}

fn load_featured(state: &mut AppState, out: &mut Vec<Action>) {
    if state.library.featured_load.is_some() {
        return;
    }
    let (id, a) = request(
        state,
        Req::Featured,
        Request::GetFeatured,
        Priority::VisiblePane,
    );
    state.library.featured_load = Some(id);
    state.library.featured_note = None;
    out.push(a);
}

/// Reloads a playlist's metadata and, when it is open, its items.
fn reload_playlist(state: &mut AppState, playlist_id: &str, out: &mut Vec<Action>) {
    let pid = playlist_id.to_string();
    let (_, a) = request(
        state,
        Req::Playlist(pid.clone()),
        Request::GetPlaylist {
            playlist_id: pid.clone(),
        },
        Priority::VisiblePane,
    );
    out.push(a);
    if state.library.is_open(&pid) {
        load_items(state, &pid, out);
    }
}

/// Starts (or restarts) loading the open playlist's items.
fn load_items(state: &mut AppState, playlist_id: &str, out: &mut Vec<Action>) {
    let pid = playlist_id.to_string();
    let (id, a) = request(
        state,
        Req::Items(pid.clone()),
        Request::GetPlaylistItems {
            playlist_id: pid.clone(),
        },
        Priority::VisiblePane,
    );
    // Pages of an older load are ignored from now on.
    let stale: Vec<u64> = state
        .library
        .reqs
        .iter()
        .filter(|(k, r)| **k != id && **r == Req::Items(pid.clone()))
        .map(|(k, _)| *k)
        .collect();
    for k in stale {
        state.library.reqs.remove(&k);
    }
    let rows = item_rows(state);
    if let Some(o) = state.library.open.as_mut().filter(|o| o.summary.id == pid) {
        // Keep showing the old rows until the first page of the reload arrives.
        o.items.done = false;
        o.stale = true;
        o.error = None;
        o.load = Some(id);
        o.refresh_view(rows);
    }
    out.push(a);
}

/// Opens a playlist in the right pane and loads its items (which carry
/// its snapshot id; the listed summary serves until then).
/// Opening the playlist already open only moves the focus to its rows (the
/// cursor stays where it was); it reloads only after a failed load.
fn open_playlist(state: &mut AppState, summary: PlaylistSummary, out: &mut Vec<Action>) {
    let id = summary.id.clone();
    state.library.focus = Pane::Items;
    if let Some(o) = state.library.open.as_ref().filter(|o| o.summary.id == id) {
        if o.error.is_some() {
            load_items(state, &id, out);
        }
        return;
    }
    state.library.open = Some(OpenPlaylist::new(summary));
    load_items(state, &id, out);
}

/// Stores the open playlist's rows in the on-disk cache when every row is
/// loaded and confirmed (after an edit Spotify answered with a new snapshot).
fn remember_rows(state: &AppState, playlist_id: &str) -> Option<Action> {
    let o =
        state.library.open.as_ref().filter(|o| {
            o.summary.id == playlist_id && o.items.done && !o.is_loading() && !o.cached
        })?;
    let items: Option<Vec<PlaylistEntry>> = o.items.slots.iter().cloned().collect();
    Some(Action::CacheItems {
        playlist_id: playlist_id.to_string(),
        snapshot_id: o.summary.snapshot_id.clone(),
        items: items?,
    })
}

/// Opens a playlist that may not be in the user's library (by id); its
/// metadata replaces the placeholder when it arrives.
pub(crate) fn open_by_id(state: &mut AppState, playlist_id: &str, out: &mut Vec<Action>) {
    let summary = PlaylistSummary {
        id: playlist_id.to_string(),
        name: playlist_id.to_string(),
        description: String::new(),
        owner_id: String::new(),
        owner_name: String::new(),
        public: None,
        collaborative: false,
        snapshot_id: String::new(),
        total: 0,
        images: Vec::new(),
    };
    open_playlist(state, summary, out);
    edit::reload_metadata(state, playlist_id, out);
}

/// Asks for the name of the playing playlist when the library does not
/// list it, once per context.
pub fn want_context_name(state: &mut AppState, out: &mut Vec<Action>) {
    let Some(uri) = state.playback.as_ref().and_then(|p| p.context_uri.clone()) else {
        return;
    };
    let Some(id) = uri.strip_prefix("spotify:playlist:") else {
        return;
    };
    let asked = Req::ContextName(uri.clone());
    if state.library.playlist_name(id).is_some()
        || state.context_name.as_ref().is_some_and(|(u, _)| *u == uri)
        || state.library.reqs.values().any(|r| *r == asked)
    {
        return;
    }
    let call = Request::GetPlaylist {
        playlist_id: id.to_string(),
    };
    out.push(request(state, asked, call, Priority::VisiblePane).1);
}

/// Called when the playlists screen opens.
pub fn on_open(state: &mut AppState, now: Instant) -> Vec<Action> {
    let mut out = Vec::new();
    if state.app_only {
        state.info(
            format!(
                "App-only login: your playlists are unavailable (log in as a user to browse and edit them). Press {} to open a public playlist by id.",
                state.keymap.first_key(Intent::OpenById)
            ),
            now,
        );
        return out;
    }
    if (state.library.mine.is_empty() && !state.library.mine.done) || state.library.mine_cached {
        load_mine(state, &mut out);
    }
    out
}

/// Handles a key on the playlists screen; `None` lets global keys apply.
pub fn on_key(state: &mut AppState, key: &KeyEvent, now: Instant) -> Option<Vec<Action>> {
    keys::on_key(state, key, now)
}

/// Handles an intent that comes without a key (the mouse wheel); `None`
/// lets the global handling apply.
pub fn on_intent(state: &mut AppState, intent: Intent, now: Instant) -> Option<Vec<Action>> {
    keys::on_intent(state, intent, now)
}

/// Handles pasted text while the library has an input open; `None` if it does not.
pub fn on_paste(state: &mut AppState, text: &str, now: Instant) -> Option<Vec<Action>> {
    keys::on_paste(state, text, now)
}

/// Handles an API answer the library asked for; gives it back when the id
/// is not its own.
pub fn on_api(
    state: &mut AppState,
    answer: Box<Answer>,
    now: Instant,
) -> Result<Vec<Action>, Box<Answer>> {
    answers::on_api(state, answer, now)
}

/// Starts "add to playlist" for `uris`: opens the playlist picker (switching to
/// the playlists screen if needed, and back once the picker closes).
pub fn start_add_to_playlist(state: &mut AppState, uris: Vec<String>, now: Instant) -> Vec<Action> {
    let mut out = Vec::new();
    if state.app_only {
        state.error(
            "App-only login: playlists cannot be changed without a user login.",
            now,
        );
        return out;
    }
    if uris.is_empty() {
        state.info("Nothing to add.", now);
        return out;
    }
    if uris.iter().any(|u| crate::domain::is_local_uri(u)) {
        state.error(
            "Local files cannot be added to playlists through the Web API.",
            now,
        );
        return out;
    }
    if state.screen != Screen::Playlists {
        state.library.return_to = Some(state.screen);
        state.screen = Screen::Playlists;
    }
    out.extend(on_open(state, now));
    let choices = modal::picker_choices(state);
    state.library.modal = Some(Modal::Picker {
        uris,
        entries: None,
        choices,
        cursor: ListCursor::default(),
    });
    state.dirty = true;
    out
}

/// Cover images are a Spotify-made mosaic of the first album covers.
pub fn is_mosaic(images: &[ImageRef]) -> bool {
    images.iter().any(|i| i.url.contains("mosaic.scdn.co"))
}

/// Marks (for tests and rendering): real positions marked in the open playlist.
pub fn marked(state: &AppState) -> Vec<usize> {
    state
        .library
        .open
        .as_ref()
        .map(|o| o.marks.iter().copied().collect())
        .unwrap_or_default()
}

/// Entries of the open playlist, for tests: `None` for rows not yet received.
pub fn open_entries(state: &AppState) -> Vec<Option<&PlaylistEntry>> {
    state
        .library
        .open
        .as_ref()
        .map(|o| o.items.slots.iter().map(Option::as_ref).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;
    use crate::config::Config;

    fn summary(owner: &str, collaborative: bool) -> PlaylistSummary {
        PlaylistSummary {
            id: "p".into(),
            name: "P".into(),
            description: String::new(),
            owner_id: owner.into(),
            owner_name: "Owner".into(),
            public: Some(false),
            collaborative,
            snapshot_id: "s".into(),
            total: 0,
            images: vec![],
        }
    }

    #[test]
    fn only_owners_and_collaborators_may_edit() {
        let mut s = AppState::new(&Config::default(), Keymap::default(), Instant::now());
        assert!(may_edit(&s, &summary("me", false)).is_err(), "user unknown");
        s.user = Some(("me".into(), "Me".into()));
        assert!(may_edit(&s, &summary("me", false)).is_ok());
        assert!(may_edit(&s, &summary("bob", true)).is_ok());
        let why = may_edit(&s, &summary("bob", false)).unwrap_err();
        assert!(why.contains("Owner"), "{why}");
    }

    #[test]
    fn opening_the_screen_loads_playlists_once() {
        let now = Instant::now();
        let mut s = AppState::new(&Config::default(), Keymap::default(), now);
        let first = on_open(&mut s, now);
        assert!(matches!(
            first.as_slice(),
            [Action::Api(ApiRequest {
                call: Request::GetMyPlaylists,
                ..
            })]
        ));
        assert!(s.library.is_loading());
        assert!(on_open(&mut s, now).is_empty(), "already loading");
        s.app_only = true;
        s.library = Library::default();
        assert!(on_open(&mut s, now).is_empty());
    }

    #[test]
    fn local_uris_are_refused_by_the_picker() {
        let now = Instant::now();
        let mut s = AppState::new(&Config::default(), Keymap::default(), now);
        let out = start_add_to_playlist(&mut s, vec!["spotify:local:a:b:c:1".into()], now);
        assert!(out.is_empty());
        assert!(s.library.modal.is_none());
        assert_eq!(s.screen, Screen::Player);
    }
}
