//! What a new user hits in the first hour (issue 13), each as a reducer or
//! render test without a runtime, or a scripting command against the
//! simulator: Enter on "Up next", a fast second move, rollback and the
//! offline marker, seeking past the end, the real cause of a failure, the
//! queue after `e` on the playlists screen.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod library_support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use library_support::{answer, calls, key, opened, press, press_code, status, titles, track};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spotdeck::app::event::{Event, PollKind};
use spotdeck::app::keymap::Keymap;
use spotdeck::app::state::{AppState, Popup};
use spotdeck::app::update::update;
use spotdeck::cli::Command;
use spotdeck::config::Config;
use spotdeck::domain::{Device, ItemKind, Playback, Repeat, Track};
use spotdeck::spotify::error::ApiError;
use spotdeck::spotify::request::{PlayTarget, Reply, Request};
use spotdeck::ui::{self, Clock};

const CONTEXT: &str = "spotify:playlist:1MorningCommuteDemo001";

fn song(n: u32) -> Track {
    Track {
        uri: format!("spotify:track:s{n}"),
        title: format!("Song {n}"),
        artists: vec!["Artist".into()],
        album: "Album".into(),
        duration_ms: 150_000,
        kind: ItemKind::Track,
        images: vec![],
        is_playable: true,
    }
}

fn device() -> Device {
    Device {
        id: Some("desk".into()),
        name: "Desk".into(),
        kind: "Computer".into(),
        is_active: true,
        is_restricted: false,
        volume: Some(50),
        supports_volume: true,
    }
}

/// Playing song 1 of a playlist context with songs 2–5 up next.
fn playing(now: Instant) -> AppState {
    let mut s = AppState::new(&Config::default(), Keymap::default(), now);
    s.size = (120, 40);
    s.images_enabled = false;
    s.playback_loaded = true;
    s.devices = vec![device()];
    s.playback = Some(Playback {
        device: Some(device()),
        item: Some(song(1)),
        is_playing: true,
        progress_ms: 10_000,
        fetched_at: now,
        shuffle: false,
        repeat: Repeat::Off,
        context_uri: Some(CONTEXT.into()),
        disallows: Default::default(),
    });
    s.queue = (2..=5).map(song).collect();
    s
}

fn title(s: &AppState) -> String {
    s.now_playing().map(|t| t.title.clone()).unwrap_or_default()
}

fn queue_titles(s: &AppState) -> Vec<String> {
    s.queue.iter().map(|t| t.title.clone()).collect()
}

