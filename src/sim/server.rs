//! The axum router and the middleware every request passes: trailing-slash
//! normalisation, request log, fault injection, the rate limiter, latency,
//! malformed bodies and conditional GETs (ETag); and the loopback-only admin
//! endpoint for fault switches.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use sha2::{Digest, Sha256};

use super::api::{browse, me, player, playlists};
use super::errors::ApiError;
use super::faults::{FaultSpec, Injected};
use super::log::RequestRecord;
use super::ratelimit::Verdict;
use super::{Shared, SimHandle, accounts, images};

/// Marker payload used to drop a connection without answering.
struct DropConnection;

/// The service to serve: the router behind trailing-slash normalisation
/// (the real service answers `/v1/me/` like `/v1/me`).
pub(crate) fn service(
    shared: Arc<Shared>,
) -> tower::util::MapRequest<Router, fn(Request) -> Request> {
    tower::ServiceExt::map_request(
        router(shared),
        strip_trailing_slash as fn(Request) -> Request,
    )
}

/// Rewrites `/v1/me/?x` to `/v1/me?x` before routing.
fn strip_trailing_slash(mut req: Request) -> Request {
    let path = req.uri().path();
    if path.len() <= 1 || !path.ends_with('/') {
        return req;
    }
    let trimmed = match path.trim_end_matches('/') {
        "" => "/",
        t => t,
    };
    let pq = match req.uri().query() {
        Some(q) => format!("{trimmed}?{q}"),
        None => trimmed.to_string(),
    };
    let mut parts = req.uri().clone().into_parts();
    if let Ok(p) = pq.parse() {
        parts.path_and_query = Some(p);
        if let Ok(uri) = Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
    req
}

/// Builds the full router.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let v1 = Router::new()
        .route("/me", get(me::get_me))
        .route("/me/player", get(player::get_state).put(player::transfer))
        .route("/me/player/devices", get(player::devices))
        .route(
            "/me/player/currently-playing",
            get(player::currently_playing),
        )
        .route("/me/player/play", put(player::play))
        .route("/me/player/pause", put(player::pause))
        .route("/me/player/next", post(player::next))
        .route("/me/player/previous", post(player::previous))
        .route("/me/player/seek", put(player::seek))
        .route("/me/player/repeat", put(player::repeat))
        .route("/me/player/volume", put(player::volume))
        .route("/me/player/shuffle", put(player::shuffle))
        .route("/me/player/recently-played", get(player::recently_played))
        .route(
            "/me/player/queue",
            get(player::get_queue).post(player::add_to_queue),
        )
        .route(
            "/me/playlists",
            get(playlists::my_playlists).post(playlists::create_mine),
        )
        .route(
            "/users/{user_id}/playlists",
            get(playlists::user_playlists).post(playlists::create_for_user),
        )
        .route(
            "/playlists/{id}",
            get(playlists::get_playlist).put(playlists::change_details),
        )
        .route(
            "/playlists/{id}/tracks",
            get(playlists::get_tracks)
                .put(playlists::put_tracks)
                .post(playlists::post_tracks)
                .delete(playlists::delete_tracks),
        )
        .route(
            "/playlists/{id}/items",
            get(playlists::get_items)
                .put(playlists::put_items)
                .post(playlists::post_items)
                .delete(playlists::delete_items),
        )
        .route("/playlists/{id}/followers", delete(playlists::unfollow))
        .route(
            "/playlists/{id}/images",
            get(playlists::get_cover).put(playlists::put_cover),
        )
        .route("/browse/featured-playlists", get(browse::featured))
        .route(
            "/browse/categories/{category_id}/playlists",
            get(browse::category_playlists),
        )
        .merge(super::api::library_routes())
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "Service not found").into_response()
        })
        .layer(middleware::from_fn(etag));
    Router::new()
        .route("/authorize", get(accounts::authorize))
        .route(
            "/authorize/decision",
            get(accounts::decision).post(accounts::decision),
        )
        .route("/api/token", post(accounts::token))
        .route("/images/{name}", get(image))
        .route("/_sim/faults", post(admin_faults))
        .nest("/v1", v1)
        .layer(middleware::from_fn_with_state(shared.clone(), front))
        .with_state(shared)
}

/// Largest request body the simulator reads (a cover upload is ≤ 256 KB).
const MAX_BODY: usize = 4 << 20;

