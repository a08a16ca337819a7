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
use std::time::{Duration, Instant};

use common::player::player_state;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spotdeck::app::event::Event;
use spotdeck::app::state::Focus;
use spotdeck::app::update::update;
use spotdeck::ui::{self, Clock};

const FRAME_TARGET: Duration = Duration::from_millis(1);
const KEY_TARGET: Duration = Duration::from_micros(16_700);

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
