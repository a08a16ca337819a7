//! The library's modals (confirmation, playlist picker, prompts, the details
//! form, the cover view) and their keys. While one is open it gets every key.

use std::collections::VecDeque;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::edit;
use super::{Confirmed, Details, Edit, Form, FormPurpose, Modal};
use super::{Req, may_edit, request};
use crate::app::action::Action;
use crate::app::intent::Intent;
use crate::app::state::edits::insert_before_for;
use crate::app::state::modal::FORM_STEPS;
use crate::app::state::{AppState, Screen};
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
pub(super) fn on_key(
    state: &mut AppState,
    key: &KeyEvent,
    intent: Option<Intent>,
    now: Instant,
) -> Vec<Action> {
    let mut out = Vec::new();
    let Some(modal) = state.library.modal.take() else {
        return out;
    };
    let keep = match modal {
        Modal::Confirm { question, action } => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => {
                confirmed(state, action, now, &mut out);
                None
            }
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                state.info("Nothing changed.", now);
                None
            }
            _ => Some(Modal::Confirm { question, action }),
        },
        Modal::Picker {
            uris,
            entries,
            choices,
            mut cursor,
        } => {
            let rows = picker_rows(state);
            match (key.code, intent) {
                (KeyCode::Esc, _) => {
                    state.info("Nothing added.", now);
                    close_picker(state);
                    None
                }
                (KeyCode::Enter, _) => {
                    match choices.get(cursor.selected) {
                        Some((pid, _)) => {
                            let pid = pid.clone();
                            let n = uris.len();
                            let edit = Edit::Add {
                                position: None,
                                uris: uris.clone(),
                                entries: entries.clone(),
                            };
                            if let Some(a) =
                                edit::send(state, &pid, edit, VecDeque::new(), false, now)
                            {
                                out.push(a);
                                let name = state.library.playlist_name(&pid).unwrap_or_default();
                                state.info(format!("Adding {n} item(s) to “{name}”…"), now);
                            }
                        }
                        None => state.info("No playlist you can edit yet; create one with N.", now),
                    }
                    close_picker(state);
                    None
                }
                (_, Some(i)) => {
                    let delta = match i {
                        Intent::Up => -1,
                        Intent::Down => 1,
                        Intent::PageUp => -(rows as isize),
                        Intent::PageDown => rows as isize,
                        Intent::Top => isize::MIN / 2,
                        Intent::Bottom => isize::MAX / 2,
                        _ => 0,
                    };
                    cursor.step(delta, choices.len(), rows);
                    Some(Modal::Picker {
                        uris,
                        entries,
                        choices,
                        cursor,
                    })
                }
                _ => Some(Modal::Picker {
                    uris,
                    entries,
                    choices,
                    cursor,
                }),
            }
        }
        Modal::MoveTo {
            mut input,
            from,
            len,
        } => match key.code {
            KeyCode::Esc => None,
            KeyCode::Backspace => {
                input.pop();
                Some(Modal::MoveTo { input, from, len })
            }
            KeyCode::Enter => match input.parse::<u32>() {
                Ok(p) if (1..=len).contains(&p) => {
                    let to = p - 1;
                    if to == from {
                        state.info("The item is already there.", now);
                    } else {
                        out.extend(edit::send_open(
                            state,
                            Edit::Move {
                                from,
                                insert_before: insert_before_for(from, to),
                            },
                            now,
                        ));
                    }
                    None
                }
                _ => {
                    state.error(format!("Type a position from 1 to {len}."), now);
                    Some(Modal::MoveTo { input, from, len })
                }
            },
            _ => {
                if let Some(c) = is_text_key(key).filter(char::is_ascii_digit)
                    && input.len() < 7
                {
                    input.push(c);
                }
                Some(Modal::MoveTo { input, from, len })
            }
        },
        Modal::OpenById { mut input } => match key.code {
            KeyCode::Esc => None,
            KeyCode::Backspace => {
                input.pop();
                Some(Modal::OpenById { input })
            }
            KeyCode::Enter => match crate::spotify::ids::parse_id("playlist", &input) {
                Some(id) => {
                    super::open_by_id(state, &id, &mut out);
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
            _ => {
                if let Some(c) = is_text_key(key)
                    && input.len() < 200
                {
                    input.push(c);
                }
                Some(Modal::OpenById { input })
            }
        },
        Modal::Form(form) => form_key(state, form, key, now, &mut out),
        Modal::Cover {
            playlist_id,
            name,
            images,
            mut input,
        } => match key.code {
            KeyCode::Esc => None,
            KeyCode::Backspace => {
                input.pop();
                Some(Modal::Cover {
                    playlist_id,
                    name,
                    images,
                    input,
                })
            }
            KeyCode::Enter => {
                let path = input.trim().to_string();
                let summary = state.library.find(&playlist_id).cloned();
                let allowed = summary.as_ref().map(|s| may_edit(state, s));
                match allowed {
                    _ if path.is_empty() => {
                        state.info("Type the path of an image file first.", now);
                        Some(Modal::Cover {
                            playlist_id,
                            name,
                            images,
                            input,
                        })
                    }
                    Some(Ok(())) => {
                        let (_, a) = request(
                            state,
                            Req::Upload(playlist_id.clone()),
                            Request::UploadCover {
                                playlist_id,
                                path: path.clone(),
                            },
                            Priority::User,
                        );
                        out.push(a);
                        state.info(format!("Uploading {path} as the cover of “{name}”…"), now);
                        None
                    }
                    Some(Err(why)) => {
                        state.error(why, now);
                        None
                    }
                    None => {
                        state.error("That playlist is no longer in your library.", now);
                        None
                    }
                }
            }
            _ => {
                if let Some(c) = is_text_key(key) {
                    input.push(c);
                }
                Some(Modal::Cover {
                    playlist_id,
                    name,
                    images,
                    input,
                })
            }
        },
    };
    if state.library.modal.is_none() {
        state.library.modal = keep;
    }
    out
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
            if let Some(a) = edit::send(state, &playlist_id, edit, VecDeque::new(), false, now) {
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
            let flag = if form.step == 2 {
                &mut form.public
            } else {
                &mut form.collaborative
            };
            match c {
                'y' | 'Y' => *flag = true,
                'n' | 'N' => *flag = false,
                ' ' => {
                    *flag = !*flag;
                    return Some(Modal::Form(form));
                }
                _ => return Some(Modal::Form(form)),
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
            if let Some(a) = edit::send(state, playlist_id, edit, VecDeque::new(), false, now) {
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
