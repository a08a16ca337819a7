//! The bridge between the app's actions and the Web API worker: turns
//! [`Action`]s into worker requests and worker answers into [`Event`]s,
//! converting wire models into the app's domain types. It also guards
//! position-based playlist edits: before one is sent, the playlist's current
//! snapshot is read, and an edit whose snapshot moved on is refused as a
//! conflict instead of touching the wrong rows.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::action::{Action, ApiCall, PlayTarget, Priority};
use super::event::{ApiEvent, ApiFailure, ApiOutcome, ArtEvent, Event, FailureKind};
use crate::config::Config;
use crate::domain::{self, ImageRef, ItemKind, Repeat};
use crate::spotify::client::{Client, NewPlaylist, PlayArgs, PlayOffset, PlaylistDetails};
use crate::spotify::error::ApiError;
use crate::spotify::model::{
    Device, Image, PlayHistory, PlayableItem, PlaybackState, Playlist, PlaylistItem, RepeatState,
    SimplifiedPlaylist,
};
use crate::spotify::worker::{self, ApiRequest, Call, Payload, WorkerEvent};
use crate::token::TokenSource;

/// Ids the bridge uses for its own requests (snapshot checks, art), far above the app's.
const INTERNAL_BASE: u64 = 1 << 62;

/// Starts the worker and the bridge task.
pub fn spawn(
    config: &Config,
    tokens: Arc<dyn TokenSource>,
    actions: mpsc::UnboundedReceiver<Action>,
    events: mpsc::UnboundedSender<Event>,
    cancel: CancellationToken,
) -> anyhow::Result<JoinHandle<()>> {
    let client = Client::new(&config.spotify.api_base, tokens)
        .map_err(|e| anyhow::anyhow!("cannot create the Web API client: {}", e.sentence()))?;
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (wev_tx, wev_rx) = mpsc::unbounded_channel();
    let worker = worker::spawn(client, req_rx, wev_tx, cancel.clone());
    let bridge = Bridge {
        req_tx,
        events,
        next_internal: INTERNAL_BASE,
        guarded: HashMap::new(),
        art: HashMap::new(),
    };
    Ok(tokio::spawn(bridge.run(actions, wev_rx, cancel, worker)))
}

/// An edit waiting for its snapshot check.
struct GuardedEdit {
    id: u64,
    expected_snapshot: String,
    call: Call,
    /// When the app did not have the whole playlist loaded (e.g. undoing an
    /// add made from the player screen), the items are read here first:
    /// URIs by position as the pages arrive.
    collected: Option<Vec<Option<String>>>,
}

struct Bridge {
    req_tx: mpsc::UnboundedSender<ApiRequest>,
    events: mpsc::UnboundedSender<Event>,
    next_internal: u64,
    guarded: HashMap<u64, GuardedEdit>,
    art: HashMap<u64, String>,
}

impl Bridge {
    async fn run(
        mut self,
        mut actions: mpsc::UnboundedReceiver<Action>,
        mut answers: mpsc::UnboundedReceiver<WorkerEvent>,
        cancel: CancellationToken,
        worker: JoinHandle<()>,
    ) {
        loop {
            tokio::select! {
                _ = cancel.cancelled() => break,
                a = actions.recv() => match a {
                    Some(a) => self.on_action(a),
                    None => break,
                },
                w = answers.recv() => match w {
                    Some(w) => self.on_worker(w),
                    None => break,
                },
            }
        }
        worker.abort();
    }

    fn internal_id(&mut self) -> u64 {
        self.next_internal += 1;
        self.next_internal
    }

    fn send(&self, id: u64, priority: Priority, call: Call) {
        let priority = match priority {
            Priority::Background => worker::Priority::Background,
            Priority::VisiblePane => worker::Priority::VisiblePane,
            Priority::Poll => worker::Priority::Poll,
            Priority::User => worker::Priority::User,
        };
        if self.req_tx.send(ApiRequest { id, priority, call }).is_err() {
            tracing::error!("the Web API worker has stopped");
        }
    }

    fn emit(&self, id: u64, outcome: ApiOutcome) {
        let _ = self
            .events
            .send(Event::Api(Box::new(ApiEvent { id, outcome })));
    }

