//! Screen geometry shared by the reducer (visible rows, mouse hit-testing)
//! and the renderer, so both agree. It sits in `app` because it depends on
//! the state; `ui` imports it, never the other way round.

use ratatui::layout::{Constraint, Layout, Rect};

use super::state::library::{Library, Pane};
use super::state::{AppState, Focus};
use crate::domain::format_duration;

/// Rectangles of the player screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlayerLayout {
    /// Top line: app name, screens, user.
    pub header: Rect,
    /// Now-playing block (with border).
    pub now_playing: Rect,
    /// Cover art inside the now-playing block, when there is room.
    pub art: Option<Rect>,
    /// Text lines inside the now-playing block.
    pub info: Rect,
    /// The progress bar row (clickable to seek).
    pub progress: Rect,
    /// Queue list (with border).
    pub queue: Option<Rect>,
    /// Recently played list (with border).
    pub recent: Option<Rect>,
    /// Device list (with border).
    pub devices: Option<Rect>,
    /// Bottom status line.
    pub status: Rect,
}

/// Computes the player layout for `area`.
pub fn player(area: Rect, state: &AppState) -> PlayerLayout {
    let small = area.height < 18 || area.width < 60;
    let np_height = if small { 5 } else { 10 };
    let [header, now_playing, lists, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(np_height.min(area.height.saturating_sub(2))),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);

    let inner = Rect {
        x: now_playing.x + 1,
        y: now_playing.y + 1,
        width: now_playing.width.saturating_sub(2),
        height: now_playing.height.saturating_sub(2),
    };
    // Cover art takes a square-looking block (cells are about twice as tall as wide).
    let art_w = inner.height.saturating_mul(2).saturating_add(1);
    let (art, info) = if !small && state.images_enabled && inner.width >= art_w + 30 {
        let [art, _gap, info] = Layout::horizontal([
            Constraint::Length(art_w),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        (Some(art), info)
    } else {
        (None, inner)
    };
    // The progress bar is the second-to-last line of the info area.
    let progress = if info.height >= 2 {
        Rect {
            x: info.x,
            y: info.y + info.height - 2,
            width: info.width,
            height: 1,
        }
    } else {
        Rect::default()
    };

    let (queue, recent, devices) = if lists.height < 3 {
        (None, None, None)
    } else if small {
        // Only the focused list fits.
        match state.focus {
            Focus::Queue => (Some(lists), None, None),
            Focus::Recent => (None, Some(lists), None),
            Focus::Devices => (None, None, Some(lists)),
        }
    } else if area.width >= 110 {
        let [q, r, d] = Layout::horizontal([
            Constraint::Percentage(38),
            Constraint::Percentage(37),
            Constraint::Percentage(25),
        ])
        .areas(lists);
        (Some(q), Some(r), Some(d))
    } else {
        let [q, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(lists);
        let dev_h = (state.devices.len() as u16 + 2).clamp(3, right.height / 2);
        let [r, d] = Layout::vertical([Constraint::Min(3), Constraint::Length(dev_h)]).areas(right);
        (Some(q), Some(r), Some(d))
    };

    PlayerLayout {
        header,
        now_playing,
        art,
        info,
        progress,
        queue,
        recent,
        devices,
        status,
    }
}

/// The bar of a progress line `0:42 ━━━━──── 2:30` that is `width` columns
/// wide: its first column (from the line's start) and its width. The labels
/// show `pos` and `dur`, so the bar moves when they change width.
pub fn progress_bar(width: usize, pos: u64, dur: u64) -> (usize, usize) {
    let left = format_duration(pos).len();
    let right = format_duration(dur).len();
    (left + 1, width.saturating_sub(left + right + 2))
}

/// Where a click at `column` on the progress line drawn in `line` seeks to:
/// the middle of the clicked bar cell (a click on a label takes the nearest
/// end); `None` off the line or without a bar.
pub fn seek_target(line: Rect, column: u16, pos: u64, dur: u64) -> Option<u64> {
    let (start, bar_w) = progress_bar(usize::from(line.width), pos, dur);
    if bar_w == 0 || dur == 0 || column < line.x || column >= line.right() {
        return None;
    }
    let cell = usize::from(column - line.x)
        .saturating_sub(start)
        .min(bar_w - 1);
    Some(((cell as f64 + 0.5) / bar_w as f64 * dur as f64) as u64)
}

/// Rows of the now-playing bar on screens other than the player: two when
/// there is room, one on a small terminal, none below 12 rows.
pub fn now_bar_height(rows: u16) -> u16 {
    match rows {
        0..12 => 0,
        12..30 => 1,
        _ => 2,
    }
}

/// Areas of the playlists screen: header, body, now-playing bar, status line.
fn playlists_areas(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(now_bar_height(area.height)),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Body area of the playlists screen (between header and now-playing bar).
pub fn playlists_body(area: Rect) -> Rect {
    playlists_areas(area)[1]
}

/// The now-playing bar of the playlists screen (empty when dropped).
pub fn playlists_now_bar(area: Rect) -> Rect {
    playlists_areas(area)[2]
}

/// The progress line inside the now-playing bar `bar`: its second row,
/// one column in from each side; empty when the bar has one row or none.
pub fn now_bar_progress(bar: Rect) -> Rect {
    if bar.height < 2 {
        return Rect::default();
    }
    Rect {
        x: bar.x + 1,
        y: bar.y + 1,
        width: bar.width.saturating_sub(2),
        height: 1,
    }
}

/// A centred popup rectangle of at most `w`×`h`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The device picker popup for a terminal size.
pub fn device_popup(size: (u16, u16)) -> Rect {
    centered(Rect::new(0, 0, size.0, size.1), 60, 14)
}

/// Visible rows in the device picker popup.
pub fn popup_list_rows(size: (u16, u16)) -> usize {
    usize::from(device_popup(size).height.saturating_sub(4)).max(1)
}

/// Width from which both panes are shown side by side.
pub const WIDE: u16 = 80;
/// Lines of playlist details above the items table.
pub const META_LINES: u16 = 2;

/// Where the two panes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    /// Playlists list (with border), if shown.
    pub list: Option<Rect>,
    /// Items (with border), if shown.
    pub items: Option<Rect>,
}

/// Pane rectangles for the body area and library state.
pub fn panes(body: Rect, lib: &Library) -> Panes {
    if body.width >= WIDE {
        let list_w = (body.width * 3 / 10).clamp(24, 40);
        let [l, r] =
            Layout::horizontal([Constraint::Length(list_w), Constraint::Min(0)]).areas(body);
        Panes {
            list: Some(l),
            items: Some(r),
        }
    } else if lib.focus == Pane::Items && lib.open.is_some() {
        Panes {
            list: None,
            items: Some(body),
        }
    } else {
        Panes {
            list: Some(body),
            items: None,
        }
    }
}

/// Visible rows of the playlists list in its pane.
pub fn list_rows_in(r: Rect) -> usize {
    usize::from(r.height.saturating_sub(2)).max(1)
}

/// Visible item rows in the items pane (below the details and column header).
pub fn item_rows_in(r: Rect) -> usize {
    usize::from(r.height.saturating_sub(2 + META_LINES + 1)).max(1)
}

/// The playlist picker's rectangle in the body.
pub fn picker_rect(body: Rect) -> Rect {
    centered(body, 56, 14)
}

/// Visible rows of the playlist picker for a terminal size.
pub fn picker_rows(size: (u16, u16)) -> usize {
    let body = playlists_body(Rect::new(0, 0, size.0, size.1));
    usize::from(picker_rect(body).height.saturating_sub(2)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_shows_both_panes_narrow_one() {
        let mut lib = Library::default();
        let wide = panes(Rect::new(0, 1, 80, 22), &lib);
        assert!(wide.list.is_some() && wide.items.is_some());
        let narrow = panes(Rect::new(0, 1, 50, 10), &lib);
        assert_eq!(narrow.items, None);
        lib.focus = Pane::Items;
        // Items focus without an open playlist still shows the list.
        assert!(panes(Rect::new(0, 1, 50, 10), &lib).list.is_some());
    }

    #[test]
    fn row_counts_leave_room_for_borders_and_details() {
        assert_eq!(list_rows_in(Rect::new(0, 0, 30, 10)), 8);
        assert_eq!(item_rows_in(Rect::new(0, 0, 30, 10)), 5);
        assert_eq!(item_rows_in(Rect::new(0, 0, 30, 2)), 1);
    }
}
