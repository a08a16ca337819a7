//! The real binary in tmux against the simulator: search a word, enter
//! plays the hit inside its album (the simulator's player says so), `l`
//! likes it (the mark shows, the simulator's Liked Songs has it), `a` adds it
//! to a playlist (the simulator has it there, and the app is back on Search), and the
//! album page opens from the player with `b`.

mod support;

use std::time::Duration;

use support::tmux::{App, BIN, Launch};
use support::{eventually, paused_sim, runtime};

#[test]
fn search_play_like_and_go_to_album() {
    let rt = runtime();
    let sim = paused_sim(&rt);
    sim.unlike_tracks_named("Golden Harbors");
    let app = App::start(BIN, &sim, (120, 40), Launch::Exec, &[]);
    app.wait_for("Player");
    app.keys(&["3"]);
    app.wait_for("Search:");
    app.keys(&["Golden Harbors"]);
    let screen = app.wait_for("Tracks ·");
    assert!(screen.contains("Golden Harbors"), "{screen}");
    // Leave the input line, pick the first track, play it.
    app.keys(&["Enter", "Down", "Enter"]);
    let playing = eventually(Duration::from_secs(15), || {
        sim.playback().is_some_and(|p| {
            p.is_playing
                && p.item_uri
                    .as_deref()
                    .and_then(|u| sim.item_name(u))
                    .as_deref()
                    == Some("Golden Harbors")
        })
    });
    let pb = sim.playback();
    assert!(
        playing,
        "the simulator plays the hit: {pb:?}\n{}",
        app.screen()
    );
    let pb = pb.unwrap_or_else(|| panic!("playback"));
    let ctx = pb.context_uri.clone().unwrap_or_default();
    assert!(
        ctx.starts_with("spotify:album:"),
        "played inside its album: {ctx}"
    );
    let uri = pb.item_uri.clone().unwrap_or_default();
    // Like it: the mark shows and Liked Songs has it.
    assert!(!sim.liked_uris().contains(&uri));
    app.keys(&["l"]);
    let screen = app.wait_for("♥ Golden Harbors");
    assert!(
        eventually(Duration::from_secs(10), || sim.liked_uris().first()
            == Some(&uri)),
        "Liked Songs has it\n{screen}"
    );
    // `a` adds it to a playlist: the picker opens, enter picks the first one.
    let before = sim
        .playlist_uris(spotdeck::sim::PLAYLIST_MORNING)
        .unwrap_or_default();
    app.keys(&["a"]);
    app.wait_for("Morning Commute");
    app.keys(&["Enter"]);
    let added = eventually(Duration::from_secs(10), || {
        sim.playlist_uris(spotdeck::sim::PLAYLIST_MORNING)
            .is_some_and(|now| now.len() == before.len() + 1 && now.contains(&uri))
    });
    assert!(
        added,
        "the simulator's playlist has the track\n{}",
        app.screen()
    );
    app.wait_for("Search:");
    // From the player, `b` opens the album of what is playing.
    app.keys(&["1"]);
    app.wait_for("Golden Harbors");
    app.keys(&["b"]);
    let screen = app.wait_for("Album:");
    assert!(
        screen.contains("Golden Harbors"),
        "the album page lists the track\n{screen}"
    );
}
