//! Actions: what `update` asks the outside world to do. API requests go
//! straight to the Web API worker; poll plans go to the poller.

use std::time::Instant;

use crate::domain::PlaylistEntry;
use crate::spotify::request::ApiRequest;

/// Something to do, produced by `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send a request to the Web API worker; the answer comes back as
    /// `Event::Api` with the same id.
    Api(ApiRequest),
    /// Tell the poller when to poll next.
    Schedule(PollPlan),
    /// Store a playlist's rows at `snapshot_id` in the on-disk cache.
    CacheItems {
        /// Playlist id.
        playlist_id: String,
        /// The snapshot the rows are.
        snapshot_id: String,
        /// Every row, in order.
        items: Vec<PlaylistEntry>,
    },
    /// Leave the app.
    Quit,
}

/// When the poller should next ask for playback and devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPlan {
    /// Next playback poll.
    pub playback_at: Instant,
    /// Next device-list poll.
    pub devices_at: Instant,
}
