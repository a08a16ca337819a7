//! Issue 13 against the real binary in tmux and the simulator: the two
//! first-hour reports that depend on timing and on what "Spotify" ends up
//! with — Enter on an "Up next" item, and a fast second `J`.

mod support;

use std::sync::Arc;
use std::time::Duration;

use spotdeck::sim::{self, SimOptions};
use spotdeck::spotify::Client;
use spotdeck::token::{AccessToken, StaticToken};
use support::tmux::{App, BIN, Launch};
use support::{runtime, wait_until};

/// The simulator and the app at 120×40.
fn start() -> (tokio::runtime::Runtime, sim::SimHandle, App) {
    let rt = runtime();
    let sim = rt
        .block_on(sim::start(SimOptions::default()))
        .expect("simulator starts");
    let app = App::start(BIN, &sim, (120, 40), Launch::Exec, &[]);
    (rt, sim, app)
}

#[test]
fn enter_on_up_next_jumps_there_and_keeps_the_queue_and_the_context() {
    let (rt, sim, app) = start();
    app.wait_screen("the queue is shown", |s| {
        s.contains("Up next (") && !s.contains("Up next (0)")
    });
    let client = {
        let token = AccessToken::bare(sim.issue_full_token());
        Client::new(&sim.api_base(), Arc::new(StaticToken(token))).expect("client")
    };
    // Up next as Spotify reports it: the user's queue, then the context.
    let up_next = || -> Vec<String> {
        let q = rt.block_on(client.queue()).expect("queue");
        q.queue.iter().map(|i| i.uri().to_string()).collect()
    };
    let before = up_next();
    let context = sim.playback().and_then(|p| p.context_uri);
    assert!(context.is_some(), "the demo plays a playlist");
    assert!(before.len() >= 4, "{before:?}");
    app.keys(&["j", "j", "Enter"]);
    wait_until("the third item plays", || {
        sim.playback()
            .is_some_and(|p| p.item_uri.as_ref() == Some(&before[2]))
    });
    let after = sim.playback().expect("still a session");
    assert_eq!(after.context_uri, context, "the context stays");
    assert_eq!(
        up_next().first(),
        Some(&before[3]),
        "what followed the item still follows it"
    );
    let screen = app.wait_screen("the queue still shows what follows", |s| {
        s.contains("Up next (") && !s.contains("Up next (0)")
    });
    assert!(!screen.contains("Up next (0)"), "{screen}");
    app.quit();
}

#[test]
fn a_fast_second_move_is_not_lost() {
    // The runtime serves the simulator: kept until the end.
    let (_rt, sim, app) = start();
    app.wait_for("Now playing on");
    let before = sim
        .playlist_uris(sim::PLAYLIST_SUNDAY)
        .expect("the demo playlist");
    app.keys(&["2", "o"]);
    app.keys_with_gap(&[sim::PLAYLIST_SUNDAY, "Enter"], Duration::from_millis(60));
    app.wait_screen("the playlist is open", |s| {
        s.contains(&format!("{} items", before.len()))
    });
    // Each edit takes a while, so the second J comes while the first is saving.
    sim.set_latency_ms(300);
    app.keys_with_gap(&["J", "J"], Duration::ZERO);
    wait_until("both moves reached the simulator", || {
        sim.playlist_uris(sim::PLAYLIST_SUNDAY)
            .is_some_and(|now| now.get(2) == before.first())
    });
    let now = sim
        .playlist_uris(sim::PLAYLIST_SUNDAY)
        .expect("still there");
    assert_eq!(&now[..2], &before[1..3], "{now:?}");
    sim.set_latency_ms(0);
    app.quit();
}
