//! Mouse: click a pane to focus it, a row to select it, the progress bar to
//! seek; the wheel scrolls lists.

use std::time::Instant;

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::player::seek_to;
use crate::app::action::Action;
use crate::app::geometry;
use crate::app::intent::Intent;
use crate::app::library;
use crate::app::state::{AppState, Focus, Screen};

pub(super) fn on_mouse(state: &mut AppState, m: &MouseEvent, now: Instant, out: &mut Vec<Action>) {
    if state.popup.is_some() || state.screen != Screen::Player {
        if state.screen == Screen::Playlists && state.popup.is_none() {
            let area = Rect::new(0, 0, state.size.0, state.size.1);
            let bar = geometry::now_bar_progress(geometry::playlists_now_bar(area));
            if m.kind == MouseEventKind::Down(MouseButton::Left)
                && state.library.modal.is_none()
                && bar.contains(Position::new(m.column, m.row))
            {
                seek_on(state, bar, m.column, now, out);
                return;
            }
            let intent = match m.kind {
                MouseEventKind::ScrollDown => Some(Intent::Down),
                MouseEventKind::ScrollUp => Some(Intent::Up),
                _ => None,
            };
            if let Some(i) = intent
                && let Some(actions) = library::on_intent(state, i, now)
            {
                out.extend(actions);
                state.dirty = true;
            }
        }
        return;
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
