//! Playlist browser reducer: browsing, playing, every edit, undo, conflicts.

mod library_support;

use crossterm::event::KeyCode;
use library_support::*;
use spotdeck::app::library::{self, Modal, Pane};
use spotdeck::app::state::Screen;
use spotdeck::domain::ImageRef;
use spotdeck::spotify::error::ApiError;
use spotdeck::spotify::request::{Answer, PlayTarget, Reply, Request};

#[test]
fn pages_show_at_once_and_are_placed_by_offset() {
    let (mut s, now) = state();
    let out = press(&mut s, '2', now);
    let (id, _) = calls(&out)[0].clone();
    answer(
        &mut s,
        id,
        Ok(Reply::PlaylistsPage {
            offset: 0,
            total: 3,
            items: vec![summary("a", ME, 1)],
            done: false,
        }),
        now,
    );
    assert!(s.library.is_loading());
    assert_eq!(
        s.library.selected_playlist().map(|p| p.id.as_str()),
        Some("a")
    );
    answer(
        &mut s,
        id,
        Ok(Reply::PlaylistsPage {
            offset: 1,
            total: 3,
            items: vec![summary("b", ME, 4), summary("c", ME, 1)],
            done: true,
        }),
        now,
    );
    assert!(!s.library.is_loading());
    assert_eq!(s.library.list_view.len(), 3);

    // Items arrive out of order: second page first.
    let out = press_code(&mut s, KeyCode::Enter, now);
    let (items_id, _) = calls(&out)
        .into_iter()
        .find(|(_, c)| matches!(c, Request::GetPlaylistItems { .. }))
        .unwrap();
    answer(
        &mut s,
        items_id,
        Ok(Reply::ItemsPage {
            playlist_id: "a".into(),
            snapshot_id: "snap-a-0".into(),
            offset: 2,
            total: 4,
            items: vec![track(2), track(3)],
            done: false,
        }),
        now,
    );
    assert_eq!(titles(&s), vec!["?", "?", "Song 2", "Song 3"]);
    answer(
        &mut s,
        items_id,
        Ok(Reply::ItemsPage {
            playlist_id: "a".into(),
            snapshot_id: "snap-a-0".into(),
            offset: 0,
            total: 4,
            items: vec![track(0), track(1)],
            done: true,
        }),
        now,
    );
    assert_eq!(titles(&s), vec!["Song 0", "Song 1", "Song 2", "Song 3"]);
    assert!(!s.library.is_loading());
}

#[test]
fn ids_of_others_are_not_claimed() {
    let (mut s, now) = state();
    let ev = Box::new(Answer {
        id: 999,
        result: Ok(Reply::Done),
    });
    assert!(library::on_api(&mut s, ev, now).is_err());
}

