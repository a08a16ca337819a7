//! What the app remembers on disk between opens and between runs:
//! - a playlist's rows keyed by its `snapshot_id`, so an unchanged playlist
//!   reopens with one small request instead of a full reload;
//! - the last screen (the playlists list and what was playing), shown on
//!   the first frame and marked cached until fresh answers replace it.
//!
//! Files live in the platform cache directory (`SPOTDECK_HOME/cache` when
//! that is set), at most [`BUDGET`] bytes in all, least recently used out
//! ([`store`]). Every name is prefixed by a hash of the API base, so
//! different services (or simulators) never read each other's files.

pub mod store;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::domain::music::MusicRow;
use crate::domain::{Playback, PlaylistEntry, PlaylistSummary};
pub use store::Store;

/// Default size budget of the cache directory: 64 MB.
pub const BUDGET: u64 = 64 << 20;

/// The platform cache directory, or `SPOTDECK_HOME/cache` when that is set.
pub fn default_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("SPOTDECK_HOME") {
        return PathBuf::from(home).join("cache");
    }
    match directories::ProjectDirs::from("", "", "spotdeck") {
        Some(p) => p.cache_dir().to_path_buf(),
        None => std::env::temp_dir().join("spotdeck").join("cache"),
    }
}

/// A playlist's rows at one snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedItems {
    /// Playlist id.
    pub playlist_id: String,
    /// The snapshot the rows belong to.
    pub snapshot_id: String,
    /// Every row, in order.
    pub items: Vec<PlaylistEntry>,
}

/// What the app showed when it last quit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LastScreen {
    /// The user's playlists.
    pub playlists: Vec<PlaylistSummary>,
    /// The last known playback (its position reads as paused at that point).
    pub playback: Option<Playback>,
}

/// The caches of one API base.
#[derive(Debug, Clone)]
pub struct Cache {
    store: Store,
    ns: String,
}

impl Cache {
    /// The caches for `api_base` in the default directory with the default budget.
    pub fn open(api_base: &str) -> Self {
        Self::new(Store::new(default_dir(), BUDGET), api_base)
    }

    /// The caches for `api_base` in `store`.
    pub fn new(store: Store, api_base: &str) -> Self {
        Self {
            store,
            ns: format!("{:016x}", fnv1a(api_base.trim_end_matches('/'))),
        }
    }

    /// The store underneath.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn items_name(&self, playlist_id: &str) -> String {
        format!("{}-items-{playlist_id}", self.ns)
    }

    /// The cached rows of a playlist, at whatever snapshot they were stored.
    pub fn items(&self, playlist_id: &str) -> Option<CachedItems> {
        let c: CachedItems = self.store.get(&self.items_name(playlist_id))?;
        (c.playlist_id == playlist_id).then_some(c)
    }

    /// Stores a playlist's rows at `snapshot_id` (replacing older snapshots).
    pub fn put_items(&self, playlist_id: &str, snapshot_id: &str, items: &[PlaylistEntry]) {
        let mut file = ItemsFile::new(playlist_id, snapshot_id);
        file.push(&encode_rows(items));
        self.put_items_file(file);
    }

    /// Stores a file built page by page.
    pub fn put_items_file(&self, file: ItemsFile) {
        let name = self.items_name(&file.playlist_id);
        if let Err(e) = self.store.put_bytes(&name, &file.finish()) {
            tracing::warn!("cannot write the playlist cache: {e}");
        }
    }

    /// Forgets a playlist's rows.
    pub fn forget_items(&self, playlist_id: &str) {
        self.store.remove(&self.items_name(playlist_id));
    }

    /// Liked Songs as last loaded in full (they have no snapshot id: a load
    /// trusts them while the total and the first page are unchanged).
    pub fn liked(&self) -> Option<Vec<MusicRow>> {
        self.store.get(&format!("{}-liked", self.ns))
    }

    /// Stores Liked Songs loaded in full.
    pub fn put_liked(&self, rows: &[MusicRow]) {
        if let Err(e) = self.store.put(&format!("{}-liked", self.ns), rows) {
            tracing::warn!("cannot write the Liked Songs cache: {e}");
        }
    }

    /// The last screen, if one was saved.
    pub fn last_screen(&self) -> Option<LastScreen> {
        self.store.get(&format!("{}-screen", self.ns))
    }

    /// Saves the screen to show first at the next start.
    pub fn put_last_screen(&self, screen: &LastScreen) {
        if let Err(e) = self.store.put(&format!("{}-screen", self.ns), screen) {
            tracing::warn!("cannot write the screen cache: {e}");
        }
    }
}

