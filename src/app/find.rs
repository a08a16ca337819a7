//! The Search and Library screens and the album, artist and show pages:
//! their part of the reducer. Keys and answers come in, state changes,
//! `Action`s go out; nothing here blocks or reads a clock.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::intent::Intent;
use super::library;
use super::state::find::{FindReq, LibraryTab, MusicPage, RowList, SEARCH_PAGE, SearchLine};
use super::state::{AppState, Rollback, Screen};
use crate::domain::music::{MusicKind, MusicRow, MusicSource, liked_songs_uri, uri_id};
use crate::spotify::error::ApiError;
use crate::spotify::request::{Answer, ApiRequest, PlayTarget, Priority, Reply, Request};

/// Rows visible in a list of these screens (title, input and status lines aside).
pub fn visible_rows(state: &AppState) -> usize {
    let area = ratatui::layout::Rect::new(0, 0, state.size.0, state.size.1);
    // The body of the screen, less its borders and the query / tabs line.
    usize::from(
        super::geometry::playlists_body(area)
            .height
            .saturating_sub(3),
    )
    .max(1)
}

fn send(state: &mut AppState, req: FindReq, call: Request, priority: Priority) -> Action {
    let id = state.take_id();
    state.find.reqs.insert(id, req);
    Action::Api(ApiRequest { id, priority, call })
}

/// Opens a screen: `3` Search, `4` Library (loading the tab the first time).
pub fn show(state: &mut AppState, screen: Screen) -> Vec<Action> {
    state.screen = screen;
    state.find.pages.clear();
    state.find.filter.clear();
    state.find.filtering = false;
    let mut out = Vec::new();
    match screen {
        Screen::Search if state.find.search.input.is_empty() => {
            state.find.search.editing = true;
        }
        Screen::Library => load_tab(state, false, &mut out),
        _ => {}
    }
    out
}

fn load_tab(state: &mut AppState, force: bool, out: &mut Vec<Action>) {
    let tab = state.find.tab;
    let list = &state.find.lists[tab.index()];
    if list.loading.is_some() || list.loaded && !force {
        return;
    }
    let source = match tab {
        LibraryTab::Liked => MusicSource::LikedSongs,
        LibraryTab::Albums => MusicSource::SavedAlbums,
        LibraryTab::Artists => MusicSource::FollowedArtists,
        LibraryTab::Shows => MusicSource::SavedShows,
    };
    let a = send(
        state,
        FindReq::Tab(tab),
        Request::GetRows { source },
        Priority::VisiblePane,
    );
    if let Action::Api(r) = &a {
        let list = &mut state.find.lists[tab.index()];
        list.loading = Some(r.id);
        list.error = None;
    }
    out.push(a);
}

/// Keys on the Search and Library screens and the pages; `None` passes the
/// key on to the global bindings.
pub fn on_key(
    state: &mut AppState,
    key: &KeyEvent,
    intent: Option<Intent>,
    now: Instant,
) -> Option<Vec<Action>> {
    if state.screen == Screen::Search && state.find.search.editing && state.find.pages.is_empty() {
        return edit_query(state, key, now);
    }
    if state.find.filtering {
        return Some(edit_filter(state, key));
    }
    let intent = intent?;
    let mut out = Vec::new();
    match intent {
        Intent::Up => step(state, -1),
        Intent::Down => step(state, 1),
        Intent::PageUp => step(state, -(visible_rows(state) as isize)),
        Intent::PageDown => step(state, visible_rows(state) as isize),
        Intent::Top => step(state, isize::MIN / 2),
        Intent::Bottom => step(state, isize::MAX / 2),
        Intent::Filter if state.screen == Screen::Search && state.find.pages.is_empty() => {
            state.find.search.editing = true;
        }
        Intent::Filter => state.find.filtering = true,
        Intent::FocusNext | Intent::FocusPrev
            if state.screen == Screen::Library && state.find.pages.is_empty() =>
        {
            let d = if intent == Intent::FocusNext { 1 } else { -1 };
            state.find.tab = state.find.tab.step(d);
            state.find.filter.clear();
            load_tab(state, false, &mut out);
        }
        Intent::Back if !state.find.filter.is_empty() => {
            state.find.filter.clear();
            reset_cursor(state);
        }
        Intent::Back if !state.find.pages.is_empty() => {
            state.find.pages.pop();
        }
        Intent::Refresh if state.screen == Screen::Library && state.find.pages.is_empty() => {
            load_tab(state, true, &mut out);
        }
        Intent::Select => select(state, now, &mut out),
        Intent::Enqueue => enqueue(state, now, &mut out),
        Intent::Like => like(state, now, &mut out),
        Intent::OpenPage => {
            if let Some(row) = selected(state).cloned() {
                open_page(state, row, now, &mut out);
            }
        }
        Intent::AddToPlaylist => add_to_playlist(state, now, &mut out),
        _ => return None,
    }
    Some(out)
}