#[test]
fn enter_plays_the_playlist_from_the_real_position() {
    let (mut s, now) = opened(vec![track(0), local(1), track(2), track(3)]);
    // Filter so that view index 0 is real position 3.
    press(&mut s, '/', now);
    type_text(&mut s, "song 3", now);
    press_code(&mut s, KeyCode::Enter, now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    assert_eq!(
        calls(&out)[0].1,
        Request::Play {
            target: PlayTarget::Context {
                uri: "spotify:playlist:p1".into(),
                position: 3
            },
            device_id: None
        }
    );
    assert!(s.pending.iter().any(|p| p.id == calls(&out)[0].0));
}

#[test]
fn local_files_cannot_be_played_queued_or_added() {
    let (mut s, now) = opened(vec![local(0), track(1)]);
    assert!(calls(&press_code(&mut s, KeyCode::Enter, now)).is_empty());
    assert!(status(&s).contains("local file"), "{}", status(&s));
    s.status = None;
    assert!(calls(&press(&mut s, 'e', now)).is_empty());
    assert!(status(&s).contains("local file"));
    s.status = None;
    press(&mut s, 'a', now);
    assert!(s.library.modal.is_none());
    assert!(status(&s).contains("Local files"));
    // The playable one can be queued.
    press(&mut s, 'j', now);
    let out = press(&mut s, 'e', now);
    assert_eq!(
        calls(&out)[0].1,
        Request::AddToQueue {
            uri: "spotify:track:t1".into()
        }
    );
}

/// The call with its `current_uris` emptied, for comparing the rest (the
/// snapshot of a positioned add is kept: an undo must carry it).
fn without_uris(call: Request) -> Request {
    match call {
        Request::RemovePositions {
            playlist_id,
            items,
            snapshot_id,
            ..
        } => Request::RemovePositions {
            playlist_id,
            items,
            current_uris: Vec::new(),
            snapshot_id,
        },
        Request::AddItems {
            playlist_id,
            uris,
            position,
            snapshot_id,
        } => Request::AddItems {
            playlist_id,
            uris,
            position,
            snapshot_id,
        },
        other => other,
    }
}

#[test]
fn remove_asks_first_and_changes_the_list_only_after_success() {
    let (mut s, now) = opened(vec![track(0), track(1), track(2)]);
    press(&mut s, 'j', now);
    let out = press(&mut s, 'x', now);
    assert!(calls(&out).is_empty(), "nothing sent before confirming");
    assert!(matches!(s.library.modal, Some(Modal::Confirm { .. })));
    let out = press(&mut s, 'y', now);
    let (id, call) = calls(&out)[0].clone();
    if let Request::RemovePositions { current_uris, .. } = &call {
        assert_eq!(
            current_uris,
            &["spotify:track:t0", "spotify:track:t1", "spotify:track:t2"]
        );
    }
    assert_eq!(
        without_uris(call),
        Request::RemovePositions {
            playlist_id: "p1".into(),
            items: vec![(1, "spotify:track:t1".into())],
            current_uris: Vec::new(),
            snapshot_id: "snap-p1-0".into()
        }
    );
    assert_eq!(titles(&s).len(), 3, "unchanged until confirmed");
    answer(&mut s, id, Ok(Reply::Snapshot("snap-1".into())), now);
    assert_eq!(titles(&s), vec!["Song 0", "Song 2"]);
    assert_eq!(snapshot(&s), "snap-1");
    assert_eq!(s.library.find("p1").unwrap().total, 2);

    // Undo adds it back at its position.
    let out = press(&mut s, 'u', now);
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        without_uris(call.clone()),
        Request::AddItems {
            playlist_id: "p1".into(),
            uris: vec!["spotify:track:t1".into()],
            position: Some(1),
            snapshot_id: Some("snap-1".into()),
        },
        "a positioned undo carries the snapshot its position refers to"
    );
    answer(&mut s, id, Ok(Reply::Snapshot("snap-2".into())), now);
    assert_eq!(titles(&s), vec!["Song 0", "Song 1", "Song 2"]);
    assert!(s.library.undo.is_empty());
}

#[test]
fn cancelling_a_removal_sends_nothing() {
    let (mut s, now) = opened(vec![track(0)]);
    press(&mut s, 'x', now);
    let out = press(&mut s, 'n', now);
    assert!(calls(&out).is_empty());
    assert!(s.library.modal.is_none());
    assert_eq!(titles(&s).len(), 1);
}

