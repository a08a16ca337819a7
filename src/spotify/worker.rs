//! The request scheduler: the rest of the app reaches the Web API only by
//! sending [`ApiRequest`]s and receiving [`WorkerEvent`]s.
//!
//! Rules:
//! - higher [`Priority`] first, FIFO within a priority; at most
//!   `max_in_flight` requests (4) run at once;
//! - a read (playback, devices, queue, …) equal to one already queued or in
//!   flight is not sent again: it is answered [`Payload::Coalesced`] (and
//!   the queued one inherits the higher priority);
//! - a new `Volume` or `Seek` supersedes queued (not yet sent) ones of the
//!   same kind, which are answered `Coalesced`;
//! - while a short rate-limit block lasts nothing is dispatched, so the most
//!   important request goes first when it ends;
//! - paged calls answer their first page at once and stream the rest as
//!   further responses with the same id (`done: true` on the last); pages
//!   are fetched `page_concurrency` (8) at a time and delivered in order.
//!   An `Err` response ends a paged call.

use std::collections::HashMap;
use std::time::Instant;

use futures::StreamExt;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::client::{
    Client, MAX_ITEMS_PER_REQUEST, NewPlaylist, PLAYLISTS_PAGE_LIMIT, PlayArgs, PlaylistDetails,
};
use super::error::ApiError;
use super::model::{
    Device, FeaturedPlaylists, Image, PlaybackState, Playlist, PlaylistItem, Queue, RecentlyPlayed,
    RepeatState, SimplifiedPlaylist, User,
};

/// How urgent a request is; ordered low → high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// Prefetching, cover art of off-screen items.
    Background,
    /// Data for the pane on screen.
    VisiblePane,
    /// Periodic playback/device polls.
    Poll,
    /// A key the user pressed.
    User,
}

/// What to call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `GET /me/player` → [`Payload::Playback`].
    GetPlayback,
    /// `GET /me/player/devices` → [`Payload::Devices`].
    GetDevices,
    /// `GET /me/player/queue` → [`Payload::Queue`].
    GetQueue,
    /// `GET /me/player/recently-played` → [`Payload::Recent`].
    GetRecent {
        /// 1–50.
        limit: u8,
    },
    /// `GET /me` → [`Payload::Me`].
    GetMe,
    /// Start/resume → [`Payload::Done`].
    Play(PlayArgs),
    /// Pause → `Done`.
    Pause {
        /// Target device.
        device_id: Option<String>,
    },
    /// Next → `Done`.
    Next {
        /// Target device.
        device_id: Option<String>,
    },
    /// Previous → `Done`.
    Previous {
        /// Target device.
        device_id: Option<String>,
    },
    /// Seek → `Done`.
    Seek {
        /// Position in ms.
        position_ms: u64,
        /// Target device.
        device_id: Option<String>,
    },
    /// Volume → `Done`.
    Volume {
        /// 0–100.
        percent: u8,
        /// Target device.
        device_id: Option<String>,
    },
    /// Shuffle → `Done`.
    Shuffle {
        /// On or off.
        on: bool,
        /// Target device.
        device_id: Option<String>,
    },
    /// Repeat → `Done`.
    Repeat {
        /// Mode.
        mode: RepeatState,
        /// Target device.
        device_id: Option<String>,
    },
    /// Transfer playback → `Done`.
    Transfer {
        /// Device id.
        device_id: String,
        /// Start playing there.
        play: bool,
    },
    /// Add to queue → `Done`.
    AddToQueue {
        /// Track or episode URI.
        uri: String,
        /// Target device.
        device_id: Option<String>,
    },
    /// All of the user's playlists → streamed [`Payload::PlaylistsPage`]s.
    GetMyPlaylists,
    /// One playlist → [`Payload::Playlist`].
    GetPlaylist {
        /// Playlist id.
        id: String,
    },
    /// All items of a playlist → streamed [`Payload::ItemsPage`]s.
    GetPlaylistItems {
        /// Playlist id.
        id: String,
    },
    /// Add items (any number; sent 100 at a time) → [`Payload::Snapshot`].
    AddItems {
        /// Playlist id.
        playlist_id: String,
        /// URIs.
        uris: Vec<String>,
        /// Insert position; `None` appends.
        position: Option<u32>,
    },
    /// Remove items by position (also one copy of a duplicate) → `Snapshot`.
    RemoveItems {
        /// Playlist id.
        playlist_id: String,
        /// 0-based positions to remove.
        positions: Vec<u32>,
        /// The URIs of the whole playlist as loaded (`""` for unavailable entries).
        current_uris: Vec<String>,
        /// Snapshot the positions refer to.
        snapshot_id: String,
    },
    /// Move a range → `Snapshot`.
    ReorderItems {
        /// Playlist id.
        playlist_id: String,
        /// First position to move.
        range_start: u32,
        /// Position to insert before (in the list before the move).
        insert_before: u32,
        /// How many items.
        range_length: u32,
        /// Snapshot the positions refer to.
        snapshot_id: Option<String>,
    },
    /// Replace all items (any number) → `Snapshot`.
    ReplaceItems {
        /// Playlist id.
        playlist_id: String,
        /// New contents.
        uris: Vec<String>,
    },
    /// Change name/description/public/collaborative → `Done`.
    ChangeDetails {
        /// Playlist id.
        playlist_id: String,
        /// Changes.
        details: PlaylistDetails,
    },
    /// Create a playlist → [`Payload::Created`].
    CreatePlaylist(NewPlaylist),
    /// Unfollow (remove from library) → `Done`.
    Unfollow {
        /// Playlist id.
        playlist_id: String,
    },
    /// Cover images → [`Payload::Cover`].
    GetCover {
        /// Playlist id.
        playlist_id: String,
    },
    /// Upload a JPEG cover → `Done`.
    UploadCover {
        /// Playlist id.
        playlist_id: String,
        /// JPEG bytes (≤ 192 KB raw, 256 KB Base64).
        jpeg: Vec<u8>,
    },
    /// Featured playlists (first 50) → [`Payload::Featured`].
    GetFeatured,
    /// A category's playlists (first 50) → `Featured`.
    GetCategoryPlaylists {
        /// Category id.
        category_id: String,
    },
    /// Image bytes → [`Payload::Image`].
    FetchImage {
        /// Image URL.
        url: String,
    },
}

