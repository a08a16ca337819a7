//! The request scheduler: the app reaches the Web API only by sending
//! [`ApiRequest`]s and receiving [`WorkerEvent`]s. Every answer is converted
//! to domain values here (see [`super::convert`]).
//!
//! Rules:
//! - higher [`Priority`] first, FIFO within a priority; at most
//!   `max_in_flight` requests (4) run at once;
//! - a read (playback, devices, queue, …) equal to one already queued or in
//!   flight is not sent again: it is answered [`Reply::Coalesced`] (and
//!   the queued one inherits the higher priority);
//! - a new `Volume` or `Seek` supersedes queued (not yet sent) ones of the
//!   same kind, which are answered `Coalesced`;
//! - while a short rate-limit block lasts nothing is dispatched, so the most
//!   important request goes first when it ends;
//! - paged requests answer their first page at once and stream the rest as
//!   further answers with the same id (`done: true` on the last); pages
//!   are fetched `page_concurrency` (8) at a time and delivered in order.
//!   An `Err` answer ends a paged request;
//! - with a [`Cache`], a playlist's items come from disk first
//!   ([`Reply::CachedItems`]) and one `fields=snapshot_id` read decides:
//!   unchanged → [`Reply::ItemsCurrent`], changed → a full load, which is
//!   stored again once every page has arrived;
//! - a positioned playlist edit is guarded here, once: the rows must be the
//!   ones the user saw and the snapshot must not have moved on
//!   ([`Client::ensure_snapshot`]), else it is answered [`ApiError::Conflict`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::task::{self, JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

mod music;

use super::client::{
    Client, MAX_ITEMS_PER_REQUEST, NewPlaylist, PLAYLISTS_PAGE_LIMIT, PlayArgs, PlayOffset,
    PlaylistDetails,
};
use super::convert;
use super::error::ApiError;
use super::model::PlaylistItem;
pub use super::request::{Answer, ApiRequest, PlayTarget, Priority, Reply, Request, WorkerEvent};
use crate::cache::{self, Cache, ItemsFile};

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
    spawn_cached(client, rx, tx, cancel, opts, None)
}

/// Starts the worker with explicit limits and, when given, the on-disk
/// cache of playlist items.
pub fn spawn_cached(
    client: Client,
    rx: UnboundedReceiver<ApiRequest>,
    tx: UnboundedSender<WorkerEvent>,
    cancel: CancellationToken,
    opts: WorkerOptions,
    cache: Option<Arc<Cache>>,
) -> JoinHandle<()> {
    tokio::spawn(run(client, rx, tx, cancel, opts, cache))
}

struct Queued {
    seq: u64,
    req: ApiRequest,
}

fn respond(tx: &UnboundedSender<WorkerEvent>, id: u64, result: Result<Reply, ApiError>) {
    // The app may be gone during shutdown; nothing to do then.
    let _ = tx.send(WorkerEvent::Answer(Box::new(Answer { id, result })));
}

/// The scheduler's state between wake-ups.
struct Scheduler {
    queue: Vec<Queued>,
    /// Requests running, by task id (a panicked task still reports its id).
    running: HashMap<task::Id, Request>,
    tasks: JoinSet<()>,
    seq: u64,
    blocked: Option<Instant>,
}

impl Scheduler {
    /// Starts queued requests while there is room and no short block holds.
    fn dispatch(
        &mut self,
        client: &Client,
        tx: &UnboundedSender<WorkerEvent>,
        opts: WorkerOptions,
        cache: Option<&Arc<Cache>>,
    ) {
        let hold_limit = client.max_rate_limit_wait();
        let holding = self.blocked.is_some_and(|t| {
            t.saturating_duration_since(Instant::now()) <= hold_limit && t > Instant::now()
        });
        while !holding && self.running.len() < opts.max_in_flight.max(1) {
            let Some(idx) = self
                .queue
                .iter()
                .enumerate()
                .max_by(|(_, a), (_, b)| {
                    a.req.priority.cmp(&b.req.priority).then(b.seq.cmp(&a.seq))
                })
                .map(|(i, _)| i)
            else {
                break;
            };
            let q = self.queue.swap_remove(idx);
            let call = q.req.call.clone();
            let span = tracing::debug_span!("api_call", id = q.req.id, call = call.name());
            let (c, t, k) = (client.clone(), tx.clone(), cache.cloned());
            let pages = opts.page_concurrency.max(1);
            let handle = self
                .tasks
                .spawn(async move { execute(c, q.req, t, pages, k).await }.instrument(span));
            self.running.insert(handle.id(), call);
        }
    }

