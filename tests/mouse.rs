//! The mouse against what is drawn: the screen is rendered, the cells of
//! the progress bar and of list rows are found in the buffer, and clicks
//! on them must act on exactly what the user sees there.

mod library_support;

use std::time::Instant;

use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use library_support::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use spotdeck::app::event::Event;
use spotdeck::app::geometry;
use spotdeck::app::library::Pane;
use spotdeck::app::state::AppState;
use spotdeck::app::update::update;
use spotdeck::domain::{Device, Playback, Repeat};
use spotdeck::spotify::request::Request;
use spotdeck::ui::{self, Clock};

/// Three minutes twenty: long enough that a cell is more than a second.
const DURATION_MS: u64 = 200_000;

fn draw(s: &mut AppState, (w, h): (u16, u16), now: Instant) -> Buffer {
    update(s, Event::Resize(w, h), now);
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    let clock = Clock {
        now,
        unix_secs: 1_800_000_000,
    };
    term.draw(|f| ui::render(s, clock, f)).expect("draw");
    term.backend().buffer().clone()
}

/// Paused 10 s into a 3:20 track on an active device.
fn paused(s: &mut AppState, now: Instant) {
    let device = Device {
        id: Some("d1".into()),
        name: "Desk".into(),
        kind: "Computer".into(),
        is_active: true,
        is_restricted: false,
        volume: Some(50),
        supports_volume: true,
    };
    let mut item = track(1).track;
    item.duration_ms = DURATION_MS;
    s.devices = vec![device.clone()];
    s.playback = Some(Playback {
        device: Some(device),
        item: Some(item),
        is_playing: false,
        progress_ms: 10_000,
        fetched_at: now,
        shuffle: false,
        repeat: Repeat::Off,
        context_uri: None,
        disallows: Default::default(),
    });
    s.playback_loaded = true;
}

fn click(column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

/// The first and last column of the bar (`━`/`─` cells) on `row` within `area`.
fn bar_cells(buf: &Buffer, area: Rect, row: u16) -> (u16, u16) {
    let cols: Vec<u16> = (area.x..area.right())
        .filter(|&x| matches!(buf[(x, row)].symbol(), "━" | "─"))
        .collect();
    match (cols.first(), cols.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => panic!("no bar cells on row {row}"),
    }
}

/// The position a click seeks to, if it sends a seek.
fn seek_of(s: &mut AppState, ev: Event, now: Instant) -> Option<u64> {
    calls(&update(s, ev, now))
        .into_iter()
        .find_map(|(_, c)| match c {
            Request::Seek { position_ms, .. } => Some(position_ms),
            _ => None,
        })
}

/// A click on the first bar cell seeks into that cell (near 0), one on the
/// last cell into the last one (near the end), whatever the labels take.
fn assert_ends_seek_to_ends(
    s: &mut AppState,
    now: Instant,
    size: (u16, u16),
    line: impl Fn(&AppState) -> Rect,
) {
    let buf = draw(s, size, now);
    let line = line(s);
    assert!(line.height > 0, "no progress line at {size:?}");
    let (first, last) = bar_cells(&buf, line, line.y);
    let cell_ms = DURATION_MS / u64::from(last - first + 1);
    let at_first = seek_of(s, click(first, line.y), now).expect("a seek from the first cell");
    assert!(
        at_first < cell_ms,
        "the first bar cell seeks to {at_first} ms, past the cell (< {cell_ms} ms), at {size:?}"
    );
    let at_last = seek_of(s, click(last, line.y), now).expect("a seek from the last cell");
    assert!(
        at_last > DURATION_MS - cell_ms,
        "the last bar cell seeks to {at_last} ms, before the cell (> {} ms), at {size:?}",
        DURATION_MS - cell_ms
    );
}

#[test]
fn player_bar_ends_seek_to_the_track_ends() {
    for size in [(120, 40), (80, 24), (50, 12)] {
        let (mut s, now) = state();
        paused(&mut s, now);
        assert_ends_seek_to_ends(&mut s, now, size, |s| {
            geometry::player(Rect::new(0, 0, s.size.0, s.size.1), s).progress
        });
    }
}

#[test]
fn now_bar_seeks_on_the_playlists_screen() {
    // Two-row bars from 30 rows; below that the bar has no progress line.
    for size in [(120, 40), (80, 30)] {
        let (mut s, now) = state();
        with_playlists(&mut s, vec![summary("p1", ME, 3)], now);
        paused(&mut s, now);
        assert_ends_seek_to_ends(&mut s, now, size, |s| {
            let area = Rect::new(0, 0, s.size.0, s.size.1);
            geometry::now_bar_progress(geometry::playlists_now_bar(area))
        });
    }
}

/// Column and row where `needle` is drawn.
fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
    (0..buf.area.height)
        .find_map(|y| {
            let text: String = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            text.find(needle)
                .map(|byte| (text[..byte].chars().count() as u16, y))
        })
        .unwrap_or_else(|| panic!("{needle:?} is not on the screen"))
}

fn wheel_down(column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn selected_title(s: &AppState) -> Option<String> {
    let o = s.library.open.as_ref()?;
    o.selected_entry().map(|e| e.track.title.clone())
}

#[test]
fn clicks_on_the_playlists_screen_focus_and_select_what_is_under_them() {
    let size = (120, 40);
    let (mut s, now) = opened((0..8).map(track).collect());
    assert_eq!(s.library.focus, Pane::Items);
    let buf = draw(&mut s, size, now);

    // The wheel scrolls the pane under the pointer, not the focused one.
    let list_row = find(&buf, "List p2");
    update(&mut s, wheel_down(list_row.0, list_row.1), now);
    assert_eq!(s.library.focus, Pane::List);
    let picked = s.library.selected_playlist().map(|p| p.id.clone());
    assert_eq!(picked.as_deref(), Some("p2"), "the list moved one row down");
    assert_eq!(selected_title(&s).as_deref(), Some("Song 0"));

    // A click on a playlist in the list focuses the list and selects it.
    update(&mut s, click(list_row.0, list_row.1 - 1), now);
    assert_eq!(s.library.focus, Pane::List);
    let picked = s.library.selected_playlist().map(|p| p.id.clone());
    assert_eq!(picked.as_deref(), Some("p1"), "the row above p2 is p1");

    // A click on an item focuses the items and selects that row.
    let (x, y) = find(&buf, "Song 5");
    update(&mut s, click(x, y), now);
    assert_eq!(s.library.focus, Pane::Items);
    assert_eq!(selected_title(&s).as_deref(), Some("Song 5"));

    // Below the last row nothing is selected: the selection stays.
    let (x, y) = find(&buf, "Song 7");
    update(&mut s, click(x, y + 3), now);
    assert_eq!(selected_title(&s).as_deref(), Some("Song 5"));
}