impl Call {
    /// Reads answered `Coalesced` when an equal one is queued or in flight.
    pub fn is_dedupable_read(&self) -> bool {
        matches!(
            self,
            Call::GetPlayback
                | Call::GetDevices
                | Call::GetQueue
                | Call::GetRecent { .. }
                | Call::GetMe
                | Call::GetCover { .. }
                | Call::GetFeatured
                | Call::GetCategoryPlaylists { .. }
                | Call::FetchImage { .. }
        )
    }

    /// Commands where only the newest queued one matters.
    pub fn is_supersedable(&self) -> bool {
        matches!(self, Call::Volume { .. } | Call::Seek { .. })
    }

    /// A short name for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Call::GetPlayback => "get_playback",
            Call::GetDevices => "get_devices",
            Call::GetQueue => "get_queue",
            Call::GetRecent { .. } => "get_recent",
            Call::GetMe => "get_me",
            Call::Play(_) => "play",
            Call::Pause { .. } => "pause",
            Call::Next { .. } => "next",
            Call::Previous { .. } => "previous",
            Call::Seek { .. } => "seek",
            Call::Volume { .. } => "volume",
            Call::Shuffle { .. } => "shuffle",
            Call::Repeat { .. } => "repeat",
            Call::Transfer { .. } => "transfer",
            Call::AddToQueue { .. } => "add_to_queue",
            Call::GetMyPlaylists => "get_my_playlists",
            Call::GetPlaylist { .. } => "get_playlist",
            Call::GetPlaylistItems { .. } => "get_playlist_items",
            Call::AddItems { .. } => "add_items",
            Call::RemoveItems { .. } => "remove_items",
            Call::ReorderItems { .. } => "reorder_items",
            Call::ReplaceItems { .. } => "replace_items",
            Call::ChangeDetails { .. } => "change_details",
            Call::CreatePlaylist(_) => "create_playlist",
            Call::Unfollow { .. } => "unfollow",
            Call::GetCover { .. } => "get_cover",
            Call::UploadCover { .. } => "upload_cover",
            Call::GetFeatured => "get_featured",
            Call::GetCategoryPlaylists { .. } => "get_category_playlists",
            Call::FetchImage { .. } => "fetch_image",
        }
    }
}

/// A request to the worker. `id` is chosen by the sender and echoed back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// Correlation id.
    pub id: u64,
    /// Urgency.
    pub priority: Priority,
    /// What to call.
    pub call: Call,
}

