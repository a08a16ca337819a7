//! Tracks, episodes, local files and the `PlayableItem` union the player and
//! playlists return.

use serde::{Deserialize, Serialize};

use super::common::{ExternalUrls, Image, best_image, lenient, null_default};

/// An artist as embedded in tracks and albums (ids are `null` for local files).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SimplifiedArtist {
    /// Spotify id; `None` for local files.
    #[serde(default)]
    pub id: Option<String>,
    /// Display name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Spotify URI; `None` for local files.
    #[serde(default)]
    pub uri: Option<String>,
}

/// An album as embedded in a track.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SimplifiedAlbum {
    /// Spotify id; `None` for local files.
    #[serde(default)]
    pub id: Option<String>,
    /// Album name (may be empty after a takedown).
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Spotify URI; `None` for local files.
    #[serde(default)]
    pub uri: Option<String>,
    /// `album`, `single` or `compilation`; `None` for local files.
    #[serde(default)]
    pub album_type: Option<String>,
    /// Album artists.
    #[serde(default, deserialize_with = "null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// Release date (`1981`, `1981-12` or `1981-12-15`).
    #[serde(default)]
    pub release_date: Option<String>,
}

/// A track (`TrackObject`). Local files have `is_local: true` and `null` ids.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Track {
    /// Spotify id; `None` for local files.
    #[serde(default)]
    pub id: Option<String>,
    /// Track name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Spotify URI (`spotify:track:…` or `spotify:local:…`).
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Performing artists.
    #[serde(default, deserialize_with = "null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// The album.
    #[serde(default, deserialize_with = "null_default")]
    pub album: SimplifiedAlbum,
    /// Length in milliseconds (0 when missing or negative).
    #[serde(default, deserialize_with = "lenient")]
    pub duration_ms: u64,
    /// Explicit lyrics.
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// True for a local file.
    #[serde(default, deserialize_with = "null_default")]
    pub is_local: bool,
    /// Playable in the user's market; `None` when relinking was not applied.
    #[serde(default)]
    pub is_playable: Option<bool>,
    /// Disc number (0 for local files).
    #[serde(default, deserialize_with = "lenient")]
    pub disc_number: u32,
    /// Track number on its disc (0 for local files).
    #[serde(default, deserialize_with = "lenient")]
    pub track_number: u32,
    /// External URLs (`{}` for local files).
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
}

impl Track {
    /// Artist names joined with ", " (empty when unknown).
    pub fn artist_names(&self) -> String {
        join_names(self.artists.iter().map(|a| a.name.as_str()))
    }

    /// True when the track can be played: not marked unplayable.
    pub fn playable(&self) -> bool {
        self.is_playable != Some(false)
    }

    /// The decoded local-file URI, for `is_local` tracks.
    pub fn local_file(&self) -> Option<LocalFileUri> {
        LocalFileUri::parse(&self.uri)
    }
}

fn join_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The show an episode belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SimplifiedShow {
    /// Spotify id.
    #[serde(default)]
    pub id: Option<String>,
    /// Show name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Publisher (removed for development-mode apps in 2026).
    #[serde(default)]
    pub publisher: Option<String>,
    /// Spotify URI.
    #[serde(default)]
    pub uri: Option<String>,
    /// Cover art.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
}

/// A podcast episode (`EpisodeObject`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Episode {
    /// Spotify id.
    #[serde(default)]
    pub id: Option<String>,
    /// Episode name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Length in milliseconds (0 when missing or negative).
    #[serde(default, deserialize_with = "lenient")]
    pub duration_ms: u64,
    /// Explicit content.
    #[serde(default, deserialize_with = "null_default")]
    pub explicit: bool,
    /// Playable in the user's market.
    #[serde(default)]
    pub is_playable: Option<bool>,
    /// Release date.
    #[serde(default)]
    pub release_date: Option<String>,
    /// Plain-text description.
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    /// Episode art.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// The show; absent in some playlist responses.
    #[serde(default)]
    pub show: Option<SimplifiedShow>,
}

impl Episode {
    /// The show name, or "" when unknown.
    pub fn show_name(&self) -> &str {
        self.show.as_ref().map_or("", |s| s.name.as_str())
    }
}

