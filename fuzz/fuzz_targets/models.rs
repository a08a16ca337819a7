//! Fuzz target: every Web API response model, the error bodies and the
//! model → domain conversion, fed arbitrary bytes. Errors are expected;
//! panics, aborts and hangs are bugs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spotdeck::spotify::convert;
use spotdeck::spotify::error::{OAuthErrorBody, RegularErrorBody};
use spotdeck::spotify::model::{
    CoverImages, CurrentlyPlaying, Devices, FeaturedPlaylists, LocalFileUri, Page, PlayableItem,
    PlaybackState, Playlist, PlaylistItem, Queue, RecentlyPlayed, SimplifiedPlaylist, SnapshotId,
    User, percent_plus_decode,
};

fn decode<T: serde::de::DeserializeOwned>(data: &[u8]) -> Option<T> {
    serde_json::from_slice(data).ok()
}

fuzz_target!(|data: &[u8]| {
    let _ = decode::<PlaybackState>(data);
    let _ = decode::<CurrentlyPlaying>(data);
    let _ = decode::<Devices>(data);
    let _ = decode::<Queue>(data);
    let _ = decode::<RecentlyPlayed>(data);
    let _ = decode::<User>(data);
    let _ = decode::<Playlist>(data);
    let _ = decode::<Page<SimplifiedPlaylist>>(data);
    let _ = decode::<FeaturedPlaylists>(data);
    let _ = decode::<CoverImages>(data);
    let _ = decode::<SnapshotId>(data);
    let _ = decode::<RegularErrorBody>(data);
    let _ = decode::<OAuthErrorBody>(data);
    if let Some(item) = decode::<PlayableItem>(data) {
        let t = convert::track(item);
        let _ = LocalFileUri::parse(&t.uri);
    }
    if let Some(page) = decode::<Page<PlaylistItem>>(data) {
        for item in page.items.into_iter().filter_map(|e| e.item) {
            let _ = convert::track(item);
        }
    }
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = percent_plus_decode(s);
        let _ = LocalFileUri::parse(s);
    }
});
