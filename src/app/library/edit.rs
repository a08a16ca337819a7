//! Playlist edits: what is sent, what changes locally once Spotify confirms,
//! and how each edit is undone.

use std::collections::VecDeque;
use std::time::Instant;

use super::{Edit, Req, UndoRecord, item_rows, reload_playlist, request};
use crate::app::action::Action;
use crate::app::state::AppState;
use crate::app::state::edits::{InFlight, insert_before_for, moved_to};
use crate::domain::{ItemKind, PlaylistEntry};
use crate::spotify::error::ApiError;
use crate::spotify::request::{Priority, Request};

/// The request that carries out `edit` on a playlist at `snapshot_id`.
fn request_for(
    edit: &Edit,
    playlist_id: &str,
    snapshot_id: &str,
    current_uris: Vec<String>,
) -> Request {
    let playlist_id = playlist_id.to_string();
    let snapshot_id = snapshot_id.to_string();
    match edit {
        Edit::Remove { items, .. } => Request::RemovePositions {
            playlist_id,
            items: items.clone(),
            current_uris,
            snapshot_id,
        },
        Edit::Move {
            from,
            insert_before,
        } => Request::Reorder {
            playlist_id,
            range_start: *from,
            range_length: 1,
            insert_before: *insert_before,
            snapshot_id,
        },
        Edit::Add { position, uris, .. } => Request::AddItems {
            playlist_id,
            uris: uris.clone(),
            position: *position,
            snapshot_id: position.map(|_| snapshot_id.clone()),
        },
        Edit::Details { old, new } => Request::ChangeDetails {
            playlist_id,
            name: (new.name != old.name).then(|| new.name.clone()),
            description: (new.description != old.description).then(|| new.description.clone()),
            public: new.public.filter(|_| new.public != old.public),
            collaborative: (new.collaborative != old.collaborative).then_some(new.collaborative),
        },
    }
}

/// The edits that undo `record`, in order.
fn undo_edits(record: &UndoRecord) -> VecDeque<Edit> {
    match record {
        UndoRecord::ReAdd { runs, .. } => runs
            .iter()
            .map(|(pos, entries)| Edit::Add {
                position: Some(*pos),
                uris: entries.iter().map(|e| e.track.uri.clone()).collect(),
                entries: Some(entries.clone()),
            })
            .collect(),
        UndoRecord::Move {
            from,
            insert_before,
            ..
        } => VecDeque::from([Edit::Move {
            from: *from,
            insert_before: *insert_before,
        }]),
        UndoRecord::RemoveAdded { items, .. } => VecDeque::from([Edit::Remove {
            items: items.clone(),
            entries: Vec::new(),
        }]),
        UndoRecord::Details { current, old, .. } => VecDeque::from([Edit::Details {
            old: current.clone(),
            new: old.clone(),
        }]),
    }
}

/// Sends an edit unless another edit of the same playlist is running.
pub(super) fn send(
    state: &mut AppState,
    playlist_id: &str,
    edit: Edit,
    rest: VecDeque<Edit>,
    is_undo: bool,
    now: Instant,
) -> Option<Action> {
    let Some(summary) = state.library.find(playlist_id).cloned() else {
        state.error("That playlist is no longer in your library.", now);
        return None;
    };
    if state.library.is_busy(playlist_id) {
        state.error(
            format!(
                "“{}” is still saving or reloading; try again when it finishes.",
                summary.name
            ),
            now,
        );
        return None;
    }
    // The API removes by URI (every copy), so removal needs the whole list to
    // keep the other copies; when it is not loaded here, the worker reads it.
    let current_uris: Option<Vec<String>> = state
        .library
        .open
        .as_ref()
        .filter(|o| o.summary.id == playlist_id && o.items.done)
        .map(|o| {
            o.items
                .slots
                .iter()
                .map(|e| e.as_ref().map(|e| e.track.uri.clone()).unwrap_or_default())
                .collect()
        });
    let call = request_for(
        &edit,
        playlist_id,
        &summary.snapshot_id,
        current_uris.unwrap_or_default(),
    );
    let total_before = state
        .library
        .open
        .as_ref()
        .filter(|o| o.summary.id == playlist_id && o.items.done)
        .map_or(summary.total, |o| o.items.len() as u32);
    let (id, action) = request(state, Req::Edit(playlist_id.into()), call, Priority::User);
    state.library.edits.push(InFlight {
        id,
        playlist_id: playlist_id.into(),
        edit,
        rest,
        is_undo,
        total_before,
    });
    Some(action)
}

/// Sends an edit of the open playlist.
pub(super) fn send_open(state: &mut AppState, edit: Edit, now: Instant) -> Option<Action> {
    let id = state.library.open.as_ref()?.summary.id.clone();
    let a = send(state, &id, edit, VecDeque::new(), false, now)?;
    state.info("Saving…", now);
    Some(a)
}

