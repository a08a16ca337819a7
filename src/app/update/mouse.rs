//! Mouse: click a pane to focus it, a row to select it, the progress bar to
//! seek; the wheel scrolls lists.

use std::time::Instant;

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::player::seek_to;
use crate::app::action::Action;
use crate::app::intent::Intent;
use crate::app::library;
use crate::app::state::library::Pane;
use crate::app::state::{AppState, Focus, Screen};
use crate::app::{find, geometry};

pub(super) fn on_mouse(state: &mut AppState, m: &MouseEvent, now: Instant, out: &mut Vec<Action>) {
    if state.popup.is_some() {
        return;
    }
    match state.screen {
        Screen::Playlists => return on_playlists(state, m, now, out),
        Screen::Search | Screen::Library => return on_find(state, m, now, out),
        Screen::Player => {}
    }
    let l = geometry::player(Rect::new(0, 0, state.size.0, state.size.1), state);
    let pos = Position::new(m.column, m.row);
    let panes = [
        (Focus::Queue, l.queue),
        (Focus::Recent, l.recent),
        (Focus::Devices, l.devices),
    ];
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if l.progress.contains(pos) {
                seek_on(state, l.progress, m.column, now, out);
                return;
            }
            for (focus, rect) in panes {
                let Some(rect) = rect else { continue };
                if rect.contains(pos) {
                    state.focus = focus;
                    let inner_top = rect.y + 1;
                    if m.row >= inner_top && m.row < rect.y + rect.height.saturating_sub(1) {
                        let row = usize::from(m.row - inner_top);
                        let rows = rect.height.saturating_sub(2) as usize;
                        match focus {
                            Focus::Queue => {
                                let i = state.queue_cursor.offset + row;
                                state.queue_cursor.select(i, state.queue.len(), rows);
                            }
                            Focus::Recent => {
                                let i = state.recent_cursor.offset + row;
                                state.recent_cursor.select(i, state.recent.len(), rows);
                            }
                            Focus::Devices => {
                                let i = state.device_cursor.offset + row;
                                state.device_cursor.select(i, state.devices.len(), rows);
                            }
                        }
                    }
                    state.dirty = true;
                }
            }
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let intent = if m.kind == MouseEventKind::ScrollDown {
                Intent::Down
            } else {
                Intent::Up
            };
            for (focus, rect) in panes {
                if rect.is_some_and(|r| r.contains(pos)) {
                    state.focus = focus;
                    super::move_cursor(state, intent);
                    state.dirty = true;
                }
            }
        }
        _ => {}
    }
}

/// The playlists screen: a click on the now-playing bar's progress line
/// seeks; a click on a pane focuses it and selects the row under the
/// pointer; the wheel scrolls the pane under the pointer (the focused one
/// elsewhere, and the picker while it is open).
fn on_playlists(state: &mut AppState, m: &MouseEvent, now: Instant, out: &mut Vec<Action>) {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let pos = Position::new(m.column, m.row);
    let bar = geometry::now_bar_progress(geometry::playlists_now_bar(area));
    let free = state.library.modal.is_none() && !state.library.filtering;
    let panes = geometry::panes(geometry::playlists_body(area), &state.library);
    let under = [(Pane::List, panes.list), (Pane::Items, panes.items)]
        .into_iter()
        .find_map(|(pane, rect)| rect.filter(|r| r.contains(pos)).map(|r| (pane, r)))
        .filter(|(pane, _)| free && (*pane == Pane::List || state.library.open.is_some()));
    let intent = match m.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if free && bar.contains(pos) {
                seek_on(state, bar, m.column, now, out);
            } else if let Some((pane, rect)) = under {
                state.library.focus = pane;
                select_row(state, pane, rect, m.row);
                state.dirty = true;
            }
            return;
        }
        MouseEventKind::ScrollDown => Intent::Down,
        MouseEventKind::ScrollUp => Intent::Up,
        _ => return,
    };
    if let Some((pane, _)) = under {
        state.library.focus = pane;
    }
    if let Some(actions) = library::on_intent(state, intent, now) {
        out.extend(actions);
        state.dirty = true;
    }
}

/// Search, Library and the album/artist/show pages: a click on the
/// now-playing bar's progress line seeks, a click on a row selects it (Enter
/// then plays or opens it), the wheel scrolls the list.
fn on_find(state: &mut AppState, m: &MouseEvent, now: Instant, out: &mut Vec<Action>) {
    if state.find.filtering {
        return;
    }
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let pos = Position::new(m.column, m.row);
    let bar = geometry::now_bar_progress(geometry::playlists_now_bar(area));
    let body = geometry::playlists_body(area);
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) if bar.contains(pos) => {
            seek_on(state, bar, m.column, now, out);
        }
        MouseEventKind::Down(MouseButton::Left) if body.contains(pos) => {
            // The list starts below the border and the query / tabs line.
            if let Some(line) = m.row.checked_sub(body.y + 2) {
                state.dirty |= find::select_drawn_line(state, usize::from(line));
            }
        }
        MouseEventKind::ScrollDown if body.contains(pos) => {
            find::step(state, 1);
            state.dirty = true;
        }
        MouseEventKind::ScrollUp if body.contains(pos) => {
            find::step(state, -1);
            state.dirty = true;
        }
        _ => {}
    }
}

/// Selects the row drawn at screen row `row` of `pane` (drawn in `rect`),
/// if a row is drawn there.
fn select_row(state: &mut AppState, pane: Pane, rect: Rect, row: u16) {
    let lib = &mut state.library;
    let (first, rows, cursor, len) = match (pane, lib.open.as_mut()) {
        (Pane::Items, Some(o)) => (
            rect.y + 1 + geometry::META_LINES + 1,
            geometry::item_rows_in(rect),
            &mut o.cursor,
            o.view.len(),
        ),
        _ => (
            rect.y + 1,
            geometry::list_rows_in(rect),
            &mut lib.list_cursor,
            lib.list_view.len(),
        ),
    };
    let Some(r) = row.checked_sub(first).map(usize::from) else {
        return;
    };
    let i = cursor.offset + r;
    if r < rows && i < len {
        cursor.select(i, len, rows);
    }
}

/// Seeks to where a click at `column` lands on the progress line in `line`.
fn seek_on(state: &mut AppState, line: Rect, column: u16, now: Instant, out: &mut Vec<Action>) {
    let target = state.playback.as_ref().and_then(|pb| {
        let dur = pb.item.as_ref()?.duration_ms;
        geometry::seek_target(line, column, pb.progress_at(now), dur)
    });
    if let Some(ms) = target {
        seek_to(state, ms, now, out);
    }
}
