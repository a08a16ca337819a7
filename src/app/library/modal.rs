//! The library's modals (confirmation, playlist picker, prompts, the details
//! form, the cover view) and their keys. While one is open it gets every key.

use std::collections::VecDeque;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::edit;
use super::{Confirmed, Details, Edit, Form, FormPurpose, Modal};
use super::{Req, may_edit, request};
use crate::app::action::Action;
use crate::app::cursor::ListCursor;
use crate::app::intent::Intent;
use crate::app::keymap::Mode;
use crate::app::state::edits::{Origin, insert_before_for};
use crate::app::state::modal::FORM_STEPS;
use crate::app::state::{AppState, Screen};
use crate::domain::{ImageRef, PlaylistEntry};
use crate::spotify::request::{Priority, Request};

/// Playlists the user can add to: (id, name).
pub(super) fn picker_choices(state: &AppState) -> Vec<(String, String)> {
    state
        .library
        .mine
        .slots
        .iter()
        .flatten()
        .filter(|p| may_edit(state, p).is_ok())
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect()
}

/// Refreshes the picker's choices after playlists arrived.
pub(super) fn refresh_picker(state: &mut AppState) {
    if matches!(state.library.modal, Some(Modal::Picker { .. })) {
        let fresh = picker_choices(state);
        let rows = picker_rows(state);
        if let Some(Modal::Picker {
            choices, cursor, ..
        }) = &mut state.library.modal
        {
            *choices = fresh;
            cursor.clamp(choices.len(), rows);
        }
    }
}

fn picker_rows(state: &AppState) -> usize {
    crate::app::geometry::picker_rows(state.size)
}

