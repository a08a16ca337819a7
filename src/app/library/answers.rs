//! API answers to the library's own requests.

use std::time::Instant;

use super::UndoRecord;
use super::{Modal, modal};
use super::{Req, edit, item_rows, list_rows};
use crate::app::action::Action;
use crate::app::intent::Intent;
use crate::app::state::AppState;
use crate::domain::ImageRef;
use crate::spotify::error::ApiError;
use crate::spotify::request::{Answer, Reply};

/// What a 403 on the items of a followed playlist means.
pub const HIDDEN_ITEMS: &str = "Spotify only lets apps in development mode read the items of playlists you own or collaborate on (2026 rules), so only this playlist's details are shown.";

/// Handles an answer; gives it back when the id is not the library's.
pub(super) fn on_api(
    state: &mut AppState,
    answer: Box<Answer>,
    now: Instant,
) -> Result<Vec<Action>, Box<Answer>> {
    let Some(req) = state.library.reqs.get(&answer.id).cloned() else {
        return Err(answer);
    };
    let Answer { id, result } = *answer;
    let mut out = Vec::new();
    state.dirty = true;
    match result {
        Ok(Reply::Coalesced) => forget_request(state, id, &req),
        Ok(reply) => on_reply(state, id, req, reply, now, &mut out),
        Err(e) => on_failure(state, id, req, e, now, &mut out),
    }
    Ok(out)
}

fn on_reply(
    state: &mut AppState,
    id: u64,
    req: Req,
    reply: Reply,
    now: Instant,
    out: &mut Vec<Action>,
) {
    match (req, reply) {
        (
            Req::Mine,
            Reply::PlaylistsPage {
                offset,
                total,
                items,
                done,
            },
        ) => playlists_page(state, id, (offset, total, done), items),
        (Req::Featured, Reply::Featured(list)) => featured(state, id, list),
        (Req::Playlist(pid), Reply::Playlist(summary)) => {
            state.library.reqs.remove(&id);
            state.library.update_summary(&pid, |p| *p = summary.clone());
        }
        (
            Req::Items(pid),
            Reply::ItemsPage {
                playlist_id,
                offset,
                total,
                items,
                done,
                snapshot_id,
            },
        ) if playlist_id == pid => {
            items_page(state, id, &pid, &snapshot_id, (offset, total, done), items);
        }
        (
            Req::Items(pid),
            Reply::CachedItems {
                playlist_id, items, ..
            },
        ) if playlist_id == pid => cached_items(state, id, &pid, items),
        (
            Req::Items(pid),
            Reply::ItemsCurrent {
                playlist_id,
                snapshot_id,
            },
        ) if playlist_id == pid => items_current(state, id, &pid, &snapshot_id),
        (Req::Edit(_), Reply::Snapshot(snapshot)) => {
            state.library.reqs.remove(&id);
            out.extend(edit::finished(state, id, Ok(Some(snapshot)), now));
        }
        (Req::Edit(_), Reply::Done) => {
            state.library.reqs.remove(&id);
            out.extend(edit::finished(state, id, Ok(None), now));
        }
        (Req::Create, Reply::Created(summary)) => created(state, id, summary, now),
        (Req::Unfollow(pid), Reply::Done) => {
            state.library.reqs.remove(&id);
            unfollowed(state, &pid, false, now);
        }
        (Req::UndoCreate(pid), Reply::Done) => {
            state.library.reqs.remove(&id);
            unfollowed(state, &pid, true, now);
        }
        (Req::Cover(pid), Reply::Cover(images)) => {
            state.library.reqs.remove(&id);
            show_cover(state, &pid, Ok(images));
        }
        (Req::Upload(pid), Reply::Done) => uploaded(state, id, &pid, now, out),
        (Req::ContextName(uri), Reply::Playlist(summary)) => {
            state.library.reqs.remove(&id);
            state.context_name = Some((uri, summary.name));
        }
        (Req::Queue(title), Reply::Done) => {
            state.library.reqs.remove(&id);
            state.info(format!("Added “{title}” to the queue."), now);
            crate::app::update::refresh_queue_and_recent(state, out);
        }
        (req, other) => {
            tracing::debug!(?req, ?other, "unexpected answer to a library request");
            if matches!(other, Reply::ItemsPage { .. } | Reply::PlaylistsPage { .. }) {
                return;
            }
            if let Req::Edit(_) = req {
                // Release the playlist and reload it as Spotify has it.
                state.library.reqs.remove(&id);
                let e = ApiError::Decode("the answer does not fit the edit".into());
                out.extend(edit::finished(state, id, Err(e), now));
            } else {
                forget_request(state, id, &req);
            }
        }
    }
}

