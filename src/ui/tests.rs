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
        disallows: Default::default(),
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
