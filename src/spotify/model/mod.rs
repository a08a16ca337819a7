//! Typed models of the Web API responses, tolerant of the shapes the API
//! really sends (nulls, renamed keys, unknown fields).

mod common;
mod item;
mod player;
mod playlist;
mod user;

pub use common::{
    Context, CursorPage, Cursors, ExternalUrls, Followers, Image, Page, PageEntry, best_image,
};
pub use item::{
    Episode, LocalFileUri, PlayableItem, SimplifiedAlbum, SimplifiedArtist, SimplifiedShow, Track,
    percent_plus_decode,
};
pub use player::{
    Actions, CurrentlyPlaying, Device, Devices, Disallows, PlayHistory, PlaybackState, Queue,
    RecentlyPlayed, RepeatState, UnknownValue,
};
pub use playlist::{
    CoverImages, FeaturedPlaylists, ItemsRef, Playlist, PlaylistItem, PlaylistUser,
    SimplifiedPlaylist, SnapshotId,
};
pub use user::{ExplicitContent, User};
