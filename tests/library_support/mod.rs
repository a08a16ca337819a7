//! Shared helpers for the playlist browser tests: a state with a user, an
//! opened playlist with items, and shortcuts for keys and answers.
#![allow(dead_code)]

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spotdeck::app::action::Action;
use spotdeck::app::event::Event;
use spotdeck::app::keymap::Keymap;
use spotdeck::app::state::{AppState, Screen};
use spotdeck::app::update::update;
use spotdeck::config::Config;
use spotdeck::domain::{ItemKind, PlaylistEntry, PlaylistSummary, Track};
use spotdeck::spotify::error::ApiError;
use spotdeck::spotify::request::{Answer, ApiRequest, Reply, Request};

pub const ME: &str = "me";

pub fn state() -> (AppState, Instant) {
    let now = Instant::now();
    let mut s = AppState::new(&Config::default(), Keymap::default(), now);
    s.user = Some((ME.into(), "Me Myself".into()));
    (s, now)
}

pub fn summary(id: &str, owner: &str, total: u32) -> PlaylistSummary {
    PlaylistSummary {
        id: id.into(),
        name: format!("List {id}"),
        description: "A list".into(),
        owner_id: owner.into(),
        owner_name: format!("{owner} name"),
        public: Some(false),
        collaborative: false,
        snapshot_id: format!("snap-{id}-0"),
        total,
        images: vec![],
    }
}

pub fn track(i: usize) -> PlaylistEntry {
    PlaylistEntry {
        track: Track {
            uri: format!("spotify:track:t{i}"),
            title: format!("Song {i}"),
            artists: vec![format!("Artist {i}")],
            album: format!("Album {i}"),
            duration_ms: 180_000 + i as u64 * 1000,
            kind: ItemKind::Track,
            images: vec![],
            is_playable: true,
        },
        added_at: Some("2026-01-02T03:04:05Z".into()),
        added_by: Some(ME.into()),
    }
}

pub fn local(i: usize) -> PlaylistEntry {
    let mut e = track(i);
    e.track.uri = format!("spotify:local:Local+Artist:Local+Album:Local+Song+{i}:200");
    e.track.title = format!("Local Song {i}");
    e.track.artists = vec!["Local Artist".into()];
    e.track.album = "Local Album".into();
    e.track.kind = ItemKind::Local;
    e
}

pub fn key(c: char) -> Event {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Event::Key(KeyEvent::new(KeyCode::Char(c), m))
}

pub fn code(k: KeyCode) -> Event {
    Event::Key(KeyEvent::new(k, KeyModifiers::NONE))
}

pub fn press(s: &mut AppState, c: char, now: Instant) -> Vec<Action> {
    update(s, key(c), now)
}

pub fn press_code(s: &mut AppState, k: KeyCode, now: Instant) -> Vec<Action> {
    update(s, code(k), now)
}

pub fn type_text(s: &mut AppState, text: &str, now: Instant) {
    for c in text.chars() {
        update(s, key(c), now);
    }
}

/// API calls among actions, with ids.
pub fn calls(actions: &[Action]) -> Vec<(u64, Request)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Api(ApiRequest { id, call, .. }) => Some((*id, call.clone())),
            _ => None,
        })
        .collect()
}

pub fn answer(
    s: &mut AppState,
    id: u64,
    result: Result<Reply, ApiError>,
    now: Instant,
) -> Vec<Action> {
    update(s, Event::Api(Box::new(Answer { id, result })), now)
}

/// A refusal that is none of the kinds the app acts on.
pub fn refused() -> ApiError {
    ApiError::InvalidArgument("Spotify said no.".into())
}

/// A 403: not allowed (e.g. hidden items under the 2026 rules).
pub fn forbidden() -> ApiError {
    ApiError::Forbidden {
        message: "Spotify said no.".into(),
    }
}

/// Opens the playlists screen and answers with `lists` in one page.
pub fn with_playlists(s: &mut AppState, lists: Vec<PlaylistSummary>, now: Instant) {
    let out = press(s, '2', now);
    assert_eq!(s.screen, Screen::Playlists);
    let (id, call) = calls(&out).into_iter().next().expect("playlists requested");
    assert_eq!(call, Request::GetMyPlaylists);
    let total = lists.len() as u32;
    answer(
        s,
        id,
        Ok(Reply::PlaylistsPage {
            offset: 0,
            total,
            items: lists,
            done: true,
        }),
        now,
    );
}

/// Opens the selected playlist (enter) and answers its items in one page
/// (and its metadata, when asked for).
pub fn open_with(s: &mut AppState, entries: Vec<PlaylistEntry>, now: Instant) {
    let out = press_code(s, KeyCode::Enter, now);
    let cs = calls(&out);
    let meta = cs
        .iter()
        .find(|(_, c)| matches!(c, Request::GetPlaylist { .. }))
        .cloned();
    let (items_id, items_call) = cs
        .iter()
        .find(|(_, c)| matches!(c, Request::GetPlaylistItems { .. }))
        .expect("items requested")
        .clone();
    let Request::GetPlaylistItems { playlist_id } = items_call else {
        unreachable!()
    };
    let summary = s.library.find(&playlist_id).cloned().expect("known");
    let snapshot_id = summary.snapshot_id.clone();
    if let Some(meta) = meta {
        answer(
            s,
            meta.0,
            Ok(Reply::Playlist(PlaylistSummary {
                total: entries.len() as u32,
                ..summary
            })),
            now,
        );
    }
    let total = entries.len() as u32;
    answer(
        s,
        items_id,
        Ok(Reply::ItemsPage {
            playlist_id,
            snapshot_id,
            offset: 0,
            total,
            items: entries,
            done: true,
        }),
        now,
    );
}

/// A state on the playlists screen with playlist "p1" (owned) open with `entries`.
pub fn opened(entries: Vec<PlaylistEntry>) -> (AppState, Instant) {
    let (mut s, now) = state();
    with_playlists(
        &mut s,
        vec![
            summary("p1", ME, entries.len() as u32),
            summary("p2", "bob", 3),
        ],
        now,
    );
    open_with(&mut s, entries, now);
    (s, now)
}

/// Titles of the open playlist's items, in order.
pub fn titles(s: &AppState) -> Vec<String> {
    spotdeck::app::library::open_entries(s)
        .into_iter()
        .map(|e| e.map_or("?".into(), |e| e.track.title.clone()))
        .collect()
}

pub fn snapshot(s: &AppState) -> String {
    s.library
        .open
        .as_ref()
        .map(|o| o.summary.snapshot_id.clone())
        .unwrap_or_default()
}

pub fn status(s: &AppState) -> String {
    s.status
        .as_ref()
        .map(|st| st.text.clone())
        .unwrap_or_default()
}
