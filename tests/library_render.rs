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
    // Frame times are measured in benches/render.rs, not here.
    let text = screen(term.backend().buffer());
    assert!(text.contains("Song 9999"), "{text}");
}

fn long_entry(i: usize) -> spotdeck::domain::PlaylistEntry {
    let mut e = track(i);
    e.track.title = "The Quiet Cartographer of Forgotten Harbours".into();
    e.track.artists = vec!["Ensemble Nocturne".into(), "Marguerite Delacroix".into()];
    e.track.album = "Maps Drawn in Salt and Candlelight".into();
    e
}

const LONG_WORDS: &str = "# Title Artist Album Added Time The Quiet Cartographer of Forgotten Harbours Ensemble Nocturne, Marguerite Delacroix Maps Drawn in Salt and Candlelight";

#[test]
fn table_cells_end_in_an_ellipsis_not_mid_word_120x40_and_80x24() {
    for (w, h) in [(120, 40), (80, 24)] {
        let (mut s, _) = opened((0..3).map(long_entry).collect());
        let buf = draw(&mut s, w, h);
        let text = screen(&buf);
        let (x0, y0) = find(&buf, "Title").expect("header");
        for y in y0..y0 + 4 {
            let row: String = row_text(&buf, y).chars().skip(x0 as usize).collect();
            let row = row.split('│').next().unwrap_or_default();
            for word in row.split_whitespace() {
                let whole = LONG_WORDS.split(' ').any(|x| x == word)
                    || word.chars().all(|c| c.is_ascii_digit() || c == ':')
                    || ["min", "ago", "h", "d", "just", "now", "·"].contains(&word);
                assert!(
                    whole || word.ends_with('…'),
                    "`{word}` cut silently at {w}×{h}:\n{text}"
                );
            }
        }
        assert!(text.contains("…"), "long cells are marked cut:\n{text}");
    }
}

#[test]
fn filter_text_stays_in_the_playlists_title_at_80x24() {
    let (mut s, now) = state();
    let lists: Vec<_> = ["Sunday Morning", "Monday Blues", "Sunday Drive"]
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut p = summary(&format!("p{i}"), ME, 3);
            p.name = (*n).into();
            p
        })
        .collect();
    with_playlists(&mut s, lists, now);
    press(&mut s, '/', now);
    type_text(&mut s, "Sunday", now);
    let text = screen(&draw(&mut s, 80, 24));
    let title = text.lines().nth(1).unwrap_or_default();
    assert!(title.contains("/Sunday"), "{text}");
    assert!(
        title.contains("Playlists"),
        "the name stays when it fits:\n{text}"
    );
    assert!(!text.contains("Monday"), "{text}");
    // Typing more than the title holds keeps the end of what was typed.
    type_text(&mut s, " and a very long tail", now);
    let text = screen(&draw(&mut s, 80, 24));
    let title = text.lines().nth(1).unwrap_or_default();
    assert!(title.contains("long tail▏"), "{text}");
}

#[test]
fn fuzzy_filter_ranks_the_closest_row_first() {
    let (mut s, now) = opened(
        ["Sun Day", "Songs of a Rainy Sunday", "Sunday"]
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut e = track(i);
                e.track.title = (*t).into();
                e
            })
            .collect(),
    );
    press(&mut s, '/', now);
    type_text(&mut s, "sunday", now);
    let o = s.library.open.as_ref().expect("open");
    let shown: Vec<&str> = o
        .view
        .iter()
        .filter_map(|&p| o.items.get(p))
        .map(|e| e.track.title.as_str())
        .collect();
    assert_eq!(shown.first(), Some(&"Sunday"), "{shown:?}");
    assert!(
        shown.contains(&"Sun Day"),
        "fuzzy, not substring: {shown:?}"
    );
}

#[test]
fn a_filtered_list_title_counts_the_matches() {
    let (mut s, now) = state();
    with_playlists(
        &mut s,
        vec![
            summary("alpha", ME, 1),
            summary("beta", ME, 2),
            summary("gamma", ME, 3),
        ],
        now,
    );
    let text = screen(&draw(&mut s, 120, 40));
    assert!(text.contains("(3)"), "{text}");
    press(&mut s, '/', now);
    type_text(&mut s, "beta", now);
    let shown = s.library.list_view.len();
    assert_eq!(shown, 1);
    let text = screen(&draw(&mut s, 120, 40));
    assert!(
        text.contains("(1 of 3)"),
        "the title counts the matches:\n{text}"
    );
}