#[test]
fn marked_duplicates_and_locals_are_removed_by_position_and_undo_skips_locals() {
    // 0:A 1:dup A 2:local 3:B 4:C 5:D
    let mut a_dup = track(0);
    a_dup.added_at = None;
    let (mut s, now) = opened(vec![
        track(0),
        a_dup,
        local(2),
        track(3),
        track(4),
        track(5),
    ]);
    press(&mut s, 'j', now); // select 1
    press(&mut s, 'v', now); // mark 1 -> cursor 2
    press(&mut s, 'v', now); // mark 2 (local) -> cursor 3
    press(&mut s, 'j', now); // cursor 4
    press(&mut s, 'v', now); // mark 4
    assert_eq!(library::marked(&s), vec![1, 2, 4]);
    press(&mut s, 'x', now);
    let Some(Modal::Confirm { question, .. }) = &s.library.modal else {
        panic!("confirmation expected");
    };
    assert!(question.contains("local"), "{question}");
    let out = press(&mut s, 'y', now);
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        without_uris(call),
        Request::RemovePositions {
            playlist_id: "p1".into(),
            current_uris: Vec::new(),
            items: vec![
                (1, "spotify:track:t0".into()),
                (
                    2,
                    "spotify:local:Local+Artist:Local+Album:Local+Song+2:200".into()
                ),
                (4, "spotify:track:t4".into()),
            ],
            snapshot_id: "snap-p1-0".into()
        }
    );
    answer(&mut s, id, Ok(Reply::Snapshot("s1".into())), now);
    assert_eq!(titles(&s), vec!["Song 0", "Song 3", "Song 5"]);

    // Undo: the local file cannot come back; the others go back where they were,
    // with positions shifted by the missing local file, one call per run.
    let out = press(&mut s, 'u', now);
    let (id1, c1) = calls(&out)[0].clone();
    assert_eq!(calls(&out).len(), 1, "one call at a time");
    assert_eq!(
        without_uris(c1.clone()),
        Request::AddItems {
            playlist_id: "p1".into(),
            uris: vec!["spotify:track:t0".into()],
            position: Some(1),
            snapshot_id: Some("s1".into()),
        }
    );
    let out = answer(&mut s, id1, Ok(Reply::Snapshot("s2".into())), now);
    let (id2, c2) = calls(&out)[0].clone();
    assert_eq!(
        without_uris(c2.clone()),
        Request::AddItems {
            playlist_id: "p1".into(),
            uris: vec!["spotify:track:t4".into()],
            position: Some(3),
            snapshot_id: Some("s2".into()),
        },
        "the second run refers to the snapshot after the first"
    );
    answer(&mut s, id2, Ok(Reply::Snapshot("s3".into())), now);
    assert_eq!(
        titles(&s),
        vec!["Song 0", "Song 0", "Song 3", "Song 4", "Song 5"]
    );
    assert_eq!(snapshot(&s), "s3");
}

#[test]
fn moves_use_spotify_reorder_semantics_and_undo_inverts() {
    let (mut s, now) = opened(vec![track(0), local(1), track(2), track(3)]);
    press(&mut s, 'j', now); // the local file: moving is allowed
    let out = press(&mut s, 'J', now);
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        call,
        Request::Reorder {
            playlist_id: "p1".into(),
            range_start: 1,
            range_length: 1,
            insert_before: 3,
            snapshot_id: "snap-p1-0".into()
        }
    );
    assert_eq!(titles(&s)[1], "Local Song 1", "unchanged before success");
    answer(&mut s, id, Ok(Reply::Snapshot("m1".into())), now);
    assert_eq!(
        titles(&s),
        vec!["Song 0", "Song 2", "Local Song 1", "Song 3"]
    );
    // The selection follows the item.
    assert_eq!(
        s.library.open.as_ref().unwrap().selected_position(),
        Some(2)
    );

    let out = press(&mut s, 'K', now);
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        call,
        Request::Reorder {
            playlist_id: "p1".into(),
            range_start: 2,
            range_length: 1,
            insert_before: 1,
            snapshot_id: "m1".into()
        }
    );
    answer(&mut s, id, Ok(Reply::Snapshot("m2".into())), now);
    assert_eq!(
        titles(&s),
        vec!["Song 0", "Local Song 1", "Song 2", "Song 3"]
    );

    // Undo the last move (up from 2 to 1): move 1 back to 2.
    let out = press(&mut s, 'u', now);
    assert_eq!(
        calls(&out)[0].1,
        Request::Reorder {
            playlist_id: "p1".into(),
            range_start: 1,
            range_length: 1,
            insert_before: 3,
            snapshot_id: "m2".into()
        }
    );
}

