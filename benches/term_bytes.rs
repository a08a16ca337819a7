//! Bytes written to the terminal by the player screen at 120×40 with
//! half-block cover art, through the real crossterm backend into a counter:
//! per progress tick while playing (one second of playback between frames)
//! and per full redraw (every cell sent, as after a resize).
//!
//! Run: `cargo bench --bench term_bytes` (the figures do not depend on the
//! build profile, so `cargo test --release --bench term_bytes` or a debug
//! `cargo test --bench term_bytes` give the same numbers). Target: ≤ 1 KB per tick.

mod common;

use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use spotdeck::ui::{self, Clock};

const TICK_TARGET: usize = 1024;

/// A writer that only counts (the count is shared with the bench).
#[derive(Default, Clone)]
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let (w, h) = (120, 40);
    let state = common::player::player_state((w, h));
    let art = state
        .art
        .encoded
        .as_ref()
        .map(|a| a.cells)
        .expect("art encoded");
    let t0 = state
        .playback
        .as_ref()
        .map(|p| p.fetched_at)
        .expect("playing");
    let clock = |secs: u64| Clock {
        now: t0 + Duration::from_millis(secs * 1000 + 300),
        unix_secs: 1_800_000_000 + secs as i64,
    };
    let counter = Counter::default();
    // A fresh terminal has nothing on screen, so its first draw sends every
    // cell: that is a full redraw (as after a resize or a clear).
    let fresh = || {
        Terminal::with_options(
            CrosstermBackend::new(counter.clone()),
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
            },
        )
        .expect("terminal")
    };
    let bytes = |term: &mut Terminal<CrosstermBackend<Counter>>, secs: u64| {
        let before = counter.0.get();
        term.draw(|f| ui::render(&state, clock(secs), f))
            .expect("draw");
        counter.0.get() - before
    };
    let mut term = fresh();
    let first = bytes(&mut term, 0);
    let mut ticks: Vec<usize> = (1..=30).map(|s| bytes(&mut term, s)).collect();
    let mut full: Vec<usize> = (31..=35).map(|s| bytes(&mut fresh(), s)).collect();
    ticks.sort_unstable();
    full.sort_unstable();
    let median = |v: &[usize]| v[v.len() / 2];
    println!("terminal bytes, player 120x40 with half-block art (crossterm backend)");
    println!("  art pane: {}x{} cells", art.0, art.1);
    println!("  first frame: {first} bytes");
    println!(
        "  per progress tick (1 s of playback, 30 ticks): median {} bytes, min {}, max {}  target <= {TICK_TARGET}  {}",
        median(&ticks),
        ticks[0],
        ticks[ticks.len() - 1],
        if median(&ticks) <= TICK_TARGET {
            "MET"
        } else {
            "MISSED"
        }
    );
    println!(
        "  per full redraw (every cell, 5 runs): median {} bytes",
        median(&full)
    );
}