fn edit_query(state: &mut AppState, key: &KeyEvent, now: Instant) -> Option<Vec<Action>> {
    let s = &mut state.find.search;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => {
            s.input.clear();
            s.typed_at = None;
        }
        KeyCode::Char('c') if ctrl => return None,
        KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
            s.input.push(c);
            s.typed_at = Some(now);
        }
        KeyCode::Backspace => {
            s.input.pop();
            s.typed_at = (!s.input.is_empty()).then_some(now);
        }
        KeyCode::Enter => {
            s.editing = false;
            let mut out = Vec::new();
            if !s.input.trim().is_empty() {
                search_now(state, now, &mut out);
            }
            return Some(out);
        }
        KeyCode::Esc | KeyCode::Down | KeyCode::Tab => s.editing = false,
        _ => {}
    }
    Some(Vec::new())
}

/// Pasted text goes into the query while it is being typed.
pub fn on_paste(state: &mut AppState, text: &str, now: Instant) -> Option<Vec<Action>> {
    let s = &mut state.find.search;
    if state.screen != Screen::Search || !s.editing {
        return None;
    }
    s.input.extend(text.chars().filter(|c| !c.is_control()));
    s.typed_at = Some(now);
    Some(Vec::new())
}

/// The animation tick: sends the typed query when it is due.
pub fn on_tick(state: &mut AppState, now: Instant) -> Vec<Action> {
    let mut out = Vec::new();
    if state.find.search.due(now) {
        search_now(state, now, &mut out);
    }
    out
}

fn search_now(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    let query = state.find.search.input.trim().to_string();
    state.find.search.typed_at = None;
    if query.is_empty() || query == state.find.search.query && state.find.search.latest.is_none() {
        return;
    }
    let call = Request::Search {
        query,
        kinds: MusicKind::ALL.to_vec(),
        offset: 0,
        limit: SEARCH_PAGE,
    };
    let a = send(state, FindReq::Search, call, Priority::User);
    if let Action::Api(r) = &a {
        state.find.search.latest = Some(r.id);
    }
    state.find.search.sent_at = Some(now);
    out.push(a);
}

impl crate::fuzzy::Haystack for &MusicRow {
    fn haystack(&self, out: &mut String) {
        out.push_str(&self.name);
        out.push(' ');
        out.push_str(&self.subtitle);
        out.push(' ');
        out.push_str(&self.detail);
    }
}

/// Rows of the library list or page on screen that pass the filter, best
/// first (all of them, in order, without a filter): indices into its rows.
pub fn shown(state: &AppState) -> Vec<usize> {
    let Some(list) = state.find.list(state.screen == Screen::Library) else {
        return Vec::new();
    };
    let slots: Vec<Option<&MusicRow>> = list.rows.iter().map(Some).collect();
    crate::fuzzy::view(&slots, &state.find.filter)
}

fn current_len(state: &AppState) -> usize {
    if state.find.list(state.screen == Screen::Library).is_some() {
        return shown(state).len() + usize::from(state.find.pages.last().is_some());
    }
    state.find.search.lines().len()
}

/// Typing into the filter of a library list or page.
fn edit_filter(state: &mut AppState, key: &KeyEvent) -> Vec<Action> {
    let f = &mut state.find;
    match key.code {
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => f.filter.clear(),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => f.filter.push(c),
        KeyCode::Backspace => {
            f.filter.pop();
        }
        KeyCode::Esc => {
            f.filter.clear();
            f.filtering = false;
        }
        KeyCode::Enter | KeyCode::Down | KeyCode::Up => f.filtering = false,
        _ => {}
    }
    reset_cursor(state);
    Vec::new()
}