#[test]
fn move_to_a_typed_position() {
    let (mut s, now) = opened((0..6).map(track).collect());
    press(&mut s, 'M', now);
    assert!(matches!(s.library.modal, Some(Modal::MoveTo { .. })));
    type_text(&mut s, "5", now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        call,
        Request::Reorder {
            playlist_id: "p1".into(),
            range_start: 0,
            range_length: 1,
            insert_before: 5,
            snapshot_id: "snap-p1-0".into()
        }
    );
    answer(&mut s, id, Ok(Reply::Snapshot("x".into())), now);
    assert_eq!(titles(&s)[4], "Song 0");
}

#[test]
fn two_edits_of_one_playlist_are_never_in_flight() {
    let (mut s, now) = opened((0..4).map(track).collect());
    let first = press(&mut s, 'J', now);
    assert_eq!(calls(&first).len(), 1);
    let second = press(&mut s, 'J', now);
    assert!(calls(&second).is_empty(), "second move kept for later");
    assert!(status(&s).contains("then moving"), "{}", status(&s));
    press(&mut s, 'x', now);
    assert!(s.library.modal.is_none(), "removal refused");
    assert!(status(&s).contains("still saving"), "{}", status(&s));
}

#[test]
fn conflict_reloads_and_applies_nothing() {
    let (mut s, now) = opened((0..3).map(track).collect());
    let out = press(&mut s, 'J', now);
    let (id, _) = calls(&out)[0].clone();
    answer(&mut s, id, Ok(Reply::Snapshot("c1".into())), now);
    assert_eq!(s.library.undo.len(), 1);
    let out = press(&mut s, 'J', now);
    let (id, _) = calls(&out)[0].clone();
    let out = answer(
        &mut s,
        id,
        Err(ApiError::Conflict("changed elsewhere".into())),
        now,
    );
    let cs = calls(&out);
    assert!(cs.iter().any(|(_, c)| *c
        == Request::GetPlaylist {
            playlist_id: "p1".into()
        }));
    assert!(cs.iter().any(|(_, c)| *c
        == Request::GetPlaylistItems {
            playlist_id: "p1".into()
        }));
    assert!(status(&s).contains("not applied"), "{}", status(&s));
    assert!(s.library.undo.is_empty(), "stale undo positions dropped");
    assert_eq!(snapshot(&s), "c1");
    assert_eq!(
        titles(&s),
        vec!["Song 1", "Song 0", "Song 2"],
        "nothing applied"
    );
}

#[test]
fn other_errors_reload_too() {
    let (mut s, now) = opened((0..3).map(track).collect());
    press(&mut s, 'x', now);
    let out = press(&mut s, 'y', now);
    let (id, _) = calls(&out)[0].clone();
    let out = answer(&mut s, id, Err(refused()), now);
    assert!(
        calls(&out)
            .iter()
            .any(|(_, c)| matches!(c, Request::GetPlaylistItems { .. }))
    );
    assert!(status(&s).contains("Spotify said no"));
}

#[test]
fn playlists_of_others_are_not_edited() {
    let (mut s, now) = state();
    with_playlists(&mut s, vec![summary("p2", "bob", 2)], now);
    open_with(&mut s, vec![track(0), track(1)], now);
    let out = press(&mut s, 'J', now);
    assert!(calls(&out).is_empty());
    assert!(status(&s).contains("only its owner"), "{}", status(&s));
    press(&mut s, 'x', now);
    assert!(s.library.modal.is_none());
    press(&mut s, 'E', now);
    assert!(s.library.modal.is_none());
}

