//! Artists: `GET /artists/{id}`, `/artists/{id}/albums`, and the two
//! endpoints 2026 development-mode apps lost (`top-tracks`,
//! `related-artists`), which answer 404 under those rules.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::super::Shared;
use super::super::errors::{ApiError, ApiResult};
use super::super::state::SimState;
use super::albums::base62;
use super::{Q, authenticate, objects, page, paging};

type Params = Query<Vec<(String, String)>>;

const GROUPS: [&str; 4] = ["album", "single", "appears_on", "compilation"];

fn find(st: &SimState, id: &str) -> ApiResult<usize> {
    base62(id)?;
    st.catalog.artist_index(id).ok_or_else(ApiError::not_found)
}

/// `GET /artists/{id}`.
pub async fn get_artist(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let st = sh.lock();
    authenticate(&st, &headers)?;
    let a = find(&st, &id)?;
    Ok(axum::Json(objects::artist(&st, a)).into_response())
}

/// `GET /artists/{id}/albums?include_groups=…` (limit 1–10, default 5), newest first.
pub async fn get_artist_albums(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let st = sh.lock();
    authenticate(&st, &headers)?;
    let a = find(&st, &id)?;
    let groups: Vec<&str> = match q.get("include_groups") {
        None | Some("") => GROUPS.to_vec(),
        Some(s) => s.split(',').map(str::trim).collect(),
    };
    if let Some(bad) = groups.iter().find(|g| !GROUPS.contains(g)) {
        return Err(ApiError::bad_request(format!(
            "Invalid include_groups value: {bad}"
        )));
    }
    let pg = page(&q, 5, 10, 100_000)?;
    let albums: Vec<Value> = st
        .catalog
        .albums_of(a)
        .into_iter()
        .map(|al| objects::discography_album(&st, al))
        .filter(|v| groups.iter().any(|g| v["album_group"] == *g))
        .collect();
    let total = albums.len();
    let items = albums.into_iter().skip(pg.offset).take(pg.limit).collect();
    let url = format!("{}/v1/artists/{id}/albums", st.base);
    Ok(axum::Json(paging(&url, &q, pg, total, items)).into_response())
}

/// `GET /artists/{id}/top-tracks` (deprecated; 404 in 2026 development mode).
pub async fn get_top_tracks(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let st = sh.lock();
    authenticate(&st, &headers)?;
    if st.dev_mode_2026 {
        return Err(ApiError::not_found());
    }
    let a = find(&st, &id)?;
    let mut tracks: Vec<usize> = st
        .catalog
        .albums_of(a)
        .into_iter()
        .flat_map(|al| st.catalog.albums[al].tracks.clone())
        .collect();
    tracks.sort_by_key(|&t| std::cmp::Reverse(st.catalog.tracks[t].popularity));
    let items: Vec<Value> = tracks
        .into_iter()
        .take(10)
        .map(|t| objects::track(&st, t))
        .collect();
    Ok(axum::Json(json!({ "tracks": items })).into_response())
}

/// `GET /artists/{id}/related-artists` (deprecated; 404 in 2026 development mode):
/// artists of the same genre.
pub async fn get_related_artists(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let st = sh.lock();
    authenticate(&st, &headers)?;
    if st.dev_mode_2026 {
        return Err(ApiError::not_found());
    }
    let a = find(&st, &id)?;
    let genre = super::super::music::genre(a);
    let items: Vec<Value> = (0..st.catalog.artists.len())
        .filter(|&o| o != a && super::super::music::genre(o) == genre)
        .take(20)
        .map(|o| objects::artist(&st, o))
        .collect();
    Ok(axum::Json(json!({ "artists": items })).into_response())
}