fn on_failure(
    state: &mut AppState,
    id: u64,
    req: Req,
    e: ApiError,
    now: Instant,
    out: &mut Vec<Action>,
) {
    state.library.reqs.remove(&id);
    match req {
        Req::Mine => {
            state.library.mine_load = None;
            state.library.mine_error = Some(e.sentence());
            state.error(e.sentence(), now);
        }
        Req::Featured => {
            state.library.featured_load = None;
            let note = if e.is_not_found() {
                "Featured playlists are not available for this app (Spotify no longer offers them to new apps).".to_string()
            } else {
                e.sentence()
            };
            state.library.featured.done = true;
            state.library.featured_note = Some(note);
            let rows = list_rows(state);
            state.library.refresh_list_view(rows);
        }
        Req::Playlist(pid) => {
            let listed = state
                .library
                .mine
                .slots
                .iter()
                .chain(&state.library.featured.slots);
            let by_id = !listed.flatten().any(|p| p.id == pid);
            if e.is_not_found() && by_id {
                // Opened by an id that names nothing: no empty header, just why.
                state.library.close(&pid);
                state.error(
                    format!(
                        "No playlist with id “{pid}”. Check the id or link; Spotify-owned playlists are not offered to apps since 2024."
                    ),
                    now,
                );
                return;
            }
            if let Some(o) = state.library.open.as_mut().filter(|o| o.summary.id == pid) {
                o.error = Some(e.sentence());
            }
            state.error(e.sentence(), now);
        }
        Req::Items(pid) => {
            let Some(o) = state.library.open_loading(&pid, id) else {
                return;
            };
            if !o.cached {
                o.drop_stale();
            }
            o.load = None;
            o.items.done = true;
            if e.is_forbidden() {
                o.hidden = Some(HIDDEN_ITEMS.into());
            } else {
                o.error = Some(e.sentence());
                state.error(e.sentence(), now);
            }
        }
        Req::Edit(_) => out.extend(edit::finished(state, id, Err(e), now)),
        Req::Create => state.error(
            format!("{} The playlist was not created.", e.sentence()),
            now,
        ),
        Req::Unfollow(_) | Req::UndoCreate(_) => state.error(
            format!("{} The playlist is still in your library.", e.sentence()),
            now,
        ),
        Req::Cover(pid) => show_cover(state, &pid, Err(e.sentence())),
        Req::Upload(pid) => {
            let name = state.library.playlist_name(&pid).unwrap_or_default();
            state.error(
                format!("{} The cover of “{name}” was not changed.", e.sentence()),
                now,
            );
        }
        Req::Queue(_) => report(state, &e, now),
        Req::ContextName(uri) => {
            // The label stays "from playlist"; not worth a message.
            tracing::debug!(%uri, error = %e, "context name unavailable");
            state.context_name = Some((uri, String::new()));
        }
    }
}

fn featured(state: &mut AppState, id: u64, list: Vec<crate::domain::PlaylistSummary>) {
    state.library.featured_load = None;
    state.library.reqs.remove(&id);
    state.library.featured = Default::default();
    state.library.featured.place(0, list.len(), list, true);
    let rows = list_rows(state);
    state.library.refresh_list_view(rows);
}

fn created(state: &mut AppState, id: u64, summary: crate::domain::PlaylistSummary, now: Instant) {
    state.library.reqs.remove(&id);
    state.info(
        format!(
            "Created “{}”. Undo with {}.",
            summary.name,
            state.keymap.first_key(Intent::Undo)
        ),
        now,
    );
    let record = UndoRecord::Unfollow {
        playlist_id: summary.id.clone(),
    };
    edit::record(state, record, format!("Created “{}”", summary.name));
    state.library.mine.slots.insert(0, Some(summary));
    let rows = list_rows(state);
    state.library.refresh_list_view(rows);
    modal::refresh_picker(state);
}

fn uploaded(state: &mut AppState, id: u64, pid: &str, now: Instant, out: &mut Vec<Action>) {
    state.library.reqs.remove(&id);
    let name = state.library.playlist_name(pid).unwrap_or_default();
    state.info(
        format!("Uploaded the new cover of “{name}”; Spotify may take a moment to show it."),
        now,
    );
    let record = UndoRecord::Irreversible {
        playlist_id: pid.to_string(),
        why: "Spotify keeps no earlier cover to put back.".into(),
    };
    edit::record(state, record, format!("Uploaded a cover to “{name}”"));
    // Fetch the new image list (and snapshot).
    if !state.library.is_busy(pid) {
        super::reload_playlist(state, pid, out);
    }
}

