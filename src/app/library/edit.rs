//! Playlist edits: what is sent, what changes locally once Spotify confirms,
//! and how each edit is undone.

use std::collections::VecDeque;
use std::time::Instant;

use super::{Edit, Req, UndoRecord, item_rows, reload_playlist, request};
use crate::app::action::Action;
use crate::app::intent::Intent;
use crate::app::state::AppState;
use crate::app::state::edits::{Done, InFlight, Origin, insert_before_for, moved_to};
use crate::domain::{ItemKind, PlaylistEntry, items_text};
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
        // Not item edits: [`undo`] handles them.
        UndoRecord::Unfollow { .. } | UndoRecord::Irreversible { .. } => VecDeque::new(),
    }
}

/// Sends an edit unless another edit of the same playlist is running.
pub(super) fn send(
    state: &mut AppState,
    playlist_id: &str,
    edit: Edit,
    rest: VecDeque<Edit>,
    origin: Origin,
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
        origin,
        total_before,
    });
    Some(action)
}

/// Sends an edit of the open playlist.
pub(super) fn send_open(state: &mut AppState, edit: Edit, now: Instant) -> Option<Action> {
    let id = state.library.open.as_ref()?.summary.id.clone();
    let a = send(state, &id, edit, VecDeque::new(), Origin::Edit, now)?;
    state.info("Saving…", now);
    Some(a)
}

/// Undoes the most recent confirmed edit, whatever playlist it was in, and
/// says which one first.
pub(super) fn undo(state: &mut AppState, now: Instant) -> Vec<Action> {
    let Some(done) = state.library.undo.pop() else {
        state.info("Nothing to undo.", now);
        return Vec::new();
    };
    let pid = done.record.playlist_id().to_string();
    match &done.record {
        UndoRecord::Irreversible { why, .. } => {
            state.info(
                format!(
                    "The last edit ({}) cannot be undone: {why} Nothing was changed; press {} again for the edit before it.",
                    lower_first(&done.what),
                    state.keymap.first_key(Intent::Undo)
                ),
                now,
            );
            return Vec::new();
        }
        UndoRecord::Unfollow { .. } => {
            let (_, a) = request(
                state,
                Req::UndoCreate(pid.clone()),
                Request::Unfollow { playlist_id: pid },
                Priority::User,
            );
            state.info(
                format!("Undoing: {} — unfollowing it…", lower_first(&done.what)),
                now,
            );
            return vec![a];
        }
        _ => {}
    }
    reverse(state, done, false, now)
}

/// Applies the most recently undone edit again.
pub(super) fn redo(state: &mut AppState, now: Instant) -> Vec<Action> {
    let Some(done) = state.library.redo.pop() else {
        state.info("Nothing to redo.", now);
        return Vec::new();
    };
    reverse(state, done, true, now)
}

/// Sends the item edits that reverse `done` (an undo, or a redo when
/// `redo`); while the playlist is busy the record goes back where it was.
fn reverse(state: &mut AppState, done: Done, redo: bool, now: Instant) -> Vec<Action> {
    let pid = done.record.playlist_id().to_string();
    let mut edits = undo_edits(&done.record);
    let Some(first) = edits.pop_front() else {
        return Vec::new();
    };
    let what = done.what.clone();
    let (origin, verb) = if redo {
        (Origin::Redo { what }, "Redoing")
    } else {
        let redo = edits.is_empty();
        (Origin::Undo { what, redo }, "Undoing")
    };
    match send(state, &pid, first, edits, origin, now) {
        Some(a) => {
            state.info(format!("{verb}: {}…", lower_first(&done.what)), now);
            vec![a]
        }
        None => {
            // Busy: keep it for a later try (a playlist gone is dropped).
            if state.library.is_busy(&pid) {
                let history = if redo {
                    &mut state.library.redo
                } else {
                    &mut state.library.undo
                };
                history.push(done);
            }
            Vec::new()
        }
    }
}