/// A successful result.
// Moved through a channel once; boxing would only add noise for the reader.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// Playback state; `None` when nothing is active (204).
    Playback(Option<PlaybackState>),
    /// Devices.
    Devices(Vec<Device>),
    /// The queue.
    Queue(Queue),
    /// Recently played.
    Recent(RecentlyPlayed),
    /// The user's profile.
    Me(User),
    /// One page of the user's playlists.
    PlaylistsPage {
        /// Offset of `items[0]`.
        offset: u32,
        /// Total number of playlists.
        total: u32,
        /// The playlists (null entries skipped).
        items: Vec<SimplifiedPlaylist>,
        /// Last page of this call.
        done: bool,
    },
    /// A playlist.
    Playlist(Box<Playlist>),
    /// One page of a playlist's items; position of `items[i]` = `offset + i`.
    ItemsPage {
        /// Playlist id.
        playlist_id: String,
        /// Snapshot the pages were read at (from the playlist object).
        snapshot_id: String,
        /// Offset of `items[0]`.
        offset: u32,
        /// Total number of items.
        total: u32,
        /// The items (unavailable entries kept, with `item: None`).
        items: Vec<PlaylistItem>,
        /// Last page of this call.
        done: bool,
    },
    /// New snapshot id after an edit.
    Snapshot(String),
    /// A created playlist.
    Created(Box<Playlist>),
    /// Cover images.
    Cover(Vec<Image>),
    /// Featured or category playlists (first page).
    Featured(FeaturedPlaylists),
    /// Image bytes.
    Image(bytes::Bytes),
    /// A command succeeded (204/200 without a body of interest).
    Done,
    /// Not sent: superseded by, or merged into, an equal or newer request.
    Coalesced,
}

/// A result for one request (paged calls send several).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse {
    /// The request's id.
    pub id: u64,
    /// The request's call, echoed.
    pub call: Call,
    /// What happened.
    pub result: Result<Payload, ApiError>,
}

/// What the worker reports.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerEvent {
    /// A result.
    Response(ApiResponse),
    /// Spotify asked us to wait; nothing is sent before `until`.
    RateLimited {
        /// End of the block.
        until: Instant,
    },
    /// The rate-limit block is over.
    RateLimitOver,
}

/// Scheduler limits.
#[derive(Debug, Clone, Copy)]
pub struct WorkerOptions {
    /// Requests running at once (a paged call counts as one).
    pub max_in_flight: usize,
    /// Pages fetched at once inside a paged call.
    pub page_concurrency: usize,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            max_in_flight: 4,
            page_concurrency: 8,
        }
    }
}

/// Starts the worker with default limits; it ends when `cancel` fires or
/// when `rx` is closed and all work is done.
pub fn spawn(
    client: Client,
    rx: UnboundedReceiver<ApiRequest>,
    tx: UnboundedSender<WorkerEvent>,
    cancel: CancellationToken,
) -> JoinHandle<()> {
    spawn_with(client, rx, tx, cancel, WorkerOptions::default())
}

/// Starts the worker with explicit limits.
pub fn spawn_with(
    client: Client,
    rx: UnboundedReceiver<ApiRequest>,
    tx: UnboundedSender<WorkerEvent>,
    cancel: CancellationToken,
    opts: WorkerOptions,
) -> JoinHandle<()> {
    tokio::spawn(run(client, rx, tx, cancel, opts))
}

struct Queued {
    seq: u64,
    req: ApiRequest,
}

fn respond(
    tx: &UnboundedSender<WorkerEvent>,
    id: u64,
    call: Call,
    result: Result<Payload, ApiError>,
) {
    // The app may be gone during shutdown; nothing to do then.
    let _ = tx.send(WorkerEvent::Response(ApiResponse { id, call, result }));
}