    fn on_action(&mut self, action: Action) {
        match action {
            Action::Api { id, priority, call } => {
                let needs_items = matches!(&call, ApiCall::RemovePositions { current_uris, .. } if current_uris.is_empty());
                let guard = match &call {
                    ApiCall::RemovePositions {
                        playlist_id,
                        snapshot_id,
                        ..
                    }
                    | ApiCall::Reorder {
                        playlist_id,
                        snapshot_id,
                        ..
                    } => Some((playlist_id.clone(), snapshot_id.clone())),
                    ApiCall::AddItems {
                        playlist_id,
                        snapshot_id: Some(snapshot_id),
                        ..
                    } => Some((playlist_id.clone(), snapshot_id.clone())),
                    _ => None,
                };
                let refused = refusal_outcome(&call);
                let wire = to_call(call);
                match (guard, wire) {
                    (_, Err(failure)) => self.emit(id, refused(failure)),
                    (Some((playlist_id, expected_snapshot)), Ok(call)) => {
                        let check = self.internal_id();
                        self.guarded.insert(
                            check,
                            GuardedEdit {
                                id,
                                expected_snapshot,
                                call,
                                collected: needs_items.then(Vec::new),
                            },
                        );
                        let read = if needs_items {
                            Call::GetPlaylistItems { id: playlist_id }
                        } else {
                            Call::GetPlaylist { id: playlist_id }
                        };
                        self.send(check, priority, read);
                    }
                    (None, Ok(call)) => self.send(id, priority, call),
                }
            }
            Action::FetchArt { url } => {
                let id = self.internal_id();
                self.art.insert(id, url.clone());
                self.send(id, Priority::VisiblePane, Call::FetchImage { url });
            }
            Action::UploadCoverFile {
                id,
                playlist_id,
                path,
            } => {
                let tx = self.req_tx.clone();
                let events = self.events.clone();
                // Decoding and re-encoding an image is CPU work: off the async threads.
                tokio::task::spawn_blocking(move || {
                    match crate::cover::prepare_file(std::path::Path::new(&path)) {
                        Ok(jpeg) => {
                            let _ = tx.send(ApiRequest {
                                id,
                                priority: worker::Priority::User,
                                call: Call::UploadCover { playlist_id, jpeg },
                            });
                        }
                        Err(e) => {
                            let _ = events.send(Event::Api(Box::new(ApiEvent {
                                id,
                                outcome: ApiOutcome::Done(Err(ApiFailure::other(e.to_string()))),
                            })));
                        }
                    }
                });
            }
            Action::Schedule(_) | Action::Quit => {}
        }
    }

    fn on_worker(&mut self, ev: WorkerEvent) {
        match ev {
            WorkerEvent::RateLimited { until } => {
                self.emit(0, ApiOutcome::RateLimited { until });
            }
            WorkerEvent::RateLimitOver => {}
            WorkerEvent::Response(resp) => {
                if let Some(url) = self.art.remove(&resp.id) {
                    self.on_art(url, resp.result);
                    return;
                }
                if let Some(edit) = self.guarded.remove(&resp.id) {
                    if edit.collected.is_some() {
                        self.on_items_for_edit(resp.id, edit, resp.result);
                    } else {
                        self.on_snapshot_check(edit, resp.result);
                    }
                    return;
                }
                let outcome = to_outcome(&resp.call, resp.result, Instant::now());
                self.emit(resp.id, outcome);
            }
        }
    }

    /// Collects the playlist's items for a removal, then checks and sends it.
    fn on_items_for_edit(
        &mut self,
        check: u64,
        mut edit: GuardedEdit,
        result: Result<Payload, ApiError>,
    ) {
        let page = match result {
            Ok(Payload::ItemsPage {
                snapshot_id,
                offset,
                total,
                items,
                done,
                ..
            }) => {
                if snapshot_id != edit.expected_snapshot {
                    self.emit(edit.id, ApiOutcome::Snapshot(Err(conflict())));
                    return;
                }
                (offset, total, items, done)
            }
            Ok(Payload::Coalesced) => return,
            Ok(_) => {
                self.emit(
                    edit.id,
                    ApiOutcome::Snapshot(Err(ApiFailure::other(
                        "unexpected answer while reading the playlist",
                    ))),
                );
                return;
            }
            Err(e) => {
                self.emit(edit.id, ApiOutcome::Snapshot(Err(failure(&e))));
                return;
            }
        };
        let (offset, total, items, done) = page;
        let rows = edit.collected.get_or_insert_with(Vec::new);
        rows.resize(total as usize, None);
        for (i, item) in items.iter().enumerate() {
            if let Some(slot) = rows.get_mut(offset as usize + i) {
                *slot = Some(item.uri().unwrap_or_default().to_string());
            }
        }
        if !done {
            self.guarded.insert(check, edit);
            return;
        }
        let uris: Vec<String> = rows.iter().map(|r| r.clone().unwrap_or_default()).collect();
        let Call::RemoveItems {
            playlist_id,
            positions,
            snapshot_id,
            ..
        } = edit.call
        else {
            return;
        };
        self.send(
            edit.id,
            Priority::User,
            Call::RemoveItems {
                playlist_id,
                positions,
                current_uris: uris,
                snapshot_id,
            },
        );
    }

