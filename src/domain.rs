//! The app's own view of Spotify data: small, owned types that the state,
//! the reducer and the panes use. Conversions from the wire models live in
//! `app::bridge`, so no HTTP or serde detail leaks into the UI.

use std::time::Instant;

use serde::{Deserialize, Serialize};

/// What kind of thing a playable row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    /// A catalogue track.
    Track,
    /// A podcast episode.
    Episode,
    /// A local file: shown, never playable or addable through the API.
    Local,
}

/// A track, episode or local file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Track {
    /// `spotify:track:…`, `spotify:episode:…` or `spotify:local:…`.
    pub uri: String,
    /// Title.
    pub title: String,
    /// Artist names, or the show name for an episode.
    pub artists: Vec<String>,
    /// Album name (or show name for an episode).
    pub album: String,
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// Track, episode or local file.
    pub kind: ItemKind,
    /// A cover image URL, largest first.
    pub images: Vec<ImageRef>,
    /// False when the catalogue marks it unplayable in the user's market.
    pub is_playable: bool,
}

impl Track {
    /// Artists joined for display.
    pub fn artist_line(&self) -> String {
        self.artists.join(", ")
    }

    /// True when the API can play or queue this item.
    pub fn can_play(&self) -> bool {
        self.kind != ItemKind::Local && self.is_playable
    }

    /// The image best suited to `px` pixels wide: the smallest one at least that big.
    pub fn image_for(&self, px: u32) -> Option<&ImageRef> {
        best_image(&self.images, px)
    }
}

/// An image reference with optional size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    /// Where to fetch it.
    pub url: String,
    /// Width in pixels, when known.
    pub width: Option<u32>,
}

/// The smallest image at least `px` wide, else the largest one.
pub fn best_image(images: &[ImageRef], px: u32) -> Option<&ImageRef> {
    let fitting = images
        .iter()
        .filter(|i| i.width.is_some_and(|w| w >= px))
        .min_by_key(|i| i.width.unwrap_or(u32::MAX));
    fitting.or_else(|| images.iter().max_by_key(|i| i.width.unwrap_or(0)))
}

/// A Spotify Connect device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Device id; the API may send none for some devices.
    pub id: Option<String>,
    /// Display name.
    pub name: String,
    /// Device type, e.g. `Computer`, `Smartphone`, `Speaker`.
    pub kind: String,
    /// Currently the active device.
    pub is_active: bool,
    /// Refuses Web API commands.
    pub is_restricted: bool,
    /// Volume percent, when the device reports one.
    pub volume: Option<u8>,
    /// Whether volume can be set.
    pub supports_volume: bool,
}

/// Repeat mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Repeat {
    /// No repeat.
    #[default]
    Off,
    /// Repeat the context.
    Context,
    /// Repeat the track.
    Track,
}

impl Repeat {
    /// The next mode in the cycle off → context → track → off.
    pub fn cycle(self) -> Self {
        match self {
            Repeat::Off => Repeat::Context,
            Repeat::Context => Repeat::Track,
            Repeat::Track => Repeat::Off,
        }
    }

    /// API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Repeat::Off => "off",
            Repeat::Context => "context",
            Repeat::Track => "track",
        }
    }
}

/// What is playing and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Playback {
    /// The active device.
    pub device: Option<Device>,
    /// The item, if any (may be absent during ads or for unknown types).
    pub item: Option<Track>,
    /// Playing (not paused).
    pub is_playing: bool,
    /// Position when fetched.
    pub progress_ms: u64,
    /// When `progress_ms` was true (response time); a cached copy reads back as now.
    #[serde(skip, default = "Instant::now")]
    pub fetched_at: Instant,
    /// Shuffle on.
    pub shuffle: bool,
    /// Repeat mode.
    pub repeat: Repeat,
    /// Context URI (playlist, album, …), if any.
    pub context_uri: Option<String>,
    /// Actions the API says are disallowed now (e.g. `pausing`, `skipping_prev`).
    pub disallows: Vec<String>,
}

impl Playback {
    /// The position at `now`, interpolated while playing and clamped to the duration.
    pub fn progress_at(&self, now: Instant) -> u64 {
        let base = self.progress_ms;
        let pos = if self.is_playing {
            base.saturating_add(now.saturating_duration_since(self.fetched_at).as_millis() as u64)
        } else {
            base
        };
        match &self.item {
            Some(t) if t.duration_ms > 0 => pos.min(t.duration_ms),
            _ => pos,
        }
    }

