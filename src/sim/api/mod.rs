//! Web API handlers (`/v1/...`) and what they share: token checks, query
//! parsing and paging objects.

pub mod albums;
pub mod artists;
pub mod browse;
pub mod library;
pub mod me;
pub mod objects;
pub mod player;
pub mod playlists;
pub mod search;
pub mod shows;

use std::collections::HashSet;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, put};
use serde_json::{Value, json};

use super::accounts::Grant;
use super::errors::{ApiError, ApiResult};
use super::state::SimState;

/// Routes of search, the saved library and the album, artist and show pages
/// (merged into `/v1` by the server).
pub(crate) fn library_routes() -> Router<Arc<super::Shared>> {
    Router::new()
        .route("/search", get(search::search))
        .route("/me/tracks", get(library::saved_tracks))
        .route("/me/albums", get(library::saved_albums))
        .route("/me/shows", get(library::saved_shows))
        .route("/me/following", get(library::followed_artists))
        .route("/me/library", put(library::save).delete(library::remove))
        .route("/me/library/contains", get(library::contains))
        .route("/playlists/{id}/followers", put(library::follow))
        .route("/albums/{id}", get(albums::get_album))
        .route("/albums/{id}/tracks", get(albums::get_album_tracks))
        .route("/artists/{id}", get(artists::get_artist))
        .route("/artists/{id}/albums", get(artists::get_artist_albums))
        .route("/artists/{id}/top-tracks", get(artists::get_top_tracks))
        .route(
            "/artists/{id}/related-artists",
            get(artists::get_related_artists),
        )
        .route("/shows/{id}", get(shows::get_show))
        .route("/shows/{id}/episodes", get(shows::get_show_episodes))
}

/// Who is calling, from the bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// User or app token.
    pub grant: Grant,
    /// Granted scopes.
    pub scopes: HashSet<String>,
}

impl Caller {
    /// Fails with 401 for app-only (client-credentials) tokens.
    pub fn user(&self) -> ApiResult<()> {
        match self.grant {
            Grant::User => Ok(()),
            Grant::App => Err(ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized.")),
        }
    }

    /// True when the token carries `scope`.
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    /// Requires a user token with every scope in `scopes` (403 otherwise).
    pub fn need(&self, scopes: &[&str]) -> ApiResult<()> {
        self.user()?;
        if scopes.iter().all(|s| self.has(s)) {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "Insufficient client scope",
            ))
        }
    }
}

/// Checks the `Authorization: Bearer` header against issued tokens.
pub fn authenticate(st: &SimState, headers: &HeaderMap) -> ApiResult<Caller> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "No token provided"));
    };
    let Some(token) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) else {
        return Err(ApiError::bad_request(
            "Only valid bearer authentication supported",
        ));
    };
    let Some(info) = st.auth.tokens.get(token.trim()) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Invalid access token",
        ));
    };
    if info.expires_at <= st.now() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "The access token expired",
        ));
    }
    Ok(Caller {
        grant: info.grant,
        scopes: info.scopes.clone(),
    })
}

/// Query parameters in request order.
#[derive(Debug, Clone, Default)]
pub struct Q(pub Vec<(String, String)>);

impl Q {
    /// First value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Pairs other than `offset`/`limit`, re-encoded for paging links.
    pub fn extra(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k != "offset" && k != "limit")
            .cloned()
            .collect()
    }
}

/// A validated `limit`/`offset` pair.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Items per page.
    pub limit: usize,
    /// First index.
    pub offset: usize,
}

/// Parses `limit` (1..=max, default `default`) and `offset` (0..=max_offset).
pub fn page(q: &Q, default: usize, max: usize, max_offset: usize) -> ApiResult<Page> {
    let limit = match q.get("limit") {
        None => default,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 1 && n as usize <= max => n as usize,
            _ => return Err(ApiError::bad_request("Invalid limit")),
        },
    };
    let offset = match q.get("offset") {
        None => 0,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 0 && n as usize <= max_offset => n as usize,
            _ => return Err(ApiError::bad_request("Invalid offset")),
        },
    };
    Ok(Page { limit, offset })
}

fn page_url(url: &str, offset: usize, limit: usize, extra: &[(String, String)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    ser.append_pair("offset", &offset.to_string())
        .append_pair("limit", &limit.to_string());
    for (k, v) in extra {
        ser.append_pair(k, v);
    }
    format!("{url}?{}", ser.finish())
}

/// A paging object over `total` items starting at `p.offset`.
pub fn paging(url: &str, q: &Q, p: Page, total: usize, items: Vec<Value>) -> Value {
    let extra = q.extra();
    let next =
        (p.offset + p.limit < total).then(|| page_url(url, p.offset + p.limit, p.limit, &extra));
    let previous =
        (p.offset > 0).then(|| page_url(url, p.offset.saturating_sub(p.limit), p.limit, &extra));
    json!({
        "href": page_url(url, p.offset, p.limit, &extra),
        "items": items,
        "limit": p.limit,
        "next": next,
        "offset": p.offset,
        "previous": previous,
        "total": total,
    })
}

/// A public user object (owner / added_by).
pub fn user_ref(base: &str, id: &str, display_name: Option<&str>) -> Value {
    let mut v = json!({
        "external_urls": {"spotify": format!("https://open.spotify.com/user/{id}")},
        "href": format!("{base}/v1/users/{id}"),
        "id": id,
        "type": "user",
        "uri": format!("spotify:user:{id}"),
    });
    if let (Some(n), Some(o)) = (display_name, v.as_object_mut()) {
        o.insert("display_name".into(), json!(n));
    }
    v
}

/// Parses a JSON request body; an empty body is `Value::Null`.
pub fn json_body(body: &[u8]) -> ApiResult<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|_| ApiError::bad_request("Error parsing JSON."))
}