/// A track or an episode, tagged by `type`. Anything else (ads, future
/// types) becomes [`PlayableItem::Unknown`] instead of an error.
///
/// Decoding reads the object once into the union of both shapes and then
/// picks the variant by `type`, so the hot path of a playlist page never
/// buffers an item the way serde's internally tagged enums do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum PlayableItem {
    /// A music track or local file.
    Track(Track),
    /// A podcast episode.
    Episode(Episode),
    /// An item of a type this client does not know.
    Unknown,
}

/// Every key a track or an episode carries, read in one pass.
#[derive(Deserialize)]
struct RawPlayable {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    name: String,
    #[serde(default, deserialize_with = "null_default")]
    uri: String,
    #[serde(default, deserialize_with = "null_default")]
    artists: Vec<SimplifiedArtist>,
    #[serde(default, deserialize_with = "null_default")]
    album: SimplifiedAlbum,
    #[serde(default, deserialize_with = "lenient")]
    duration_ms: u64,
    #[serde(default, deserialize_with = "null_default")]
    explicit: bool,
    #[serde(default, deserialize_with = "null_default")]
    is_local: bool,
    #[serde(default)]
    is_playable: Option<bool>,
    #[serde(default, deserialize_with = "lenient")]
    disc_number: u32,
    #[serde(default, deserialize_with = "lenient")]
    track_number: u32,
    #[serde(default, deserialize_with = "null_default")]
    external_urls: ExternalUrls,
    #[serde(default)]
    release_date: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    description: String,
    #[serde(default, deserialize_with = "null_default")]
    images: Vec<Image>,
    #[serde(default)]
    show: Option<SimplifiedShow>,
}

impl From<RawPlayable> for PlayableItem {
    fn from(r: RawPlayable) -> Self {
        // Without a `type`, the URI tells (older local-file answers omit it).
        let kind = match r.kind.as_deref() {
            Some(k) => k,
            None if r.uri.starts_with("spotify:episode:") => "episode",
            None if !r.uri.is_empty() => "track",
            None => "",
        };
        match kind {
            "track" => PlayableItem::Track(Track {
                id: r.id,
                name: r.name,
                uri: r.uri,
                artists: r.artists,
                album: r.album,
                duration_ms: r.duration_ms,
                explicit: r.explicit,
                is_local: r.is_local,
                is_playable: r.is_playable,
                disc_number: r.disc_number,
                track_number: r.track_number,
                external_urls: r.external_urls,
            }),
            "episode" => PlayableItem::Episode(Episode {
                id: r.id,
                name: r.name,
                uri: r.uri,
                duration_ms: r.duration_ms,
                explicit: r.explicit,
                is_playable: r.is_playable,
                release_date: r.release_date,
                description: r.description,
                images: r.images,
                show: r.show,
            }),
            _ => PlayableItem::Unknown,
        }
    }
}

impl<'de> Deserialize<'de> for PlayableItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RawPlayable::deserialize(d).map(PlayableItem::from)
    }
}

impl PlayableItem {
    /// The item's name ("" for unknown items).
    pub fn name(&self) -> &str {
        match self {
            PlayableItem::Track(t) => &t.name,
            PlayableItem::Episode(e) => &e.name,
            PlayableItem::Unknown => "",
        }
    }

    /// The item's URI ("" for unknown items).
    pub fn uri(&self) -> &str {
        match self {
            PlayableItem::Track(t) => &t.uri,
            PlayableItem::Episode(e) => &e.uri,
            PlayableItem::Unknown => "",
        }
    }

    /// The item's id, when it has one.
    pub fn id(&self) -> Option<&str> {
        match self {
            PlayableItem::Track(t) => t.id.as_deref(),
            PlayableItem::Episode(e) => e.id.as_deref(),
            PlayableItem::Unknown => None,
        }
    }

    /// Duration in milliseconds (0 when unknown).
    pub fn duration_ms(&self) -> u64 {
        match self {
            PlayableItem::Track(t) => t.duration_ms,
            PlayableItem::Episode(e) => e.duration_ms,
            PlayableItem::Unknown => 0,
        }
    }

    /// Artists for a track, the show name for an episode.
    pub fn subtitle(&self) -> String {
        match self {
            PlayableItem::Track(t) => t.artist_names(),
            PlayableItem::Episode(e) => e.show_name().to_owned(),
            PlayableItem::Unknown => String::new(),
        }
    }