    /// Milliseconds left in the item at `now`, if the duration is known.
    pub fn remaining_at(&self, now: Instant) -> Option<u64> {
        let d = self.item.as_ref()?.duration_ms;
        Some(d.saturating_sub(self.progress_at(now)))
    }

    /// Whether the API disallows an action (e.g. `"pausing"`).
    pub fn disallows(&self, action: &str) -> bool {
        self.disallows.iter().any(|a| a == action)
    }
}

/// A playlist as listed in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistSummary {
    /// Playlist id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description (may contain HTML entities as the API sends them).
    pub description: String,
    /// Owner's user id.
    pub owner_id: String,
    /// Owner's display name.
    pub owner_name: String,
    /// Public flag; `None` when unknown.
    pub public: Option<bool>,
    /// Collaborative flag.
    pub collaborative: bool,
    /// Version of the playlist.
    pub snapshot_id: String,
    /// Number of items.
    pub total: u32,
    /// Cover images.
    pub images: Vec<ImageRef>,
}

/// One row of a playlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistEntry {
    /// The item; `None` when the API sent an entry without a playable object.
    pub track: Track,
    /// When it was added (ISO 8601 as sent).
    pub added_at: Option<String>,
    /// Who added it (user id).
    pub added_by: Option<String>,
}

/// One recently played track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentEntry {
    /// The track.
    pub track: Track,
    /// When it was played (ISO 8601).
    pub played_at: String,
    /// Context URI, if any.
    pub context_uri: Option<String>,
}

/// Decodes `spotify:local:artist:album:title:seconds` into (artist, album, title, seconds).
/// Parts are `+`- and percent-encoded.
pub fn decode_local_uri(uri: &str) -> Option<(String, String, String, Option<u64>)> {
    let rest = uri.strip_prefix("spotify:local:")?;
    let parts: Vec<&str> = rest.split(':').collect();
    if parts.len() < 4 {
        return None;
    }
    let n = parts.len();
    let secs = parts[n - 1].parse::<u64>().ok();
    let dec = |s: &str| -> String {
        let plus = s.replace('+', " ");
        url::form_urlencoded::parse(format!("x={}", plus.replace('&', "%26")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or(plus)
    };
    Some((
        dec(parts[0]),
        dec(parts[1]),
        dec(&parts[2..n - 1].join(":")),
        secs,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn track(d: u64) -> Track {
        Track {
            uri: "spotify:track:x".into(),
            title: "T".into(),
            artists: vec!["A".into()],
            album: "Al".into(),
            duration_ms: d,
            kind: ItemKind::Track,
            images: vec![],
            is_playable: true,
        }
    }

    #[test]
    fn progress_interpolates_and_clamps() {
        let t0 = Instant::now();
        let mut p = Playback {
            device: None,
            item: Some(track(10_000)),
            is_playing: true,
            progress_ms: 9_000,
            fetched_at: t0,
            shuffle: false,
            repeat: Repeat::Off,
            context_uri: None,
            disallows: vec![],
        };
        assert_eq!(p.progress_at(t0 + Duration::from_millis(500)), 9_500);
        assert_eq!(p.progress_at(t0 + Duration::from_secs(5)), 10_000);
        p.is_playing = false;
        assert_eq!(p.progress_at(t0 + Duration::from_secs(5)), 9_000);
    }

    #[test]
    fn local_uri_decodes() {
        let (a, al, t, s) =
            decode_local_uri("spotify:local:The+Artist:Some%20Album:A+Title%3A+Part+2:215")
                .unwrap();
        assert_eq!(a, "The Artist");
        assert_eq!(al, "Some Album");
        assert_eq!(t, "A Title: Part 2");
        assert_eq!(s, Some(215));
        assert!(decode_local_uri("spotify:track:abc").is_none());
    }

    #[test]
    fn best_image_picks_smallest_fitting() {
        let imgs = vec![
            ImageRef {
                url: "a".into(),
                width: Some(640),
            },
            ImageRef {
                url: "b".into(),
                width: Some(300),
            },
            ImageRef {
                url: "c".into(),
                width: Some(64),
            },
        ];
        assert_eq!(best_image(&imgs, 200).unwrap().url, "b");
        assert_eq!(best_image(&imgs, 1000).unwrap().url, "a");
        let unsized_imgs = vec![ImageRef {
            url: "u".into(),
            width: None,
        }];
        assert_eq!(best_image(&unsized_imgs, 100).unwrap().url, "u");
    }
}