    /// Queues a request, answering duplicates and superseded ones `Coalesced`.
    fn admit(&mut self, req: ApiRequest, tx: &UnboundedSender<WorkerEvent>) {
        if req.call.is_dedupable_read() {
            if let Some(q) = self.queue.iter_mut().find(|q| q.req.call == req.call) {
                q.req.priority = q.req.priority.max(req.priority);
                return respond(tx, req.id, Ok(Reply::Coalesced));
            }
            if self.running.values().any(|c| *c == req.call) {
                return respond(tx, req.id, Ok(Reply::Coalesced));
            }
        }
        if req.call.is_supersedable() {
            let kind = std::mem::discriminant(&req.call);
            let (old, keep): (Vec<Queued>, Vec<Queued>) = std::mem::take(&mut self.queue)
                .into_iter()
                .partition(|q| std::mem::discriminant(&q.req.call) == kind);
            self.queue = keep;
            for q in old {
                respond(tx, q.req.id, Ok(Reply::Coalesced));
            }
        }
        self.seq += 1;
        self.queue.push(Queued { seq: self.seq, req });
    }
}

async fn run(
    client: Client,
    mut rx: UnboundedReceiver<ApiRequest>,
    tx: UnboundedSender<WorkerEvent>,
    cancel: CancellationToken,
    opts: WorkerOptions,
    cache: Option<Arc<Cache>>,
) {
    let mut s = Scheduler {
        queue: Vec::new(),
        running: HashMap::new(),
        tasks: JoinSet::new(),
        seq: 0,
        blocked: None,
    };
    let mut closed = false;
    let mut rl_watch = client.rate_limit_watch();
    loop {
        s.dispatch(&client, &tx, opts, cache.as_ref());
        if closed && s.queue.is_empty() && s.running.is_empty() {
            break;
        }
        tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            Some(done) = s.tasks.join_next_with_id(), if !s.tasks.is_empty() => {
                let id = match done {
                    Ok((id, ())) => id,
                    Err(e) => {
                        tracing::error!("API task failed: {e}");
                        e.id()
                    }
                };
                s.running.remove(&id);
            }
            changed = rl_watch.changed() => {
                if changed.is_err() { continue; }
                let v = *rl_watch.borrow_and_update();
                match v {
                    Some(until) if until > Instant::now() => {
                        if s.blocked != Some(until) {
                            s.blocked = Some(until);
                            let _ = tx.send(WorkerEvent::RateLimited { until });
                        }
                    }
                    _ => {
                        if s.blocked.take().is_some() {
                            let _ = tx.send(WorkerEvent::RateLimitOver);
                        }
                    }
                }
            }
            _ = sleep_until_opt(s.blocked), if s.blocked.is_some() => {
                s.blocked = None;
                let _ = tx.send(WorkerEvent::RateLimitOver);
            }
            msg = rx.recv(), if !closed => {
                match msg {
                    Some(req) => s.admit(req, &tx),
                    None => closed = true,
                }
            }
        }
    }
    s.tasks.abort_all();
}

async fn sleep_until_opt(t: Option<Instant>) {
    match t {
        Some(t) => tokio::time::sleep_until(t.into()).await,
        None => std::future::pending().await,
    }
}

/// Runs one request and sends its answer(s).
async fn execute(
    client: Client,
    req: ApiRequest,
    tx: UnboundedSender<WorkerEvent>,
    pages: usize,
    cache: Option<Arc<Cache>>,
) {
    let ApiRequest { id, call, .. } = req;
    match &call {
        Request::GetMyPlaylists => stream_playlists(&client, id, &tx, pages).await,
        Request::GetPlaylistItems { playlist_id } => {
            let load = Load {
                c: &client,
                id,
                pid: playlist_id,
                tx: &tx,
            };
            if let Some(cache) = &cache
                && load.show_cached(cache).await
            {
                return;
            }
            load.stream(pages, cache).await;
        }
        call if music::handles(call) => {
            music::execute(&client, id, call.clone(), &tx, cache.as_ref()).await;
        }
        _ => {
            let result = single(&client, call.clone()).await;
            if let Err(e) = &result {
                tracing::info!(call = call.name(), "API call failed: {e}");
            }
            respond(&tx, id, result);
        }
    }
}