fn reset_cursor(state: &mut AppState) {
    let on_library = state.screen == Screen::Library;
    let f = &mut state.find;
    match f.pages.last_mut() {
        Some(p) => p.list.cursor = Default::default(),
        None if on_library => f.lists[f.tab.index()].cursor = Default::default(),
        None => {}
    }
}

/// Moves the cursor of the list shown by `delta` rows (the mouse wheel too).
pub(crate) fn step(state: &mut AppState, delta: isize) {
    let len = current_len(state);
    let rows = visible_rows(state);
    cursor_mut(state).step(delta, len, rows);
}

/// Selects the `line`-th line drawn from the top of the list shown (a
/// click); false when no line is drawn there.
pub(crate) fn select_drawn_line(state: &mut AppState, line: usize) -> bool {
    let len = current_len(state);
    let rows = visible_rows(state);
    if line >= rows {
        return false;
    }
    let cursor = cursor_mut(state);
    let i = cursor.offset + line;
    if i >= len {
        return false;
    }
    cursor.select(i, len, rows);
    state.find.search.editing = false;
    true
}

fn cursor_mut(state: &mut AppState) -> &mut crate::app::cursor::ListCursor {
    let on_library = state.screen == Screen::Library;
    let f = &mut state.find;
    match f.pages.last_mut() {
        Some(p) => &mut p.list.cursor,
        None if on_library => &mut f.lists[f.tab.index()].cursor,
        None => &mut f.search.cursor,
    }
}

/// The selected row: on a page the header is row 0, then its list.
fn selected(state: &AppState) -> Option<&MusicRow> {
    let f = &state.find;
    if let Some(p) = f.pages.last() {
        return match p.list.cursor.selected {
            0 => Some(&p.header),
            _ => p.list.rows.get(selected_position(state) as usize),
        };
    }
    if state.screen == Screen::Library {
        let l = &f.lists[f.tab.index()];
        return l.rows.get(selected_position(state) as usize);
    }
    f.search.selected_row()
}

/// Position of the selected row inside the list it plays from (the filter
/// only hides rows: the position is the row's place in the whole list).
fn selected_position(state: &AppState) -> u32 {
    let f = &state.find;
    let i = match f.pages.last() {
        Some(p) => p.list.cursor.selected.saturating_sub(1),
        None => f.lists[f.tab.index()].cursor.selected,
    };
    shown(state).get(i).copied().unwrap_or(i) as u32
}

fn select(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    if state.screen == Screen::Search
        && state.find.pages.is_empty()
        && let Some(SearchLine::More(g)) = state
            .find
            .search
            .lines()
            .get(state.find.search.cursor.selected)
            .copied()
    {
        return more(state, g, out);
    }
    let Some(row) = selected(state).cloned() else {
        return;
    };
    let on_page = !state.find.pages.is_empty();
    let target = match row.kind {
        // Liked Songs play with the collection as context.
        MusicKind::Track if state.screen == Screen::Library && !on_page => {
            match state.user.as_ref() {
                Some((user, _)) => PlayTarget::Context {
                    uri: liked_songs_uri(user),
                    position: selected_position(state),
                },
                None => PlayTarget::Uris(vec![row.uri.clone()]),
            }
        }
        // On an album or show page: inside it, at this row.
        MusicKind::Track | MusicKind::Episode if on_page => {
            let header = state.find.pages.last().map(|p| &p.header);
            match header.filter(|h| matches!(h.kind, MusicKind::Album | MusicKind::Show)) {
                Some(h) => PlayTarget::Context {
                    uri: h.uri.clone(),
                    position: selected_position(state),
                },
                None => PlayTarget::Uris(vec![row.uri.clone()]),
            }
        }
        // A track from search plays inside its album.
        MusicKind::Track => match &row.parent_uri {
            Some(album) => PlayTarget::ContextFrom {
                uri: album.clone(),
                item_uri: row.uri.clone(),
            },
            None => PlayTarget::Uris(vec![row.uri.clone()]),
        },
        MusicKind::Episode => PlayTarget::Uris(vec![row.uri.clone()]),
        _ => PlayTarget::Context {
            uri: row.uri.clone(),
            position: 0,
        },
    };
    play(state, target, &row.name, now, out);
}