async fn run(
    client: Client,
    mut rx: UnboundedReceiver<ApiRequest>,
    tx: UnboundedSender<WorkerEvent>,
    cancel: CancellationToken,
    opts: WorkerOptions,
) {
    let max_in_flight = opts.max_in_flight.max(1);
    let mut queue: Vec<Queued> = Vec::new();
    let mut running: HashMap<u64, Call> = HashMap::new();
    let mut tasks: JoinSet<u64> = JoinSet::new();
    let mut seq: u64 = 0;
    let mut closed = false;
    let mut rl_watch = client.rate_limit_watch();
    let mut blocked: Option<Instant> = None;
    let hold_limit = client.max_rate_limit_wait();
    loop {
        // Dispatch while there is room and no short block is in force.
        let holding = blocked.is_some_and(|t| {
            t.saturating_duration_since(Instant::now()) <= hold_limit && t > Instant::now()
        });
        while !holding && running.len() < max_in_flight {
            let Some(idx) = queue
                .iter()
                .enumerate()
                .max_by(|(_, a), (_, b)| {
                    a.req.priority.cmp(&b.req.priority).then(b.seq.cmp(&a.seq))
                })
                .map(|(i, _)| i)
            else {
                break;
            };
            let q = queue.swap_remove(idx);
            running.insert(q.seq, q.req.call.clone());
            let span = tracing::debug_span!("api_call", id = q.req.id, call = q.req.call.name());
            let (c, t) = (client.clone(), tx.clone());
            let s = q.seq;
            tasks.spawn(
                async move {
                    execute(c, q.req, t, opts.page_concurrency.max(1)).await;
                    s
                }
                .instrument(span),
            );
        }
        if closed && queue.is_empty() && running.is_empty() {
            break;
        }
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            Some(done) = tasks.join_next(), if !tasks.is_empty() => {
                match done {
                    Ok(s) => { running.remove(&s); }
                    Err(e) => {
                        tracing::error!("API task failed: {e}");
                        // The seq is lost with the panic; drop finished entries by count.
                        if running.len() > tasks.len() {
                            let live = running.len() - tasks.len();
                            let keys: Vec<u64> = running.keys().copied().take(live).collect();
                            for k in keys { running.remove(&k); }
                        }
                    }
                }
            }
            changed = rl_watch.changed() => {
                if changed.is_err() { continue; }
                let v = *rl_watch.borrow_and_update();
                match v {
                    Some(until) if until > Instant::now() => {
                        if blocked != Some(until) {
                            blocked = Some(until);
                            let _ = tx.send(WorkerEvent::RateLimited { until });
                        }
                    }
                    _ => {
                        if blocked.take().is_some() {
                            let _ = tx.send(WorkerEvent::RateLimitOver);
                        }
                    }
                }
            }
            _ = sleep_until_opt(blocked) , if blocked.is_some() => {
                blocked = None;
                let _ = tx.send(WorkerEvent::RateLimitOver);
            }
            msg = rx.recv(), if !closed => {
                match msg {
                    Some(req) => admit(req, &mut queue, &running, &mut seq, &tx),
                    None => closed = true,
                }
            }
        }
    }
    tasks.abort_all();
}

async fn sleep_until_opt(t: Option<Instant>) {
    match t {
        Some(t) => tokio::time::sleep_until(t.into()).await,
        None => std::future::pending().await,
    }
}

fn admit(
    req: ApiRequest,
    queue: &mut Vec<Queued>,
    running: &HashMap<u64, Call>,
    seq: &mut u64,
    tx: &UnboundedSender<WorkerEvent>,
) {
    if req.call.is_dedupable_read() {
        if let Some(q) = queue.iter_mut().find(|q| q.req.call == req.call) {
            q.req.priority = q.req.priority.max(req.priority);
            respond(tx, req.id, req.call, Ok(Payload::Coalesced));
            return;
        }
        if running.values().any(|c| *c == req.call) {
            respond(tx, req.id, req.call, Ok(Payload::Coalesced));
            return;
        }
    }
    if req.call.is_supersedable() {
        let kind = std::mem::discriminant(&req.call);
        let mut i = 0;
        while i < queue.len() {
            if std::mem::discriminant(&queue[i].req.call) == kind {
                let old = queue.remove(i);
                respond(tx, old.req.id, old.req.call, Ok(Payload::Coalesced));
            } else {
                i += 1;
            }
        }
    }
    *seq += 1;
    queue.push(Queued { seq: *seq, req });
}

/// Runs one call and sends its response(s).
async fn execute(client: Client, req: ApiRequest, tx: UnboundedSender<WorkerEvent>, pages: usize) {
    let ApiRequest { id, call, .. } = req;
    match &call {
        Call::GetMyPlaylists => stream_playlists(&client, id, &call, &tx, pages).await,
        Call::GetPlaylistItems { id: pid } => {
            stream_items(&client, id, &call, pid, &tx, pages).await;
        }
        _ => {
            let result = single(&client, &call).await;
            if let Err(e) = &result {
                tracing::info!(call = call.name(), "API call failed: {e}");
            }
            respond(&tx, id, call, result);
        }
    }
}

fn dev(d: &Option<String>) -> Option<&str> {
    d.as_deref()
}

