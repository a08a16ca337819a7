//! `/me/player/...`: playback state, devices, commands, queue and history.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::super::Shared;
use super::super::catalog::ItemRef;
use super::super::errors::{ApiError, ApiResult};
use super::super::ids::iso8601;
use super::super::playback::Repeat;
use super::super::state::{Device, SimState};
use super::{Body, Q, authenticate};

type Params = Query<Vec<(String, String)>>;

fn device_json(d: &Device, active: bool) -> Value {
    json!({
        "id": d.id,
        "is_active": active,
        "is_private_session": d.is_private_session,
        "is_restricted": d.is_restricted,
        "name": d.name,
        "supports_volume": d.supports_volume,
        "type": d.kind,
        "volume_percent": d.volume_percent,
    })
}

fn wants_episodes(q: &Q) -> bool {
    q.get("additional_types")
        .is_some_and(|t| t.split(',').any(|x| x.trim() == "episode"))
}

fn disallows(st: &SimState) -> Value {
    let pb = &st.playback;
    let mut d = serde_json::Map::new();
    if pb.is_playing {
        d.insert("resuming".into(), json!(true));
    } else {
        d.insert("pausing".into(), json!(true));
    }
    if !pb.has_next() {
        d.insert("skipping_next".into(), json!(true));
    }
    if st.active_device().is_some_and(|d| d.is_restricted) {
        for k in [
            "interrupting_playback",
            "pausing",
            "resuming",
            "seeking",
            "skipping_next",
            "skipping_prev",
            "toggling_repeat_context",
            "toggling_shuffle",
            "toggling_repeat_track",
            "transferring_playback",
        ] {
            d.insert(k.into(), json!(true));
        }
    }
    json!({ "disallows": d })
}

fn context_json(st: &SimState) -> Value {
    let Some(uri) = &st.playback.context_uri else {
        return Value::Null;
    };
    let mut parts = uri.split(':');
    let kind = parts.nth(1).unwrap_or("playlist");
    let id = parts.next().unwrap_or("");
    json!({
        "external_urls": {"spotify": format!("https://open.spotify.com/{kind}/{id}")},
        "href": format!("{}/v1/{kind}s/{id}", st.base),
        "type": kind,
        "uri": uri,
    })
}

/// The body of `GET /me/player` (with device) or `currently-playing` (without).
fn state_json(st: &SimState, q: &Q, with_device: bool) -> Value {
    let pb = &st.playback;
    let (item, kind) = match pb.current {
        Some(ItemRef::Episode(i)) if wants_episodes(q) => (
            st.catalog.item_json(ItemRef::Episode(i), st.render()),
            "episode",
        ),
        Some(ItemRef::Episode(_)) => (Value::Null, "episode"),
        Some(r) => (st.catalog.item_json(r, st.render()), "track"),
        None => (Value::Null, "unknown"),
    };
    let mut v = json!({
        "timestamp": pb.changed_at_ms,
        "context": context_json(st),
        "progress_ms": pb.current.map(|_| pb.progress_ms),
        "item": item,
        "currently_playing_type": kind,
        "actions": disallows(st),
        "is_playing": pb.is_playing,
    });
    if with_device && let Some(o) = v.as_object_mut() {
        if let Some(d) = st.active_device() {
            o.insert("device".into(), device_json(d, true));
        }
        o.insert("shuffle_state".into(), json!(pb.shuffle));
        o.insert("smart_shuffle".into(), json!(false));
        o.insert("repeat_state".into(), json!(pb.repeat.as_str()));
    }
    v
}

/// `GET /me/player`: 200 with state, or 204 when no device is active.
pub async fn get_state(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    authenticate(&st, &headers)?.need(&["user-read-playback-state"])?;
    st.sync();
    if st.active_device().is_none() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok(axum::Json(state_json(&st, &q, true)).into_response())
}