fn play(state: &mut AppState, target: PlayTarget, name: &str, now: Instant, out: &mut Vec<Action>) {
    let call = Request::Play {
        target,
        device_id: None,
    };
    super::update::send_command(state, call, Rollback::Nothing, now, out);
    state.info(format!("Playing “{name}”…"), now);
}

fn more(state: &mut AppState, g: usize, out: &mut Vec<Action>) {
    let s = &state.find.search;
    let Some(group) = s.groups.get(g) else { return };
    let kind = group.kind;
    if s.more.values().any(|k| *k == kind) {
        return;
    }
    let call = Request::Search {
        query: s.query.clone(),
        kinds: vec![kind],
        offset: group.rows.len() as u32,
        limit: 10,
    };
    let a = send(state, FindReq::More(kind), call, Priority::User);
    if let Action::Api(r) = &a {
        state.find.search.more.insert(r.id, kind);
    }
    out.push(a);
}

fn enqueue(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    let Some(row) = selected(state).cloned() else {
        return;
    };
    if !row.kind.is_playable_item() {
        state.info(
            "Only tracks and episodes can be queued; enter plays an album or playlist.",
            now,
        );
        return;
    }
    out.push(send(
        state,
        FindReq::Queue(row.name.clone()),
        Request::AddToQueue {
            uri: row.uri.clone(),
        },
        Priority::User,
    ));
    state.info(format!("Adding “{}” to the queue…", row.name), now);
}

/// True when `uri` is known to be saved (liked, followed).
pub fn is_saved(state: &AppState, uri: &str) -> bool {
    state.find.saved.get(uri).copied().unwrap_or(false)
}

fn like(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    let Some(row) = selected(state).cloned() else {
        return;
    };
    let was = is_saved(state, &row.uri);
    let uris = vec![row.uri.clone()];
    // Shown at once, restored if Spotify refuses.
    state.find.saved.insert(row.uri.clone(), !was);
    let call = if was {
        Request::RemoveFromLibrary { uris }
    } else {
        Request::SaveToLibrary { uris }
    };
    out.push(send(
        state,
        FindReq::Save(vec![(row.uri.clone(), was)]),
        call,
        Priority::User,
    ));
    let verb = match (row.kind, was) {
        (MusicKind::Artist | MusicKind::Playlist, false) => "Following",
        (MusicKind::Artist | MusicKind::Playlist, true) => "Unfollowing",
        (_, false) => "Liking",
        (_, true) => "Removing",
    };
    state.info(format!("{verb} “{}”…", row.name), now);
}

fn add_to_playlist(state: &mut AppState, now: Instant, out: &mut Vec<Action>) {
    let Some(row) = selected(state).cloned() else {
        return;
    };
    match row.kind {
        MusicKind::Track | MusicKind::Episode => {
            out.extend(library::start_add_to_playlist(state, vec![row.uri], now));
        }
        MusicKind::Album => {
            out.push(send(
                state,
                FindReq::AddAlbum,
                Request::GetRows {
                    source: MusicSource::AlbumTracks(uri_id(&row.uri).to_string()),
                },
                Priority::User,
            ));
            state.find.album_uris.clear();
            state.info(format!("Reading the tracks of “{}”…", row.name), now);
        }
        _ => state.info(
            "Tracks, episodes and whole albums can be added to a playlist.",
            now,
        ),
    }
}

