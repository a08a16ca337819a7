//! The real `spotdeck` binary's library subcommands against the simulator
//! (search, liked, like/unlike, album, artist, follow/unfollow), and how the
//! CLI fails: CLI advice, `--json` errors on stdout with an exit code per
//! kind, and a quiet exit when stdout is closed early.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use spotdeck::sim::{self, SimHandle, SimOptions};

struct Rig {
    sim: SimHandle,
    token: String,
    home: tempfile::TempDir,
}

impl Rig {
    async fn new(dev_mode: bool) -> Rig {
        let sim = sim::start(SimOptions {
            dev_mode_2026: dev_mode,
            ..SimOptions::default()
        })
        .await
        .unwrap();
        let token = sim.issue_full_token();
        Rig {
            sim,
            token,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_spotdeck"));
        c.args(args)
            .env("SPOTDECK_HOME", self.home.path())
            .env("SPOTDECK_API_BASE", self.sim.api_base())
            .env("SPOTDECK_ACCOUNTS_BASE", self.sim.accounts_base())
            .env("SPOTDECK_ACCESS_TOKEN", &self.token)
            .env_remove("SPOTDECK_CLIENT_ID");
        c
    }

    /// Runs the binary off the async runtime (the simulator lives on it).
    async fn run(&self, args: &[&str]) -> Output {
        let mut c = self.cmd(args);
        tokio::task::spawn_blocking(move || c.output().unwrap())
            .await
            .unwrap()
    }

    async fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all).await;
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn library_subcommands_find_and_keep_music() {
    let rig = Rig::new(false).await;
    // search: accent-insensitive, grouped by type, limited per type.
    let r = rig
        .json(&[
            "search",
            "zoe",
            "angstrom",
            "--type",
            "artist,track",
            "--limit",
            "3",
        ])
        .await;
    assert_eq!(r["artists"]["items"][0]["name"], "Zoë Ångström");
    assert_eq!(r["tracks"]["items"].as_array().unwrap().len(), 3);
    assert!(r["albums"].is_null());
    let out = rig.run(&["search", "golden", "harbors"]).await;
    let t = text(&out.stdout);
    assert!(t.starts_with("Tracks ("), "{t}");
    assert!(t.contains("Golden Harbors"), "{t}");
    assert!(t.contains("Playlists ("), "{t}");
    // liked: pages to the end of 2,000+ songs.
    let liked = rig.json(&["liked"]).await;
    let n = liked.as_array().unwrap().len();
    assert_eq!(n, rig.sim.liked_uris().len());
    assert!(n >= 2_000, "{n}");
    // like / unlike a track by link, an album by URI.
    let track = rig.sim.track_id_named("Golden Harbors").unwrap();
    rig.json(&["unlike", &format!("spotify:track:{track}")])
        .await;
    assert!(
        !rig.sim
            .liked_uris()
            .contains(&format!("spotify:track:{track}"))
    );
    let out = rig
        .run(&[
            "like",
            &format!("https://open.spotify.com/track/{track}?si=x"),
        ])
        .await;
    assert_eq!(text(&out.stdout).trim(), "Saved 1 item to your library");
    assert_eq!(rig.sim.liked_uris()[0], format!("spotify:track:{track}"));
    // album and artist pages.
    let (album, artist, _) = rig.sim.demo_catalog_ids();
    let out = rig.run(&["album", &format!("spotify:album:{album}")]).await;
    let t = text(&out.stdout);
    assert!(
        t.starts_with("Low Tide Radio — Velvet Harbor (2019, album, 8 tracks)"),
        "{t}"
    );
    assert_eq!(
        t.lines().filter(|l| l.contains("spotify:track:")).count(),
        8
    );
    let out = rig.run(&["artist", &artist]).await;
    let t = text(&out.stdout);
    assert!(t.starts_with("Velvet Harbor"), "{t}");
    assert!(t.contains("Top tracks:"), "{t}");
    assert!(t.contains("Albums and singles (1):"), "{t}");
    // follow / unfollow a playlist.
    let chill = sim::PLAYLIST_EDITORIAL_CHILL;
    rig.json(&[
        "follow",
        &format!("https://open.spotify.com/playlist/{chill}"),
    ])
    .await;
    assert_eq!(rig.sim.followed_playlists()[0], chill);
    rig.json(&["unfollow", chill]).await;
    assert!(!rig.sim.followed_playlists().contains(&chill.to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn development_mode_loses_top_tracks_and_the_rest_works() {
    let rig = Rig::new(true).await;
    let (_, artist, _) = rig.sim.demo_catalog_ids();
    let out = rig.run(&["artist", &artist]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(
        t.contains("Top tracks are not available to this app"),
        "{t}"
    );
    assert!(t.contains("Albums and singles"), "{t}");
}

/// Runs `args` with `--json`; returns (exit code, the error object on stdout).
async fn json_error(rig: &Rig, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = rig.run(&all).await;
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {}", text(&out.stdout)));
    (out.status.code().unwrap_or(-1), v["error"].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_have_a_kind_an_exit_code_and_cli_advice() {
    let rig = Rig::new(false).await;
    rig.sim.deactivate_all_devices();
    // No active device: CLI advice, not TUI keys.
    let out = rig.run(&["pause"]).await;
    let err = text(&out.stderr);
    assert!(
        err.contains("spotdeck devices") && err.contains("spotdeck transfer"),
        "{err}"
    );
    assert!(!err.contains("with d"), "{err}");
    let (code, e) = json_error(&rig, &["pause"]).await;
    assert_eq!((code, e["kind"].as_str()), (4, Some("refused")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("spotdeck devices"));
    let (code, e) = json_error(&rig, &["album", "0000000000000000000000"]).await;
    assert_eq!((code, e["kind"].as_str()), (3, Some("not_found")), "{e}");
    let (code, e) = json_error(&rig, &["like", "not a uri"]).await;
    assert_eq!((code, e["kind"].as_str()), (2, Some("usage")), "{e}");
    let mut bad = Rig::new(false).await;
    bad.token = "garbage".into();
    let (code, e) = json_error(&bad, &["liked"]).await;
    assert_eq!((code, e["kind"].as_str()), (6, Some("auth")), "{e}");
    // Nothing listens on port 9 of the loopback: a network failure.
    let mut c = rig.cmd(&["--json", "status"]);
    c.env("SPOTDECK_API_BASE", "http://127.0.0.1:9/v1");
    let out = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(5), "{v}");
    assert_eq!(v["error"]["kind"], "network");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_pipe_exits_quietly() {
    let rig = Rig::new(false).await;
    let mut c = rig.cmd(&["liked"]);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let (status, stderr, first) = tokio::task::spawn_blocking(move || {
        let mut child = c.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        // The reader is dropped here, like `| head -1`.
        let out = child.wait_with_output().unwrap();
        (out.status, text(&out.stderr), first)
    })
    .await
    .unwrap();
    assert!(first.starts_with("Liked Songs ("), "{first}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
}