#[test]
fn create_refuses_public_and_collaborative() {
    let (mut s, now) = opened(vec![]);
    press_code(&mut s, KeyCode::Esc, now); // back to the list
    press(&mut s, 'N', now);
    type_text(&mut s, "Road trip", now);
    press_code(&mut s, KeyCode::Enter, now);
    type_text(&mut s, "songs", now);
    press_code(&mut s, KeyCode::Enter, now);
    press(&mut s, 'y', now); // public
    let out = press(&mut s, 'y', now); // collaborative
    assert!(calls(&out).is_empty());
    assert!(status(&s).contains("must be private"), "{}", status(&s));
    assert!(matches!(&s.library.modal, Some(Modal::Form(f)) if f.step == 2));
    press(&mut s, 'n', now); // not public
    let out = press_code(&mut s, KeyCode::Enter, now); // keep collaborative
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        call,
        Request::CreatePlaylist {
            name: "Road trip".into(),
            description: "songs".into(),
            public: false,
            collaborative: true
        }
    );
    let created = summary("new", ME, 0);
    answer(&mut s, id, Ok(Reply::Created(created)), now);
    assert!(s.library.find("new").is_some());
}

#[test]
fn details_change_after_success_and_undo_restores_them() {
    let (mut s, now) = opened(vec![track(0)]);
    press(&mut s, 'E', now);
    for _ in 0.."List p1".len() {
        press_code(&mut s, KeyCode::Backspace, now);
    }
    type_text(&mut s, "Renamed", now);
    press_code(&mut s, KeyCode::Enter, now);
    press_code(&mut s, KeyCode::Enter, now);
    press_code(&mut s, KeyCode::Enter, now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        call,
        Request::ChangeDetails {
            playlist_id: "p1".into(),
            name: Some("Renamed".into()),
            description: None,
            public: None,
            collaborative: None
        }
    );
    assert_eq!(s.library.find("p1").unwrap().name, "List p1");
    let out = answer(&mut s, id, Ok(Reply::Done), now);
    assert_eq!(s.library.find("p1").unwrap().name, "Renamed");
    // The new snapshot is fetched before another edit may go.
    let (meta_id, meta) = calls(&out)[0].clone();
    assert_eq!(
        meta,
        Request::GetPlaylist {
            playlist_id: "p1".into()
        }
    );
    assert!(s.library.is_busy("p1"));
    let mut fresh = summary("p1", ME, 1);
    fresh.name = "Renamed".into();
    fresh.snapshot_id = "d1".into();
    answer(&mut s, meta_id, Ok(Reply::Playlist(fresh)), now);
    assert!(!s.library.is_busy("p1"));
    let out = press(&mut s, 'u', now);
    assert_eq!(
        calls(&out)[0].1,
        Request::ChangeDetails {
            playlist_id: "p1".into(),
            name: Some("List p1".into()),
            description: None,
            public: None,
            collaborative: None
        }
    );
}

#[test]
fn unfollow_explains_and_confirms() {
    let (mut s, now) = state();
    with_playlists(
        &mut s,
        vec![summary("p2", "bob", 2), summary("p3", ME, 0)],
        now,
    );
    let out = press(&mut s, 'D', now);
    assert!(calls(&out).is_empty());
    let Some(Modal::Confirm { question, .. }) = &s.library.modal else {
        panic!("confirmation expected");
    };
    assert!(question.contains("no delete"), "{question}");
    let out = press(&mut s, 'y', now);
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        call,
        Request::Unfollow {
            playlist_id: "p2".into()
        }
    );
    assert!(s.library.find("p2").is_some());
    answer(&mut s, id, Ok(Reply::Done), now);
    assert!(s.library.find("p2").is_none());
}