/// `GET /me/player/currently-playing`: 204 when nothing is active or in a private session.
pub async fn currently_playing(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    authenticate(&st, &headers)?.need(&["user-read-currently-playing"])?;
    st.sync();
    match st.active_device() {
        Some(d) if !d.is_private_session && st.playback.current.is_some() => {
            Ok(axum::Json(state_json(&st, &q, false)).into_response())
        }
        _ => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// `GET /me/player/devices`.
pub async fn devices(State(sh): State<Arc<Shared>>, headers: HeaderMap) -> ApiResult {
    let st = sh.lock();
    authenticate(&st, &headers)?.need(&["user-read-playback-state"])?;
    let active = st.playback.device;
    let list: Vec<Value> = st
        .devices
        .iter()
        .map(|d| device_json(d, Some(d.key) == active))
        .collect();
    Ok(axum::Json(json!({ "devices": list })).into_response())
}

/// Common checks of every playback command; makes `device_id` (if given) the
/// active device. Returns the status to answer with (204, or 202 while waking).
fn command(sh: &Shared, st: &mut SimState, headers: &HeaderMap, q: &Q) -> ApiResult<StatusCode> {
    authenticate(st, headers)?.need(&["user-modify-playback-state"])?;
    if !st.premium {
        return Err(ApiError::premium_required());
    }
    st.sync();
    if let Some(id) = q.get("device_id") {
        let Some(d) = st.device_by_id(id) else {
            return Err(ApiError::new(StatusCode::NOT_FOUND, "Device not found"));
        };
        if d.is_restricted {
            return Err(not_controllable());
        }
        let key = d.key;
        if st.playback.device != Some(key) {
            st.playback.device = Some(key);
            st.touch();
        }
    }
    match st.active_device() {
        None => Err(ApiError::no_active_device()),
        Some(d) if d.is_restricted => Err(not_controllable()),
        Some(_) => Ok(if sh.faults().take_waking() {
            StatusCode::ACCEPTED
        } else {
            StatusCode::NO_CONTENT
        }),
    }
}

fn not_controllable() -> ApiError {
    ApiError::player(
        StatusCode::FORBIDDEN,
        "Device is not controllable",
        "DEVICE_NOT_CONTROLLABLE",
    )
}

/// `PUT /me/player`: transfer playback to exactly one device.
pub async fn transfer(State(sh): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let mut st = sh.lock();
    authenticate(&st, &headers)?.need(&["user-modify-playback-state"])?;
    if !st.premium {
        return Err(ApiError::premium_required());
    }
    let body = Body::object(&body)?;
    let ids = body
        .strings("device_ids")?
        .ok_or_else(|| ApiError::bad_request("Required field device_ids missing"))?;
    let play = body.bool("play")?.unwrap_or(false);
    let [id] = ids.as_slice() else {
        return Err(ApiError::bad_request(
            "Only a single device_id is currently supported",
        ));
    };
    st.sync();
    let Some(d) = st.device_by_id(id) else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "Device not found"));
    };
    if d.is_restricted {
        return Err(not_controllable());
    }
    let key = d.key;
    let was_active = st.playback.device == Some(key);
    st.playback.device = Some(key);
    if play && st.playback.current.is_some() {
        st.playback.is_playing = true;
    }
    st.touch();
    let waking = sh.faults().take_waking();
    Ok(if waking && !was_active {
        StatusCode::ACCEPTED
    } else {
        StatusCode::NO_CONTENT
    }
    .into_response())
}

/// Items and start index for a `context_uri`.
fn context_items(st: &SimState, uri: &str) -> ApiResult<Vec<ItemRef>> {
    let parts: Vec<&str> = uri.split(':').collect();
    let not_found = || ApiError::not_found();
    match parts.as_slice() {
        ["spotify", "playlist", id] => {
            let p = st.playlists.get(*id).ok_or_else(not_found)?;
            Ok(p.entries.iter().map(|e| e.item).collect())
        }
        ["spotify", "album", id] => {
            let a = st.catalog.album_index(id).ok_or_else(not_found)?;
            Ok(st.catalog.albums[a]
                .tracks
                .iter()
                .map(|&t| ItemRef::Track(t))
                .collect())
        }
        ["spotify", "artist", id] => {
            let a = st
                .catalog
                .artists
                .iter()
                .position(|x| x.id == *id)
                .ok_or_else(not_found)?;
            Ok(st.catalog.albums[a]
                .tracks
                .iter()
                .map(|&t| ItemRef::Track(t))
                .collect())
        }
        ["spotify", "show", id] if *id == st.catalog.show.id => Ok((0..st.catalog.episodes.len())
            .map(ItemRef::Episode)
            .collect()),
        _ => Err(ApiError::bad_request("Invalid context uri")),
    }
}