    fn on_snapshot_check(&mut self, edit: GuardedEdit, result: Result<Payload, ApiError>) {
        match result {
            Ok(Payload::Playlist(p)) if p.snapshot_id == edit.expected_snapshot => {
                self.send(edit.id, Priority::User, edit.call);
            }
            Ok(Payload::Playlist(_)) => {
                tracing::info!("playlist edit refused: the playlist changed elsewhere");
                self.emit(edit.id, ApiOutcome::Snapshot(Err(conflict())));
            }
            Ok(_) => self.emit(
                edit.id,
                ApiOutcome::Snapshot(Err(ApiFailure::other(
                    "unexpected answer while checking the playlist",
                ))),
            ),
            Err(e) => self.emit(edit.id, ApiOutcome::Snapshot(Err(failure(&e)))),
        }
    }

    fn on_art(&self, url: String, result: Result<Payload, ApiError>) {
        let events = self.events.clone();
        match result {
            Ok(Payload::Image(bytes)) => {
                tokio::task::spawn_blocking(move || {
                    let ev = match image::load_from_memory(&bytes) {
                        Ok(img) => ArtEvent::Ready {
                            url,
                            image: Arc::new(img),
                        },
                        Err(e) => ArtEvent::Failed {
                            url,
                            reason: e.to_string(),
                        },
                    };
                    let _ = events.send(Event::Art(ev));
                });
            }
            Ok(Payload::Coalesced) => {}
            Ok(_) => {
                let _ = events.send(Event::Art(ArtEvent::Failed {
                    url,
                    reason: "unexpected answer".into(),
                }));
            }
            Err(e) => {
                let _ = events.send(Event::Art(ArtEvent::Failed {
                    url,
                    reason: e.sentence(),
                }));
            }
        }
    }
}

fn conflict() -> ApiFailure {
    ApiFailure {
        sentence: "The playlist changed elsewhere since it was loaded; nothing was changed. It has been reloaded — check it and try again.".into(),
        kind: FailureKind::Conflict,
    }
}

/// How a locally refused call is answered, by kind of call.
fn refusal_outcome(call: &ApiCall) -> fn(ApiFailure) -> ApiOutcome {
    match call {
        ApiCall::AddItems { .. } | ApiCall::RemovePositions { .. } | ApiCall::Reorder { .. } => {
            |f| ApiOutcome::Snapshot(Err(f))
        }
        ApiCall::CreatePlaylist { .. } => |f| ApiOutcome::Created(Err(f)),
        _ => |f| ApiOutcome::Done(Err(f)),
    }
}

