//! Render tests: the player screen at three sizes with a fixed clock.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::*;
use crate::app::keymap::Keymap;
use crate::app::state::{Focus, Popup};
use crate::config::Config;
use crate::domain::{Device, ItemKind, Playback, RecentEntry, Repeat, Track};

const NOW_UNIX: i64 = 1_795_640_400; // 2026-11-25T21:00:00Z

fn track(n: u32, kind: ItemKind) -> Track {
    Track {
        uri: format!("spotify:track:{n}"),
        title: format!("Song number {n}"),
        artists: vec!["The Examples".into(), "Guest".into()],
        album: "Fixture Album".into(),
        duration_ms: 215_000,
        kind,
        images: vec![],
        is_playable: true,
    }
}

fn state(t0: Instant) -> AppState {
    let mut s = AppState::new(&Config::default(), Keymap::default(), t0);
    s.user = Some(("demo".into(), "Demo Listener".into()));
    let dev = |id: &str, name: &str, active: bool| Device {
        id: Some(id.into()),
        name: name.into(),
        kind: "Computer".into(),
        is_active: active,
        is_restricted: false,
        volume: Some(60),
        supports_volume: true,
    };
    s.devices = vec![
        dev("a", "Study Laptop", true),
        dev("b", "Kitchen Speaker", false),
    ];
    s.playback = Some(Playback {
        device: Some(dev("a", "Study Laptop", true)),
        item: Some(track(1, ItemKind::Track)),
        is_playing: true,
        progress_ms: 60_000,
        fetched_at: t0 - Duration::from_secs(5),
        shuffle: true,
        repeat: Repeat::Context,
        context_uri: Some("spotify:album:xyz".into()),
        disallows: vec![],
    });
    s.playback_loaded = true;
    s.queue = vec![
        track(2, ItemKind::Track),
        track(3, ItemKind::Local),
        track(4, ItemKind::Episode),
    ];
    s.recent = vec![RecentEntry {
        track: track(5, ItemKind::Track),
        played_at: "2026-11-25T20:50:00Z".into(),
        context_uri: None,
    }];
    s
}

