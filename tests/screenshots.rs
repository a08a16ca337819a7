//! The README's screenshots are drawn by this test, never by hand: each screen
//! of the demo catalogue at 120×40, through the real reducer and
//! `ui::render`, written as SVG by `ui::svg`. The test fails when a committed
//! picture in `assets/screenshots/` differs from what the code draws now.
//!
//! Regenerate after a UI change:
//! `SPOTDECK_UPDATE_SCREENSHOTS=1 cargo test --test screenshots`

mod demo_app;

use std::path::{Path, PathBuf};

use crossterm::event::KeyCode;
use demo_app::Demo;
use spotdeck::config::Config;
use spotdeck::ui::svg::{self, Backdrop};

const REGENERATE: &str = "SPOTDECK_UPDATE_SCREENSHOTS=1 cargo test --test screenshots";
const SIZE: (u16, u16) = (120, 40);
const LOCAL_PLAYLIST: &str = "Local Files & Dupes";
const SEARCH: &str = "velvet";

/// One picture: file stem, and the SVG the code draws.
struct Shot {
    name: &'static str,
    svg: String,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/screenshots")
}

/// Walks through the demo and draws each screen.
async fn capture() -> Vec<Shot> {
    let mut app = Demo::start(Config::default(), SIZE.0, SIZE.1).await;
    let mut shots = Vec::new();
    let mut shoot = |name: &'static str, app: &Demo| {
        shots.push(Shot {
            name,
            svg: svg::to_svg(&app.draw(), Backdrop::DARK),
        });
    };
    assert!(
        app.state.art.encoded.is_some(),
        "cover art should be loaded: {:?}",
        app.state.art
    );
    shoot("player", &app);

    app.press('d').await;
    shoot("devices", &app);
    app.press_code(KeyCode::Esc).await;

    app.press('?').await;
    shoot("help", &app);
    app.press_code(KeyCode::Esc).await;

    app.press('2').await;
    let rows = app.state.library.list().slots.len();
    for _ in 0..rows {
        let on_local = app
            .state
            .library
            .selected_playlist()
            .is_some_and(|p| p.name == LOCAL_PLAYLIST);
        if on_local {
            break;
        }
        app.press('j').await;
    }
    app.press_code(KeyCode::Enter).await;
    shoot("playlists", &app);

    app.press('3').await;
    for c in SEARCH.chars() {
        app.press(c).await;
    }
    app.press_code(KeyCode::Enter).await;
    shoot("search", &app);

    app.press('4').await;
    shoot("library", &app);

    let mut light = Config::default();
    light.theme.name = "light".into();
    let app = Demo::start(light, SIZE.0, SIZE.1).await;
    shots.push(Shot {
        name: "player-light",
        svg: svg::to_svg(&app.draw(), Backdrop::LIGHT),
    });
    shots
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn committed_screenshots_match_what_the_code_draws() {
    let shots = capture().await;
    check_content(&shots);
    if std::env::var_os("SPOTDECK_UPDATE_SCREENSHOTS").is_some() {
        write(&shots);
        return;
    }
    let mut stale = Vec::new();
    for shot in &shots {
        let path = dir().join(format!("{}.svg", shot.name));
        let shown = format!("assets/screenshots/{}.svg", shot.name);
        match std::fs::read_to_string(&path) {
            Ok(committed) if committed == shot.svg => {}
            Ok(committed) => stale.push(format!(
                "{shown}: {}",
                first_difference(&committed, &shot.svg)
            )),
            Err(e) => stale.push(format!("{shown}: {e}")),
        }
    }
    for extra in unexpected_files(&shots) {
        stale.push(format!(
            "{}: no screen draws this any more",
            extra.display()
        ));
    }
    assert!(
        stale.is_empty(),
        "the committed screenshots no longer match what the code draws:\n  {}\nregenerate them with:\n  {REGENERATE}",
        stale.join("\n  ")
    );
}

/// Each picture shows what its name says.
fn check_content(shots: &[Shot]) {
    let get = |name: &str| {
        &shots
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no {name} shot"))
            .svg
    };
    let player = get("player");
    assert!(player.contains("Up next"), "{player}");
    // Half-block cover art: hundreds of small rectangles.
    assert!(
        player.matches("height=\"9\"").count() > 200,
        "no cover art:\n{player}"
    );
    let devices = get("devices");
    assert!(devices.contains("Living Room Speaker"), "{devices}");
    let help = get("help");
    assert!(
        help.contains("play_pause") || help.contains("play / pause"),
        "{help}"
    );
    let playlists = get("playlists");
    assert!(playlists.contains("Local Files &amp; Dupes"), "{playlists}");
    assert!(
        playlists.contains("opacity=\"0.55\""),
        "local files are not greyed:\n{playlists}"
    );
    let search = get("search");
    assert!(search.contains("Velvet Harbor"), "{search}");
    let library = get("library");
    assert!(library.contains("Liked Songs"), "{library}");
}

fn write(shots: &[Shot]) {
    std::fs::create_dir_all(dir()).expect("create assets/screenshots");
    for shot in shots {
        let path = dir().join(format!("{}.svg", shot.name));
        std::fs::write(&path, &shot.svg).expect("write screenshot");
        eprintln!("wrote {}", path.display());
    }
    for extra in unexpected_files(shots) {
        std::fs::remove_file(&extra).expect("remove stale screenshot");
        eprintln!("removed {}", extra.display());
    }
}

/// SVG files in the folder that no screen produces.
fn unexpected_files(shots: &[Shot]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir()) else {
        return Vec::new();
    };
    let mut extra: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .filter(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            !shots.iter().any(|s| s.name == stem)
        })
        .collect();
    extra.sort();
    extra
}

/// "line N: expected … / drawn …" for the first line that differs.
fn first_difference(committed: &str, drawn: &str) -> String {
    let mut a = committed.lines();
    let mut b = drawn.lines();
    let mut n = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => n += 1,
            (x, y) => {
                return format!(
                    "line {n}: committed `{}`, drawn `{}`",
                    x.unwrap_or("<end>"),
                    y.unwrap_or("<end>")
                );
            }
        }
    }
}

#[test]
fn the_readme_shows_every_screenshot() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let names: Vec<String> = std::fs::read_dir(dir())
        .expect("assets/screenshots")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".svg"))
        .collect();
    assert!(!names.is_empty(), "no screenshots; run {REGENERATE}");
    for name in names {
        assert!(
            readme.contains(&format!("assets/screenshots/{name}")),
            "README.md does not show assets/screenshots/{name}"
        );
    }
}
