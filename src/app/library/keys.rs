//! Keys on the playlists screen (when no library modal is open, see `modal`).

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::edit;
use super::modal;
use super::{Confirmed, Form, FormPurpose, Modal};
use super::{Details, Edit};
use super::{
    Pane, Req, Source, item_rows, list_rows, load_featured, load_mine, may_edit, open_playlist,
    reload_playlist, request,
};
use crate::app::action::Action;
use crate::app::intent::Intent;
use crate::app::state::edits::insert_before_for;
use crate::app::state::{AppState, PendingCommand, Rollback};
use crate::domain::{ItemKind, PlaylistSummary};
use crate::spotify::request::{ApiRequest, PlayTarget, Priority, Request};

/// Handles a key; `None` lets the global keys apply.
pub(super) fn on_key(state: &mut AppState, key: &KeyEvent, now: Instant) -> Option<Vec<Action>> {
    if state.library.modal.is_some() {
        return Some(modal::on_key(state, key, now));
    }
    if state.library.filtering {
        filter_key(state, key);
        return Some(Vec::new());
    }
    let intent = state.keymap.lookup(key)?;
    on_intent(state, intent, now)
}

/// Handles an intent (from a key or the mouse); `None` lets the global ones apply.
pub(super) fn on_intent(state: &mut AppState, intent: Intent, now: Instant) -> Option<Vec<Action>> {
    if state.library.modal.is_some() {
        return Some(modal::on_intent(state, intent, now));
    }
    if state.library.filtering {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    if move_cursor(state, intent) {
        return Some(out);
    }
    let items = state.library.focus == Pane::Items && state.library.open.is_some();
    match intent {
        Intent::Select | Intent::Back | Intent::FocusNext | Intent::FocusPrev | Intent::Refresh => {
            if !browse(state, intent, items, now, &mut out) {
                return None;
            }
        }
        Intent::Filter => state.library.filtering = true,
        Intent::Enqueue if items => enqueue(state, now, &mut out),
        Intent::AddToPlaylist => add_to_playlist(state, items, now, &mut out),
        Intent::Mark | Intent::Remove | Intent::MoveUp | Intent::MoveDown | Intent::MoveTo
            if items =>
        {
            edit_items(state, intent, now, &mut out);
        }
        Intent::Mark
        | Intent::Remove
        | Intent::MoveUp
        | Intent::MoveDown
        | Intent::MoveTo
        | Intent::Enqueue => {
            state.info("Open a playlist (enter) and select an item first.", now);
        }
        Intent::Undo => out.extend(edit::undo(state, now)),
        Intent::Redo => out.extend(edit::redo(state, now)),
        Intent::OpenById => {
            state.library.modal = Some(Modal::OpenById {
                input: String::new(),
            });
        }
        Intent::NewPlaylist => new_playlist(state, now),
        Intent::EditDetails => edit_details(state, items, now),
        Intent::UploadCover => show_cover(state, items, now, &mut out),
        Intent::Unfollow => ask_unfollow(state, items, now),
        _ => return None,
    }
    Some(out)
}

/// Select, back, focus and refresh; false when the key is not the library's.
fn browse(
    state: &mut AppState,
    intent: Intent,
    items: bool,
    now: Instant,
    out: &mut Vec<Action>,
) -> bool {
    match intent {
        Intent::Select if items => play_selected(state, now, out),
        Intent::Select => {
            if let Some(p) = state.library.selected_playlist().cloned() {
                open_playlist(state, p, out);
            }
        }
        Intent::Back => {
            let lib = &mut state.library;
            if items {
                lib.focus = Pane::List;
            } else if !lib.list_filter.is_empty() {
                lib.list_filter.clear();
                let rows = list_rows(state);
                state.library.refresh_list_view(rows);
            } else {
                return false;
            }
        }
        Intent::FocusNext | Intent::FocusPrev => {
            if items {
                state.library.focus = Pane::List;
            } else {
                toggle_source(state, out);
            }
        }
        _ => {
            match state.library.source {
                Source::Mine => load_mine(state, out),
                Source::Featured => load_featured(state, out),
            }
            if let Some(id) = state.library.open.as_ref().map(|o| o.summary.id.clone())
                && !state.library.is_busy(&id)
            {
                reload_playlist(state, &id, out);
            }
        }
    }
    true
}

/// Mark, remove and move keys on the open playlist's items.
fn edit_items(state: &mut AppState, intent: Intent, now: Instant, out: &mut Vec<Action>) {
    match intent {
        Intent::Mark => {
            let rows = item_rows(state);
            if let Some(o) = state.library.open.as_mut()
                && let Some(pos) = o.selected_position()
            {
                if !o.marks.remove(&pos) {
                    o.marks.insert(pos);
                }
                o.cursor.step(1, o.view.len(), rows);
            }
        }
        Intent::Remove => remove(state, now),
        Intent::MoveUp => move_by(state, -1, now, out),
        Intent::MoveDown => move_by(state, 1, now, out),
        _ => {
            if let Some((len, from)) = editable_selection(state, now) {
                state.library.modal = Some(Modal::MoveTo {
                    input: String::new(),
                    from,
                    len,
                });
            }
        }
    }
}

fn new_playlist(state: &mut AppState, now: Instant) {
    if state.user.is_none() {
        state.error(
            "Your account has not loaded yet; try again in a moment.",
            now,
        );
        return;
    }
    state.library.modal = Some(Modal::Form(Form {
        purpose: FormPurpose::Create,
        step: 0,
        name: String::new(),
        description: String::new(),
        public: false,
        collaborative: false,
    }));
}

fn edit_details(state: &mut AppState, items: bool, now: Instant) {
    let Some(p) = target_playlist(state, items, now) else {
        return;
    };
    if let Err(why) = may_edit(state, &p) {
        state.error(why, now);
        return;
    }
    let old = Details::of(&p);
    state.library.modal = Some(Modal::Form(Form {
        step: 0,
        name: old.name.clone(),
        description: old.description.clone(),
        public: old.public.unwrap_or(false),
        collaborative: old.collaborative,
        purpose: FormPurpose::Edit {
            playlist_id: p.id.clone(),
            old,
        },
    }));
}

fn show_cover(state: &mut AppState, items: bool, now: Instant, out: &mut Vec<Action>) {
    let Some(p) = target_playlist(state, items, now) else {
        return;
    };
    let (_, a) = request(
        state,
        Req::Cover(p.id.clone()),
        Request::GetCover {
            playlist_id: p.id.clone(),
        },
        Priority::VisiblePane,
    );
    out.push(a);
    state.library.modal = Some(Modal::Cover {
        playlist_id: p.id.clone(),
        name: p.name.clone(),
        images: None,
        input: String::new(),
    });
}

fn ask_unfollow(state: &mut AppState, items: bool, now: Instant) {
    let Some(p) = target_playlist(state, items, now) else {
        return;
    };
    let mine = state.user.as_ref().is_some_and(|(u, _)| *u == p.owner_id);
    let owner_note = if mine {
        " You own it: it stays on Spotify for its followers and collaborators, and following it again brings it back."
    } else {
        " It stays on Spotify for its owner and other followers."
    };
    state.library.modal = Some(Modal::Confirm {
        question: format!(
            "Unfollow “{}”? Spotify has no delete: unfollowing removes it from your library.{owner_note} ({}/{})",
            p.name,
            state.keymap.first_key(Intent::Yes),
            state.keymap.first_key(Intent::No),
        ),
        action: Confirmed::Unfollow {
            playlist_id: p.id.clone(),
        },
    });
}

/// Pasted text goes to an open text field or the filter.
pub(super) fn on_paste(state: &mut AppState, text: &str, _now: Instant) -> Option<Vec<Action>> {
    if modal::paste(state, text) {
        return Some(Vec::new());
    }
    if state.library.filtering {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        filter_text(state).push_str(&clean);
        refresh_filter(state);
        return Some(Vec::new());
    }
    None
}

fn filter_text(state: &mut AppState) -> &mut String {
    let lib = &mut state.library;
    match lib.open.as_mut() {
        Some(o) if lib.focus == Pane::Items => &mut o.filter,
        _ => &mut lib.list_filter,
    }
}

fn refresh_filter(state: &mut AppState) {
    if state.library.focus == Pane::Items && state.library.open.is_some() {
        let rows = item_rows(state);
        if let Some(o) = state.library.open.as_mut() {
            o.refresh_view(rows);
            o.cursor.select(0, o.view.len(), rows);
        }
    } else {
        let rows = list_rows(state);
        state.library.refresh_list_view(rows);
        state
            .library
            .list_cursor
            .select(0, state.library.list_view.len(), rows);
    }
}

fn filter_key(state: &mut AppState, key: &KeyEvent) {
    match key.code {
        KeyCode::Enter | KeyCode::Down | KeyCode::Up => state.library.filtering = false,
        KeyCode::Esc => {
            state.library.filtering = false;
            filter_text(state).clear();
            refresh_filter(state);
        }
        KeyCode::Backspace => {
            filter_text(state).pop();
            refresh_filter(state);
        }
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            filter_text(state).push(c);
            refresh_filter(state);
        }
        _ => {}
    }
}

