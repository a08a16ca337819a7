//! Playback state, devices, the queue and listening history.

use serde::{Deserialize, Serialize};

use super::common::{Context, CursorPage, PageEntry, lenient, lenient_opt, null_default};
use super::item::{PlayableItem, Track};

/// Repeat mode. A mode this client does not know is kept as sent
/// ([`RepeatState::Other`]) instead of failing the whole playback state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RepeatState {
    /// No repeat.
    #[default]
    Off,
    /// Repeat the current track.
    Track,
    /// Repeat the current context.
    Context,
    /// A value this client does not know, shown as-is.
    Other(UnknownValue),
}

impl RepeatState {
    /// The API spelling (`off`, `track`, `context`, or the unknown value as sent).
    pub fn as_str(&self) -> &str {
        match self {
            RepeatState::Off => "off",
            RepeatState::Track => "track",
            RepeatState::Context => "context",
            RepeatState::Other(v) => v.as_str(),
        }
    }

    /// Reads the API spelling; anything else becomes [`RepeatState::Other`].
    pub fn from_api(s: &str) -> Self {
        match s {
            "off" => RepeatState::Off,
            "track" => RepeatState::Track,
            "context" => RepeatState::Context,
            other => RepeatState::Other(UnknownValue::new(other)),
        }
    }

    /// The next mode in the off → context → track → off cycle (an unknown
    /// mode goes to off).
    pub fn cycle(self) -> Self {
        match self {
            RepeatState::Off => RepeatState::Context,
            RepeatState::Context => RepeatState::Track,
            RepeatState::Track | RepeatState::Other(_) => RepeatState::Off,
        }
    }
}

impl Serialize for RepeatState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RepeatState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(RepeatState::from_api(&s))
    }
}

/// An enum value from the API that this client does not know, kept for
/// display: at most [`UnknownValue::MAX`] bytes (cut at a character
/// boundary), stored inline so the enums holding it stay `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnknownValue {
    len: u8,
    bytes: [u8; UnknownValue::MAX],
}

impl UnknownValue {
    /// Longest value kept, in bytes.
    pub const MAX: usize = 31;

    /// Keeps `s` (its first [`Self::MAX`] bytes, at a character boundary).
    pub fn new(s: &str) -> Self {
        let mut end = s.len().min(Self::MAX);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0; Self::MAX];
        bytes[..end].copy_from_slice(&s.as_bytes()[..end]);
        Self {
            len: end as u8,
            bytes,
        }
    }

    /// The value as sent.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl std::fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// A Spotify Connect device. `id` and `volume_percent` may be `null`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Device {
    /// Device id; `None` for some restricted devices.
    #[serde(default)]
    pub id: Option<String>,
    /// Currently active.
    #[serde(default, deserialize_with = "null_default")]
    pub is_active: bool,
    /// In a private session.
    #[serde(default, deserialize_with = "null_default")]
    pub is_private_session: bool,
    /// Accepts no Web API commands.
    #[serde(default, deserialize_with = "null_default")]
    pub is_restricted: bool,
    /// Human-readable name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// "Computer", "Smartphone", "Speaker", …
    #[serde(rename = "type", default, deserialize_with = "null_default")]
    pub kind: String,
    /// Volume 0–100, when known (`None` also for a value out of range).
    #[serde(default, deserialize_with = "lenient_opt")]
    pub volume_percent: Option<u8>,
    /// Whether the volume can be set.
    #[serde(default, deserialize_with = "null_default")]
    pub supports_volume: bool,
}

/// `GET /me/player/devices` body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Devices {
    /// The devices.
    #[serde(default, deserialize_with = "null_default")]
    pub devices: Vec<Device>,
}