fn play_args(target: PlayTarget, device_id: Option<String>) -> PlayArgs {
    let mut args = PlayArgs {
        device_id,
        ..PlayArgs::default()
    };
    match target {
        PlayTarget::Resume => {}
        PlayTarget::Context { uri, position } => {
            args.context_uri = Some(uri);
            args.offset = Some(PlayOffset::Position(position));
        }
        PlayTarget::Uris(uris) => args.uris = uris,
        PlayTarget::ContextFrom { uri, item_uri } => {
            args.context_uri = Some(uri);
            args.offset = Some(PlayOffset::Uri(item_uri));
        }
    }
    args
}

/// Runs a player command.
async fn player(c: &Client, call: Request) -> Result<Reply, ApiError> {
    match call {
        Request::Play { target, device_id } => c.play(&play_args(target, device_id)).await,
        Request::Pause { device_id } => c.pause(device_id.as_deref()).await,
        Request::Next { device_id } => c.next(device_id.as_deref()).await,
        Request::Previous { device_id } => c.previous(device_id.as_deref()).await,
        Request::Seek {
            position_ms,
            device_id,
        } => c.seek(position_ms, device_id.as_deref()).await,
        Request::Volume { percent, device_id } => c.volume(percent, device_id.as_deref()).await,
        Request::Shuffle { on, device_id } => c.shuffle(on, device_id.as_deref()).await,
        Request::Repeat { mode, device_id } => {
            c.repeat(convert::repeat_state(mode), device_id.as_deref())
                .await
        }
        Request::Transfer { device_id, play } => c.transfer(&device_id, play).await,
        Request::AddToQueue { uri } => c.add_to_queue(&uri, None).await,
        other => Err(ApiError::InvalidArgument(format!(
            "{} is not a player command",
            other.name()
        ))),
    }
    .map(|()| Reply::Done)
}

async fn single(c: &Client, call: Request) -> Result<Reply, ApiError> {
    Ok(match call {
        Request::GetPlayback => {
            let p = c.playback_state().await?;
            Reply::Playback(p.map(|p| convert::playback(p, Instant::now())))
        }
        Request::GetDevices => Reply::Devices(
            c.devices()
                .await?
                .into_iter()
                .map(convert::device)
                .collect(),
        ),
        Request::GetQueue => Reply::Queue(
            c.queue()
                .await?
                .queue
                .into_iter()
                .map(convert::track)
                .collect(),
        ),
        Request::GetRecent => Reply::Recent(
            c.recently_played(50, None, None)
                .await?
                .items
                .into_iter()
                .map(convert::recent)
                .collect(),
        ),
        Request::GetMe => {
            let u = c.me().await?;
            Reply::Me(u.id.clone(), u.label().to_string())
        }
        Request::GetFeatured => Reply::Featured(
            c.featured_playlists(0, PLAYLISTS_PAGE_LIMIT)
                .await?
                .playlists
                .items
                .into_iter()
                .map(convert::simplified)
                .collect(),
        ),
        Request::GetPlaylist { playlist_id } => {
            Reply::Playlist(convert::full(c.playlist(&playlist_id).await?))
        }
        Request::AddItems { .. } | Request::RemovePositions { .. } | Request::Reorder { .. } => {
            Reply::Snapshot(positioned_edit(c, call).await?)
        }
        Request::ChangeDetails {
            playlist_id,
            name,
            description,
            public,
            collaborative,
        } => {
            let details = PlaylistDetails {
                name,
                public,
                collaborative,
                description,
            };
            c.change_playlist_details(&playlist_id, &details).await?;
            Reply::Done
        }
        Request::CreatePlaylist {
            name,
            description,
            public,
            collaborative,
        } => {
            let new = NewPlaylist {
                name,
                public: Some(public),
                collaborative: Some(collaborative),
                description: Some(description),
            };
            Reply::Created(convert::full(c.create_playlist(&new).await?))
        }
        Request::Unfollow { playlist_id } => {
            c.unfollow_playlist(&playlist_id).await?;
            Reply::Done
        }
        Request::GetCover { playlist_id } => {
            Reply::Cover(convert::image_refs(&c.playlist_cover(&playlist_id).await?))
        }
        Request::UploadCover { playlist_id, path } => {
            // Decoding and re-encoding an image is CPU work: off the async threads.
            let jpeg = task::spawn_blocking(move || {
                crate::cover::prepare_file(std::path::Path::new(&path))
            })
            .await
            .map_err(|e| ApiError::InvalidArgument(format!("cover task failed: {e}")))?
            .map_err(|e| ApiError::InvalidArgument(e.to_string()))?;
            c.upload_cover(&playlist_id, &jpeg).await?;
            Reply::Done
        }
        Request::FetchArt { url } => {
            let bytes = c.image_bytes(&url).await?;
            let image = task::spawn_blocking(move || crate::cover::decode(&bytes))
                .await
                .map_err(|e| ApiError::Decode(format!("art task failed: {e}")))?
                .map_err(ApiError::Decode)?;
            Reply::Art {
                url,
                image: Arc::new(image),
            }
        }
        Request::GetMyPlaylists | Request::GetPlaylistItems { .. } => {
            return Err(ApiError::InvalidArgument(
                "paged call routed as single".into(),
            ));
        }
        command => player(c, command).await?,
    })
}

