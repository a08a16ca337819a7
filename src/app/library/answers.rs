//! API answers to the library's own requests.

use std::time::Instant;

use super::modal::{self, Modal};
use super::{Req, edit, item_rows, list_rows};
use crate::app::action::Action;
use crate::app::event::{ApiEvent, ApiFailure, ApiOutcome, FailureKind};
use crate::app::state::AppState;

/// What a 403 on the items of a followed playlist means.
pub const HIDDEN_ITEMS: &str = "Spotify only lets apps in development mode read the items of playlists you own or collaborate on (2026 rules), so only this playlist's details are shown.";

/// Handles an answer; `None` when the id is not the library's.
pub(super) fn on_api(state: &mut AppState, ev: &ApiEvent, now: Instant) -> Option<Vec<Action>> {
    let req = state.library.reqs.get(&ev.id)?.clone();
    let mut out = Vec::new();
    state.dirty = true;
    if matches!(ev.outcome, ApiOutcome::Coalesced) {
        forget_request(state, ev.id, &req);
        return Some(out);
    }
    match (req, &ev.outcome) {
        (
            Req::Mine,
            ApiOutcome::PlaylistsPage {
                offset,
                total,
                items,
                done,
            },
        ) => {
            let lib = &mut state.library;
            if *offset == 0 && lib.mine.done {
                // A reload: start over.
                lib.mine = Default::default();
            }
            lib.mine
                .place(*offset as usize, *total as usize, items.clone(), *done);
            if *done {
                // The bridge skips null entries, which may leave holes.
                lib.mine.slots.retain(Option::is_some);
                lib.mine_load = None;
                lib.reqs.remove(&ev.id);
            }
            let rows = list_rows(state);
            state.library.refresh_list_view(rows);
            modal::refresh_picker(state);
        }
        (Req::Mine, ApiOutcome::PlaylistsFailed(f)) => {
            state.library.mine_load = None;
            state.library.reqs.remove(&ev.id);
            state.library.mine_error = Some(f.sentence.clone());
            state.error(f.sentence.clone(), now);
        }
        (Req::Featured, ApiOutcome::Featured(result)) => {
            state.library.featured_load = None;
            state.library.reqs.remove(&ev.id);
            match result {
                Ok(list) => {
                    state.library.featured = Default::default();
                    state
                        .library
                        .featured
                        .place(0, list.len(), list.clone(), true);
                }
                Err(f) => {
                    let note = if f.kind == FailureKind::NotFound {
                        "Featured playlists are not available for this app (Spotify no longer offers them to new apps).".to_string()
                    } else {
                        f.sentence.clone()
                    };
                    state.library.featured.done = true;
                    state.library.featured_note = Some(note);
                }
            }
            let rows = list_rows(state);
            state.library.refresh_list_view(rows);
        }
        (Req::Playlist(pid), ApiOutcome::Playlist(result)) => {
            state.library.reqs.remove(&ev.id);
            match result {
                Ok(summary) => {
                    let s = summary.clone();
                    state.library.update_summary(&pid, |p| *p = s.clone());
                }
                Err(f) => {
                    if let Some(o) = state.library.open.as_mut().filter(|o| o.summary.id == pid) {
                        o.error = Some(f.sentence.clone());
                    }
                    state.error(f.sentence.clone(), now);
                }
            }
        }
        (
            Req::Items(pid),
            ApiOutcome::ItemsPage {
                playlist_id,
                offset,
                total,
                items,
                done,
            },
        ) if *playlist_id == pid => {
            let rows = item_rows(state);
            if *done {
                state.library.reqs.remove(&ev.id);
            }
            if let Some(o) = state
                .library
                .open
                .as_mut()
                .filter(|o| o.summary.id == pid && o.load == Some(ev.id))
            {
                o.drop_stale();
                o.items
                    .place(*offset as usize, *total as usize, items.clone(), *done);
                if *done {
                    o.load = None;
                }
                o.refresh_view(rows);
            }
        }
        (
            Req::Items(pid),
            ApiOutcome::ItemsFailed {
                playlist_id,
                failure,
            },
        ) if *playlist_id == pid => {
            state.library.reqs.remove(&ev.id);
            if let Some(o) = state
                .library
                .open
                .as_mut()
                .filter(|o| o.summary.id == pid && o.load == Some(ev.id))
            {
                o.drop_stale();
                o.load = None;
                o.items.done = true;
                if failure.kind == FailureKind::Forbidden {
                    o.hidden = Some(HIDDEN_ITEMS.into());
                } else {
                    o.error = Some(failure.sentence.clone());
                    state.error(failure.sentence.clone(), now);
                }
            }
        }
        (Req::Edit(_), ApiOutcome::Snapshot(result)) => {
            state.library.reqs.remove(&ev.id);
            out.extend(edit::finished(state, ev.id, result.clone().map(Some), now));
        }
        (Req::Edit(_), ApiOutcome::Done(result)) => {
            state.library.reqs.remove(&ev.id);
            out.extend(edit::finished(
                state,
                ev.id,
                result.clone().map(|()| None),
                now,
            ));
        }
        (Req::Create, ApiOutcome::Created(result)) => {
            state.library.reqs.remove(&ev.id);
            match result {
                Ok(summary) => {
                    state.library.mine.slots.insert(0, Some(summary.clone()));
                    let rows = list_rows(state);
                    state.library.refresh_list_view(rows);
                    state.info(format!("Created “{}”.", summary.name), now);
                    modal::refresh_picker(state);
                }
                Err(f) => state.error(format!("{} The playlist was not created.", f.sentence), now),
            }
        }
        (Req::Unfollow(pid), ApiOutcome::Done(result)) => {
            state.library.reqs.remove(&ev.id);
            match result {
                Ok(()) => {
                    let name = state.library.playlist_name(&pid).unwrap_or_default();
                    state
                        .library
                        .mine
                        .slots
                        .retain(|p| p.as_ref().is_none_or(|p| p.id != pid));
                    if state
                        .library
                        .open
                        .as_ref()
                        .is_some_and(|o| o.summary.id == pid)
                    {
                        state.library.open = None;
                        state.library.focus = super::Pane::List;
                    }
                    edit::forget(state, &pid);
                    let rows = list_rows(state);
                    state.library.refresh_list_view(rows);
                    state.info(
                        format!("Unfollowed “{name}”; it is no longer in your library."),
                        now,
                    );
                }
                Err(f) => state.error(
                    format!("{} The playlist is still in your library.", f.sentence),
                    now,
                ),
            }
        }
        (Req::Cover(pid), ApiOutcome::Cover(result)) => {
            state.library.reqs.remove(&ev.id);
            if let Some(Modal::Cover {
                playlist_id,
                images,
                ..
            }) = &mut state.library.modal
                && *playlist_id == pid
            {
                *images = Some(result.clone().map_err(|f| f.sentence));
            }
        }
        (Req::Upload(pid), ApiOutcome::Done(result)) => {
            state.library.reqs.remove(&ev.id);
            let name = state.library.playlist_name(&pid).unwrap_or_default();
            match result {
                Ok(()) => {
                    state.info(
                        format!("Uploaded the new cover of “{name}”; Spotify may take a moment to show it."),
                        now,
                    );
                    // Fetch the new image list (and snapshot).
                    if !state.library.is_busy(&pid) {
                        super::reload_playlist(state, &pid, &mut out);
                    }
                }
                Err(f) => state.error(
                    format!("{} The cover of “{name}” was not changed.", f.sentence),
                    now,
                ),
            }
        }
        (Req::Queue(title), ApiOutcome::Done(result)) => {
            state.library.reqs.remove(&ev.id);
            match result {
                Ok(()) => state.info(format!("Added “{title}” to the queue."), now),
                Err(f) => report(state, f, now),
            }
        }
        (req, other) => {
            tracing::debug!(?req, ?other, "unexpected answer to a library request");
            if !matches!(
                other,
                ApiOutcome::ItemsPage { .. } | ApiOutcome::PlaylistsPage { .. }
            ) {
                if let Req::Edit(_) = req {
                    // Release the playlist and reload it as Spotify has it.
                    state.library.reqs.remove(&ev.id);
                    out.extend(edit::finished(
                        state,
                        ev.id,
                        Err(ApiFailure::other("Unexpected answer from Spotify.")),
                        now,
                    ));
                } else {
                    forget_request(state, ev.id, &req);
                }
            }
        }
    }
    Some(out)
}

fn report(state: &mut AppState, f: &ApiFailure, now: Instant) {
    tracing::warn!(kind = ?f.kind, "{}", f.sentence);
    state.error(f.sentence.clone(), now);
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
