//! The app's own view of Spotify data: small, owned types that the state,
//! the reducer and the panes use. Conversions from the wire models live in
//! `spotify::convert`, so no HTTP or serde detail leaks into the app or UI.

pub mod music;

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

/// The smallest image at least `px` wide, else the largest one with a known
/// width, else the first (sizes unknown).
pub fn best_image(images: &[ImageRef], px: u32) -> Option<&ImageRef> {
    best_by_width(images, px, |i| i.width)
}

/// The one rule for choosing an image by width, for any image type: the
/// smallest at least `px` wide, else the largest sized one, else the first.
pub fn best_by_width<T>(images: &[T], px: u32, width: impl Fn(&T) -> Option<u32>) -> Option<&T> {
    let sized = || images.iter().filter_map(|i| width(i).map(|w| (w, i)));
    sized()
        .filter(|(w, _)| *w >= px)
        .min_by_key(|(w, _)| *w)
        .or_else(|| sized().max_by_key(|(w, _)| *w))
        .map(|(_, i)| i)
        .or_else(|| images.first())
}

/// True for a `spotify:local:` URI (a local file: never playable or addable
/// through the Web API).
pub fn is_local_uri(uri: &str) -> bool {
    uri.starts_with("spotify:local:")
}

/// The `spotify:playlist:` URI of a playlist id.
pub fn playlist_uri(id: &str) -> String {
    format!("spotify:playlist:{id}")
}

/// "1 item", "3 items".
pub fn items_text(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// `m:ss` (or `h:mm:ss`) for milliseconds.
pub fn format_duration(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
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
    /// Actions the API says are disallowed now.
    pub disallows: Disallows,
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
}

/// A player action the API can disallow in the current context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disallow {
    /// Interrupting playback.
    InterruptingPlayback,
    /// Pausing.
    Pausing,
    /// Resuming.
    Resuming,
    /// Seeking.
    Seeking,
    /// Skipping to the next item.
    SkippingNext,
    /// Skipping to the previous item.
    SkippingPrev,
    /// Turning on repeat of the context.
    TogglingRepeatContext,
    /// Toggling shuffle.
    TogglingShuffle,
    /// Turning on repeat of the track.
    TogglingRepeatTrack,
    /// Transferring playback.
    TransferringPlayback,
}

/// The set of actions disallowed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Disallows(u16);

impl Disallows {
    fn bit(d: Disallow) -> u16 {
        1 << (d as u16)
    }

    /// True when `d` is disallowed.
    pub fn contains(self, d: Disallow) -> bool {
        self.0 & Self::bit(d) != 0
    }

    /// Disallows `d`.
    pub fn insert(&mut self, d: Disallow) {
        self.0 |= Self::bit(d);
    }

    /// Allows `d` again.
    pub fn remove(&mut self, d: Disallow) {
        self.0 &= !Self::bit(d);
    }
}

impl FromIterator<Disallow> for Disallows {
    fn from_iter<I: IntoIterator<Item = Disallow>>(iter: I) -> Self {
        let mut set = Disallows::default();
        for d in iter {
            set.insert(d);
        }
        set
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

/// A decoded local-file URI `spotify:local:{artist}:{album}:{title}:{seconds}`
/// (each part `+`/percent-encoded; any part may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFileUri {
    /// Artist (may be empty).
    pub artist: String,
    /// Album (may be empty).
    pub album: String,
    /// Title (may be empty).
    pub title: String,
    /// Duration in seconds, if present.
    pub seconds: Option<u32>,
}

impl LocalFileUri {
    /// Parses a `spotify:local:…` URI; `None` for anything else. A title
    /// with unescaped colons keeps them (the seconds are the last part).
    pub fn parse(uri: &str) -> Option<Self> {
        let rest = uri.strip_prefix("spotify:local:")?;
        let parts: Vec<&str> = rest.split(':').collect();
        let n = parts.len();
        if n < 4 {
            return None;
        }
        Some(Self {
            artist: percent_plus_decode(parts[0]),
            album: percent_plus_decode(parts[1]),
            title: percent_plus_decode(&parts[2..n - 1].join(":")),
            seconds: parts[n - 1].parse().ok(),
        })
    }
}

/// Decodes `+` as space and `%XX` escapes; malformed escapes are kept as is.
pub fn percent_plus_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'+', _) => out.push(b' '),
            (_, Some(b)) => {
                out.push(b);
                i += 2;
            }
            (b, None) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
            disallows: Disallows::default(),
        };
        assert_eq!(p.progress_at(t0 + Duration::from_millis(500)), 9_500);
        assert_eq!(p.progress_at(t0 + Duration::from_secs(5)), 10_000);
        p.is_playing = false;
        assert_eq!(p.progress_at(t0 + Duration::from_secs(5)), 9_000);
    }

    #[test]
    fn disallows_are_a_set() {
        let mut d: Disallows = [Disallow::Pausing, Disallow::Seeking].into_iter().collect();
        assert!(d.contains(Disallow::Pausing) && d.contains(Disallow::Seeking));
        assert!(!d.contains(Disallow::Resuming));
        d.remove(Disallow::Pausing);
        d.insert(Disallow::Resuming);
        assert!(!d.contains(Disallow::Pausing) && d.contains(Disallow::Resuming));
    }

    #[test]
    fn local_uri_decodes() {
        let u = LocalFileUri::parse("spotify:local:The+Artist:Some%20Album:A+Title%3A+Part+2:215")
            .unwrap();
        assert_eq!(u.artist, "The Artist");
        assert_eq!(u.album, "Some Album");
        assert_eq!(u.title, "A Title: Part 2");
        assert_eq!(u.seconds, Some(215));
        assert!(LocalFileUri::parse("spotify:track:abc").is_none());
        // Unescaped colons stay in the title; fewer than four parts is not a local URI.
        let u = LocalFileUri::parse("spotify:local:A:B:Part 1: Intro:60").unwrap();
        assert_eq!((u.title.as_str(), u.seconds), ("Part 1: Intro", Some(60)));
        assert!(LocalFileUri::parse("spotify:local:a:b").is_none());
        assert!(is_local_uri("spotify:local:a:b:c:1") && !is_local_uri("spotify:track:x"));
    }

    #[test]
    fn durations_format_as_a_clock() {
        assert_eq!(format_duration(61_000), "1:01");
        assert_eq!(format_duration(3_723_000), "1:02:03");
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
        // Sizes unknown: the first; a sized image wins over unsized ones.
        let two = vec![
            ImageRef {
                url: "first".into(),
                width: None,
            },
            ImageRef {
                url: "second".into(),
                width: None,
            },
        ];
        assert_eq!(best_image(&two, 100).unwrap().url, "first");
        let mixed = vec![
            two[0].clone(),
            ImageRef {
                url: "small".into(),
                width: Some(64),
            },
        ];
        assert_eq!(best_image(&mixed, 300).unwrap().url, "small");
    }
}