/// One page of the user's playlists; `page` is (offset, total, done).
fn playlists_page(
    state: &mut AppState,
    id: u64,
    (offset, total, done): (u32, u32, bool),
    items: Vec<crate::domain::PlaylistSummary>,
) {
    let lib = &mut state.library;
    if offset == 0 && (lib.mine.done || lib.mine_cached) {
        // A reload (or the first answer after the cached list): start over.
        lib.mine = Default::default();
        lib.mine_cached = false;
    }
    lib.mine.place(offset as usize, total as usize, items, done);
    if done {
        // Null entries are skipped, which may leave holes.
        lib.mine.slots.retain(Option::is_some);
        lib.mine_load = None;
        lib.reqs.remove(&id);
    }
    let rows = list_rows(state);
    state.library.refresh_list_view(rows);
    modal::refresh_picker(state);
}

/// Rows of the open playlist from the on-disk cache: shown, marked cached,
/// and replaced by the first fresh page unless confirmed.
fn cached_items(
    state: &mut AppState,
    id: u64,
    pid: &str,
    items: Vec<crate::domain::PlaylistEntry>,
) {
    let rows = item_rows(state);
    if let Some(o) = state.library.open_loading(pid, id) {
        o.drop_stale();
        let n = items.len();
        o.summary.total = n as u32;
        o.items.place(0, n, items, false);
        o.stale = true;
        o.cached = true;
        o.refresh_view(rows);
    }
}

/// The cached rows are current: the load is done.
fn items_current(state: &mut AppState, id: u64, pid: &str, snapshot_id: &str) {
    state.library.reqs.remove(&id);
    if let Some(o) = state.library.open_loading(pid, id).filter(|o| o.cached) {
        o.stale = false;
        o.cached = false;
        o.items.done = true;
        o.load = None;
        o.summary.snapshot_id = snapshot_id.to_string();
    }
}

/// One page of the open playlist's items; `page` is (offset, total, done).
fn items_page(
    state: &mut AppState,
    id: u64,
    pid: &str,
    snapshot_id: &str,
    (offset, total, done): (u32, u32, bool),
    items: Vec<crate::domain::PlaylistEntry>,
) {
    let rows = item_rows(state);
    if done {
        state.library.reqs.remove(&id);
    }
    if let Some(o) = state.library.open_loading(pid, id) {
        o.drop_stale();
        if offset == 0 {
            o.summary.snapshot_id = snapshot_id.to_string();
            o.summary.total = total;
        }
        o.items.place(offset as usize, total as usize, items, done);
        if done {
            o.load = None;
        }
        o.refresh_view(rows);
    }
}

fn unfollowed(state: &mut AppState, pid: &str, undoing_create: bool, now: Instant) {
    let name = state.library.playlist_name(pid).unwrap_or_default();
    state
        .library
        .mine
        .slots
        .retain(|p| p.as_ref().is_none_or(|p| p.id != pid));
    state.library.close(pid);
    edit::forget(state, pid);
    let rows = list_rows(state);
    state.library.refresh_list_view(rows);
    state.info(
        format!("Unfollowed “{name}”; it is no longer in your library."),
        now,
    );
    if !undoing_create {
        let record = UndoRecord::Irreversible {
            playlist_id: pid.to_string(),
            why: format!(
                "spotdeck cannot follow a playlist again yet; open it by id with {} to find it.",
                state.keymap.first_key(Intent::OpenById)
            ),
        };
        edit::record(state, record, format!("Unfollowed “{name}”"));
    }
}

fn show_cover(state: &mut AppState, pid: &str, result: Result<Vec<ImageRef>, String>) {
    if let Some(Modal::Cover {
        playlist_id,
        images,
        ..
    }) = &mut state.library.modal
        && *playlist_id == pid
    {
        *images = Some(result);
    }
}

fn report(state: &mut AppState, e: &ApiError, now: Instant) {
    tracing::warn!(error = %e, "API call failed");
    state.error(e.sentence(), now);
}

/// Drops a request that will not be answered (coalesced or unexpected).
fn forget_request(state: &mut AppState, id: u64, req: &Req) {
    let lib = &mut state.library;
    lib.reqs.remove(&id);
    match req {
        Req::Mine if lib.mine_load == Some(id) => lib.mine_load = None,
        Req::Featured if lib.featured_load == Some(id) => lib.featured_load = None,
        Req::Items(_) => {
            if let Some(o) = lib.open.as_mut().filter(|o| o.load == Some(id)) {
                o.load = None;
            }
        }
        Req::Edit(_) => lib.edits.retain(|e| e.id != id),
        _ => {}
    }
}
