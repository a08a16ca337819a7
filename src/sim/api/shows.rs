//! Shows: `GET /shows/{id}` and `GET /shows/{id}/episodes`, episodes with
//! resume points when the token has `user-read-playback-position`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde_json::Value;

use super::super::Shared;
use super::super::errors::{ApiError, ApiResult};
use super::super::state::SimState;
use super::albums::base62;
use super::{Caller, Q, authenticate, objects, page, paging};

type Params = Query<Vec<(String, String)>>;

fn find(st: &SimState, id: &str) -> ApiResult<usize> {
    base62(id)?;
    st.catalog.show_index(id).ok_or_else(ApiError::not_found)
}

fn episodes_page(st: &SimState, s: usize, q: &Q, caller: &Caller) -> ApiResult<Value> {
    let pg = page(q, 20, 50, 100_000)?;
    let ids = st.catalog.episodes_of(s);
    let items = ids
        .iter()
        .skip(pg.offset)
        .take(pg.limit)
        .map(|&e| objects::simplified_episode(st, e, caller))
        .collect();
    let url = format!("{}/v1/shows/{}/episodes", st.base, st.catalog.shows[s].id);
    Ok(paging(&url, q, pg, ids.len(), items))
}

/// `GET /shows/{id}`: the show with its newest 50 episodes.
pub async fn get_show(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let mut st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    let s = find(&st, &id)?;
    st.sync();
    let first = Q(vec![("limit".into(), "50".into())]);
    let episodes = episodes_page(&st, s, &first, &caller)?;
    Ok(axum::Json(objects::show(&st, s, episodes)).into_response())
}

/// `GET /shows/{id}/episodes` (limit 1–50, default 20), newest first.
pub async fn get_show_episodes(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    let caller = authenticate(&st, &headers)?;
    let s = find(&st, &id)?;
    st.sync();
    Ok(axum::Json(episodes_page(&st, s, &q, &caller)?).into_response())
}