/// The worker call for an app call; parameter problems are refused here.
fn to_call(call: ApiCall) -> Result<Call, ApiFailure> {
    Ok(match call {
        ApiCall::GetPlayback => Call::GetPlayback,
        ApiCall::GetDevices => Call::GetDevices,
        ApiCall::GetQueue => Call::GetQueue,
        ApiCall::GetRecent => Call::GetRecent { limit: 50 },
        ApiCall::GetMe => Call::GetMe,
        ApiCall::Play { target, device_id } => {
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
            }
            Call::Play(args)
        }
        ApiCall::Pause { device_id } => Call::Pause { device_id },
        ApiCall::Next { device_id } => Call::Next { device_id },
        ApiCall::Previous { device_id } => Call::Previous { device_id },
        ApiCall::Seek {
            position_ms,
            device_id,
        } => Call::Seek {
            position_ms,
            device_id,
        },
        ApiCall::Volume { percent, device_id } => Call::Volume { percent, device_id },
        ApiCall::Shuffle { on, device_id } => Call::Shuffle { on, device_id },
        ApiCall::Repeat { mode, device_id } => Call::Repeat {
            mode: match mode {
                Repeat::Off => RepeatState::Off,
                Repeat::Context => RepeatState::Context,
                Repeat::Track => RepeatState::Track,
            },
            device_id,
        },
        ApiCall::Transfer { device_id, play } => Call::Transfer { device_id, play },
        ApiCall::AddToQueue { uri } => Call::AddToQueue {
            uri,
            device_id: None,
        },
        ApiCall::GetMyPlaylists => Call::GetMyPlaylists,
        ApiCall::GetFeatured => Call::GetFeatured,
        ApiCall::GetPlaylist { playlist_id } => Call::GetPlaylist { id: playlist_id },
        ApiCall::GetPlaylistItems { playlist_id } => Call::GetPlaylistItems { id: playlist_id },
        ApiCall::AddItems {
            playlist_id,
            uris,
            position,
            ..
        } => Call::AddItems {
            playlist_id,
            uris,
            position,
        },
        ApiCall::RemovePositions {
            playlist_id,
            items,
            current_uris,
            snapshot_id,
        } => {
            // The rows the user saw must be the rows we remove. (Without the
            // list, the bridge reads it first and the snapshot check covers it.)
            for (pos, uri) in items.iter().filter(|_| !current_uris.is_empty()) {
                if current_uris.get(*pos as usize) != Some(uri) {
                    return Err(ApiFailure {
                        sentence: format!(
                            "Nothing removed: row {} is not the item shown; reload the playlist.",
                            pos + 1
                        ),
                        kind: FailureKind::Conflict,
                    });
                }
            }
            Call::RemoveItems {
                playlist_id,
                positions: items.iter().map(|(p, _)| *p).collect(),
                current_uris,
                snapshot_id,
            }
        }
        ApiCall::Reorder {
            playlist_id,
            range_start,
            range_length,
            insert_before,
            snapshot_id,
        } => Call::ReorderItems {
            playlist_id,
            range_start,
            insert_before,
            range_length,
            snapshot_id: Some(snapshot_id),
        },
        ApiCall::ChangeDetails {
            playlist_id,
            name,
            description,
            public,
            collaborative,
        } => {
            if public == Some(true) && collaborative == Some(true) {
                return Err(ApiFailure::other(
                    "A playlist cannot be both public and collaborative: make it private first.",
                ));
            }
            Call::ChangeDetails {
                playlist_id,
                details: PlaylistDetails {
                    name,
                    public,
                    collaborative,
                    description,
                },
            }
        }
        ApiCall::CreatePlaylist {
            name,
            description,
            public,
            collaborative,
        } => {
            if public && collaborative {
                return Err(ApiFailure::other(
                    "A playlist cannot be both public and collaborative: make it private first.",
                ));
            }
            Call::CreatePlaylist(NewPlaylist {
                name,
                public: Some(public),
                collaborative: Some(collaborative),
                description: Some(description),
            })
        }
        ApiCall::Unfollow { playlist_id } => Call::Unfollow { playlist_id },
        ApiCall::GetCover { playlist_id } => Call::GetCover { playlist_id },
    })
}

/// The app's failure for a client error.
pub fn failure(e: &ApiError) -> ApiFailure {
    let kind = match e {
        ApiError::NoActiveDevice => FailureKind::NoActiveDevice,
        ApiError::PremiumRequired => FailureKind::PremiumRequired,
        ApiError::Forbidden { .. } | ApiError::Restricted { .. } => FailureKind::Forbidden,
        ApiError::NotFound { .. } => FailureKind::NotFound,
        ApiError::RateLimited { .. } => FailureKind::RateLimited,
        ApiError::Unauthorized { .. } | ApiError::Token(_) => FailureKind::Unauthorized,
        _ => FailureKind::Other,
    };
    ApiFailure {
        sentence: e.sentence(),
        kind,
    }
}

