//! Playlist browser rendering at 80×24 and 50×12: content, local files dimmed
//! cell by cell, modals, and the cost of drawing a 10,000-item playlist.

mod library_support;

use crossterm::event::KeyCode;
use library_support::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use spotdeck::app::event::Event;
use spotdeck::app::state::AppState;
use spotdeck::app::update::update;
use spotdeck::spotify::request::Request;
use spotdeck::ui::{self, Clock};

fn draw(s: &mut AppState, w: u16, h: u16) -> Buffer {
    let now = std::time::Instant::now();
    update(s, Event::Resize(w, h), now);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let clock = Clock {
        now,
        unix_secs: 1_800_000_000,
    };
    term.draw(|f| ui::render(s, clock, f)).unwrap();
    term.backend().buffer().clone()
}

fn row_text(buf: &Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

fn screen(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Row and column where `needle` starts.
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    (0..buf.area.height).find_map(|y| {
        let text = row_text(buf, y);
        text.find(needle).map(|byte| {
            let col = text[..byte].chars().count() as u16;
            (col, y)
        })
    })
}

/// Every cell of the row from `x0` to the pane's right border carries DIM.
fn assert_row_dim(buf: &Buffer, x0: u16, y: u16, dim: bool) {
    let mut x = x0;
    while x < buf.area.width && buf[(x, y)].symbol() != "│" {
        let cell = &buf[(x, y)];
        assert_eq!(
            cell.modifier.contains(Modifier::DIM),
            dim,
            "cell ({x},{y}) `{}` dim should be {dim}: {:?}",
            cell.symbol(),
            cell.modifier
        );
        x += 1;
    }
    assert!(x > x0 + 10, "row too short to check");
}

fn sample() -> (AppState, std::time::Instant) {
    opened(vec![track(0), local(1), track(2), track(3)])
}

#[test]
fn wide_80x24_shows_both_panes_and_dims_local_rows() {
    let (mut s, _) = sample();
    let buf = draw(&mut s, 80, 24);
    let text = screen(&buf);
    assert!(text.contains("Your playlists"), "{text}");
    assert!(text.contains("List p1"), "{text}");
    assert!(text.contains("List p2"), "{text}");
    assert!(text.contains("Song 0"), "{text}");
    assert!(text.contains("Artist 0"), "{text}");
    assert!(text.contains("3:00"), "{text}");
    assert!(text.contains("Local Song 1"), "{text}");
    assert!(text.contains("Local Artist"), "{text}");
    assert!(text.contains("by me name · 4 items · private"), "{text}");

    // The local row is dim in every cell; its neighbours are not.
    let (x_text, y_local) = find(&buf, "Local Song 1").unwrap();
    let pane_x = (0..x_text)
        .rev()
        .find(|&x| buf[(x, y_local)].symbol() == "│")
        .unwrap()
        + 1;
    assert!(pane_x > 20, "items pane is on the right");
    assert_row_dim(&buf, pane_x, y_local, true);
    let (_, y_song2) = find(&buf, "Song 2").unwrap();
    assert_row_dim(&buf, pane_x, y_song2, false);
}

#[test]
fn narrow_50x12_shows_one_pane_at_a_time() {
    let (mut s, now) = sample();
    let buf = draw(&mut s, 50, 12);
    let text = screen(&buf);
    assert!(!text.contains("Your playlists"), "items only: {text}");
    assert!(text.contains("Local Song 1"), "{text}");
    let (_, y_local) = find(&buf, "Local Song 1").unwrap();
    assert_row_dim(&buf, 1, y_local, true);
    let (_, y0) = find(&buf, "Song 0").unwrap();
    assert_row_dim(&buf, 1, y0, false);

    press_code(&mut s, KeyCode::Esc, now);
    let buf = draw(&mut s, 50, 12);
    let text = screen(&buf);
    assert!(text.contains("Your playlists"), "{text}");
    assert!(!text.contains("Song 0"), "{text}");
}

#[test]
fn selection_scrolls_and_only_visible_rows_are_drawn() {
    let (mut s, now) = opened((0..200).map(track).collect());
    draw(&mut s, 50, 12);
    press(&mut s, 'G', now);
    let buf = draw(&mut s, 50, 12);
    let text = screen(&buf);
    assert!(text.contains("Song 199"), "{text}");
    assert!(!text.contains("Song 0 "), "{text}");
    // The selected row is reversed.
    let (x, y) = find(&buf, "Song 199").unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn hidden_items_and_modals_are_rendered() {
    let (mut s, now) = state();
    with_playlists(&mut s, vec![summary("p2", "bob", 5)], now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    let (items_id, _) = calls(&out)
        .into_iter()
        .find(|(_, c)| matches!(c, Request::GetPlaylistItems { .. }))
        .unwrap();
    answer(&mut s, items_id, Err(forbidden()), now);
    let text = screen(&draw(&mut s, 80, 24));
    assert!(text.contains("by bob name"), "{text}");
    assert!(text.contains("development mode"), "{text}");

    press_code(&mut s, KeyCode::Esc, now);
    press(&mut s, 'D', now);
    let text = screen(&draw(&mut s, 80, 24));
    assert!(text.contains("Unfollow?"), "{text}");
    assert!(text.contains("no delete"), "{text}");
}

#[test]
fn ten_thousand_items_render_fast() {
    let (mut s, now) = opened((0..10_000).map(track).collect());
    update(&mut s, Event::Resize(120, 40), now);
    press(&mut s, 'G', now);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let clock = Clock {
        now,
        unix_secs: 1_800_000_000,
    };
    term.draw(|f| ui::render(&s, clock, f)).unwrap();
    let frames = 20;
    let t0 = std::time::Instant::now();
    for _ in 0..frames {
        term.draw(|f| ui::render(&s, clock, f)).unwrap();
    }
    let per_frame = t0.elapsed() / frames;
    eprintln!("10,000-item playlist: {per_frame:?} per frame (debug build)");
    let text = screen(term.backend().buffer());
    assert!(text.contains("Song 9999"), "{text}");
    // Generous bound for an unoptimised build on a shared machine; release is far below 1 ms.
    assert!(per_frame.as_millis() < 50, "{per_frame:?}");
}
