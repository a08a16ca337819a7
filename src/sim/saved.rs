//! The demo user's saved library beyond playlists: Liked Songs, saved
//! albums, shows and episodes, followed artists and users, and the resume
//! points of podcast episodes.

use std::collections::HashMap;

use super::catalog::Catalog;
use super::ids::mix;

/// A list of saved catalogue indices with the time each was saved, newest first.
#[derive(Debug, Clone, Default)]
pub struct Shelf {
    /// (catalogue index, Unix seconds when saved), newest first.
    pub items: Vec<(usize, i64)>,
}

impl Shelf {
    /// True when `i` is saved.
    pub fn contains(&self, i: usize) -> bool {
        self.items.iter().any(|(x, _)| *x == i)
    }

    /// Saves `i` at `at` (newest first); saving twice keeps the first date.
    pub fn add(&mut self, i: usize, at: i64) {
        if !self.contains(i) {
            self.items.insert(0, (i, at));
        }
    }

    /// Removes `i` if saved.
    pub fn remove(&mut self, i: usize) {
        self.items.retain(|(x, _)| *x != i);
    }

    /// Number of saved items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing is saved.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Where the user stopped in an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResumePoint {
    /// Milliseconds into the episode.
    pub position_ms: u64,
    /// Listened to the end.
    pub fully_played: bool,
}

/// Everything the user saved or follows (playlists live in `SimState::library`).
#[derive(Debug, Clone, Default)]
pub struct Saved {
    /// Liked Songs (track indices).
    pub tracks: Shelf,
    /// Saved albums.
    pub albums: Shelf,
    /// Saved shows.
    pub shows: Shelf,
    /// Saved episodes.
    pub episodes: Shelf,
    /// Followed artists.
    pub artists: Shelf,
    /// Followed users (ids).
    pub users: Vec<String>,
    /// Resume points by episode index.
    pub resume: HashMap<usize, ResumePoint>,
}

impl Saved {
    /// The demo library: more than 2,000 liked songs, a dozen albums, three
    /// shows, a few followed artists, some episodes half or fully played.
    pub fn demo(cat: &Catalog, now_s: i64) -> Self {
        let mut s = Saved::default();
        // Oldest first, so `add` leaves the newest at the front.
        let liked: Vec<usize> = (0..cat.tracks.len())
            .filter(|&i| !mix(i as u64 ^ 0x11ed).is_multiple_of(12))
            .collect();
        let n = liked.len() as i64;
        for (k, &i) in liked.iter().enumerate() {
            s.tracks.add(i, now_s - (n - k as i64) * 7_200);
        }
        for (k, a) in (0..cat.albums.len()).step_by(13).enumerate() {
            s.albums.add(a, now_s - 400 * 86_400 + k as i64 * 86_400);
        }
        for (k, sh) in [0usize, 1, 3].into_iter().enumerate() {
            if sh < cat.shows.len() {
                s.shows.add(sh, now_s - 90 * 86_400 + k as i64 * 86_400);
            }
        }
        for (k, a) in [0usize, 2, 5, 12, 14, 18, 20, 23, 30, 41]
            .into_iter()
            .enumerate()
        {
            if a < cat.artists.len() {
                s.artists.add(a, now_s - 200 * 86_400 + k as i64 * 86_400);
            }
        }
        for (i, e) in cat.episodes.iter().enumerate() {
            let h = mix(i as u64 ^ 0x7e5);
            let point = match h % 4 {
                0 => ResumePoint {
                    position_ms: e.duration_ms,
                    fully_played: true,
                },
                1 => ResumePoint {
                    position_ms: (h >> 8) % e.duration_ms.max(1),
                    fully_played: false,
                },
                _ => continue,
            };
            s.resume.insert(i, point);
        }
        s
    }
}

/// Test and demo access to the saved library.
impl super::SimHandle {
    /// Liked Songs as track URIs, newest first.
    pub fn liked_uris(&self) -> Vec<String> {
        let st = self.shared.lock();
        let items = &st.saved.tracks.items;
        items
            .iter()
            .map(|(t, _)| st.catalog.uri(super::catalog::ItemRef::Track(*t)))
            .collect()
    }

    /// Ids of the user's playlists (owned and followed), newest first.
    pub fn followed_playlists(&self) -> Vec<String> {
        self.shared.lock().library.clone()
    }

    /// Ids of followed artists, newest first.
    pub fn followed_artist_ids(&self) -> Vec<String> {
        let st = self.shared.lock();
        let items = &st.saved.artists.items;
        items
            .iter()
            .map(|(a, _)| st.catalog.artists[*a].id.clone())
            .collect()
    }

    /// Id of the catalogue track called `name` (the first one, if several).
    pub fn track_id_named(&self, name: &str) -> Option<String> {
        let st = self.shared.lock();
        let t = st.catalog.tracks.iter().find(|t| t.name == name)?;
        Some(t.id.clone())
    }

    /// Ids of an album, artist and show of the demo catalogue, for tests:
    /// (album "Low Tide Radio", its artist "Velvet Harbor", "The Terminal Hour").
    pub fn demo_catalog_ids(&self) -> (String, String, String) {
        let st = self.shared.lock();
        let c = &st.catalog;
        (
            c.albums[0].id.clone(),
            c.artists[0].id.clone(),
            c.shows[0].id.clone(),
        )
    }

    /// The name of a catalogue track or episode by URI.
    pub fn item_name(&self, uri: &str) -> Option<String> {
        let st = self.shared.lock();
        let c = &st.catalog;
        match c.resolve(uri)? {
            super::catalog::ItemRef::Track(t) => Some(c.tracks[t].name.clone()),
            super::catalog::ItemRef::Episode(e) => Some(c.episodes[e].name.clone()),
            super::catalog::ItemRef::Local(l) => Some(c.locals[l].title.clone()),
        }
    }

    /// Removes every track called `name` from Liked Songs (a known start for a test).
    pub fn unlike_tracks_named(&self, name: &str) {
        let mut st = self.shared.lock();
        let ids: Vec<usize> = (0..st.catalog.tracks.len())
            .filter(|&t| st.catalog.tracks[t].name == name)
            .collect();
        for t in ids {
            st.saved.tracks.remove(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_library_has_enough_liked_songs_to_page() {
        let c = Catalog::demo();
        let s = Saved::demo(&c, 1_800_000_000);
        assert!(s.tracks.len() >= 2_000, "{}", s.tracks.len());
        let newest = s.tracks.items[0].1;
        assert!(s.tracks.items.iter().all(|(_, at)| *at <= newest));
        assert!(s.resume.values().any(|r| r.fully_played));
        assert!(
            s.resume
                .values()
                .any(|r| !r.fully_played && r.position_ms > 0)
        );
    }

    #[test]
    fn a_shelf_saves_once_and_removes() {
        let mut sh = Shelf::default();
        sh.add(3, 10);
        sh.add(4, 20);
        sh.add(3, 30);
        assert_eq!(sh.items, vec![(4, 20), (3, 10)]);
        sh.remove(3);
        assert!(!sh.contains(3));
        assert_eq!(sh.len(), 1);
    }
}