/// Converts a worker result for `call` into the app's outcome.
fn to_outcome(call: &Call, result: Result<Payload, ApiError>, now: Instant) -> ApiOutcome {
    let payload = match result {
        Ok(Payload::Coalesced) => return ApiOutcome::Coalesced,
        Ok(p) => p,
        Err(e) => {
            let f = failure(&e);
            return match call {
                Call::GetPlayback => ApiOutcome::Playback(Err(f)),
                Call::GetDevices => ApiOutcome::Devices(Err(f)),
                Call::GetQueue => ApiOutcome::Queue(Err(f)),
                Call::GetRecent { .. } => ApiOutcome::Recent(Err(f)),
                Call::GetMe => ApiOutcome::Me(Err(f)),
                Call::GetMyPlaylists => ApiOutcome::PlaylistsFailed(f),
                Call::GetFeatured | Call::GetCategoryPlaylists { .. } => {
                    ApiOutcome::Featured(Err(f))
                }
                Call::GetPlaylist { .. } => ApiOutcome::Playlist(Err(f)),
                Call::GetPlaylistItems { id } => ApiOutcome::ItemsFailed {
                    playlist_id: id.clone(),
                    failure: f,
                },
                Call::AddItems { .. }
                | Call::RemoveItems { .. }
                | Call::ReorderItems { .. }
                | Call::ReplaceItems { .. } => ApiOutcome::Snapshot(Err(f)),
                Call::CreatePlaylist(_) => ApiOutcome::Created(Err(f)),
                Call::GetCover { .. } => ApiOutcome::Cover(Err(f)),
                _ => ApiOutcome::Done(Err(f)),
            };
        }
    };
    match payload {
        Payload::Playback(p) => ApiOutcome::Playback(Ok(p.map(|p| playback(p, now)))),
        Payload::Devices(d) => ApiOutcome::Devices(Ok(d.into_iter().map(device).collect())),
        Payload::Queue(q) => ApiOutcome::Queue(Ok((
            q.currently_playing.map(track),
            q.queue.into_iter().map(track).collect(),
        ))),
        Payload::Recent(r) => ApiOutcome::Recent(Ok(r.items.into_iter().map(recent).collect())),
        Payload::Me(u) => ApiOutcome::Me(Ok((u.id.clone(), u.label().to_string()))),
        Payload::PlaylistsPage {
            offset,
            total,
            items,
            done,
        } => ApiOutcome::PlaylistsPage {
            offset,
            total,
            items: items.into_iter().map(simplified).collect(),
            done,
        },
        Payload::Playlist(p) => ApiOutcome::Playlist(Ok(full(*p))),
        Payload::ItemsPage {
            playlist_id,
            offset,
            total,
            items,
            done,
            ..
        } => ApiOutcome::ItemsPage {
            playlist_id,
            offset,
            total,
            items: items.into_iter().map(entry).collect(),
            done,
        },
        Payload::Snapshot(s) => ApiOutcome::Snapshot(Ok(s)),
        Payload::Created(p) => ApiOutcome::Created(Ok(full(*p))),
        Payload::Cover(images) => ApiOutcome::Cover(Ok(image_refs(&images))),
        Payload::Featured(f) => {
            ApiOutcome::Featured(Ok(f.playlists.items.into_iter().map(simplified).collect()))
        }
        Payload::Image(_) | Payload::Done | Payload::Coalesced => ApiOutcome::Done(Ok(())),
    }
}

fn image_refs(images: &[Image]) -> Vec<ImageRef> {
    let mut v: Vec<ImageRef> = images
        .iter()
        .filter(|i| !i.url.is_empty())
        .map(|i| ImageRef {
            url: i.url.clone(),
            width: i.width,
        })
        .collect();
    v.sort_by_key(|i| std::cmp::Reverse(i.width.unwrap_or(0)));
    v
}

/// Converts a playable item.
pub fn track(item: PlayableItem) -> domain::Track {
    match item {
        PlayableItem::Track(t) => {
            let local = t.is_local || t.uri.starts_with("spotify:local:");
            let decoded = if local {
                domain::decode_local_uri(&t.uri)
            } else {
                None
            };
            let (artists, album, title) = match (&decoded, local) {
                (Some((a, al, ti, _)), true) => (
                    if t.artists.iter().any(|a| !a.name.is_empty()) {
                        t.artists.iter().map(|a| a.name.clone()).collect()
                    } else {
                        vec![a.clone()]
                    },
                    if t.album.name.is_empty() {
                        al.clone()
                    } else {
                        t.album.name.clone()
                    },
                    if t.name.is_empty() {
                        ti.clone()
                    } else {
                        t.name.clone()
                    },
                ),
                _ => (
                    t.artists.iter().map(|a| a.name.clone()).collect(),
                    t.album.name.clone(),
                    t.name.clone(),
                ),
            };
            let duration_ms = if t.duration_ms == 0 {
                decoded.and_then(|d| d.3).map_or(0, |s| s * 1000)
            } else {
                t.duration_ms
            };
            domain::Track {
                uri: t.uri.clone(),
                title,
                artists,
                album,
                duration_ms,
                kind: if local {
                    ItemKind::Local
                } else {
                    ItemKind::Track
                },
                images: image_refs(&t.album.images),
                is_playable: t.playable(),
            }
        }
        PlayableItem::Episode(e) => {
            let show = e.show_name().to_string();
            let images = if e.images.is_empty() {
                e.show
                    .as_ref()
                    .map(|s| image_refs(&s.images))
                    .unwrap_or_default()
            } else {
                image_refs(&e.images)
            };
            domain::Track {
                uri: e.uri.clone(),
                title: e.name.clone(),
                artists: vec![show.clone()],
                album: show,
                duration_ms: e.duration_ms,
                kind: ItemKind::Episode,
                images,
                is_playable: e.is_playable != Some(false),
            }
        }
        PlayableItem::Unknown => unavailable(),
    }
}

