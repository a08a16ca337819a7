//! The saved library and search: saved entries with their date, followed
//! artists (cursor paging) and search results grouped by type.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::catalog::{Album, Artist, Show, ShowEpisode};
use super::common::{CursorPage, Page, PageEntry, null_default};
use super::item::Track;
use super::playlist::SimplifiedPlaylist;

/// A saved track, album or show with when it was saved (`SavedTrackObject`,
/// `SavedAlbumObject`, `SavedShowObject`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned + Default"))]
pub struct Saved<T> {
    /// ISO 8601 time it was saved.
    #[serde(default, deserialize_with = "null_default")]
    pub added_at: String,
    /// The track, album or show.
    #[serde(
        alias = "track",
        alias = "album",
        alias = "show",
        default,
        deserialize_with = "null_default"
    )]
    pub item: T,
}

/// A `null` entry is skipped; a `null` object inside one becomes the default.
impl<T: DeserializeOwned + Default> PageEntry for Saved<T> {}

/// `GET /me/following?type=artist`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowedArtists {
    /// The cursor page of artists.
    pub artists: CursorPage<Artist>,
}

/// `GET /search`: one page per requested type; types not asked for are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchResults {
    /// Tracks.
    #[serde(default)]
    pub tracks: Option<Page<Track>>,
    /// Albums.
    #[serde(default)]
    pub albums: Option<Page<Album>>,
    /// Artists.
    #[serde(default)]
    pub artists: Option<Page<Artist>>,
    /// Playlists (`null` entries, which the real service sends, are skipped).
    #[serde(default)]
    pub playlists: Option<Page<SimplifiedPlaylist>>,
    /// Shows.
    #[serde(default)]
    pub shows: Option<Page<Show>>,
    /// Episodes.
    #[serde(default)]
    pub episodes: Option<Page<ShowEpisode>>,
}

impl PageEntry for Track {}
