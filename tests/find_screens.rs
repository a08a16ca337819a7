//! The Search and Library screens and the album/artist/show pages through
//! the reducer (keys in, requests out, answers in) and rendered at
//! 120×40, 80×24 and 50×12.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use spotdeck::app::action::Action;
use spotdeck::app::event::Event;
use spotdeck::app::keymap::Keymap;
use spotdeck::app::state::{AppState, Screen};
use spotdeck::app::update::update;
use spotdeck::config::Config;
use spotdeck::domain::music::{MusicKind, MusicRow, MusicSource, SearchGroup};
use spotdeck::spotify::error::ApiError;
use spotdeck::spotify::request::{Answer, ApiRequest, PlayTarget, Reply, Request};
use spotdeck::ui::{self, Clock};

fn state() -> (AppState, Instant) {
    let now = Instant::now();
    let mut s = AppState::new(&Config::default(), Keymap::default(), now);
    s.user = Some(("demo".into(), "Demo Listener".into()));
    (s, now)
}

fn key(s: &mut AppState, code: KeyCode, now: Instant) -> Vec<Action> {
    update(s, Event::Key(KeyEvent::new(code, KeyModifiers::NONE)), now)
}

fn typed(s: &mut AppState, text: &str, now: Instant) {
    for c in text.chars() {
        key(s, KeyCode::Char(c), now);
    }
}