/// Undoes the last confirmed edit.
pub(super) fn undo(state: &mut AppState, now: Instant) -> Vec<Action> {
    let Some(record) = state.library.undo.pop() else {
        state.info("Nothing to undo.", now);
        return Vec::new();
    };
    let pid = record.playlist_id().to_string();
    let mut edits = undo_edits(&record);
    let Some(first) = edits.pop_front() else {
        return Vec::new();
    };
    match send(state, &pid, first, edits, true, now) {
        Some(a) => {
            state.info("Undoing the last edit…", now);
            vec![a]
        }
        None => {
            // Keep it for a later try.
            state.library.undo.push(record);
            Vec::new()
        }
    }
}

/// Handles the answer to an edit. `snapshot` is the new snapshot id when the call returns one.
pub(super) fn finished(
    state: &mut AppState,
    id: u64,
    result: Result<Option<String>, ApiError>,
    now: Instant,
) -> Vec<Action> {
    let mut out = Vec::new();
    let Some(idx) = state.library.edits.iter().position(|e| e.id == id) else {
        return out;
    };
    let done = state.library.edits.remove(idx);
    let name = state
        .library
        .playlist_name(&done.playlist_id)
        .unwrap_or_else(|| "the playlist".into());
    match result {
        Ok(snapshot) => {
            if let Some(s) = &snapshot {
                state
                    .library
                    .update_summary(&done.playlist_id, |p| p.snapshot_id.clone_from(s));
            }
            apply(state, &done, &mut out);
            if snapshot.is_some() {
                out.extend(super::remember_rows(state, &done.playlist_id));
            }
            if !done.is_undo
                && let Some(r) = undo_record(&done)
            {
                state.library.undo.push(r);
            }
            let mut rest = done.rest.clone();
            if let Some(next) = rest.pop_front() {
                if let Some(a) = send(state, &done.playlist_id, next, rest, done.is_undo, now) {
                    out.push(a);
                }
            } else {
                let msg = confirmation(&done, &name);
                state.info(msg, now);
            }
            if snapshot.is_none() {
                // Calls without a snapshot in the answer: fetch the new one before the next edit.
                reload_metadata(state, &done.playlist_id, &mut out);
            }
        }
        Err(f) => {
            if f.is_conflict() {
                // Positions recorded for undo may no longer match the playlist.
                forget(state, &done.playlist_id);
                state.error(
                    format!(
                        "“{name}” changed elsewhere, so your edit was not applied and nothing else was touched. Reloaded it; try again."
                    ),
                    now,
                );
            } else {
                state.error(
                    format!(
                        "{} The edit of “{name}” was not applied; reloaded it as Spotify has it.",
                        f.sentence()
                    ),
                    now,
                );
            }
            reload_playlist(state, &done.playlist_id, &mut out);
        }
    }
    out
}

pub(super) fn reload_metadata(state: &mut AppState, playlist_id: &str, out: &mut Vec<Action>) {
    let (_, a) = request(
        state,
        Req::Playlist(playlist_id.into()),
        Request::GetPlaylist {
            playlist_id: playlist_id.into(),
        },
        Priority::VisiblePane,
    );
    out.push(a);
}

fn confirmation(done: &InFlight, name: &str) -> String {
    let undo = if done.is_undo { "Undone: " } else { "" };
    match &done.edit {
        Edit::Remove { items, .. } => {
            format!("{undo}removed {} item(s) from “{name}”.", items.len())
        }
        Edit::Move {
            from,
            insert_before,
        } => format!(
            "{undo}moved item {} to position {} in “{name}”.",
            from + 1,
            moved_to(*from, *insert_before) + 1
        ),
        Edit::Add { uris, .. } => format!("{undo}added {} item(s) to “{name}”.", uris.len()),
        Edit::Details { .. } => format!("{undo}saved the details of “{name}”."),
    }
}

/// The record that undoes a confirmed edit; `None` when it cannot be undone.
fn undo_record(done: &InFlight) -> Option<UndoRecord> {
    let playlist_id = done.playlist_id.clone();
    match &done.edit {
        Edit::Remove { items, entries } => {
            // Local files cannot be added back through the API: undo restores the rest,
            // at positions shifted by the local files that stay gone.
            let mut runs: Vec<(u32, Vec<PlaylistEntry>)> = Vec::new();
            let mut locals_before = 0u32;
            for ((pos, _), entry) in items.iter().zip(entries) {
                if entry.track.kind == ItemKind::Local {
                    locals_before += 1;
                    continue;
                }
                let at = pos - locals_before;
                match runs.last_mut() {
                    Some((start, run)) if *start + run.len() as u32 == at => {
                        run.push(entry.clone())
                    }
                    _ => runs.push((at, vec![entry.clone()])),
                }
            }
            (!runs.is_empty() && entries.len() == items.len())
                .then_some(UndoRecord::ReAdd { playlist_id, runs })
        }
        Edit::Move {
            from,
            insert_before,
        } => {
            let now_at = moved_to(*from, *insert_before);
            Some(UndoRecord::Move {
                playlist_id,
                from: now_at,
                insert_before: insert_before_for(now_at, *from),
            })
        }
        Edit::Add { position, uris, .. } => {
            let start = position.unwrap_or(done.total_before);
            Some(UndoRecord::RemoveAdded {
                playlist_id,
                items: uris
                    .iter()
                    .enumerate()
                    .map(|(k, u)| (start + k as u32, u.clone()))
                    .collect(),
            })
        }
        Edit::Details { old, new } => Some(UndoRecord::Details {
            playlist_id,
            current: new.clone(),
            old: old.clone(),
        }),
    }
}