/// Records a confirmed edit made outside the item edits (create, unfollow,
/// cover upload) so that undo takes it first.
pub(super) fn record(state: &mut AppState, record: UndoRecord, what: String) {
    state.library.redo.clear();
    state.library.undo.push(Done { record, what });
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
            let what = confirmation(&done, &name);
            let reverse = undo_record(&done);
            match (&done.origin, reverse) {
                (Origin::Edit, Some(record)) => {
                    state.library.redo.clear();
                    state.library.undo.push(Done {
                        record,
                        what: what.clone(),
                    });
                }
                (Origin::Edit, None) => state.library.redo.clear(),
                (Origin::Undo { what, redo: true }, Some(record)) => {
                    let what = what.clone();
                    state.library.redo.push(Done { record, what });
                }
                (Origin::Redo { what }, Some(record)) => {
                    let what = what.clone();
                    state.library.undo.push(Done { record, what });
                }
                _ => {}
            }
            let mut rest = done.rest.clone();
            if let Some(next) = rest.pop_front() {
                let origin = done.origin.clone();
                if let Some(a) = send(state, &done.playlist_id, next, rest, origin, now) {
                    out.push(a);
                }
            } else {
                let msg = match &done.origin {
                    Origin::Edit => format!("{what}."),
                    Origin::Undo { what, .. } => format!("Undone: {}.", lower_first(what)),
                    Origin::Redo { what } => format!("Redone: {}.", lower_first(what)),
                };
                state.info(msg, now);
            }
            if snapshot.is_none() {
                // Calls without a snapshot in the answer: fetch the new one before the next edit.
                reload_metadata(state, &done.playlist_id, &mut out);
            }
            out.extend(send_queued_move(state, &done.playlist_id, now));
        }
        Err(f) => {
            let dropped = state
                .library
                .queued_move
                .take_if(|(p, _)| *p == done.playlist_id)
                .map_or("", |_| " The moves pressed meanwhile were dropped.");
            if f.is_conflict() {
                // Positions recorded for undo may no longer match the playlist.
                forget_positions(state, &done.playlist_id);
                state.error(
                    format!(
                        "“{name}” changed elsewhere, so your edit was not applied and nothing else was touched. Reloaded it; try again.{dropped}"
                    ),
                    now,
                );
            } else {
                state.error(
                    format!(
                        "{} The edit of “{name}” was not applied; reloaded it as Spotify has it.{dropped}",
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

/// Keeps a move of the open playlist pressed while an edit of it is saving
/// (`delta` places, down positive): moves pressed meanwhile add up and are
/// sent as one when the edit is confirmed. False when nothing is saving.
pub(super) fn queue_move(state: &mut AppState, delta: i64, now: Instant) -> bool {
    let Some(id) = state.library.open.as_ref().map(|o| o.summary.id.clone()) else {
        return false;
    };
    if !state.library.edits.iter().any(|e| e.playlist_id == id) {
        return false;
    }
    let total = match state.library.queued_move.take() {
        Some((p, d)) if p == id => d + delta,
        _ => delta,
    };
    state.library.queued_move = Some((id, total));
    state.info(
        format!(
            "Saving… then moving {} more place(s) {}.",
            total.unsigned_abs(),
            if total < 0 { "up" } else { "down" }
        ),
        now,
    );
    true
}

/// Sends the move queued while the last edit of `playlist_id` was saving,
/// from where the selected item is now, stopping at the edges.
fn send_queued_move(state: &mut AppState, playlist_id: &str, now: Instant) -> Option<Action> {
    let (_, delta) = state
        .library
        .queued_move
        .take_if(|(p, _)| p == playlist_id)?;
    let o = state
        .library
        .open
        .as_ref()
        .filter(|o| o.summary.id == playlist_id)?;
    let from = u32::try_from(o.selected_position()?).ok()?;
    let last = i64::try_from(o.items.len()).ok()?.saturating_sub(1).max(0);
    let to = u32::try_from((i64::from(from) + delta).clamp(0, last)).ok()?;
    if to == from {
        return None;
    }
    let edit = Edit::Move {
        from,
        insert_before: insert_before_for(from, to),
    };
    send_open(state, edit, now)
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

/// What a confirmed edit did, in words, without a full stop.
fn confirmation(done: &InFlight, name: &str) -> String {
    match &done.edit {
        Edit::Remove { items, .. } => {
            format!("Removed {} from “{name}”", items_text(items.len()))
        }
        Edit::Move {
            from,
            insert_before,
        } => format!(
            "Moved item {} to position {} in “{name}”",
            from + 1,
            moved_to(*from, *insert_before) + 1
        ),
        Edit::Add { uris, .. } => format!("Added {} to “{name}”", items_text(uris.len())),
        Edit::Details { new, .. } => format!("Saved the details of “{}”", new.name),
    }
}

/// `Moved …` → `moved …`, for a sentence that goes on.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
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
            let is_open = lib.is_open(pid);
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

/// Drops the undo and redo records of a playlist that is gone.
pub(super) fn forget(state: &mut AppState, playlist_id: &str) {
    forget_where(state, playlist_id, |_| true);
}

/// Drops the records of a playlist that name item positions: it changed
/// elsewhere, so they may no longer point at the same items. Its other
/// records (details, create) stay valid.
fn forget_positions(state: &mut AppState, playlist_id: &str) {
    forget_where(state, playlist_id, UndoRecord::uses_positions);
}

fn forget_where(state: &mut AppState, playlist_id: &str, stale: fn(&UndoRecord) -> bool) {
    for history in [&mut state.library.undo, &mut state.library.redo] {
        history.retain(|d| d.record.playlist_id() != playlist_id || !stale(&d.record));
    }
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
                origin: Origin::Edit,
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
