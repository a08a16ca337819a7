//! The typed Web API client: one async method per endpoint.

pub mod library;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use base64::Engine;
use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::watch;

use super::error::ApiError;
use super::http::{ClientOptions, Req, Resp, Transport};
use super::journal::{self, Journal, PendingRemoval};
use super::model::{
    CurrentlyPlaying, Devices, FeaturedPlaylists, Image, Page, PlaybackState, Playlist,
    PlaylistItem, Queue, RecentlyPlayed, RepeatState, SimplifiedPlaylist, SnapshotId, User,
};
use super::removal::plan_removal;
use crate::token::TokenSource;

/// Most items one add/replace/remove request may carry.
pub const MAX_ITEMS_PER_REQUEST: usize = 100;
/// Largest Base64-encoded cover the API accepts.
pub const MAX_COVER_BASE64_BYTES: usize = 256 * 1024;
/// Page size for playlist lists (the API's maximum).
pub const PLAYLISTS_PAGE_LIMIT: u32 = 50;

/// Where `play` starts inside a context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlayOffset {
    /// Zero-based index.
    Position(u32),
    /// URI of the item to start at.
    Uri(String),
}

/// Arguments of Start/Resume Playback. All empty = resume.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayArgs {
    /// Album, playlist, artist or show URI.
    pub context_uri: Option<String>,
    /// Track/episode URIs (exclusive with `context_uri`).
    pub uris: Vec<String>,
    /// Where to start in the context or URI list.
    pub offset: Option<PlayOffset>,
    /// Position in the first item.
    pub position_ms: Option<u64>,
    /// Target device (wakes an idle device).
    pub device_id: Option<String>,
}

/// Changes to a playlist's details (`None` = unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistDetails {
    /// New name.
    pub name: Option<String>,
    /// Public on the profile.
    pub public: Option<bool>,
    /// Collaborative (only for non-public playlists).
    pub collaborative: Option<bool>,
    /// New description.
    pub description: Option<String>,
}

/// A playlist to create.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPlaylist {
    /// Name (required, not empty).
    pub name: String,
    /// Public (the API's default is true).
    pub public: Option<bool>,
    /// Collaborative (needs `public: false`).
    pub collaborative: Option<bool>,
    /// Description.
    pub description: Option<String>,
}

/// The Spotify Web API client. Cheap to clone; clones share the connection
/// pool, the rate-limit block, the ETag cache and what was found out about
/// which endpoints this app may use (`/items` or `/tracks`, `/me/playlists`
/// or `/users/{id}/playlists`, whether the browse endpoints exist),
/// remembered for the session.
#[derive(Clone)]
pub struct Client {
    t: Arc<Transport>,
    items_limit: Arc<AtomicU32>,
    legacy_items: Arc<AtomicBool>,
    legacy_user_playlists: Arc<AtomicBool>,
    browse_gone: Arc<AtomicBool>,
    my_id: Arc<OnceLock<String>>,
    journal: Option<Journal>,
}

/// What a playlist row reads of an item, in `fields=` syntax.
macro_rules! row_item_fields {
    () => {
        "type,name,uri,duration_ms,is_local,is_playable,artists(name),album(name),show(name)"
    };
}

/// `fields=` for a page of rows from `/items` (entries carry `item`).
pub const ROW_FIELDS_ITEMS: &str = concat!(
    "items(added_at,added_by(id),is_local,item(",
    row_item_fields!(),
    ")),limit,next,offset,total"
);

/// `fields=` for a page of rows from the older `/tracks` (entries carry `track`).
const ROW_FIELDS_TRACKS: &str = concat!(
    "items(added_at,added_by(id),is_local,track(",
    row_item_fields!(),
    ")),limit,next,offset,total"
);

/// What a refused positioned edit says.
const SNAPSHOT_CONFLICT: &str = "The playlist changed elsewhere since it was loaded; nothing was changed. It has been reloaded — check it and try again.";

/// Retries of a re-insert after a removal (backoff 0.3 s to 4.8 s).
const REINSERT_RETRIES: u32 = 4;

fn journal_error(e: std::io::Error) -> ApiError {
    ApiError::InvalidArgument(format!("cannot update the removal journal: {e}"))
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").finish_non_exhaustive()
    }
}