/// Changes the local copy after Spotify confirmed the edit.
fn apply(state: &mut AppState, done: &InFlight, out: &mut Vec<Action>) {
    let rows = item_rows(state);
    let pid = done.playlist_id.as_str();
    let lib = &mut state.library;
    match &done.edit {
        Edit::Remove { items, .. } => {
            let n = items.len() as u32;
            lib.update_summary(pid, |p| p.total = p.total.saturating_sub(n));
            if let Some(o) = lib
                .open
                .as_mut()
                .filter(|o| o.summary.id == pid && o.items.done)
            {
                for (pos, _) in items.iter().rev() {
                    if (*pos as usize) < o.items.slots.len() {
                        o.items.slots.remove(*pos as usize);
                    }
                }
                o.marks.clear();
                o.refresh_view(rows);
            }
        }
        Edit::Move {
            from,
            insert_before,
        } => {
            if let Some(o) = lib
                .open
                .as_mut()
                .filter(|o| o.summary.id == pid && o.items.done)
            {
                let (from, to) = (*from as usize, moved_to(*from, *insert_before) as usize);
                if from < o.items.slots.len() && to < o.items.slots.len() {
                    let row = o.items.slots.remove(from);
                    o.items.slots.insert(to, row);
                    o.marks.clear();
                    o.refresh_view(rows);
                    // Follow the moved item when it is shown.
                    if let Some(v) = o.view.iter().position(|&i| i == to) {
                        o.cursor.select(v, o.view.len(), rows);
                    }
                }
            }
        }
        Edit::Add {
            position,
            uris,
            entries,
        } => {
            let n = uris.len() as u32;
            lib.update_summary(pid, |p| p.total += n);
            let is_open = lib.open.as_ref().is_some_and(|o| o.summary.id == pid);
            let open = lib
                .open
                .as_mut()
                .filter(|o| o.summary.id == pid && o.items.done);
            if let (Some(o), Some(entries)) = (open, entries) {
                let at = position.map_or(o.items.slots.len(), |p| p as usize);
                let at = at.min(o.items.slots.len());
                for (k, e) in entries.iter().enumerate() {
                    o.items.slots.insert(at + k, Some(e.clone()));
                }
                o.marks.clear();
                o.refresh_view(rows);
            } else if is_open {
                super::load_items(state, pid, out);
            }
        }
        Edit::Details { new, .. } => {
            lib.update_summary(pid, |p| {
                p.name.clone_from(&new.name);
                p.description.clone_from(&new.description);
                p.public = new.public.or(p.public);
                p.collaborative = new.collaborative;
            });
        }
    }
}

/// Drops undo records of a playlist that is gone.
pub(super) fn forget(state: &mut AppState, playlist_id: &str) {
    state
        .library
        .undo
        .retain(|r| r.playlist_id() != playlist_id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn move_semantics_match_spotify_docs() {
        // Down by one: insert_before = i + 2.
        assert_eq!(insert_before_for(3, 4), 5);
        assert_eq!(moved_to(3, 5), 4);
        // Up by one: insert_before = i - 1.
        assert_eq!(insert_before_for(3, 2), 2);
        assert_eq!(moved_to(3, 2), 2);
        // First to last of ten.
        assert_eq!(insert_before_for(0, 9), 10);
    }

    #[test]
    fn undo_of_a_move_puts_it_back() {
        for (from, ib) in [(3u32, 5u32), (3, 2), (0, 10), (9, 0)] {
            let done = InFlight {
                id: 1,
                playlist_id: "p".into(),
                edit: Edit::Move {
                    from,
                    insert_before: ib,
                },
                rest: VecDeque::new(),
                is_undo: false,
                total_before: 10,
            };
            let Some(UndoRecord::Move {
                from: f2,
                insert_before: ib2,
                ..
            }) = undo_record(&done)
            else {
                panic!("no undo");
            };
            let mut v: Vec<u32> = (0..10).collect();
            let x = v.remove(from as usize);
            v.insert(moved_to(from, ib) as usize, x);
            let y = v.remove(f2 as usize);
            v.insert(moved_to(f2, ib2) as usize, y);
            assert_eq!(v, (0..10).collect::<Vec<_>>(), "from {from} ib {ib}");
        }
    }
}