/// The rows the user saw must be the rows we remove.
fn check_rows(items: &[(u32, String)], current_uris: &[String]) -> Result<(), ApiError> {
    for (pos, uri) in items {
        if current_uris.get(*pos as usize) != Some(uri) {
            return Err(ApiError::Conflict(format!(
                "Nothing removed: row {} is not the item shown; reload the playlist.",
                pos + 1
            )));
        }
    }
    Ok(())
}

/// An edit that refers to positions: guarded by the snapshot (once, in the
/// client) and, for removals, by the rows shown.
async fn positioned_edit(c: &Client, call: Request) -> Result<String, ApiError> {
    match call {
        Request::AddItems {
            playlist_id,
            uris,
            position,
            snapshot_id,
        } => {
            if uris.is_empty() {
                return Err(ApiError::InvalidArgument("no items to add".into()));
            }
            if let Some(expected) = snapshot_id.filter(|_| position.is_some()) {
                c.ensure_snapshot(&playlist_id, &expected).await?;
            }
            let mut snap = String::new();
            for (n, chunk) in uris.chunks(MAX_ITEMS_PER_REQUEST).enumerate() {
                let pos = position.map(|p| p + (n * MAX_ITEMS_PER_REQUEST) as u32);
                snap = c.add_items(&playlist_id, chunk, pos).await?;
            }
            Ok(snap)
        }
        Request::RemovePositions {
            playlist_id,
            items,
            current_uris,
            snapshot_id,
        } => {
            // The API removes by URI (every copy), so the whole list is needed
            // to keep the other copies; read it when the app did not have it.
            let current = if current_uris.is_empty() {
                all_uris(c, &playlist_id).await?
            } else {
                current_uris
            };
            check_rows(&items, &current)?;
            let positions: Vec<u32> = items.iter().map(|(p, _)| *p).collect();
            c.remove_positions(&playlist_id, &current, &positions, &snapshot_id)
                .await
        }
        Request::Reorder {
            playlist_id,
            range_start,
            range_length,
            insert_before,
            snapshot_id,
        } => {
            c.ensure_snapshot(&playlist_id, &snapshot_id).await?;
            c.reorder_items(
                &playlist_id,
                range_start,
                insert_before,
                range_length,
                Some(&snapshot_id),
            )
            .await
        }
        other => Err(ApiError::InvalidArgument(format!(
            "{} is not a playlist edit",
            other.name()
        ))),
    }
}