fn focused_rows(state: &AppState) -> usize {
    if state.library.focus == Pane::Items && state.library.open.is_some() {
        item_rows(state)
    } else {
        list_rows(state)
    }
    .max(1)
}

/// Moves the focused pane's cursor for a navigation intent; false for others.
fn move_cursor(state: &mut AppState, intent: Intent) -> bool {
    let rows = focused_rows(state);
    let lib = &mut state.library;
    match lib.open.as_mut() {
        Some(o) if lib.focus == Pane::Items => o.cursor.navigate(intent, o.view.len(), rows),
        _ => lib.list_cursor.navigate(intent, lib.list_view.len(), rows),
    }
}

fn toggle_source(state: &mut AppState, out: &mut Vec<Action>) {
    let lib = &mut state.library;
    lib.source = match lib.source {
        Source::Mine => Source::Featured,
        Source::Featured => Source::Mine,
    };
    lib.list_cursor = Default::default();
    if lib.source == Source::Featured && !lib.featured.done {
        load_featured(state, out);
    }
    let rows = list_rows(state);
    state.library.refresh_list_view(rows);
}

/// The playlist an E/C/D key acts on: the open one in the items pane, else the selected one.
fn target_playlist(state: &mut AppState, items: bool, now: Instant) -> Option<PlaylistSummary> {
    let p = if items {
        state.library.open.as_ref().map(|o| o.summary.clone())
    } else {
        state.library.selected_playlist().cloned()
    };
    if p.is_none() {
        state.info("Select a playlist first.", now);
    }
    p
}

