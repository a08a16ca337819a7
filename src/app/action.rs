//! Actions: what `update` asks the outside world to do. API calls go out on
//! the action channel to the Web API worker; everything else is handled by
//! the event loop.

use std::time::Instant;

use crate::domain::Repeat;

/// Something to do, produced by `update`.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Call the Web API; the answer comes back as `Event::Api` with the same id.
    Api {
        /// Request id, increasing; used to order answers.
        id: u64,
        /// Priority class for the scheduler.
        priority: Priority,
        /// What to call.
        call: ApiCall,
    },
    /// Tell the poller when to poll next.
    Schedule(PollPlan),
    /// Fetch and decode cover art for the now-playing pane.
    FetchArt {
        /// Image URL.
        url: String,
    },
    /// Read an image file from disk, convert it to a JPEG of at most 256 KB
    /// base64, and upload it as the playlist cover.
    UploadCoverFile {
        /// Request id.
        id: u64,
        /// Playlist id.
        playlist_id: String,
        /// Path typed by the user.
        path: String,
    },
    /// Leave the app.
    Quit,
}

/// Scheduling priority, low to high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Paging in the background.
    Background,
    /// Data for the pane on screen.
    VisiblePane,
    /// Playback and device polls.
    Poll,
    /// A command the user just gave.
    User,
}

/// When the poller should next ask for playback and devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPlan {
    /// Next playback poll.
    pub playback_at: Instant,
    /// Next device-list poll.
    pub devices_at: Instant,
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
}

/// A Web API call, in the app's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiCall {
    /// GET /me/player.
    GetPlayback,
    /// GET /me/player/devices.
    GetDevices,
    /// GET /me/player/queue.
    GetQueue,
    /// GET /me/player/recently-played.
    GetRecent,
    /// GET /me.
    GetMe,
    /// PUT /me/player/play.
    Play {
        /// What to play.
        target: PlayTarget,
        /// Device to play on.
        device_id: Option<String>,
    },
    /// PUT /me/player/pause.
    Pause {
        /// Device.
        device_id: Option<String>,
    },
    /// POST /me/player/next.
    Next {
        /// Device.
        device_id: Option<String>,
    },
    /// POST /me/player/previous.
    Previous {
        /// Device.
        device_id: Option<String>,
    },
    /// PUT /me/player/seek.
    Seek {
        /// Position.
        position_ms: u64,
        /// Device.
        device_id: Option<String>,
    },
    /// PUT /me/player/volume.
    Volume {
        /// Percent 0–100.
        percent: u8,
        /// Device.
        device_id: Option<String>,
    },
    /// PUT /me/player/shuffle.
    Shuffle {
        /// On or off.
        on: bool,
        /// Device.
        device_id: Option<String>,
    },
    /// PUT /me/player/repeat.
    Repeat {
        /// Mode.
        mode: Repeat,
        /// Device.
        device_id: Option<String>,
    },
    /// PUT /me/player (transfer).
    Transfer {
        /// Target device.
        device_id: String,
        /// Start playing there.
        play: bool,
    },
    /// POST /me/player/queue.
    AddToQueue {
        /// Track or episode URI.
        uri: String,
    },
    /// GET /me/playlists, every page (streamed back page by page).
    GetMyPlaylists,
    /// GET /browse/featured-playlists.
    GetFeatured,
    /// GET /playlists/{id}.
    GetPlaylist {
        /// Playlist id.
        playlist_id: String,
    },
    /// GET /playlists/{id}/items, every page (streamed back page by page).
    GetPlaylistItems {
        /// Playlist id.
        playlist_id: String,
    },
    /// POST /playlists/{id}/items.
    AddItems {
        /// Playlist id.
        playlist_id: String,
        /// URIs to add.
        uris: Vec<String>,
        /// Insert position; end when `None`.
        position: Option<u32>,
        /// For an insert at a position: the snapshot the position refers to.
        /// The bridge refuses the add as a conflict if the playlist moved on.
        snapshot_id: Option<String>,
    },
    /// Remove the items at these positions (only those copies).
    RemovePositions {
        /// Playlist id.
        playlist_id: String,
        /// (position, uri) pairs, as the app sees them.
        items: Vec<(u32, String)>,
        /// URIs of the whole playlist as loaded (`""` for unavailable rows);
        /// needed because the API removes by URI (every copy).
        current_uris: Vec<String>,
        /// Snapshot the positions refer to.
        snapshot_id: String,
    },
    /// PUT /playlists/{id}/items reorder.
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
    /// PUT /playlists/{id} details.
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
    /// POST /me/playlists.
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
    /// DELETE /playlists/{id}/followers.
    Unfollow {
        /// Playlist id.
        playlist_id: String,
    },
    /// GET /playlists/{id}/images.
    GetCover {
        /// Playlist id.
        playlist_id: String,
    },
}

impl ApiCall {
    /// True for calls that change playback (user commands).
    pub fn is_player_command(&self) -> bool {
        matches!(
            self,
            ApiCall::Play { .. }
                | ApiCall::Pause { .. }
                | ApiCall::Next { .. }
                | ApiCall::Previous { .. }
                | ApiCall::Seek { .. }
                | ApiCall::Volume { .. }
                | ApiCall::Shuffle { .. }
                | ApiCall::Repeat { .. }
                | ApiCall::Transfer { .. }
        )
    }

    /// The same command aimed at a specific device (used after NO_ACTIVE_DEVICE).
    pub fn with_device(&self, device: &str) -> ApiCall {
        let d = Some(device.to_string());
        match self.clone() {
            ApiCall::Play { target, .. } => ApiCall::Play {
                target,
                device_id: d,
            },
            ApiCall::Pause { .. } => ApiCall::Pause { device_id: d },
            ApiCall::Next { .. } => ApiCall::Next { device_id: d },
            ApiCall::Previous { .. } => ApiCall::Previous { device_id: d },
            ApiCall::Seek { position_ms, .. } => ApiCall::Seek {
                position_ms,
                device_id: d,
            },
            ApiCall::Volume { percent, .. } => ApiCall::Volume {
                percent,
                device_id: d,
            },
            ApiCall::Shuffle { on, .. } => ApiCall::Shuffle { on, device_id: d },
            ApiCall::Repeat { mode, .. } => ApiCall::Repeat { mode, device_id: d },
            other => other,
        }
    }
}
