//! Filter-as-you-type on 10,000 rows (release build): the fuzzy ranking of
//! `spotdeck::fuzzy::view` for queries of growing length, and one key press
//! in the filter of an open 10,000-item playlist through `update` (which
//! re-ranks the whole list, as the app does on every keystroke).
//!
//! Run: `cargo bench --bench filter`. Target: < 2 ms a keystroke.

mod common;
#[path = "../tests/library_support/mod.rs"]
mod library_support;

use std::hint::black_box;
use std::time::Duration;

use crossterm::event::KeyCode;
use spotdeck::app::event::Event;
use spotdeck::app::update::update;
use spotdeck::domain::PlaylistEntry;

const KEY_TARGET: Duration = Duration::from_millis(2);
const ROWS: usize = 10_000;

const WORDS: &[&str] = &[
    "Sunday",
    "Harbour",
    "Quiet",
    "Morning",
    "Golden",
    "Neon",
    "River",
    "Café",
    "Midnight",
    "Paper",
    "Echo",
    "Summer",
    "Gravity",
    "Velvet",
    "Island",
    "Motörhead",
    "Coast",
    "Lantern",
    "Static",
    "Orchard",
    "Winter",
    "Atlas",
    "Signal",
    "Meadow",
];

fn word(n: usize) -> &'static str {
    WORDS[n % WORDS.len()]
}

/// A varied, realistic row: multi-word title, two artists, an album.
fn entry(i: usize) -> PlaylistEntry {
    let mut e = library_support::track(i);
    e.track.title = format!(
        "{} {} {} (Remastered {})",
        word(i),
        word(i / 7 + 3),
        word(i / 31 + 5),
        1990 + i % 30
    );
    e.track.artists = vec![
        format!("The {} {}", word(i / 3 + 1), word(i / 11 + 2)),
        format!("Guest {}", i % 97),
    ];
    e.track.album = format!("{} of {}", word(i / 13 + 4), word(i / 17 + 6));
    e
}

fn main() {
    println!("filter benchmarks (release, {ROWS} rows)");
    let slots: Vec<Option<PlaylistEntry>> = (0..ROWS).map(|i| Some(entry(i))).collect();
    for query in ["s", "sun", "sunday", "sunday harb", "qiet mrnng", "zzzz"] {
        let hits = spotdeck::fuzzy::view(&slots, query).len();
        let s = common::measure(20, 300, || {
            black_box(spotdeck::fuzzy::view(black_box(&slots), black_box(query)));
        });
        common::report(
            &format!("fuzzy::view {query:?} ({hits} hits)"),
            s,
            KEY_TARGET,
        );
    }

    // One key press in the items filter of the open 10k playlist: update()
    // appends the character and re-ranks all rows. Each iteration types a
    // letter and deletes it again (two keystrokes, both timed).
    let (mut s, now) = library_support::opened((0..ROWS).map(entry).collect());
    update(&mut s, Event::Resize(120, 40), now);
    library_support::press(&mut s, '/', now);
    library_support::type_text(&mut s, "sunda", now);
    let mut typed = false;
    let summary = common::measure(20, 600, || {
        if typed {
            library_support::press_code(&mut s, KeyCode::Backspace, now);
        } else {
            library_support::press(&mut s, 'y', now);
        }
        typed = !typed;
    });
    let shown = s.library.open.as_ref().map_or(0, |o| o.view.len());
    common::report(
        &format!("key in the filter, 10k items (update, {shown} shown)"),
        summary,
        KEY_TARGET,
    );
}