fn play_selected(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    let Some(o) = state.library.open.as_ref() else {
        return;
    };
    let (Some(pos), Some(entry)) = (o.selected_position(), o.selected_entry()) else {
        return;
    };
    let t = &entry.track;
    if t.kind == ItemKind::Local {
        state.error(
            format!(
                "“{}” is a local file: Spotify cannot play it through the Web API.",
                t.title
            ),
            now,
        );
        return;
    }
    if !t.is_playable {
        state.error(
            format!("“{}” is not playable in your country.", t.title),
            now,
        );
        return;
    }
    let title = t.title.clone();
    let call = Request::Play {
        target: PlayTarget::Context {
            uri: crate::domain::playlist_uri(&o.summary.id),
            position: pos as u32,
        },
        device_id: None,
    };
    // A player command: the reducer's command tracking handles the answer
    // (including NO_ACTIVE_DEVICE → device picker).
    let id = state.take_id();
    state.pending.push(PendingCommand {
        id,
        call: call.clone(),
        rollback: Rollback::Nothing,
    });
    out.push(Action::Api(ApiRequest {
        id,
        priority: Priority::User,
        call,
    }));
    state.info(format!("Playing “{title}”…"), now);
}

fn enqueue(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    let Some(entry) = state
        .library
        .open
        .as_ref()
        .and_then(|o| o.selected_entry())
        .cloned()
    else {
        return;
    };
    let t = entry.track;
    if t.kind == ItemKind::Local {
        state.error(
            format!(
                "“{}” is a local file: Spotify cannot queue it through the Web API.",
                t.title
            ),
            now,
        );
        return;
    }
    let (_, a) = request(
        state,
        Req::Queue(t.title.clone()),
        Request::AddToQueue { uri: t.uri },
        Priority::User,
    );
    out.push(a);
    state.info(format!("Adding “{}” to the queue…", t.title), now);
}