/// Logs every request and applies the fault switches to `/v1`.
async fn front(State(sh): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let mut rec = RequestRecord {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        query: req.uri().query().map(str::to_string),
        status: 0,
        at: std::time::Instant::now(),
        if_none_match: req.headers().contains_key(header::IF_NONE_MATCH),
        retry_after: None,
    };
    let api = rec.path.starts_with("/v1");
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    // A JSON body over MAX_BODY is refused here, logged, with the regular error object.
    let req = if api && is_json {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
            rec.status = 413;
            sh.log().push(rec);
            return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large")
                .into_response();
        };
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };
    let (injected, latency) = {
        let mut f = sh.faults();
        let inj = if api {
            f.take_method_error(&rec.method)
                .or_else(|| f.take_injected(std::time::Instant::now()))
        } else {
            None
        };
        (inj, f.take_latency())
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let resp = match injected {
        Some(Injected::Drop) => {
            sh.log().push(rec);
            // Unwinds this connection's task: hyper closes the socket unanswered.
            std::panic::resume_unwind(Box::new(DropConnection));
        }
        Some(Injected::RateLimited(secs)) => too_many(secs, None),
        Some(Injected::ServerError(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let msg = status.canonical_reason().unwrap_or("Server error");
            ApiError::new(status, msg).into_response()
        }
        None if api && sh.faults().is_removed(&rec.path) => {
            ApiError::new(StatusCode::NOT_FOUND, "Service not found").into_response()
        }
        None => {
            let refused = if api { throttle(&sh, &req) } else { None };
            match refused {
                Some(r) => r,
                None => {
                    let resp = next.run(req).await;
                    if api { malform(&sh, resp).await } else { resp }
                }
            }
        }
    };
    rec.status = resp.status().as_u16();
    rec.retry_after = resp
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    sh.log().push(rec);
    resp
}

/// A 429 with `Retry-After: secs`; `reason` marks the quota variant.
fn too_many(secs: u64, reason: Option<&'static str>) -> Response {
    let message = if reason.is_some() {
        "API quota exceeded"
    } else {
        "API rate limit exceeded"
    };
    let mut r = ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        message: message.into(),
        reason,
    }
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// Applies the rolling window and the quota to the app behind the bearer
/// token; `Some(429)` when the request is refused.
fn throttle(sh: &Shared, req: &Request) -> Option<Response> {
    {
        let l = sh.limiter();
        if l.rolling.is_none() && l.quota.is_none() {
            return None;
        }
    }
    let token = req
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?
        .trim();
    // Unknown tokens are not counted: they get their 401 from the handler.
    let client = sh.lock().auth.tokens.get(token)?.client_id.clone();
    match sh.limiter().judge(&client, std::time::Instant::now()) {
        Verdict::Allow => None,
        Verdict::Limited(secs) => Some(too_many(secs, None)),
        Verdict::Quota(secs) => Some(too_many(secs, Some("QUOTA_EXCEEDED"))),
    }
}

/// `POST /_sim/faults`: fault switches from outside the process, one
/// [`FaultSpec`] per line (or separated by spaces). Loopback callers only;
/// nothing is applied when one line is wrong.
async fn admin_faults(
    State(sh): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: String,
) -> Response {
    if !peer.ip().is_loopback() {
        return (StatusCode::FORBIDDEN, "loopback callers only\n").into_response();
    }
    let specs: Result<Vec<FaultSpec>, String> = body.split_whitespace().map(str::parse).collect();
    match specs {
        Err(e) => (StatusCode::BAD_REQUEST, format!("{e}\n")).into_response(),
        Ok(specs) => {
            let h = SimHandle { shared: sh };
            for f in &specs {
                h.apply_fault(f);
            }
            axum::Json(serde_json::json!({ "applied": specs.len() })).into_response()
        }
    }
}

/// Cuts a JSON body short when the malformed-body fault is armed.
async fn malform(sh: &Shared, resp: Response) -> Response {
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !is_json || !sh.faults().take_malformed() {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let cut = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ETAG);
    Response::from_parts(parts, Body::from(cut))
}

/// Adds an `ETag` to successful GETs and answers 304 to a matching `If-None-Match`.
async fn etag(req: Request, next: Next) -> Response {
    let is_get = req.method() == Method::GET;
    let inm = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let resp = next.run(req).await;
    if !is_get || resp.status() != StatusCode::OK {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let digest = Sha256::digest(&bytes);
    let tag: String = digest[..10].iter().map(|b| format!("{b:02x}")).collect();
    let tag = format!("\"{tag}\"");
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=0"),
    );
    let matches = inm.is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// `GET /images/{key}-{size}.jpg` (generated) or `/images/upload-{playlist}.jpg`.
async fn image(State(sh): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some(stem) = name.strip_suffix(".jpg") else {
        return not_found();
    };
    let jpeg = |b: Vec<u8>| ([(header::CONTENT_TYPE, "image/jpeg")], b).into_response();
    if let Some(pl) = stem.strip_prefix("upload-") {
        let id = pl.split('~').next().unwrap_or(pl);
        let st = sh.lock();
        return match st.playlists.get(id).and_then(|p| p.cover.clone()) {
            Some(b) => jpeg(b),
            None => not_found(),
        };
    }
    let Some((key, size)) = stem.rsplit_once('-') else {
        return not_found();
    };
    let Ok(size) = size.parse::<u32>() else {
        return not_found();
    };
    if ![64, 300, 640].contains(&size) {
        return not_found();
    }
    let cached = sh
        .images
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(stem)
        .cloned();
    let bytes = match cached {
        Some(b) => b,
        None => {
            let b = images::cover_jpeg(key, size);
            sh.images
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(stem.to_string(), b.clone());
            b
        }
    };
    jpeg(bytes)
}
