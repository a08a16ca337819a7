//! Rows of the search, library and album/artist/show screens: one type for
//! anything a user can find, play, like or open.

/// What kind of thing a music row is (also what a search looks for).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MusicKind {
    /// A track.
    Track,
    /// An album or single.
    Album,
    /// An artist.
    Artist,
    /// A playlist.
    Playlist,
    /// A podcast.
    Show,
    /// A podcast episode.
    Episode,
}

impl MusicKind {
    /// Every kind, in the order results are shown.
    pub const ALL: [MusicKind; 6] = [
        MusicKind::Track,
        MusicKind::Album,
        MusicKind::Artist,
        MusicKind::Playlist,
        MusicKind::Show,
        MusicKind::Episode,
    ];

    /// The API's name (`track`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            MusicKind::Track => "track",
            MusicKind::Album => "album",
            MusicKind::Artist => "artist",
            MusicKind::Playlist => "playlist",
            MusicKind::Show => "show",
            MusicKind::Episode => "episode",
        }
    }

    /// Plural heading, e.g. "Tracks".
    pub fn heading(self) -> &'static str {
        match self {
            MusicKind::Track => "Tracks",
            MusicKind::Album => "Albums",
            MusicKind::Artist => "Artists",
            MusicKind::Playlist => "Playlists",
            MusicKind::Show => "Shows",
            MusicKind::Episode => "Episodes",
        }
    }

    /// Parses `track`, `tracks`, `Album`, ….
    pub fn parse(s: &str) -> Option<MusicKind> {
        let s = s.trim().to_ascii_lowercase();
        let s = s.strip_suffix('s').unwrap_or(&s);
        MusicKind::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// True for what plays on its own (a track or an episode), not as a context.
    pub fn is_playable_item(self) -> bool {
        matches!(self, MusicKind::Track | MusicKind::Episode)
    }
}

/// One row: a track, album, artist, playlist, show or episode.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MusicRow {
    /// What it is.
    pub kind: MusicKind,
    /// Spotify URI.
    pub uri: String,
    /// Name or title.
    pub name: String,
    /// Artists, owner, publisher or show.
    pub subtitle: String,
    /// A short fact: year and type, duration, "12 tracks", "played", …
    pub detail: String,
    /// For a track: its album's URI (it plays inside it); for an episode: its show's.
    pub parent_uri: Option<String>,
    /// For a track or album: its first artist's URI.
    pub artist_uri: Option<String>,
    /// Length in milliseconds (tracks, episodes), else 0.
    pub duration_ms: u64,
}

/// A list the library screen and the pages load, page by page to the end.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MusicSource {
    /// Liked Songs.
    LikedSongs,
    /// Saved albums.
    SavedAlbums,
    /// Followed artists.
    FollowedArtists,
    /// Saved shows.
    SavedShows,
    /// An album's tracks (album id).
    AlbumTracks(String),
    /// An artist's albums and singles (artist id).
    ArtistAlbums(String),
    /// A show's episodes with resume points (show id).
    ShowEpisodes(String),
}

/// One type's results of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchGroup {
    /// The type.
    pub kind: MusicKind,
    /// Offset of the first row.
    pub offset: u32,
    /// All matches on the server.
    pub total: u32,
    /// The rows of this page.
    pub rows: Vec<MusicRow>,
}

/// The URI of the user's Liked Songs as a playback context.
pub fn liked_songs_uri(user_id: &str) -> String {
    format!("spotify:user:{user_id}:collection")
}

/// The id part of a `spotify:KIND:ID` URI.
pub fn uri_id(uri: &str) -> &str {
    uri.rsplit(':').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_and_ids_split() {
        assert_eq!(MusicKind::parse("Tracks"), Some(MusicKind::Track));
        assert_eq!(MusicKind::parse("show"), Some(MusicKind::Show));
        assert_eq!(MusicKind::parse("audiobook"), None);
        assert_eq!(uri_id("spotify:album:abc"), "abc");
        assert_eq!(liked_songs_uri("demo"), "spotify:user:demo:collection");
        assert!(MusicKind::Episode.is_playable_item() && !MusicKind::Album.is_playable_item());
    }
}
