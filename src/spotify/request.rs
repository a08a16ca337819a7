//! The one request type and the one answer type between the app and the Web
//! API worker. The app builds a [`Request`], sends it as an [`ApiRequest`]
//! and gets back an [`Answer`] with the same id carrying a [`Reply`] of
//! domain values, or the [`ApiError`] that stopped it.
//!
//! Adding a capability costs one `Request` variant, one `Reply` variant (if
//! it returns something new), one arm in the worker and one reducer branch.

use std::sync::Arc;
use std::time::Instant;

use super::error::ApiError;
use crate::domain::music::{MusicKind, MusicRow, MusicSource, SearchGroup};
use crate::domain::{
    Device, ImageRef, Playback, PlaylistEntry, PlaylistSummary, RecentEntry, Repeat, Track,
};

/// How urgent a request is; ordered low → high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// Prefetching in the background.
    Background,
    /// Data for the pane on screen.
    VisiblePane,
    /// Periodic playback/device polls.
    Poll,
    /// A key the user pressed.
    User,
}

/// Where a `Play` starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlayTarget {
    /// Resume what was playing.
    Resume,
    /// A context (playlist, album) from an offset position.
    Context {
        /// Context URI.
        uri: String,
        /// Zero-based position in the context.
        position: u32,
    },
    /// A list of track/episode URIs.
    Uris(Vec<String>),
    /// A context (album, collection) from the item with this URI.
    ContextFrom {
        /// Context URI.
        uri: String,
        /// URI of the first item to play.
        item_uri: String,
    },
}

/// What to ask the Web API. Each variant names the [`Reply`] it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `GET /me/player` → [`Reply::Playback`].
    GetPlayback,
    /// `GET /me/player/devices` → [`Reply::Devices`].
    GetDevices,
    /// `GET /me/player/queue` → [`Reply::Queue`].
    GetQueue,
    /// `GET /me/player/recently-played` (50) → [`Reply::Recent`].
    GetRecent,
    /// `GET /me` → [`Reply::Me`].
    GetMe,
    /// `PUT /me/player/play` → [`Reply::Done`].
    Play {
        /// What to play.
        target: PlayTarget,
        /// Device to play on.
        device_id: Option<String>,
    },
    /// `PUT /me/player/pause` → `Done`.
    Pause {
        /// Device.
        device_id: Option<String>,
    },
    /// `POST /me/player/next` → `Done`.
    Next {
        /// Device.
        device_id: Option<String>,
    },
    /// `POST /me/player/previous` → `Done`.
    Previous {
        /// Device.
        device_id: Option<String>,
    },
    /// `PUT /me/player/seek` → `Done`.
    Seek {
        /// Position.
        position_ms: u64,
        /// Device.
        device_id: Option<String>,
    },
    /// `PUT /me/player/volume` → `Done`.
    Volume {
        /// Percent 0–100.
        percent: u8,
        /// Device.
        device_id: Option<String>,
    },
    /// `PUT /me/player/shuffle` → `Done`.
    Shuffle {
        /// On or off.
        on: bool,
        /// Device.
        device_id: Option<String>,
    },
    /// `PUT /me/player/repeat` → `Done`.
    Repeat {
        /// Mode.
        mode: Repeat,
        /// Device.
        device_id: Option<String>,
    },
    /// `PUT /me/player` (transfer) → `Done`.
    Transfer {
        /// Target device.
        device_id: String,
        /// Start playing there.
        play: bool,
    },
    /// `POST /me/player/queue` → `Done`.
    AddToQueue {
        /// Track or episode URI.
        uri: String,
    },
    /// `GET /me/playlists`, every page → streamed [`Reply::PlaylistsPage`]s.
    GetMyPlaylists,
    /// `GET /browse/featured-playlists` (first 50) → [`Reply::Featured`].
    GetFeatured,
    /// `GET /playlists/{id}` → [`Reply::Playlist`].
    GetPlaylist {
        /// Playlist id.
        playlist_id: String,
    },
    /// `GET /playlists/{id}/items`, every page → streamed [`Reply::ItemsPage`]s;
    /// with rows cached on disk, [`Reply::CachedItems`] first, then
    /// [`Reply::ItemsCurrent`] after one `fields=snapshot_id` read when the
    /// snapshot is unchanged.
    GetPlaylistItems {
        /// Playlist id.
        playlist_id: String,
    },
    /// `POST /playlists/{id}/items` (any number, 100 at a time) → [`Reply::Snapshot`].
    AddItems {
        /// Playlist id.
        playlist_id: String,
        /// URIs to add.
        uris: Vec<String>,
        /// Insert position; end when `None`.
        position: Option<u32>,
        /// For an insert at a position: the snapshot the position refers to.
        /// The worker refuses the add as a conflict if the playlist moved on.
        snapshot_id: Option<String>,
    },
    /// Remove the items at these positions (only those copies) → `Snapshot`.
    RemovePositions {
        /// Playlist id.
        playlist_id: String,
        /// (position, uri) pairs, as the app sees them.
        items: Vec<(u32, String)>,
        /// URIs of the whole playlist as loaded (`""` for unavailable rows);
        /// empty when the app does not have it: the worker reads it then.
        current_uris: Vec<String>,
        /// Snapshot the positions refer to.
        snapshot_id: String,
    },
    /// `PUT /playlists/{id}/items` reorder → `Snapshot`.
    Reorder {
        /// Playlist id.
        playlist_id: String,
        /// First position moved.
        range_start: u32,
        /// How many.
        range_length: u32,
        /// Insert before this position (in the original list).
        insert_before: u32,
        /// Snapshot the positions refer to.
        snapshot_id: String,
    },
    /// `PUT /playlists/{id}` details → `Done`.
    ChangeDetails {
        /// Playlist id.
        playlist_id: String,
        /// New name.
        name: Option<String>,
        /// New description.
        description: Option<String>,
        /// New public flag.
        public: Option<bool>,
        /// New collaborative flag.
        collaborative: Option<bool>,
    },
    /// `POST /me/playlists` → [`Reply::Created`].
    CreatePlaylist {
        /// Name.
        name: String,
        /// Description.
        description: String,
        /// Public.
        public: bool,
        /// Collaborative.
        collaborative: bool,
    },
    /// `DELETE /playlists/{id}/followers` → `Done`.
    Unfollow {
        /// Playlist id.
        playlist_id: String,
    },
    /// `GET /playlists/{id}/images` → [`Reply::Cover`].
    GetCover {
        /// Playlist id.
        playlist_id: String,
    },
    /// Read an image file, shrink it to a JPEG Spotify accepts and
    /// `PUT /playlists/{id}/images` → `Done`.
    UploadCover {
        /// Playlist id.
        playlist_id: String,
        /// Path typed by the user.
        path: String,
    },
    /// Fetch and decode cover art → [`Reply::Art`].
    FetchArt {
        /// Image URL.
        url: String,
    },
    /// `GET /search` → [`Reply::Search`].
    Search {
        /// What the user typed.
        query: String,
        /// Types to look for.
        kinds: Vec<MusicKind>,
        /// First result per type.
        offset: u32,
        /// Results per type (1–10).
        limit: u32,
    },
    /// A music list, every page → streamed [`Reply::Rows`].
    GetRows {
        /// Which list.
        source: MusicSource,
    },
    /// `GET /tracks/{id}` → [`Reply::Rows`]: the track's album, then its artists.
    GetTrackLinks {
        /// Track id.
        track_id: String,
    },
    /// `PUT /me/library` (40 at a time): like, save, follow → `Done`.
    SaveToLibrary {
        /// URIs.
        uris: Vec<String>,
    },
    /// `DELETE /me/library` (40 at a time): unlike, remove, unfollow → `Done`.
    RemoveFromLibrary {
        /// URIs.
        uris: Vec<String>,
    },
    /// `GET /me/library/contains` → [`Reply::Contains`].
    LibraryContains {
        /// URIs.
        uris: Vec<String>,
    },
}

