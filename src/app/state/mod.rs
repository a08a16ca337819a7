//! The whole application state. No channels, handles or clocks live here;
//! time comes in as a parameter of `update` and `render`.

pub mod edits;
pub mod find;
pub mod library;
pub mod modal;
pub mod paged;

use std::sync::Arc;
use std::time::Instant;

use crate::config::{Config, PollConfig};
use crate::cover::ArtProtocol;
use crate::domain::{Device, Playback, RecentEntry, Repeat, Track};
use crate::spotify::error::ApiError;
use crate::spotify::request::Request;

use super::action::PollPlan;
use super::cursor::ListCursor;
use super::keymap::Keymap;
use library::Library;

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    /// Now playing, queue, recently played, devices.
    #[default]
    Player,
    /// Playlist browser and editor.
    Playlists,
    /// Search the catalogue.
    Search,
    /// Liked Songs, saved albums, followed artists, saved shows.
    Library,
}

/// The focused list on the player screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// Up next.
    #[default]
    Queue,
    /// Recently played.
    Recent,
    /// Devices.
    Devices,
}

impl Focus {
    /// Next pane in tab order.
    pub fn next(self) -> Self {
        match self {
            Focus::Queue => Focus::Recent,
            Focus::Recent => Focus::Devices,
            Focus::Devices => Focus::Queue,
        }
    }
    /// Previous pane in tab order.
    pub fn prev(self) -> Self {
        match self {
            Focus::Queue => Focus::Devices,
            Focus::Recent => Focus::Queue,
            Focus::Devices => Focus::Recent,
        }
    }
}

/// A modal shown over the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    /// Key help, generated from the keymap.
    Help {
        /// Scroll offset.
        scroll: u16,
    },
    /// Pick a device; `retry` is re-sent to the chosen device.
    DevicePicker {
        /// Selection.
        cursor: ListCursor,
        /// The command that failed with NO_ACTIVE_DEVICE, if any.
        retry: Option<Request>,
    },
    /// Type a position to seek to.
    SeekPrompt {
        /// Text typed so far.
        input: String,
    },
    /// Choose when the sleep timer pauses (one of [`super::sleep::CHOICES`]).
    SleepMenu {
        /// Selected choice.
        selected: usize,
    },
}

/// Severity of a status message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Information.
    Info,
    /// Something failed.
    Error,
    /// An operation under way ("Moving playback to …"); cleared when it ends.
    Progress,
}

/// The status line's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Text in plain words.
    pub text: String,
    /// Severity.
    pub level: Level,
    /// When it was set.
    pub at: Instant,
}

/// What to restore if an optimistic command is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollback {
    /// Previous play/pause state.
    Playing(bool),
    /// Previous volume.
    Volume(Option<u8>),
    /// Previous shuffle.
    Shuffle(bool),
    /// Previous repeat.
    Repeat(Repeat),
    /// Previous position.
    Progress(u64),
    /// Previous item, position and queue: skips were shown before Spotify
    /// confirmed them.
    Skip {
        /// The item that was playing.
        item: Option<Box<Track>>,
        /// Its position.
        progress_ms: u64,
        /// Up next as it was.
        queue: Vec<Track>,
    },
    /// The device playback was on and the device marked active: a
    /// transfer was shown before Spotify confirmed it.
    Device {
        /// The device in the now-playing header.
        playing_on: Option<Box<Device>>,
        /// Id of the device marked active in the list.
        active: Option<String>,
    },
    /// Nothing was changed locally.
    Nothing,
}

/// A command sent but not yet answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCommand {
    /// Request id.
    pub id: u64,
    /// The call, kept for a retry on another device.
    pub call: Request,
    /// How to undo the optimistic change.
    pub rollback: Rollback,
}

/// Cover art of the now-playing item.
#[derive(Debug, Clone)]
pub struct ArtState {
    /// Image pixels one cell column shows: 1 for half-blocks, the font's
    /// width for terminals that draw real images. Picks the image size.
    pub px_per_column: u32,
    /// URL the now-playing item wants.
    pub wanted: Option<String>,
    /// Decoded image for a URL.
    pub decoded: Option<(String, Arc<image::DynamicImage>)>,
    /// Encoded for the current pane size.
    pub encoded: Option<ArtProtocol>,
    /// URL that failed to load, with why.
    pub failed: Option<(String, String)>,
    /// The fetch in flight: request id and URL.
    pub fetching: Option<(u64, String)>,
}

impl Default for ArtState {
    fn default() -> Self {
        Self {
            // A common font width until the runtime knows the terminal's.
            px_per_column: 10,
            wanted: None,
            decoded: None,
            encoded: None,
            failed: None,
            fetching: None,
        }
    }
}

/// Requests in flight that must not be sent twice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InFlight {
    /// Playback poll id.
    pub playback: Option<u64>,
    /// Devices poll id.
    pub devices: Option<u64>,
    /// Queue id.
    pub queue: Option<u64>,
    /// Recently played id.
    pub recent: Option<u64>,
}