/// Which actions the current context disallows (`true` = not allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Disallows {
    /// Interrupting playback.
    #[serde(deserialize_with = "null_default")]
    pub interrupting_playback: bool,
    /// Pausing.
    #[serde(deserialize_with = "null_default")]
    pub pausing: bool,
    /// Resuming.
    #[serde(deserialize_with = "null_default")]
    pub resuming: bool,
    /// Seeking.
    #[serde(deserialize_with = "null_default")]
    pub seeking: bool,
    /// Skipping to next.
    #[serde(deserialize_with = "null_default")]
    pub skipping_next: bool,
    /// Skipping to previous.
    #[serde(deserialize_with = "null_default")]
    pub skipping_prev: bool,
    /// Toggling repeat context.
    #[serde(deserialize_with = "null_default")]
    pub toggling_repeat_context: bool,
    /// Toggling shuffle.
    #[serde(deserialize_with = "null_default")]
    pub toggling_shuffle: bool,
    /// Toggling repeat track.
    #[serde(deserialize_with = "null_default")]
    pub toggling_repeat_track: bool,
    /// Transferring playback.
    #[serde(deserialize_with = "null_default")]
    pub transferring_playback: bool,
}

/// The `actions` object: the real API wraps the flags in `disallows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actions {
    /// Disallowed actions.
    #[serde(default, deserialize_with = "null_default")]
    pub disallows: Disallows,
}

/// `GET /me/player` (200): the full playback state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlaybackState {
    /// The active device.
    #[serde(default)]
    pub device: Option<Device>,
    /// Repeat mode.
    #[serde(default, deserialize_with = "null_default")]
    pub repeat_state: RepeatState,
    /// Shuffle on.
    #[serde(default, deserialize_with = "null_default")]
    pub shuffle_state: bool,
    /// Smart shuffle on (undocumented field).
    #[serde(default, deserialize_with = "null_default")]
    pub smart_shuffle: bool,
    /// What playback started from.
    #[serde(default)]
    pub context: Option<Context>,
    /// Unix ms when the state last changed.
    #[serde(default, deserialize_with = "lenient")]
    pub timestamp: i64,
    /// Progress into the item, in ms (`None` also when negative).
    #[serde(default, deserialize_with = "lenient_opt")]
    pub progress_ms: Option<u64>,
    /// Something is playing.
    #[serde(default, deserialize_with = "null_default")]
    pub is_playing: bool,
    /// The item; `None` during ads or unknown states.
    #[serde(default)]
    pub item: Option<PlayableItem>,
    /// `track`, `episode`, `ad` or `unknown`.
    #[serde(default, deserialize_with = "null_default")]
    pub currently_playing_type: String,
    /// Allowed actions.
    #[serde(default, deserialize_with = "null_default")]
    pub actions: Actions,
}

impl PlaybackState {
    /// Disallowed actions, for greying out controls.
    pub fn disallows(&self) -> &Disallows {
        &self.actions.disallows
    }
}

/// `GET /me/player/currently-playing` (200): playback without device,
/// shuffle and repeat. Deserializes into the same type with those absent.
pub type CurrentlyPlaying = PlaybackState;

/// `GET /me/player/queue`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Queue {
    /// What plays now.
    #[serde(default)]
    pub currently_playing: Option<PlayableItem>,
    /// Upcoming items (unknown/null entries dropped).
    #[serde(default, deserialize_with = "queue_items")]
    pub queue: Vec<PlayableItem>,
}

fn queue_items<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<PlayableItem>, D::Error> {
    let raw = Option::<Vec<Option<PlayableItem>>>::deserialize(d)?.unwrap_or_default();
    Ok(raw.into_iter().flatten().collect())
}

/// One entry of the listening history.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlayHistory {
    /// The track.
    #[serde(default, deserialize_with = "null_default")]
    pub track: Track,
    /// When it was played (RFC 3339).
    #[serde(default, deserialize_with = "null_default")]
    pub played_at: String,
    /// Where it was played from.
    #[serde(default)]
    pub context: Option<Context>,
}

impl PageEntry for PlayHistory {}

/// `GET /me/player/recently-played`.
pub type RecentlyPlayed = CursorPage<PlayHistory>;
