//! Render and key-to-frame benchmarks (release build, TestBackend).
//!
//! - full-screen render of the player screen at 120×40 with cover art;
//! - key press → updated frame for local actions (cursor move, volume key):
//!   `update()` plus a full `Terminal::draw`.
//!
//! Run: `cargo bench --bench render`. Targets: < 1 ms per frame,
//! < 16.7 ms key → frame.

mod common;
#[path = "../tests/library_support/mod.rs"]
mod library_support;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Rect, Size};
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use spotdeck::app::event::Event;
use spotdeck::app::keymap::Keymap;
use spotdeck::app::state::{AppState, Focus};
use spotdeck::app::update::update;
use spotdeck::config::Config;
use spotdeck::cover::ArtProtocol;
use spotdeck::domain::{Device, ImageRef, ItemKind, Playback, RecentEntry, Repeat, Track};
use spotdeck::ui::{self, Clock, layout};

const FRAME_TARGET: Duration = Duration::from_millis(1);
const KEY_TARGET: Duration = Duration::from_micros(16_700);

fn track(n: usize) -> Track {
    Track {
        uri: format!("spotify:track:{n:022}"),
        title: format!("A fairly long song title number {n} (Remastered 2011)"),
        artists: vec![format!("Artist {n}"), "Featured Guest".into()],
        album: format!("Album {}", n / 10),
        duration_ms: 180_000 + (n as u64 * 7_919) % 120_000,
        kind: ItemKind::Track,
        images: vec![ImageRef {
            url: format!("http://img/{n}.jpg"),
            width: Some(640),
        }],
        is_playable: !n.is_multiple_of(17),
    }
}

fn device(n: usize, active: bool) -> Device {
    Device {
        id: Some(format!("device{n}")),
        name: format!("Device number {n}"),
        kind: ["Computer", "Smartphone", "Speaker", "TV"][n % 4].into(),
        is_active: active,
        is_restricted: false,
        volume: Some(40),
        supports_volume: true,
    }
}

/// A player state as it looks after the first polls: playing, a queue of 20,
/// 50 recently played, 4 devices and encoded cover art.
fn player_state(size: (u16, u16)) -> AppState {
    let now = Instant::now();
    let mut s = AppState::new(&Config::default(), Keymap::default(), now);
    s.size = size;
    s.devices = (0..4).map(|i| device(i, i == 0)).collect();
    let current = track(1);
    let art_url = current.images[0].url.clone();
    s.playback = Some(Playback {
        device: Some(device(0, true)),
        item: Some(current),
        is_playing: true,
        progress_ms: 42_000,
        fetched_at: now,
        shuffle: true,
        repeat: Repeat::Context,
        context_uri: Some("spotify:playlist:5EverythingEverDemo005".into()),
        disallows: vec![],
    });
    s.playback_loaded = true;
    s.queue = (2..22).map(track).collect();
    s.recent = (100..150)
        .map(|n| RecentEntry {
            track: track(n),
            played_at: "2026-05-31T12:00:00Z".into(),
            context_uri: None,
        })
        .collect();
    s.user = Some(("demo".into(), "Demo User".into()));

    // Cover art: a 640×640 gradient, encoded with halfblocks like the app does.
    let img = image::RgbImage::from_fn(640, 640, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 3) as u8, ((x + y) / 6) as u8])
    });
    let img = Arc::new(image::DynamicImage::ImageRgb8(img));
    s.art.wanted = Some(art_url.clone());
    s.art.decoded = Some((art_url.clone(), Arc::clone(&img)));
    let area = Rect::new(0, 0, size.0, size.1);
    if let Some(rect) = layout::player(area, &s).art {
        let picker = Picker::halfblocks();
        let protocol = picker
            .new_protocol(
                (*img).clone(),
                Size::new(rect.width, rect.height),
                Resize::Fit(None),
            )
            .expect("halfblocks encoding");
        s.art.encoded = Some(ArtProtocol {
            url: art_url,
            cells: (rect.width, rect.height),
            protocol: Arc::new(protocol),
        });
    }
    s
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn main() {
    println!("render benchmarks (release, TestBackend)");
    let (w, h) = (120, 40);

    // 1. Full-screen render of the player screen. Every iteration draws a
    // fresh frame with the wall clock (the progress bar moves), through the
    // terminal's diffing like the real loop.
    let state = player_state((w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let s = common::measure(200, 3_000, || {
        term.draw(|f| ui::render(black_box(&state), Clock::system(), f))
            .expect("draw");
    });
    common::report("player 120x40 full render (draw)", s, FRAME_TARGET);
    // Same, but the backend buffer is cleared first so every cell is re-sent.
    let s = common::measure(200, 3_000, || {
        term.clear().expect("clear");
        term.draw(|f| ui::render(black_box(&state), Clock::system(), f))
            .expect("draw");
    });
    common::report("player 120x40 clear + full render", s, FRAME_TARGET);

    // 1b. Playlists screen with a 10,000-item playlist open (populated through
    // `update` with API answers, like the app).
    let (mut lib, now) = library_support::opened((0..10_000).map(library_support::track).collect());
    update(&mut lib, Event::Resize(w, h), now);
    assert_eq!(
        spotdeck::app::library::open_entries(&lib).len(),
        10_000,
        "the 10k playlist is open"
    );
    let mut term_lib = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let s = common::measure(200, 3_000, || {
        term_lib
            .draw(|f| ui::render(black_box(&lib), Clock::system(), f))
            .expect("draw");
    });
    common::report("playlists 120x40, 10k items open (draw)", s, FRAME_TARGET);
    let mut down = true;
    let mut step = 0usize;
    let s = common::measure(100, 3_000, || {
        step += 1;
        if step.is_multiple_of(500) {
            down = !down;
        }
        let ev = key(if down { KeyCode::Down } else { KeyCode::Up });
        black_box(update(&mut lib, ev, Instant::now()));
        term_lib
            .draw(|f| ui::render(&lib, Clock::system(), f))
            .expect("draw");
        lib.dirty = false;
    });
    common::report(
        "key->frame: 10k playlist cursor (update+draw)",
        s,
        KEY_TARGET,
    );

    // 2. Key → frame: cursor down/up in the recently-played list, volume +/-.
    let mut state = player_state((w, h));
    state.focus = Focus::Recent;
    let mut down = true;
    let mut step = 0usize;
    let s = common::measure(100, 3_000, || {
        step += 1;
        if step.is_multiple_of(40) {
            down = !down;
        }
        let ev = key(if down { KeyCode::Down } else { KeyCode::Up });
        let out = update(&mut state, ev, Instant::now());
        black_box(out);
        term.draw(|f| ui::render(&state, Clock::system(), f))
            .expect("draw");
        state.dirty = false;
    });
    common::report("key->frame: cursor move (update+draw)", s, KEY_TARGET);

    let mut state = player_state((w, h));
    let mut up = true;
    let s = common::measure(100, 3_000, || {
        let ev = key(if up {
            KeyCode::Char('+')
        } else {
            KeyCode::Char('-')
        });
        up = !up;
        let out = update(&mut state, ev, Instant::now());
        black_box(out);
        // The command is never answered here, so drop it to keep `pending` small.
        state.pending.clear();
        term.draw(|f| ui::render(&state, Clock::system(), f))
            .expect("draw");
        state.dirty = false;
    });
    common::report("key->frame: volume +/- (update+draw)", s, KEY_TARGET);
}