fn unavailable() -> domain::Track {
    domain::Track {
        uri: String::new(),
        title: "(unavailable)".into(),
        artists: Vec::new(),
        album: String::new(),
        duration_ms: 0,
        kind: ItemKind::Track,
        images: Vec::new(),
        is_playable: false,
    }
}

fn device(d: Device) -> domain::Device {
    domain::Device {
        id: d.id.filter(|i| !i.is_empty()),
        name: d.name,
        kind: d.kind,
        is_active: d.is_active,
        is_restricted: d.is_restricted,
        volume: d.volume_percent,
        supports_volume: d.supports_volume,
    }
}

fn playback(p: PlaybackState, now: Instant) -> domain::Playback {
    let d = p.disallows();
    let flags = [
        ("interrupting_playback", d.interrupting_playback),
        ("pausing", d.pausing),
        ("resuming", d.resuming),
        ("seeking", d.seeking),
        ("skipping_next", d.skipping_next),
        ("skipping_prev", d.skipping_prev),
        ("toggling_repeat_context", d.toggling_repeat_context),
        ("toggling_shuffle", d.toggling_shuffle),
        ("toggling_repeat_track", d.toggling_repeat_track),
        ("transferring_playback", d.transferring_playback),
    ];
    let disallows = flags
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| (*n).to_string())
        .collect();
    domain::Playback {
        device: p.device.map(device),
        item: p.item.map(track),
        is_playing: p.is_playing,
        progress_ms: p.progress_ms.unwrap_or(0),
        fetched_at: now,
        shuffle: p.shuffle_state,
        repeat: match p.repeat_state {
            // A mode this app does not know shows as off (the CLI prints it as sent).
            RepeatState::Off | RepeatState::Other(_) => Repeat::Off,
            RepeatState::Context => Repeat::Context,
            RepeatState::Track => Repeat::Track,
        },
        context_uri: p.context.map(|c| c.uri).filter(|u| !u.is_empty()),
        disallows,
    }
}

fn recent(h: PlayHistory) -> domain::RecentEntry {
    domain::RecentEntry {
        track: track(PlayableItem::Track(h.track)),
        played_at: h.played_at,
        context_uri: h.context.map(|c| c.uri).filter(|u| !u.is_empty()),
    }
}

fn simplified(p: SimplifiedPlaylist) -> domain::PlaylistSummary {
    let total = p.total();
    summary(
        p.id,
        p.name,
        p.description,
        &p.owner,
        p.public,
        p.collaborative,
        p.snapshot_id,
        total,
        &p.images,
    )
}

fn full(p: Playlist) -> domain::PlaylistSummary {
    let total = p.total().unwrap_or(0);
    summary(
        p.id,
        p.name,
        p.description,
        &p.owner,
        p.public,
        p.collaborative,
        p.snapshot_id,
        total,
        &p.images,
    )
}

#[allow(clippy::too_many_arguments)]
fn summary(
    id: String,
    name: String,
    description: Option<String>,
    owner: &crate::spotify::model::PlaylistUser,
    public: Option<bool>,
    collaborative: bool,
    snapshot_id: String,
    total: u32,
    images: &[Image],
) -> domain::PlaylistSummary {
    domain::PlaylistSummary {
        id,
        name,
        description: description.unwrap_or_default(),
        owner_id: owner.id.clone(),
        owner_name: owner.label().to_string(),
        public,
        collaborative,
        snapshot_id,
        total,
        images: image_refs(images),
    }
}

fn entry(i: PlaylistItem) -> domain::PlaylistEntry {
    let is_local = i.is_local;
    let mut t = i.item.map_or_else(unavailable, track);
    if is_local {
        t.kind = ItemKind::Local;
    }
    // Rows do not show art; 10,000 rows of image URLs would only cost memory.
    t.images = Vec::new();
    domain::PlaylistEntry {
        track: t,
        added_at: i.added_at,
        added_by: i.added_by.map(|u| u.id),
    }
}