impl Request {
    /// True for calls that change playback (user commands).
    pub fn is_player_command(&self) -> bool {
        matches!(
            self,
            Request::Play { .. }
                | Request::Pause { .. }
                | Request::Next { .. }
                | Request::Previous { .. }
                | Request::Seek { .. }
                | Request::Volume { .. }
                | Request::Shuffle { .. }
                | Request::Repeat { .. }
                | Request::Transfer { .. }
        )
    }

    /// The same command aimed at a specific device (used after NO_ACTIVE_DEVICE).
    pub fn with_device(&self, device: &str) -> Request {
        let mut r = self.clone();
        match &mut r {
            Request::Play { device_id, .. }
            | Request::Pause { device_id }
            | Request::Next { device_id }
            | Request::Previous { device_id }
            | Request::Seek { device_id, .. }
            | Request::Volume { device_id, .. }
            | Request::Shuffle { device_id, .. }
            | Request::Repeat { device_id, .. } => *device_id = Some(device.to_string()),
            _ => {}
        }
        r
    }

    /// Reads answered [`Reply::Coalesced`] when an equal one is queued or in flight.
    pub fn is_dedupable_read(&self) -> bool {
        matches!(
            self,
            Request::GetPlayback
                | Request::GetDevices
                | Request::GetQueue
                | Request::GetRecent
                | Request::GetMe
                | Request::GetCover { .. }
                | Request::GetFeatured
                | Request::FetchArt { .. }
        )
    }

    /// Commands where only the newest queued one matters.
    pub fn is_supersedable(&self) -> bool {
        matches!(self, Request::Volume { .. } | Request::Seek { .. })
    }