fn requests(actions: &[Action]) -> Vec<ApiRequest> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Api(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn answer(s: &mut AppState, id: u64, result: Result<Reply, ApiError>, now: Instant) -> Vec<Action> {
    update(s, Event::Api(Box::new(Answer { id, result })), now)
}

fn row(kind: MusicKind, n: usize) -> MusicRow {
    let k = kind.as_str();
    MusicRow {
        kind,
        uri: format!("spotify:{k}:{k}{n}"),
        name: format!("{} {n}", kind.heading()),
        subtitle: format!("Artist {n}"),
        detail: if kind == MusicKind::Track {
            format!("Album {n}")
        } else {
            "2019 · album · 8 tracks".into()
        },
        parent_uri: (kind == MusicKind::Track).then(|| format!("spotify:album:album{n}")),
        artist_uri: Some(format!("spotify:artist:artist{n}")),
        duration_ms: if kind == MusicKind::Track { 185_000 } else { 0 },
    }
}

fn results(query: &str) -> Reply {
    Reply::Search {
        query: query.into(),
        groups: vec![
            SearchGroup {
                kind: MusicKind::Track,
                offset: 0,
                total: 12,
                rows: (0..5).map(|i| row(MusicKind::Track, i)).collect(),
            },
            SearchGroup {
                kind: MusicKind::Album,
                offset: 0,
                total: 2,
                rows: (0..2).map(|i| row(MusicKind::Album, i)).collect(),
            },
            SearchGroup {
                kind: MusicKind::Show,
                offset: 0,
                total: 0,
                rows: vec![],
            },
        ],
    }
}

/// Types `query` on the Search screen and lets the debounce send it; returns the search id.
fn search(s: &mut AppState, query: &str, now: Instant) -> u64 {
    key(s, KeyCode::Char('3'), now);
    typed(s, query, now);
    let out = update(s, Event::Tick, now + Duration::from_millis(400));
    let reqs = requests(&out);
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    reqs[0].id
}

#[test]
fn typing_searches_at_most_once_per_300_ms_and_drops_stale_answers() {
    let (mut s, t0) = state();
    key(&mut s, KeyCode::Char('3'), t0);
    assert_eq!(s.screen, Screen::Search);
    assert!(
        s.find.search.editing,
        "an empty search starts in the input line"
    );
    typed(&mut s, "gol", t0);
    // Still typing: nothing goes out.
    assert!(requests(&update(&mut s, Event::Tick, t0 + Duration::from_millis(50))).is_empty());
    let first = requests(&update(
        &mut s,
        Event::Tick,
        t0 + Duration::from_millis(200),
    ));
    assert_eq!(first.len(), 1);
    assert!(matches!(&first[0].call, Request::Search { query, limit: 5, .. } if query == "gol"));
    // More typing within 300 ms of that request: held back, then sent once.
    let t1 = t0 + Duration::from_millis(250);
    typed(&mut s, "den", t1);
    assert!(
        requests(&update(
            &mut s,
            Event::Tick,
            t0 + Duration::from_millis(450)
        ))
        .is_empty()
    );
    let second = requests(&update(
        &mut s,
        Event::Tick,
        t0 + Duration::from_millis(520),
    ));
    assert_eq!(second.len(), 1);
    assert!(matches!(&second[0].call, Request::Search { query, .. } if query == "golden"));
    // The older answer arrives last: dropped.
    answer(&mut s, second[0].id, Ok(results("golden")), t1);
    answer(&mut s, first[0].id, Ok(results("gol")), t1);
    assert_eq!(s.find.search.query, "golden");
    // Empty groups are not shown.
    assert_eq!(s.find.search.groups.len(), 2);
}

#[test]
fn enter_plays_a_track_inside_its_album_and_an_album_as_a_context() {
    let (mut s, t0) = state();
    let id = search(&mut s, "golden", t0);
    let out = answer(&mut s, id, Ok(results("golden")), t0);
    // The marks of the results are asked for.
    assert!(
        requests(&out)
            .iter()
            .any(|r| matches!(&r.call, Request::LibraryContains { uris } if uris.len() == 7))
    );
    key(&mut s, KeyCode::Enter, t0); // leave the input line
    key(&mut s, KeyCode::Down, t0); // first track (row 0 is the heading)
    let play = requests(&key(&mut s, KeyCode::Enter, t0));
    assert_eq!(
        play[0].call,
        Request::Play {
            target: PlayTarget::ContextFrom {
                uri: "spotify:album:album0".into(),
                item_uri: "spotify:track:track0".into(),
            },
            device_id: None,
        }
    );
    // Heading, 5 tracks, "more", heading, first album.
    for _ in 0..7 {
        key(&mut s, KeyCode::Down, t0);
    }
    let play = requests(&key(&mut s, KeyCode::Enter, t0));
    assert!(matches!(&play[0].call,
        Request::Play { target: PlayTarget::Context { uri, position: 0 }, .. } if uri == "spotify:album:album0"));
}

#[test]
fn more_results_load_per_type() {
    let (mut s, t0) = state();
    let id = search(&mut s, "golden", t0);
    answer(&mut s, id, Ok(results("golden")), t0);
    key(&mut s, KeyCode::Esc, t0);
    for _ in 0..6 {
        key(&mut s, KeyCode::Down, t0);
    }
    let more = requests(&key(&mut s, KeyCode::Enter, t0));
    let (more_id, call) = (more[0].id, more[0].call.clone());
    assert!(
        matches!(call, Request::Search { ref kinds, offset: 5, .. } if kinds == &[MusicKind::Track])
    );
    let page = Reply::Search {
        query: "golden".into(),
        groups: vec![SearchGroup {
            kind: MusicKind::Track,
            offset: 5,
            total: 12,
            rows: (5..12).map(|i| row(MusicKind::Track, i)).collect(),
        }],
    };
    answer(&mut s, more_id, Ok(page), t0);
    assert_eq!(s.find.search.groups[0].rows.len(), 12);
    assert_eq!(s.find.search.groups[1].rows.len(), 2, "albums untouched");
}

#[test]
fn like_shows_the_mark_at_once_and_restores_it_when_refused() {
    let (mut s, t0) = state();
    let id = search(&mut s, "golden", t0);
    answer(&mut s, id, Ok(results("golden")), t0);
    key(&mut s, KeyCode::Esc, t0);
    key(&mut s, KeyCode::Down, t0);
    let out = requests(&key(&mut s, KeyCode::Char('l'), t0));
    assert!(
        matches!(&out[0].call, Request::SaveToLibrary { uris } if uris == &["spotify:track:track0"])
    );
    assert!(spotdeck::app::find::is_saved(&s, "spotify:track:track0"));
    let refused = ApiError::Forbidden {
        message: "Insufficient client scope".into(),
    };
    answer(&mut s, out[0].id, Err(refused), t0);
    assert!(!spotdeck::app::find::is_saved(&s, "spotify:track:track0"));
    assert!(s.status.as_ref().unwrap().text.contains("Not allowed"));
}

fn liked(n: usize) -> Reply {
    Reply::Rows {
        offset: 0,
        total: n as u32,
        rows: (0..n).map(|i| row(MusicKind::Track, i)).collect(),
        done: true,
    }
}

#[test]
fn liked_songs_load_to_the_end_and_play_with_the_collection_as_context() {
    let (mut s, t0) = state();
    let out = requests(&key(&mut s, KeyCode::Char('4'), t0));
    assert_eq!(
        out[0].call,
        Request::GetRows {
            source: MusicSource::LikedSongs
        }
    );
    let id = out[0].id;
    // Two pages of one streamed request.
    let first = Reply::Rows {
        offset: 0,
        total: 60,
        rows: (0..50).map(|i| row(MusicKind::Track, i)).collect(),
        done: false,
    };
    answer(&mut s, id, Ok(first), t0);
    assert!(s.find.lists[0].loading.is_some());
    let second = Reply::Rows {
        offset: 50,
        total: 60,
        rows: (50..60).map(|i| row(MusicKind::Track, i)).collect(),
        done: true,
    };
    answer(&mut s, id, Ok(second), t0);
    assert_eq!(s.find.lists[0].rows.len(), 60);
    assert!(s.find.lists[0].loaded);
    key(&mut s, KeyCode::Char('G'), t0);
    let play = requests(&key(&mut s, KeyCode::Enter, t0));
    assert!(matches!(&play[0].call,
        Request::Play { target: PlayTarget::Context { uri, position: 59 }, .. } if uri == "spotify:user:demo:collection"));
    // Liked songs carry the mark; `l` unlikes.
    let out = requests(&key(&mut s, KeyCode::Char('l'), t0));
    assert!(matches!(&out[0].call, Request::RemoveFromLibrary { .. }));
    // Tab moves to saved albums, which load on first view.
    let out = requests(&key(&mut s, KeyCode::Tab, t0));
    assert_eq!(
        out[0].call,
        Request::GetRows {
            source: MusicSource::SavedAlbums
        }
    );
}

#[test]
fn pages_open_from_a_row_and_from_the_player_and_go_back() {
    let (mut s, t0) = state();
    let out = requests(&key(&mut s, KeyCode::Char('4'), t0));
    answer(&mut s, out[0].id, Ok(liked(3)), t0);
    let open = requests(&key(&mut s, KeyCode::Char('O'), t0));
    // The album of the selected track.
    assert_eq!(
        open[0].call,
        Request::GetRows {
            source: MusicSource::AlbumTracks("album0".into())
        }
    );
    answer(&mut s, open[0].id, Ok(liked(8)), t0);
    assert_eq!(s.find.pages.len(), 1);
    assert_eq!(s.find.pages[0].list.rows.len(), 8);
    // Row 0 is the album itself; row 3 plays at position 2 inside the album.
    for _ in 0..3 {
        key(&mut s, KeyCode::Down, t0);
    }
    let play = requests(&key(&mut s, KeyCode::Enter, t0));
    assert!(matches!(&play[0].call,
        Request::Play { target: PlayTarget::Context { uri, position: 2 }, .. } if uri == "spotify:album:album0"));
    key(&mut s, KeyCode::Esc, t0);
    assert!(s.find.pages.is_empty());
    // From the player: `b` asks which album the playing track is on, then opens it.
    key(&mut s, KeyCode::Char('1'), t0);
    s.playback = Some(spotdeck::domain::Playback {
        item: Some(spotdeck::domain::Track {
            uri: "spotify:track:abc".into(),
            title: "Golden Harbors".into(),
            artists: vec!["Velvet Harbor".into()],
            album: "Low Tide Radio".into(),
            duration_ms: 1000,
            kind: spotdeck::domain::ItemKind::Track,
            images: vec![],
            is_playable: true,
        }),
        device: None,
        is_playing: true,
        progress_ms: 0,
        fetched_at: t0,
        shuffle: false,
        repeat: spotdeck::domain::Repeat::Off,
        context_uri: None,
        disallows: Default::default(),
    });
    let go = requests(&key(&mut s, KeyCode::Char('b'), t0));
    assert_eq!(
        go[0].call,
        Request::GetTrackLinks {
            track_id: "abc".into()
        }
    );
    let links = Reply::Rows {
        offset: 0,
        total: 2,
        rows: vec![row(MusicKind::Album, 7), row(MusicKind::Artist, 7)],
        done: true,
    };
    let out = requests(&answer(&mut s, go[0].id, Ok(links), t0));
    assert!(out.iter().any(|r| r.call
        == Request::GetRows {
            source: MusicSource::AlbumTracks("album7".into())
        }));
    assert_eq!(s.find.pages.last().unwrap().header.name, "Albums 7");
}

fn draw(s: &mut AppState, w: u16, h: u16, now: Instant) -> String {
    update(s, Event::Resize(w, h), now);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let clock = Clock {
        now,
        unix_secs: 1_800_000_000,
    };
    term.draw(|f| ui::render(s, clock, f)).unwrap();
    let buf = term.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (50, 12)];

#[test]
fn search_screen_renders_at_every_size() {
    for (w, h) in SIZES {
        let (mut s, t0) = state();
        let id = search(&mut s, "golden", t0);
        answer(&mut s, id, Ok(results("golden")), t0);
        s.find.saved.insert("spotify:track:track1".into(), true);
        let text = draw(&mut s, w, h, t0);
        assert!(text.contains("Search: golden"), "{w}×{h}\n{text}");
        assert!(text.contains("Tracks · 12"), "{w}×{h}\n{text}");
        assert!(text.contains("Tracks 0 — Artist 0"), "{w}×{h}\n{text}");
        assert!(text.contains("3 Search"), "{w}×{h}\n{text}");
        if h >= 24 {
            assert!(text.contains("♥ Tracks 1"), "{w}×{h}\n{text}");
            assert!(text.contains("… 7 more tracks"), "{w}×{h}\n{text}");
            assert!(text.contains("Albums · 2"), "{w}×{h}\n{text}");
        }
        if w >= 80 {
            assert!(
                text.contains("3:05"),
                "durations shown when wide: {w}×{h}\n{text}"
            );
        }
        // Nothing is cut mid-line past the border.
        for line in text.lines() {
            assert_eq!(unicode_width::UnicodeWidthStr::width(line), usize::from(w));
        }
    }
}

#[test]
fn library_screen_and_pages_render_at_every_size() {
    for (w, h) in SIZES {
        let (mut s, t0) = state();
        let out = requests(&key(&mut s, KeyCode::Char('4'), t0));
        answer(&mut s, out[0].id, Ok(liked(30)), t0);
        let text = draw(&mut s, w, h, t0);
        assert!(text.contains("Liked Songs (30)"), "{w}×{h}\n{text}");
        assert!(text.contains("♥ Tracks 0 — Artist 0"), "{w}×{h}\n{text}");
        let open = requests(&key(&mut s, KeyCode::Char('O'), t0));
        answer(&mut s, open[0].id, Ok(liked(8)), t0);
        let text = draw(&mut s, w, h, t0);
        assert!(text.contains("Album: Album 0"), "{w}×{h}\n{text}");
        assert!(text.contains("not saved"), "{w}×{h}\n{text}");
        assert!(text.contains("Tracks 3"), "{w}×{h}\n{text}");
        // An empty, failed list says why.
        let (mut s, t0) = state();
        let out = requests(&key(&mut s, KeyCode::Char('4'), t0));
        let gone = ApiError::NotFound {
            message: "Service not found".into(),
        };
        answer(&mut s, out[0].id, Err(gone), t0);
        let text = draw(&mut s, w, h, t0);
        assert!(text.contains("Not found"), "{w}×{h}\n{text}");
    }
}

#[test]
fn liked_songs_filter_as_you_type_and_play_the_row_at_its_place() {
    let (mut s, t0) = state();
    let out = requests(&key(&mut s, KeyCode::Char('4'), t0));
    answer(&mut s, out[0].id, Ok(liked(60)), t0);
    key(&mut s, KeyCode::Char('/'), t0);
    typed(&mut s, "tracks 42", t0);
    let text = draw(&mut s, 80, 24, t0);
    assert!(text.contains("/tracks 42"), "{text}");
    assert!(text.contains("Tracks 42 — Artist 42"), "{text}");
    assert!(
        !text.contains("Tracks 17 "),
        "other rows are hidden\n{text}"
    );
    key(&mut s, KeyCode::Enter, t0); // stop typing, keep the filter
    let play = requests(&key(&mut s, KeyCode::Enter, t0));
    assert!(
        matches!(&play[0].call,
        Request::Play { target: PlayTarget::Context { uri, position: 42 }, .. } if uri == "spotify:user:demo:collection"),
        "{play:?}"
    );
    // esc clears the filter: every row is back.
    key(&mut s, KeyCode::Esc, t0);
    assert!(s.find.filter.is_empty());
    assert_eq!(spotdeck::app::find::shown(&s).len(), 60);
}

#[test]
fn adding_from_search_returns_to_search_when_the_picker_closes() {
    let (mut s, t0) = state();
    let id = search(&mut s, "golden", t0);
    answer(&mut s, id, Ok(results("golden")), t0);
    key(&mut s, KeyCode::Enter, t0);
    key(&mut s, KeyCode::Down, t0);
    key(&mut s, KeyCode::Char('a'), t0);
    assert_eq!(s.screen, Screen::Playlists, "the playlist picker opens");
    key(&mut s, KeyCode::Esc, t0);
    assert_eq!(s.screen, Screen::Search);
}

#[test]
fn a_whole_album_is_read_to_the_end_before_the_picker_opens() {
    let (mut s, t0) = state();
    let id = search(&mut s, "golden", t0);
    answer(&mut s, id, Ok(results("golden")), t0);
    key(&mut s, KeyCode::Enter, t0);
    for _ in 0..8 {
        key(&mut s, KeyCode::Down, t0);
    }
    let read = requests(&key(&mut s, KeyCode::Char('a'), t0));
    assert_eq!(
        read[0].call,
        Request::GetRows {
            source: MusicSource::AlbumTracks("album0".into())
        }
    );
    let page = |offset: usize, n: usize, done: bool| Reply::Rows {
        offset: offset as u32,
        total: 60,
        rows: (offset..offset + n)
            .map(|i| row(MusicKind::Track, i))
            .collect(),
        done,
    };
    answer(&mut s, read[0].id, Ok(page(0, 50, false)), t0);
    assert_eq!(s.screen, Screen::Search, "still reading");
    answer(&mut s, read[0].id, Ok(page(50, 10, true)), t0);
    assert_eq!(
        s.screen,
        Screen::Playlists,
        "the picker opens with all 60 tracks"
    );
    assert!(s.find.album_uris.is_empty());
}

/// Column and row where `needle` is drawn.
fn cell_of(text: &str, needle: &str) -> (u16, u16) {
    text.lines()
        .enumerate()
        .find_map(|(y, line)| {
            line.find(needle)
                .map(|b| (line[..b].chars().count() as u16, y as u16))
        })
        .unwrap_or_else(|| panic!("{needle:?} is not drawn:\n{text}"))
}

fn mouse(kind: crossterm::event::MouseEventKind, (column, row): (u16, u16)) -> Event {
    Event::Mouse(crossterm::event::MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

/// The context position Enter plays now (its first request).
fn enter_plays_at(s: &mut AppState, now: Instant) -> Option<u32> {
    let out = requests(&key(s, KeyCode::Enter, now));
    out.first().and_then(|r| match &r.call {
        Request::Play {
            target: PlayTarget::Context { position, .. },
            ..
        } => Some(*position),
        _ => None,
    })
}

#[test]
fn a_click_selects_the_row_under_it_and_the_wheel_scrolls_on_library() {
    use crossterm::event::{MouseButton, MouseEventKind};
    let (mut s, t0) = state();
    let out = requests(&key(&mut s, KeyCode::Char('4'), t0));
    answer(&mut s, out[0].id, Ok(liked(60)), t0);
    let text = draw(&mut s, 80, 24, t0);
    let at = cell_of(&text, "Tracks 5 — Artist 5");
    let click = |at| mouse(MouseEventKind::Down(MouseButton::Left), at);
    update(&mut s, click(at), t0);
    assert_eq!(enter_plays_at(&mut s, t0), Some(5), "the clicked row plays");
    // Above the first drawn row (the tabs line) nothing is selected.
    let (_, first) = cell_of(&text, "Tracks 0 — Artist 0");
    update(&mut s, click((at.0, first.saturating_sub(1))), t0);
    assert_eq!(
        enter_plays_at(&mut s, t0),
        Some(5),
        "a click on the tabs line changes nothing"
    );
    for _ in 0..3 {
        update(&mut s, mouse(MouseEventKind::ScrollDown, at), t0);
    }
    assert_eq!(
        enter_plays_at(&mut s, t0),
        Some(8),
        "three wheel steps down"
    );
}
