//! Featured and category playlists (deprecated; 404 in 2026 development mode).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::super::Shared;
use super::super::errors::{ApiError, ApiResult};
use super::super::state::{
    PLAYLIST_EDITORIAL_CHILL, PLAYLIST_EDITORIAL_FRESH, PLAYLIST_EDITORIAL_PARTY, SimState,
};
use super::{Q, authenticate, page, paging};

type Params = Query<Vec<(String, String)>>;

fn playlists_page(st: &SimState, ids: &[String], url: &str, q: &Q) -> ApiResult<Value> {
    let pg = page(q, 20, 50, 100_000)?;
    let items: Vec<Value> = ids
        .iter()
        .skip(pg.offset)
        .take(pg.limit)
        .filter_map(|id| st.playlists.get(id))
        .map(|p| {
            json!({
                "collaborative": p.collaborative,
                "description": p.description,
                "external_urls": {"spotify": format!("https://open.spotify.com/playlist/{}", p.id)},
                "href": format!("{}/v1/playlists/{}", st.base, p.id),
                "id": p.id,
                "images": [{"height": null, "url": format!("{}/images/pl{}-640.jpg", st.base, p.id), "width": null}],
                "name": p.name,
                "owner": super::user_ref(&st.base, &p.owner_id, Some(&p.owner_name)),
                "primary_color": null,
                "public": p.public,
                "snapshot_id": p.snapshot_id(),
                "tracks": {"href": format!("{}/v1/playlists/{}/tracks", st.base, p.id), "total": p.entries.len()},
                "items": {"href": format!("{}/v1/playlists/{}/items", st.base, p.id), "total": p.entries.len()},
                "type": "playlist",
                "uri": format!("spotify:playlist:{}", p.id),
            })
        })
        .collect();
    Ok(paging(url, q, pg, ids.len(), items))
}

/// `GET /browse/featured-playlists`.
pub async fn featured(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult<Response> {
    let q = Q(q);
    let st = sh.lock();
    authenticate(&st, &headers)?;
    if st.dev_mode_2026 {
        return Err(ApiError::not_found());
    }
    let ids: Vec<String> = [
        PLAYLIST_EDITORIAL_FRESH,
        PLAYLIST_EDITORIAL_CHILL,
        PLAYLIST_EDITORIAL_PARTY,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let url = format!("{}/v1/browse/featured-playlists", st.base);
    let page = playlists_page(&st, &ids, &url, &q)?;
    Ok(axum::Json(json!({"message": "Popular Playlists", "playlists": page})).into_response())
}

/// `GET /browse/categories/{category_id}/playlists` (`chill`, `focus`, `party`).
pub async fn category_playlists(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(category): Path<String>,
    Query(q): Params,
) -> ApiResult<Response> {
    let q = Q(q);
    let st = sh.lock();
    authenticate(&st, &headers)?;
    if st.dev_mode_2026 {
        return Err(ApiError::not_found());
    }
    let Some((_, ids)) = st.categories.iter().find(|(c, _)| *c == category) else {
        return Err(ApiError::not_found());
    };
    let url = format!("{}/v1/browse/categories/{category}/playlists", st.base);
    let page = playlists_page(&st, ids, &url, &q)?;
    Ok(axum::Json(json!({"message": category, "playlists": page})).into_response())
}