fn draw(s: &mut AppState, t0: Instant, w: u16, h: u16) -> Buffer {
    s.size = (w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| {
        render(
            s,
            Clock {
                now: t0,
                unix_secs: NOW_UNIX,
            },
            f,
        )
    })
    .unwrap();
    term.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn player_80x24() {
    let t0 = Instant::now();
    let mut s = state(t0);
    let buf = draw(&mut s, t0, 80, 24);
    let t = text(&buf);
    assert!(t.contains("Song number 1"));
    assert!(t.contains("1:05"), "progress interpolated 60 s + 5 s:\n{t}");
    assert!(t.contains("Kitchen Speaker"));
    assert!(t.contains("10 min ago"));
    insta::assert_snapshot!("player_80x24", t);
}

#[test]
fn player_120x40() {
    let t0 = Instant::now();
    let mut s = state(t0);
    let t = text(&draw(&mut s, t0, 120, 40));
    assert!(t.contains("Up next (3)"));
    insta::assert_snapshot!("player_120x40", t);
}

#[test]
fn player_50x12_degrades() {
    let t0 = Instant::now();
    let mut s = state(t0);
    s.focus = Focus::Devices;
    let t = text(&draw(&mut s, t0, 50, 12));
    assert!(t.contains("Song number 1"));
    assert!(t.contains("Devices"), "only the focused list shows:\n{t}");
    assert!(!t.contains("Up next"));
    insta::assert_snapshot!("player_50x12", t);
}

#[test]
fn local_file_in_queue_is_dimmed() {
    let t0 = Instant::now();
    let mut s = state(t0);
    let buf = draw(&mut s, t0, 120, 40);
    let t = text(&buf);
    let row = t.lines().position(|l| l.contains("Song number 3")).unwrap() as u16;
    let col = t
        .lines()
        .nth(row as usize)
        .unwrap()
        .find("Song number 3")
        .unwrap();
    // Column in cells equals byte offset only for ASCII prefixes; find the cell instead.
    let x = (0..buf.area.width).find(|&x| {
        buf[(x, row)].symbol() == "S" && {
            let s: String = (x..x + 13)
                .map(|i| buf[(i, row)].symbol().to_string())
                .collect();
            s == "Song number 3"
        }
    });
    let x = x.unwrap_or(col as u16);
    for i in 0..13 {
        assert!(
            buf[(x + i, row)]
                .modifier
                .contains(ratatui::style::Modifier::DIM),
            "cell {i} of the local file row is not dim"
        );
    }
}

#[test]
fn nothing_playing_says_so() {
    let t0 = Instant::now();
    let mut s = state(t0);
    s.playback = None;
    let t = text(&draw(&mut s, t0, 80, 24));
    assert!(t.contains("Nothing is playing."));
}

#[test]
fn help_lists_every_intent_from_the_keymap() {
    let t0 = Instant::now();
    let s = state(t0);
    let lines: Vec<String> = popups::help_lines(&s)
        .iter()
        .map(|l| l.to_string())
        .collect();
    for i in crate::app::intent::Intent::ALL {
        assert!(
            lines
                .iter()
                .any(|l| l.contains(i.describe()) && l.contains(&s.keymap.keys_text(*i))),
            "{}",
            i.name()
        );
    }
}

#[test]
fn device_picker_and_rate_limit_render() {
    let t0 = Instant::now();
    let mut s = state(t0);
    s.popup = Some(Popup::DevicePicker {
        cursor: Default::default(),
        retry: None,
    });
    s.rate_limited_until = Some(t0 + Duration::from_millis(4_200));
    let t = text(&draw(&mut s, t0, 80, 24));
    assert!(t.contains("Play on which device?"));
    assert!(t.contains("retrying in 5s"), "{t}");
}

/// Rows of the pane whose top border carries `title`, between its side borders.
fn pane_rows(t: &str, title: &str) -> Vec<String> {
    let lines: Vec<Vec<char>> = t.lines().map(|l| l.chars().collect()).collect();
    let Some((top, start)) = lines.iter().enumerate().find_map(|(y, l)| {
        let s: String = l.iter().collect();
        s.find(title)
            .map(|b| (y, s[..b].chars().count().saturating_sub(2)))
    }) else {
        panic!("no pane titled {title}:\n{t}");
    };
    let end = (start + 1..lines[top].len())
        .find(|&x| lines[top][x] == '┐')
        .unwrap_or(lines[top].len());
    lines[top + 1..]
        .iter()
        .take_while(|l| l.get(start) == Some(&'│'))
        .map(|l| l[start + 1..end].iter().collect())
        .collect()
}

/// Every word is whole, or visibly cut with an ellipsis.
fn assert_words_whole(rows: &[String], whole: &[&str], t: &str) {
    for row in rows {
        for word in row.split_whitespace() {
            assert!(
                whole.contains(&word) || word.ends_with('…'),
                "`{word}` is cut silently in `{row}`:\n{t}"
            );
        }
    }
}

fn many_devices(s: &mut AppState) {
    let dev = |id: &str, name: &str, kind: &str, vol: u8, restricted: bool| Device {
        id: Some(id.into()),
        name: name.into(),
        kind: kind.into(),
        is_active: id == "a",
        is_restricted: restricted,
        volume: Some(vol),
        supports_volume: true,
    };
    s.devices = vec![
        dev("a", "Study Desktop", "Computer", 60, false),
        dev("b", "Office TV", "TV", 30, true),
        dev("c", "Living Room Speaker Group", "Speaker", 100, false),
    ];
}

const DEVICE_WORDS: &[&str] = &[
    "●",
    "Study",
    "Desktop",
    "Computer",
    "60%",
    "Office",
    "TV",
    "30%",
    "restricted",
    "Living",
    "Room",
    "Speaker",
    "Group",
    "100%",
];

#[test]
fn devices_pane_never_cuts_silently_120x40_and_80x24() {
    for (w, h) in [(120, 40), (80, 24)] {
        let t0 = Instant::now();
        let mut s = state(t0);
        many_devices(&mut s);
        let t = text(&draw(&mut s, t0, w, h));
        let rows = pane_rows(&t, "Devices");
        assert_words_whole(&rows, DEVICE_WORDS, &t);
        let joined = rows.join("\n");
        assert!(joined.contains("60%"), "volume kept at {w}×{h}:\n{t}");
        assert!(joined.contains("Office TV"), "short names whole:\n{t}");
    }
}

#[test]
fn device_columns_shrink_name_then_volume_then_type() {
    let t0 = Instant::now();
    let mut s = state(t0);
    many_devices(&mut s);
    let row = |width: usize| -> String {
        let item = player::device_item(&s.theme, &s.devices[2], width);
        let mut term = Terminal::new(TestBackend::new(width as u16, 1)).unwrap();
        term.draw(|f| {
            f.render_widget(ratatui::widgets::List::new(vec![item]), f.area());
        })
        .unwrap();
        text(term.backend().buffer()).trim_end().to_string()
    };
    let full = row(60);
    assert!(
        full.starts_with("  Living Room Speaker Group  Speaker "),
        "{full}"
    );
    assert!(
        full.ends_with(" 100%") && full.chars().count() == 60,
        "{full}"
    );
    // The name shrinks first …
    assert_eq!(row(38), "  Living Room Speaker G…  Speaker 100%");
    assert_eq!(row(30), "  Living Room S…  Speaker 100%");
    // … then the volume goes, then the type.
    assert_eq!(row(22), "  Living Roo…  Speaker");
    assert_eq!(row(14), "  Living Room…");
}

#[test]
fn player_50x12_keeps_artist_and_progress() {
    let t0 = Instant::now();
    let mut s = state(t0);
    let t = text(&draw(&mut s, t0, 50, 12));
    assert!(t.contains("Song number 1"), "{t}");
    assert!(t.contains("The Examples"), "artist kept:\n{t}");
    assert!(
        t.contains("1:05") && t.contains("3:35"),
        "progress kept:\n{t}"
    );
}

#[test]
fn footer_hints_end_on_a_whole_hint_at_80x24() {
    let t0 = Instant::now();
    let mut s = state(t0);
    let t = text(&draw(&mut s, t0, 80, 24));
    let footer = t.lines().last().unwrap_or_default().trim_end().to_string();
    assert!(footer.ends_with("quit"), "`{footer}`");
}

#[test]
fn long_status_message_wraps_to_two_lines_at_120() {
    let t0 = Instant::now();
    let mut s = state(t0);
    let msg = "Spotify refused to change the details of “UX Test List”: Set public to no or collaborative to no first, then try again; nothing was changed.";
    s.error(msg, t0);
    let t = text(&draw(&mut s, t0, 120, 40));
    let last_two: Vec<&str> = t.lines().rev().take(2).collect();
    let shown = format!("{} {}", last_two[1].trim(), last_two[0].trim());
    assert_eq!(shown, msg, "{t}");
}

#[test]
fn moving_playback_message_clears_when_the_transfer_ends() {
    use crate::app::action::Action;
    use crate::app::event::Event;
    use crate::app::update::update;
    use crate::spotify::request::{Answer, ApiRequest, Reply, Request};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let t0 = Instant::now();
    let mut s = state(t0);
    s.focus = Focus::Devices;
    let key = |c| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Down), t0);
    let out = update(&mut s, key(KeyCode::Enter), t0);
    let id = out
        .iter()
        .find_map(|a| match a {
            Action::Api(ApiRequest {
                id,
                call: Request::Transfer { .. },
                ..
            }) => Some(*id),
            _ => None,
        })
        .expect("transfer sent");
    let t = text(&draw(&mut s, t0, 120, 40));
    assert!(t.contains("Moving playback to"), "{t}");
    let later = t0 + Duration::from_millis(300);
    update(
        &mut s,
        Event::Api(Box::new(Answer {
            id,
            result: Ok(Reply::Done),
        })),
        later,
    );
    let t = text(&draw(&mut s, later, 120, 40));
    assert!(
        !t.contains("Moving playback to"),
        "stale progress message:\n{t}"
    );
}