#[test]
fn add_from_the_player_screen_picks_a_playlist_and_undo_removes_the_copy() {
    let (mut s, now) = state();
    with_playlists(
        &mut s,
        vec![summary("p2", "bob", 2), summary("p1", ME, 7)],
        now,
    );
    s.screen = Screen::Player;
    let out = library::start_add_to_playlist(&mut s, vec!["spotify:track:zz".into()], now);
    assert!(calls(&out).is_empty());
    assert_eq!(s.screen, Screen::Playlists);
    let Some(Modal::Picker { choices, .. }) = &s.library.modal else {
        panic!("picker expected");
    };
    assert_eq!(choices.len(), 1, "only editable playlists are offered");
    let out = press_code(&mut s, KeyCode::Enter, now);
    assert_eq!(s.screen, Screen::Player, "back where the user was");
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        without_uris(call.clone()),
        Request::AddItems {
            playlist_id: "p1".into(),
            uris: vec!["spotify:track:zz".into()],
            position: None,
            snapshot_id: None
        }
    );
    answer(&mut s, id, Ok(Reply::Snapshot("a1".into())), now);
    assert_eq!(s.library.find("p1").unwrap().total, 8);
    s.screen = Screen::Playlists;
    let out = press(&mut s, 'u', now);
    assert_eq!(
        without_uris(calls(&out)[0].1.clone()),
        Request::RemovePositions {
            playlist_id: "p1".into(),
            items: vec![(7, "spotify:track:zz".into())],
            current_uris: Vec::new(),
            snapshot_id: "a1".into()
        }
    );
}