    /// Album name for a track, show name for an episode.
    pub fn collection_name(&self) -> &str {
        match self {
            PlayableItem::Track(t) => &t.album.name,
            PlayableItem::Episode(e) => e.show_name(),
            PlayableItem::Unknown => "",
        }
    }

    /// Cover art: the album's for tracks, the episode's (or show's) for episodes.
    pub fn images(&self) -> &[Image] {
        match self {
            PlayableItem::Track(t) => &t.album.images,
            PlayableItem::Episode(e) if !e.images.is_empty() => &e.images,
            PlayableItem::Episode(e) => e.show.as_ref().map_or(&[], |s| s.images.as_slice()),
            PlayableItem::Unknown => &[],
        }
    }

    /// The smallest cover at least `min_px` wide (see [`best_image`]).
    pub fn image_url(&self, min_px: u32) -> Option<&str> {
        best_image(self.images(), min_px).map(|i| i.url.as_str())
    }

    /// True for a local file.
    pub fn is_local(&self) -> bool {
        matches!(self, PlayableItem::Track(t) if t.is_local)
    }

    /// True unless the API marked it unplayable.
    pub fn playable(&self) -> bool {
        match self {
            PlayableItem::Track(t) => t.playable(),
            PlayableItem::Episode(e) => e.is_playable != Some(false),
            PlayableItem::Unknown => false,
        }
    }

    /// The track, if this is one.
    pub fn as_track(&self) -> Option<&Track> {
        match self {
            PlayableItem::Track(t) => Some(t),
            _ => None,
        }
    }

    /// "Name — Artists" (or "Name — Show"), or just the name.
    pub fn display(&self) -> String {
        let sub = self.subtitle();
        if sub.is_empty() {
            self.name().to_owned()
        } else {
            format!("{} — {}", self.name(), sub)
        }
    }
}

/// A decoded local-file URI `spotify:local:{artist}:{album}:{title}:{seconds}`
/// (each part `+`/percent-encoded; any part may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Parses a `spotify:local:…` URI; `None` for anything else.
    pub fn parse(uri: &str) -> Option<Self> {
        let rest = uri.strip_prefix("spotify:local:")?;
        let parts: Vec<&str> = rest.split(':').collect();
        if parts.len() != 4 {
            return None;
        }
        Some(Self {
            artist: percent_plus_decode(parts[0]),
            album: percent_plus_decode(parts[1]),
            title: percent_plus_decode(parts[2]),
            seconds: parts[3].parse().ok(),
        })
    }
}

/// Decodes `+` as space and `%XX` escapes; malformed escapes are kept as is.
pub fn percent_plus_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_uri_decodes_plus_and_percent() {
        let u = LocalFileUri::parse("spotify:local:Daft+Punk:Discovery:One+More+Time%3A+Remix:320")
            .unwrap();
        assert_eq!(u.artist, "Daft Punk");
        assert_eq!(u.album, "Discovery");
        assert_eq!(u.title, "One More Time: Remix");
        assert_eq!(u.seconds, Some(320));
        let u = LocalFileUri::parse("spotify:local:::Caf%C3%A9+50%25:").unwrap();
        assert_eq!(u.artist, "");
        assert_eq!(u.title, "Café 50%");
        assert_eq!(u.seconds, None);
        assert!(LocalFileUri::parse("spotify:track:abc").is_none());
        assert!(LocalFileUri::parse("spotify:local:a:b").is_none());
    }

    #[test]
    fn malformed_escapes_are_kept() {
        assert_eq!(percent_plus_decode("100%"), "100%");
        assert_eq!(percent_plus_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn unknown_item_type_is_tolerated() {
        let v: PlayableItem = serde_json::from_str(r#"{"type":"ad","id":null}"#).unwrap();
        assert_eq!(v, PlayableItem::Unknown);
        let v: PlayableItem = serde_json::from_str(
            r#"{"type":"track","name":"A","uri":"spotify:local:x:y:A:10","id":null,"is_local":true,
                "artists":[{"name":"X","id":null,"uri":null}],"album":{"name":"Y","id":null,"images":[]}}"#,
        )
        .unwrap();
        assert!(v.is_local());
        assert_eq!(v.display(), "A — X");
    }
}
