//! Full catalogue objects of the album, artist and show pages: artists,
//! albums (with their track page), shows (with their episode page) and
//! episodes with the user's resume point.

use serde::{Deserialize, Serialize};

use super::common::{ExternalUrls, Followers, Image, Page, PageEntry, null_default};
use super::item::{Episode, SimplifiedArtist, Track};

/// An artist (`ArtistObject`); `genres`, `followers` and `popularity` are
/// gone for 2026 development-mode apps.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Artist {
    /// Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Genres (may be empty).
    #[serde(default, deserialize_with = "null_default")]
    pub genres: Vec<String>,
    /// Followers, when sent.
    #[serde(default)]
    pub followers: Option<Followers>,
    /// 0–100, when sent.
    #[serde(default)]
    pub popularity: Option<u32>,
    /// Pictures, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// External URLs.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
}

impl PageEntry for Artist {}

/// An album: full (`AlbumObject`, with `tracks` and `label`) or simplified
/// (search results, an artist's discography with `album_group`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Album {
    /// Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Title.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// `album`, `single`, `compilation` (or anything newer, kept as is).
    #[serde(default, deserialize_with = "null_default")]
    pub album_type: String,
    /// How it relates to the artist on an artist page (`appears_on`, …).
    #[serde(default)]
    pub album_group: Option<String>,
    /// Number of tracks.
    #[serde(default, deserialize_with = "null_default")]
    pub total_tracks: u32,
    /// Album artists.
    #[serde(default, deserialize_with = "null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// `1981`, `1981-12` or `1981-12-15`.
    #[serde(default, deserialize_with = "null_default")]
    pub release_date: String,
    /// Record label (full albums).
    #[serde(default)]
    pub label: Option<String>,
    /// First page of tracks (full albums); tracks here carry no `album`.
    #[serde(default)]
    pub tracks: Option<Page<Track>>,
    /// External URLs.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
}

impl PageEntry for Album {}

impl Album {
    /// Artist names joined with ", ".
    pub fn artist_names(&self) -> String {
        let names: Vec<&str> = self
            .artists
            .iter()
            .map(|a| a.name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        names.join(", ")
    }

    /// The release year, when the date has one.
    pub fn year(&self) -> Option<&str> {
        self.release_date
            .get(..4)
            .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// Where the user stopped in an episode (`ResumePointObject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResumePoint {
    /// Listened to the end.
    #[serde(default, deserialize_with = "null_default")]
    pub fully_played: bool,
    /// Milliseconds into the episode.
    #[serde(default, deserialize_with = "null_default")]
    pub resume_position_ms: u64,
}

/// An episode as a show page lists it, with the user's resume point (only
/// sent with the `user-read-playback-position` scope).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShowEpisode {
    /// The episode.
    #[serde(flatten)]
    pub episode: Episode,
    /// Where the user stopped, when known.
    #[serde(default)]
    pub resume_point: Option<ResumePoint>,
}

impl PageEntry for ShowEpisode {}

impl ShowEpisode {
    /// "played", "12:34 left" or "" (not started / unknown).
    pub fn progress_label(&self) -> String {
        match self.resume_point {
            Some(p) if p.fully_played => "played".into(),
            Some(p) if p.resume_position_ms > 0 => {
                let left = self
                    .episode
                    .duration_ms
                    .saturating_sub(p.resume_position_ms)
                    / 1000;
                format!("{}:{:02} left", left / 60, left % 60)
            }
            _ => String::new(),
        }
    }
}

/// A podcast (`ShowObject` with its first episode page, or simplified).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Show {
    /// Spotify id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Title.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Spotify URI.
    #[serde(default, deserialize_with = "null_default")]
    pub uri: String,
    /// Publisher (removed for 2026 development-mode apps).
    #[serde(default)]
    pub publisher: Option<String>,
    /// Plain-text description.
    #[serde(default, deserialize_with = "null_default")]
    pub description: String,
    /// Number of episodes.
    #[serde(default, deserialize_with = "null_default")]
    pub total_episodes: u32,
    /// Cover art.
    #[serde(default, deserialize_with = "null_default")]
    pub images: Vec<Image>,
    /// First page of episodes (full shows).
    #[serde(default)]
    pub episodes: Option<Page<ShowEpisode>>,
    /// External URLs.
    #[serde(default, deserialize_with = "null_default")]
    pub external_urls: ExternalUrls,
}

impl PageEntry for Show {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn albums_read_full_simplified_and_odd_shapes() {
        let full: Album = serde_json::from_value(json!({
            "id": "al", "name": "Low Tide Radio", "uri": "spotify:album:al", "album_type": "album",
            "total_tracks": 2, "release_date": "2019-05-17", "label": "Harbor Records",
            "artists": [{"id": "ar", "name": "Velvet Harbor", "uri": "spotify:artist:ar"}],
            "tracks": {"items": [{"name": "One", "track_number": 1}, null, {"name": "Two"}], "total": 2},
        }))
        .unwrap();
        assert_eq!(full.year(), Some("2019"));
        assert_eq!(full.artist_names(), "Velvet Harbor");
        assert_eq!(full.tracks.as_ref().map(|t| t.items.len()), Some(2));
        let odd: Album = serde_json::from_value(json!({
            "name": null, "album_type": "mixtape", "release_date": "0000", "artists": null,
            "images": null, "album_group": "appears_on",
        }))
        .unwrap();
        assert_eq!(odd.album_type, "mixtape");
        assert_eq!(odd.album_group.as_deref(), Some("appears_on"));
        assert_eq!(odd.year(), Some("0000"));
        let undated: Album = serde_json::from_value(json!({"release_date": null})).unwrap();
        assert_eq!(undated.year(), None);
    }

    #[test]
    fn show_episodes_carry_resume_points() {
        let s: Show = serde_json::from_value(json!({
            "id": "s", "name": "The Terminal Hour", "total_episodes": 3,
            "episodes": {"items": [
                {"name": "Ep. 3", "duration_ms": 600000, "type": "episode",
                 "resume_point": {"fully_played": false, "resume_position_ms": 60000}},
                {"name": "Ep. 2", "duration_ms": 600000, "resume_point": {"fully_played": true, "resume_position_ms": 600000}},
                {"name": "Ep. 1", "duration_ms": 600000},
            ], "total": 3},
        }))
        .unwrap();
        let eps = s.episodes.unwrap().items;
        let labels: Vec<String> = eps.iter().map(ShowEpisode::progress_label).collect();
        assert_eq!(labels, vec!["9:00 left", "played", ""]);
        assert_eq!(eps[0].episode.name, "Ep. 3");
    }
}
