//! Playlists: read, page, edit (add, reorder, replace, remove), create,
//! change details, cover images; both the new `/items` and the deprecated
//! `/tracks` paths, with the February-2026 development-mode rules.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};

use super::super::Shared;
use super::super::catalog::ItemRef;
use super::super::errors::{ApiError, ApiResult};
use super::super::fields::Selection;
use super::super::ids::iso8601;
use super::super::state::{CURATOR_USER_ID, DEMO_USER_ID, Entry, Playlist, SimState};
use super::super::wire::{EntryOut, PageOut, UserOut, to_value};
use super::{
    Body, Caller, Page, Q, authenticate, json_body, page, page_url, paging, paging_of, strings_of,
    user_ref,
};

type Params = Query<Vec<(String, String)>>;

/// Largest accepted cover upload (the Base64 text), bytes.
pub const MAX_COVER_BYTES: usize = 256 * 1024;
/// Largest number of URIs in one add/replace/remove request.
const MAX_URIS: usize = 100;

/// Which of the two item paths a request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path2 {
    /// Deprecated `/tracks`.
    Tracks,
    /// New `/items`.
    Items,
}

impl Path2 {
    fn name(self) -> &'static str {
        match self {
            Path2::Tracks => "tracks",
            Path2::Items => "items",
        }
    }
    /// Spec limit maximum: `/tracks` 100 (sonallux patch), `/items` 50.
    fn max_limit(self) -> usize {
        match self {
            Path2::Tracks => 100,
            Path2::Items => 50,
        }
    }
}

fn images_json(st: &SimState, p: &Playlist) -> Value {
    if p.cover.is_some() {
        json!([{"height": null, "url": format!("{}/images/upload-{}~{}.jpg", st.base, p.id, p.version), "width": null}])
    } else if p.entries.is_empty() {
        json!([])
    } else {
        json!([{"height": 640, "url": format!("{}/images/pl{}-640.jpg", st.base, p.id), "width": 640}])
    }
}

pub(super) fn simplified_json(st: &SimState, p: &Playlist) -> Value {
    let base = &st.base;
    let total = p.entries.len();
    json!({
        "collaborative": p.collaborative,
        "description": p.description,
        "external_urls": {"spotify": format!("https://open.spotify.com/playlist/{}", p.id)},
        "href": format!("{base}/v1/playlists/{}", p.id),
        "id": p.id,
        "images": images_json(st, p),
        "name": p.name,
        "owner": user_ref(base, &p.owner_id, Some(&p.owner_name)),
        "primary_color": null,
        "public": p.public,
        "snapshot_id": p.snapshot_id(),
        "tracks": {"href": format!("{base}/v1/playlists/{}/tracks", p.id), "total": total},
        "items": {"href": format!("{base}/v1/playlists/{}/items", p.id), "total": total},
        "type": "playlist",
        "uri": format!("spotify:playlist:{}", p.id),
    })
}

fn entry_out<'a>(st: &'a SimState, p: &'a Playlist, e: &Entry) -> EntryOut<'a> {
    let by = if e.by_curator && p.owner_id != CURATOR_USER_ID && p.owner_id == DEMO_USER_ID {
        CURATOR_USER_ID
    } else if e.by_curator {
        p.owner_id.as_str()
    } else {
        DEMO_USER_ID
    };
    let by = if p.spotify_owned() { "spotify" } else { by };
    EntryOut {
        added_at: iso8601(e.added_at),
        added_by: UserOut::new(&st.base, by, None),
        is_local: matches!(e.item, ItemRef::Local(_)),
        item: st.catalog.item_out(e.item, st.render()),
    }
}

