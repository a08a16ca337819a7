//! Events: things that happened. Input comes from the terminal, results from
//! the Web API worker, timers from the poller and the animation tick.

use std::time::Instant;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::{Device, Playback, PlaylistEntry, PlaylistSummary, RecentEntry, Track};

/// Something that happened; the only input of `update`.
#[derive(Debug, Clone)]
pub enum Event {
    /// A key press.
    Key(KeyEvent),
    /// A mouse event.
    Mouse(MouseEvent),
    /// Text pasted into the terminal.
    Paste(String),
    /// The terminal was resized.
    Resize(u16, u16),
    /// Animation tick (only while something moves).
    Tick,
    /// The poller says it is time to poll.
    PollDue(PollKind),
    /// An answer from the Web API worker.
    Api(Box<ApiEvent>),
    /// Cover art finished loading (or failed).
    Art(ArtEvent),
    /// From the desktop integration (MPRIS, hooks): a command or a note.
    Desktop(DesktopEvent),
}

/// What the desktop integration tells the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DesktopEvent {
    /// A command from a media key or an MPRIS client; it goes through the
    /// reducer like a key, so optimistic updates and rollbacks apply.
    Command(RemoteCommand),
    /// A sentence for the status line (e.g. a hook that failed).
    Notice(String),
}

/// A player command from outside the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteCommand {
    /// The same as pressing the intent's key on the player screen.
    Intent(super::intent::Intent),
    /// Play if paused; nothing if playing.
    Play,
    /// Pause if playing; nothing if paused.
    Pause,
    /// Seek by this many milliseconds from the current position.
    SeekBy(i64),
    /// Seek to this position in the current item.
    SetPosition(u64),
    /// Set the volume (percent).
    Volume(u8),
    /// Set shuffle.
    Shuffle(bool),
    /// Set the repeat mode.
    Repeat(crate::domain::Repeat),
}

/// What the poller asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollKind {
    /// Playback state.
    Playback,
    /// Device list.
    Devices,
}

/// Why an API call failed, in the app's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// No device is active; the user should pick one.
    NoActiveDevice,
    /// The account is not Premium.
    PremiumRequired,
    /// The token lacks a scope or the app may not do this.
    Forbidden,
    /// The resource does not exist (or is not available to this app).
    NotFound,
    /// Rate limited.
    RateLimited,
    /// The playlist changed elsewhere; positions no longer match.
    Conflict,
    /// The login is gone.
    Unauthorized,
    /// Anything else (network, server, bad request).
    Other,
}

/// A failed call: a sentence for the status line and a kind to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    /// What to show the user.
    pub sentence: String,
    /// What kind of failure.
    pub kind: FailureKind,
}

impl ApiFailure {
    /// A failure of kind `Other`.
    pub fn other(sentence: impl Into<String>) -> Self {
        Self {
            sentence: sentence.into(),
            kind: FailureKind::Other,
        }
    }
}

/// The outcome of a call, tagged with the request id.
#[derive(Debug, Clone)]
pub struct ApiEvent {
    /// Id of the request this answers.
    pub id: u64,
    /// What came back.
    pub outcome: ApiOutcome,
}

/// Result payloads, one per kind of call.
#[derive(Debug, Clone)]
pub enum ApiOutcome {
    /// Playback state; `None` when nothing is active (204). `at` is the response time.
    Playback(Result<Option<Playback>, ApiFailure>),
    /// Devices.
    Devices(Result<Vec<Device>, ApiFailure>),
    /// Queue: currently playing and up next.
    Queue(Result<(Option<Track>, Vec<Track>), ApiFailure>),
    /// Recently played.
    Recent(Result<Vec<RecentEntry>, ApiFailure>),
    /// The user's id and display name.
    Me(Result<(String, String), ApiFailure>),
    /// A player command or other call without a body finished.
    Done(Result<(), ApiFailure>),
    /// The request was superseded by a newer one of the same kind.
    Coalesced,
    /// One page of the user's playlists.
    PlaylistsPage {
        /// Offset of the first item.
        offset: u32,
        /// Total playlists.
        total: u32,
        /// Playlists (null entries already skipped).
        items: Vec<PlaylistSummary>,
        /// Last page.
        done: bool,
    },
    /// Loading playlists failed.
    PlaylistsFailed(ApiFailure),
    /// Featured playlists (or why they are unavailable).
    Featured(Result<Vec<PlaylistSummary>, ApiFailure>),
    /// Playlist metadata.
    Playlist(Result<PlaylistSummary, ApiFailure>),
    /// One page of a playlist's items.
    ItemsPage {
        /// Playlist id.
        playlist_id: String,
        /// Offset of the first item.
        offset: u32,
        /// Total items.
        total: u32,
        /// Rows.
        items: Vec<PlaylistEntry>,
        /// Last page.
        done: bool,
    },
    /// Loading items failed (e.g. 403 under the 2026 rules).
    ItemsFailed {
        /// Playlist id.
        playlist_id: String,
        /// Why.
        failure: ApiFailure,
    },
    /// A playlist edit finished with this new snapshot id.
    Snapshot(Result<String, ApiFailure>),
    /// A playlist was created.
    Created(Result<PlaylistSummary, ApiFailure>),
    /// Cover images of a playlist.
    Cover(Result<Vec<crate::domain::ImageRef>, ApiFailure>),
    /// The API asked us to wait; no request is sent before `until`.
    RateLimited {
        /// End of the wait.
        until: Instant,
    },
}

/// Cover art result.
#[derive(Debug, Clone)]
pub enum ArtEvent {
    /// Decoded and ready to draw.
    Ready {
        /// The URL it came from.
        url: String,
        /// The decoded image.
        image: std::sync::Arc<image::DynamicImage>,
    },
    /// Encoded for the terminal at the art pane's size (done off the render path).
    Encoded(crate::app::state::ArtProtocol),
    /// Could not fetch or decode.
    Failed {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
}