/// Every item URI of a playlist in order (`""` for unavailable entries).
async fn all_uris(c: &Client, pid: &str) -> Result<Vec<String>, ApiError> {
    let first = first_items_page(c, pid).await?.1;
    let total = first.total as usize;
    let mut uris: Vec<String> = first.items.iter().map(item_uri).collect();
    while uris.len() < total {
        let page = c.playlist_rows(pid, uris.len() as u32, None).await?;
        if page.items.is_empty() {
            break;
        }
        uris.extend(page.items.iter().map(item_uri));
    }
    Ok(uris)
}

fn item_uri(i: &PlaylistItem) -> String {
    i.uri().unwrap_or_default().to_string()
}

/// The playlist's snapshot id and its first page of items (from the playlist
/// object when it carries one).
async fn first_items_page(
    c: &Client,
    pid: &str,
) -> Result<(String, super::model::Page<PlaylistItem>), ApiError> {
    let playlist = c.playlist(pid).await?;
    let snapshot_id = playlist.snapshot_id.clone();
    let first = match playlist.items {
        Some(p) if p.offset == 0 && (!p.items.is_empty() || p.total == 0) => p,
        _ => c.playlist_items(pid, 0, None).await?,
    };
    Ok((snapshot_id, first))
}

/// The most items `GET /playlists/{id}/items` serves per page by the spec.
const SPEC_ITEMS_LIMIT: u32 = 50;

/// Offsets of the pages after the first `first_len` entries.
fn rest_offsets(first_len: u32, total: u32, step: u32) -> Vec<u32> {
    if step == 0 {
        return Vec::new();
    }
    (first_len..total).step_by(step as usize).collect()
}