/// One page of a playlist's entries, typed: serialised straight to bytes.
fn items_page<'a>(
    st: &'a SimState,
    p: &'a Playlist,
    which: Path2,
    q: &Q,
    pg: Page,
) -> PageOut<EntryOut<'a>> {
    // Under the 2026 rules `/tracks` is refused, so its links lead to `/items`.
    let linked = if st.dev_mode_2026 {
        Path2::Items
    } else {
        which
    };
    let url = format!("{}/v1/playlists/{}/{}", st.base, p.id, linked.name());
    let items = p
        .entries
        .iter()
        .skip(pg.offset)
        .take(pg.limit)
        .map(|e| entry_out(st, p, e))
        .collect();
    let mut page = paging_of(&url, q, pg, p.entries.len(), items);
    // The page nested in a playlist holds 100 entries; its `next` must still
    // ask for no more than the linked path serves (50 on `/items`).
    let max = linked.max_limit();
    if pg.limit > max {
        let end = pg.offset + pg.limit;
        page.next = (end < p.entries.len()).then(|| page_url(&url, end, max, &q.extra()));
    }
    page
}

/// Finds a playlist visible to the caller (404 otherwise, also for
/// Spotify-owned editorial lists under the 2026 rules).
fn find<'a>(st: &'a SimState, id: &str) -> ApiResult<&'a Playlist> {
    let p = st.playlists.get(id).ok_or_else(ApiError::not_found)?;
    if st.dev_mode_2026 && p.spotify_owned() {
        return Err(ApiError::not_found());
    }
    if !p.public && p.owner_id != DEMO_USER_ID && !st.library.contains(&p.id) {
        return Err(ApiError::not_found());
    }
    Ok(p)
}

/// Answers `v`, filtered by the `fields` query parameter when there is one
/// (while serialising: no `Value` tree is built).
fn filtered<T: serde::Serialize>(q: &Q, v: T) -> ApiResult {
    match q.get("fields") {
        Some(expr) => {
            let sel = Selection::parse(expr)
                .map_err(|e| ApiError::bad_request(format!("Invalid fields: {}", e.0)))?;
            Ok(axum::Json(sel.wrap(&v)).into_response())
        }
        None => Ok(axum::Json(v).into_response()),
    }
}

/// Scope needed to read a non-public playlist.
fn check_read(caller: &Caller, p: &Playlist) -> ApiResult<()> {
    if p.public {
        return Ok(());
    }
    caller.user()?;
    if caller.has("playlist-read-private")
        || p.collaborative && caller.has("playlist-read-collaborative")
    {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Insufficient client scope",
        ))
    }
}

/// Ownership and scope needed to change a playlist.
fn check_modify(st: &SimState, caller: &Caller, p: &Playlist) -> ApiResult<()> {
    caller.user()?;
    let scope = if p.public {
        "playlist-modify-public"
    } else {
        "playlist-modify-private"
    };
    caller.need(&[scope])?;
    if !(p.owner_id == DEMO_USER_ID || p.collaborative && st.library.contains(&p.id)) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "You cannot add tracks to a playlist you don't own.",
        ));
    }
    Ok(())
}

/// `GET /playlists/{id}`.
pub async fn get_playlist(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    let p = find(&st, &id)?;
    check_read(&caller, p)?;
    let mut v = simplified_json(&st, p);
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "followers".into(),
            json!({"href": null, "total": p.followers}),
        );
        o.insert(
            "href".into(),
            json!(format!("{}/v1/playlists/{}", st.base, p.id)),
        );
        let hide_items = st.dev_mode_2026 && !st.user_owns_or_collaborates(p);
        if hide_items {
            o.remove("items");
            o.remove("tracks");
        } else {
            let pg = Page {
                limit: 100,
                offset: 0,
            };
            let nested = Q(q.extra());
            o.insert(
                "tracks".into(),
                to_value(&items_page(&st, p, Path2::Tracks, &nested, pg)),
            );
            o.insert(
                "items".into(),
                to_value(&items_page(&st, p, Path2::Items, &nested, pg)),
            );
        }
    }
    filtered(&q, v)
}