/// Rows encoded as comma-separated JSON values (no brackets), so pages
/// encoded apart can be joined into one [`ItemsFile`].
pub fn encode_rows(rows: &[PlaylistEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * 200);
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing plain data to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, r);
    }
    out
}

/// A [`CachedItems`] file assembled from pages encoded with [`encode_rows`], in order.
#[derive(Debug)]
pub struct ItemsFile {
    playlist_id: String,
    bytes: Vec<u8>,
    empty: bool,
}

impl ItemsFile {
    /// Starts the file of `playlist_id` at `snapshot_id`.
    pub fn new(playlist_id: &str, snapshot_id: &str) -> Self {
        let mut bytes = store::MAGIC.as_bytes().to_vec();
        bytes.extend_from_slice(b"{\"playlist_id\":");
        let _ = serde_json::to_writer(&mut bytes, playlist_id);
        bytes.extend_from_slice(b",\"snapshot_id\":");
        let _ = serde_json::to_writer(&mut bytes, snapshot_id);
        bytes.extend_from_slice(b",\"items\":[");
        Self {
            playlist_id: playlist_id.to_owned(),
            bytes,
            empty: true,
        }
    }

    /// Appends the next page.
    pub fn push(&mut self, encoded: &[u8]) {
        if encoded.is_empty() {
            return;
        }
        if !self.empty {
            self.bytes.push(b',');
        }
        self.bytes.extend_from_slice(encoded);
        self.empty = false;
    }

    fn finish(mut self) -> Vec<u8> {
        self.bytes.extend_from_slice(b"]}");
        self.bytes
    }
}

/// 64-bit FNV-1a: a stable, short name for an API base.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ItemKind, Track};

    pub(crate) fn entry(n: usize) -> PlaylistEntry {
        PlaylistEntry {
            track: Track {
                uri: format!("spotify:track:{n}"),
                title: format!("Song \"{n}\""),
                artists: vec!["A".into(), "B".into()],
                album: "Al".into(),
                duration_ms: 1000 + n as u64,
                kind: ItemKind::Track,
                images: vec![],
                is_playable: !n.is_multiple_of(7),
            },
            added_at: Some("2024-01-01T00:00:00Z".into()),
            added_by: None,
        }
    }

    fn cache(budget: u64) -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::new(Store::new(dir.path(), budget), "http://x/v1");
        (dir, c)
    }

    #[test]
    fn rows_stored_page_by_page_read_back_in_order() {
        let (_d, c) = cache(BUDGET);
        assert!(c.items("p").is_none(), "miss before anything is stored");
        let rows: Vec<PlaylistEntry> = (0..120).map(entry).collect();
        let mut file = ItemsFile::new("p", "snap\"1");
        for page in rows.chunks(50) {
            file.push(&encode_rows(page));
        }
        file.push(&encode_rows(&[]));
        c.put_items_file(file);
        let got = c.items("p").unwrap();
        assert_eq!(got.snapshot_id, "snap\"1");
        assert_eq!(got.items, rows);
    }

    #[test]
    fn a_new_snapshot_replaces_the_old_rows() {
        let (_d, c) = cache(BUDGET);
        c.put_items("p", "s1", &[entry(1)]);
        c.put_items("p", "s2", &[entry(2), entry(3)]);
        let got = c.items("p").unwrap();
        assert_eq!((got.snapshot_id.as_str(), got.items.len()), ("s2", 2));
        c.forget_items("p");
        assert!(c.items("p").is_none());
    }

    #[test]
    fn api_bases_do_not_share_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = Cache::new(Store::new(dir.path(), BUDGET), "http://a/v1");
        let b = Cache::new(Store::new(dir.path(), BUDGET), "http://b/v1");
        a.put_items("p", "s", &[entry(1)]);
        assert!(b.items("p").is_none());
        assert!(a.items("p").is_some());
    }

    #[test]
    fn the_last_screen_reads_back() {
        let (_d, c) = cache(BUDGET);
        assert!(c.last_screen().is_none());
        let screen = LastScreen {
            playlists: vec![],
            playback: Some(Playback {
                device: None,
                item: Some(entry(4).track),
                is_playing: true,
                progress_ms: 1234,
                fetched_at: std::time::Instant::now(),
                shuffle: true,
                repeat: crate::domain::Repeat::Context,
                context_uri: None,
                disallows: crate::domain::Disallows::default(),
            }),
        };
        c.put_last_screen(&screen);
        let got = c.last_screen().unwrap().playback.unwrap();
        assert_eq!(got.progress_ms, 1234);
        assert_eq!(got.item, Some(entry(4).track));
        assert!(got.shuffle);
    }
}
