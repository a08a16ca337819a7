//! The reducer's side of the on-disk caches: rows from the cache are marked
//! cached (on screen too) until the load confirms them or fresh pages
//! replace them; an edit Spotify confirmed stores the new rows at the new
//! snapshot; the playlists list and playback saved at the last exit show
//! marked cached until the first answers replace them.
#![allow(clippy::unwrap_used)]

mod library_support;

use crossterm::event::KeyCode;
use library_support::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spotdeck::app::action::Action;
use spotdeck::app::event::{Event, PollKind};
use spotdeck::app::state::AppState;
use spotdeck::app::update::update;
use spotdeck::domain::{Playback, Repeat};
use spotdeck::spotify::request::{Reply, Request};
use spotdeck::ui::{self, Clock};

fn text(s: &mut AppState) -> String {
    let now = std::time::Instant::now();
    update(s, Event::Resize(100, 30), now);
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let clock = Clock {
        now,
        unix_secs: 1_800_000_000,
    };
    term.draw(|f| ui::render(s, clock, f)).unwrap();
    let buf = term.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Playlists listed, "p1" opened: the id of the items request.
fn opening() -> (AppState, std::time::Instant, u64) {
    let (mut s, now) = state();
    with_playlists(&mut s, vec![summary("p1", ME, 3)], now);
    let out = press_code(&mut s, KeyCode::Enter, now);
    let cs = calls(&out);
    assert_eq!(cs.len(), 1, "opening asks for the items only: {cs:?}");
    let (id, call) = cs[0].clone();
    assert!(matches!(call, Request::GetPlaylistItems { .. }));
    (s, now, id)
}

fn cached(s: &mut AppState, id: u64, rows: Vec<spotdeck::domain::PlaylistEntry>) {
    let now = std::time::Instant::now();
    answer(
        s,
        id,
        Ok(Reply::CachedItems {
            playlist_id: "p1".into(),
            snapshot_id: "snap-old".into(),
            items: rows,
        }),
        now,
    );
}

fn is_cached(s: &AppState) -> bool {
    s.library.open.as_ref().unwrap().cached
}

#[test]
fn cached_rows_are_marked_until_the_snapshot_is_confirmed() {
    let (mut s, now, id) = opening();
    cached(&mut s, id, vec![track(0), track(1)]);
    assert_eq!(titles(&s), vec!["Song 0", "Song 1"], "shown at once");
    assert!(is_cached(&s));
    assert!(
        text(&mut s).contains("cached, checking"),
        "{}",
        text(&mut s)
    );
    // No edit acts on rows that are not confirmed.
    press(&mut s, 'x', now);
    let out = press(&mut s, 'y', now);
    assert!(calls(&out).is_empty(), "{out:?}");
    answer(
        &mut s,
        id,
        Ok(Reply::ItemsCurrent {
            playlist_id: "p1".into(),
            snapshot_id: "snap-old".into(),
        }),
        now,
    );
    assert!(!is_cached(&s));
    assert!(!s.library.is_loading());
    assert_eq!(snapshot(&s), "snap-old");
    assert_eq!(titles(&s), vec!["Song 0", "Song 1"]);
    assert!(!text(&mut s).contains("cached"));
}

#[test]
fn fresh_pages_replace_cached_rows_of_an_older_snapshot() {
    let (mut s, now, id) = opening();
    cached(&mut s, id, vec![track(0), track(1), track(2)]);
    answer(
        &mut s,
        id,
        Ok(Reply::ItemsPage {
            playlist_id: "p1".into(),
            snapshot_id: "snap-new".into(),
            offset: 0,
            total: 2,
            items: vec![track(5)],
            done: false,
        }),
        now,
    );
    assert!(!is_cached(&s), "a fresh page is not cached");
    assert_eq!(titles(&s), vec!["Song 5", "?"], "no cached row survives");
    assert_eq!(snapshot(&s), "snap-new");
}

#[test]
fn a_failed_check_keeps_the_cached_rows_marked() {
    let (mut s, now, id) = opening();
    cached(&mut s, id, vec![track(0)]);
    answer(&mut s, id, Err(refused()), now);
    assert!(is_cached(&s));
    assert_eq!(titles(&s), vec!["Song 0"]);
}

#[test]
fn a_confirmed_edit_stores_the_new_rows_at_the_new_snapshot() {
    let (mut s, now) = opened(vec![track(0), track(1), track(2)]);
    press(&mut s, 'j', now);
    press(&mut s, 'x', now);
    let out = press(&mut s, 'y', now);
    let (id, _) = calls(&out)[0].clone();
    let out = answer(&mut s, id, Ok(Reply::Snapshot("snap-1".into())), now);
    let stored: Vec<_> = out
        .iter()
        .filter_map(|a| match a {
            Action::CacheItems {
                playlist_id,
                snapshot_id,
                items,
            } => Some((playlist_id.clone(), snapshot_id.clone(), items.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        stored,
        vec![("p1".into(), "snap-1".into(), vec![track(0), track(2)])]
    );
}

#[test]
fn the_last_screen_is_marked_cached_until_answers_replace_it() {
    let (mut s, now) = state();
    // What the runtime puts in place from the cache before the first frame.
    s.library
        .mine
        .place(0, 1, vec![summary("old", ME, 1)], true);
    s.library.mine_cached = true;
    s.playback = Some(Playback {
        device: None,
        item: Some(track(9).track),
        is_playing: false,
        progress_ms: 1000,
        fetched_at: now,
        shuffle: false,
        repeat: Repeat::Off,
        context_uri: None,
        disallows: Default::default(),
    });
    let first = text(&mut s);
    assert!(first.contains("Song 9"), "{first}");
    assert!(first.contains("Last played · cached"), "{first}");
    // The first playback answer replaces it.
    let poll = calls(&update(&mut s, Event::PollDue(PollKind::Playback), now))
        .into_iter()
        .find(|(_, c)| *c == Request::GetPlayback)
        .expect("playback polled")
        .0;
    let mut fresh = s.playback.clone().unwrap();
    fresh.item = Some(track(10).track);
    answer(&mut s, poll, Ok(Reply::Playback(Some(fresh))), now);
    let after = text(&mut s);
    assert!(
        after.contains("Song 10") && !after.contains("cached"),
        "{after}"
    );
    // The playlists screen reloads a cached list and shows it cached meanwhile.
    let out = press(&mut s, '2', now);
    let (id, call) = calls(&out)[0].clone();
    assert_eq!(call, Request::GetMyPlaylists);
    assert!(text(&mut s).contains("(1, cached)"));
    answer(
        &mut s,
        id,
        Ok(Reply::PlaylistsPage {
            offset: 0,
            total: 1,
            items: vec![summary("new", ME, 1)],
            done: true,
        }),
        now,
    );
    assert!(!s.library.mine_cached);
    assert_eq!(s.library.mine.slots, vec![Some(summary("new", ME, 1))]);
    assert!(!text(&mut s).contains("cached"));
}