async fn single(c: &Client, call: &Call) -> Result<Payload, ApiError> {
    use Payload::{Done, Snapshot};
    Ok(match call {
        Call::GetPlayback => Payload::Playback(c.playback_state().await?),
        Call::GetDevices => Payload::Devices(c.devices().await?),
        Call::GetQueue => Payload::Queue(c.queue().await?),
        Call::GetRecent { limit } => Payload::Recent(c.recently_played(*limit, None, None).await?),
        Call::GetMe => Payload::Me(c.me().await?),
        Call::Play(args) => c.play(args).await.map(|_| Done)?,
        Call::Pause { device_id } => c.pause(dev(device_id)).await.map(|_| Done)?,
        Call::Next { device_id } => c.next(dev(device_id)).await.map(|_| Done)?,
        Call::Previous { device_id } => c.previous(dev(device_id)).await.map(|_| Done)?,
        Call::Seek {
            position_ms,
            device_id,
        } => c.seek(*position_ms, dev(device_id)).await.map(|_| Done)?,
        Call::Volume { percent, device_id } => {
            c.volume(*percent, dev(device_id)).await.map(|_| Done)?
        }
        Call::Shuffle { on, device_id } => c.shuffle(*on, dev(device_id)).await.map(|_| Done)?,
        Call::Repeat { mode, device_id } => c.repeat(*mode, dev(device_id)).await.map(|_| Done)?,
        Call::Transfer { device_id, play } => c.transfer(device_id, *play).await.map(|_| Done)?,
        Call::AddToQueue { uri, device_id } => {
            c.add_to_queue(uri, dev(device_id)).await.map(|_| Done)?
        }
        Call::GetPlaylist { id } => Payload::Playlist(Box::new(c.playlist(id).await?)),
        Call::AddItems {
            playlist_id,
            uris,
            position,
        } => {
            if uris.is_empty() {
                return Err(ApiError::InvalidArgument("no items to add".into()));
            }
            let mut snap = String::new();
            for (n, chunk) in uris.chunks(MAX_ITEMS_PER_REQUEST).enumerate() {
                let pos = position.map(|p| p + (n * MAX_ITEMS_PER_REQUEST) as u32);
                snap = c.add_items(playlist_id, chunk, pos).await?;
            }
            Snapshot(snap)
        }
        Call::RemoveItems {
            playlist_id,
            positions,
            current_uris,
            snapshot_id,
        } => Snapshot(
            c.remove_positions(playlist_id, current_uris, positions, snapshot_id)
                .await?,
        ),
        Call::ReorderItems {
            playlist_id,
            range_start,
            insert_before,
            range_length,
            snapshot_id,
        } => Snapshot(
            c.reorder_items(
                playlist_id,
                *range_start,
                *insert_before,
                *range_length,
                snapshot_id.as_deref(),
            )
            .await?,
        ),
        Call::ReplaceItems { playlist_id, uris } => {
            let (first, rest) = uris.split_at(uris.len().min(MAX_ITEMS_PER_REQUEST));
            let mut snap = c.replace_items(playlist_id, first).await?;
            for chunk in rest.chunks(MAX_ITEMS_PER_REQUEST) {
                snap = c.add_items(playlist_id, chunk, None).await?;
            }
            Snapshot(snap)
        }
        Call::ChangeDetails {
            playlist_id,
            details,
        } => c
            .change_playlist_details(playlist_id, details)
            .await
            .map(|_| Done)?,
        Call::CreatePlaylist(p) => Payload::Created(Box::new(c.create_playlist(p).await?)),
        Call::Unfollow { playlist_id } => c.unfollow_playlist(playlist_id).await.map(|_| Done)?,
        Call::GetCover { playlist_id } => Payload::Cover(c.playlist_cover(playlist_id).await?),
        Call::UploadCover { playlist_id, jpeg } => {
            c.upload_cover(playlist_id, jpeg).await.map(|_| Done)?
        }
        Call::GetFeatured => {
            Payload::Featured(c.featured_playlists(0, PLAYLISTS_PAGE_LIMIT).await?)
        }
        Call::GetCategoryPlaylists { category_id } => Payload::Featured(
            c.category_playlists(category_id, 0, PLAYLISTS_PAGE_LIMIT)
                .await?,
        ),
        Call::FetchImage { url } => Payload::Image(c.image_bytes(url).await?),
        Call::GetMyPlaylists | Call::GetPlaylistItems { .. } => {
            return Err(ApiError::InvalidArgument(
                "paged call routed as single".into(),
            ));
        }
    })
}

