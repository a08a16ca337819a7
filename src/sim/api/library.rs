//! The saved library: Liked Songs (`GET /me/tracks`), saved albums and
//! shows, followed artists (cursor paging), `PUT`/`DELETE /me/library`,
//! `GET /me/library/contains`, and following a playlist.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::super::Shared;
use super::super::errors::{ApiError, ApiResult};
use super::super::ids::iso8601;
use super::super::saved::Shelf;
use super::super::state::SimState;
use super::{Caller, Q, authenticate, json_body, objects, page, paging};

type Params = Query<Vec<(String, String)>>;

/// Most URIs one `/me/library` call may carry.
pub const MAX_LIBRARY_URIS: usize = 40;

/// Which saved list a `GET /me/…` reads.
#[derive(Debug, Clone, Copy)]
enum SavedKind {
    Tracks,
    Albums,
    Shows,
}

/// One saved object: (`track`/`album`/`show`, its JSON).
fn saved_object(st: &SimState, kind: SavedKind, i: usize) -> (&'static str, Value) {
    match kind {
        SavedKind::Tracks => ("track", objects::track(st, i)),
        SavedKind::Shows => ("show", objects::simplified_show(st, i)),
        SavedKind::Albums => {
            let al = &st.catalog.albums[i];
            let tracks: Vec<Value> = al
                .tracks
                .iter()
                .map(|&t| objects::simplified_track(st, t))
                .collect();
            let n = tracks.len();
            let url = format!("{}/v1/albums/{}/tracks", st.base, al.id);
            let pg = super::Page {
                limit: 50,
                offset: 0,
            };
            let tracks = paging(&url, &Q::default(), pg, n, tracks);
            ("album", objects::album(st, i, tracks))
        }
    }
}

/// A saved page: `{added_at, <key>: object}` entries, newest first.
fn saved_page(sh: &Shared, headers: &HeaderMap, q: Q, kind: SavedKind) -> ApiResult {
    let st = sh.lock();
    authenticate(&st, headers)?.need(&["user-library-read"])?;
    let (shelf, path) = match kind {
        SavedKind::Tracks => (&st.saved.tracks, "/me/tracks"),
        SavedKind::Albums => (&st.saved.albums, "/me/albums"),
        SavedKind::Shows => (&st.saved.shows, "/me/shows"),
    };
    let pg = page(&q, 20, 50, 100_000)?;
    let items = shelf
        .items
        .iter()
        .skip(pg.offset)
        .take(pg.limit)
        .map(|&(i, at)| {
            let (key, v) = saved_object(&st, kind, i);
            json!({ "added_at": iso8601(at), key: v })
        })
        .collect();
    let url = format!("{}/v1{path}", st.base);
    Ok(axum::Json(paging(&url, &q, pg, shelf.len(), items)).into_response())
}

/// `GET /me/tracks`: Liked Songs, newest first.
pub async fn saved_tracks(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    saved_page(&sh, &headers, Q(q), SavedKind::Tracks)
}

/// `GET /me/albums`: saved albums (full album objects), newest first.
pub async fn saved_albums(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    saved_page(&sh, &headers, Q(q), SavedKind::Albums)
}

/// `GET /me/shows`: saved shows, newest first.
pub async fn saved_shows(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    saved_page(&sh, &headers, Q(q), SavedKind::Shows)
}