fn get_entries(sh: &Shared, headers: &HeaderMap, id: &str, q: &Q, which: Path2) -> ApiResult {
    let st = sh.lock();
    let caller = authenticate(&st, headers)?;
    if st.dev_mode_2026 && which == Path2::Tracks {
        return Err(ApiError::forbidden());
    }
    let p = find(&st, id)?;
    check_read(&caller, p)?;
    if st.dev_mode_2026 && !st.user_owns_or_collaborates(p) {
        return Err(ApiError::forbidden());
    }
    let pg = page(q, 20, which.max_limit(), usize::MAX)?;
    filtered(q, items_page(&st, p, which, q, pg))
}

/// `GET /playlists/{id}/tracks` (deprecated; 403 in 2026 development mode).
pub async fn get_tracks(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> ApiResult {
    get_entries(&sh, &headers, &id, &Q(q), Path2::Tracks)
}

/// `GET /playlists/{id}/items`.
pub async fn get_items(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> ApiResult {
    get_entries(&sh, &headers, &id, &Q(q), Path2::Items)
}

/// Runs an edit on a playlist after the common checks; bumps the snapshot.
fn edit(
    sh: &Shared,
    headers: &HeaderMap,
    id: &str,
    which: Path2,
    f: impl FnOnce(&SimState, &Playlist) -> ApiResult<Vec<Entry>>,
) -> ApiResult<String> {
    let mut st = sh.lock();
    let caller = authenticate(&st, headers)?;
    if st.dev_mode_2026 && which == Path2::Tracks {
        return Err(ApiError::forbidden());
    }
    let p = find(&st, id)?;
    check_modify(&st, &caller, p)?;
    let entries = f(&st, p)?;
    let pl = st.playlists.get_mut(id).ok_or_else(ApiError::not_found)?;
    pl.entries = entries;
    pl.version += 1;
    Ok(pl.snapshot_id())
}

fn check_snapshot(p: &Playlist, body: &Body) -> ApiResult<()> {
    match body.str("snapshot_id")? {
        Some(s) if !p.knows_snapshot(s) => Err(ApiError::bad_request("Invalid snapshot id")),
        _ => Ok(()),
    }
}

/// URIs from the `uris` query parameter (comma-separated) or the body's `uris`.
fn uris_from(q: &Q, body: &Body) -> ApiResult<Option<Vec<String>>> {
    if let Some(u) = q.get("uris") {
        return Ok(Some(
            u.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        ));
    }
    body.strings("uris")
}

/// Reads an add body: `{uris, position}`, or a bare array of URIs (as
/// spotipy sends, with `position` in the query).
fn add_body(raw: &[u8]) -> ApiResult<(Body, Option<Vec<String>>)> {
    match json_body(raw)? {
        v @ Value::Array(_) => Ok((
            Body::from_value(Value::Null)?,
            Some(strings_of(&v, "uris")?),
        )),
        v => Ok((Body::from_value(v)?, None)),
    }
}

fn resolve_addable(st: &SimState, uris: &[String]) -> ApiResult<Vec<ItemRef>> {
    if uris.len() > MAX_URIS {
        return Err(ApiError::bad_request(
            "You can add a maximum of 100 tracks per request.",
        ));
    }
    uris.iter()
        .map(|u| match st.catalog.resolve(u) {
            Some(r @ (ItemRef::Track(_) | ItemRef::Episode(_))) => Ok(r),
            _ => Err(ApiError::bad_request(format!("Invalid track uri: {u}"))),
        })
        .collect()
}

fn snapshot_response(status: StatusCode, snap: String) -> Response {
    (status, axum::Json(json!({ "snapshot_id": snap }))).into_response()
}

fn add(sh: &Shared, headers: &HeaderMap, id: &str, q: &Q, body: &[u8], which: Path2) -> ApiResult {
    let (body, bare) = add_body(body)?;
    let uris = match bare {
        Some(u) if q.get("uris").is_none() => Some(u),
        _ => uris_from(q, &body)?,
    };
    let position = match q.get("position") {
        Some(s) => Some(
            s.parse::<usize>()
                .map_err(|_| ApiError::bad_request("Invalid position"))?,
        ),
        None => body.uint("position")?.map(|v| v as usize),
    };
    let snap = edit(sh, headers, id, which, |st, p| {
        let uris = uris.ok_or_else(|| ApiError::bad_request("No uris provided"))?;
        let items = resolve_addable(st, &uris)?;
        let at = position.unwrap_or(p.entries.len());
        if at > p.entries.len() {
            return Err(ApiError::bad_request("Index out of bounds"));
        }
        let now = st.wall_ms() / 1000;
        let mut entries = p.entries.clone();
        entries.splice(
            at..at,
            items.into_iter().map(|item| Entry {
                item,
                added_at: now,
                by_curator: false,
            }),
        );
        Ok(entries)
    })?;
    Ok(snapshot_response(StatusCode::CREATED, snap))
}

fn update(
    sh: &Shared,
    headers: &HeaderMap,
    id: &str,
    q: &Q,
    body: &[u8],
    which: Path2,
) -> ApiResult {
    let body = Body::object(body)?;
    let range = match body.uint("range_start")? {
        Some(start) => Some((
            start as usize,
            body.uint("insert_before")?,
            body.uint("range_length")?.unwrap_or(1) as usize,
        )),
        None => None,
    };
    let uris = uris_from(q, &body)?;
    body.str("snapshot_id")?;
    let snap = edit(sh, headers, id, which, |st, p| {
        if let Some((start, before, len)) = range {
            check_snapshot(p, &body)?;
            let n = p.entries.len();
            let Some(before) = before.map(|v| v as usize) else {
                return Err(ApiError::bad_request("Invalid range"));
            };
            if len == 0 || start + len > n || before > n {
                return Err(ApiError::bad_request("Index out of bounds"));
            }
            let mut entries = p.entries.clone();
            let moved: Vec<Entry> = entries.drain(start..start + len).collect();
            let dest = if before <= start {
                before
            } else if before <= start + len {
                start
            } else {
                before - len
            };
            entries.splice(dest..dest, moved);
            Ok(entries)
        } else {
            let uris = uris
                .clone()
                .ok_or_else(|| ApiError::bad_request("No uris provided"))?;
            let items = resolve_addable(st, &uris)?;
            let now = st.wall_ms() / 1000;
            Ok(items
                .into_iter()
                .map(|item| Entry {
                    item,
                    added_at: now,
                    by_curator: false,
                })
                .collect())
        }
    })?;
    Ok(snapshot_response(StatusCode::OK, snap))
}

fn remove(sh: &Shared, headers: &HeaderMap, id: &str, body: &[u8], which: Path2) -> ApiResult {
    let body = Body::object(body)?;
    let key = which.name();
    let list = body
        .get(key)
        .ok_or_else(|| ApiError::bad_request(format!("Missing required JSON property: {key}")))?
        .as_array()
        .ok_or_else(|| {
            ApiError::bad_request(format!("Invalid value for '{key}': expected an array"))
        })?;
    let uris = list
        .iter()
        .map(|o| {
            Body::from_value(o.clone())?
                .str("uri")?
                .map(str::to_string)
                .ok_or_else(|| ApiError::bad_request(format!("Missing uri in '{key}'")))
        })
        .collect::<ApiResult<Vec<String>>>()?;
    body.str("snapshot_id")?;
    let snap = edit(sh, headers, id, which, |st, p| {
        if uris.len() > MAX_URIS {
            return Err(ApiError::bad_request(
                "Too many tracks requested. Maximum allowed is 100.",
            ));
        }
        check_snapshot(p, &body)?;
        let mut gone = Vec::new();
        for u in &uris {
            match st.catalog.resolve(u) {
                Some(r) => gone.push(r),
                None => return Err(ApiError::bad_request(format!("Invalid track uri: {u}"))),
            }
        }
        Ok(p.entries
            .iter()
            .filter(|e| !gone.contains(&e.item))
            .copied()
            .collect())
    })?;
    Ok(snapshot_response(StatusCode::OK, snap))
}

/// `POST /playlists/{id}/tracks` (deprecated).
pub async fn post_tracks(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
    body: Bytes,
) -> ApiResult {
    add(&sh, &headers, &id, &Q(q), &body, Path2::Tracks)
}

/// `POST /playlists/{id}/items`: 201 `{snapshot_id}`.
pub async fn post_items(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
    body: Bytes,
) -> ApiResult {
    add(&sh, &headers, &id, &Q(q), &body, Path2::Items)
}

/// `PUT /playlists/{id}/tracks` (deprecated).
pub async fn put_tracks(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
    body: Bytes,
) -> ApiResult {
    update(&sh, &headers, &id, &Q(q), &body, Path2::Tracks)
}

/// `PUT /playlists/{id}/items`: reorder (`range_start`…) or replace (`uris`).
pub async fn put_items(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
    body: Bytes,
) -> ApiResult {
    update(&sh, &headers, &id, &Q(q), &body, Path2::Items)
}

/// `DELETE /playlists/{id}/tracks` (deprecated; body key `tracks`).
pub async fn delete_tracks(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    remove(&sh, &headers, &id, &body, Path2::Tracks)
}

/// `DELETE /playlists/{id}/items` (body key `items`: `[{uri}]`; removes every occurrence).
pub async fn delete_items(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    remove(&sh, &headers, &id, &body, Path2::Items)
}

/// `PUT /playlists/{id}`: name, public, collaborative, description; 200 without body.
pub async fn change_details(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = Body::object(&body)?;
    let (name, desc) = (body.str("name")?, body.str("description")?);
    let (public, collab) = (body.bool("public")?, body.bool("collaborative")?);
    let mut st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    let p = find(&st, &id)?;
    check_modify(&st, &caller, p)?;
    if p.owner_id != DEMO_USER_ID {
        return Err(ApiError::forbidden());
    }
    let public = public.unwrap_or(p.public);
    let collab = collab.unwrap_or(p.collaborative);
    if public && collab {
        return Err(ApiError::bad_request(
            "Collaborative playlists can only be private.",
        ));
    }
    let pl = st.playlists.get_mut(&id).ok_or_else(ApiError::not_found)?;
    if let Some(n) = name {
        pl.name = n.to_string();
    }
    if let Some(d) = desc {
        pl.description = d.to_string();
    }
    pl.public = public;
    pl.collaborative = collab;
    pl.version += 1;
    Ok(StatusCode::OK.into_response())
}

fn list_page(st: &SimState, ids: &[String], url: &str, q: &Q) -> ApiResult<Value> {
    let pg = page(q, 20, 50, 100_000)?;
    let items: Vec<Value> = ids
        .iter()
        .skip(pg.offset)
        .take(pg.limit)
        .filter_map(|id| st.playlists.get(id))
        .map(|p| simplified_json(st, p))
        .collect();
    Ok(paging(url, q, pg, ids.len(), items))
}

/// `GET /me/playlists`.
pub async fn my_playlists(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let st = sh.lock();
    authenticate(&st, &headers)?.need(&["playlist-read-private"])?;
    // Paging links point back here: under the 2026 rules `/users/{id}/playlists` is refused.
    let url = format!("{}/v1/me/playlists", st.base);
    Ok(axum::Json(list_page(&st, &st.library, &url, &q)?).into_response())
}

/// `GET /users/{user_id}/playlists` (deprecated; 403 in 2026 development mode).
pub async fn user_playlists(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(user): Path<String>,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    if st.dev_mode_2026 {
        return Err(ApiError::forbidden());
    }
    let ids: Vec<String> =
        if user == DEMO_USER_ID && caller.grant == super::super::accounts::Grant::User {
            st.library.clone()
        } else {
            let mut v: Vec<String> = st
                .playlists
                .values()
                .filter(|p| p.owner_id == user && p.public)
                .map(|p| p.id.clone())
                .collect();
            v.sort();
            v
        };
    let url = format!("{}/v1/users/{user}/playlists", st.base);
    Ok(axum::Json(list_page(&st, &ids, &url, &q)?).into_response())
}

fn create(sh: &Shared, headers: &HeaderMap, body: &[u8]) -> ApiResult {
    let body = Body::object(body)?;
    let mut st = sh.lock();
    let caller = authenticate(&st, headers)?;
    let name = body
        .str("name")?
        .ok_or_else(|| ApiError::bad_request("Missing required field: name"))?;
    let public = body.bool("public")?.unwrap_or(true);
    let collab = body.bool("collaborative")?.unwrap_or(false);
    if public && collab {
        return Err(ApiError::bad_request(
            "Collaborative playlists can only be private.",
        ));
    }
    caller.need(&[if public {
        "playlist-modify-public"
    } else {
        "playlist-modify-private"
    }])?;
    let desc = body.str("description")?.unwrap_or("");
    let id = st.create_playlist(name, desc, public, collab);
    let p = st.playlists.get(&id).ok_or_else(ApiError::not_found)?;
    let mut v = simplified_json(&st, p);
    if let Some(o) = v.as_object_mut() {
        let pg = Page {
            limit: 100,
            offset: 0,
        };
        o.insert("followers".into(), json!({"href": null, "total": 0}));
        o.insert(
            "tracks".into(),
            to_value(&items_page(&st, p, Path2::Tracks, &Q::default(), pg)),
        );
        o.insert(
            "items".into(),
            to_value(&items_page(&st, p, Path2::Items, &Q::default(), pg)),
        );
    }
    Ok((StatusCode::CREATED, axum::Json(v)).into_response())
}

/// `POST /me/playlists`: 201 with the new playlist.
pub async fn create_mine(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    create(&sh, &headers, &body)
}

/// `POST /users/{user_id}/playlists` (deprecated; only for yourself; 403 in 2026 development mode).
pub async fn create_for_user(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(user): Path<String>,
    body: Bytes,
) -> ApiResult {
    {
        let st = sh.lock();
        authenticate(&st, &headers)?.user()?;
        if st.dev_mode_2026 {
            return Err(ApiError::forbidden());
        }
        if user != DEMO_USER_ID {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "You cannot create a playlist for another user",
            ));
        }
    }
    create(&sh, &headers, &body)
}