/// Percent-encodes one path segment (ids are base62, but be safe).
fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode<T: DeserializeOwned>(r: &Resp) -> Result<T, ApiError> {
    serde_json::from_slice(&r.body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Spotify's rule, checked before sending: a collaborative playlist must be private.
fn refuse_public_collaborative(public: bool, collaborative: bool) -> Result<(), ApiError> {
    if public && collaborative {
        return Err(ApiError::InvalidArgument(
            "a playlist cannot be public and collaborative at the same time: make it private (public: false)".into(),
        ));
    }
    Ok(())
}

fn snapshot(r: &Resp) -> Result<String, ApiError> {
    Ok(decode::<SnapshotId>(r)?.snapshot_id)
}

fn unavailable(e: &ApiError) -> bool {
    matches!(e.status(), Some(404) | Some(405)) && !e.is_no_active_device()
}

fn check_uris(uris: &[String]) -> Result<(), ApiError> {
    if uris.is_empty() {
        return Err(ApiError::InvalidArgument("no items given".into()));
    }
    if uris.len() > MAX_ITEMS_PER_REQUEST {
        return Err(ApiError::InvalidArgument(format!(
            "at most {MAX_ITEMS_PER_REQUEST} items per request, got {}",
            uris.len()
        )));
    }
    Ok(())
}

impl Client {
    /// A client for `api_base` (e.g. `https://api.spotify.com/v1`) with default options.
    pub fn new(api_base: &str, tokens: Arc<dyn TokenSource>) -> Result<Client, ApiError> {
        Self::with_options(api_base, tokens, ClientOptions::default())
    }

    /// A client with explicit timeouts and retry settings.
    pub fn with_options(
        api_base: &str,
        tokens: Arc<dyn TokenSource>,
        opts: ClientOptions,
    ) -> Result<Client, ApiError> {
        let limit = opts.items_page_limit.clamp(1, 100);
        Ok(Client {
            t: Arc::new(Transport::new(api_base, tokens, opts)?),
            items_limit: Arc::new(AtomicU32::new(limit)),
            legacy_items: Arc::new(AtomicBool::new(false)),
            legacy_user_playlists: Arc::new(AtomicBool::new(false)),
            browse_gone: Arc::new(AtomicBool::new(false)),
            my_id: Arc::new(OnceLock::new()),
            journal: journal::installed().cloned(),
        })
    }

    /// Uses `journal` for removals instead of the installed one (tests).
    pub fn with_journal(mut self, journal: Journal) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Until when requests are held back by a 429, if that lies in the future.
    pub fn blocked_until(&self) -> Option<Instant> {
        self.t.blocked_until()
    }

    /// Watches the rate-limit block (`Some(until)` while blocked).
    pub fn rate_limit_watch(&self) -> watch::Receiver<Option<Instant>> {
        self.t.subscribe_blocked()
    }

    /// Longest rate-limit block that requests wait out instead of failing.
    pub fn max_rate_limit_wait(&self) -> std::time::Duration {
        self.t.opts.max_rate_limit_wait
    }

    /// Number of HTTP requests sent by this client and its clones.
    pub fn requests_sent(&self) -> u64 {
        self.t.sent()
    }

    /// Page size currently used for playlist items.
    pub fn items_page_limit(&self) -> u32 {
        self.items_limit.load(Ordering::Relaxed)
    }

    async fn send(&self, req: Req) -> Result<Resp, ApiError> {
        self.t.send(&req).await
    }

    async fn get<T: DeserializeOwned>(&self, req: Req) -> Result<T, ApiError> {
        decode(&self.send(req).await?)
    }

    // ----- profile -----

    /// `GET /me`.
    pub async fn me(&self) -> Result<User, ApiError> {
        let me: User = self.get(Req::new(Method::GET, "/me")).await?;
        let _ = self.my_id.set(me.id.clone());
        Ok(me)
    }

    /// The current user's id, looked up once per session.
    async fn my_id(&self) -> Result<String, ApiError> {
        match self.my_id.get() {
            Some(id) => Ok(id.clone()),
            None => Ok(self.me().await?.id),
        }
    }

    /// Sends `build(path)` to `/me/playlists`, or — when that is unavailable
    /// (404/405) — to `/users/{me}/playlists`, remembering that for the session.
    async fn my_playlists_call<F>(&self, build: F) -> Result<Resp, ApiError>
    where
        F: Fn(String) -> Req,
    {
        if !self.legacy_user_playlists.load(Ordering::Relaxed) {
            match self.send(build("/me/playlists".into())).await {
                Err(e) if unavailable(&e) => {
                    tracing::info!(
                        "/me/playlists unavailable ({e}); trying /users/{{id}}/playlists"
                    );
                }
                other => return other,
            }
        }
        let id = self.my_id().await?;
        let r = self
            .send(build(format!("/users/{}/playlists", seg(&id))))
            .await?;
        self.legacy_user_playlists.store(true, Ordering::Relaxed);
        Ok(r)
    }

    // ----- player -----

    /// `GET /me/player`; `None` when nothing is active (204).
    pub async fn playback_state(&self) -> Result<Option<PlaybackState>, ApiError> {
        let r = self
            .send(Req::new(Method::GET, "/me/player").q("additional_types", "track,episode"))
            .await?;
        if r.status == 204 || r.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        decode(&r).map(Some)
    }

    /// `GET /me/player/currently-playing`; `None` when nothing plays (204).
    pub async fn currently_playing(&self) -> Result<Option<CurrentlyPlaying>, ApiError> {
        let r = self
            .send(
                Req::new(Method::GET, "/me/player/currently-playing")
                    .q("additional_types", "track,episode"),
            )
            .await?;
        if r.status == 204 || r.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        decode(&r).map(Some)
    }

    /// `GET /me/player/devices`.
    pub async fn devices(&self) -> Result<Vec<super::model::Device>, ApiError> {
        let d: Devices = self
            .get(Req::new(Method::GET, "/me/player/devices"))
            .await?;
        Ok(d.devices)
    }

    /// `PUT /me/player`: move playback to exactly one device.
    pub async fn transfer(&self, device_id: &str, play: bool) -> Result<(), ApiError> {
        if device_id.trim().is_empty() {
            return Err(ApiError::InvalidArgument("no device id given".into()));
        }
        self.send(
            Req::new(Method::PUT, "/me/player")
                .json(json!({ "device_ids": [device_id], "play": play }))
                .player(),
        )
        .await
        .map(drop)
    }

    /// `PUT /me/player/play`: start or resume playback.
    pub async fn play(&self, args: &PlayArgs) -> Result<(), ApiError> {
        if args.context_uri.is_some() && !args.uris.is_empty() {
            return Err(ApiError::InvalidArgument(
                "give either a context URI or track URIs, not both".into(),
            ));
        }
        let mut body = serde_json::Map::new();
        if let Some(c) = &args.context_uri {
            body.insert("context_uri".into(), json!(c));
        }
        if !args.uris.is_empty() {
            body.insert("uris".into(), json!(args.uris));
        }
        match &args.offset {
            Some(PlayOffset::Position(p)) => {
                body.insert("offset".into(), json!({ "position": p }));
            }
            Some(PlayOffset::Uri(u)) => {
                body.insert("offset".into(), json!({ "uri": u }));
            }
            None => {}
        }
        if let Some(p) = args.position_ms {
            body.insert("position_ms".into(), json!(p));
        }
        let req = Req::new(Method::PUT, "/me/player/play")
            .q_opt("device_id", args.device_id.as_deref())
            .json(serde_json::Value::Object(body))
            .player();
        self.send(req).await.map(drop)
    }

    async fn player_cmd(&self, req: Req, device_id: Option<&str>) -> Result<(), ApiError> {
        self.send(req.q_opt("device_id", device_id).player())
            .await
            .map(drop)
    }

    /// `PUT /me/player/pause`.
    pub async fn pause(&self, device_id: Option<&str>) -> Result<(), ApiError> {
        self.player_cmd(Req::new(Method::PUT, "/me/player/pause"), device_id)
            .await
    }

    /// `POST /me/player/next`.
    pub async fn next(&self, device_id: Option<&str>) -> Result<(), ApiError> {
        self.player_cmd(Req::new(Method::POST, "/me/player/next"), device_id)
            .await
    }

    /// `POST /me/player/previous`.
    pub async fn previous(&self, device_id: Option<&str>) -> Result<(), ApiError> {
        self.player_cmd(Req::new(Method::POST, "/me/player/previous"), device_id)
            .await
    }

    /// `PUT /me/player/seek` (position ≥ 0; past the end skips to the next item).
    pub async fn seek(&self, position_ms: u64, device_id: Option<&str>) -> Result<(), ApiError> {
        self.player_cmd(
            Req::new(Method::PUT, "/me/player/seek").q("position_ms", position_ms),
            device_id,
        )
        .await
    }

    /// `PUT /me/player/repeat`.
    pub async fn repeat(&self, mode: RepeatState, device_id: Option<&str>) -> Result<(), ApiError> {
        self.player_cmd(
            Req::new(Method::PUT, "/me/player/repeat").q("state", mode.as_str()),
            device_id,
        )
        .await
    }

    /// `PUT /me/player/volume` (0–100).
    pub async fn volume(&self, percent: u8, device_id: Option<&str>) -> Result<(), ApiError> {
        if percent > 100 {
            return Err(ApiError::InvalidArgument(format!(
                "volume must be 0–100, got {percent}"
            )));
        }
        self.player_cmd(
            Req::new(Method::PUT, "/me/player/volume").q("volume_percent", percent),
            device_id,
        )
        .await
    }

    /// `PUT /me/player/shuffle`.
    pub async fn shuffle(&self, on: bool, device_id: Option<&str>) -> Result<(), ApiError> {
        self.player_cmd(
            Req::new(Method::PUT, "/me/player/shuffle").q("state", on),
            device_id,
        )
        .await
    }

    /// `GET /me/player/recently-played` (limit 1–50; at most one cursor, unix ms).
    pub async fn recently_played(
        &self,
        limit: u8,
        before: Option<i64>,
        after: Option<i64>,
    ) -> Result<RecentlyPlayed, ApiError> {
        if !(1..=50).contains(&limit) {
            return Err(ApiError::InvalidArgument(format!(
                "limit must be 1–50, got {limit}"
            )));
        }
        if before.is_some() && after.is_some() {
            return Err(ApiError::InvalidArgument(
                "give either a before or an after cursor, not both".into(),
            ));
        }
        self.get(
            Req::new(Method::GET, "/me/player/recently-played")
                .q("limit", limit)
                .q_opt("before", before)
                .q_opt("after", after),
        )
        .await
    }

    /// `GET /me/player/queue`.
    pub async fn queue(&self) -> Result<Queue, ApiError> {
        self.get(Req::new(Method::GET, "/me/player/queue")).await
    }

    /// `POST /me/player/queue`.
    pub async fn add_to_queue(&self, uri: &str, device_id: Option<&str>) -> Result<(), ApiError> {
        if !uri.starts_with("spotify:track:") && !uri.starts_with("spotify:episode:") {
            return Err(ApiError::InvalidArgument(format!(
                "only track and episode URIs can be queued, got {uri:?}"
            )));
        }
        self.player_cmd(
            Req::new(Method::POST, "/me/player/queue").q("uri", uri),
            device_id,
        )
        .await
    }

    // ----- playlists -----

    /// `GET /playlists/{id}`.
    pub async fn playlist(&self, id: &str) -> Result<Playlist, ApiError> {
        self.get(
            Req::new(Method::GET, format!("/playlists/{}", seg(id)))
                .q("additional_types", "track,episode"),
        )
        .await
    }

    /// The current snapshot id of a playlist.
    pub async fn playlist_snapshot(&self, id: &str) -> Result<String, ApiError> {
        let s: SnapshotId = self
            .get(
                Req::new(Method::GET, format!("/playlists/{}", seg(id))).q("fields", "snapshot_id"),
            )
            .await?;
        Ok(s.snapshot_id)
    }

    /// The snapshot guard before a positioned edit: one read of the
    /// playlist's snapshot id; [`ApiError::Conflict`] when it is no longer
    /// `expected`, so an edit never touches rows that moved.
    pub async fn ensure_snapshot(&self, id: &str, expected: &str) -> Result<(), ApiError> {
        if self.playlist_snapshot(id).await? == expected {
            Ok(())
        } else {
            tracing::info!("playlist edit refused: the playlist changed elsewhere");
            Err(ApiError::Conflict(SNAPSHOT_CONFLICT.into()))
        }
    }

    /// `PUT /playlists/{id}`. Refuses `public` and `collaborative` both true.
    pub async fn change_playlist_details(
        &self,
        id: &str,
        d: &PlaylistDetails,
    ) -> Result<(), ApiError> {
        refuse_public_collaborative(d.public == Some(true), d.collaborative == Some(true))?;
        if d.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(ApiError::InvalidArgument("the name cannot be empty".into()));
        }
        let mut body = serde_json::Map::new();
        if let Some(v) = &d.name {
            body.insert("name".into(), json!(v));
        }
        if let Some(v) = d.public {
            body.insert("public".into(), json!(v));
        }
        if let Some(v) = d.collaborative {
            body.insert("collaborative".into(), json!(v));
        }
        if let Some(v) = &d.description {
            body.insert("description".into(), json!(v));
        }
        self.send(
            Req::new(Method::PUT, format!("/playlists/{}", seg(id)))
                .json(serde_json::Value::Object(body)),
        )
        .await
        .map(drop)
    }

    /// Runs an items request on `/items`, falling back to the deprecated
    /// `/tracks` when `/items` is unavailable (404/405); remembers the fallback.
    async fn items_call<F>(&self, id: &str, build: F) -> Result<Resp, ApiError>
    where
        F: Fn(String, bool) -> Req,
    {
        if !self.legacy_items.load(Ordering::Relaxed) {
            match self
                .send(build(format!("/playlists/{}/items", seg(id)), false))
                .await
            {
                Err(e) if unavailable(&e) => {
                    tracing::info!("/items unavailable ({e}); trying the deprecated /tracks");
                }
                other => return other,
            }
            let r = self
                .send(build(format!("/playlists/{}/tracks", seg(id)), true))
                .await?;
            self.legacy_items.store(true, Ordering::Relaxed);
            return Ok(r);
        }
        self.send(build(format!("/playlists/{}/tracks", seg(id)), true))
            .await
    }

    /// One page of `GET /playlists/{id}/items` (`limit` is capped to the
    /// page size in use; a server refusing 100 makes it drop to 50).
    pub async fn playlist_items(
        &self,
        id: &str,
        offset: u32,
        limit: Option<u32>,
    ) -> Result<Page<PlaylistItem>, ApiError> {
        self.items_page(id, offset, limit, false).await
    }

    /// One page of a playlist's items with only what a row shows (title,
    /// artists, album, length, kind, playability, who added it and when),
    /// asked for with `fields=`: a fifth of the full body to send and decode.
    pub async fn playlist_rows(
        &self,
        id: &str,
        offset: u32,
        limit: Option<u32>,
    ) -> Result<Page<PlaylistItem>, ApiError> {
        self.items_page(id, offset, limit, true).await
    }

    async fn items_page(
        &self,
        id: &str,
        offset: u32,
        limit: Option<u32>,
        rows_only: bool,
    ) -> Result<Page<PlaylistItem>, ApiError> {
        loop {
            let lim = limit
                .unwrap_or(u32::MAX)
                .min(self.items_page_limit())
                .max(1);
            let res = self
                .items_call(id, |path, legacy| {
                    let r = Req::new(Method::GET, path.clone())
                        .q("offset", offset)
                        .q("limit", lim)
                        .q("additional_types", "track,episode");
                    match (rows_only, legacy) {
                        (false, _) => r,
                        (true, false) => r.q("fields", ROW_FIELDS_ITEMS),
                        (true, true) => r.q("fields", ROW_FIELDS_TRACKS),
                    }
                })
                .await;
            match res {
                Err(ApiError::BadRequest { .. }) if lim > 50 => {
                    tracing::info!("the API refused limit={lim} for items; using 50");
                    self.items_limit.store(50, Ordering::Relaxed);
                }
                Err(e) => return Err(e),
                Ok(r) => return decode(&r),
            }
        }
    }

    /// `POST /playlists/{id}/items` (1–100 URIs); returns the new snapshot id.
    pub async fn add_items(
        &self,
        id: &str,
        uris: &[String],
        position: Option<u32>,
    ) -> Result<String, ApiError> {
        check_uris(uris)?;
        let mut body = json!({ "uris": uris });
        if let Some(p) = position {
            body["position"] = json!(p);
        }
        let r = self
            .items_call(id, |path, _| {
                Req::new(Method::POST, path).json(body.clone())
            })
            .await?;
        snapshot(&r)
    }

    /// `DELETE /playlists/{id}/items`: removes every copy of each URI (1–100).
    pub async fn remove_items(
        &self,
        id: &str,
        uris: &[String],
        snapshot_id: Option<&str>,
    ) -> Result<String, ApiError> {
        check_uris(uris)?;
        let objs: Vec<_> = uris.iter().map(|u| json!({ "uri": u })).collect();
        let r = self
            .items_call(id, |path, legacy| {
                let key = if legacy { "tracks" } else { "items" };
                let mut body = json!({ key: objs });
                if let Some(s) = snapshot_id {
                    body["snapshot_id"] = json!(s);
                }
                Req::new(Method::DELETE, path).json(body)
            })
            .await?;
        snapshot(&r)
    }

    /// Removes the items at `positions` (0-based) — also one copy of a
    /// duplicate — from a playlist whose current items are `current_uris`
    /// at `snapshot_id`. Fails with [`ApiError::Conflict`] when the
    /// playlist changed since (reload and retry). See [`super::removal`].
    ///
    /// When copies must be put back, the plan is recorded in the removal
    /// journal before anything is sent and dropped once every copy is back;
    /// the re-inserts are retried with backoff. If they still fail, the
    /// error names the exact items and positions, and the next start
    /// finishes them ([`super::journal::finish_pending`]).
    pub async fn remove_positions(
        &self,
        id: &str,
        current_uris: &[String],
        positions: &[u32],
        snapshot_id: &str,
    ) -> Result<String, ApiError> {
        let plan = plan_removal(current_uris, positions)?;
        // One read serves the guard and the journal's record of where we started.
        let now = self.playlist_snapshot(id).await?;
        if !snapshot_id.is_empty() && now != snapshot_id {
            tracing::info!("playlist edit refused: the playlist changed elsewhere");
            return Err(ApiError::Conflict(SNAPSHOT_CONFLICT.into()));
        }
        let mut entry = PendingRemoval {
            id: journal::new_id(),
            playlist_id: id.to_owned(),
            before_snapshot: now.clone(),
            removed: false,
            reinserts: plan.reinserts.clone(),
        };
        let journal = (!plan.reinserts.is_empty())
            .then(|| self.journal.clone())
            .flatten();
        let note = |entry: &PendingRemoval| {
            if let Some(j) = &journal
                && let Err(e) = j.record(entry)
            {
                tracing::warn!("cannot write the removal journal: {e}");
            }
        };
        note(&entry);
        let mut snap = snapshot_id.to_owned();
        for chunk in plan.remove_uris.chunks(MAX_ITEMS_PER_REQUEST) {
            let s = (!snap.is_empty()).then_some(snap.as_str());
            match self.remove_items(id, chunk, s).await {
                Ok(new) => snap = new,
                Err(e) => {
                    // Nothing changed: nothing to finish later.
                    if self.playlist_snapshot(id).await.is_ok_and(|s| s == now)
                        && let Some(j) = &journal
                    {
                        let _ = j.remove(&entry.id);
                    }
                    return Err(e);
                }
            }
        }
        entry.removed = true;
        note(&entry);
        while let Some((pos, uris)) = entry.reinserts.first().cloned() {
            match self.reinsert_with_retry(id, &uris, pos, &snap).await {
                Ok(new) => {
                    snap = new;
                    entry.reinserts.remove(0);
                    note(&entry);
                }
                Err(e) => {
                    tracing::warn!("re-inserting removed copies failed: {e}");
                    let later = if journal.is_some() {
                        "spotdeck tries again at the next start"
                    } else {
                        "add them back by hand"
                    };
                    return Err(ApiError::InvalidArgument(format!(
                        "Removed, but the copies that should stay could not be put back ({}): {}. {later}.",
                        e.sentence(),
                        entry.describe()
                    )));
                }
            }
        }
        if let Some(j) = &journal
            && let Err(e) = j.remove(&entry.id)
        {
            tracing::warn!("cannot update the removal journal: {e}");
        }
        Ok(snap)
    }

    /// Finishes a journalled removal: `Ok(true)` when copies were put back,
    /// `Ok(false)` when the removal had not happened (the entry is dropped
    /// either way); an error leaves the entry for the next try.
    pub async fn resume_removal(
        &self,
        entry: &PendingRemoval,
        journal: &Journal,
    ) -> Result<bool, ApiError> {
        let mut entry = entry.clone();
        let mut snap = self.playlist_snapshot(&entry.playlist_id).await?;
        if !entry.removed {
            if snap == entry.before_snapshot {
                journal.remove(&entry.id).map_err(journal_error)?;
                return Ok(false);
            }
            entry.removed = true;
        }
        while let Some((pos, uris)) = entry.reinserts.first().cloned() {
            snap = self
                .reinsert_with_retry(&entry.playlist_id, &uris, pos, &snap)
                .await?;
            entry.reinserts.remove(0);
            journal.record(&entry).map_err(journal_error)?;
        }
        journal.remove(&entry.id).map_err(journal_error)?;
        Ok(true)
    }

    /// `add_items` retried with backoff on 5xx, timeouts and connection
    /// errors. Before each retry the snapshot is compared with `before`: a
    /// changed one means the failed attempt was applied after all.
    async fn reinsert_with_retry(
        &self,
        id: &str,
        uris: &[String],
        pos: u32,
        before: &str,
    ) -> Result<String, ApiError> {
        let mut attempt = 0u32;
        loop {
            let err = match self.add_items(id, uris, Some(pos)).await {
                Ok(s) => return Ok(s),
                Err(e) => e,
            };
            let transient = matches!(
                err,
                ApiError::Server { .. } | ApiError::Network(_) | ApiError::Timeout
            ) || matches!(err, ApiError::RateLimited { .. });
            if !transient || attempt >= REINSERT_RETRIES {
                return Err(err);
            }
            attempt += 1;
            tokio::time::sleep(self.t.backoff(attempt)).await;
            if let Ok(now) = self.playlist_snapshot(id).await
                && now != before
            {
                tracing::info!("the failed re-insert was applied after all");
                return Ok(now);
            }
        }
    }

    /// `PUT /playlists/{id}/items` reorder: moves `range_length` items from
    /// `range_start` to before `insert_before`.
    pub async fn reorder_items(
        &self,
        id: &str,
        range_start: u32,
        insert_before: u32,
        range_length: u32,
        snapshot_id: Option<&str>,
    ) -> Result<String, ApiError> {
        if range_length == 0 {
            return Err(ApiError::InvalidArgument("range_length must be ≥ 1".into()));
        }
        let mut body = json!({
            "range_start": range_start,
            "insert_before": insert_before,
            "range_length": range_length,
        });
        if let Some(s) = snapshot_id {
            body["snapshot_id"] = json!(s);
        }
        let r = self
            .items_call(id, |path, _| Req::new(Method::PUT, path).json(body.clone()))
            .await?;
        snapshot(&r)
    }

    /// `PUT /playlists/{id}/items` replace: sets the items to `uris` (0–100).
    pub async fn replace_items(&self, id: &str, uris: &[String]) -> Result<String, ApiError> {
        if uris.len() > MAX_ITEMS_PER_REQUEST {
            return Err(ApiError::InvalidArgument(format!(
                "at most {MAX_ITEMS_PER_REQUEST} items per request, got {}",
                uris.len()
            )));
        }
        let body = json!({ "uris": uris });
        let r = self
            .items_call(id, |path, _| Req::new(Method::PUT, path).json(body.clone()))
            .await?;
        snapshot(&r)
    }

    /// One page of `GET /me/playlists` (limit 1–50), or of the older
    /// `/users/{id}/playlists` where `/me/playlists` is unavailable.
    pub async fn my_playlists(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<Page<SimplifiedPlaylist>, ApiError> {
        let r = self
            .my_playlists_call(|path| {
                Req::new(Method::GET, path)
                    .q("offset", offset)
                    .q("limit", limit.clamp(1, PLAYLISTS_PAGE_LIMIT))
            })
            .await?;
        decode(&r)
    }

    /// One page of `GET /users/{user_id}/playlists` (deprecated).
    pub async fn user_playlists(
        &self,
        user_id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<Page<SimplifiedPlaylist>, ApiError> {
        self.get(
            Req::new(Method::GET, format!("/users/{}/playlists", seg(user_id)))
                .q("offset", offset)
                .q("limit", limit.clamp(1, PLAYLISTS_PAGE_LIMIT)),
        )
        .await
    }

    /// `POST /me/playlists`, falling back to `POST /users/{id}/playlists`
    /// (the current user's id is looked up when needed; the choice is
    /// remembered for the session).
    pub async fn create_playlist(&self, p: &NewPlaylist) -> Result<Playlist, ApiError> {
        if p.name.trim().is_empty() {
            return Err(ApiError::InvalidArgument("the name cannot be empty".into()));
        }
        // The API creates playlists public unless told otherwise.
        refuse_public_collaborative(p.public != Some(false), p.collaborative == Some(true))?;
        let mut body = json!({ "name": p.name });
        if let Some(v) = p.public {
            body["public"] = json!(v);
        }
        if let Some(v) = p.collaborative {
            body["collaborative"] = json!(v);
        }
        if let Some(v) = &p.description {
            body["description"] = json!(v);
        }
        let r = self
            .my_playlists_call(|path| Req::new(Method::POST, path).json(body.clone()))
            .await?;
        decode(&r)
    }

    /// Unfollows (removes from the library) a playlist:
    /// `DELETE /me/library?uris=spotify:playlist:{id}`, falling back to the
    /// deprecated `DELETE /playlists/{id}/followers`.
    pub async fn unfollow_playlist(&self, id: &str) -> Result<(), ApiError> {
        let req =
            Req::new(Method::DELETE, "/me/library").q("uris", crate::domain::playlist_uri(id));
        match self.send(req).await {
            Ok(_) => Ok(()),
            Err(e) if unavailable(&e) => self
                .send(Req::new(
                    Method::DELETE,
                    format!("/playlists/{}/followers", seg(id)),
                ))
                .await
                .map(drop),
            Err(e) => Err(e),
        }
    }

    /// A browse request; once featured playlists answered 404/405 (the
    /// browse endpoints are gone for this app) none is asked again this
    /// session. A missing category (also 404) teaches nothing.
    async fn browse(&self, req: Req, learn: bool) -> Result<FeaturedPlaylists, ApiError> {
        if self.browse_gone.load(Ordering::Relaxed) {
            return Err(ApiError::NotFound {
                message: "Spotify does not offer browse playlists to this app".into(),
            });
        }
        let r = self.get(req).await;
        if let Err(e) = &r
            && learn
            && unavailable(e)
        {
            tracing::info!("browse endpoints unavailable ({e}); not asking again");
            self.browse_gone.store(true, Ordering::Relaxed);
        }
        r
    }

    /// `GET /browse/featured-playlists` (deprecated; 404 for new apps).
    pub async fn featured_playlists(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<FeaturedPlaylists, ApiError> {
        self.browse(
            Req::new(Method::GET, "/browse/featured-playlists")
                .q("offset", offset)
                .q("limit", limit.clamp(1, PLAYLISTS_PAGE_LIMIT)),
            true,
        )
        .await
    }

    /// `GET /browse/categories/{id}/playlists` (deprecated; 404 for new apps).
    pub async fn category_playlists(
        &self,
        category_id: &str,
        offset: u32,
        limit: u32,
    ) -> Result<FeaturedPlaylists, ApiError> {
        self.browse(
            Req::new(
                Method::GET,
                format!("/browse/categories/{}/playlists", seg(category_id)),
            )
            .q("offset", offset)
            .q("limit", limit.clamp(1, PLAYLISTS_PAGE_LIMIT)),
            false,
        )
        .await
    }

    /// `GET /playlists/{id}/images`.
    pub async fn playlist_cover(&self, id: &str) -> Result<Vec<Image>, ApiError> {
        let r = self
            .send(Req::new(
                Method::GET,
                format!("/playlists/{}/images", seg(id)),
            ))
            .await?;
        if r.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        let v: Option<Vec<Image>> = decode(&r)?;
        Ok(v.unwrap_or_default())
    }

    /// `PUT /playlists/{id}/images` with a JPEG; checks the Base64 size
    /// (≤ 256 KB) and the JPEG signature before sending.
    pub async fn upload_cover(&self, id: &str, jpeg: &[u8]) -> Result<(), ApiError> {
        if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Err(ApiError::InvalidArgument(
                "the cover must be a JPEG image".into(),
            ));
        }
        let b64 = base64::engine::general_purpose::STANDARD.encode(jpeg);
        if b64.len() > MAX_COVER_BASE64_BYTES {
            return Err(ApiError::InvalidArgument(format!(
                "the cover is too large: {} KB encoded, the limit is 256 KB",
                b64.len().div_ceil(1024)
            )));
        }
        self.send(
            Req::new(Method::PUT, format!("/playlists/{}/images", seg(id))).text(b64, "image/jpeg"),
        )
        .await
        .map(drop)
    }

    /// Downloads image bytes (cover art). No `Authorization` header is sent
    /// to hosts other than the API.
    pub async fn image_bytes(&self, url: &str) -> Result<Bytes, ApiError> {
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return Err(ApiError::InvalidArgument(format!(
                "not an image URL: {url:?}"
            )));
        }
        Ok(self.send(Req::new(Method::GET, url).image()).await?.body)
    }
}