/// `GET /me/following?type=artist&after=ID&limit=N` (cursor paging).
pub async fn followed_artists(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let st = sh.lock();
    authenticate(&st, &headers)?.need(&["user-follow-read"])?;
    if q.get("type") != Some("artist") {
        return Err(ApiError::bad_request(
            "This request requires a type parameter: artist",
        ));
    }
    let pg = page(&q, 20, 50, 0)?;
    let order: Vec<usize> = st.saved.artists.items.iter().map(|(a, _)| *a).collect();
    let start = match q.get("after") {
        None => 0,
        Some(after) => {
            order
                .iter()
                .position(|&a| st.catalog.artists[a].id == after)
                .ok_or_else(|| ApiError::bad_request("Invalid cursor"))?
                + 1
        }
    };
    let chunk: Vec<usize> = order.iter().skip(start).take(pg.limit).copied().collect();
    let more = start + chunk.len() < order.len();
    let after = chunk
        .last()
        .filter(|_| more)
        .map(|&a| st.catalog.artists[a].id.clone());
    let url = format!("{}/v1/me/following", st.base);
    let link = |after: Option<&str>| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        ser.append_pair("type", "artist");
        if let Some(a) = after {
            ser.append_pair("after", a);
        }
        ser.append_pair("limit", &pg.limit.to_string());
        format!("{url}?{}", ser.finish())
    };
    let items: Vec<Value> = chunk.iter().map(|&a| objects::artist(&st, a)).collect();
    Ok(axum::Json(json!({
        "artists": {
            "href": link(q.get("after")),
            "items": items,
            "limit": pg.limit,
            "next": after.as_deref().map(|a| link(Some(a))),
            // Only `after`: the real service has no `before` here.
            "cursors": match &after {
                Some(a) => json!({ "after": a }),
                None => json!({}),
            },
            "total": order.len(),
        }
    }))
    .into_response())
}

/// One URI of a `/me/library` call, resolved against the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Saveable {
    Track(usize),
    Album(usize),
    Episode(usize),
    Show(usize),
    Artist(usize),
    User(String),
    Playlist(String),
    /// A well-formed URI of something the simulator does not have.
    Missing,
}

impl Saveable {
    /// The scope writing (or, with `read`, checking) this kind needs.
    fn scopes(&self, read: bool) -> &'static [&'static str] {
        match (self, read) {
            (Saveable::Artist(_) | Saveable::User(_), false) => &["user-follow-modify"],
            (Saveable::Artist(_) | Saveable::User(_), true) => &["user-follow-read"],
            (Saveable::Playlist(_), false) => &["playlist-modify-public"],
            (Saveable::Playlist(_), true) => &["playlist-read-private"],
            (_, false) => &["user-library-modify"],
            (_, true) => &["user-library-read"],
        }
    }
}

fn parse_uris(st: &SimState, q: &Q) -> ApiResult<Vec<Saveable>> {
    let raw = q.get("uris").unwrap_or("").trim();
    if raw.is_empty() {
        return Err(ApiError::bad_request("Missing required parameter: uris"));
    }
    let uris: Vec<&str> = raw.split(',').map(str::trim).collect();
    if uris.len() > MAX_LIBRARY_URIS {
        return Err(ApiError::bad_request(format!(
            "Too many URIs: at most {MAX_LIBRARY_URIS} per request"
        )));
    }
    let c = &st.catalog;
    uris.into_iter()
        .map(|u| {
            let parts: Vec<&str> = u.split(':').collect();
            let [spotify, kind, id] = parts.as_slice() else {
                return Err(ApiError::bad_request(format!("Invalid URI: {u}")));
            };
            let valid_id = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric());
            if *spotify != "spotify" || !valid_id && *kind != "user" {
                return Err(ApiError::bad_request(format!("Invalid URI: {u}")));
            }
            let found = match *kind {
                "track" => c.resolve(u).and_then(|r| match r {
                    super::super::catalog::ItemRef::Track(t) => Some(Saveable::Track(t)),
                    _ => None,
                }),
                "album" => c.album_index(id).map(Saveable::Album),
                "episode" => c.episode_index(id).map(Saveable::Episode),
                "show" => c.show_index(id).map(Saveable::Show),
                "artist" => c.artist_index(id).map(Saveable::Artist),
                "user" => Some(Saveable::User((*id).to_string())),
                "playlist" => st
                    .playlists
                    .contains_key(*id)
                    .then(|| Saveable::Playlist((*id).to_string())),
                "audiobook" => None,
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "Unsupported URI type: {kind}"
                    )));
                }
            };
            Ok(found.unwrap_or(Saveable::Missing))
        })
        .collect()
}

fn check_scopes(caller: &Caller, items: &[Saveable], read: bool) -> ApiResult<()> {
    caller.user()?;
    for it in items {
        let ok = match it {
            // Either playlist-modify scope may follow a playlist.
            Saveable::Playlist(_) if !read => {
                caller.has("playlist-modify-public") || caller.has("playlist-modify-private")
            }
            _ => it.scopes(read).iter().all(|s| caller.has(s)),
        };
        if !ok {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "Insufficient client scope",
            ));
        }
    }
    Ok(())
}