/// `GET /playlists/{id}/images`: a bare array of images.
pub async fn get_cover(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let st = sh.lock();
    authenticate(&st, &headers)?;
    let p = find(&st, &id)?;
    Ok(axum::Json(images_json(&st, p)).into_response())
}

/// `PUT /playlists/{id}/images`: Base64 JPEG ≤ 256 KB; 202 on success.
pub async fn put_cover(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let mut st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    let p = find(&st, &id)?;
    caller.need(&["ugc-image-upload"])?;
    check_modify(&st, &caller, p)?;
    if body.len() > MAX_COVER_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Image payload too large. Max size is 256 KB.",
        ));
    }
    let text: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&text)
        .map_err(|_| ApiError::bad_request("Image is not valid Base64"))?;
    if !raw.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(ApiError::bad_request("Image must be a JPEG"));
    }
    let pl = st.playlists.get_mut(&id).ok_or_else(ApiError::not_found)?;
    pl.cover = Some(raw);
    pl.version += 1;
    Ok(StatusCode::ACCEPTED.into_response())
}

/// `DELETE /playlists/{id}/followers` (Unfollow Playlist, deprecated but
/// served): the playlist leaves the user's library; it still exists for its
/// owner and other followers.
pub async fn unfollow(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let mut st = sh.lock();
    authenticate(&st, &headers)?.need(&["playlist-modify-private"])?;
    find(&st, &id)?;
    super::library::follow_playlist(&mut st, &id, false);
    Ok(StatusCode::OK.into_response())
}