#[test]
fn add_selected_item_to_another_playlist() {
    let (mut s, now) = state();
    let mut other = summary("p3", ME, 0);
    other.name = "Zeta".into();
    with_playlists(&mut s, vec![summary("p1", ME, 2), other], now);
    open_with(&mut s, vec![track(0), track(1)], now);
    press(&mut s, 'j', now);
    press(&mut s, 'a', now);
    press(&mut s, 'j', now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    assert_eq!(
        without_uris(calls(&out)[0].1.clone()),
        Request::AddItems {
            playlist_id: "p3".into(),
            uris: vec!["spotify:track:t1".into()],
            position: None,
            snapshot_id: None
        }
    );
}

#[test]
fn featured_not_found_and_hidden_items_are_explained() {
    let (mut s, now) = state();
    with_playlists(&mut s, vec![summary("p2", "bob", 5)], now);
    open_with(&mut s, vec![], now);
    // Reload (ctrl-r) and answer with 403.
    let ctrl_r = crossterm::event::KeyEvent::new(
        KeyCode::Char('r'),
        crossterm::event::KeyModifiers::CONTROL,
    );
    let out = spotdeck::app::update::update(&mut s, spotdeck::app::event::Event::Key(ctrl_r), now);
    let (items_id, _) = calls(&out)
        .into_iter()
        .find(|(_, c)| matches!(c, Request::GetPlaylistItems { .. }))
        .unwrap();
    answer(&mut s, items_id, Err(forbidden()), now);
    let hidden = s.library.open.as_ref().unwrap().hidden.clone().unwrap();
    assert!(hidden.contains("own or collaborate"));

    press_code(&mut s, KeyCode::Esc, now);
    assert_eq!(s.library.focus, Pane::List);
    let out = press_code(&mut s, KeyCode::Tab, now);
    let (fid, call) = calls(&out)[0].clone();
    assert_eq!(call, Request::GetFeatured);
    answer(
        &mut s,
        fid,
        Err(ApiError::NotFound {
            message: "gone".into(),
        }),
        now,
    );
    assert!(
        s.library
            .featured_note
            .as_deref()
            .unwrap()
            .contains("not available for this app")
    );
}

#[test]
fn cover_view_and_upload() {
    let (mut s, now) = opened(vec![track(0)]);
    let out = press(&mut s, 'C', now);
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(
        call,
        Request::GetCover {
            playlist_id: "p1".into()
        }
    );
    answer(
        &mut s,
        id,
        Ok(Reply::Cover(vec![ImageRef {
            url: "https://mosaic.scdn.co/640/abc".into(),
            width: Some(640),
        }])),
        now,
    );
    let Some(Modal::Cover { images, .. }) = &s.library.modal else {
        panic!("cover modal expected");
    };
    assert!(library::is_mosaic(
        images.as_ref().unwrap().as_ref().unwrap()
    ));
    type_text(&mut s, "/tmp/cover.png", now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    let Some((id, Request::UploadCover { playlist_id, path })) = calls(&out).first().cloned()
    else {
        panic!("upload expected: {out:?}");
    };
    assert_eq!(
        (playlist_id.as_str(), path.as_str()),
        ("p1", "/tmp/cover.png")
    );
    let out = answer(&mut s, id, Ok(Reply::Done), now);
    assert!(status(&s).contains("Uploaded"));
    assert!(
        calls(&out)
            .iter()
            .any(|(_, c)| matches!(c, Request::GetPlaylist { .. }))
    );
}

#[test]
fn esc_goes_back_from_items_then_leaves_the_screen() {
    let (mut s, now) = opened(vec![track(0)]);
    assert_eq!(s.library.focus, Pane::Items);
    press_code(&mut s, KeyCode::Esc, now);
    assert_eq!(s.library.focus, Pane::List);
    assert_eq!(s.screen, Screen::Playlists);
    press_code(&mut s, KeyCode::Esc, now);
    assert_eq!(s.screen, Screen::Player);
}

#[test]
fn filter_over_ten_thousand_items_is_fast() {
    let entries: Vec<_> = (0..10_000).map(track).collect();
    let (mut s, now) = opened(entries);
    press(&mut s, '/', now);
    type_text(&mut s, "song 9999", now);
    let o = s.library.open.as_ref().unwrap();
    // Fuzzy: the exact row ranks first, looser matches follow.
    assert_eq!(o.view.first(), Some(&9999));
    assert!(o.view.len() < 10_000);
    press_code(&mut s, KeyCode::Esc, now);
    assert_eq!(s.library.open.as_ref().unwrap().view.len(), 10_000);
}

#[test]
fn an_app_only_login_can_open_a_public_playlist_by_link() {
    let (mut s, now) = state();
    s.app_only = true;
    s.screen = Screen::Playlists;
    let out = spotdeck::app::library::on_open(&mut s, now);
    assert!(
        calls(&out).is_empty(),
        "no request for the user's playlists"
    );
    assert!(
        status(&s).contains("open a public playlist by id"),
        "{}",
        status(&s)
    );
    press(&mut s, 'o', now);
    type_text(
        &mut s,
        "https://open.spotify.com/playlist/37i9dQZF1DXdemoFresh01?si=abc",
        now,
    );
    let out = press_code(&mut s, KeyCode::Enter, now);
    let sent: Vec<Request> = calls(&out).into_iter().map(|(_, c)| c).collect();
    assert!(
        sent.contains(&Request::GetPlaylist {
            playlist_id: "37i9dQZF1DXdemoFresh01".into()
        }),
        "{sent:?}"
    );
    assert!(sent.contains(&Request::GetPlaylistItems {
        playlist_id: "37i9dQZF1DXdemoFresh01".into()
    }));

    // Garbage is refused with a message and nothing is sent.
    press(&mut s, 'o', now);
    type_text(&mut s, "not a playlist", now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    assert!(calls(&out).is_empty());
    assert!(status(&s).contains("not a playlist id"), "{}", status(&s));
}

#[test]
fn enter_on_the_open_playlist_keeps_its_rows_and_cursor() {
    let (mut s, now) = opened(vec![track(0), track(1), track(2), track(3)]);
    press(&mut s, 'j', now);
    press(&mut s, 'j', now);
    let o = s.library.open.as_ref().unwrap();
    assert_eq!(o.selected_position(), Some(2));
    // Back to the list, Enter on the same playlist again.
    press_code(&mut s, KeyCode::Esc, now);
    assert_eq!(s.library.focus, Pane::List);
    let out = press_code(&mut s, KeyCode::Enter, now);
    assert!(
        calls(&out).is_empty(),
        "nothing is reloaded: {:?}",
        calls(&out)
    );
    assert_eq!(s.library.focus, Pane::Items);
    let o = s.library.open.as_ref().unwrap();
    assert_eq!(o.selected_position(), Some(2), "the cursor stayed");
    assert_eq!(titles(&s), vec!["Song 0", "Song 1", "Song 2", "Song 3"]);
}