/// Switches to the playlists screen through the reducer and answers its
/// first request with two playlists.
fn on_playlists(s: &mut AppState) {
    use crate::app::action::Action;
    use crate::app::event::Event;
    use crate::spotify::request::{Answer, ApiRequest, Reply, Request};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let t0 = Instant::now();
    let out = crate::app::update::update(
        s,
        Event::Key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::NONE)),
        t0,
    );
    let id = out
        .iter()
        .find_map(|a| match a {
            Action::Api(ApiRequest {
                id,
                call: Request::GetMyPlaylists,
                ..
            }) => Some(*id),
            _ => None,
        })
        .expect("playlists requested");
    let list = |id: &str, name: &str| crate::domain::PlaylistSummary {
        id: id.into(),
        name: name.into(),
        description: String::new(),
        owner_id: "demo".into(),
        owner_name: "Demo Listener".into(),
        public: Some(true),
        collaborative: false,
        snapshot_id: "s".into(),
        total: 12,
        images: vec![],
    };
    crate::app::update::update(
        s,
        Event::Api(Box::new(Answer {
            id,
            result: Ok(Reply::PlaylistsPage {
                offset: 0,
                total: 2,
                items: vec![list("p1", "Morning Commute"), list("p2", "Sunday Slow")],
                done: true,
            }),
        })),
        t0,
    );
    assert_eq!(s.screen, crate::app::state::Screen::Playlists);
}

