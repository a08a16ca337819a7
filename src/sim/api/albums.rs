//! Albums and tracks: `GET /albums/{id}`, `GET /albums/{id}/tracks`, `GET /tracks/{id}`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde_json::Value;

use super::super::Shared;
use super::super::errors::{ApiError, ApiResult};
use super::super::state::SimState;
use super::{Q, authenticate, objects, page, paging};

type Params = Query<Vec<(String, String)>>;

/// Checks an id's shape: 400 "Invalid base62 id" like the real service.
pub(super) fn base62(id: &str) -> ApiResult<()> {
    if id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(ApiError::bad_request("Invalid base62 id"))
    }
}

fn find(st: &SimState, id: &str) -> ApiResult<usize> {
    base62(id)?;
    st.catalog.album_index(id).ok_or_else(ApiError::not_found)
}

/// A page of an album's simplified tracks.
fn tracks_page(st: &SimState, a: usize, q: &Q) -> ApiResult<Value> {
    let pg = page(q, 20, 50, 100_000)?;
    let ids = &st.catalog.albums[a].tracks;
    let items = ids
        .iter()
        .skip(pg.offset)
        .take(pg.limit)
        .map(|&t| objects::simplified_track(st, t))
        .collect();
    let url = format!("{}/v1/albums/{}/tracks", st.base, st.catalog.albums[a].id);
    Ok(paging(&url, q, pg, ids.len(), items))
}

/// `GET /albums/{id}`: the album with its first 50 tracks.
pub async fn get_album(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let st = sh.lock();
    authenticate(&st, &headers)?;
    let a = find(&st, &id)?;
    let first = Q(vec![("limit".into(), "50".into())]);
    let tracks = tracks_page(&st, a, &first)?;
    Ok(axum::Json(objects::album(&st, a, tracks)).into_response())
}

/// `GET /albums/{id}/tracks` (limit 1–50, default 20).
pub async fn get_album_tracks(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let st = sh.lock();
    authenticate(&st, &headers)?;
    let a = find(&st, &id)?;
    Ok(axum::Json(tracks_page(&st, a, &q)?).into_response())
}

/// `GET /tracks/{id}`: one full track.
pub async fn get_track(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let st = sh.lock();
    authenticate(&st, &headers)?;
    base62(&id)?;
    let uri = format!("spotify:track:{id}");
    match st.catalog.resolve(&uri) {
        Some(super::super::catalog::ItemRef::Track(t)) => {
            Ok(axum::Json(objects::track(&st, t)).into_response())
        }
        _ => Err(ApiError::not_found()),
    }
}