    /// A short name for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Request::GetPlayback => "get_playback",
            Request::GetDevices => "get_devices",
            Request::GetQueue => "get_queue",
            Request::GetRecent => "get_recent",
            Request::GetMe => "get_me",
            Request::Play { .. } => "play",
            Request::Pause { .. } => "pause",
            Request::Next { .. } => "next",
            Request::Previous { .. } => "previous",
            Request::Seek { .. } => "seek",
            Request::Volume { .. } => "volume",
            Request::Shuffle { .. } => "shuffle",
            Request::Repeat { .. } => "repeat",
            Request::Transfer { .. } => "transfer",
            Request::AddToQueue { .. } => "add_to_queue",
            Request::GetMyPlaylists => "get_my_playlists",
            Request::GetFeatured => "get_featured",
            Request::GetPlaylist { .. } => "get_playlist",
            Request::GetPlaylistItems { .. } => "get_playlist_items",
            Request::AddItems { .. } => "add_items",
            Request::RemovePositions { .. } => "remove_positions",
            Request::Reorder { .. } => "reorder",
            Request::ChangeDetails { .. } => "change_details",
            Request::CreatePlaylist { .. } => "create_playlist",
            Request::Unfollow { .. } => "unfollow",
            Request::GetCover { .. } => "get_cover",
            Request::UploadCover { .. } => "upload_cover",
            Request::FetchArt { .. } => "fetch_art",
            Request::Search { .. } => "search",
            Request::GetRows { .. } => "get_rows",
            Request::GetTrackLinks { .. } => "get_track_links",
            Request::SaveToLibrary { .. } => "save_to_library",
            Request::RemoveFromLibrary { .. } => "remove_from_library",
            Request::LibraryContains { .. } => "library_contains",
        }
    }
}

/// A request with its id (chosen by the sender, echoed in the answer) and urgency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// Correlation id.
    pub id: u64,
    /// Urgency.
    pub priority: Priority,
    /// What to call.
    pub call: Request,
}

/// What a request brought back, in domain values.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Playback state; `None` when nothing is active (204).
    Playback(Option<Playback>),
    /// Devices.
    Devices(Vec<Device>),
    /// Up next.
    Queue(Vec<Track>),
    /// Recently played.
    Recent(Vec<RecentEntry>),
    /// The user's id and display name.
    Me(String, String),
    /// A command without a body of interest finished.
    Done,
    /// Not sent: superseded by, or merged into, an equal or newer request.
    Coalesced,
    /// One page of the user's playlists.
    PlaylistsPage {
        /// Offset of the first item.
        offset: u32,
        /// Total playlists.
        total: u32,
        /// Playlists (null entries skipped).
        items: Vec<PlaylistSummary>,
        /// Last page of this request.
        done: bool,
    },
    /// Featured playlists.
    Featured(Vec<PlaylistSummary>),
    /// Playlist metadata.
    Playlist(PlaylistSummary),
    /// One page of a playlist's items; position of `items[i]` = `offset + i`.
    ItemsPage {
        /// Playlist id.
        playlist_id: String,
        /// Snapshot the pages were read at (from the playlist object).
        snapshot_id: String,
        /// Offset of the first item.
        offset: u32,
        /// Total items.
        total: u32,
        /// Rows (unavailable entries kept).
        items: Vec<PlaylistEntry>,
        /// Last page of this request.
        done: bool,
    },
    /// A playlist's rows from the on-disk cache, at the snapshot they were
    /// stored. They are not confirmed: the same request then answers
    /// [`Reply::ItemsCurrent`] (the snapshot is unchanged) or fresh
    /// [`Reply::ItemsPage`]s that replace them.
    CachedItems {
        /// Playlist id.
        playlist_id: String,
        /// Snapshot the rows were stored at.
        snapshot_id: String,
        /// Every row, in order.
        items: Vec<PlaylistEntry>,
    },
    /// The cached rows are the playlist's current rows; the load is done.
    ItemsCurrent {
        /// Playlist id.
        playlist_id: String,
        /// The confirmed snapshot.
        snapshot_id: String,
    },
    /// A playlist edit finished with this new snapshot id.
    Snapshot(String),
    /// A playlist was created.
    Created(PlaylistSummary),
    /// Cover images of a playlist, largest first.
    Cover(Vec<ImageRef>),
    /// Decoded cover art.
    Art {
        /// The URL it came from.
        url: String,
        /// The decoded image.
        image: Arc<image::DynamicImage>,
    },
    /// Search results, one group per requested type.
    Search {
        /// The query they answer.
        query: String,
        /// Results by type, in the requested order.
        groups: Vec<SearchGroup>,
    },
    /// One page of a music list; row `i` is at `offset + i`.
    Rows {
        /// Offset of the first row.
        offset: u32,
        /// Rows in the whole list.
        total: u32,
        /// The rows.
        rows: Vec<MusicRow>,
        /// Last page of this request.
        done: bool,
    },
    /// Whether each URI asked about is saved, in order.
    Contains(Vec<bool>),
}

/// The answer to one request (a paged request sends several; an `Err` ends it).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The request's id.
    pub id: u64,
    /// What came back.
    pub result: Result<Reply, ApiError>,
}

/// What the worker reports.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerEvent {
    /// An answer (boxed: it is handed on to the app as it is).
    Answer(Box<Answer>),
    /// Spotify asked us to wait; nothing is sent before `until`.
    RateLimited {
        /// End of the block.
        until: Instant,
    },
    /// The rate-limit block is over.
    RateLimitOver,
}
