//! `NO_COLOR` in the real binary: crossterm then drops every colour escape,
//! so half-block cover art (cells that are nothing but colours) would be
//! drawn as a grey pattern of `▀`/`▄`. The art is left out instead.

mod support;

use support::tmux::App;

const HALF_BLOCKS: [char; 2] = ['▀', '▄'];

/// The demo's first track, paused at start.
const FIRST_TITLE: &str = "Tangled Afternoons";

#[test]
fn no_color_leaves_half_block_art_out() {
    // `App::demo` asks for `--images halfblocks`.
    let app = App::demo((100, 30), &[("NO_COLOR", "1".to_string())]);
    let screen = app.wait_for(FIRST_TITLE);
    // Without art the title starts at the pane's left border, where the
    // art (or its "loading…" frame) would otherwise stand.
    let row = screen
        .lines()
        .find(|l| l.contains(FIRST_TITLE))
        .unwrap_or_default();
    assert!(
        row.starts_with(&format!("│{FIRST_TITLE}")),
        "the title has an art column beside it:\n{screen}"
    );
    assert!(
        !screen.contains(HALF_BLOCKS),
        "half-block art drawn without colours:\n{screen}"
    );
    app.quit();
}

#[test]
fn half_block_art_is_drawn_with_colours() {
    let app = App::demo((100, 30), &[]);
    let screen = app.wait_screen("half-block cover art", |s| s.contains(HALF_BLOCKS));
    let row = screen
        .lines()
        .find(|l| l.contains(FIRST_TITLE))
        .unwrap_or_default();
    assert!(
        !row.starts_with(&format!("│{FIRST_TITLE}")),
        "no art column beside the title:\n{screen}"
    );
    app.quit();
}
