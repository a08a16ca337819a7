//! The real binary in tmux with a real login (a stored authorization-code
//! login with a refresh token, not a pasted token): the access token runs
//! out mid-session and the app renews it and carries on; then a command is
//! refused by a long rate limit, shown with a countdown, rolled back, and
//! nothing is sent while the limit is in force.

mod support;

use std::time::Duration;

use spotdeck::auth::TokenStore;
use spotdeck::sim;
use support::player;
use support::tmux::{App, BIN, Launch, temp_home};

#[test]
fn a_token_refresh_mid_session_and_a_command_refused_by_a_rate_limit() {
    let rt = support::runtime();
    let sim = support::paused_sim(&rt);
    let login = rt.block_on(support::login::authorization_code(&sim));
    let home = temp_home();
    let store = TokenStore::at(home.path().join("data").join("tokens.json"));
    store.save(&login).expect("login stored");
    let env = [
        ("SPOTDECK_API_BASE", sim.api_base()),
        ("SPOTDECK_ACCOUNTS_BASE", sim.accounts_base()),
        ("SPOTDECK_CLIENT_ID", sim::DEMO_CLIENT_ID.to_string()),
        (
            "SPOTDECK_CLIENT_SECRET",
            sim::DEMO_CLIENT_SECRET.to_string(),
        ),
        ("SPOTDECK_AUTH_FLOW", "authorization_code".to_string()),
    ];
    let app = App::launch(home, BIN, (120, 36), Launch::Exec, &env, &[]);
    app.wait_for("Now playing on");
    let truth = || rt.block_on(player::truth(&sim)).expect("active device");
    let agree = |what: &str| {
        let ok = support::eventually(Duration::from_secs(20), || {
            rt.block_on(player::truth(&sim))
                .is_some_and(|t| player::agrees(&player::parse(&app.screen()), &t))
        });
        assert!(
            ok,
            "{what}: screen and simulator disagree:\n{}",
            app.screen()
        );
    };
    agree("start-up");

    // The token runs out mid-session: the next command renews it once and goes through.
    let renewals = sim.token_request_count();
    sim.clear_log();
    sim.expire_access_tokens_now();
    let before = sim.playback().and_then(|p| p.item_uri);
    app.keys(&["n"]);
    support::wait_until("next track after the refresh", || {
        sim.playback().and_then(|p| p.item_uri) != before
    });
    let log = sim.requests();
    let first_401 = log.iter().position(|r| r.status == 401);
    let refresh = log.iter().position(|r| r.path == "/api/token");
    assert!(
        matches!((first_401, refresh), (Some(a), Some(b)) if a < b),
        "a 401, then a refresh: {:#?}",
        log.iter().map(|r| (r.line(), r.status)).collect::<Vec<_>>()
    );
    assert_eq!(
        sim.token_request_count(),
        renewals + 1,
        "one renewal for every request that met the 401"
    );
    let stored = store.load().expect("readable").expect("still logged in");
    assert_ne!(
        stored.access_token, login.access_token,
        "the new token is stored"
    );
    agree("after the refresh");
    let screen = app.screen();
    assert!(
        !screen.to_lowercase().contains("log in") && !screen.contains("expired"),
        "no login prompt after a refresh:\n{screen}"
    );

    // A 429 with Retry-After: 60 (longer than the app sleeps through): the
    // volume command is refused, the countdown shows, the volume goes back.
    let volume = truth().volume;
    sim.clear_log();
    sim.rate_limit_next(1, 60);
    app.keys(&["+"]);
    let screen = app.wait_screen("the rate-limit countdown and the old volume", |s| {
        s.contains("rate limited") && player::parse(s).volume == volume
    });
    assert!(screen.contains("retrying in"), "{screen}");
    let limited_at = sim
        .requests()
        .iter()
        .find(|r| r.status == 429)
        .map(|r| r.at)
        .expect("the 429 was answered");
    // While the limit is in force nothing reaches the Web API: two more
    // commands and the poll timers go nowhere.
    app.keys(&["+", "r"]);
    let quiet_until = limited_at + Duration::from_secs(3);
    while std::time::Instant::now() < quiet_until {
        std::thread::sleep(Duration::from_millis(100));
    }
    let sent_after: Vec<String> = sim
        .requests()
        .iter()
        .filter(|r| r.at > limited_at && r.path.starts_with("/v1"))
        .map(|r| r.line())
        .collect();
    assert!(
        sent_after.is_empty(),
        "sent during the Retry-After wait: {sent_after:?}"
    );
    assert_eq!(truth().volume, volume, "the refused volume was not applied");
    assert_eq!(player::parse(&app.screen()).volume, volume);
    app.quit();
}