/// Adds or removes one item (playlists follow the user's playlist list).
fn apply(st: &mut SimState, it: &Saveable, save: bool, now_s: i64) {
    let s = &mut st.saved;
    let shelf = |sh: &mut Shelf, i: usize| {
        if save { sh.add(i, now_s) } else { sh.remove(i) }
    };
    match it {
        Saveable::Track(i) => shelf(&mut s.tracks, *i),
        Saveable::Album(i) => shelf(&mut s.albums, *i),
        Saveable::Episode(i) => shelf(&mut s.episodes, *i),
        Saveable::Show(i) => shelf(&mut s.shows, *i),
        Saveable::Artist(i) => shelf(&mut s.artists, *i),
        Saveable::User(u) => {
            s.users.retain(|x| x != u);
            if save {
                s.users.insert(0, u.clone());
            }
        }
        Saveable::Playlist(id) => follow_playlist(st, id, save),
        Saveable::Missing => {}
    }
}

/// Follows (adds to the user's playlists) or unfollows a playlist; the
/// follower count changes only when the state does.
pub(super) fn follow_playlist(st: &mut SimState, id: &str, follow: bool) {
    let had = st.library.iter().any(|p| p == id);
    if follow && !had {
        st.library.insert(0, id.to_string());
    } else if !follow && had {
        st.library.retain(|p| p != id);
    } else {
        return;
    }
    if let Some(p) = st.playlists.get_mut(id) {
        p.followers = if follow {
            p.followers + 1
        } else {
            p.followers.saturating_sub(1)
        };
    }
}

async fn change_library(sh: Arc<Shared>, headers: HeaderMap, q: Q, save: bool) -> ApiResult {
    let mut st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    let items = parse_uris(&st, &q)?;
    check_scopes(&caller, &items, false)?;
    if items.contains(&Saveable::Missing) {
        return Err(ApiError::not_found());
    }
    let now_s = st.wall_ms() / 1000;
    for it in &items {
        apply(&mut st, it, save, now_s);
    }
    Ok(StatusCode::OK.into_response())
}

/// `PUT /me/library?uris=…` (at most 40): save tracks, albums, episodes,
/// shows; follow artists, users and playlists. Nothing changes on an error.
pub async fn save(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    change_library(sh, headers, Q(q), true).await
}

/// `DELETE /me/library?uris=…` (at most 40): the reverse of [`save`].
pub async fn remove(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    change_library(sh, headers, Q(q), false).await
}

/// `GET /me/library/contains?uris=…`: one boolean per URI, in order.
pub async fn contains(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    let items = parse_uris(&st, &q)?;
    check_scopes(&caller, &items, true)?;
    let s = &st.saved;
    let answers: Vec<bool> = items
        .iter()
        .map(|it| match it {
            Saveable::Track(i) => s.tracks.contains(*i),
            Saveable::Album(i) => s.albums.contains(*i),
            Saveable::Episode(i) => s.episodes.contains(*i),
            Saveable::Show(i) => s.shows.contains(*i),
            Saveable::Artist(i) => s.artists.contains(*i),
            Saveable::User(u) => s.users.contains(u),
            Saveable::Playlist(id) => st.library.contains(id),
            Saveable::Missing => false,
        })
        .collect();
    Ok(axum::Json(answers).into_response())
}

/// `PUT /playlists/{id}/followers` (Follow Playlist, deprecated but served).
pub async fn follow(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let mut st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    check_scopes(&caller, &[Saveable::Playlist(id.clone())], false)?;
    let body = json_body(&body)?;
    if !body.is_null() && !body.is_object() || body.get("public").is_some_and(|p| !p.is_boolean()) {
        return Err(ApiError::bad_request("Invalid request body"));
    }
    if !st.playlists.contains_key(&id) {
        return Err(ApiError::not_found());
    }
    follow_playlist(&mut st, &id, true);
    Ok(StatusCode::OK.into_response())
}