/// `PUT /me/player/play`: resume, or start a context / list of URIs.
pub async fn play(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
    body: Bytes,
) -> ApiResult {
    let q = Q(q);
    // The body is checked before anything changes (also the device of `device_id`).
    let body = Body::object(&body)?;
    let context_uri = body.str("context_uri")?;
    let uris = body.strings("uris")?;
    let offset = body.object_at("offset")?;
    let (off_position, off_uri) = match &offset {
        Some(o) => (o.uint("position")?, o.str("uri")?),
        None => (None, None),
    };
    let position_ms = body.uint("position_ms")?;
    let mut st = sh.lock();
    let status = command(&sh, &mut st, &headers, &q)?;
    let now = st.now();
    let start_ms = position_ms.unwrap_or(0);
    if let Some(ctx) = context_uri {
        let items = context_items(&st, ctx)?;
        if items.is_empty() {
            return Err(ApiError::restriction());
        }
        let index = match offset {
            None => 0,
            Some(_) => {
                if let Some(p) = off_position {
                    let p = p as usize;
                    if p >= items.len() {
                        return Err(ApiError::bad_request("Offset out of range"));
                    }
                    p
                } else if let Some(u) = off_uri {
                    let r = st
                        .catalog
                        .resolve(u)
                        .ok_or_else(|| ApiError::bad_request("Invalid offset uri"))?;
                    items
                        .iter()
                        .position(|x| *x == r)
                        .ok_or_else(|| ApiError::bad_request("Offset uri not in context"))?
                } else {
                    return Err(ApiError::bad_request("Invalid offset"));
                }
            }
        };
        record_current(&mut st);
        st.playback
            .load(Some(ctx.to_string()), items, index, start_ms, now);
    } else if let Some(uris) = uris {
        let mut items = Vec::new();
        for s in &uris {
            match st.catalog.resolve(s) {
                Some(r) => items.push(r),
                None => return Err(ApiError::bad_request(format!("Invalid track uri: {s}"))),
            }
        }
        if items.is_empty() {
            return Err(ApiError::bad_request("No uris given"));
        }
        let index = match offset {
            Some(_) => off_position
                .map(|p| p as usize)
                .or_else(|| {
                    let r = st.catalog.resolve(off_uri?)?;
                    items.iter().position(|x| *x == r)
                })
                .filter(|&p| p < items.len())
                .ok_or_else(|| ApiError::bad_request("Invalid offset"))?,
            None => 0,
        };
        record_current(&mut st);
        st.playback.load(None, items, index, start_ms, now);
    } else {
        if st.playback.current.is_none() {
            return Err(ApiError::no_active_device());
        }
        if st.playback.is_playing {
            return Err(ApiError::restriction());
        }
        if let Some(p) = position_ms {
            st.playback.progress_ms = p;
        }
    }
    st.playback.is_playing = true;
    st.playback.anchor = now;
    st.touch();
    Ok(status.into_response())
}

/// Adds the current track to the history if it played long enough.
fn record_current(st: &mut SimState) {
    if let Some(cur) = st.playback.current
        && st.playback.progress_ms >= 30_000
    {
        let at = st.wall_ms();
        st.playback.record_played(cur, at);
    }
}

/// `PUT /me/player/pause`.
pub async fn pause(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    let status = command(&sh, &mut st, &headers, &q)?;
    if !st.playback.is_playing {
        return Err(ApiError::restriction());
    }
    st.playback.is_playing = false;
    st.touch();
    Ok(status.into_response())
}