fn screen(s: &AppState, now: Instant, size: (u16, u16)) -> String {
    let mut term = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    term.draw(|f| {
        ui::render(
            s,
            Clock {
                now,
                unix_secs: 1_780_000_000,
            },
            f,
        )
    })
    .unwrap();
    let buf = term.backend().buffer();
    let mut text = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            text.push_str(buf[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

fn offline() -> ApiError {
    ApiError::Network("connection refused".into())
}

/// Answers the playback poll that is due with `result`.
fn poll_fails(s: &mut AppState, e: ApiError, now: Instant) {
    let out = update(s, Event::PollDue(PollKind::Playback), now);
    let (id, call) = calls(&out).into_iter().next().expect("a playback poll");
    assert_eq!(call, Request::GetPlayback);
    answer(s, id, Err(e), now);
}

// ---------------------------------------------------------------- item 1

#[test]
fn enter_on_up_next_skips_to_it_and_keeps_the_rest_and_the_context() {
    let t0 = Instant::now();
    let mut s = playing(t0);
    press(&mut s, 'j', t0);
    press(&mut s, 'j', t0);
    let out = press_code(&mut s, KeyCode::Enter, t0);
    let sent = calls(&out);
    assert!(
        sent.iter().all(|(_, c)| !matches!(
            c,
            Request::Play {
                target: PlayTarget::Uris(_),
                ..
            }
        )),
        "playing the one URI drops the queue and the context: {sent:?}"
    );
    let skips = sent
        .iter()
        .filter(|(_, c)| matches!(c, Request::Next { .. }))
        .count();
    assert_eq!(skips, 3, "three skips reach the third item: {sent:?}");
    assert_eq!(title(&s), "Song 4");
    assert_eq!(queue_titles(&s), vec!["Song 5"], "what follows stays");
    assert_eq!(
        s.playback.as_ref().unwrap().context_uri.as_deref(),
        Some(CONTEXT)
    );
    for (id, _) in sent {
        answer(&mut s, id, Ok(Reply::Done), t0);
    }
    assert_eq!(title(&s), "Song 4");
    assert!(s.pending.is_empty());
}

// ---------------------------------------------------------------- item 3

#[test]
fn a_second_move_made_while_the_first_saves_is_applied_after_it() {
    let (mut s, now) = opened((0..4).map(track).collect());
    let first = calls(&press(&mut s, 'J', now));
    assert_eq!(first.len(), 1);
    let second = calls(&press(&mut s, 'J', now));
    assert!(second.is_empty(), "one edit of a playlist at a time");
    assert!(
        !status(&s).contains("try again"),
        "the press is kept, not refused: {}",
        status(&s)
    );
    let out = answer(&mut s, first[0].0, Ok(Reply::Snapshot("m1".into())), now);
    let next = calls(&out);
    let (id, call) = next
        .iter()
        .find(|(_, c)| matches!(c, Request::Reorder { .. }))
        .cloned()
        .expect("the queued move is sent once the first is saved");
    assert_eq!(
        call,
        Request::Reorder {
            playlist_id: "p1".into(),
            range_start: 1,
            range_length: 1,
            insert_before: 3,
            snapshot_id: "m1".into()
        }
    );
    answer(&mut s, id, Ok(Reply::Snapshot("m2".into())), now);
    assert_eq!(titles(&s), vec!["Song 1", "Song 2", "Song 0", "Song 3"]);
}

#[test]
fn queued_moves_are_dropped_with_a_sentence_when_the_first_fails() {
    let (mut s, now) = opened((0..4).map(track).collect());
    let first = calls(&press(&mut s, 'J', now));
    press(&mut s, 'J', now);
    let out = answer(&mut s, first[0].0, Err(library_support::refused()), now);
    assert!(
        calls(&out)
            .iter()
            .all(|(_, c)| !matches!(c, Request::Reorder { .. })),
        "nothing more is moved after a refusal"
    );
    assert!(status(&s).contains("not applied"), "{}", status(&s));
}

// ---------------------------------------------------------------- item 5

#[test]
fn a_refused_next_rolls_back_title_and_queue() {
    let t0 = Instant::now();
    let mut s = playing(t0);
    let out = press(&mut s, 'n', t0);
    let (id, call) = calls(&out).into_iter().next().unwrap();
    assert!(matches!(call, Request::Next { .. }));
    assert_eq!(title(&s), "Song 2", "shown at once");
    answer(&mut s, id, Err(offline()), t0);
    assert_eq!(title(&s), "Song 1", "rolled back");
    assert_eq!(
        queue_titles(&s),
        vec!["Song 2", "Song 3", "Song 4", "Song 5"]
    );
}

#[test]
fn while_spotify_is_unreachable_the_screen_says_so_and_marks_last_known() {
    let t0 = Instant::now();
    let mut s = playing(t0);
    let before = screen(&s, t0, (120, 40));
    assert!(!before.contains("offline"), "{before}");
    poll_fails(&mut s, offline(), t0);
    let shown = screen(&s, t0 + Duration::from_secs(1), (120, 40));
    assert!(shown.contains("offline"), "{shown}");
    assert!(shown.contains("retrying in"), "{shown}");
    assert!(shown.contains("last known"), "{shown}");
    // The next poll that answers clears the marker.
    let out = update(
        &mut s,
        Event::PollDue(PollKind::Playback),
        t0 + Duration::from_secs(6),
    );
    let (id, _) = calls(&out).into_iter().next().expect("retried");
    let pb = s.playback.clone();
    answer(
        &mut s,
        id,
        Ok(Reply::Playback(pb)),
        t0 + Duration::from_secs(6),
    );
    let back = screen(&s, t0 + Duration::from_secs(6), (120, 40));
    assert!(!back.contains("offline"), "{back}");
}

// ---------------------------------------------------------------- item 6

#[test]
fn seeking_past_the_end_in_the_tui_is_refused_with_a_sentence() {
    let t0 = Instant::now();
    let mut s = playing(t0);
    press(&mut s, ':', t0);
    for c in "9:00".chars() {
        update(&mut s, key(c), t0);
    }
    let out = press_code(&mut s, KeyCode::Enter, t0);
    assert!(
        calls(&out)
            .iter()
            .all(|(_, c)| !matches!(c, Request::Seek { .. })),
        "nothing is sent"
    );
    let st = status(&s);
    assert!(st.contains("past the end"), "{st}");
    assert!(st.contains("2:30"), "names the length: {st}");
}

#[tokio::test]
async fn seeking_past_the_end_from_the_cli_is_refused_with_a_sentence() {
    use spotdeck::sim::{self, SimOptions};
    use spotdeck::spotify::{Client, ClientOptions};
    use spotdeck::token::{AccessToken, StaticToken};
    let sim = sim::start(SimOptions::default()).await.unwrap();
    let tokens = Arc::new(StaticToken(AccessToken::bare(sim.issue_full_token())));
    let c = Client::with_options(&sim.api_base(), tokens, ClientOptions::default()).unwrap();
    let before = sim.playback().unwrap().item_uri;
    let err = spotdeck::commands::execute(
        &Command::Seek {
            position: "99:00".into(),
        },
        false,
        &c,
    )
    .await
    .expect_err("refused");
    assert!(
        err.sentence().contains("past the end"),
        "{}",
        err.sentence()
    );
    assert_eq!(
        sim.playback().unwrap().item_uri,
        before,
        "still the same track"
    );
    let ok = spotdeck::commands::execute(
        &Command::Seek {
            position: "0:05".into(),
        },
        false,
        &c,
    )
    .await
    .unwrap();
    assert_eq!(ok, "Seeked to 0:05");
}

// ---------------------------------------------------------------- item 7

fn nothing_known(now: Instant) -> AppState {
    let mut s = AppState::new(&Config::default(), Keymap::default(), now);
    s.size = (120, 40);
    s.images_enabled = false;
    s
}

#[test]
fn a_closed_port_is_named_with_what_to_do_not_no_active_device() {
    let t0 = Instant::now();
    let mut s = nothing_known(t0);
    poll_fails(&mut s, offline(), t0);
    press(&mut s, ' ', t0);
    assert!(
        !matches!(s.popup, Some(Popup::DevicePicker { .. })),
        "the device picker hides the cause"
    );
    let st = status(&s);
    assert!(st.contains("Cannot reach Spotify"), "{st}");
    assert!(st.contains("SPOTDECK_API_BASE"), "{st}");
}

#[test]
fn a_rejected_token_is_named_with_what_to_do() {
    let t0 = Instant::now();
    let mut s = nothing_known(t0);
    poll_fails(
        &mut s,
        ApiError::Unauthorized {
            message: "Invalid access token".into(),
        },
        t0,
    );
    press(&mut s, ' ', t0);
    assert!(!matches!(s.popup, Some(Popup::DevicePicker { .. })));
    let st = status(&s);
    assert!(st.contains("spotdeck login"), "{st}");
}

// ---------------------------------------------------------------- item 4

#[test]
fn e_on_the_playlists_screen_refreshes_the_queue() {
    let (mut s, now) = opened((0..3).map(track).collect());
    let out = press(&mut s, 'e', now);
    let (id, call) = calls(&out).into_iter().next().unwrap();
    assert!(matches!(call, Request::AddToQueue { .. }));
    let out = answer(&mut s, id, Ok(Reply::Done), now);
    assert!(
        calls(&out)
            .iter()
            .any(|(_, c)| matches!(c, Request::GetQueue)),
        "the queue is fetched again: {:?}",
        calls(&out)
    );
}

// ---------------------------------------------------------------- notices

#[test]
fn a_notice_reaches_the_status_line() {
    let t0 = Instant::now();
    let mut s = nothing_known(t0);
    let text = "The renewed login could not be saved to /home/x/tokens.json: disk full.";
    update(&mut s, Event::Notice(text.into()), t0);
    assert_eq!(status(&s), text);
    let shown = screen(&s, t0, (120, 40));
    assert!(shown.contains("could not be saved"), "{shown}");
}

// ---------------------------------------------------------------- item 2

/// Opens four items of "p1" and moves the first down, confirmed.
fn moved_once() -> (AppState, Instant) {
    let (mut s, now) = opened((0..4).map(track).collect());
    let (id, _) = calls(&press(&mut s, 'J', now))[0].clone();
    answer(&mut s, id, Ok(Reply::Snapshot("m1".into())), now);
    (s, now)
}

fn reorders(out: &[spotdeck::app::action::Action]) -> Vec<Request> {
    calls(out)
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| matches!(c, Request::Reorder { .. }))
        .collect()
}

#[test]
fn undo_of_a_create_unfollows_it_and_never_reaches_back_to_an_older_move() {
    let (mut s, now) = moved_once();
    press_code(&mut s, KeyCode::Esc, now);
    press(&mut s, 'N', now);
    library_support::type_text(&mut s, "Road trip", now);
    press_code(&mut s, KeyCode::Enter, now);
    press_code(&mut s, KeyCode::Enter, now);
    press(&mut s, 'n', now);
    press(&mut s, 'n', now);
    let sent = calls(&press_code(&mut s, KeyCode::Enter, now));
    let (id, _) = sent
        .into_iter()
        .find(|(_, c)| matches!(c, Request::CreatePlaylist { .. }))
        .expect("created");
    let created = library_support::summary("new", library_support::ME, 0);
    answer(&mut s, id, Ok(Reply::Created(created)), now);

    let out = press(&mut s, 'u', now);
    assert!(reorders(&out).is_empty(), "the older move stays: {out:?}");
    let (id, call) = calls(&out).into_iter().next().expect("undo sent");
    assert_eq!(
        call,
        Request::Unfollow {
            playlist_id: "new".into()
        }
    );
    assert!(status(&s).contains("List new"), "says what: {}", status(&s));
    answer(&mut s, id, Ok(Reply::Done), now);
    assert!(s.library.find("new").is_none());

    // Now the move is the most recent edit, and undo says so first.
    let out = press(&mut s, 'u', now);
    assert_eq!(reorders(&out).len(), 1);
    assert!(
        status(&s).contains("moved item 1 to position 2"),
        "{}",
        status(&s)
    );
}

#[test]
fn a_cover_upload_is_named_by_undo_instead_of_undoing_an_older_edit() {
    let (mut s, now) = moved_once();
    let (id, _) = calls(&press(&mut s, 'C', now))[0].clone();
    answer(&mut s, id, Ok(Reply::Cover(vec![])), now);
    library_support::type_text(&mut s, "/tmp/cover.png", now);
    let (id, _) = calls(&press_code(&mut s, KeyCode::Enter, now))[0].clone();
    let reload = calls(&answer(&mut s, id, Ok(Reply::Done), now));
    // The reload that fetches the new cover.
    let entries: Vec<_> = [1, 0, 2, 3].into_iter().map(track).collect();
    for (id, call) in reload {
        let reply = match call {
            Request::GetPlaylist { .. } => Reply::Playlist(spotdeck::domain::PlaylistSummary {
                snapshot_id: "m1".into(),
                ..library_support::summary("p1", library_support::ME, 4)
            }),
            Request::GetPlaylistItems { playlist_id } => Reply::ItemsPage {
                playlist_id,
                snapshot_id: "m1".into(),
                offset: 0,
                total: 4,
                items: entries.clone(),
                done: true,
            },
            _ => continue,
        };
        answer(&mut s, id, Ok(reply), now);
    }
    let out = press(&mut s, 'u', now);
    assert!(calls(&out).is_empty(), "nothing sent: {out:?}");
    let st = status(&s);
    assert!(
        st.contains("cover") && st.contains("cannot be undone"),
        "{st}"
    );
    // Pressed again: the move, said first.
    let out = press(&mut s, 'u', now);
    assert_eq!(reorders(&out).len(), 1);
    assert!(status(&s).contains("Undoing"), "{}", status(&s));
}

#[test]
fn redo_applies_the_undone_move_again() {
    let (mut s, now) = moved_once();
    let (id, _) = calls(&press(&mut s, 'u', now))[0].clone();
    answer(&mut s, id, Ok(Reply::Snapshot("m2".into())), now);
    assert_eq!(titles(&s), vec!["Song 0", "Song 1", "Song 2", "Song 3"]);
    let out = press(&mut s, 'U', now);
    assert_eq!(
        reorders(&out),
        vec![Request::Reorder {
            playlist_id: "p1".into(),
            range_start: 0,
            range_length: 1,
            insert_before: 2,
            snapshot_id: "m2".into()
        }]
    );
    let (id, _) = calls(&out)[0].clone();
    answer(&mut s, id, Ok(Reply::Snapshot("m3".into())), now);
    assert_eq!(titles(&s), vec!["Song 1", "Song 0", "Song 2", "Song 3"]);
    assert!(status(&s).starts_with("Redone"), "{}", status(&s));
    // And it can be undone again.
    assert_eq!(reorders(&press(&mut s, 'u', now)).len(), 1);
}

// ---------------------------------------------------------------- item 11

#[test]
fn opening_an_unknown_id_says_there_is_no_such_playlist() {
    let (mut s, now) = opened(vec![track(0)]);
    press(&mut s, 'o', now);
    library_support::type_text(&mut s, "0000000000000000000000", now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    let not_found = || ApiError::NotFound {
        message: "Resource not found".into(),
    };
    for (id, _) in calls(&out) {
        answer(&mut s, id, Err(not_found()), now);
    }
    let st = status(&s);
    assert!(
        st.contains("No playlist with id “0000000000000000000000”"),
        "{st}"
    );
    assert!(s.library.open.is_none(), "no empty header is left open");
    let shown = screen(&s, now, (120, 40));
    assert!(!shown.contains("0 items"), "{shown}");
}

// ---------------------------------------------------------------- item 16

#[test]
fn the_transfer_progress_message_clears_when_it_is_done() {
    let t0 = Instant::now();
    let mut s = playing(t0);
    let mut other = device();
    other.id = Some("tv".into());
    other.name = "Office TV".into();
    other.is_active = false;
    s.devices.push(other);
    press(&mut s, 'd', t0);
    press(&mut s, 'j', t0);
    let out = press_code(&mut s, KeyCode::Enter, t0);
    let (id, call) = calls(&out)
        .into_iter()
        .find(|(_, c)| matches!(c, Request::Transfer { .. }))
        .expect("transfer");
    assert!(matches!(call, Request::Transfer { ref device_id, .. } if device_id == "tv"));
    assert!(status(&s).contains("Moving playback"), "{}", status(&s));
    answer(&mut s, id, Ok(Reply::Done), t0 + Duration::from_millis(300));
    assert!(!status(&s).contains("Moving playback"), "{}", status(&s));
}

// ---------------------------------------------------------------- item 17

#[test]
fn q_closes_the_device_picker_and_g_moves_there() {
    let t0 = Instant::now();
    let mut s = playing(t0);
    for n in ["Kitchen", "Office TV"] {
        let mut d = device();
        d.id = Some(n.to_lowercase());
        d.name = n.into();
        d.is_active = false;
        s.devices.push(d);
    }
    press(&mut s, 'd', t0);
    press(&mut s, 'G', t0);
    assert!(
        matches!(&s.popup, Some(Popup::DevicePicker { cursor, .. }) if cursor.selected == 2),
        "{:?}",
        s.popup
    );
    press(&mut s, 'g', t0);
    assert!(matches!(&s.popup, Some(Popup::DevicePicker { cursor, .. }) if cursor.selected == 0));
    press(&mut s, 'q', t0);
    assert!(s.popup.is_none(), "closed");
    assert!(!s.quit, "q in the picker does not quit the app");
}

#[test]
fn the_last_yes_no_of_the_form_waits_for_enter() {
    let (mut s, now) = opened(vec![track(0)]);
    press_code(&mut s, KeyCode::Esc, now);
    press(&mut s, 'N', now);
    library_support::type_text(&mut s, "Road trip", now);
    press_code(&mut s, KeyCode::Enter, now);
    press_code(&mut s, KeyCode::Enter, now);
    press(&mut s, 'n', now); // public: no, next field
    let out = press(&mut s, 'n', now); // collaborative: no
    assert!(calls(&out).is_empty(), "not submitted yet: {out:?}");
    assert!(s.library.modal.is_some(), "the form is still open");
    let out = press_code(&mut s, KeyCode::Enter, now);
    assert!(
        calls(&out)
            .iter()
            .any(|(_, c)| matches!(c, Request::CreatePlaylist { .. })),
        "enter submits"
    );
}

#[test]
fn a_cover_path_may_start_with_the_home_directory() {
    let Ok(home) = std::env::var("HOME") else {
        return;
    };
    let (mut s, now) = opened(vec![track(0)]);
    let (id, _) = calls(&press(&mut s, 'C', now))[0].clone();
    answer(&mut s, id, Ok(Reply::Cover(vec![])), now);
    library_support::type_text(&mut s, "~/cover.png", now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    let Some((_, Request::UploadCover { path, .. })) = calls(&out).first().cloned() else {
        panic!("upload expected: {out:?}");
    };
    assert_eq!(path, format!("{}/cover.png", home.trim_end_matches('/')));
}

// ---------------------------------------------------------------- item 18

#[test]
fn mute_says_muted() {
    let t0 = Instant::now();
    let mut s = playing(t0);
    press(&mut s, 'm', t0);
    let shown = screen(&s, t0, (120, 40));
    assert!(shown.contains("muted"), "{shown}");
}

#[test]
fn no_active_device_after_a_command_is_one_sentence_at_a_time() {
    let t0 = Instant::now();
    let mut s = playing(t0);
    let (id, _) = calls(&press(&mut s, 'n', t0))[0].clone();
    answer(&mut s, id, Err(ApiError::NoActiveDevice), t0);
    let st = status(&s);
    assert!(matches!(s.popup, Some(Popup::DevicePicker { .. })));
    assert!(
        !st.contains("with d Pick"),
        "two sentences run together: {st}"
    );
    assert!(st.ends_with('.'), "{st}");
}

#[test]
fn the_context_playlist_is_named_without_visiting_the_playlists_screen() {
    let t0 = Instant::now();
    let mut s = playing(t0);
    s.playback = None;
    let out = update(&mut s, Event::PollDue(PollKind::Playback), t0);
    let (id, _) = calls(&out)[0].clone();
    let pb = playing(t0).playback;
    let out = answer(&mut s, id, Ok(Reply::Playback(pb)), t0);
    let (id, call) = calls(&out)
        .into_iter()
        .find(|(_, c)| matches!(c, Request::GetPlaylist { .. }))
        .expect("the context's name is fetched");
    assert_eq!(
        call,
        Request::GetPlaylist {
            playlist_id: "1MorningCommuteDemo001".into()
        }
    );
    let mut summary = library_support::summary("1MorningCommuteDemo001", "spotify", 30);
    summary.name = "Morning Commute".into();
    answer(&mut s, id, Ok(Reply::Playlist(summary)), t0);
    let shown = screen(&s, t0, (120, 40));
    assert!(shown.contains("from playlist “Morning Commute”"), "{shown}");
}

#[test]
fn ctrl_u_clears_the_field_being_typed() {
    use crossterm::event::{KeyEvent, KeyModifiers};
    let (mut s, now) = opened(vec![track(0)]);
    press(&mut s, 'o', now);
    library_support::type_text(&mut s, "garbage", now);
    let ctrl_u = Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    update(&mut s, ctrl_u, now);
    library_support::type_text(&mut s, "37i9dQZF1DXdemoFresh01", now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    assert!(
        calls(&out).iter().any(|(_, c)| *c
            == Request::GetPlaylist {
                playlist_id: "37i9dQZF1DXdemoFresh01".into()
            }),
        "only what was typed after ctrl-u: {:?}; {}",
        calls(&out),
        status(&s)
    );
}