/// Everything the app knows.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Screen shown.
    pub screen: Screen,
    /// Focused list on the player screen.
    pub focus: Focus,
    /// Modal, if any.
    pub popup: Option<Popup>,
    /// Playback; `None` when nothing is active.
    pub playback: Option<Playback>,
    /// At least one playback answer has arrived.
    pub playback_loaded: bool,
    /// Devices.
    pub devices: Vec<Device>,
    /// Device list selection.
    pub device_cursor: ListCursor,
    /// Up next.
    pub queue: Vec<Track>,
    /// Queue selection.
    pub queue_cursor: ListCursor,
    /// Recently played.
    pub recent: Vec<RecentEntry>,
    /// Recent selection.
    pub recent_cursor: ListCursor,
    /// Playlist browser and editor.
    pub library: Library,
    /// Search, the saved library and the album/artist/show pages.
    pub find: find::Find,
    /// Status line message.
    pub status: Option<Status>,
    /// No request is sent before this instant (429 Retry-After).
    pub rate_limited_until: Option<Instant>,
    /// Why the last poll did not get through: Spotify could not be reached
    /// or refused the login. What the screen shows is then last known.
    /// Cleared by the next poll answered.
    pub link_problem: Option<ApiError>,
    /// Polls in flight.
    pub inflight: InFlight,
    /// Commands sent and not answered.
    pub pending: Vec<PendingCommand>,
    /// Poll answers with an id at or below this were asked before the last command finished.
    pub ack_watermark: u64,
    /// Next request id.
    pub next_id: u64,
    /// Poll fast until then (after a command).
    pub burst_until: Option<Instant>,
    /// Current poll plan.
    pub poll_plan: PollPlan,
    /// Poll intervals.
    pub poll_cfg: PollConfig,
    /// Cover art.
    pub art: ArtState,
    /// Whether cover art is wanted at all.
    pub images_enabled: bool,
    /// Key bindings.
    pub keymap: Keymap,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The screen must be redrawn.
    pub dirty: bool,
    /// The app should exit.
    pub quit: bool,
    /// Logged in with an app-only token: no user data.
    pub app_only: bool,
    /// Volume before muting.
    pub muted_from: Option<u8>,
    /// URI and name of the playing playlist when the library does not list
    /// it (empty when it could not be read).
    pub context_name: Option<(String, String)>,
    /// User id and display name.
    pub user: Option<(String, String)>,
    /// The sleep timer, when set.
    pub sleep: Option<super::sleep::SleepTimer>,
    /// How long the sleep timer fades the volume before pausing.
    pub sleep_fade: std::time::Duration,
    /// Colours the screen is drawn in.
    pub theme: crate::theme::Theme,
}

impl AppState {
    /// A fresh state at `now`.
    pub fn new(config: &Config, keymap: Keymap, now: Instant) -> Self {
        Self {
            screen: Screen::Player,
            focus: Focus::Queue,
            popup: None,
            playback: None,
            playback_loaded: false,
            devices: Vec::new(),
            device_cursor: ListCursor::default(),
            queue: Vec::new(),
            queue_cursor: ListCursor::default(),
            recent: Vec::new(),
            recent_cursor: ListCursor::default(),
            library: Library::default(),
            find: find::Find::default(),
            status: None,
            rate_limited_until: None,
            link_problem: None,
            inflight: InFlight::default(),
            pending: Vec::new(),
            ack_watermark: 0,
            next_id: 1,
            burst_until: None,
            poll_plan: PollPlan {
                playback_at: now,
                devices_at: now,
            },
            poll_cfg: config.poll.clone(),
            art: ArtState::default(),
            images_enabled: config.ui.images != crate::config::ImageMode::Off,
            keymap,
            size: (80, 24),
            dirty: true,
            quit: false,
            app_only: false,
            muted_from: None,
            context_name: None,
            user: None,
            sleep: None,
            sleep_fade: std::time::Duration::from_secs(config.desktop.sleep_fade_secs),
            theme: crate::theme::Theme::default(),
        }
    }

    /// Allocates a request id.
    pub fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Sets the status line.
    pub fn info(&mut self, text: impl Into<String>, now: Instant) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Info,
            at: now,
        });
        self.dirty = true;
    }

    /// Sets the status line to an operation under way, cleared by
    /// [`AppState::end_progress`].
    pub fn progress(&mut self, text: impl Into<String>, now: Instant) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Progress,
            at: now,
        });
        self.dirty = true;
    }

    /// Clears the status line if it still shows an operation under way.
    pub fn end_progress(&mut self) {
        if self
            .status
            .as_ref()
            .is_some_and(|s| s.level == Level::Progress)
        {
            self.status = None;
            self.dirty = true;
        }
    }

    /// Sets the status line to an error.
    pub fn error(&mut self, text: impl Into<String>, now: Instant) {
        self.status = Some(Status {
            text: text.into(),
            level: Level::Error,
            at: now,
        });
        self.dirty = true;
    }

    /// The now-playing item, if any.
    pub fn now_playing(&self) -> Option<&Track> {
        self.playback.as_ref().and_then(|p| p.item.as_ref())
    }

    /// True while the screen changes with time: the progress bar moves, a
    /// countdown runs, or a status message is waiting to expire.
    pub fn is_animating(&self) -> bool {
        self.playback.as_ref().is_some_and(|p| p.is_playing)
            || self.rate_limited_until.is_some()
            || self.status.is_some()
            || self.library.is_loading()
            || self.find.is_busy()
            || self.sleep.is_some()
    }

    /// Id of the active device, if known.
    pub fn active_device_id(&self) -> Option<String> {
        self.playback
            .as_ref()
            .and_then(|p| p.device.as_ref())
            .and_then(|d| d.id.clone())
            .or_else(|| {
                self.devices
                    .iter()
                    .find(|d| d.is_active)
                    .and_then(|d| d.id.clone())
            })
    }
}
