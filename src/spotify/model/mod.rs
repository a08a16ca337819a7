//! Typed models of the Web API responses, tolerant of the shapes the API
//! really sends (nulls, renamed keys, unknown fields).

mod catalog;
mod common;
mod item;
mod library;
mod player;
mod playlist;
mod user;

pub use catalog::{Album, Artist, ResumePoint, Show, ShowEpisode};
pub use common::{
    Context, CursorPage, Cursors, ExternalUrls, Followers, Image, Page, PageEntry, best_image,
};
pub use item::{
    Episode, LocalFileUri, PlayableItem, SimplifiedAlbum, SimplifiedArtist, SimplifiedShow, Track,
    percent_plus_decode,
};
pub use library::{FollowedArtists, Saved, SearchResults};
pub use player::{
    Actions, CurrentlyPlaying, Device, Devices, Disallows, PlayHistory, PlaybackState, Queue,
    RecentlyPlayed, RepeatState, UnknownValue,
};
pub use playlist::{
    CoverImages, FeaturedPlaylists, ItemsRef, Playlist, PlaylistItem, PlaylistUser,
    SimplifiedPlaylist, SnapshotId,
};
pub use user::{ExplicitContent, User};