/// `POST /me/player/next`.
pub async fn next(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    let status = command(&sh, &mut st, &headers, &q)?;
    if !st.playback.has_next() {
        return Err(ApiError::restriction());
    }
    record_current(&mut st);
    let now = st.now();
    let SimState {
        playback, catalog, ..
    } = &mut *st;
    playback.advance(catalog);
    playback.progress_ms = 0;
    playback.is_playing = true;
    playback.anchor = now;
    st.touch();
    Ok(status.into_response())
}

/// `POST /me/player/previous`.
pub async fn previous(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    let status = command(&sh, &mut st, &headers, &q)?;
    if st.playback.current.is_none() {
        return Err(ApiError::restriction());
    }
    st.playback.previous();
    st.playback.is_playing = true;
    st.playback.anchor = st.now();
    st.touch();
    Ok(status.into_response())
}

/// `PUT /me/player/seek?position_ms=N`; past the end skips to the next item.
pub async fn seek(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    let status = command(&sh, &mut st, &headers, &q)?;
    let pos = q
        .get("position_ms")
        .ok_or_else(|| ApiError::bad_request("Missing required parameter: position_ms"))?
        .parse::<i64>()
        .ok()
        .filter(|p| *p >= 0)
        .ok_or_else(|| ApiError::bad_request("Invalid position_ms"))? as u64;
    let Some(cur) = st.playback.current else {
        return Err(ApiError::restriction());
    };
    let dur = st.catalog.duration_ms(cur);
    if pos >= dur {
        let SimState {
            playback, catalog, ..
        } = &mut *st;
        if !playback.advance(catalog) {
            playback.is_playing = false;
        }
        playback.progress_ms = 0;
    } else {
        st.playback.progress_ms = pos;
    }
    st.playback.anchor = st.now();
    st.touch();
    Ok(status.into_response())
}

/// `PUT /me/player/repeat?state=track|context|off`.
pub async fn repeat(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    let status = command(&sh, &mut st, &headers, &q)?;
    let r = q
        .get("state")
        .and_then(Repeat::parse)
        .ok_or_else(|| ApiError::bad_request("State must be one of track, context or off"))?;
    st.set_repeat(r);
    Ok(status.into_response())
}

/// `PUT /me/player/volume?volume_percent=N` (0–100).
pub async fn volume(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    let status = command(&sh, &mut st, &headers, &q)?;
    let v = q
        .get("volume_percent")
        .ok_or_else(|| ApiError::bad_request("Missing required parameter: volume_percent"))?
        .parse::<i64>()
        .ok()
        .filter(|v| (0..=100).contains(v))
        .ok_or_else(|| ApiError::bad_request("Invalid volume_percent"))?;
    let Some(d) = st.active_device_mut() else {
        return Err(ApiError::no_active_device());
    };
    if !d.supports_volume {
        return Err(ApiError::player(
            StatusCode::FORBIDDEN,
            "Cannot control device volume",
            "VOLUME_CONTROL_DISALLOW",
        ));
    }
    d.volume_percent = Some(v as u8);
    st.touch();
    Ok(status.into_response())
}

/// `PUT /me/player/shuffle?state=true|false`.
pub async fn shuffle(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    let status = command(&sh, &mut st, &headers, &q)?;
    let v = match q.get("state") {
        Some("true") => true,
        Some("false") => false,
        _ => return Err(ApiError::bad_request("Invalid state")),
    };
    st.playback.shuffle = v;
    st.touch();
    Ok(status.into_response())
}

/// `GET /me/player/queue`.
pub async fn get_queue(State(sh): State<Arc<Shared>>, headers: HeaderMap) -> ApiResult {
    let mut st = sh.lock();
    authenticate(&st, &headers)?
        .need(&["user-read-currently-playing", "user-read-playback-state"])?;
    st.sync();
    let r = st.render();
    let current = st
        .playback
        .current
        .map(|c| st.catalog.item_json(c, r))
        .unwrap_or(Value::Null);
    let queue: Vec<Value> = st
        .playback
        .upcoming(20)
        .into_iter()
        .map(|i| st.catalog.item_json(i, r))
        .collect();
    Ok(axum::Json(json!({"currently_playing": current, "queue": queue})).into_response())
}