fn is_text_key(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// Handles a key while a modal is open.
pub(super) fn on_key(state: &mut AppState, key: &KeyEvent, now: Instant) -> Vec<Action> {
    let mut out = Vec::new();
    let Some(modal) = state.library.modal.take() else {
        return out;
    };
    let keep = match modal {
        Modal::Confirm { question, action } => {
            confirm_key(state, question, action, key, now, &mut out)
        }
        Modal::Picker {
            uris,
            entries,
            choices,
            cursor,
        } => {
            let picker = Picker {
                uris,
                entries,
                choices,
                cursor,
            };
            let intent = state.keymap.lookup_in(Mode::Popup, key);
            picker_intent(state, picker, intent, now, &mut out)
        }
        Modal::MoveTo { input, from, len } => {
            move_to_key(state, input, from, len, key, now, &mut out)
        }
        Modal::OpenById { input } => open_by_id_key(state, input, key, now, &mut out),
        Modal::Form(form) => form_key(state, form, key, now, &mut out),
        Modal::Cover {
            playlist_id,
            name,
            images,
            input,
        } => {
            let cover = Cover {
                playlist_id,
                name,
                images,
                input,
            };
            cover_key(state, cover, key, now, &mut out)
        }
    };
    if state.library.modal.is_none() {
        state.library.modal = keep;
    }
    out
}

/// An intent that reached an open modal without a key (mouse wheel): only
/// the playlist picker moves.
pub(super) fn on_intent(state: &mut AppState, intent: Intent, now: Instant) -> Vec<Action> {
    let mut out = Vec::new();
    if let Some(Modal::Picker {
        uris,
        entries,
        choices,
        cursor,
    }) = state.library.modal.take()
    {
        let picker = Picker {
            uris,
            entries,
            choices,
            cursor,
        };
        let keep = picker_intent(state, picker, Some(intent), now, &mut out);
        if state.library.modal.is_none() {
            state.library.modal = keep;
        }
    }
    out
}

fn confirm_key(
    state: &mut AppState,
    question: String,
    action: Confirmed,
    key: &KeyEvent,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Modal> {
    match state.keymap.lookup_in(Mode::Question, key) {
        Some(Intent::Yes) => {
            confirmed(state, action, now, out);
            None
        }
        Some(Intent::No | Intent::Back) => {
            state.info("Nothing changed.", now);
            None
        }
        _ => Some(Modal::Confirm { question, action }),
    }
}

/// The picker's fields, while it is out of the state.
struct Picker {
    uris: Vec<String>,
    entries: Option<Vec<PlaylistEntry>>,
    choices: Vec<(String, String)>,
    cursor: ListCursor,
}

impl Picker {
    fn into_modal(self) -> Modal {
        Modal::Picker {
            uris: self.uris,
            entries: self.entries,
            choices: self.choices,
            cursor: self.cursor,
        }
    }
}

fn picker_intent(
    state: &mut AppState,
    mut picker: Picker,
    intent: Option<Intent>,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Modal> {
    match intent {
        Some(Intent::Back) => {
            state.info("Nothing added.", now);
            close_picker(state);
            None
        }
        Some(Intent::Select) => {
            add_to_chosen(state, picker, now, out);
            close_picker(state);
            None
        }
        Some(i) => {
            let rows = picker_rows(state);
            picker.cursor.navigate(i, picker.choices.len(), rows);
            Some(picker.into_modal())
        }
        None => Some(picker.into_modal()),
    }
}

/// Adds the picker's items to the chosen playlist.
fn add_to_chosen(state: &mut AppState, picker: Picker, now: Instant, out: &mut Vec<Action>) {
    let Some((pid, _)) = picker.choices.get(picker.cursor.selected) else {
        state.info("No playlist you can edit yet; create one with N.", now);
        return;
    };
    let pid = pid.clone();
    let n = picker.uris.len();
    let edit = Edit::Add {
        position: None,
        uris: picker.uris,
        entries: picker.entries,
    };
    if let Some(a) = edit::send(state, &pid, edit, VecDeque::new(), Origin::Edit, now) {
        out.push(a);
        let name = state.library.playlist_name(&pid).unwrap_or_default();
        state.info(format!("Adding {n} item(s) to “{name}”…"), now);
    }
}

/// What a key did to a one-line text field.
enum TextKey {
    /// Esc: close the modal.
    Cancel,
    /// Enter: act on the text.
    Submit,
    /// The text changed (or the key was ignored).
    Edited,
}

/// True when the key is bound to clearing a text field (`ctrl-u`).
fn clears(state: &AppState, key: &KeyEvent) -> bool {
    state.keymap.lookup_in(Mode::Text, key) == Some(Intent::ClearField)
}

/// Applies a key to a text field of at most `limit` characters that takes
/// `accept`ed ones; `clear` empties it.
fn edit_text(
    input: &mut String,
    key: &KeyEvent,
    clear: bool,
    limit: usize,
    accept: fn(&char) -> bool,
) -> TextKey {
    if clear {
        input.clear();
        return TextKey::Edited;
    }
    match key.code {
        KeyCode::Esc => TextKey::Cancel,
        KeyCode::Enter => TextKey::Submit,
        KeyCode::Backspace => {
            input.pop();
            TextKey::Edited
        }
        _ => {
            if let Some(c) = is_text_key(key).filter(accept)
                && input.chars().count() < limit
            {
                input.push(c);
            }
            TextKey::Edited
        }
    }
}

fn move_to_key(
    state: &mut AppState,
    mut input: String,
    from: u32,
    len: u32,
    key: &KeyEvent,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Modal> {
    match edit_text(&mut input, key, clears(state, key), 7, char::is_ascii_digit) {
        TextKey::Cancel => None,
        TextKey::Edited => Some(Modal::MoveTo { input, from, len }),
        TextKey::Submit => match input.parse::<u32>() {
            Ok(p) if (1..=len).contains(&p) => {
                let to = p - 1;
                if to == from {
                    state.info("The item is already there.", now);
                } else {
                    let edit = Edit::Move {
                        from,
                        insert_before: insert_before_for(from, to),
                    };
                    out.extend(edit::send_open(state, edit, now));
                }
                None
            }
            _ => {
                state.error(format!("Type a position from 1 to {len}."), now);
                Some(Modal::MoveTo { input, from, len })
            }
        },
    }
}

fn open_by_id_key(
    state: &mut AppState,
    mut input: String,
    key: &KeyEvent,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Modal> {
    match edit_text(&mut input, key, clears(state, key), 200, |_| true) {
        TextKey::Cancel => None,
        TextKey::Edited => Some(Modal::OpenById { input }),
        TextKey::Submit => match crate::spotify::ids::parse_id("playlist", &input) {
            Some(id) => {
                super::open_by_id(state, &id, out);
                None
            }
            None => {
                state.error(
                    "That is not a playlist id, spotify:playlist: URI or open.spotify.com link.",
                    now,
                );
                Some(Modal::OpenById { input })
            }
        },
    }
}

/// The cover modal's fields, while it is out of the state.
struct Cover {
    playlist_id: String,
    name: String,
    images: Option<Result<Vec<ImageRef>, String>>,
    input: String,
}

impl Cover {
    fn into_modal(self) -> Modal {
        Modal::Cover {
            playlist_id: self.playlist_id,
            name: self.name,
            images: self.images,
            input: self.input,
        }
    }
}

fn cover_key(
    state: &mut AppState,
    mut cover: Cover,
    key: &KeyEvent,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Modal> {
    let clear = clears(state, key);
    match edit_text(&mut cover.input, key, clear, usize::MAX, |_| true) {
        TextKey::Cancel => None,
        TextKey::Edited => Some(cover.into_modal()),
        TextKey::Submit => upload_cover(state, cover, now, out),
    }
}

/// Uploads the typed path as the cover, when the playlist may be changed.
fn upload_cover(
    state: &mut AppState,
    cover: Cover,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Modal> {
    let home = std::env::var("HOME").ok();
    let path = expand_home(cover.input.trim(), home.as_deref());
    if path.is_empty() {
        state.info("Type the path of an image file first.", now);
        return Some(cover.into_modal());
    }
    let Some(summary) = state.library.find(&cover.playlist_id).cloned() else {
        state.error("That playlist is no longer in your library.", now);
        return None;
    };
    if let Err(why) = may_edit(state, &summary) {
        state.error(why, now);
        return None;
    }
    let (_, a) = request(
        state,
        Req::Upload(cover.playlist_id.clone()),
        Request::UploadCover {
            playlist_id: cover.playlist_id,
            path: path.clone(),
        },
        Priority::User,
    );
    out.push(a);
    state.info(
        format!("Uploading {path} as the cover of “{}”…", cover.name),
        now,
    );
    None
}

/// `~` and `~/…` name the home directory, as in a shell.
fn expand_home(path: &str, home: Option<&str>) -> String {
    match (path.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            format!("{}{rest}", home.trim_end_matches('/'))
        }
        _ => path.to_string(),
    }
}

fn close_picker(state: &mut AppState) {
    if state.library.return_to_player {
        state.library.return_to_player = false;
        state.screen = Screen::Player;
    }
}

fn confirmed(state: &mut AppState, action: Confirmed, now: Instant, out: &mut Vec<Action>) {
    match action {
        Confirmed::Remove {
            playlist_id,
            items,
            entries,
        } => {
            let edit = Edit::Remove { items, entries };
            if let Some(a) = edit::send(
                state,
                &playlist_id,
                edit,
                VecDeque::new(),
                Origin::Edit,
                now,
            ) {
                out.push(a);
                state.info("Removing…", now);
            }
        }
        Confirmed::Unfollow { playlist_id } => {
            let (_, a) = request(
                state,
                Req::Unfollow(playlist_id.clone()),
                Request::Unfollow { playlist_id },
                Priority::User,
            );
            out.push(a);
            state.info("Unfollowing…", now);
        }
    }
}

fn form_key(
    state: &mut AppState,
    mut form: Form,
    key: &KeyEvent,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Modal> {
    let text_step = form.step < 2;
    if text_step && clears(state, key) {
        field(&mut form).clear();
        return Some(Modal::Form(form));
    }
    match key.code {
        KeyCode::Esc => {
            state.info("Nothing changed.", now);
            return None;
        }
        KeyCode::BackTab | KeyCode::Up => {
            form.step = form.step.saturating_sub(1);
            return Some(Modal::Form(form));
        }
        KeyCode::Backspace if text_step => {
            field(&mut form).pop();
            return Some(Modal::Form(form));
        }
        KeyCode::Enter | KeyCode::Tab | KeyCode::Down => {}
        _ => {
            let Some(c) = is_text_key(key) else {
                return Some(Modal::Form(form));
            };
            if text_step {
                field(&mut form).push(c);
                return Some(Modal::Form(form));
            }
            let answer = state.keymap.lookup_in(Mode::Question, key);
            let flag = if form.step == 2 {
                &mut form.public
            } else {
                &mut form.collaborative
            };
            match (answer, c) {
                (Some(Intent::Yes), _) => *flag = true,
                (Some(Intent::No), _) => *flag = false,
                (_, ' ') => {
                    *flag = !*flag;
                    return Some(Modal::Form(form));
                }
                _ => return Some(Modal::Form(form)),
            }
            if form.step + 1 == FORM_STEPS {
                // The last answer does not submit: a quick second key (or
                // the next enter) must not act before the user sees the form.
                if form.public && form.collaborative {
                    state.error(PUBLIC_COLLABORATIVE, now);
                    form.step = 2;
                } else {
                    state.info("Press enter to save.", now);
                }
                return Some(Modal::Form(form));
            }
        }
    }
    // Advance to the next field, or submit after the last one.
    if form.step == 0 && form.name.trim().is_empty() {
        state.error("A playlist needs a name.", now);
        return Some(Modal::Form(form));
    }
    if form.step + 1 < FORM_STEPS {
        form.step += 1;
        return Some(Modal::Form(form));
    }
    submit(state, form, now, out)
}

fn field(form: &mut Form) -> &mut String {
    if form.step == 0 {
        &mut form.name
    } else {
        &mut form.description
    }
}

/// The seeds' rule: a playlist cannot be public and collaborative at once.
pub const PUBLIC_COLLABORATIVE: &str = "A collaborative playlist must be private: Spotify does not allow public and collaborative at once. Set public to n or collaborative to n.";

fn submit(
    state: &mut AppState,
    mut form: Form,
    now: Instant,
    out: &mut Vec<Action>,
) -> Option<Modal> {
    if form.public && form.collaborative {
        state.error(PUBLIC_COLLABORATIVE, now);
        form.step = 2;
        return Some(Modal::Form(form));
    }
    let name = form.name.trim().to_string();
    match &form.purpose {
        FormPurpose::Create => {
            let (_, a) = request(
                state,
                Req::Create,
                Request::CreatePlaylist {
                    name: name.clone(),
                    description: form.description.clone(),
                    public: form.public,
                    collaborative: form.collaborative,
                },
                Priority::User,
            );
            out.push(a);
            state.info(format!("Creating “{name}”…"), now);
            None
        }
        FormPurpose::Edit { playlist_id, old } => {
            let new = Details {
                name,
                description: form.description.clone(),
                public: Some(form.public),
                collaborative: form.collaborative,
            };
            let unchanged = new.name == old.name
                && new.description == old.description
                && new.public.unwrap_or(false) == old.public.unwrap_or(false)
                && new.collaborative == old.collaborative;
            if unchanged {
                state.info("Nothing changed.", now);
                return None;
            }
            let edit = Edit::Details {
                old: old.clone(),
                new,
            };
            if let Some(a) =
                edit::send(state, playlist_id, edit, VecDeque::new(), Origin::Edit, now)
            {
                out.push(a);
                state.info("Saving details…", now);
            }
            None
        }
    }
}

/// Appends pasted text to the open text field; false when no text field is open.
pub(super) fn paste(state: &mut AppState, text: &str) -> bool {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    match &mut state.library.modal {
        Some(Modal::Form(f)) if f.step < 2 => {
            field(f).push_str(&clean);
            true
        }
        Some(Modal::MoveTo { input, .. }) => {
            input.extend(clean.chars().filter(char::is_ascii_digit).take(7));
            true
        }
        Some(Modal::Cover { input, .. }) | Some(Modal::OpenById { input }) => {
            input.push_str(&clean);
            true
        }
        _ => false,
    }
}