async fn stream_playlists(c: &Client, id: u64, tx: &UnboundedSender<WorkerEvent>, pages: usize) {
    let step = PLAYLISTS_PAGE_LIMIT;
    let first = match c.my_playlists(0, step).await {
        Ok(p) => p,
        Err(e) => return respond(tx, id, Err(e)),
    };
    let total = first.total;
    let offsets = rest_offsets(step.min(total.max(1)), total, step);
    let send_page = |offset: u32, items: Vec<super::model::SimplifiedPlaylist>, done: bool| {
        let items = items.into_iter().map(convert::simplified).collect();
        respond(
            tx,
            id,
            Ok(Reply::PlaylistsPage {
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
            Err(e) => return respond(tx, id, Err(e)),
        }
    }
}

/// One load of a playlist's items, answering request `id`.
struct Load<'a> {
    c: &'a Client,
    id: u64,
    pid: &'a str,
    tx: &'a UnboundedSender<WorkerEvent>,
}

impl Load<'_> {
    fn fail(&self, e: ApiError) {
        respond(self.tx, self.id, Err(e));
    }

    fn reply(&self, reply: Reply) {
        respond(self.tx, self.id, Ok(reply));
    }

    /// Shows the cached rows, then checks the snapshot with one small read.
    /// True when the request is answered (rows current, or the check
    /// failed); false when the playlist changed and must be loaded.
    async fn show_cached(&self, cache: &Arc<Cache>) -> bool {
        let (k, p) = (cache.clone(), self.pid.to_owned());
        let Ok(Some(hit)) = task::spawn_blocking(move || k.items(&p)).await else {
            return false;
        };
        let snapshot_id = hit.snapshot_id;
        self.reply(Reply::CachedItems {
            playlist_id: self.pid.to_owned(),
            snapshot_id: snapshot_id.clone(),
            items: hit.items,
        });
        match self.c.playlist_snapshot(self.pid).await {
            Ok(now) if now == snapshot_id => {
                self.reply(Reply::ItemsCurrent {
                    playlist_id: self.pid.to_owned(),
                    snapshot_id,
                });
                true
            }
            Ok(_) => {
                tracing::debug!("cached playlist rows are of an older snapshot; reloading");
                false
            }
            Err(e) => {
                self.fail(e);
                true
            }
        }
    }

    /// Loads every page, answering each in order; with a cache, stores the
    /// rows once every page has arrived.
    async fn stream(&self, pages: usize, cache: Option<Arc<Cache>>) {
        let (c, pid) = (self.c, self.pid);
        // The playlist object gives the snapshot id and usually the first page.
        let (snapshot_id, first) = match first_items_page(c, pid).await {
            Ok(first) => first,
            Err(e) => return self.fail(e),
        };
        let mut file = cache.as_ref().map(|_| ItemsFile::new(pid, &snapshot_id));
        let keep = file.is_some();
        let send =
            |offset: u32, total: u32, items: Vec<crate::domain::PlaylistEntry>, done: bool| {
                self.reply(Reply::ItemsPage {
                    playlist_id: pid.to_owned(),
                    snapshot_id: snapshot_id.clone(),
                    offset,
                    total,
                    items,
                    done,
                });
            };
        let total = first.total;
        let mut have = first.items.len() as u32;
        let (rows, bytes) = entries(first.items, keep);
        file.iter_mut().for_each(|f| f.push(&bytes));
        send(0, total, rows, have >= total);
        if have >= total {
            return store(cache, file).await;
        }
        // A page size above the spec's 50 may be refused: then the second page,
        // fetched alone, settles the size the server accepts. At 50 every
        // other page goes out at once.
        if c.items_page_limit() > SPEC_ITEMS_LIMIT {
            let second = match c.playlist_rows(pid, have, None).await {
                Ok(p) => p,
                Err(e) => return self.fail(e),
            };
            let got = second.items.len() as u32;
            let second_off = have;
            have += got;
            let last = got == 0 || have >= total;
            let (rows, bytes) = entries(second.items, keep);
            file.iter_mut().for_each(|f| f.push(&bytes));
            send(second_off, total, rows, last);
            if last {
                return store(cache, file).await;
            }
        }
        let step = c.items_page_limit();
        let offsets = rest_offsets(have, total, step);
        let n = offsets.len();
        // Each page is its own task, so requests go out as soon as a slot frees
        // and decoding, conversion and cache encoding run on every core.
        let mut stream = futures::stream::iter(offsets)
            .map(|off| {
                let c = c.clone();
                let pid = pid.to_owned();
                tokio::spawn(async move {
                    let page = c.playlist_rows(&pid, off, Some(step)).await;
                    (off, page.map(|p| entries(p.items, keep)))
                })
            })
            .buffered(pages);
        let mut i = 0;
        while let Some(joined) = stream.next().await {
            i += 1;
            match joined {
                Ok((off, Ok((rows, bytes)))) => {
                    file.iter_mut().for_each(|f| f.push(&bytes));
                    send(off, total, rows, i == n);
                }
                Ok((_, Err(e))) => return self.fail(e),
                Err(e) => return self.fail(ApiError::Network(format!("page task failed: {e}"))),
            }
        }
        store(cache, file).await;
    }
}

/// Rows of a page and, when `encode`, their cache encoding.
fn entries(items: Vec<PlaylistItem>, encode: bool) -> (Vec<crate::domain::PlaylistEntry>, Vec<u8>) {
    let rows: Vec<_> = items.into_iter().map(convert::entry).collect();
    let bytes = if encode {
        cache::encode_rows(&rows)
    } else {
        Vec::new()
    };
    (rows, bytes)
}

/// Writes a fully loaded playlist to the cache, off the async threads.
async fn store(cache: Option<Arc<Cache>>, file: Option<ItemsFile>) {
    if let (Some(cache), Some(file)) = (cache, file) {
        let _ = task::spawn_blocking(move || cache.put_items_file(file)).await;
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
    fn rows_must_match_the_uris_shown() {
        let current = vec!["a".to_string(), "b".to_string()];
        assert!(check_rows(&[(1, "b".into())], &current).is_ok());
        let e = check_rows(&[(0, "b".into())], &current).unwrap_err();
        assert!(e.is_conflict(), "{e:?}");
        assert!(e.sentence().contains("row 1"), "{}", e.sentence());
        assert!(check_rows(&[(5, "a".into())], &current).is_err());
    }

    #[test]
    fn rest_offsets_cover_the_playlist() {
        assert_eq!(rest_offsets(100, 10_000, 100).len(), 99);
        assert_eq!(rest_offsets(100, 250, 50), vec![100, 150, 200]);
        assert!(rest_offsets(100, 100, 100).is_empty());
    }
}