/// `POST /me/player/queue?uri=...`.
pub async fn add_to_queue(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    let status = command(&sh, &mut st, &headers, &q)?;
    let uri = q
        .get("uri")
        .ok_or_else(|| ApiError::bad_request("Missing required parameter: uri"))?;
    match st.catalog.resolve(uri) {
        Some(r @ (ItemRef::Track(_) | ItemRef::Episode(_))) => {
            st.playback.queue.push_back(r);
            Ok(status.into_response())
        }
        _ => Err(ApiError::bad_request("Invalid base62 id")),
    }
}

/// `GET /me/player/recently-played` with `limit` and `before` xor `after` cursors.
pub async fn recently_played(
    State(sh): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Params,
) -> ApiResult {
    let q = Q(q);
    let mut st = sh.lock();
    authenticate(&st, &headers)?.need(&["user-read-recently-played"])?;
    st.sync();
    let p = super::page(&q, 20, 50, 0)?;
    let parse = |k: &str| -> ApiResult<Option<i64>> {
        q.get(k)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::bad_request(format!("Invalid {k}")))
            })
            .transpose()
    };
    let (before, after) = (parse("before")?, parse("after")?);
    if before.is_some() && after.is_some() {
        return Err(ApiError::bad_request(
            "Only one of 'before' and 'after' can be specified",
        ));
    }
    let hist = &st.playback.history;
    let chosen: Vec<_> = if let Some(a) = after {
        let newer: Vec<_> = hist.iter().filter(|h| h.played_at_ms > a).collect();
        let skip = newer.len().saturating_sub(p.limit);
        newer.into_iter().skip(skip).collect()
    } else {
        let b = before.unwrap_or(i64::MAX);
        hist.iter()
            .filter(|h| h.played_at_ms < b)
            .take(p.limit)
            .collect()
    };
    let r = st.render();
    let url = format!("{}/v1/me/player/recently-played", st.base);
    let items: Vec<Value> = chosen
        .iter()
        .map(|h| {
            let mut ctx = Value::Null;
            if let Some(u) = &h.context_uri {
                let id = u.rsplit(':').next().unwrap_or("");
                ctx = json!({
                    "external_urls": {"spotify": format!("https://open.spotify.com/playlist/{id}")},
                    "href": format!("{}/v1/playlists/{id}", st.base),
                    "type": "playlist",
                    "uri": u,
                });
            }
            json!({
                "track": st.catalog.item_json(ItemRef::Track(h.track), r),
                "played_at": format!("{}.{:03}Z", iso8601(h.played_at_ms / 1000).trim_end_matches('Z'), h.played_at_ms % 1000),
                "context": ctx,
            })
        })
        .collect();
    let newest = chosen.first().map(|h| h.played_at_ms);
    let oldest = chosen.last().map(|h| h.played_at_ms);
    // `next` keeps the direction of the request: newer items after an
    // `after` cursor, older ones otherwise.
    let next = if after.is_some() {
        newest
            .filter(|n| hist.iter().any(|h| h.played_at_ms > *n))
            .map(|n| format!("{url}?after={n}&limit={}", p.limit))
    } else {
        oldest
            .filter(|o| hist.iter().any(|h| h.played_at_ms < *o))
            .map(|o| format!("{url}?before={o}&limit={}", p.limit))
    };
    let cursors = match (newest, oldest) {
        (Some(n), Some(o)) => json!({"after": n.to_string(), "before": o.to_string()}),
        _ => Value::Null,
    };
    let mut href = format!("{url}?limit={}", p.limit);
    if let Some(b) = before {
        href.push_str(&format!("&before={b}"));
    }
    if let Some(a) = after {
        href.push_str(&format!("&after={a}"));
    }
    Ok(axum::Json(json!({
        "items": items,
        "next": next,
        "cursors": cursors,
        "limit": p.limit,
        "href": href,
    }))
    .into_response())
}