/// Opens the page of an album, artist or show (a playlist opens in the
/// playlist browser).
pub fn open_page(state: &mut AppState, row: MusicRow, now: Instant, out: &mut Vec<Action>) {
    let id = uri_id(&row.uri).to_string();
    let source = match row.kind {
        MusicKind::Album => MusicSource::AlbumTracks(id),
        MusicKind::Artist => MusicSource::ArtistAlbums(id),
        MusicKind::Show => MusicSource::ShowEpisodes(id),
        MusicKind::Playlist => {
            state.screen = Screen::Playlists;
            out.extend(library::on_open(state, now));
            library::open_by_id(state, &id, out);
            return;
        }
        MusicKind::Track | MusicKind::Episode => match &row.parent_uri {
            Some(parent) => {
                let kind = if row.kind == MusicKind::Track {
                    MusicKind::Album
                } else {
                    MusicKind::Show
                };
                let header = MusicRow {
                    kind,
                    uri: parent.clone(),
                    name: row.detail.clone(),
                    subtitle: row.subtitle.clone(),
                    detail: String::new(),
                    parent_uri: None,
                    artist_uri: row.artist_uri.clone(),
                    duration_ms: 0,
                };
                return open_page(state, header, now, out);
            }
            None => return,
        },
    };
    if state.screen != Screen::Search && state.screen != Screen::Library {
        state.screen = Screen::Library;
    }
    let a = send(
        state,
        FindReq::Page(row.uri.clone()),
        Request::GetRows { source },
        Priority::User,
    );
    let loading = match &a {
        Action::Api(r) => Some(r.id),
        _ => None,
    };
    out.push(a);
    let uris = vec![row.uri.clone()];
    out.push(send(
        state,
        FindReq::Contains(uris.clone()),
        Request::LibraryContains { uris },
        Priority::Background,
    ));
    state.find.filter.clear();
    state.find.filtering = false;
    state.find.pages.push(MusicPage {
        header: row,
        list: RowList {
            loading,
            ..RowList::default()
        },
    });
}

/// "Go to album / artist" of what is playing.
pub fn go_to(state: &mut AppState, kind: MusicKind, now: Instant) -> Vec<Action> {
    let Some(t) = state.now_playing().cloned() else {
        state.info("Nothing is playing.", now);
        return Vec::new();
    };
    let Some(id) = t.uri.strip_prefix("spotify:track:") else {
        state.info(
            "Only a Spotify track has an album and artists to go to.",
            now,
        );
        return Vec::new();
    };
    let a = send(
        state,
        FindReq::GoTo(kind),
        Request::GetTrackLinks {
            track_id: id.to_string(),
        },
        Priority::User,
    );
    state.info(
        format!("Opening the {} of “{}”…", kind.as_str(), t.title),
        now,
    );
    vec![a]
}