#[test]
fn now_playing_bar_on_playlists_120x40() {
    let t0 = Instant::now();
    let mut s = state(t0);
    on_playlists(&mut s);
    let t = text(&draw(&mut s, t0, 120, 40));
    let lines: Vec<&str> = t.lines().collect();
    let bar = lines[37];
    assert!(bar.contains("▶ Song number 1 · The Examples, Guest"), "{t}");
    assert!(bar.contains("on Study Laptop"), "{t}");
    assert!(lines[38].contains("1:05") && lines[38].contains("━"), "{t}");
    insta::assert_snapshot!("playlists_120x40", t);
}

#[test]
fn now_playing_bar_on_playlists_80x24_is_one_line() {
    let t0 = Instant::now();
    let mut s = state(t0);
    on_playlists(&mut s);
    s.playback.as_mut().unwrap().is_playing = false;
    let t = text(&draw(&mut s, t0, 80, 24));
    let bar = t.lines().nth(22).unwrap_or_default();
    assert!(bar.contains("⏸ Song number 1 · The Examples"), "{t}");
    assert!(bar.contains("1:00/3:35"), "paused: no interpolation:\n{t}");
    assert!(bar.contains("on Study Laptop"), "{t}");
    insta::assert_snapshot!("playlists_80x24", t);
}

#[test]
fn now_playing_bar_50x12_and_dropped_below() {
    let t0 = Instant::now();
    let mut s = state(t0);
    on_playlists(&mut s);
    let t = text(&draw(&mut s, t0, 50, 12));
    let bar = t.lines().nth(10).unwrap_or_default();
    assert!(bar.contains("▶ Song number 1"), "{t}");
    assert!(bar.contains("1:05/3:35"), "{t}");
    insta::assert_snapshot!("playlists_50x12", t);
    let t = text(&draw(&mut s, t0, 50, 11));
    assert!(!t.contains("Song number 1"), "no bar below 12 rows:\n{t}");
}

#[test]
fn now_playing_bar_says_when_nothing_plays() {
    let t0 = Instant::now();
    let mut s = state(t0);
    on_playlists(&mut s);
    s.playback = None;
    let t = text(&draw(&mut s, t0, 80, 24));
    assert!(t.contains("Nothing is playing."), "{t}");
    assert!(t.contains("d pick a device"), "{t}");
}

#[test]
fn no_color_theme_draws_no_colours_but_keeps_modifiers() {
    use ratatui::style::{Color, Modifier};
    let t0 = Instant::now();
    for screen in [
        crate::app::state::Screen::Player,
        crate::app::state::Screen::Playlists,
    ] {
        let mut s = state(t0);
        s.screen = screen;
        s.theme = theme::Theme::plain();
        s.popup = None;
        let buf = draw(&mut s, t0, 120, 40);
        let mut bold = 0;
        for cell in buf.content() {
            assert_eq!(cell.fg, Color::Reset, "`{}` has a colour", cell.symbol());
            assert_eq!(cell.bg, Color::Reset, "`{}` has a colour", cell.symbol());
            bold += usize::from(cell.modifier.contains(Modifier::BOLD));
        }
        assert!(bold > 0, "bold kept");
        // And the default theme does colour.
        s.theme = theme::Theme::default();
        let buf = draw(&mut s, t0, 120, 40);
        assert!(buf.content().iter().any(|c| c.fg != Color::Reset));
    }
}