/// Offsets of the pages after the first `first_len` entries.
fn rest_offsets(first_len: u32, total: u32, step: u32) -> Vec<u32> {
    if step == 0 {
        return Vec::new();
    }
    (first_len..total).step_by(step as usize).collect()
}

async fn stream_playlists(
    c: &Client,
    id: u64,
    call: &Call,
    tx: &UnboundedSender<WorkerEvent>,
    pages: usize,
) {
    let step = PLAYLISTS_PAGE_LIMIT;
    let first = match c.my_playlists(0, step).await {
        Ok(p) => p,
        Err(e) => return respond(tx, id, call.clone(), Err(e)),
    };
    let total = first.total;
    let offsets = rest_offsets(step.min(total.max(1)), total, step);
    let send_page = |offset: u32, items: Vec<SimplifiedPlaylist>, done: bool| {
        respond(
            tx,
            id,
            call.clone(),
            Ok(Payload::PlaylistsPage {
                offset,
                total,
                items,
                done,
            }),
        );
    };
    send_page(0, first.items, offsets.is_empty());
    let n = offsets.len();
    let mut stream = futures::stream::iter(offsets)
        .map(|off| async move { (off, c.my_playlists(off, step).await) })
        .buffered(pages);
    let mut i = 0;
    while let Some((off, res)) = stream.next().await {
        i += 1;
        match res {
            Ok(p) => send_page(off, p.items, i == n),
            Err(e) => return respond(tx, id, call.clone(), Err(e)),
        }
    }
}

async fn stream_items(
    c: &Client,
    id: u64,
    call: &Call,
    pid: &str,
    tx: &UnboundedSender<WorkerEvent>,
    pages: usize,
) {
    let fail = |e: ApiError| respond(tx, id, call.clone(), Err(e));
    // The playlist object gives the snapshot id and usually the first page.
    let playlist = match c.playlist(pid).await {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let snapshot_id = playlist.snapshot_id.clone();
    let send = |offset: u32, total: u32, items: Vec<PlaylistItem>, done: bool| {
        respond(
            tx,
            id,
            call.clone(),
            Ok(Payload::ItemsPage {
                playlist_id: pid.to_owned(),
                snapshot_id: snapshot_id.clone(),
                offset,
                total,
                items,
                done,
            }),
        );
    };
    let first = match playlist.items {
        Some(p) if p.offset == 0 && (!p.items.is_empty() || p.total == 0) => p,
        _ => match c.playlist_items(pid, 0, None).await {
            Ok(p) => p,
            Err(e) => return fail(e),
        },
    };
    let total = first.total;
    let mut have = first.items.len() as u32;
    send(0, total, first.items, have >= total);
    if have >= total {
        return;
    }
    // The second page settles the page size the server accepts.
    let second = match c.playlist_items(pid, have, None).await {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let step = c.items_page_limit();
    let got = second.items.len() as u32;
    let second_off = have;
    have += got;
    let offsets = if got == 0 {
        Vec::new()
    } else {
        rest_offsets(have, total, step)
    };
    send(second_off, total, second.items, offsets.is_empty());
    let n = offsets.len();
    // Each page is its own task, so requests go out as soon as a slot frees
    // and decoding runs on every core instead of inside this one future.
    let mut stream = futures::stream::iter(offsets)
        .map(|off| {
            let c = c.clone();
            let pid = pid.to_owned();
            tokio::spawn(async move { (off, c.playlist_items(&pid, off, Some(step)).await) })
        })
        .buffered(pages);
    let mut i = 0;
    while let Some(joined) = stream.next().await {
        i += 1;
        match joined {
            Ok((off, Ok(p))) => send(off, total, p.items, i == n),
            Ok((_, Err(e))) => return fail(e),
            Err(e) => return fail(ApiError::Network(format!("page task failed: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_are_ordered() {
        assert!(Priority::User > Priority::Poll);
        assert!(Priority::Poll > Priority::VisiblePane);
        assert!(Priority::VisiblePane > Priority::Background);
    }

    #[test]
    fn rest_offsets_cover_the_playlist() {
        assert_eq!(rest_offsets(100, 10_000, 100).len(), 99);
        assert_eq!(rest_offsets(100, 250, 50), vec![100, 150, 200]);
        assert!(rest_offsets(100, 100, 100).is_empty());
    }
}