/// Answers to this module's requests; anything else comes back as `Err`.
pub fn on_api(
    state: &mut AppState,
    answer: Box<Answer>,
    now: Instant,
) -> Result<Vec<Action>, Box<Answer>> {
    let Some(req) = state.find.reqs.get(&answer.id).cloned() else {
        return Err(answer);
    };
    let Answer { id, result } = *answer;
    // Paged lists keep their entry until the last page.
    let last = !matches!(result, Ok(Reply::Rows { done: false, .. }));
    if last {
        state.find.reqs.remove(&id);
    }
    state.dirty = true;
    let mut out = Vec::new();
    match (req, result) {
        (FindReq::Search, r) => on_search(state, id, r, now, &mut out),
        (FindReq::More(kind), r) => {
            state.find.search.more.remove(&id);
            match r {
                Ok(Reply::Search { query, groups }) if query == state.find.search.query => {
                    for g in groups.into_iter().filter(|g| g.kind == kind) {
                        let groups = &mut state.find.search.groups;
                        if let Some(mine) = groups.iter_mut().find(|x| x.kind == kind) {
                            mine.total = g.total;
                            mine.rows.extend(g.rows);
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => state.error(e.sentence(), now),
            }
        }
        (FindReq::Tab(tab), r) => {
            rows_into(&mut state.find.lists[tab.index()], id, r);
            if let Some(e) = state.find.lists[tab.index()].error.clone() {
                state.error(e, now);
            }
            if tab == LibraryTab::Liked {
                mark_saved(state, tab);
            }
        }
        (FindReq::Page(uri), r) => {
            if let Some(p) = state
                .find
                .pages
                .iter_mut()
                .rev()
                .find(|p| p.header.uri == uri)
            {
                rows_into(&mut p.list, id, r);
                if let Some(e) = p.list.error.clone() {
                    state.error(e, now);
                }
            }
        }
        (FindReq::GoTo(kind), Ok(Reply::Rows { rows, .. })) => {
            match rows.into_iter().find(|r| r.kind == kind) {
                Some(row) => open_page(state, row, now, &mut out),
                None => state.info(
                    format!("Spotify did not say which {} this is.", kind.as_str()),
                    now,
                ),
            }
        }
        (FindReq::Contains(uris), Ok(Reply::Contains(answers))) => {
            for (u, a) in uris.into_iter().zip(answers) {
                state.find.saved.insert(u, a);
            }
        }
        (FindReq::Save(before), r) => match r {
            Ok(_) => {
                let n = before.len();
                let now_saved = before.first().is_some_and(|(_, was)| !was);
                let what = if n == 1 { "it" } else { "them" };
                state.info(
                    if now_saved {
                        format!("Saved — {what} will be in your library.")
                    } else {
                        format!("Removed {what} from your library.")
                    },
                    now,
                );
                // Liked Songs change: reload the list next time it is shown.
                state.find.lists[LibraryTab::Liked.index()].loaded = false;
            }
            Err(e) => {
                for (u, was) in before {
                    state.find.saved.insert(u, was);
                }
                state.error(e.sentence(), now);
            }
        },
        (FindReq::AddAlbum, r) => match r {
            // Pages are gathered until the last one; then the picker opens.
            Ok(Reply::Rows { rows, done, .. }) => {
                state
                    .find
                    .album_uris
                    .extend(rows.into_iter().map(|r| r.uri));
                if done {
                    let uris = std::mem::take(&mut state.find.album_uris);
                    out.extend(library::start_add_to_playlist(state, uris, now));
                }
            }
            Ok(_) => {}
            Err(e) => {
                state.find.album_uris.clear();
                state.error(e.sentence(), now);
            }
        },
        (FindReq::Queue(name), r) => match r {
            Ok(_) => state.info(format!("Added “{name}” to the queue."), now),
            Err(e) => state.error(e.sentence(), now),
        },
        (_, Err(e)) => state.error(e.sentence(), now),
        (_, Ok(_)) => {}
    }
    Ok(out)
}

fn on_search(
    state: &mut AppState,
    id: u64,
    r: Result<Reply, ApiError>,
    now: Instant,
    out: &mut Vec<Action>,
) {
    let s = &mut state.find.search;
    if s.latest != Some(id) {
        return; // an older query: its answer is stale
    }
    s.latest = None;
    match r {
        Ok(Reply::Search { query, groups }) => {
            s.query = query;
            s.groups = groups.into_iter().filter(|g| g.total > 0).collect();
            s.cursor = Default::default();
            s.error = None;
            let uris: Vec<String> = s
                .groups
                .iter()
                .flat_map(|g| g.rows.iter().map(|r| r.uri.clone()))
                .filter(|u| !state.find.saved.contains_key(u))
                .collect();
            if !uris.is_empty() && !state.app_only {
                out.push(send(
                    state,
                    FindReq::Contains(uris.clone()),
                    Request::LibraryContains { uris },
                    Priority::Background,
                ));
            }
        }
        Ok(_) => {}
        Err(e) => {
            s.error = Some(e.sentence());
            state.error(e.sentence(), now);
        }
    }
}

fn rows_into(list: &mut RowList, id: u64, r: Result<Reply, ApiError>) {
    match r {
        Ok(Reply::Rows {
            offset,
            total,
            rows,
            done,
        }) => {
            if offset == 0 {
                list.rows.clear();
            }
            list.rows.truncate(offset as usize);
            list.rows.extend(rows);
            list.total = total;
            if done {
                list.loading = None;
                list.loaded = true;
            } else {
                list.loading = Some(id);
            }
        }
        Ok(_) => {}
        Err(e) => {
            list.loading = None;
            list.error = Some(e.sentence());
        }
    }
}

/// Everything in Liked Songs is liked.
fn mark_saved(state: &mut AppState, tab: LibraryTab) {
    let uris: Vec<String> = state.find.lists[tab.index()]
        .rows
        .iter()
        .map(|r| r.uri.clone())
        .collect();
    for u in uris {
        state.find.saved.insert(u, true);
    }
}