fn add_to_playlist(state: &mut AppState, items: bool, now: Instant, out: &mut Vec<Action>) {
    if items {
        let Some(o) = state.library.open.as_ref() else {
            return;
        };
        let positions: Vec<usize> = if o.marks.is_empty() {
            o.selected_position().into_iter().collect()
        } else {
            o.marks.iter().copied().collect()
        };
        let entries: Vec<_> = positions
            .iter()
            .filter_map(|&p| o.items.get(p).cloned())
            .collect();
        if entries.is_empty() {
            return;
        }
        if entries.iter().any(|e| e.track.kind == ItemKind::Local) {
            state.error(
                "Local files cannot be added to playlists through the Web API; nothing was added.",
                now,
            );
            return;
        }
        let uris = entries.iter().map(|e| e.track.uri.clone()).collect();
        out.extend(super::start_add_to_playlist(state, uris, now));
        if let Some(Modal::Picker { entries: e, .. }) = &mut state.library.modal {
            *e = Some(
                entries
                    .into_iter()
                    .map(|mut e| {
                        e.added_at = None;
                        e.added_by = state.user.as_ref().map(|u| u.0.clone());
                        e
                    })
                    .collect(),
            );
        }
    } else {
        match state.now_playing().cloned() {
            Some(t) if t.kind == ItemKind::Local => state.error(
                "Local files cannot be added to playlists through the Web API.",
                now,
            ),
            Some(t) => out.extend(super::start_add_to_playlist(state, vec![t.uri], now)),
            None => state.info(
                "Nothing is playing; open a playlist and select an item to add it elsewhere.",
                now,
            ),
        }
    }
}

/// The open playlist's length and the selected real position, when its
/// items may be edited now.
fn editable_selection(state: &mut AppState, now: Instant) -> Option<(u32, u32)> {
    if !editable_open(state, now) {
        return None;
    }
    let o = state.library.open.as_ref()?;
    let len = o.items.len() as u32;
    let Some(pos) = o.selected_position() else {
        state.info("Select an item first.", now);
        return None;
    };
    Some((len, pos as u32))
}

/// True when the open playlist's items may be edited now (owner/collaborator,
/// items visible and fully loaded, no edit running); says why not otherwise.
fn editable_open(state: &mut AppState, now: Instant) -> bool {
    let Some(o) = state.library.open.as_ref() else {
        return false;
    };
    let why = if let Err(why) = may_edit(state, &o.summary) {
        Some(why)
    } else if o.hidden.is_some() {
        Some("The items of this playlist are hidden, so they cannot be edited.".to_string())
    } else if !o.items.done || o.is_loading() {
        state.info("Wait until all items have loaded, then try again.", now);
        return false;
    } else if state.library.is_busy(&o.summary.id) {
        Some(format!(
            "“{}” is still saving or reloading; try again when it finishes.",
            o.summary.name
        ))
    } else {
        None
    };
    match why {
        Some(why) => {
            state.error(why, now);
            false
        }
        None => true,
    }
}

fn move_by(state: &mut AppState, delta: i64, now: Instant, out: &mut Vec<Action>) {
    if edit::queue_move(state, delta, now) {
        return;
    }
    let Some((len, from)) = editable_selection(state, now) else {
        return;
    };
    let to = i64::from(from) + delta;
    if to < 0 || to >= i64::from(len) {
        state.info("The item is already at the edge.", now);
        return;
    }
    let edit = Edit::Move {
        from,
        insert_before: insert_before_for(from, to as u32),
    };
    out.extend(edit::send_open(state, edit, now));
}

fn remove(state: &mut AppState, now: Instant) {
    if !editable_open(state, now) {
        return;
    }
    let Some(o) = state.library.open.as_ref() else {
        return;
    };
    let (playlist_id, name) = (o.summary.id.clone(), o.summary.name.clone());
    let positions: Vec<usize> = if o.marks.is_empty() {
        o.selected_position().into_iter().collect()
    } else {
        o.marks.iter().copied().collect()
    };
    let mut items = Vec::new();
    let mut entries = Vec::new();
    for p in positions {
        if let Some(e) = o.items.get(p) {
            items.push((p as u32, e.track.uri.clone()));
            entries.push(e.clone());
        }
    }
    if items.is_empty() {
        state.info("Select an item first.", now);
        return;
    }
    let locals = entries
        .iter()
        .filter(|e| e.track.kind == ItemKind::Local)
        .count();
    let what = if items.len() == 1 {
        format!("“{}”", entries[0].track.title)
    } else {
        format!("{} items", items.len())
    };
    let undo_note = if locals == 0 {
        format!(
            " You can undo with {}.",
            state.keymap.first_key(Intent::Undo)
        )
    } else if locals == entries.len() {
        " Local files cannot be added back through the Web API, so this cannot be undone.".into()
    } else {
        format!(
            " {locals} of them are local files: the Web API cannot add local files back, so undo restores only the others."
        )
    };
    state.library.modal = Some(Modal::Confirm {
        question: format!(
            "Remove {what} from “{name}”?{undo_note} ({}/{})",
            state.keymap.first_key(Intent::Yes),
            state.keymap.first_key(Intent::No),
        ),
        action: Confirmed::Remove {
            playlist_id,
            items,
            entries,
        },
    });
}
