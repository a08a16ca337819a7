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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn saved_entries_read_every_shape() {
        // (JSON, expected name, expected added_at)
        let cases = [
            (
                json!({"added_at": "2026-01-02T03:04:05Z", "track": {"name": "A", "uri": "spotify:track:a"}}),
                "A",
                "2026-01-02T03:04:05Z",
            ),
            (json!({"added_at": null, "track": {"name": "B"}}), "B", ""),
            (json!({"added_at": "x", "track": null}), "", "x"),
            (
                json!({"track": {"name": "C", "artists": null, "album": null}}),
                "C",
                "",
            ),
        ];
        for (v, name, at) in cases {
            let s: Saved<Track> = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(
                (s.item.name.as_str(), s.added_at.as_str()),
                (name, at),
                "{v}"
            );
        }
        let a: Saved<Album> = serde_json::from_value(
            json!({"added_at": "t", "album": {"name": "Al", "tracks": null}}),
        )
        .unwrap();
        assert_eq!(a.item.name, "Al");
        let s: Saved<Show> = serde_json::from_value(
            json!({"added_at": "t", "show": {"name": "Sh", "publisher": null}}),
        )
        .unwrap();
        assert_eq!((s.item.name.as_str(), s.item.publisher), ("Sh", None));
    }

    #[test]
    fn search_results_skip_null_entries_and_missing_types() {
        let r: SearchResults = serde_json::from_value(json!({
            "playlists": {"items": [null, {"id": "p", "name": "P", "owner": {"id": "u"},
                           "items": {"total": 3}}, null], "total": 3, "limit": 5, "offset": 0},
            "tracks": {"items": [{"name": "T", "type": "track"}], "total": 1, "next": null},
            "albums": {"items": [{"name": "Al", "album_type": "mixtape", "total_tracks": null}], "total": 1},
            "audiobooks": {"items": []},
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let p = r.playlists.unwrap();
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].name, "P");
        assert_eq!(r.tracks.unwrap().items[0].name, "T");
        assert!(r.artists.is_none() && r.shows.is_none() && r.episodes.is_none());
        assert_eq!(r.albums.unwrap().items[0].album_type, "mixtape");
    }

    #[test]
    fn followed_artists_page_by_cursor() {
        let f: FollowedArtists = serde_json::from_value(json!({"artists": {
            "items": [{"id": "a1", "name": "One", "genres": null, "followers": {"href": null, "total": 5}}],
            "cursors": {"after": "a1"}, "limit": 1, "next": "http://x/v1/me/following?after=a1", "total": 9,
        }}))
        .unwrap();
        assert_eq!(f.artists.cursors.after.as_deref(), Some("a1"));
        assert_eq!(
            f.artists.items[0].followers.as_ref().map(|x| x.total),
            Some(5)
        );
        assert!(f.artists.items[0].genres.is_empty());
        // Development-mode artists lack followers, genres and popularity.
        let f: FollowedArtists = serde_json::from_value(json!({"artists": {
            "items": [{"id": "a2", "name": "Two"}], "cursors": {}, "limit": 1, "next": null,
        }}))
        .unwrap();
        assert_eq!(f.artists.items[0].popularity, None);
        assert_eq!(f.artists.cursors.after, None);
    }
}
