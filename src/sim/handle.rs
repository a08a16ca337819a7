//! The test and demo API of a running simulator ([`SimHandle`]).

use std::time::{Duration, Instant};

use super::accounts::{ALL_SCOPES, Client, DEMO_CLIENT_ID, Grant, RefreshRotation};
use super::catalog::ItemRef;
use super::faults::FaultSpec;
use super::log::RequestRecord;
use super::ratelimit::Window;
use super::state::DEMO_USER_ID;
use super::{SimHandle, state::Entry};

/// A snapshot of the playback session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybackInfo {
    /// Active device id (`None` also for a device with a null id).
    pub device_id: Option<String>,
    /// Active device name.
    pub device_name: Option<String>,
    /// Playing or paused.
    pub is_playing: bool,
    /// URI of the current item.
    pub item_uri: Option<String>,
    /// URI of the context.
    pub context_uri: Option<String>,
    /// Progress now.
    pub progress_ms: u64,
    /// Active device volume.
    pub volume_percent: Option<u8>,
    /// Shuffle flag.
    pub shuffle: bool,
    /// `off`, `track` or `context`.
    pub repeat: String,
    /// URIs added with "add to queue", in order.
    pub queue: Vec<String>,
}

/// A snapshot of one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// API id (may be `None`).
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// Type.
    pub kind: String,
    /// Whether it is the active device.
    pub is_active: bool,
    /// Volume.
    pub volume_percent: Option<u8>,
    /// Whether commands are refused.
    pub is_restricted: bool,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.shared.base.clone()
    }

    /// Base URL of the simulated Web API (`…/v1`).
    pub fn api_base(&self) -> String {
        format!("{}/v1", self.shared.base)
    }

    /// Base URL of the simulated Accounts service.
    pub fn accounts_base(&self) -> String {
        self.shared.base.clone()
    }

    /// An access token with every scope that does not expire for years (demo mode).
    pub fn demo_token(&self) -> String {
        self.shared.demo_token.clone()
    }

    /// Client id of the registered demo app.
    pub fn demo_client_id(&self) -> &'static str {
        DEMO_CLIENT_ID
    }

    // ----- Accounts -----

    /// Registers another app. `secret: None` makes a public (PKCE-only) client.
    pub fn register_client(&self, client_id: &str, secret: Option<&str>, redirect_uris: &[&str]) {
        self.shared.lock().auth.clients.insert(
            client_id.to_string(),
            Client {
                secret: secret.map(str::to_string),
                redirect_uris: redirect_uris.iter().map(|s| s.to_string()).collect(),
            },
        );
    }

    /// Lifetime (`expires_in`) of access tokens issued from now on.
    pub fn set_token_lifetime(&self, secs: u64) {
        self.shared.lock().auth.token_lifetime_secs = secs;
    }

    /// Expires every access token issued so far (including the demo token).
    pub fn expire_access_tokens_now(&self) {
        let mut st = self.shared.lock();
        let now = st.now();
        st.auth.expire_all(now);
    }

    /// Revokes a refresh token; true if it was valid.
    pub fn revoke_refresh_token(&self, refresh_token: &str) -> bool {
        self.shared.lock().auth.revoke_refresh(refresh_token)
    }

    /// Issues a PKCE refresh token for the demo client with every scope,
    /// as a finished login would (tests that start from a stored login).
    pub fn issue_refresh_token(&self) -> String {
        let scopes: Vec<String> = ALL_SCOPES.iter().map(|s| s.to_string()).collect();
        self.shared
            .lock()
            .auth
            .issue_refresh(DEMO_CLIENT_ID, &scopes, true)
    }

    /// The next `count` Web API requests with `method` (e.g. `"POST"`)
    /// answer `status`; other requests are not affected.
    pub fn server_error_next_for(&self, method: &str, count: u32, status: u16) {
        self.shared.faults().method_error_next = Some((method.to_string(), count, status));
    }

    /// Number of `POST /api/token` requests so far.
    pub fn token_request_count(&self) -> usize {
        self.shared.lock().auth.token_requests
    }

    /// When refreshing hands out a new refresh token (default: PKCE clients only).
    pub fn set_refresh_rotation(&self, rotation: RefreshRotation) {
        self.shared.lock().auth.rotation = rotation;
    }

    /// Skip the consent page unless `show_dialog=true` (default false).
    pub fn set_auto_approve(&self, on: bool) {
        self.shared.lock().auth.auto_approve = on;
    }

    /// Accept the legacy implicit grant `response_type=token` (default true).
    pub fn set_implicit_grant_allowed(&self, on: bool) {
        self.shared.lock().auth.implicit_allowed = on;
    }

    /// Issues a user access token with exactly these scopes.
    pub fn issue_user_token(&self, scopes: &[&str]) -> String {
        let mut st = self.shared.lock();
        let now = st.now();
        let life = Duration::from_secs(st.auth.token_lifetime_secs);
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        st.auth
            .issue_access(DEMO_CLIENT_ID, Grant::User, &scopes, life, now)
    }

    /// Issues a user access token with every scope and the configured lifetime.
    pub fn issue_full_token(&self) -> String {
        self.issue_user_token(&ALL_SCOPES)
    }

    /// Issues an app-only (client-credentials) token.
    pub fn issue_app_token(&self) -> String {
        let mut st = self.shared.lock();
        let now = st.now();
        let life = Duration::from_secs(st.auth.token_lifetime_secs);
        st.auth
            .issue_access(DEMO_CLIENT_ID, Grant::App, &[], life, now)
    }

    // ----- Faults -----

    /// The next `count` Web API requests get 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limit_next(&self, count: u32, retry_after_secs: u64) {
        self.shared.faults().rate_limit_next = (count > 0).then_some((count, retry_after_secs));
    }

    /// Every Web API request during `duration` gets 429 with `Retry-After: retry_after_secs`.
    pub fn rate_limit_for(&self, duration: Duration, retry_after_secs: u64) {
        self.shared.faults().rate_limit_until = Some((Instant::now() + duration, retry_after_secs));
    }

    /// The next `count` Web API requests get `status` (500, 502, 503…).
    pub fn server_error_next(&self, count: u32, status: u16) {
        self.shared.faults().server_error_next = (count > 0).then_some((count, status));
    }

    /// The next `count` Web API requests are dropped: the connection closes unanswered.
    pub fn drop_connections_next(&self, count: u32) {
        self.shared.faults().drop_next = count;
    }

    /// The next `count` JSON bodies from the Web API are cut in half.
    pub fn malformed_json_next(&self, count: u32) {
        self.shared.faults().malformed_next = count;
    }

    /// Latency added to every request from now on.
    pub fn set_latency_ms(&self, ms: u64) {
        self.shared.faults().latency_ms = ms;
    }

    /// The next `count` requests wait `ms` extra milliseconds.
    pub fn latency_spike_next(&self, count: u32, ms: u64) {
        self.shared.faults().spike_next = (count > 0).then_some((count, ms));
    }

    /// The next `count` player commands answer 202 (device waking up); the command still applies.
    pub fn device_waking_next(&self, count: u32) {
        self.shared.faults().waking_next = count;
    }

    /// A rolling rate limit per app (`None` turns it off): more than
    /// `max_requests` inside `window` answer 429 with `Retry-After`.
    pub fn set_rate_limit(&self, limit: Option<Window>) {
        self.shared.limiter().rolling = limit;
    }

    /// A quota per app (`None` turns it off): past it, 429 with
    /// `"reason": "QUOTA_EXCEEDED"` and `Retry-After` until it frees up.
    pub fn set_quota(&self, quota: Option<Window>) {
        self.shared.limiter().quota = quota;
    }

    /// Makes a Web API path answer 404 as a removed endpoint would
    /// (`*` matches one segment, e.g. `/v1/playlists/*/items`).
    pub fn remove_endpoint(&self, path: &str) {
        self.shared.faults().removed.push(path.to_string());
    }

    /// Applies one fault switch given in text form.
    pub fn apply_fault(&self, spec: &FaultSpec) {
        match spec {
            FaultSpec::RateLimit(w) => self.set_rate_limit(Some(*w)),
            FaultSpec::Quota(w) => self.set_quota(Some(*w)),
            FaultSpec::RateLimitNext(n, secs) => self.rate_limit_next(*n, *secs),
            FaultSpec::ServerErrorNext(n, status) => self.server_error_next(*n, *status),
            FaultSpec::DropNext(n) => self.drop_connections_next(*n),
            FaultSpec::MalformedNext(n) => self.malformed_json_next(*n),
            FaultSpec::Latency(ms) => self.set_latency_ms(*ms),
            FaultSpec::SpikeNext(n, ms) => self.latency_spike_next(*n, *ms),
            FaultSpec::WakingNext(n) => self.device_waking_next(*n),
            FaultSpec::Removed(p) => self.remove_endpoint(p),
            FaultSpec::Clear => self.clear_faults(),
        }
    }

    /// Clears every fault, the rate limit and the quota (keeps the latency setting).
    pub fn clear_faults(&self) {
        let mut f = self.shared.faults();
        let latency = f.latency_ms;
        *f = Default::default();
        f.latency_ms = latency;
        self.shared.limiter().clear();
    }

    // ----- Request log -----

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.log().clone()
    }

    /// Empties the request log.
    pub fn clear_log(&self) {
        self.shared.log().clear();
    }

    // ----- State -----

    /// Item URIs of a playlist in order.
    pub fn playlist_uris(&self, playlist_id: &str) -> Option<Vec<String>> {
        let st = self.shared.lock();
        let p = st.playlists.get(playlist_id)?;
        Some(p.entries.iter().map(|e| st.catalog.uri(e.item)).collect())
    }

    /// Current snapshot id of a playlist.
    pub fn playlist_snapshot_id(&self, playlist_id: &str) -> Option<String> {
        self.shared
            .lock()
            .playlists
            .get(playlist_id)
            .map(|p| p.snapshot_id())
    }

    /// Name of a playlist.
    pub fn playlist_name(&self, playlist_id: &str) -> Option<String> {
        self.shared
            .lock()
            .playlists
            .get(playlist_id)
            .map(|p| p.name.clone())
    }

    /// Simulates another client editing a playlist: appends a track and changes the snapshot.
    pub fn edit_playlist_elsewhere(&self, playlist_id: &str) -> bool {
        let mut st = self.shared.lock();
        let now = st.wall_ms() / 1000;
        let Some(p) = st.playlists.get_mut(playlist_id) else {
            return false;
        };
        let item = ItemRef::Track((p.version as usize * 7) % 80);
        p.entries.push(Entry {
            item,
            added_at: now,
            by_curator: true,
        });
        p.version += 1;
        true
    }

    /// The playback session now; `None` when no device is active.
    pub fn playback(&self) -> Option<PlaybackInfo> {
        let mut st = self.shared.lock();
        st.sync();
        let d = st.active_device()?.clone();
        let pb = &st.playback;
        Some(PlaybackInfo {
            device_id: d.id.clone(),
            device_name: Some(d.name.clone()),
            is_playing: pb.is_playing,
            item_uri: pb.current.map(|c| st.catalog.uri(c)),
            context_uri: pb.context_uri.clone(),
            progress_ms: pb.progress_ms,
            volume_percent: d.volume_percent,
            shuffle: pb.shuffle,
            repeat: pb.repeat.as_str().to_string(),
            queue: pb.queue.iter().map(|i| st.catalog.uri(*i)).collect(),
        })
    }

    /// All devices.
    pub fn devices(&self) -> Vec<DeviceInfo> {
        let st = self.shared.lock();
        st.devices
            .iter()
            .map(|d| DeviceInfo {
                id: d.id.clone(),
                name: d.name.clone(),
                kind: d.kind.clone(),
                is_active: st.playback.device == Some(d.key),
                volume_percent: d.volume_percent,
                is_restricted: d.is_restricted,
            })
            .collect()
    }

    /// Adds an unrestricted device with volume 50; returns its id.
    pub fn add_device(&self, name: &str, kind: &str) -> String {
        let mut st = self.shared.lock();
        let n = st.devices.len() as u64 + 100;
        let id = super::ids::hex40_id(name, n);
        st.add_device(Some(&id), name, kind, Some(50), true, false);
        id
    }

    /// Removes a device by id; if it was active, nothing is active any more.
    pub fn remove_device(&self, id: &str) -> bool {
        let mut st = self.shared.lock();
        let Some(pos) = st.devices.iter().position(|d| d.id.as_deref() == Some(id)) else {
            return false;
        };
        let key = st.devices.remove(pos).key;
        if st.playback.device == Some(key) {
            st.playback.device = None;
            st.playback.is_playing = false;
        }
        true
    }

    /// Makes no device active (the API then answers 204 to `GET /me/player`).
    pub fn deactivate_all_devices(&self) {
        let mut st = self.shared.lock();
        st.sync();
        st.playback.device = None;
        st.playback.is_playing = false;
        st.touch();
    }

    /// Makes a device active as if the user picked it in another app.
    pub fn activate_device(&self, id: &str) -> bool {
        let mut st = self.shared.lock();
        st.sync();
        let Some(key) = st.device_by_id(id).map(|d| d.key) else {
            return false;
        };
        st.playback.device = Some(key);
        st.touch();
        true
    }

    /// Sets whether the account is Premium (player commands need it).
    pub fn set_premium(&self, premium: bool) {
        self.shared.lock().premium = premium;
    }

    /// Switches the February-2026 development-mode rules.
    pub fn set_dev_mode_2026(&self, on: bool) {
        self.shared.lock().dev_mode_2026 = on;
    }

    /// Pauses as if from another app.
    pub fn pause_externally(&self) {
        let mut st = self.shared.lock();
        st.sync();
        st.playback.is_playing = false;
        st.touch();
    }

    /// Resumes as if from another app (needs an active device and a loaded item).
    pub fn resume_externally(&self) {
        let mut st = self.shared.lock();
        st.sync();
        if st.playback.device.is_some() && st.playback.current.is_some() {
            st.playback.is_playing = true;
            st.playback.anchor = st.now();
            st.touch();
        }
    }

    /// Moves the simulated clock forward (progress, track ends, token expiry).
    pub fn advance_clock(&self, by: Duration) {
        let mut st = self.shared.lock();
        st.sync();
        st.clock_offset += by;
        st.sync();
    }

    /// The demo user's id.
    pub fn user_id(&self) -> &'static str {
        DEMO_USER_ID
    }
}
